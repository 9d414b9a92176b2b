// The lineage of one figure (GET /cases/{id}/explain): its formula, and every term back to the
// inputs and their evidence.
import { get, qs } from './api';
import { money, num, pct } from './format';
import type { Explanation, ScenarioName } from './types';
import { Async, Dialog, useLoad } from './ui';

export interface LineageTarget {
  target: string;
  scenario: ScenarioName;
  label?: string;
}

function valueText(value: number | null, unit: string, currency: string): string {
  if (value === null) return 'not defined';
  if (unit === currency) return money(value, currency);
  if (unit === '1' || unit === 'fraction' || unit === 'ratio') return pct(value);
  return num(value, unit);
}

export function Lineage({ caseId, what, onClose }: { caseId: number; what: LineageTarget | null; onClose: () => void }) {
  return (
    <Dialog open={!!what} title={what ? `How ${what.label ?? what.target} is computed` : 'Lineage'} onClose={onClose} wide>
      {what ? <LineageBody caseId={caseId} what={what} /> : null}
    </Dialog>
  );
}

function LineageBody({ caseId, what }: { caseId: number; what: LineageTarget }) {
  const ex = useLoad((signal) => get<Explanation>(`/cases/${caseId}/explain${qs({ target: what.target, scenario: what.scenario })}`, signal), [caseId, what.target, what.scenario]);
  return (
    <Async state={ex} label="Tracing the figure">
      {(e) => (
        <div class="lineage" data-testid="lineage">
          <p class="lineage-value">
            <span class="muted">{e.figure}</span>
            <strong>{valueText(e.value, e.unit, e.model.currency)}</strong>
            <span class="muted">
              {e.scenario} scenario · {e.model.name} {e.model.version}
            </span>
          </p>
          <p>
            <span class="muted">Formula: </span>
            <code class="formula">{e.formula}</code>
          </p>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Term</th>
                  <th scope="col" class="num">Value</th>
                  <th scope="col">Where it comes from</th>
                </tr>
              </thead>
              <tbody>
                {e.terms.map((t, i) => (
                  <tr key={i}>
                    <td>{t.label}</td>
                    <td class="num">{valueText(t.value, t.unit, e.model.currency)}</td>
                    <td>{t.detail ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </Async>
  );
}
