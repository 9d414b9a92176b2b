// Realization documents (GET /cases/{id}/realization, GET /portfolio) and the charts of a
// committed KPI: plan vs actual over time with the tolerance band and the forecast.
import { COLORS } from './charts';
import type { ChartOption } from './charts';
import { date, money, num } from './format';
import type { Lever, Measurement, ModelSummary } from './types';
import { LEVERS } from './types';

export interface LeverFigures {
  committed: number;
  planned_to_date: number;
  realized_to_date: number;
}

export interface KpiRealization {
  kpi: string;
  name: string;
  unit: string;
  better: 'lower' | 'higher';
  baseline_value: number;
  baseline_date: string;
  target_value: number;
  target_date: string;
  trajectory: 'linear' | 's_curve' | 'step';
  tolerance: number;
  measurements: number;
  actual: number | null;
  actual_at: string | null;
  planned: number | null;
  progress: number | null;
  planned_progress: number | null;
  variance: number | null;
  behind: number | null;
  drifting: boolean;
  stale: boolean;
  milestones_missed: number;
  milestones: { date: string; value: number; due: boolean; missed: boolean }[];
  forecast: { value: number; low: number; high: number; level: number; progress: number; misses: boolean; points: number } | null;
}

export interface DriverRealization {
  driver: string;
  name: string | null;
  lever: Lever;
  has_realized: boolean;
  planned_to_date: number;
  realized_to_date: number;
  variance: number;
  roi_points: number | null;
  periods_measured: number;
  missing_kpi: string | null;
  realized_per_period: number[];
}

export interface Realization {
  case: { id: number; name: string; stage: string; account_id: number };
  account: string;
  model: ModelSummary;
  as_of: string;
  start: string;
  period_days: number;
  periods_elapsed: number;
  committed_npv: number;
  committed_total: number;
  planned_to_date: number;
  realized_to_date: number;
  costs_to_date: number;
  percent_of_plan: number | null;
  percent_of_total: number | null;
  roi_planned: number | null;
  roi_realized: number | null;
  roi_gap: number | null;
  levers: Record<Lever, LeverFigures>;
  kpis: KpiRealization[];
  drivers: DriverRealization[];
}

export interface PortfolioAccount {
  account_id: number;
  name: string;
  cases: number;
  committed_total: number;
  planned_to_date: number;
  realized_to_date: number;
  realization_rate: number | null;
  open_alerts: number;
}

export interface Portfolio {
  as_of: string;
  currency: string;
  cases: number;
  committed_total: number;
  planned_to_date: number;
  realized_to_date: number;
  realization_rate: number | null;
  open_alerts: number;
  levers: Record<Lever, LeverFigures>;
  accounts: PortfolioAccount[];
  skipped: { case_id: number; reason: string }[];
}

const DAY_MS = 86400000;

function dayOf(d: string): number {
  return Date.parse(d.length === 10 ? `${d}T00:00:00Z` : d) / DAY_MS;
}

/** The planned value on day t (docs/realization.md, "Planned trajectory"): the baseline
 * before the baseline day, the target from the target day, linear or smoothstep between;
 * a step trajectory the value of the last milestone reached (the baseline before the first,
 * and throughout when there are none). */
export function plannedAt(k: KpiRealization, t: number): number {
  const bd = dayOf(k.baseline_date);
  const td = dayOf(k.target_date);
  if (t <= bd) return k.baseline_value;
  if (t >= td) return k.target_value;
  const x = (t - bd) / (td - bd);
  const B = k.baseline_value;
  const T = k.target_value;
  if (k.trajectory === 'linear') return B + (T - B) * x;
  if (k.trajectory === 's_curve') return B + (T - B) * x * x * (3 - 2 * x);
  let v = B;
  for (const m of k.milestones ?? []) if (dayOf(m.date) <= t) v = m.value;
  return v;
}

/** The tolerance band on day t: the plan less `tolerance` of the improvement planned by
 * then (a KPI short of it is drifting), and the mirror image on the other side.  (On the
 * baseline day itself the server measures the shortfall against the whole improvement.) */
function band(k: KpiRealization, t: number): [number, number] {
  const p = plannedAt(k, t);
  const w = k.tolerance * Math.abs(p - k.baseline_value);
  return [p - w, p + w];
}

export function kpiOption(k: KpiRealization, points: Measurement[], asOf: string): ChartOption {
  const bd = dayOf(k.baseline_date);
  const td = dayOf(k.target_date);
  const now = dayOf(asOf);
  const actual = points.map((m) => [Date.parse(m.at), m.value] as [number, number]).sort((a, b) => a[0] - b[0]);
  const end = Math.max(td, now) + (td - bd) * 0.03;
  const start = Math.min(bd, actual.length ? actual[0][0] / DAY_MS : bd);
  const steps = 80;
  let plan: [number, number][] = [];
  const lower: [number, number][] = [];
  const width: [number, number][] = [];
  // A step plan changes at its milestones and the target day: sample on both sides of each.
  const edges = k.trajectory === 'step' ? [...(k.milestones ?? []).map((m) => dayOf(m.date)), td] : [];
  const days: number[] = [];
  for (let i = 0; i <= steps; i++) days.push(start + ((end - start) * i) / steps);
  for (const e of edges) days.push(e - 1e-6, e);
  days.sort((a, b) => a - b);
  for (const t of days) {
    const [lo, hi] = band(k, t);
    plan.push([t * DAY_MS, plannedAt(k, t)]);
    lower.push([t * DAY_MS, lo]);
    width.push([t * DAY_MS, hi - lo]);
  }
  // The server's planned value today is the reference: when the drawn trajectory does not
  // meet it, draw only the points the server gives: baseline, today, target.
  const scale = Math.max(1, Math.abs(k.baseline_value), Math.abs(k.target_value));
  if (k.planned !== null && Math.abs(plannedAt(k, now) - k.planned) > 1e-6 * scale) {
    plan = [[bd * DAY_MS, k.baseline_value], [now * DAY_MS, k.planned], [td * DAY_MS, k.target_value]];
    lower.length = 0;
    width.length = 0;
  }
  const series: NonNullable<ChartOption['series']> = [
    { type: 'line', name: 'band-low', data: lower, stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, silent: true, tooltip: { show: false } },
    { type: 'line', name: `Tolerance (±${Math.round(k.tolerance * 100)}%)`, data: width, stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: { color: COLORS.band }, itemStyle: { color: COLORS.band }, silent: true, tooltip: { show: false } },
    { type: 'line', name: 'Plan', data: plan, symbol: 'none', lineStyle: { color: COLORS.plan, width: 2, type: 'dashed' }, itemStyle: { color: COLORS.plan } },
    {
      type: 'line',
      name: 'Actual',
      data: actual,
      symbolSize: 5,
      lineStyle: { color: COLORS.actual, width: 2 },
      itemStyle: { color: COLORS.actual },
      markLine: { symbol: 'none', silent: true, data: [{ xAxis: now * DAY_MS, label: { formatter: 'as of', fontSize: 10 }, lineStyle: { color: '#94a3b8', type: 'dotted' } }] },
    },
  ];
  if (k.milestones?.length) {
    const ok = k.milestones.filter((m) => !m.missed);
    const missed = k.milestones.filter((m) => m.missed);
    const pt = (m: KpiRealization['milestones'][number]) => [dayOf(m.date) * DAY_MS, m.value] as [number, number];
    // points without a line between them (line series: no scatter chart is bundled)
    const marks = (name: string, data: [number, number][], color: string, size: number) =>
      series.push({ type: 'line', name, data, symbol: 'diamond', symbolSize: size, showSymbol: true, lineStyle: { width: 0, opacity: 0 }, itemStyle: { color }, z: 5 });
    marks('Milestone', ok.map(pt), COLORS.plan, 11);
    if (missed.length) marks('Missed milestone', missed.map(pt), COLORS.costs, 13);
  }
  if (k.forecast && actual.length) {
    const last = actual[actual.length - 1];
    series.push({ type: 'line', name: 'Forecast', data: [last, [td * DAY_MS, k.forecast.value]], symbol: 'circle', symbolSize: 6, lineStyle: { color: COLORS.forecast, type: 'dashed', width: 2 }, itemStyle: { color: COLORS.forecast } });
    series.push({ type: 'line', name: `Forecast ${Math.round(k.forecast.level * 100)}% interval`, data: [[td * DAY_MS, k.forecast.low], [td * DAY_MS, k.forecast.high]], symbol: 'rect', symbolSize: [10, 2], lineStyle: { color: COLORS.forecast, width: 3, opacity: 0.5 }, itemStyle: { color: COLORS.forecast } });
  }
  return {
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    legend: { top: 0, textStyle: { fontSize: 10 }, data: [`Tolerance (±${Math.round(k.tolerance * 100)}%)`, 'Plan', 'Actual', ...(k.forecast ? ['Forecast'] : []), ...(k.milestones?.length ? ['Milestone'] : []), ...(k.milestones?.some((m) => m.missed) ? ['Missed milestone'] : [])] },
    tooltip: { renderMode: 'richText', trigger: 'axis', formatter: (p: unknown) => {
      const items = (p as { seriesName: string; value: [number, number] }[]).filter((x) => x.seriesName === 'Plan' || x.seriesName === 'Actual' || x.seriesName === 'Forecast' || x.seriesName.endsWith('ilestone'));
      if (!items.length) return '';
      const when = date(new Date(items[0].value[0]).toISOString());
      return [when, ...items.map((x) => `${x.seriesName}: ${num(x.value[1], k.unit)}`)].join('\n');
    } },
    xAxis: { type: 'time', min: start * DAY_MS, max: end * DAY_MS, axisLabel: { fontSize: 10, hideOverlap: true } },
    yAxis: { type: 'value', scale: true, axisLabel: { fontSize: 10, formatter: (v: number) => num(v, k.unit) } },
    series,
  } as ChartOption;
}

const LEVER_LABEL: Record<Lever, string> = { revenue: 'Revenue', cost: 'Cost', risk: 'Risk' };

/** Committed, planned to date and realized to date, by lever. */
export function leversOption(levers: Record<Lever, LeverFigures>, currency: string): ChartOption {
  const shown = LEVERS.filter((l) => levers[l].committed || levers[l].planned_to_date || levers[l].realized_to_date);
  return {
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    legend: { top: 0, textStyle: { fontSize: 11 } },
    tooltip: { renderMode: 'richText', trigger: 'axis', valueFormatter: (v: unknown) => money(Number(v), currency) },
    xAxis: { type: 'category', data: shown.map((l) => LEVER_LABEL[l]) },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => money(v, currency, true) } },
    series: [
      { type: 'bar', name: 'Committed', data: shown.map((l) => levers[l].committed), itemStyle: { color: '#cbd5e1' } },
      { type: 'bar', name: 'Planned to date', data: shown.map((l) => levers[l].planned_to_date), itemStyle: { color: COLORS.plan } },
      { type: 'bar', name: 'Realized to date', data: shown.map((l) => levers[l].realized_to_date), itemStyle: { color: COLORS.revenue } },
    ],
  } as ChartOption;
}

/** Planned and realized value per period of the model, summed over the drivers. */
export function realizedOverTimeOption(r: Realization): ChartOption {
  const n = Math.max(0, ...r.drivers.map((d) => d.realized_per_period.length));
  const shown = Math.min(n, r.periods_elapsed + 1);
  const realized = new Array(shown).fill(0);
  for (const d of r.drivers) d.realized_per_period.slice(0, shown).forEach((v, i) => (realized[i] += v ?? 0));
  let acc = 0;
  const cumulative = realized.map((v) => (acc += v));
  const p = r.model.period === 'year' ? 'Y' : 'M';
  const labels = Array.from({ length: shown }, (_, i) => (i === 0 ? 'Start' : `${p}${i}`));
  const cur = r.model.currency;
  return {
    grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
    legend: { top: 0, textStyle: { fontSize: 11 } },
    tooltip: { renderMode: 'richText', trigger: 'axis', valueFormatter: (v: unknown) => money(Number(v), cur) },
    xAxis: { type: 'category', data: labels },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => money(v, cur, true) } },
    series: [
      { type: 'bar', name: 'Realized in the period', data: realized, itemStyle: { color: COLORS.revenue } },
      { type: 'line', name: 'Realized to date', data: cumulative, itemStyle: { color: COLORS.net }, symbolSize: 4 },
    ],
  } as ChartOption;
}
