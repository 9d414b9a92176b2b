// Realization: the value a committed case has realized from its measurements against its plan;
// per KPI, plan vs actual over time with the tolerance band and the forecast; alerts with
// acknowledge and resolve; recording measurements.
import { useMemo, useState } from 'preact/hooks';
import { ApiError, get, listAll, post, qs, request } from '../api';
import { can, useApp } from '../app';
import { Chart } from '../charts';
import { accounts } from '../data';
import { date, isoDay, money, num, pct, stamp, words } from '../format';
import { kpiOption, leversOption, realizedOverTimeOption } from '../realize';
import type { KpiRealization, Realization as RealizationDoc } from '../realize';
import { Link } from '../router';
import type { Alert, Case, Measurement } from '../types';
import { ActionButton, Async, Badge, Empty, ErrorMessage, Field, Loading, PageHeader, Section, Stat, useLoad } from '../ui';
import { stageTone } from './Cases';

const COMMITTED_STAGES = ['committed', 'realizing', 'expanded', 'closed'];

export function RealizationList() {
  const rows = useLoad(async () => {
    const [cases, accs] = await Promise.all([listAll<Case>('/cases'), accounts()]);
    const committed = cases.filter((c) => COMMITTED_STAGES.includes(c.stage));
    const docs = await Promise.all(committed.map((c) => get<RealizationDoc>(`/cases/${c.id}/realization`).catch((e: unknown) => e)));
    return committed.map((c, i) => ({ c, account: accs.find((a) => a.id === c.account_id)?.name ?? `account ${c.account_id}`, r: docs[i] }));
  }, []);
  return (
    <div class="page">
      <PageHeader title="Realization" sub="Committed cases and the value their measurements prove." />
      <Section title="Committed cases">
        <Async state={rows} label="Computing the realization of each case">
          {(list) =>
            list.length === 0 ? (
              <Empty>No case is committed yet.</Empty>
            ) : (
              <div class="table-wrap">
                <table data-testid="realization-list">
                  <thead>
                    <tr>
                      <th scope="col">Case</th>
                      <th scope="col">Account</th>
                      <th scope="col">Stage</th>
                      <th scope="col" class="num">
                        Committed
                      </th>
                      <th scope="col" class="num">
                        Planned to date
                      </th>
                      <th scope="col" class="num">
                        Realized to date
                      </th>
                      <th scope="col" class="num">
                        Of plan
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map(({ c, account, r }) => {
                      const ok = r && typeof r === 'object' && 'kpis' in (r as object);
                      const d = r as RealizationDoc;
                      const cur = ok ? d.model.currency : 'USD';
                      return (
                        <tr key={c.id}>
                          <td>
                            <Link href={`/cases/${c.id}/realization`}>{c.name}</Link>
                          </td>
                          <td>{account}</td>
                          <td>
                            <Badge tone={stageTone(c.stage)}>{c.stage}</Badge>
                          </td>
                          {ok ? (
                            <>
                              <td class="num">{money(d.committed_total, cur)}</td>
                              <td class="num">{money(d.planned_to_date, cur)}</td>
                              <td class="num">{money(d.realized_to_date, cur)}</td>
                              <td class="num">
                                <RateBadge rate={d.percent_of_plan} />
                              </td>
                            </>
                          ) : (
                            <td colSpan={4}>
                              <ErrorMessage error={r} />
                            </td>
                          )}
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )
          }
        </Async>
      </Section>
    </div>
  );
}

export function RateBadge({ rate }: { rate: number | null }) {
  if (rate === null || !Number.isFinite(rate)) return <span class="muted">—</span>;
  const tone = rate >= 0.9 ? 'good' : rate >= 0.6 ? 'warn' : 'bad';
  return <Badge tone={tone}>{pct(rate)}</Badge>;
}

export function Realization({ caseId }: { caseId: number }) {
  const [tick, setTick] = useState(0);
  const doc = useLoad((signal) => get<RealizationDoc>(`/cases/${caseId}/realization`, signal), [caseId, tick]);
  const refresh = () => setTick((t) => t + 1);
  return (
    <div class="page">
      <Async state={doc} label="Computing the realization">
        {(r) => <RealizationView r={r} refresh={refresh} loading={doc.loading} />}
      </Async>
    </div>
  );
}

export function RealizationView({ r, refresh, loading, portal }: { r: RealizationDoc; refresh: () => void; loading?: boolean; portal?: boolean }) {
  const { user } = useApp();
  const cur = r.model.currency;
  const levers = useMemo(() => leversOption(r.levers, cur), [r]);
  const overTime = useMemo(() => realizedOverTimeOption(r), [r]);
  const measurements = useLoad(
    async (signal) => {
      const out: Record<string, Measurement[]> = {};
      await Promise.all(
        r.kpis.map(async (k) => {
          out[k.kpi] = await listAll<Measurement>(`/measurements${qs({ account_id: r.case.account_id, kpi_key: k.kpi, from: k.baseline_date })}`, 5000, signal);
        }),
      );
      return out;
    },
    [r],
  );
  const [alertsTick, setAlertsTick] = useState(0);
  const changed = () => {
    refresh();
    setAlertsTick((t) => t + 1);
  };
  return (
    <>
      {portal ? (
        <h2 class="case-title">{r.case.name}</h2>
      ) : (
        <PageHeader title={`Realization: ${r.case.name}`} sub={<>{r.account} · {r.model.name} {r.model.version} · <Badge tone={stageTone(r.case.stage as Case['stage'])}>{r.case.stage}</Badge> · as of {stamp(r.as_of)}</>}>
          <Link href={`/cases/${r.case.id}`} class="button secondary">
            The case
          </Link>
          <a class="button secondary" href={`/api/v1/cases/${r.case.id}/success-plan?format=html`} target="_blank" rel="noopener">
            Success plan
          </a>
        </PageHeader>
      )}
      <span class="sr-only" role="status" aria-live="polite">
        {loading ? 'Updating the realization' : ''}
      </span>
      <div class="stats" aria-label="Value realized">
        <Stat label="Committed value" value={money(r.committed_total, cur)} hint="benefits over the horizon" />
        <Stat label="Planned to date" value={money(r.planned_to_date, cur)} />
        <Stat label="Realized to date" value={money(r.realized_to_date, cur)} testId="realized" />
        <Stat label="Of plan" value={pct(r.percent_of_plan)} testId="percent-of-plan" tone={r.percent_of_plan !== null && r.percent_of_plan < 0.9 ? 'bad' : 'good'} />
        <Stat label="Of the commitment" value={pct(r.percent_of_total)} />
        <Stat label="ROI to date" value={pct(r.roi_realized)} hint={`planned ${pct(r.roi_planned)}`} />
      </div>
      <div class="grid-2">
        <Section title="Value by lever">
          <Chart option={levers} label={`Committed, planned and realized value by lever; realized to date ${money(r.realized_to_date, cur)} of ${money(r.planned_to_date, cur)} planned`} size="sm" testId="levers" />
        </Section>
        <Section title="Value realized over time">
          <Chart option={overTime} label={`Value realized per ${r.model.period} since ${date(r.start)}`} size="sm" testId="over-time" />
        </Section>
      </div>
      <Section title="KPIs: plan and actual">
        <ErrorMessage error={measurements.error} onRetry={measurements.reload} />
        <div class="kpi-grid">
          {r.kpis.map((k) => (
            <KpiPanel key={k.kpi} k={k} points={measurements.data?.[k.kpi]} asOf={r.as_of} />
          ))}
        </div>
      </Section>
      {!portal ? (
        <Section title="Drivers">
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Driver</th>
                  <th scope="col">Lever</th>
                  <th scope="col" class="num">
                    Planned to date
                  </th>
                  <th scope="col" class="num">
                    Realized to date
                  </th>
                  <th scope="col" class="num">
                    Variance
                  </th>
                  <th scope="col">Note</th>
                </tr>
              </thead>
              <tbody>
                {r.drivers.map((d) => (
                  <tr key={d.driver}>
                    <td>{d.name ?? d.driver}</td>
                    <td>
                      <Badge tone={d.lever}>{d.lever}</Badge>
                    </td>
                    <td class="num">{money(d.planned_to_date, cur)}</td>
                    <td class="num">{money(d.realized_to_date, cur)}</td>
                    <td class={`num ${d.variance < 0 ? 'neg' : ''}`}>{money(d.variance, cur)}</td>
                    <td class="muted small">{d.missing_kpi ? `no measurement of ${d.missing_kpi} yet` : !d.has_realized ? 'no realized formula' : `${d.periods_measured} period(s) measured`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Section>
      ) : null}
      <div class="grid-2">
        <Alerts caseId={r.case.id} tick={alertsTick} canHandle={can(user, 'handleAlerts')} onChanged={changed} />
        {can(user, 'addMeasurements') ? <RecordMeasurement r={r} onAdded={changed} /> : null}
      </div>
    </>
  );
}

function KpiPanel({ k, points, asOf }: { k: KpiRealization; points?: Measurement[]; asOf: string }) {
  const option = useMemo(() => (points ? kpiOption(k, points, asOf) : null), [k, points, asOf]);
  return (
    <article class="kpi-panel" aria-labelledby={`kpi-${k.kpi}`} data-testid={`kpi-${k.kpi}`}>
      <header>
        <h3 id={`kpi-${k.kpi}`}>{k.name}</h3>
        <span>
          {k.drifting ? <Badge tone="bad">drifting</Badge> : null}
          {k.stale ? <Badge tone="warn">stale</Badge> : null}
          {k.forecast?.misses ? <Badge tone="warn">forecast misses</Badge> : null}
          {k.milestones_missed ? <Badge tone="bad">{`${k.milestones_missed} milestone${k.milestones_missed === 1 ? '' : 's'} missed`}</Badge> : null}
          {!k.drifting && !k.stale && k.forecast && !k.forecast.misses ? <Badge tone="good">on track</Badge> : null}
        </span>
      </header>
      {option ? (
        <Chart option={option} size="sm" label={`${k.name}: planned from ${num(k.baseline_value, k.unit)} on ${date(k.baseline_date)} to ${num(k.target_value, k.unit)} on ${date(k.target_date)} (${words(k.trajectory)}${k.milestones?.length ? `, milestones ${k.milestones.map((m) => `${num(m.value, k.unit)} by ${date(m.date)}${m.missed ? ' (missed)' : ''}`).join(', ')}` : ''}); actual ${num(k.actual, k.unit)}, planned now ${num(k.planned, k.unit)}`} />
      ) : (
        <Loading label="Reading the measurements" />
      )}
      <dl class="facts small">
        <div>
          <dt>Actual</dt>
          <dd data-testid={`actual-${k.kpi}`}>{num(k.actual, k.unit)}</dd>
        </div>
        <div>
          <dt>Planned now</dt>
          <dd>{num(k.planned, k.unit)}</dd>
        </div>
        <div>
          <dt>Progress</dt>
          <dd data-testid={`progress-${k.kpi}`}>
            {pct(k.progress)} <span class="muted">of {pct(k.planned_progress)} planned</span>
          </dd>
        </div>
        <div>
          <dt>Target</dt>
          <dd>
            {num(k.target_value, k.unit)} by {date(k.target_date)}
          </dd>
        </div>
        <div>
          <dt>Forecast</dt>
          <dd>{k.forecast ? `${num(k.forecast.value, k.unit)} (${num(k.forecast.low)} – ${num(k.forecast.high)})` : 'needs 3 measurements'}</dd>
        </div>
        <div>
          <dt>Measurements</dt>
          <dd>{k.measurements}</dd>
        </div>
      </dl>
      {k.milestones?.length ? (
        <ul class="milestone-list small" data-testid={`milestones-${k.kpi}`} aria-label={`Milestones of ${k.name}`}>
          {k.milestones.map((m) => (
            <li key={m.date} data-missed={m.missed ? 'true' : 'false'}>
              {num(m.value, k.unit)} by {date(m.date)}{' '}
              {m.missed ? <Badge tone="bad">missed</Badge> : m.due ? <Badge tone="good">reached</Badge> : <Badge tone="muted">due</Badge>}
            </li>
          ))}
        </ul>
      ) : null}
    </article>
  );
}

export function Alerts({ caseId, accountId, tick, canHandle, onChanged, title = 'Alerts' }: { caseId?: number; accountId?: number; tick?: number; canHandle: boolean; onChanged?: () => void; title?: string }) {
  const [status, setStatus] = useState<'unresolved' | 'resolved'>('unresolved');
  const [mine, setMine] = useState(0);
  const alerts = useLoad(
    async (signal) => {
      const all = await listAll<Alert>(`/alerts${qs({ case_id: caseId, account_id: accountId, status: status === 'resolved' ? 'resolved' : undefined })}`, 500, signal);
      return status === 'resolved' ? all : all.filter((a) => a.status !== 'resolved');
    },
    [caseId, accountId, status, tick, mine],
  );
  const act = async (a: Alert, what: 'acknowledge' | 'resolve') => {
    await post<Alert>(`/alerts/${a.id}/${what}`);
    setMine((n) => n + 1);
    onChanged?.();
  };
  return (
    <Section
      title={title}
      actions={
        <>
          <select aria-label="Which alerts" value={status} onChange={(e) => setStatus(e.currentTarget.value as 'unresolved' | 'resolved')}>
            <option value="unresolved">Open and acknowledged</option>
            <option value="resolved">Resolved</option>
          </select>
          {canHandle && caseId ? (
            <ActionButton class="secondary small" onAction={async () => {
              await post(`/alerts/evaluate`, { case_id: caseId });
              setMine((n) => n + 1);
              onChanged?.();
            }}>
              Evaluate now
            </ActionButton>
          ) : null}
        </>
      }
    >
      <Async state={alerts} label="Loading the alerts">
        {(list) =>
          list.length === 0 ? (
            <Empty>{status === 'resolved' ? 'No resolved alert.' : 'No open alert.'}</Empty>
          ) : (
            <ul class="alerts" data-testid="alerts">
              {list.map((a) => (
                <li key={a.id} class={`alert ${a.severity}`}>
                  <div>
                    <Badge tone={a.severity === 'critical' ? 'bad' : a.severity === 'warning' ? 'warn' : 'info'}>{a.severity}</Badge> <Badge>{words(a.kind)}</Badge> <Badge tone="muted">{a.status}</Badge>
                  </div>
                  <p>{a.message}</p>
                  <div class="muted small">
                    {a.kpi_key ? `KPI ${a.kpi_key} · ` : ''}raised {stamp(a.created_at)}
                    {a.resolved_at ? ` · resolved ${stamp(a.resolved_at)}` : ''}
                  </div>
                  {canHandle && a.status !== 'resolved' ? (
                    <div class="row">
                      {a.status === 'open' ? (
                        <ActionButton class="secondary small" label={`Acknowledge alert ${a.id}`} onAction={() => act(a, 'acknowledge')}>
                          Acknowledge
                        </ActionButton>
                      ) : null}
                      <ActionButton class="secondary small" label={`Resolve alert ${a.id}`} onAction={() => act(a, 'resolve')}>
                        Resolve
                      </ActionButton>
                    </div>
                  ) : null}
                </li>
              ))}
            </ul>
          )
        }
      </Async>
    </Section>
  );
}

/** One measurement of a committed KPI (POST /measurements, a batch of one). */
function RecordMeasurement({ r, onAdded }: { r: RealizationDoc; onAdded: () => void }) {
  const [kpi, setKpi] = useState(r.kpis[0]?.kpi ?? '');
  const [day, setDay] = useState(isoDay());
  const [value, setValue] = useState('');
  const [source, setSource] = useState('manual entry');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState('');
  const unit = r.kpis.find((k) => k.kpi === kpi)?.unit ?? '';
  const fe = (f: string) => (error instanceof ApiError ? error.fieldMessage(`measurements[0].${f}`) ?? undefined : undefined);

  const submit = async (e: Event) => {
    e.preventDefault();
    const v = Number(value);
    if (value.trim() === '' || !Number.isFinite(v)) {
      setError(new ApiError(400, 'the value must be a number', [{ field: 'measurements[0].value', message: 'must be a number' }]));
      return;
    }
    setBusy(true);
    setError(null);
    setDone('');
    try {
      const res = await post<{ added: number; unchanged: number }>('/measurements', {
        label: 'web entry',
        measurements: [{ account_id: r.case.account_id, kpi_key: kpi, at: `${day}T12:00:00Z`, value: v, source: source.trim() || 'manual entry' }],
      });
      setDone(res.added ? 'Recorded.' : 'Already recorded: nothing changed.');
      setValue('');
      onAdded();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const rowError = error instanceof ApiError ? error.fieldMessage('measurements[0]') : undefined;
  return (
    <Section title="Record a measurement">
      <form onSubmit={submit} class="stack" aria-label="Record a measurement" noValidate>
        <div class="grid-2">
          <Field label="KPI">
            {(id) => (
              <select id={id} value={kpi} onChange={(e) => setKpi(e.currentTarget.value)}>
                {r.kpis.map((k) => (
                  <option key={k.kpi} value={k.kpi}>
                    {k.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Day" error={fe('at')}>
            {(id, d) => <input id={id} aria-describedby={d} type="date" required value={day} onInput={(e) => setDay(e.currentTarget.value)} />}
          </Field>
          <Field label={`Value${unit ? ` (${unit})` : ''}`} error={fe('value')}>
            {(id, d) => <input id={id} aria-describedby={d} type="number" step="any" required value={value} onInput={(e) => setValue(e.currentTarget.value)} />}
          </Field>
          <Field label="Source" error={fe('source')}>
            {(id, d) => <input id={id} aria-describedby={d} maxLength={200} value={source} onInput={(e) => setSource(e.currentTarget.value)} />}
          </Field>
        </div>
        {rowError ? (
          <p class="error" role="alert">
            {rowError}
          </p>
        ) : (
          <ErrorMessage error={error instanceof ApiError && (fe('value') || fe('at') || fe('source')) ? null : error} />
        )}
        <div class="row">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Recording…' : 'Record'}
          </button>
          <span role="status" class="muted">
            {done}
          </span>
        </div>
      </form>
      <UploadMeasurements r={r} onAdded={onAdded} />
    </Section>
  );
}

/** A CSV file of measurements (POST /measurements as text/csv): one batch, all or nothing;
 * the problems of a refused file are listed with their line. */
function UploadMeasurements({ r, onAdded }: { r: RealizationDoc; onAdded: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState('');
  const upload = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    setDone('');
    try {
      const res = await request<{ added: number; unchanged: number; rows: number }>('POST', `/measurements${qs({ label: file.name })}`, { text: { body: await file.text(), type: 'text/csv; charset=utf-8' } });
      setDone(`${res.data.rows} row${res.data.rows === 1 ? '' : 's'}: ${res.data.added} added, ${res.data.unchanged} already there.`);
      onAdded();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const lines = error instanceof ApiError ? error.errors.filter((p) => p.line) : [];
  const kpi = r.kpis[0]?.kpi ?? 'kpi';
  return (
    <form onSubmit={upload} class="stack upload" aria-label="Upload measurements">
      <h3>Upload a file</h3>
      <p class="muted small">
        A CSV file with the header <code>account,kpi,time,value,source</code>, one measurement per line, e.g. <code>{`${r.account},${kpi},${isoDay()}T09:00:00Z,2.5,ITSM export`}</code>. The whole file is written, or nothing.
      </p>
      <Field label="CSV file">{(id) => <input id={id} type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />}</Field>
      {lines.length ? (
        <ul class="problems error" role="alert" aria-label="Problems of the file">
          {lines.map((p, i) => (
            <li key={i}>
              line {p.line}
              {p.field ? `, ${p.field}` : ''}: {p.message}
            </li>
          ))}
        </ul>
      ) : (
        <ErrorMessage error={error} />
      )}
      <div class="row">
        <button type="submit" class="secondary" disabled={busy || !file}>
          {busy ? 'Uploading…' : 'Upload'}
        </button>
        <span role="status" class="muted">
          {done}
        </span>
      </div>
    </form>
  );
}
