// Business cases: the list the caller sees, and a new hypothesis case on an approved model.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, listAll, qs, request } from '../api';
import { can, useApp } from '../app';
import { accounts, modelIndex } from '../data';
import type { ModelIndex } from '../data';
import { date, words } from '../format';
import { Link, navigate, setQuery, useRoute } from '../router';
import type { Case, CaseItem, Stage } from '../types';
import { Async, Badge, Empty, ErrorMessage, Field, PageHeader, Section, useLoad } from '../ui';

export const STAGES: Stage[] = ['hypothesis', 'committed', 'realizing', 'expanded', 'lost', 'closed'];

export function stageTone(s: Stage): string {
  return s === 'hypothesis' ? 'warn' : s === 'lost' || s === 'closed' ? 'muted' : 'good';
}

export interface CaseRow {
  c: CaseItem;
  account: string;
  model: string;
  version: string;
}

/** Cases with their account's name and model version (the list gives them), for lists; the
 * model's name from the cached models when the caller may read them, else its key. */
export async function caseRows(path: string, withModels: boolean): Promise<CaseRow[]> {
  const [cases, ix] = await Promise.all([listAll<CaseItem>(path), withModels ? modelIndex().catch(() => null) : Promise.resolve(null as ModelIndex | null)]);
  return cases.map((c) => ({ c, account: c.account_name, model: ix?.modelOf.get(c.model)?.name ?? c.model, version: c.version }));
}

export function Cases() {
  const { user } = useApp();
  const { query } = useRoute();
  const stage = query.get('stage') ?? '';
  const accountId = query.get('account') ?? '';
  const rows = useLoad(() => caseRows(`/cases${qs({ stage, account_id: accountId })}`, can(user, 'readModels')), [stage, accountId]);
  const accs = useLoad(() => accounts(), []);
  return (
    <div class="page">
      <PageHeader title="Business cases" sub="Hypotheses built from governed models, commitments, and the value being realized." />
      {can(user, 'createCase') ? <NewCase /> : null}
      <Section title="Cases">
        <div class="row filters">
          <Field label="Stage">
            {(id) => (
              <select id={id} value={stage} onChange={(e) => setQuery({ stage: e.currentTarget.value })}>
                <option value="">Every stage</option>
                {STAGES.map((s) => (
                  <option key={s} value={s}>
                    {words(s)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Account">
            {(id) => (
              <select id={id} value={accountId} onChange={(e) => setQuery({ account: e.currentTarget.value })}>
                <option value="">Every account</option>
                {(accs.data ?? []).map((a) => (
                  <option key={a.id} value={String(a.id)}>
                    {a.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <Async state={rows} label="Loading the cases">
          {(list) =>
            list.length === 0 ? (
              <Empty>No cases match.</Empty>
            ) : (
              <div class="table-wrap">
                <table data-testid="cases">
                  <thead>
                    <tr>
                      <th scope="col">Case</th>
                      <th scope="col">Account</th>
                      <th scope="col">Model</th>
                      <th scope="col">Stage</th>
                      <th scope="col">Updated</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map(({ c, account, model, version }) => (
                      <tr key={c.id}>
                        <td>
                          <Link href={`/cases/${c.id}`}>{c.name}</Link>
                        </td>
                        <td>{account}</td>
                        <td>
                          {model} {version}
                        </td>
                        <td>
                          <Badge tone={stageTone(c.stage)}>{c.stage}</Badge>
                        </td>
                        <td>{date(c.updated_at)}</td>
                      </tr>
                    ))}
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

function NewCase() {
  const accs = useLoad(() => accounts(), []);
  const ix = useLoad(() => modelIndex(), []);
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [accountId, setAccountId] = useState('');
  const [model, setModel] = useState('');
  const [version, setVersion] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const approved = (ix.data?.versions ?? []).filter((v) => v.status === 'approved');
  const models = (ix.data?.models ?? []).filter((m) => approved.some((v) => v.model === m.key));
  const versions = approved.filter((v) => v.model === model);

  useEffect(() => {
    if (versions.length && !versions.some((v) => v.version === version)) setVersion(versions[versions.length - 1].version);
  }, [model, ix.data]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await request<Case>('POST', '/cases', { body: { account_id: Number(accountId), name, model, version: version || null } });
      navigate(`/cases/${r.data.id}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  const fe = (f: string) => (error instanceof ApiError ? error.fieldMessage(f) : undefined);

  if (!open)
    return (
      <div class="toolbar">
        <button type="button" class="primary" onClick={() => setOpen(true)}>
          New business case
        </button>
      </div>
    );
  return (
    <Section title="New business case">
      <form onSubmit={submit} class="stack" aria-label="New business case">
        <div class="grid-2">
          <Field label="Account" error={fe('account_id')}>
            {(id, d) => (
              <select id={id} aria-describedby={d} required value={accountId} onChange={(e) => setAccountId(e.currentTarget.value)}>
                <option value="">Choose an account</option>
                {(accs.data ?? []).map((a) => (
                  <option key={a.id} value={String(a.id)}>
                    {a.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Case name" error={fe('name')}>
            {(id, d) => <input id={id} aria-describedby={d} required maxLength={200} value={name} onInput={(e) => setName(e.currentTarget.value)} />}
          </Field>
          <Field label="Approved model" error={fe('model')}>
            {(id, d) => (
              <select id={id} aria-describedby={d} required value={model} onChange={(e) => setModel(e.currentTarget.value)}>
                <option value="">Choose a model</option>
                {models.map((m) => (
                  <option key={m.key} value={m.key}>
                    {m.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Version" error={fe('version')} hint="Only approved versions can carry a case.">
            {(id, d) => (
              <select id={id} aria-describedby={d} value={version} onChange={(e) => setVersion(e.currentTarget.value)} disabled={!versions.length}>
                {versions.map((v) => (
                  <option key={v.id} value={v.version}>
                    {v.version}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <ErrorMessage error={accs.error || ix.error || error} />
        <div class="row">
          <button type="submit" class="primary" disabled={busy || !accountId || !model || !name.trim()}>
            {busy ? 'Creating…' : 'Create the case'}
          </button>
          <button type="button" class="secondary" onClick={() => setOpen(false)}>
            Cancel
          </button>
        </div>
      </form>
    </Section>
  );
}
