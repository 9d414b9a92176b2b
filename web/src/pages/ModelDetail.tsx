// One model: its versions (approve, retire), the value tree of a version drawn as a sankey
// (capabilities -> outcomes -> KPIs -> drivers -> levers), its inputs, and the diff of two
// versions with every figure that changes.
import { useMemo, useState } from 'preact/hooks';
import { get, post } from '../api';
import { can, useApp } from '../app';
import { COLORS, Chart } from '../charts';
import type { ChartOption } from '../charts';
import { invalidate, kpisRead, modelDoc, modelIndex } from '../data';
import type { ModelDoc } from '../data';
import { money, months, num, pct, stamp, words } from '../format';
import { Link, setQuery, useRoute } from '../router';
import type { FigureChange, ModelDiff, ModelVersion } from '../types';
import { ActionButton, Async, Badge, Empty, ErrorMessage, Field, Loading, PageHeader, Section, useLoad } from '../ui';
import { statusTone } from './Models';

export function ModelDetail({ modelKey }: { modelKey: string }) {
  const { user } = useApp();
  const { query } = useRoute();
  const index = useLoad(() => modelIndex(), [modelKey]);
  return (
    <div class="page">
      <Async state={index} label="Loading the model">
        {(ix) => {
          const model = ix.modelOf.get(modelKey);
          const versions = ix.versions.filter((v) => v.model === modelKey);
          if (!model) return <ErrorMessage error={new Error(`There is no model '${modelKey}'.`)} />;
          const approved = versions.filter((v) => v.status === 'approved');
          const chosen = versions.find((v) => v.version === query.get('version')) ?? approved[approved.length - 1] ?? versions[versions.length - 1];
          const reload = () => {
            invalidate('models');
            index.reload();
          };
          return (
            <>
              <PageHeader title={model.name} sub={<><code>{model.key}</code>{model.description ? ` — ${model.description}` : ''}</>}>
                <Link href="/models" class="button secondary">
                  All models
                </Link>
              </PageHeader>
              <Versions versions={versions} chosen={chosen} canApprove={can(user, 'approveModel')} onChanged={reload} />
              {chosen ? <VersionView version={chosen} /> : <Empty>This model has no version.</Empty>}
              {versions.length > 1 ? <Diff modelKey={modelKey} versions={versions} /> : null}
            </>
          );
        }}
      </Async>
    </div>
  );
}

function Versions({ versions, chosen, canApprove, onChanged }: { versions: ModelVersion[]; chosen?: ModelVersion; canApprove: boolean; onChanged: () => void }) {
  return (
    <Section title="Versions">
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Status</th>
              <th scope="col">Imported</th>
              <th scope="col">Approved</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.id} class={chosen?.id === v.id ? 'selected' : undefined} aria-current={chosen?.id === v.id ? 'true' : undefined}>
                <td>
                  <button type="button" class="link" onClick={() => setQuery({ version: v.version })}>
                    {v.version}
                  </button>
                </td>
                <td>
                  <Badge tone={statusTone(v.status)}>{v.status}</Badge>
                </td>
                <td>{stamp(v.created_at)}</td>
                <td>{v.approved_at ? stamp(v.approved_at) : '—'}</td>
                <td class="right">
                  {canApprove && v.status === 'draft' ? (
                    <ActionButton class="primary small" label={`Approve version ${v.version}`} onAction={async () => {
                      await post(`/models/${encodeURIComponent(v.model)}/versions/${encodeURIComponent(v.version)}/approve`);
                      onChanged();
                    }}>
                      Approve
                    </ActionButton>
                  ) : null}
                  {canApprove && v.status === 'approved' ? (
                    <ActionButton class="secondary small" label={`Retire version ${v.version}`} onAction={async () => {
                      await post(`/models/${encodeURIComponent(v.model)}/versions/${encodeURIComponent(v.version)}/retire`);
                      onChanged();
                    }}>
                      Retire
                    </ActionButton>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Section>
  );
}

/** The sankey of a model's structure.  Link widths count the drivers each path leads to. */
export function valueTreeOption(doc: ModelDoc): ChartOption {
  type Node = { name: string; label: string; depth: number; color: string };
  const nodes = new Map<string, Node>();
  const links = new Map<string, number>();
  const add = (name: string, label: string, depth: number, color: string) => {
    if (!nodes.has(name)) nodes.set(name, { name, label, depth, color });
  };
  const link = (a: string, b: string, w: number) => links.set(`${a}\u0000${b}`, (links.get(`${a}\u0000${b}`) ?? 0) + w);
  const kpiName = new Map(doc.kpis.map((k) => [k.id, k.name ?? k.id]));
  const outcomeOf = new Map(doc.outcomes.map((o) => [o.id, o]));
  const capsOf = (outcome: string) => doc.capabilities.filter((c) => c.outcomes.includes(outcome));
  for (const d of doc.drivers) {
    const lever = `lever:${d.lever}`;
    add(lever, words(d.lever), 4, COLORS[d.lever] ?? COLORS.plan);
    add(`driver:${d.id}`, d.name ?? d.id, 3, '#475569');
    link(`driver:${d.id}`, lever, 1);
    const outcome = d.outcome ? outcomeOf.get(d.outcome) : undefined;
    let kpis = kpisRead(d.realized).filter((k) => kpiName.has(k));
    if (!kpis.length && outcome) kpis = outcome.kpis;
    for (const k of kpis) {
      add(`kpi:${k}`, kpiName.get(k) ?? k, 2, '#0e7490');
      link(`kpi:${k}`, `driver:${d.id}`, 1 / kpis.length);
      const outs = doc.outcomes.filter((o) => o.kpis.includes(k) && (!outcome || o.id === outcome.id));
      for (const o of outs) {
        add(`outcome:${o.id}`, o.name ?? o.id, 1, '#7c3aed');
        link(`outcome:${o.id}`, `kpi:${k}`, 1 / kpis.length / outs.length);
        const caps = capsOf(o.id);
        for (const c of caps) {
          add(`cap:${c.id}`, c.name ?? c.id, 0, '#1e3a8a');
          link(`cap:${c.id}`, `outcome:${o.id}`, 1 / kpis.length / outs.length / caps.length);
        }
      }
    }
  }
  return {
    tooltip: { renderMode: 'richText', formatter: (p: unknown) => {
      const q = p as { dataType?: string; data: { label?: string; source?: string; target?: string } };
      if (q.dataType === 'edge') return `${nodes.get(q.data.source ?? '')?.label} → ${nodes.get(q.data.target ?? '')?.label}`;
      return q.data.label ?? '';
    } },
    series: [
      {
        type: 'sankey',
        left: 8,
        right: 110,
        top: 24,
        bottom: 8,
        nodeGap: 10,
        nodeWidth: 14,
        layoutIterations: 0,
        emphasis: { focus: 'adjacency' },
        label: { formatter: (p: unknown) => (p as { data: { label: string } }).data.label, fontSize: 11, overflow: 'truncate', width: 150 },
        lineStyle: { color: 'gradient', opacity: 0.35 },
        data: [...nodes.values()].map((n) => ({ name: n.name, label: n.label, depth: n.depth, itemStyle: { color: n.color } })),
        links: [...links.entries()].map(([k, v]) => {
          const [source, target] = k.split('\u0000');
          return { source, target, value: v };
        }),
      },
    ],
  } as ChartOption;
}

function VersionView({ version }: { version: ModelVersion }) {
  const doc = useLoad(() => modelDoc(version.model, version.version), [version.model, version.version]);
  const option = useMemo(() => (doc.data ? valueTreeOption(doc.data) : null), [doc.data]);
  return (
    <Async state={doc} label="Reading the model">
      {(d) => (
        <>
          <Section title={`Value tree of ${version.version}`}>
            <p class="legend-line" aria-hidden="true">
              <span>Capabilities</span>
              <span>Outcomes</span>
              <span>KPIs</span>
              <span>Drivers</span>
              <span>Levers</span>
            </p>
            {option ? (
              <Chart option={option} size="xl" testId="value-tree" label={`Value tree of ${d.name ?? d.model} ${d.version}: ${d.capabilities.length} capabilities, ${d.outcomes.length} outcomes, ${d.kpis.length} KPIs, ${d.drivers.length} drivers`} />
            ) : null}
            <div class="grid-3 tree-lists">
              <div>
                <h3>Capabilities and outcomes</h3>
                <ul>
                  {d.capabilities.map((c) => (
                    <li key={c.id}>
                      <strong>{c.name ?? c.id}</strong>
                      <ul>
                        {c.outcomes.map((o) => (
                          <li key={o}>{d.outcomes.find((x) => x.id === o)?.name ?? o}</li>
                        ))}
                      </ul>
                    </li>
                  ))}
                </ul>
              </div>
              <div>
                <h3>KPIs</h3>
                <ul>
                  {d.kpis.map((k) => (
                    <li key={k.id}>
                      {k.name ?? k.id} <span class="muted">({k.unit}, {k.better} is better)</span>
                    </li>
                  ))}
                </ul>
              </div>
              <div>
                <h3>Drivers</h3>
                <ul>
                  {d.drivers.map((dr) => (
                    <li key={dr.id}>
                      <Badge tone={dr.lever}>{dr.lever}</Badge> {dr.name ?? dr.id}
                      <div class="muted small code">{dr.formula}</div>
                    </li>
                  ))}
                </ul>
              </div>
            </div>
          </Section>
          <Section title="Inputs">
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Input</th>
                    <th scope="col" class="num">Value</th>
                    <th scope="col" class="num">Range</th>
                    <th scope="col">Evidence</th>
                    <th scope="col">Confidence</th>
                  </tr>
                </thead>
                <tbody>
                  {d.inputs.map((i) => (
                    <tr key={i.id}>
                      <td>
                        {i.name ?? i.id}
                        <div class="muted small">{i.id}</div>
                      </td>
                      <td class="num">{num(i.value, i.unit)}</td>
                      <td class="num">{i.low !== undefined && i.high !== undefined ? `${num(i.low)} – ${num(i.high)}` : '—'}</td>
                      <td>{i.evidence ?? <span class="badge warn">no evidence</span>}</td>
                      <td>{i.confidence ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Section>
        </>
      )}
    </Async>
  );
}

export function figureText(f: string, v: number | null, currency: string): string {
  if (v === null) return '—';
  if (f === 'irr' || f === 'roi') return pct(v);
  if (f === 'payback_months') return months(v);
  return money(v, currency);
}

/** A change with its sign: money, percentage points (IRR, ROI) or months. */
function changeText(f: string, v: number | null, currency: string): string {
  if (v === null) return '—';
  const sign = v > 0 ? '+' : '';
  if (f === 'irr' || f === 'roi') return `${sign}${num(v * 100)} pts`;
  if (f === 'payback_months') return `${sign}${num(Math.round(v * 10) / 10)} months`;
  return `${sign}${money(v, currency)}`;
}

const FIGURE_NAMES: Record<string, string> = {
  npv: 'NPV',
  irr: 'IRR',
  roi: 'ROI',
  payback_months: 'Payback',
  benefits_total: 'Benefits',
  costs_total: 'Costs',
  revenue: 'Revenue lever',
  cost: 'Cost lever',
  risk: 'Risk lever',
};

export function FigureChanges({ figures, currency }: { figures: FigureChange[]; currency: string }) {
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Scenario</th>
            <th scope="col">Figure</th>
            <th scope="col" class="num">Before</th>
            <th scope="col" class="num">After</th>
            <th scope="col" class="num">Change</th>
          </tr>
        </thead>
        <tbody>
          {figures.map((f, i) => (
            <tr key={i} class={f.change ? 'changed' : undefined}>
              <td>{f.scenario}</td>
              <td>{FIGURE_NAMES[f.figure] ?? words(f.figure)}</td>
              <td class="num">{figureText(f.figure, f.before, currency)}</td>
              <td class="num">{figureText(f.figure, f.after, currency)}</td>
              <td class="num">{changeText(f.figure, f.change, currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Diff({ modelKey, versions }: { modelKey: string; versions: ModelVersion[] }) {
  const [from, setFrom] = useState(versions[versions.length - 2].version);
  const [to, setTo] = useState(versions[versions.length - 1].version);
  const diff = useLoad((signal) => get<ModelDiff>(`/models/${encodeURIComponent(modelKey)}/diff?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, signal), [modelKey, from, to]);
  const doc = useLoad(() => modelDoc(modelKey, to), [modelKey, to]);
  const currency = doc.data?.currency ?? 'USD';
  return (
    <Section title="Compare versions">
      <div class="row">
        <Field label="From">
          {(id) => (
            <select id={id} value={from} onChange={(e) => setFrom(e.currentTarget.value)}>
              {versions.map((v) => (
                <option key={v.id} value={v.version}>
                  {v.version} ({v.status})
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="To">
          {(id) => (
            <select id={id} value={to} onChange={(e) => setTo(e.currentTarget.value)}>
              {versions.map((v) => (
                <option key={v.id} value={v.version}>
                  {v.version} ({v.status})
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {diff.loading && !diff.data ? <Loading label="Comparing" /> : null}
      <ErrorMessage error={diff.error} />
      {diff.data ? (
        <div data-testid="diff">
          <h3>
            Elements ({diff.data.changes.length} change{diff.data.changes.length === 1 ? '' : 's'})
          </h3>
          {diff.data.changes.length === 0 ? (
            <Empty>The two versions define the same elements.</Empty>
          ) : (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Element</th>
                    <th scope="col">Field</th>
                    <th scope="col">Before</th>
                    <th scope="col">After</th>
                  </tr>
                </thead>
                <tbody>
                  {diff.data.changes.map((c, i) => (
                    <tr key={i}>
                      <td>
                        {c.element} <code>{c.id}</code>
                      </td>
                      <td>{c.field}</td>
                      <td class="code">{c.before ?? '—'}</td>
                      <td class="code">{c.after ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h3>Figures computed from each version's own inputs</h3>
          <FigureChanges figures={diff.data.figures.filter((f) => f.change !== 0)} currency={currency} />
          <p class="muted small">Figures that do not change are not listed.</p>
        </div>
      ) : null}
    </Section>
  );
}
