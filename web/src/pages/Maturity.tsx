// Maturity: self-assessments against the Ecosystems' Value Blueprint, drawn as a radar of the
// dimensions (this assessment, the one before, the target), the scores by pillar, the roadmap,
// and a new assessment.
import { useMemo, useState } from 'preact/hooks';
import { ApiError, get, listAll, request } from '../api';
import { can, useApp } from '../app';
import { Chart } from '../charts';
import type { ChartOption } from '../charts';
import { date, isoDay } from '../format';
import { setQuery, useRoute } from '../router';
import { Async, Badge, Empty, ErrorMessage, Field, PageHeader, Section, Stat, useLoad } from '../ui';

interface Blueprint {
  id: string;
  version: string;
  source: string;
  stages: { number: number; numeral: string; key: string; name: string; tagline: string; equation: string }[];
  pillars: { key: string; name: string; dimensions: { key: string; name: string; stages: string[] }[] }[];
}

interface Score {
  median: number;
  mean: number;
  stage: number;
  stage_name: string;
  min: number;
  max: number;
  spread: number;
  weakest: string[];
}

interface Assessment {
  id: number;
  created_at: string;
  taken_at: string;
  taken_by: number | null;
  assessor: string | null;
  target_stage: number;
  notes: string | null;
  scores: { overall: Score; pillars: (Score & { key: string; name: string })[] };
  answers?: { dimension: string; name: string; pillar: string; stage: number; stage_name: string; description: string; evidence: string | null }[];
}

interface Roadmap {
  assessment_id: number;
  target: number;
  items: { dimension: string; name: string; pillar: string; current: number; next: number; gap: number; actions?: string[]; quarter?: string }[];
}

function radarOption(bp: Blueprint, a: Assessment, before: Assessment | undefined): ChartOption {
  const dims = bp.pillars.flatMap((p) => p.dimensions);
  const stageOf = (x: Assessment | undefined) => dims.map((d) => x?.answers?.find((q) => q.dimension === d.key)?.stage ?? 0);
  const series = [
    { name: `Assessment of ${date(a.taken_at)}`, value: stageOf(a), areaStyle: { color: 'rgba(29,78,216,0.25)' }, lineStyle: { color: '#1d4ed8' }, itemStyle: { color: '#1d4ed8' } },
    { name: `Target (stage ${a.target_stage})`, value: dims.map(() => a.target_stage), lineStyle: { color: '#15803d', type: 'dashed' as const }, itemStyle: { color: '#15803d' }, symbol: 'none' },
  ];
  if (before) series.push({ name: `Before (${date(before.taken_at)})`, value: stageOf(before), lineStyle: { color: '#94a3b8' }, itemStyle: { color: '#94a3b8' } } as (typeof series)[number]);
  return {
    legend: { bottom: 0, textStyle: { fontSize: 11 } },
    tooltip: { renderMode: 'richText', trigger: 'item' },
    radar: {
      indicator: dims.map((d) => ({ name: d.name.length > 28 ? `${d.name.slice(0, 26)}…` : d.name, max: 5, min: 0 })),
      radius: '56%',
      center: ['50%', '48%'],
      splitNumber: 5,
      axisName: { fontSize: 10, color: '#334155' },
    },
    series: [{ type: 'radar', data: series }],
  } as ChartOption;
}

export function Maturity() {
  const { user } = useApp();
  const { query } = useRoute();
  const [tick, setTick] = useState(0);
  const data = useLoad(async (signal) => {
    const [bp, list] = await Promise.all([get<Blueprint>('/maturity/blueprint', signal), listAll<Assessment>('/assessments', 1000, signal)]);
    return { bp, list: [...list].sort((x, y) => x.taken_at.localeCompare(y.taken_at) || x.id - y.id) };
  }, [tick]);
  const chosenId = Number(query.get('assessment') ?? 0);
  return (
    <div class="page">
      <PageHeader title="Value maturity" sub="Self-assessments against the Ecosystems' Value Blueprint: where the organisation stands, and what to do next." />
      <Async state={data} label="Loading the assessments">
        {({ bp, list }) => {
          const chosen = list.find((a) => a.id === chosenId) ?? list[list.length - 1];
          const before = chosen ? list[list.indexOf(chosen) - 1] : undefined;
          return (
            <>
              {chosen ? <AssessmentView bp={bp} id={chosen.id} before={before?.id} /> : <Empty>No assessment yet.</Empty>}
              {list.length > 1 ? (
                <Section title="History">
                  <ol class="history">
                    {[...list].reverse().map((a) => (
                      <li key={a.id}>
                        <button type="button" class="link" aria-current={a.id === chosen?.id ? 'true' : undefined} onClick={() => setQuery({ assessment: String(a.id) })}>
                          {date(a.taken_at)}
                        </button>{' '}
                        stage {a.scores.overall.stage_name} (mean {a.scores.overall.mean.toFixed(1)}) {a.notes ? <span class="muted">— {a.notes}</span> : null}
                      </li>
                    ))}
                  </ol>
                </Section>
              ) : null}
              {can(user, 'takeAssessment') ? <TakeAssessment bp={bp} previous={chosen} onTaken={() => setTick((t) => t + 1)} /> : null}
            </>
          );
        }}
      </Async>
    </div>
  );
}

function AssessmentView({ bp, id, before }: { bp: Blueprint; id: number; before?: number }) {
  const a = useLoad(async (signal) => {
    const [cur, prev, roadmap] = await Promise.all([
      get<Assessment>(`/assessments/${id}`, signal),
      before ? get<Assessment>(`/assessments/${before}`, signal) : Promise.resolve(undefined),
      get<Roadmap>(`/assessments/${id}/roadmap`, signal).catch(() => null),
    ]);
    return { cur, prev, roadmap };
  }, [id, before]);
  const option = useMemo(() => (a.data ? radarOption(bp, a.data.cur, a.data.prev) : null), [a.data, bp]);
  return (
    <Async state={a} label="Loading the assessment">
      {({ cur, roadmap }) => (
        <>
          <div class="stats">
            <Stat label="Overall stage" value={cur.scores.overall.stage_name} testId="maturity-stage" />
            <Stat label="Mean" value={cur.scores.overall.mean.toFixed(2)} hint={`median ${cur.scores.overall.median}`} />
            <Stat label="Target" value={`Stage ${cur.target_stage}`} />
            <Stat label="Taken" value={date(cur.taken_at)} hint={cur.assessor ?? undefined} />
          </div>
          <div class="grid-2">
            <Section title="Dimensions" actions={<a class="button secondary small" href={`/api/v1/assessments/${cur.id}/report`} target="_blank" rel="noopener">Report</a>}>
              {option ? <Chart option={option} size="xl" label={`Radar of the ${cur.answers?.length ?? 0} dimensions: overall stage ${cur.scores.overall.stage_name}`} testId="radar" /> : null}
            </Section>
            <Section title="Pillars">
              <div class="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Pillar</th>
                      <th scope="col">Stage</th>
                      <th scope="col" class="num">
                        Mean
                      </th>
                      <th scope="col">Weakest</th>
                    </tr>
                  </thead>
                  <tbody>
                    {cur.scores.pillars.map((p) => (
                      <tr key={p.key}>
                        <td>{p.name}</td>
                        <td>{p.stage_name}</td>
                        <td class="num">{p.mean.toFixed(2)}</td>
                        <td class="small">{p.weakest.map((w) => bp.pillars.flatMap((x) => x.dimensions).find((d) => d.key === w)?.name ?? w).join(', ')}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {roadmap && roadmap.items.length ? (
                <>
                  <h3>Roadmap to stage {roadmap.target}</h3>
                  <ol class="roadmap">
                    {roadmap.items.map((r) => (
                      <li key={r.dimension}>
                        <strong>{r.name}</strong>: stage {r.current} → {r.next} <span class="muted">(gap {r.gap})</span>
                      </li>
                    ))}
                  </ol>
                </>
              ) : null}
            </Section>
          </div>
        </>
      )}
    </Async>
  );
}

function TakeAssessment({ bp, previous, onTaken }: { bp: Blueprint; previous?: Assessment; onTaken: () => void }) {
  const [open, setOpen] = useState(false);
  const [answers, setAnswers] = useState<Record<string, number>>({});
  const [evidence, setEvidence] = useState<Record<string, string>>({});
  const [target, setTarget] = useState('');
  const [notes, setNotes] = useState('');
  const [takenAt, setTakenAt] = useState(isoDay());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const dims = bp.pillars.flatMap((p) => p.dimensions);
  const missing = dims.filter((d) => !answers[d.key]);

  const start = () => {
    const prev: Record<string, number> = {};
    for (const q of previous?.answers ?? []) prev[q.dimension] = q.stage;
    setAnswers(prev);
    setOpen(true);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await request('POST', '/assessments', {
        body: {
          taken_at: takenAt,
          target_stage: target ? Number(target) : null,
          notes: notes.trim() || null,
          answers: dims.map((d) => ({ dimension: d.key, stage: answers[d.key], evidence: evidence[d.key]?.trim() || null })),
        },
      });
      setOpen(false);
      setQuery({ assessment: null });
      onTaken();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const fe = (i: number, f: string) => (error instanceof ApiError ? error.fieldMessage(`answers[${i}].${f}`) ?? error.fieldMessage(`answers[${i}]`) : undefined);

  if (!open)
    return (
      <div class="toolbar">
        <button type="button" class="primary" onClick={start}>
          Take a new assessment
        </button>
      </div>
    );
  return (
    <Section title="New assessment">
      <form onSubmit={submit} class="stack" aria-label="New assessment">
        <div class="grid-3">
          <Field label="Date">{(id) => <input id={id} type="date" value={takenAt} max={isoDay()} onInput={(e) => setTakenAt(e.currentTarget.value)} />}</Field>
          <Field label="Target stage" hint="Default: one above the overall stage">
            {(id, d) => (
              <select id={id} aria-describedby={d} value={target} onChange={(e) => setTarget(e.currentTarget.value)}>
                <option value="">Default</option>
                {bp.stages.map((s) => (
                  <option key={s.number} value={String(s.number)}>
                    {s.numeral} {s.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Notes">{(id) => <input id={id} maxLength={500} value={notes} onInput={(e) => setNotes(e.currentTarget.value)} />}</Field>
        </div>
        {bp.pillars.map((p) => (
          <div key={p.key}>
            <h3>{p.name}</h3>
            {p.dimensions.map((d) => {
              const i = dims.indexOf(d);
              const err = fe(i, 'stage');
              return (
                <fieldset key={d.key} class="dimension">
                  <legend>{d.name}</legend>
                  <div class="stage-options">
                    {d.stages.map((text, s) => (
                      <label key={s} class={answers[d.key] === s + 1 ? 'on' : undefined}>
                        <input type="radio" name={`dim-${d.key}`} value={String(s + 1)} checked={answers[d.key] === s + 1} onChange={() => setAnswers({ ...answers, [d.key]: s + 1 })} />
                        <span>
                          <strong>{bp.stages[s]?.numeral}</strong> {text}
                        </span>
                      </label>
                    ))}
                  </div>
                  <Field label="Evidence (optional)" error={err}>
                    {(id, dd) => <input id={id} aria-describedby={dd} maxLength={500} value={evidence[d.key] ?? ''} onInput={(e) => setEvidence({ ...evidence, [d.key]: e.currentTarget.value })} />}
                  </Field>
                </fieldset>
              );
            })}
          </div>
        ))}
        <ErrorMessage error={error} />
        <div class="row">
          <button type="submit" class="primary" disabled={busy || missing.length > 0}>
            {busy ? 'Saving…' : 'Save the assessment'}
          </button>
          <button type="button" class="secondary" onClick={() => setOpen(false)}>
            Cancel
          </button>
          {missing.length ? <Badge tone="warn">{missing.length} dimension(s) unanswered</Badge> : null}
        </div>
      </form>
    </Section>
  );
}
