// Commitment: choose the KPIs, their baselines, targets and trajectories (a step trajectory
// with its milestones), then commit with a confirmation.  A commitment freezes the case and its
// figures.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, qs, request } from '../api';
import { can, useApp } from '../app';
import { accounts, modelDoc, modelIndex, organisation, users } from '../data';
import type { ModelDoc } from '../data';
import { isoDay, money, months, pct } from '../format';
import { Link, navigate } from '../router';
import type { Case, CaseFigures, Commitment, CommitmentKpi, Organisation, Trajectory, User } from '../types';
import { Async, Dialog, ErrorMessage, Field, PageHeader, useLoad } from '../ui';

interface KpiDraft {
  on: boolean;
  baseline_value: string;
  baseline_date: string;
  target_value: string;
  target_date: string;
  trajectory: Trajectory;
  tolerance: string;
  data_source: string;
  owner_user_id: string;
  milestones: { date: string; value: string }[];
}

interface Ctx {
  c: Case;
  doc: ModelDoc;
  figures: CaseFigures;
  org: Organisation;
  people: User[];
  accountName: string;
}

async function load(caseId: number, readUsers: boolean): Promise<Ctx> {
  const c = await get<Case>(`/cases/${caseId}`);
  const [ix, figures, org, people, accs] = await Promise.all([
    modelIndex(),
    get<CaseFigures>(`/cases/${caseId}/figures${qs({ scenario: 'expected' })}`),
    organisation(),
    readUsers ? users().catch(() => [] as User[]) : Promise.resolve([] as User[]),
    accounts(),
  ]);
  const v = ix.byId.get(c.model_version_id);
  if (!v) throw new Error('the model version of this case is not visible');
  const doc = await modelDoc(v.model, v.version);
  return { c, doc, figures, org, people, accountName: accs.find((a) => a.id === c.account_id)?.name ?? `account ${c.account_id}` };
}

export function Commit({ caseId }: { caseId: number }) {
  const { user } = useApp();
  const ctx = useLoad(() => load(caseId, can(user, 'readUsers')), [caseId]);
  return (
    <div class="page">
      <Async state={ctx} label="Loading the case">
        {(x) => <CommitForm x={x} />}
      </Async>
    </div>
  );
}

function CommitForm({ x }: { x: Ctx }) {
  const { c, doc, figures, org, people } = x;
  const today = isoDay();
  const [drafts, setDrafts] = useState<Record<string, KpiDraft>>(() =>
    Object.fromEntries(
      doc.kpis.map((k) => [
        k.id,
        { on: false, baseline_value: '', baseline_date: today, target_value: '', target_date: isoDay(365), trajectory: 'linear' as Trajectory, tolerance: String(Math.round(org.default_tolerance * 1000) / 10), data_source: '', owner_user_id: '', milestones: [] },
      ]),
    ),
  );
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [local, setLocal] = useState<Record<string, string>>({});
  useEffect(() => setError(null), [drafts]);
  const chosen = doc.kpis.filter((k) => drafts[k.id]?.on);
  const s = figures.scenarios.expected;
  const cur = figures.model.currency;

  if (c.stage !== 'hypothesis')
    return (
      <>
        <PageHeader title={`Commit ${c.name}`} />
        <p>
          This case is already {c.stage}. <Link href={`/cases/${c.id}/realization`}>See its realization</Link>.
        </p>
      </>
    );

  const set = (k: string, patch: Partial<KpiDraft>) => setDrafts({ ...drafts, [k]: { ...drafts[k], ...patch } });

  /** The body, or null after marking the fields that are not numbers. */
  const body = (): CommitmentKpi[] | null => {
    const problems: Record<string, string> = {};
    const out = chosen.map((k) => {
      const d = drafts[k.id];
      const n = (field: string, t: string) => {
        const v = Number(t);
        if (t.trim() === '' || !Number.isFinite(v)) problems[`${k.id}.${field}`] = 'must be a number';
        return v;
      };
      return {
        kpi_key: k.id,
        baseline_value: n('baseline_value', d.baseline_value),
        baseline_date: d.baseline_date,
        target_value: n('target_value', d.target_value),
        target_date: d.target_date,
        trajectory: d.trajectory,
        tolerance: d.tolerance.trim() === '' ? null : n('tolerance', d.tolerance) / 100,
        data_source: d.data_source.trim() || null,
        owner_user_id: d.owner_user_id ? Number(d.owner_user_id) : null,
        ...(d.trajectory === 'step' && d.milestones.length ? { milestones: d.milestones.map((m, j) => ({ date: m.date, value: n(`milestones[${j}]`, m.value) })) } : {}),
      };
    });
    setLocal(problems);
    return Object.keys(problems).length ? null : out;
  };

  const review = (e: Event) => {
    e.preventDefault();
    if (!chosen.length) {
      setLocal({ _: 'choose at least one KPI to commit to' });
      return;
    }
    if (body()) setConfirming(true);
  };

  const commit = async () => {
    const kpis = body();
    if (!kpis) return;
    setBusy(true);
    setError(null);
    try {
      await request<Commitment>('POST', `/cases/${c.id}/commit`, { body: { kpis } });
      navigate(`/cases/${c.id}/realization`);
    } catch (err) {
      setError(err);
      setConfirming(false);
      setBusy(false);
    }
  };

  /** The server's message for one field of one committed KPI (kpis[i].field or kpis[i]). */
  const serverError = (kpi: string, field?: string): string | undefined => {
    if (!(error instanceof ApiError)) return undefined;
    const i = chosen.findIndex((k) => k.id === kpi);
    if (i < 0) return undefined;
    return field ? error.fieldMessage(`kpis[${i}].${field}`) : error.fieldMessage(`kpis[${i}]`);
  };
  const fe = (kpi: string, field: string) => local[`${kpi}.${field}`] ?? serverError(kpi, field);

  return (
    <>
      <PageHeader title={`Commit ${c.name}`} sub={`${x.accountName} · ${figures.model.name} ${figures.model.version}`}>
        <Link href={`/cases/${c.id}`} class="button secondary">
          Back to the case
        </Link>
      </PageHeader>
      <p class="lead">
        Committing freezes the case at its current figures (expected NPV <strong>{money(s.npv, cur)}</strong>) and sets the KPIs whose measurements will prove the value. Choose the KPIs, their baselines and targets.
      </p>
      <form onSubmit={review} class="stack" aria-label="Commitment">
        {doc.kpis.map((k) => {
          const d = drafts[k.id];
          return (
            <fieldset key={k.id} class={`kpi-card${d.on ? ' on' : ''}`}>
              <legend>
                <label class="check">
                  <input type="checkbox" checked={d.on} onChange={(e) => set(k.id, { on: e.currentTarget.checked })} />
                  <span>
                    {k.name ?? k.id} <span class="muted">({k.unit}, {k.better} is better)</span>
                  </span>
                </label>
              </legend>
              {d.on ? (
                <div class="grid-4">
                  <Field label={`Baseline (${k.unit})`} error={fe(k.id, 'baseline_value')}>
                    {(id, dd) => <input id={id} aria-describedby={dd} type="number" step="any" required value={d.baseline_value} onInput={(e) => set(k.id, { baseline_value: e.currentTarget.value })} />}
                  </Field>
                  <Field label="Baseline date" error={fe(k.id, 'baseline_date')}>
                    {(id, dd) => <input id={id} aria-describedby={dd} type="date" required value={d.baseline_date} onInput={(e) => set(k.id, { baseline_date: e.currentTarget.value })} />}
                  </Field>
                  <Field label={`Target (${k.unit})`} error={fe(k.id, 'target_value')}>
                    {(id, dd) => <input id={id} aria-describedby={dd} type="number" step="any" required value={d.target_value} onInput={(e) => set(k.id, { target_value: e.currentTarget.value })} />}
                  </Field>
                  <Field label="Target date" error={fe(k.id, 'target_date')}>
                    {(id, dd) => <input id={id} aria-describedby={dd} type="date" required value={d.target_date} onInput={(e) => set(k.id, { target_date: e.currentTarget.value })} />}
                  </Field>
                  <Field label="Trajectory" error={fe(k.id, 'trajectory')}>
                    {(id, dd) => (
                      <select id={id} aria-describedby={dd} value={d.trajectory} onChange={(e) => set(k.id, { trajectory: e.currentTarget.value as Trajectory })}>
                        <option value="linear">Linear</option>
                        <option value="s_curve">S-curve</option>
                        <option value="step">Step</option>
                      </select>
                    )}
                  </Field>
                  <Field label="Tolerance (%)" error={fe(k.id, 'tolerance')} hint={`Default ${pct(org.default_tolerance)}`}>
                    {(id, dd) => <input id={id} aria-describedby={dd} type="number" step="any" min={0} value={d.tolerance} onInput={(e) => set(k.id, { tolerance: e.currentTarget.value })} />}
                  </Field>
                  <Field label="Data source" error={fe(k.id, 'data_source')}>
                    {(id, dd) => <input id={id} aria-describedby={dd} maxLength={200} value={d.data_source} onInput={(e) => set(k.id, { data_source: e.currentTarget.value })} />}
                  </Field>
                  <Field label="Owner" error={fe(k.id, 'owner_user_id')}>
                    {(id, dd) => (
                      <select id={id} aria-describedby={dd} value={d.owner_user_id} onChange={(e) => set(k.id, { owner_user_id: e.currentTarget.value })}>
                        <option value="">No owner</option>
                        {people.map((u) => (
                          <option key={u.id} value={String(u.id)}>
                            {u.name} ({u.email})
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                  {d.trajectory === 'step' ? <Milestones kpi={k.id} unit={k.unit} d={d} set={(ms) => set(k.id, { milestones: ms })} fe={(f) => fe(k.id, f)} /> : null}
                  {serverError(k.id) ? (
                    <p class="error span-all" role="alert">
                      {serverError(k.id)}
                    </p>
                  ) : null}
                </div>
              ) : null}
            </fieldset>
          );
        })}
        {local._ ? (
          <p class="error" role="alert">
            {local._}
          </p>
        ) : null}
        <ErrorMessage error={error} />
        <div>
          <button type="submit" class="primary">
            Review the commitment…
          </button>
        </div>
      </form>
      <Dialog open={confirming} title="Commit to this case?" onClose={() => setConfirming(false)}>
        <div class="stack">
          <p>
            <strong>{c.name}</strong> will be committed with {chosen.length} KPI{chosen.length === 1 ? '' : 's'}. Its inputs are then frozen and its figures kept as they are now:
          </p>
          <dl class="facts">
            <div>
              <dt>NPV</dt>
              <dd>{money(s.npv, cur)}</dd>
            </div>
            <div>
              <dt>IRR</dt>
              <dd>{pct(s.irr)}</dd>
            </div>
            <div>
              <dt>Payback</dt>
              <dd>{months(s.payback_months)}</dd>
            </div>
            <div>
              <dt>ROI</dt>
              <dd>{pct(s.roi)}</dd>
            </div>
          </dl>
          <ul>
            {chosen.map((k) => (
              <li key={k.id}>
                {k.name ?? k.id}: {drafts[k.id].baseline_value} → {drafts[k.id].target_value} {k.unit} by {drafts[k.id].target_date} ({drafts[k.id].trajectory.replace('_', '-')})
                {drafts[k.id].trajectory === 'step' && drafts[k.id].milestones.length ? `; milestones ${drafts[k.id].milestones.map((m) => `${m.value} by ${m.date}`).join(', ')}` : ''}
              </li>
            ))}
          </ul>
          <ErrorMessage error={error} />
          <div class="row">
            <button type="button" class="primary" onClick={commit} disabled={busy} aria-busy={busy}>
              {busy ? 'Committing…' : 'Commit'}
            </button>
            <button type="button" class="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      </Dialog>
    </>
  );
}

/** The milestones of a step trajectory: the value due by each date, added and removed in place. */
function Milestones({ kpi, unit, d, set, fe }: { kpi: string; unit?: string; d: KpiDraft; set: (ms: KpiDraft['milestones']) => void; fe: (field: string) => string | undefined }) {
  const ms = d.milestones;
  const put = (j: number, patch: Partial<KpiDraft['milestones'][number]>) => set(ms.map((m, i) => (i === j ? { ...m, ...patch } : m)));
  const add = () => set([...ms, { date: ms.length ? ms[ms.length - 1].date : d.baseline_date, value: '' }]);
  return (
    <div class="span-all milestones" role="group" aria-label={`Milestones of ${kpi}`}>
      <p class="small">
        A step trajectory holds the baseline until the first milestone, then each milestone's value from its date; without milestones it holds the baseline until the target date.
      </p>
      {ms.map((m, j) => (
        <div key={j} class="row milestone" data-milestone={`${kpi}.${j}`}>
          <Field label={`Milestone ${j + 1} date`}>
            {(id, dd) => <input id={id} aria-describedby={dd} type="date" required value={m.date} onInput={(e) => put(j, { date: e.currentTarget.value })} />}
          </Field>
          <Field label={`Milestone ${j + 1} value${unit ? ` (${unit})` : ''}`} error={fe(`milestones[${j}]`)}>
            {(id, dd) => <input id={id} aria-describedby={dd} type="number" step="any" required value={m.value} onInput={(e) => put(j, { value: e.currentTarget.value })} />}
          </Field>
          <button type="button" class="link small" onClick={() => set(ms.filter((_, i) => i !== j))} aria-label={`Remove milestone ${j + 1} of ${kpi}`}>
            Remove
          </button>
        </div>
      ))}
      {fe('milestones') ? (
        <p class="error" role="alert">
          {fe('milestones')}
        </p>
      ) : null}
      <button type="button" class="secondary small" onClick={add}>
        Add a milestone
      </button>
    </div>
  );
}
