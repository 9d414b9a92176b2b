// Data that many screens share, read once per session and cached: accounts, models with their
// versions, users, organisation, and parsed model texts (the structure of a value model:
// capabilities, outcomes, KPIs, inputs, drivers and costs).
import { get, listAll } from './api';
import type { Account, Model, ModelVersion, Organisation, User } from './types';

const cache = new Map<string, Promise<unknown>>();

function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  let p = cache.get(key) as Promise<T> | undefined;
  if (!p) {
    p = load();
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

/** Forgets cached data (all, or the keys starting with `prefix`). */
export function invalidate(prefix?: string): void {
  if (!prefix) cache.clear();
  else for (const k of [...cache.keys()]) if (k.startsWith(prefix)) cache.delete(k);
}

export function accounts(): Promise<Account[]> {
  return cached('accounts', () => listAll<Account>('/accounts'));
}

export function organisation(): Promise<Organisation> {
  return cached('organisation', () => get<Organisation>('/organisation'));
}

export function users(): Promise<User[]> {
  return cached('users', () => listAll<User>('/users'));
}

export interface ModelIndex {
  models: Model[];
  versions: ModelVersion[];
  byId: Map<number, ModelVersion>;
  modelOf: Map<string, Model>;
}

/** Every model with its versions (oldest first), and versions by id. */
export function modelIndex(): Promise<ModelIndex> {
  return cached('models', async () => {
    const models = await listAll<Model>('/models');
    const lists = await Promise.all(models.map((m) => listAll<ModelVersion>(`/models/${encodeURIComponent(m.key)}/versions`)));
    lists.forEach((vs, i) => vs.forEach((v) => (v.model = v.model ?? models[i].key)));
    const versions = lists.flat();
    const byId = new Map(versions.map((v) => [v.id, v] as [number, ModelVersion]));
    const modelOf = new Map(models.map((m) => [m.key, m] as [string, Model]));
    return { models, versions, byId, modelOf };
  });
}

// ---- the model language (docs/model-language.md), as the browser reads a version's text ----

export interface ModelInput {
  id: string;
  name?: string;
  value: number;
  low?: number;
  high?: number;
  unit?: string;
  dist?: string;
  evidence?: string;
  confidence?: string;
}

export interface ModelDoc {
  model: string;
  version: string;
  name?: string;
  description?: string;
  currency: string;
  capabilities: { id: string; name?: string; outcomes: string[] }[];
  outcomes: { id: string; name?: string; kpis: string[] }[];
  kpis: { id: string; name?: string; unit?: string; better?: 'lower' | 'higher' }[];
  inputs: ModelInput[];
  drivers: { id: string; name?: string; description?: string; lever: 'revenue' | 'cost' | 'risk'; outcome?: string; formula?: string; realized?: string }[];
  costs: { id: string; name?: string; formula?: string; once?: string | number }[];
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const n = parseFloat(v.replace(/,/g, ''));
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function list<T>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}

/** Reads a model text (YAML or JSON) into its structure.  The server has validated it. */
export async function parseModel(source: string): Promise<ModelDoc> {
  const yaml = await import('js-yaml');
  const raw = (yaml.load(source) ?? {}) as Record<string, unknown>;
  const inputsRaw = (raw.inputs ?? {}) as Record<string, Record<string, unknown>>;
  const inputs: ModelInput[] = Object.entries(inputsRaw).map(([id, v]) => ({
    id,
    name: typeof v?.name === 'string' ? v.name : undefined,
    value: toNumber(v?.value) ?? 0,
    low: toNumber(v?.low),
    high: toNumber(v?.high),
    unit: typeof v?.unit === 'string' ? v.unit : undefined,
    dist: typeof v?.dist === 'string' ? v.dist : undefined,
    evidence: typeof v?.evidence === 'string' ? v.evidence : undefined,
    confidence: typeof v?.confidence === 'string' ? v.confidence : undefined,
  }));
  return {
    model: String(raw.model ?? ''),
    version: String(raw.version ?? ''),
    name: typeof raw.name === 'string' ? raw.name : undefined,
    description: typeof raw.description === 'string' ? raw.description : undefined,
    currency: String(raw.currency ?? 'USD'),
    capabilities: list<ModelDoc['capabilities'][number]>(raw.capabilities).map((c) => ({ ...c, outcomes: list<string>(c.outcomes) })),
    outcomes: list<ModelDoc['outcomes'][number]>(raw.outcomes).map((o) => ({ ...o, kpis: list<string>(o.kpis) })),
    kpis: list(raw.kpis),
    inputs,
    drivers: list(raw.drivers),
    costs: list(raw.costs),
  };
}

/** The structure of one model version (read with ?source=true and parsed once). */
export function modelDoc(key: string, version: string): Promise<ModelDoc> {
  return cached(`doc:${key}@${version}`, async () => {
    const v = await get<ModelVersion>(`/models/${encodeURIComponent(key)}/versions/${encodeURIComponent(version)}?source=true`);
    return parseModel(v.source ?? '');
  });
}

/** KPI ids a driver's realized formula reads (baseline(k), actual(k), target(k)). */
export function kpisRead(formula: string | undefined): string[] {
  if (!formula) return [];
  const out = new Set<string>();
  for (const m of formula.matchAll(/\b(?:baseline|actual|target)\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)/g)) out.add(m[1]);
  return [...out];
}
