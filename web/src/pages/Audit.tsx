// Audit: the history of an entity from the tamper-evident audit log, and the verification of
// the whole chain.
import { useState } from 'preact/hooks';
import { get, listAll, qs } from '../api';
import { stamp } from '../format';
import { setQuery, useRoute } from '../router';
import type { AuditRecord, AuditReport } from '../types';
import { Async, Badge, Empty, Field, PageHeader, Section, useLoad } from '../ui';

const ENTITY_TYPES = ['case', 'commitment', 'model', 'model_version', 'account', 'user', 'measurement_ingestion', 'alert', 'proof_point', 'benchmark', 'organisation', 'api_token', 'assessment', 'webhook'];

/** The fields whose value differs between two recorded states. */
function changedFields(r: AuditRecord): { field: string; before: unknown; after: unknown }[] {
  const b = r.before ?? {};
  const a = r.after ?? {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => k !== 'updated_at' && k !== 'revision');
  return keys.filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k])).map((k) => ({ field: k, before: b[k], after: a[k] }));
}

function show(v: unknown): string {
  if (v === undefined) return '—';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

export function Audit() {
  const { query } = useRoute();
  const entity = query.get('entity') ?? '';
  const [type, id] = entity.includes(':') ? entity.split(':') : ['', ''];
  const [draftType, setDraftType] = useState(type || 'case');
  const [draftId, setDraftId] = useState(id || '');
  const verify = useLoad((signal) => get<AuditReport>('/audit/verify', signal), []);
  const records = useLoad((signal) => (type && id ? listAll<AuditRecord>(`/audit${qs({ entity_type: type, entity_id: id })}`, 2000, signal) : listAll<AuditRecord>('/audit', 20000, signal)), [type, id]);

  const submit = (e: Event) => {
    e.preventDefault();
    setQuery({ entity: draftId ? `${draftType}:${draftId}` : null });
  };

  return (
    <div class="page">
      <PageHeader title="Audit" sub="Every change is an audit record chained by SHA-256: who, when, what, before and after." />
      <Section title="Chain verification" actions={<button type="button" class="secondary small" onClick={verify.reload}>Verify again</button>}>
        <Async state={verify} label="Verifying the audit chain">
          {(v) => (
            <div class={`verify ${v.ok ? 'ok' : 'bad'}`} role="status" data-testid="verify">
              {v.ok ? (
                <p>
                  <Badge tone="good">verified</Badge> The chain of {v.records} records is intact. Head <code>{v.head_hash.slice(0, 16)}…</code>
                </p>
              ) : (
                <p>
                  <Badge tone="bad">{v.problem ?? 'broken'}</Badge> {v.message} {v.seq ? `(record ${v.seq})` : ''}
                </p>
              )}
            </div>
          )}
        </Async>
      </Section>
      <Section title={type && id ? `History of ${type} ${id}` : 'Latest records'}>
        <form class="row filters" onSubmit={submit} aria-label="Choose an entity">
          <Field label="Entity type">
            {(fid) => (
              <select id={fid} value={draftType} onChange={(e) => setDraftType(e.currentTarget.value)}>
                {ENTITY_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Id">
            {(fid) => <input id={fid} inputMode="numeric" pattern="[0-9]*" value={draftId} onInput={(e) => setDraftId(e.currentTarget.value)} />}
          </Field>
          <button type="submit" class="primary">
            Show history
          </button>
        </form>
        <Async state={records} label="Reading the audit log">
          {(list) => {
            const shown = type && id ? list : list.slice(-50).reverse();
            return shown.length === 0 ? (
              <Empty>No record.</Empty>
            ) : (
              <ol class="audit" data-testid="audit-records">
                {shown.map((r) => {
                  const changes = changedFields(r);
                  return (
                    <li key={r.seq}>
                      <div class="audit-head">
                        <span class="muted">#{r.seq}</span> <strong>{r.operation}</strong> {r.entity_type} {r.entity_id} <span class="muted">by {r.actor}, {stamp(r.at)}</span>
                      </div>
                      {changes.length ? (
                        <details>
                          <summary>
                            {changes.length} field{changes.length === 1 ? '' : 's'} {r.before ? 'changed' : 'set'}
                          </summary>
                          <table class="compact">
                            <thead>
                              <tr>
                                <th scope="col">Field</th>
                                <th scope="col">Before</th>
                                <th scope="col">After</th>
                              </tr>
                            </thead>
                            <tbody>
                              {changes.map((c) => (
                                <tr key={c.field}>
                                  <td>{c.field}</td>
                                  <td class="code">{show(c.before)}</td>
                                  <td class="code">{show(c.after)}</td>
                                </tr>
                              ))}
                            </tbody>
                          </table>
                        </details>
                      ) : null}
                      <div class="muted small code">hash {r.hash.slice(0, 16)}… ← {r.prev_hash.slice(0, 16)}…</div>
                    </li>
                  );
                })}
              </ol>
            );
          }}
        </Async>
      </Section>
    </div>
  );
}
