// The value fabric: every model with its versions; value engineers import a model text as a
// draft version.
import { useState } from 'preact/hooks';
import { ApiError, request } from '../api';
import type { ProblemField } from '../api';
import { can, useApp } from '../app';
import { invalidate, modelIndex } from '../data';
import { date } from '../format';
import { Link, navigate } from '../router';
import type { ModelVersion } from '../types';
import { Async, Badge, Empty, ErrorMessage, Field, PageHeader, Section, useLoad } from '../ui';

export function statusTone(s: ModelVersion['status']): string {
  return s === 'approved' ? 'good' : s === 'draft' ? 'warn' : 'muted';
}

export function Models() {
  const { user } = useApp();
  const index = useLoad(() => modelIndex(), []);
  return (
    <div class="page">
      <PageHeader title="Value fabric" sub="Governed value models: capabilities, outcomes, KPIs, drivers and levers, versioned and approved." />
      <Section title="Models">
        <Async state={index} label="Loading the models">
          {(ix) =>
            ix.models.length === 0 ? (
              <Empty>No models yet.</Empty>
            ) : (
              <div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Model</th>
                      <th scope="col">Versions</th>
                      <th scope="col">Updated</th>
                    </tr>
                  </thead>
                  <tbody>
                    {ix.models.map((m) => (
                      <tr key={m.key}>
                        <td>
                          <Link href={`/models/${encodeURIComponent(m.key)}`}>{m.name}</Link>
                          <div class="muted small">{m.key}</div>
                        </td>
                        <td>
                          {ix.versions
                            .filter((v) => v.model === m.key)
                            .map((v) => (
                              <Badge key={v.id} tone={statusTone(v.status)}>
                                {v.version} {v.status}
                              </Badge>
                            ))}
                        </td>
                        <td>{date(m.updated_at)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </Async>
      </Section>
      {can(user, 'importModel') ? <ImportModel onImported={index.reload} /> : null}
    </div>
  );
}

/** Imports a model text (YAML or JSON) as a draft version; 422 lists every problem. */
export function ImportModel({ onImported, initial = '' }: { onImported: () => void; initial?: string }) {
  const [text, setText] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const problems: ProblemField[] = error instanceof ApiError ? error.errors.filter((e) => e.line) : [];

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const type = text.trimStart().startsWith('{') ? 'application/json' : 'application/yaml';
      const r = await request<ModelVersion>('POST', '/models', { text: { body: text, type } });
      invalidate('models');
      onImported();
      navigate(`/models/${encodeURIComponent(r.data.model)}?version=${encodeURIComponent(r.data.version)}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const onFile = async (e: Event) => {
    const f = (e.currentTarget as HTMLInputElement).files?.[0];
    if (f) setText(await f.text());
  };

  return (
    <Section title="Import a model version">
      <form onSubmit={submit} class="stack">
        <p class="muted">
          A model text in the VOS model language becomes a <strong>draft</strong> version; approve it to make it available to business cases. Importing the same text again changes nothing.
        </p>
        <Field label="Model file">{(id) => <input id={id} type="file" accept=".yaml,.yml,.json,text/yaml,application/json" onChange={onFile} />}</Field>
        <Field label="Model text (YAML or JSON)" error={problems.length ? `${problems.length} problem(s): see the list below` : null}>
          {(id, d) => <textarea id={id} aria-describedby={d} rows={12} spellcheck={false} class="code" value={text} onInput={(e) => setText(e.currentTarget.value)} />}
        </Field>
        {problems.length ? (
          <ul class="problems" aria-label="Problems of the model text">
            {problems.map((p, i) => (
              <li key={i}>
                <span class={`badge ${p.severity === 'error' ? 'bad' : 'warn'}`}>{p.severity ?? 'error'}</span> line {p.line}, column {p.column}: {p.message}
              </li>
            ))}
          </ul>
        ) : null}
        <ErrorMessage error={problems.length ? null : error} />
        {problems.length && error instanceof ApiError ? <p class="error" role="alert">{error.detail}</p> : null}
        <div>
          <button type="submit" class="primary" disabled={busy || !text.trim()}>
            {busy ? 'Importing…' : 'Import as draft'}
          </button>
        </div>
      </form>
    </Section>
  );
}
