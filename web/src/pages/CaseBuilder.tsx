// The business case builder: a case's inputs (value, range, evidence and confidence) edited in
// place with instant recompute and the model's policy warnings next to the inputs they concern,
// the scenario switch, NPV/IRR/payback/ROI, benefits by lever, cash flow, Monte Carlo and
// tornado; any figure opens its lineage.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, get, qs, request } from '../api';
import { can, useApp } from '../app';
import { cashFlowOption, cashFlowTarget, histogramOption, tornadoOption, waterfallOption, WATERFALL_LABELS, WATERFALL_TARGETS } from '../caseCharts';
import { Chart } from '../charts';
import { accounts, modelDoc, modelIndex } from '../data';
import type { ModelDoc, ModelInput } from '../data';
import { money, months, num, pct, words } from '../format';
import { Lineage } from '../Lineage';
import type { LineageTarget } from '../Lineage';
import { Link, setQuery, useRoute } from '../router';
import type { Account, Case, CaseFigures, Confidence, InputOverride, ModelVersion, PolicyWarning, ScenarioName, Simulation, Tornado } from '../types';
import { SCENARIOS } from '../types';
import { Badge, ErrorMessage, Loading, PageHeader, Section, Stat, useLoad } from '../ui';
import { stageTone } from './Cases';

interface Meta {
  account?: Account;
  version?: ModelVersion;
  doc?: ModelDoc;
}

async function loadMeta(c: Case, withModels: boolean): Promise<Meta> {
  const accs = await accounts().catch(() => [] as Account[]);
  const account = accs.find((a) => a.id === c.account_id);
  if (!withModels) return { account };
  const ix = await modelIndex();
  const version = ix.byId.get(c.model_version_id);
  const doc = version ? await modelDoc(version.model, version.version) : undefined;
  return { account, version, doc };
}

export function scenarioOf(q: URLSearchParams): ScenarioName {
  const s = q.get('scenario');
  return SCENARIOS.includes(s as ScenarioName) ? (s as ScenarioName) : 'expected';
}

export function ScenarioSwitch({ value }: { value: ScenarioName }) {
  return (
    <fieldset class="segmented" aria-label="Scenario">
      <legend class="sr-only">Scenario</legend>
      {SCENARIOS.map((s) => (
        <label key={s} class={value === s ? 'on' : undefined}>
          <input type="radio" name="scenario" value={s} checked={value === s} onChange={() => setQuery({ scenario: s === 'expected' ? null : s })} />
          {words(s)}
        </label>
      ))}
    </fieldset>
  );
}

export function CaseBuilder({ caseId }: { caseId: number }) {
  const { user } = useApp();
  const { query } = useRoute();
  const scenario = scenarioOf(query);
  const kase = useLoad((signal) => get<Case>(`/cases/${caseId}`, signal), [caseId]);
  const [computed, setComputed] = useState(0); // bumped after every change of the inputs
  const c = kase.data;
  const meta = useLoad(() => (c ? loadMeta(c, can(user, 'readModels')) : Promise.resolve<Meta>({})), [c?.id, c?.model_version_id]);
  const figures = useLoad((signal) => get<CaseFigures>(`/cases/${caseId}/figures${qs({ detail: true, scenario })}`, signal), [caseId, scenario, computed]);
  const tornado = useLoad((signal) => get<Tornado>(`/cases/${caseId}/tornado`, signal), [caseId, computed]);
  const sim = useLoad((signal) => request<Simulation>('POST', `/cases/${caseId}/simulate`, { body: { iterations: 10000, seed: 1 }, signal }).then((r) => r.data), [caseId, computed]);
  const [lineage, setLineage] = useState<LineageTarget | null>(null);
  const explain = (target: string, label?: string) => setLineage({ target, scenario, label });
  const f = figures.data;
  const s = f?.scenarios[scenario];
  const currency = f?.model.currency ?? meta.data?.doc?.currency ?? 'USD';
  const names: Record<string, string> = useMemo(() => Object.fromEntries((meta.data?.doc?.inputs ?? []).map((i) => [i.id, i.name ?? i.id])), [meta.data]);
  const waterfall = useMemo(() => (s ? waterfallOption(s, currency) : null), [s, currency]);
  const cashflow = useMemo(() => (s?.cash_flow && f ? cashFlowOption(s.cash_flow, f.model) : null), [s, f]);
  const histogram = useMemo(() => (sim.data ? histogramOption(sim.data, currency) : null), [sim.data, currency]);
  const tornadoChart = useMemo(() => (tornado.data ? tornadoOption(tornado.data, currency, names) : null), [tornado.data, currency, names]);

  if (!c) return <div class="page">{kase.error ? <ErrorMessage error={kase.error} onRetry={kase.reload} /> : <Loading label="Loading the case" />}</div>;
  const editable = c.stage === 'hypothesis' && can(user, 'editCase');
  const committed = c.stage !== 'hypothesis' && c.stage !== 'lost';

  return (
    <div class="page">
      <PageHeader
        title={c.name}
        sub={
          <>
            {meta.data?.account?.name ?? `Account ${c.account_id}`} · {f ? `${f.model.name} ${f.model.version}` : '…'} · <Badge tone={stageTone(c.stage)}>{c.stage}</Badge>
          </>
        }
      >
        {c.stage === 'hypothesis' && can(user, 'commitCase') ? (
          <Link href={`/cases/${c.id}/commit`} class="button primary">
            Commit…
          </Link>
        ) : null}
        {committed ? (
          <Link href={`/cases/${c.id}/realization`} class="button secondary">
            Realization
          </Link>
        ) : null}
        {can(user, 'audit') ? (
          <Link href={`/audit?entity=case:${c.id}`} class="button secondary">
            History
          </Link>
        ) : null}
      </PageHeader>

      <div class="toolbar">
        <ScenarioSwitch value={scenario} />
        <span class="muted small" role="status" aria-live="polite">
          {figures.loading || tornado.loading ? 'Recomputing…' : f ? `Computed from ${f.model.id} ${f.model.version}` : ''}
        </span>
      </div>

      <ErrorMessage error={figures.error} onRetry={figures.reload} />
      {s ? (
        <div class="stats" aria-label="Key figures">
          <Stat label="NPV" value={money(s.npv, currency)} testId="npv" onClick={() => explain('npv', 'the NPV')} tone={s.npv < 0 ? 'bad' : undefined} />
          <Stat label="IRR" value={pct(s.irr)} testId="irr" onClick={() => explain('irr', 'the IRR')} />
          <Stat label="Payback" value={months(s.payback_months)} testId="payback" onClick={() => explain('payback', 'the payback')} />
          <Stat label="ROI" value={pct(s.roi)} testId="roi" onClick={() => explain('roi', 'the ROI')} />
          <Stat label="Benefits" value={money(s.benefits_total, currency)} onClick={() => explain('benefits', 'the benefits')} />
          <Stat label="Costs" value={money(s.costs_total, currency)} onClick={() => explain('costs', 'the costs')} />
        </div>
      ) : figures.loading ? (
        <Loading label="Computing the case" />
      ) : null}

      <div class="builder">
        <Section title="Inputs" id="inputs">
          {meta.error ? <ErrorMessage error={meta.error} onRetry={meta.reload} /> : null}
          {meta.data?.doc ? (
            <InputsTable c={c} doc={meta.data.doc} figures={f} scenario={scenario} editable={editable} onSaved={(next) => {
              kase.setData(next);
              setComputed((n) => n + 1);
            }} onStale={kase.reload} />
          ) : meta.loading ? (
            <Loading label="Reading the model" />
          ) : s ? (
            <InputValues s={s.inputs} names={names} />
          ) : null}
          <ModelWarnings warnings={f?.warnings} />
          {!editable && c.stage === 'hypothesis' ? <p class="muted small">Your role may read this case but not change it.</p> : null}
          {c.stage !== 'hypothesis' ? <p class="muted small">This case is {c.stage}: its inputs are frozen by the commitment.</p> : null}
        </Section>

        <div class="charts">
          {s && waterfall ? (
            <Section title="Benefits by lever">
              <p class="muted small">Over the whole horizon, undiscounted; click a bar for its lineage.</p>
              <Chart option={waterfall} label={`Benefits by lever, ${scenario} scenario: revenue ${money(s.levers.revenue, currency)}, cost ${money(s.levers.cost, currency)}, risk ${money(s.levers.risk, currency)}, costs ${money(s.costs_total, currency)}, net ${money(s.net_total, currency)}`} testId="waterfall" onClick={(p) => explain(WATERFALL_TARGETS[p.dataIndex] ?? 'net')} />
              <div class="row small" role="group" aria-label="Lineage of the benefits by lever">
                <span class="muted">Lineage:</span>
                {WATERFALL_TARGETS.map((t, i) => (
                  <button key={t} type="button" class="link small" onClick={() => explain(t, WATERFALL_LABELS[i])}>
                    {WATERFALL_LABELS[i]}
                  </button>
                ))}
              </div>
            </Section>
          ) : null}
          {cashflow && f ? (
            <Section title="Cash flow over time">
              <Chart option={cashflow} label={`Cash flow per ${f.model.period} of the ${scenario} scenario with the cumulative net`} size="md" testId="cashflow" onClick={(p) => explain(cashFlowTarget(f.model, p.seriesName, p.dataIndex))} />
            </Section>
          ) : null}
        </div>
      </div>

      <div class="grid-2">
        <Section title="Monte Carlo simulation">
          <ErrorMessage error={sim.error} onRetry={sim.reload} />
          {sim.data && histogram ? (
            <>
              <Chart option={histogram} label={`Distribution of the NPV over ${sim.data.iterations} draws: P10 ${money(sim.data.npv.p10, currency)}, P50 ${money(sim.data.npv.p50, currency)}, P90 ${money(sim.data.npv.p90, currency)}`} testId="histogram" />
              <dl class="facts">
                <div>
                  <dt>P10</dt>
                  <dd data-testid="p10">{money(sim.data.npv.p10, currency)}</dd>
                </div>
                <div>
                  <dt>P50</dt>
                  <dd data-testid="p50">{money(sim.data.npv.p50, currency)}</dd>
                </div>
                <div>
                  <dt>P90</dt>
                  <dd data-testid="p90">{money(sim.data.npv.p90, currency)}</dd>
                </div>
                <div>
                  <dt>NPV &gt; 0</dt>
                  <dd>{pct(sim.data.p_npv_positive)}</dd>
                </div>
              </dl>
              <p class="muted small">
                {num(sim.data.iterations)} draws of every ranged input from its distribution, seed {sim.data.seed}.
              </p>
            </>
          ) : sim.loading ? (
            <Loading label="Simulating" />
          ) : null}
        </Section>
        <Section title="What moves the NPV">
          <ErrorMessage error={tornado.error} onRetry={tornado.reload} />
          {tornado.data && tornadoChart ? (
            tornado.data.bars.length ? (
              <Chart option={tornadoChart} label={`Tornado: the inputs that move the NPV most, ${tornado.data.bars.slice(0, 3).map((b) => names[b.input] ?? b.input).join(', ')}`} testId="tornado" size="lg" />
            ) : (
              <p class="empty">No input has a range.</p>
            )
          ) : tornado.loading ? (
            <Loading label="Ranking the inputs" />
          ) : null}
        </Section>
      </div>

      {s?.cash_flow ? (
        <Section title="Drivers and costs">
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Driver or cost</th>
                  <th scope="col">Lever</th>
                  <th scope="col" class="num">
                    Total ({scenario})
                  </th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(s.cash_flow.drivers).map(([id, d]) => (
                  <tr key={id}>
                    <td>
                      <button type="button" class="link" onClick={() => explain(`driver:${id}`, meta.data?.doc?.drivers.find((x) => x.id === id)?.name ?? id)}>
                        {meta.data?.doc?.drivers.find((x) => x.id === id)?.name ?? id}
                      </button>
                      <Warnings list={warningsOf(f?.warnings, 'driver', id)} testId={`warnings-driver-${id}`} />
                    </td>
                    <td>
                      <Badge tone={d.lever}>{d.lever}</Badge>
                    </td>
                    <td class="num">{money(d.total, currency)}</td>
                  </tr>
                ))}
                {Object.entries(s.cash_flow.costs).map(([id, d]) => (
                  <tr key={id}>
                    <td>
                      <button type="button" class="link" onClick={() => explain(`cost:${id}`, meta.data?.doc?.costs.find((x) => x.id === id)?.name ?? id)}>
                        {meta.data?.doc?.costs.find((x) => x.id === id)?.name ?? id}
                      </button>
                    </td>
                    <td>
                      <Badge tone="bad">cost</Badge>
                    </td>
                    <td class="num">{money(-d.total, currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Section>
      ) : null}
      <Lineage caseId={caseId} what={lineage} onClose={() => setLineage(null)} />
    </div>
  );
}

/** The values a scenario used, when the model text cannot be read (roles without models). */
function InputValues({ s, names }: { s: Record<string, { value: number; end: string }>; names: Record<string, string> }) {
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Input</th>
            <th scope="col" class="num">Value</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(s).map(([id, v]) => (
            <tr key={id}>
              <td>{names[id] ?? id}</td>
              <td class="num">
                {num(v.value)} {v.end !== 'value' ? <span class="muted">({v.end} end)</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface InputsProps {
  c: Case;
  doc: ModelDoc;
  figures?: CaseFigures;
  scenario: ScenarioName;
  editable: boolean;
  onSaved: (c: Case) => void;
  onStale: () => void;
}

function InputsTable({ c, doc, figures, scenario, editable, onSaved, onStale }: InputsProps) {
  // Saves run one after another, each with the revision the previous one returned.
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const revision = useRef(c.revision);
  revision.current = Math.max(revision.current, c.revision);

  const save = (input: string, body: InputOverride | null): Promise<void> => {
    const run = async () => {
      try {
        const path = `/cases/${c.id}/inputs/${encodeURIComponent(input)}`;
        const r = body ? await request<Case>('PUT', path, { body, ifMatch: revision.current }) : await request<Case>('DELETE', path, { ifMatch: revision.current });
        revision.current = r.data.revision;
        onSaved(r.data);
      } catch (e) {
        if (e instanceof ApiError && e.status === 412) onStale();
        throw e;
      }
    };
    const p = queue.current.then(run, run);
    queue.current = p.catch(() => undefined);
    return p;
  };

  const used = figures?.scenarios[scenario]?.inputs ?? {};
  return (
    <div class="table-wrap">
      <table class="inputs" data-testid="inputs">
        <thead>
          <tr>
            <th scope="col">Input</th>
            <th scope="col" class="num">Value</th>
            <th scope="col" class="num">Low</th>
            <th scope="col" class="num">High</th>
            <th scope="col" class="num">
              Used ({scenario})
            </th>
          </tr>
        </thead>
        <tbody>
          {doc.inputs.map((i) => (
            <InputRow key={i.id} input={i} override={c.overrides[i.id]} used={used[i.id]} warnings={figures?.warnings ? warningsOf(figures.warnings, 'input', i.id) : undefined} editable={editable} save={save} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

type Drafts = { value: string; low: string; high: string };

function draftsOf(i: ModelInput, o: InputOverride | undefined): Drafts {
  const str = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));
  return { value: str(o?.value ?? i.value), low: str(o?.low ?? i.low), high: str(o?.high ?? i.high) };
}

/** The policy warnings that concern one element of the model. */
function warningsOf(all: PolicyWarning[] | undefined, element: PolicyWarning['element'], id: string): PolicyWarning[] {
  return (all ?? []).filter((w) => w.element === element && w.id === id);
}

/** Policy warnings next to the element they concern. */
function Warnings({ list, testId }: { list: PolicyWarning[]; testId: string }) {
  if (!list.length) return null;
  return (
    <ul class="warnings" data-testid={testId} aria-label="Policy warnings">
      {list.map((w) => (
        <li key={w.code} data-code={w.code}>
          <Badge tone="warn">warning</Badge> {w.message}
        </li>
      ))}
    </ul>
  );
}

/** The warnings about the value tree itself (capabilities, outcomes, KPIs). */
function ModelWarnings({ warnings }: { warnings?: PolicyWarning[] }) {
  const list = (warnings ?? []).filter((w) => w.element !== 'input' && w.element !== 'driver');
  if (!list.length) return null;
  return (
    <div class="model-warnings">
      <p class="small">The model's value tree:</p>
      <Warnings list={list} testId="warnings-model" />
    </div>
  );
}

const CONFIDENCES: Confidence[] = ['low', 'medium', 'high'];

/** The case's own evidence and confidence for one input, edited in place. */
function EvidenceEditor({ input, override, save, onDone }: { input: ModelInput; override?: InputOverride; save: (id: string, body: InputOverride | null) => Promise<void>; onDone: () => void }) {
  const [evidence, setEvidence] = useState(override?.evidence ?? input.evidence ?? '');
  const [confidence, setConfidence] = useState<string>(override?.confidence ?? input.confidence ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const label = input.name ?? input.id;
  const base = `evidence-${input.id}`;
  const fe = (f: string) => (error instanceof ApiError ? error.fieldMessage(f) : undefined);
  const submit = async (e: Event) => {
    e.preventDefault();
    const body: InputOverride = {};
    if (evidence !== (override?.evidence ?? input.evidence ?? '')) body.evidence = evidence;
    if (confidence && confidence !== (override?.confidence ?? input.confidence ?? '')) body.confidence = confidence as Confidence;
    if (body.evidence === undefined && body.confidence === undefined) {
      onDone();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await save(input.id, body);
      onDone();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  const evErr = fe('evidence'), confErr = fe('confidence');
  return (
    <form class="evidence-form stack" onSubmit={submit} aria-label={`Evidence of ${label}`}>
      <label for={`${base}-text`}>Evidence for this case</label>
      <textarea id={`${base}-text`} rows={2} maxLength={4000} value={evidence} aria-invalid={evErr ? true : undefined} aria-describedby={evErr ? `${base}-text-error` : undefined} onInput={(e) => setEvidence(e.currentTarget.value)} placeholder="Where the value comes from: a source, a study, an export" />
      {evErr ? (
        <p class="field-error" id={`${base}-text-error`} role="alert">
          {evErr}
        </p>
      ) : null}
      <label for={`${base}-confidence`}>Confidence</label>
      <select id={`${base}-confidence`} value={confidence} aria-invalid={confErr ? true : undefined} onChange={(e) => setConfidence(e.currentTarget.value)}>
        <option value="">Unstated</option>
        {CONFIDENCES.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
      {confErr ? (
        <p class="field-error" role="alert">
          {confErr}
        </p>
      ) : null}
      {error && !evErr && !confErr ? <ErrorMessage error={error} /> : null}
      <div class="row">
        <button type="submit" class="primary small" disabled={busy}>
          {busy ? 'Saving…' : 'Save evidence'}
        </button>
        <button type="button" class="secondary small" onClick={onDone} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function InputRow({ input, override, used, warnings, editable, save }: { input: ModelInput; override?: InputOverride; used?: { value: number; end: string }; warnings?: PolicyWarning[]; editable: boolean; save: (id: string, body: InputOverride | null) => Promise<void> }) {
  const [editingEvidence, setEditingEvidence] = useState(false);
  const [drafts, setDrafts] = useState<Drafts>(() => draftsOf(input, override));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const key = JSON.stringify(override ?? null);
  useEffect(() => setDrafts(draftsOf(input, override)), [key]);
  const overridden = !!override && Object.values(override).some((v) => v !== null && v !== undefined);
  const hasRange = input.low !== undefined && input.high !== undefined;
  const errId = `input-${input.id}-error`;
  const label = input.name ?? input.id;
  const evidence = override?.evidence ?? input.evidence;
  const confidence = override?.confidence ?? input.confidence;

  const commit = async (next: Drafts) => {
    const body: InputOverride = {};
    for (const k of ['value', 'low', 'high'] as const) {
      if (k !== 'value' && !hasRange) continue;
      const t = next[k].trim();
      if (t === '') {
        if (k === 'value') {
          setError(new Error('the value must be a number'));
          return;
        }
        continue;
      }
      const v = Number(t);
      if (!Number.isFinite(v)) {
        setError(new Error(`the ${k} must be a number`));
        return;
      }
      const model = k === 'value' ? input.value : input[k];
      if (k === 'value' || v !== model || (override && override[k] !== undefined && override[k] !== null)) body[k] = v;
    }
    const same = (['value', 'low', 'high'] as const).every((k) => (body[k] ?? null) === (override?.[k] ?? null));
    if (same && (override || body.value === input.value)) {
      setError(null); // back to what is saved
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await save(input.id, body);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const reset = async () => {
    setBusy(true);
    setError(null);
    try {
      await save(input.id, null);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const field = (k: keyof Drafts, what: string) =>
    editable && (k === 'value' || hasRange) ? (
      <input
        type="number"
        step="any"
        inputMode="decimal"
        class="num-input"
        aria-label={`${label}: ${what}`}
        aria-describedby={error ? errId : undefined}
        aria-invalid={error ? true : undefined}
        data-input={`${input.id}.${k}`}
        value={drafts[k]}
        disabled={busy}
        onInput={(e) => setDrafts({ ...drafts, [k]: e.currentTarget.value })}
        onChange={(e) => void commit({ ...drafts, [k]: e.currentTarget.value })}
      />
    ) : (
      <span>{drafts[k] === '' ? '—' : num(Number(drafts[k]))}</span>
    );

  return (
    <>
      <tr class={overridden ? 'overridden' : undefined}>
        <th scope="row">
          <span class="input-name">{label}</span>
          <span class="muted small">
            {input.id}
            {input.unit ? ` · ${input.unit}` : ''}
          </span>
          <span class="evidence" data-testid={`evidence-${input.id}`}>
            {evidence ? evidence : warnings ? 'no evidence' : <Badge tone="warn">no evidence</Badge>}
            {override?.evidence ? <span class="muted"> (this case)</span> : null}
            {confidence ? ` · ${confidence} confidence` : ''}
            {override?.confidence ? <span class="muted"> (this case)</span> : null}
          </span>
          {warnings ? <Warnings list={warnings} testId={`warnings-${input.id}`} /> : null}
          {editable && !editingEvidence ? (
            <button type="button" class="link small" onClick={() => setEditingEvidence(true)} aria-label={`Edit the evidence of ${label}`}>
              Evidence…
            </button>
          ) : null}
          {editable && editingEvidence ? <EvidenceEditor input={input} override={override} save={save} onDone={() => setEditingEvidence(false)} /> : null}
          {overridden ? (
            <span class="row">
              <Badge tone="info">changed</Badge>
              {editable ? (
                <button type="button" class="link small" onClick={reset} aria-label={`Reset ${label} to the model's figures`} disabled={busy}>
                  Reset
                </button>
              ) : null}
            </span>
          ) : null}
        </th>
        <td class="num">{field('value', 'value')}</td>
        <td class="num">{field('low', 'low end')}</td>
        <td class="num">{field('high', 'high end')}</td>
        <td class="num">
          {used ? num(used.value) : '—'}
          {used && used.end !== 'value' ? <span class="muted small"> {used.end}</span> : null}
        </td>
      </tr>
      {error ? (
        <tr class="row-error">
          <td colSpan={5}>
            <ErrorMessage error={error} id={errId} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

