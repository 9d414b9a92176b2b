// The executives' portfolio: committed against realized value across accounts, the realization
// rate, accounts worst first, value by lever, and the open alerts.
import { useMemo } from 'preact/hooks';
import { get } from '../api';
import { can, useApp } from '../app';
import { Chart, COLORS } from '../charts';
import type { ChartOption } from '../charts';
import { money, stamp } from '../format';
import { leversOption } from '../realize';
import type { Portfolio as PortfolioDoc } from '../realize';
import { Link } from '../router';
import { Async, Empty, PageHeader, Section, Stat, useLoad } from '../ui';
import { Alerts, RateBadge } from './Realization';

function accountsOption(p: PortfolioDoc): ChartOption {
  const rows = [...p.accounts].reverse(); // worst first on top
  return {
    grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
    legend: { top: 0, textStyle: { fontSize: 11 } },
    tooltip: { renderMode: 'richText', trigger: 'axis', valueFormatter: (v: unknown) => money(Number(v), p.currency) },
    xAxis: { type: 'value', axisLabel: { formatter: (v: number) => money(v, p.currency, true) } },
    yAxis: { type: 'category', data: rows.map((a) => a.name), axisLabel: { width: 130, overflow: 'truncate' } },
    series: [
      { type: 'bar', name: 'Planned to date', data: rows.map((a) => a.planned_to_date), itemStyle: { color: COLORS.plan } },
      { type: 'bar', name: 'Realized to date', data: rows.map((a) => a.realized_to_date), itemStyle: { color: COLORS.revenue } },
    ],
  } as ChartOption;
}

export function Portfolio() {
  const { user } = useApp();
  const doc = useLoad((signal) => get<PortfolioDoc>('/portfolio', signal), []);
  return (
    <div class="page">
      <PageHeader title="Portfolio" sub="Committed against realized value across every account you see." />
      <Async state={doc} label="Computing the portfolio">
        {(p) => <PortfolioView p={p} canHandle={can(user, 'handleAlerts')} />}
      </Async>
    </div>
  );
}

function PortfolioView({ p, canHandle }: { p: PortfolioDoc; canHandle: boolean }) {
  const cur = p.currency;
  const levers = useMemo(() => leversOption(p.levers, cur), [p]);
  const accounts = useMemo(() => accountsOption(p), [p]);
  return (
    <>
      <p class="muted small">
        As of {stamp(p.as_of)}, over {p.cases} committed case{p.cases === 1 ? '' : 's'}; figures in {cur}.
      </p>
      <div class="stats" aria-label="Portfolio figures">
        <Stat label="Committed value" value={money(p.committed_total, cur)} testId="committed-total" />
        <Stat label="Planned to date" value={money(p.planned_to_date, cur)} />
        <Stat label="Realized to date" value={money(p.realized_to_date, cur)} testId="realized-total" />
        <Stat label="Realization rate" value={p.realization_rate === null ? '—' : `${Math.round(p.realization_rate * 1000) / 10}%`} testId="realization-rate" tone={p.realization_rate !== null && p.realization_rate < 0.9 ? 'bad' : 'good'} />
        <Stat label="Open alerts" value={String(p.open_alerts)} tone={p.open_alerts ? 'bad' : undefined} />
      </div>
      <Section title="Accounts, worst first">
          {p.accounts.length === 0 ? (
            <Empty>No committed case yet.</Empty>
          ) : (
            <div class="table-wrap">
              <table data-testid="portfolio-accounts">
                <thead>
                  <tr>
                    <th scope="col">Account</th>
                    <th scope="col" class="num">
                      Committed
                    </th>
                    <th scope="col" class="num">
                      Planned to date
                    </th>
                    <th scope="col" class="num">
                      Realized to date
                    </th>
                    <th scope="col" class="num">
                      Rate
                    </th>
                    <th scope="col" class="num">
                      Alerts
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {p.accounts.map((a) => (
                    <tr key={a.account_id}>
                      <td>
                        <Link href={`/cases?account=${a.account_id}`}>{a.name}</Link>
                        <div class="muted small">
                          {a.cases} case{a.cases === 1 ? '' : 's'}
                        </div>
                      </td>
                      <td class="num">{money(a.committed_total, cur)}</td>
                      <td class="num">{money(a.planned_to_date, cur)}</td>
                      <td class="num">{money(a.realized_to_date, cur)}</td>
                      <td class="num">
                        <RateBadge rate={a.realization_rate} />
                      </td>
                      <td class="num">{a.open_alerts || ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
      </Section>
      <div class="grid-2">
        <Section title="Planned and realized by account">
          <Chart option={accounts} label={`Planned against realized value to date for ${p.accounts.length} accounts`} size="md" testId="portfolio-chart" />
        </Section>
        <Section title="Value by lever">
          <Chart option={levers} label="Committed, planned and realized value by lever" size="md" />
        </Section>
      </div>
      <Alerts canHandle={canHandle} title="Alerts across accounts" />
      {p.skipped.length ? (
        <Section title="Cases left out">
          <ul>
            {p.skipped.map((s) => (
              <li key={s.case_id}>
                <Link href={`/cases/${s.case_id}`}>Case {s.case_id}</Link>: {s.reason}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
    </>
  );
}
