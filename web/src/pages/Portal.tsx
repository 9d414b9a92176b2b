// The customer portal: a customer sees only their own account (the server scopes every
// request): the value delivered, the KPIs, proof points and reports.
import { useState } from 'preact/hooks';
import { get, listAll } from '../api';
import { useApp } from '../app';
import { money, num, pct, stamp } from '../format';
import type { Portfolio, Realization } from '../realize';
import type { Account, Case, CaseFigures, ProofPoint } from '../types';
import { Async, Badge, Empty, ErrorMessage, PageHeader, Section, Stat, useLoad } from '../ui';
import { RealizationView } from './Realization';

interface PortalData {
  account?: Account;
  cases: Case[];
  portfolio: Portfolio | null;
  proofs: ProofPoint[];
}

async function load(routes: Set<string>): Promise<PortalData> {
  const [accs, cases, portfolio, proofs] = await Promise.all([
    listAll<Account>('/accounts'),
    listAll<Case>('/cases'),
    routes.has('/portfolio') ? get<Portfolio>('/portfolio') : Promise.resolve(null),
    listAll<ProofPoint>('/proof-points'),
  ]);
  return { account: accs[0], cases, portfolio, proofs };
}

export function Portal() {
  const { user, routes } = useApp();
  const data = useLoad(() => load(routes), []);
  return (
    <div class="page">
      <Async state={data} label="Loading your account">
        {(d) => (
          <>
            <PageHeader title={d.account ? d.account.name : 'Your account'} sub={`The value delivered to ${d.account?.name ?? 'your organisation'}, proven by your own measurements. Signed in as ${user.email}.`} />
            {d.portfolio ? (
              <div class="stats" aria-label="Value delivered">
                <Stat label="Value committed" value={money(d.portfolio.committed_total, d.portfolio.currency)} />
                <Stat label="Planned to date" value={money(d.portfolio.planned_to_date, d.portfolio.currency)} />
                <Stat label="Value delivered to date" value={money(d.portfolio.realized_to_date, d.portfolio.currency)} testId="delivered" />
                <Stat label="Of plan" value={pct(d.portfolio.realization_rate)} />
              </div>
            ) : null}
            {d.cases.length === 0 ? <Empty>There is no business case for your account yet.</Empty> : null}
            {d.cases.map((c) => (
              <PortalCase key={c.id} c={c} />
            ))}
            <Section title="Proof points">
              {d.proofs.length === 0 ? (
                <Empty>No proof point yet.</Empty>
              ) : (
                <ul class="proofs" data-testid="proof-points">
                  {d.proofs.map((p) => (
                    <li key={p.id}>
                      <strong>{p.title}</strong> <Badge tone={p.status === 'published' ? 'good' : 'muted'}>{p.status}</Badge>
                      {p.statement ? <p>{p.statement}</p> : null}
                      <div class="muted small">
                        {p.value !== null ? `${num(p.value, p.unit)} · ` : ''}
                        {p.evidence ?? ''} · {stamp(p.updated_at)}
                      </div>
                    </li>
                  ))}
                </ul>
              )}
            </Section>
            <Section title="Reports">
              {d.cases.filter((c) => c.stage !== 'hypothesis' && c.stage !== 'lost').length === 0 ? (
                <Empty>Reports appear once a case is committed.</Empty>
              ) : (
                <ul>
                  {d.cases
                    .filter((c) => c.stage !== 'hypothesis' && c.stage !== 'lost')
                    .map((c) => (
                      <li key={c.id}>
                        <a href={`/api/v1/cases/${c.id}/success-plan?format=html`} target="_blank" rel="noopener">
                          Success plan: {c.name}
                        </a>
                      </li>
                    ))}
                </ul>
              )}
            </Section>
          </>
        )}
      </Async>
    </div>
  );
}

function PortalCase({ c }: { c: Case }) {
  const committed = c.stage !== 'hypothesis' && c.stage !== 'lost';
  const [tick, setTick] = useState(0);
  const r = useLoad((signal) => (committed ? get<Realization>(`/cases/${c.id}/realization`, signal) : Promise.resolve(null)), [c.id, tick]);
  const f = useLoad((signal) => (committed ? Promise.resolve(null) : get<CaseFigures>(`/cases/${c.id}/figures`, signal)), [c.id]);
  if (!committed)
    return (
      <Section title={`${c.name} (proposed)`}>
        <ErrorMessage error={f.error} />
        {f.data ? (
          <div class="stats">
            <Stat label="Expected NPV" value={money(f.data.scenarios.expected.npv, f.data.model.currency)} />
            <Stat label="Payback" value={f.data.scenarios.expected.payback_months === null ? '—' : `${Math.round(f.data.scenarios.expected.payback_months)} months`} />
            <Stat label="ROI" value={pct(f.data.scenarios.expected.roi)} />
          </div>
        ) : null}
      </Section>
    );
  return (
    <section class="portal-case" aria-label={c.name}>
      <Async state={r} label={`Computing the value of ${c.name}`}>
        {(doc) => (doc ? <RealizationView r={doc} refresh={() => setTick((t) => t + 1)} loading={r.loading} portal /> : null)}
      </Async>
    </section>
  );
}
