// The documents of the VOS API (docs/api-resources.md, /api/v1/openapi.json).

export type Role = 'admin' | 'value_engineer' | 'seller' | 'csm' | 'executive' | 'customer' | 'partner';
export type Lever = 'revenue' | 'cost' | 'risk';
export type ScenarioName = 'conservative' | 'expected' | 'optimistic';
export const SCENARIOS: ScenarioName[] = ['conservative', 'expected', 'optimistic'];
export const LEVERS: Lever[] = ['revenue', 'cost', 'risk'];

export interface Row {
  id: number;
  revision: number;
  created_at: string;
  updated_at: string;
}

export interface SessionUser {
  id: number;
  email: string;
  name: string;
  role: Role;
  account_id: number | null;
}

export interface Session {
  user: SessionUser;
  csrf_token: string | null;
  auth?: 'session' | 'token';
  expires_at?: string;
}

export interface User extends Row {
  email: string;
  name: string;
  role: Role;
  account_id: number | null;
  active: boolean;
}

export interface Organisation extends Row {
  name: string;
  currency: string;
  fiscal_year_start: number;
  default_tolerance: number;
  stale_after_days: number;
  customer_measurements: boolean;
}

export interface Account extends Row {
  name: string;
  industry: string | null;
  size: 'smb' | 'mid_market' | 'enterprise' | null;
  segments: string[];
  owner_user_id: number | null;
}

export interface Model extends Row {
  key: string;
  name: string;
  description: string | null;
}

export interface ModelVersion extends Row {
  model_id: number;
  version: string;
  status: 'draft' | 'approved' | 'retired';
  source?: string;
  content_sha256: string;
  created_by: number | null;
  approved_by: number | null;
  approved_at: string | null;
  retired_at: string | null;
  model: string;
}

export interface ElementChange {
  element: string;
  id: string;
  field: string;
  before: string | null;
  after: string | null;
}

export interface FigureChange {
  scenario: ScenarioName;
  figure: string;
  before: number | null;
  after: number | null;
  change: number | null;
}

export interface ModelDiff {
  model: string;
  from: string;
  to: string;
  changes: ElementChange[];
  figures: FigureChange[];
}

export type Confidence = 'low' | 'medium' | 'high';

export interface InputOverride {
  value?: number | null;
  low?: number | null;
  high?: number | null;
  evidence?: string | null;
  confidence?: Confidence | null;
}

export type Stage = 'hypothesis' | 'committed' | 'realizing' | 'expanded' | 'lost' | 'closed';

export interface Case extends Row {
  account_id: number;
  model_version_id: number;
  name: string;
  stage: Stage;
  overrides: Record<string, InputOverride>;
  owner_user_id: number | null;
  parent_case_id: number | null;
}

/** A case of GET /cases: the case and the names a list shows. */
export interface CaseItem extends Case {
  account_name: string;
  model: string;
  version: string;
}

export interface ModelSummary {
  id: string;
  version: string;
  name: string;
  currency: string;
  horizon_years: number;
  period: 'month' | 'year';
  discount_rate: number;
}

export interface CashFlow {
  drivers: Record<string, { lever: Lever; value_per_period: number | null; total: number; periods: (number | null)[] }>;
  costs: Record<string, { total: number; periods: (number | null)[] }>;
  total_benefits: (number | null)[];
  total_costs: (number | null)[];
  net: (number | null)[];
  cumulative: (number | null)[];
}

export interface ScenarioResult {
  npv: number;
  irr: number | null;
  payback_months: number | null;
  roi: number | null;
  benefits_total: number;
  costs_total: number;
  net_total: number;
  levers: Record<Lever, number>;
  inputs: Record<string, { value: number; end: 'value' | 'low' | 'high' }>;
  cash_flow?: CashFlow;
}

export interface PolicyWarning {
  code: string;
  element: 'input' | 'driver' | 'capability' | 'outcome' | 'kpi';
  id: string;
  message: string;
}

export interface CaseFigures {
  model: ModelSummary;
  scenario: ScenarioName;
  scenarios: Record<ScenarioName, ScenarioResult>;
  warnings?: PolicyWarning[];
}

export interface SimulationStats {
  mean: number;
  sd: number;
  min: number;
  max: number;
  p10: number;
  p50: number;
  p90: number;
}

export interface Simulation {
  iterations: number;
  seed: number;
  npv: SimulationStats;
  roi: SimulationStats;
  p_npv_positive: number;
  histogram: { min: number; max: number; counts: number[] };
}

export interface TornadoBar {
  input: string;
  low: number;
  high: number;
  npv_low: number;
  npv_high: number;
  swing: number;
}

export interface Tornado {
  scenario: ScenarioName;
  npv: number;
  bars: TornadoBar[];
}

export interface Explanation {
  model: ModelSummary;
  scenario: ScenarioName;
  figure: string;
  value: number | null;
  unit: string;
  formula: string;
  terms: { label: string; value: number | null; unit: string; detail: string | null }[];
}

export type Trajectory = 'linear' | 's_curve' | 'step';

export interface CommitmentKpi {
  kpi_key: string;
  unit?: string | null;
  baseline_value: number;
  baseline_date: string;
  target_value: number;
  target_date: string;
  trajectory: Trajectory;
  tolerance?: number | null;
  owner_user_id?: number | null;
  data_source?: string | null;
  milestones?: Milestone[];
}

export interface Milestone {
  date: string;
  value: number;
}

export interface Commitment {
  id: number;
  created_at: string;
  case_id: number;
  snapshot: {
    account?: string;
    model?: { key: string; version: string; currency: string };
    committed_at?: string;
    committed_by?: string;
    scenarios?: Record<ScenarioName, { npv: number; irr: number | null; payback_months: number | null; roi: number | null; benefits_total: number; costs_total: number }>;
    kpis?: { kpi: string; name: string; unit: string; better: 'lower' | 'higher' }[];
  };
  snapshot_sha256: string;
  committed_by: number | null;
  kpis: CommitmentKpi[];
}

export interface Measurement {
  id: number;
  ingestion_id: number | null;
  account_id: number;
  kpi_key: string;
  at: string;
  value: number;
  source: string;
}

export interface Alert extends Row {
  account_id: number;
  case_id: number | null;
  kpi_key: string | null;
  kind: string;
  severity: 'info' | 'warning' | 'critical';
  status: 'open' | 'acknowledged' | 'resolved';
  message: string;
  resolved_at: string | null;
}

export interface ProofPoint extends Row {
  account_id: number;
  case_id: number | null;
  kpi_key: string | null;
  title: string;
  statement: string | null;
  value: number | null;
  unit: string | null;
  evidence: string | null;
  status: 'draft' | 'validated' | 'published';
}

export interface AuditRecord {
  seq: number;
  at: string;
  actor: string;
  operation: string;
  entity_type: string;
  entity_id: number;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  prev_hash: string;
  hash: string;
}

export interface AuditReport {
  ok: boolean;
  records: number;
  head_hash: string;
  problem?: string;
  seq?: number;
  entity_type?: string;
  entity_id?: number;
  message?: string;
}
