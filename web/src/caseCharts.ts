// Chart options of a business case: benefits by lever (waterfall), cash flow over time, the
// Monte Carlo histogram with P10/P50/P90 and the tornado of ranged inputs.
import { COLORS } from './charts';
import type { ChartOption } from './charts';
import { money, words } from './format';
import type { CashFlow, Lever, ModelSummary, ScenarioResult, Simulation, Tornado } from './types';
import { LEVERS } from './types';

const LEVER_LABEL: Record<Lever, string> = { revenue: 'Revenue', cost: 'Cost savings', risk: 'Risk reduction' };

/** What a click on the waterfall's bar `index` explains. */
export const WATERFALL_TARGETS = ['lever:revenue', 'lever:cost', 'lever:risk', 'costs', 'net'];
export const WATERFALL_LABELS = ['revenue', 'cost savings', 'risk reduction', 'costs', 'net'];

export function waterfallOption(s: ScenarioResult, currency: string): ChartOption {
  const steps: { label: string; value: number; color: string }[] = LEVERS.map((l) => ({ label: LEVER_LABEL[l], value: s.levers[l], color: COLORS[l] }));
  steps.push({ label: 'Costs', value: -s.costs_total, color: COLORS.costs });
  const base: number[] = [];
  const size: { value: number; itemStyle: { color: string } }[] = [];
  let running = 0;
  for (const st of steps) {
    const next = running + st.value;
    base.push(Math.min(running, next));
    size.push({ value: Math.abs(st.value), itemStyle: { color: st.color } });
    running = next;
  }
  base.push(Math.min(0, s.net_total));
  size.push({ value: Math.abs(s.net_total), itemStyle: { color: s.net_total >= 0 ? COLORS.net : COLORS.costs } });
  const labels = [...steps.map((st) => st.label), 'Net'];
  const signed = [...steps.map((st) => st.value), s.net_total];
  return {
    grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, fontSize: 11 } },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => money(v, currency, true) } },
    tooltip: { renderMode: 'richText', trigger: 'item', formatter: (p: unknown) => {
      const i = (p as { dataIndex: number }).dataIndex;
      return `${labels[i]}: ${money(signed[i], currency)}\n(click for the lineage)`;
    } },
    series: [
      { type: 'bar', stack: 'w', silent: true, itemStyle: { color: 'transparent' }, data: base, tooltip: { show: false } },
      { type: 'bar', stack: 'w', name: 'value', data: size, label: { show: true, position: 'top', fontSize: 10, formatter: (p: unknown) => money(signed[(p as { dataIndex: number }).dataIndex], currency, true) } },
    ],
  } as ChartOption;
}

export function periodLabels(model: ModelSummary, n: number): string[] {
  const p = model.period === 'year' ? 'Y' : 'M';
  return Array.from({ length: n }, (_, i) => (i === 0 ? 'Start' : `${p}${i}`));
}

/** The explain target of a cash-flow bar: a lever in the year of the period, or the costs. */
export function cashFlowTarget(model: ModelSummary, series: string | undefined, period: number): string {
  const year = model.period === 'year' ? period : Math.max(1, Math.ceil(period / 12));
  for (const l of LEVERS) if (series === LEVER_LABEL[l]) return period === 0 ? `lever:${l}` : `lever:${l}:year${year}`;
  if (series === 'Costs') return 'costs';
  return 'net';
}

export function cashFlowOption(cf: CashFlow, model: ModelSummary): ChartOption {
  const n = cf.net.length;
  const labels = periodLabels(model, n);
  const byLever: Record<Lever, number[]> = { revenue: new Array(n).fill(0), cost: new Array(n).fill(0), risk: new Array(n).fill(0) };
  for (const d of Object.values(cf.drivers)) d.periods.forEach((v, i) => (byLever[d.lever][i] += v ?? 0));
  const cur = model.currency;
  return {
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    legend: { top: 0, textStyle: { fontSize: 11 } },
    tooltip: { renderMode: 'richText', trigger: 'axis', valueFormatter: (v: unknown) => money(Number(v), cur) },
    xAxis: { type: 'category', data: labels, axisLabel: { fontSize: 10 } },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => money(v, cur, true) } },
    series: [
      ...LEVERS.filter((l) => byLever[l].some((v) => v !== 0)).map((l) => ({ type: 'bar' as const, name: LEVER_LABEL[l], stack: 'flow', data: byLever[l], itemStyle: { color: COLORS[l] } })),
      { type: 'bar', name: 'Costs', stack: 'flow', data: cf.total_costs.map((v) => -(v ?? 0)), itemStyle: { color: COLORS.costs } },
      { type: 'line', name: 'Cumulative net', data: cf.cumulative, symbol: 'none', lineStyle: { color: COLORS.net, width: 2 }, itemStyle: { color: COLORS.net } },
    ],
  } as ChartOption;
}

export function histogramOption(sim: Simulation, currency: string): ChartOption {
  const h = sim.histogram;
  const width = (h.max - h.min) / Math.max(1, h.counts.length);
  const data = h.counts.map((c, i) => [h.min + width * (i + 0.5), c]);
  const mark = (name: string, x: number, color: string) => ({ name, xAxis: x, lineStyle: { color, type: 'dashed' as const, width: 1.5 }, label: { formatter: `${name}\n${money(x, currency, true)}`, color, fontSize: 10 } });
  return {
    grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
    tooltip: { renderMode: 'richText', trigger: 'item', formatter: (p: unknown) => {
      const v = (p as { value: [number, number] }).value;
      return `NPV ${money(v[0] - width / 2, currency, true)} to ${money(v[0] + width / 2, currency, true)}: ${v[1]} of ${sim.iterations} draws`;
    } },
    xAxis: { type: 'value', min: h.min, max: h.max, axisLabel: { formatter: (v: number) => money(v, currency, true), fontSize: 10 }, name: 'NPV', nameGap: 4 },
    yAxis: { type: 'value', name: 'draws', axisLabel: { fontSize: 10 } },
    series: [
      {
        type: 'bar',
        data,
        barWidth: '96%',
        barCategoryGap: '4%',
        itemStyle: { color: '#93c5fd' },
        markLine: { symbol: 'none', silent: true, data: [mark('P10', sim.npv.p10, '#b91c1c'), mark('P50', sim.npv.p50, '#0f172a'), mark('P90', sim.npv.p90, '#15803d')] },
      },
    ],
  } as ChartOption;
}

export function tornadoOption(t: Tornado, currency: string, names: Record<string, string>): ChartOption {
  const bars = [...t.bars].reverse(); // largest swing on top
  const labels = bars.map((b) => names[b.input] ?? words(b.input));
  return {
    grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
    legend: { top: 0, textStyle: { fontSize: 11 } },
    tooltip: { renderMode: 'richText', trigger: 'item', formatter: (p: unknown) => {
      const q = p as { dataIndex: number; seriesName: string };
      const b = bars[q.dataIndex];
      const low = q.seriesName.startsWith('Low');
      return `${labels[q.dataIndex]} at its ${low ? 'low' : 'high'} end (${low ? b.low : b.high}): NPV ${money(low ? b.npv_low : b.npv_high, currency)}`;
    } },
    xAxis: { type: 'value', axisLabel: { formatter: (v: number) => money(t.npv + v, currency, true), fontSize: 10 } },
    yAxis: { type: 'category', data: labels, axisLabel: { fontSize: 10, width: 140, overflow: 'truncate' } },
    series: [
      { type: 'bar', name: 'Low end of the range', stack: 't', data: bars.map((b) => b.npv_low - t.npv), itemStyle: { color: '#f87171' } },
      { type: 'bar', name: 'High end of the range', stack: 't', data: bars.map((b) => b.npv_high - t.npv), itemStyle: { color: '#4ade80' } },
    ],
  } as ChartOption;
}
