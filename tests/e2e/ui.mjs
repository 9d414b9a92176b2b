// The web UI in a real browser against `vos serve` on a fresh demo database (run.sh).  The
// tests run in this order and some build on the one before: the value engineer approves a new
// model version, the seller builds and commits a case on it, the CSM records measurements.
import { BASE, chartsDrawn, check, isoDay, money, PASSWORD, shared, shot, signIn, test, textChanges, textOf } from './lib.mjs';

const USERS = {
  admin: { email: 'admin@vos.demo', heading: 'Portfolio', nav: ['Portfolio', 'Value fabric', 'Business cases', 'Realization', 'Maturity', 'Audit'] },
  engineer: { email: 'engineer@vos.demo', heading: 'Value fabric', nav: ['Value fabric', 'Business cases', 'Realization', 'Maturity'], not: ['Audit'] },
  seller: { email: 'seller@vos.demo', heading: 'Business cases', nav: ['Value fabric', 'Business cases', 'Realization'], not: ['Audit', 'Portfolio'] },
  csm: { email: 'csm@vos.demo', heading: 'Realization', nav: ['Business cases', 'Realization'], not: ['Audit'] },
  exec: { email: 'exec@vos.demo', heading: 'Portfolio', nav: ['Portfolio', 'Business cases', 'Audit', 'Maturity'] },
  partner: { email: 'partner@vos.demo', heading: 'Business cases', nav: ['Business cases'], not: ['Audit', 'Maturity', 'Portfolio'] },
  northwind: { email: 'customer@northwind.demo', heading: 'Northwind Traders', nav: ['Our value'], not: ['Business cases', 'Value fabric', 'Audit'] },
  contoso: { email: 'customer@contoso.demo', heading: 'Contoso Bank', nav: ['Our value'], not: ['Business cases', 'Value fabric', 'Audit'] },
};

async function heading(page) {
  const h = page.locator('h1').first();
  await h.waitFor();
  return (await h.textContent()).trim();
}

test('sign-in: a wrong password gets a readable message next to the form', async ({ page }) => {
  await page.goto(`${BASE}/`);
  await shot(page, 'sign-in');
  await page.getByLabel('Email').fill('seller@vos.demo');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  check(/wrong email or password/.test(await alert.textContent()), 'the 401 detail is shown');
});

test('sign-in: every role lands on its own screen with its navigation', async ({ page }) => {
  for (const [who, u] of Object.entries(USERS)) {
    await signIn(page, u.email);
    await page.waitForFunction((h) => document.querySelector('h1')?.textContent.trim() === h, u.heading, { timeout: 15000 }).catch(() => {});
    const h = await heading(page);
    check(h === u.heading, `${who} lands on "${h}", not "${u.heading}"`);
    const nav = page.getByRole('navigation', { name: 'Main' });
    const links = (await nav.getByRole('link').allTextContents()).map((t) => t.trim());
    for (const n of u.nav) check(links.includes(n), `${who} has "${n}" in the navigation (${links.join(', ')})`);
    for (const n of u.not ?? []) check(!links.includes(n), `${who} must not have "${n}" in the navigation`);
    check((await textOf(page, 'who')).length > 0, `${who}'s name is shown`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  }
});

test('keyboard: sign in and open a case with the keyboard only', async ({ page }) => {
  await page.goto(`${BASE}/`);
  await page.getByLabel('Email').waitFor();
  await page.keyboard.press('Tab');
  await page.keyboard.type('seller@vos.demo');
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  check((await heading(page)) === 'Business cases', 'the seller is signed in');
  // a new screen takes the focus; from the top of a page the skip link comes first
  check(await page.evaluate(() => document.activeElement?.id === 'main'), 'the new screen has the focus');
  await page.reload();
  await page.locator('h1').waitFor();
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => document.activeElement?.textContent?.trim());
  check(first === 'Skip to content', `the first stop is the skip link, not "${first}"`);
  await page.getByRole('table').first().waitFor();
  const link = page.getByRole('link', { name: 'Inventory optimisation' }).first();
  await link.focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('npv').waitFor();
  check(/\/cases\/\d+$/.test(new URL(page.url()).pathname), 'Enter on the link opened the case');
  // the figure cards are buttons: Enter opens the lineage, Escape closes it
  await page.getByRole('button', { name: /^NPV:/ }).focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('lineage').waitFor();
  await page.keyboard.press('Escape');
  await page.getByTestId('lineage').waitFor({ state: 'detached' });
});

test('case list: each case with its account and model by name', async ({ page }) => {
  await signIn(page, USERS.seller.email);
  const table = page.getByTestId('cases');
  await table.waitFor();
  const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())));
  check(rows.length >= 3, `the demo's cases are listed (${rows.length})`);
  for (const r of rows) {
    check(r[1] && !/^account \d+$/.test(r[1]), `the account of "${r[0]}" is a name (${r[1]})`);
    check(/ \d+\.\d+\.\d+$/.test(r[2]) && !r[2].startsWith('—'), `the model of "${r[0]}" is named with its version (${r[2]})`);
  }
  const sd = rows.find((r) => r[0] === 'Service desk automation');
  check(sd && sd[1] === 'Northwind Traders' && sd[2] === 'IT service desk automation 1.2.0', `the Northwind case: ${sd}`);
  // the names come with the list itself
  const item = await page.evaluate(async () => (await (await fetch('/api/v1/cases?limit=1')).json()).items[0]);
  check(typeof item.account_name === 'string' && typeof item.model === 'string' && typeof item.version === 'string', `GET /cases names the account and model: ${JSON.stringify(item).slice(0, 200)}`);
  await shot(page, 'cases');
});

test('value fabric: value tree, a model text with errors, import a draft, diff, approve', async ({ page }) => {
  await signIn(page, USERS.engineer.email);
  await page.getByRole('link', { name: 'IT service desk automation' }).click();
  await page.getByTestId('value-tree').waitFor();
  await chartsDrawn(page, 1);
  check((await page.locator('h1').textContent()).includes('IT service desk automation'), 'the model page');
  await shot(page, 'value-fabric');

  const source = await page.evaluate(async () => (await (await fetch('/api/v1/models/service-desk-automation/versions/1.2.0?source=true')).json()).source);
  check(source.includes('version: 1.2.0') && source.includes('value: 12000'), 'the model text of 1.2.0');
  // 1.3.0: more tickets, and the triage minutes without their evidence (a policy warning
  // that the case builder shows next to the input, and that a case's own evidence clears)
  const next = source
    .replace('version: 1.2.0', 'version: 1.3.0')
    .replace('value: 12000', 'value: 13000')
    .replace(/\n +evidence: "Pilot time-and-motion study[^"]*"/, '');
  check(!next.includes('Pilot time-and-motion study'), 'the evidence of triage_minutes_saved is removed');
  await page.getByRole('link', { name: 'All models' }).click();
  const text = page.getByLabel('Model text (YAML or JSON)');
  // a text with a problem: the line and column are listed next to the text
  await text.fill(next.replace('discount_rate: 10%/year', 'discount_rate: 10%/year\ncolour: blue'));
  await page.getByRole('button', { name: 'Import as draft' }).click();
  const problems = page.getByRole('list', { name: 'Problems of the model text' });
  await problems.waitFor();
  check(/line \d+, column \d+: unknown key 'colour'/.test(await problems.textContent()), 'the problem names its line and column');

  await text.fill(next);
  await page.getByRole('button', { name: 'Import as draft' }).click();
  await page.waitForURL(/version=1\.3\.0/);
  const row = page.getByRole('row', { name: /1\.3\.0/ });
  await row.getByText('draft').waitFor();
  const diff = page.getByTestId('diff');
  await diff.waitFor();
  await page.getByLabel('From', { exact: true }).selectOption('1.2.0');
  await page.getByLabel('To', { exact: true }).selectOption('1.3.0');
  await diff.getByText('tickets').first().waitFor();
  const d = await diff.textContent();
  check(d.includes('12000') && d.includes('13000'), 'the diff shows the input change');
  check(d.includes('NPV'), 'the diff shows the NPV change');
  await page.getByRole('heading', { name: 'Compare versions' }).scrollIntoViewIfNeeded();
  await shot(page, 'model-diff', { keepScroll: true });
  await page.getByRole('button', { name: 'Approve version 1.3.0' }).click();
  await page.getByRole('row', { name: /1\.3\.0/ }).getByText('approved').waitFor();
}, { expect: [422] });

test('business case: build a case, an input changes the NPV, lineage, scenarios, charts', async ({ page }) => {
  await signIn(page, USERS.seller.email);
  await page.getByRole('button', { name: 'New business case' }).click();
  const form = page.getByRole('form', { name: 'New business case' });
  await form.getByLabel('Account').selectOption({ label: 'Fabrikam Manufacturing' });
  await form.getByLabel('Case name').fill('E2E service desk');
  await form.getByLabel('Approved model').selectOption({ label: 'IT service desk automation' });
  await page.waitForFunction(() => document.querySelector('form[aria-label="New business case"] select:last-of-type')?.value !== '');
  await form.getByRole('button', { name: 'Create the case' }).click();
  await page.waitForURL(/\/cases\/\d+$/);
  shared.caseId = Number(new URL(page.url()).pathname.split('/').pop());
  const npv0 = await textOf(page, 'npv');
  check(money(npv0) !== 0, `an NPV is shown (${npv0})`);
  await chartsDrawn(page, 4);
  for (const id of ['waterfall', 'cashflow', 'histogram', 'tornado']) await page.getByTestId(id).locator('canvas').first().waitFor();
  const p10 = money(await textOf(page, 'p10'));
  const p90 = money(await textOf(page, 'p90'));
  check(p10 < p90, `P10 ${p10} < P90 ${p90}`);
  check((await page.locator('h1').textContent()).includes('E2E service desk'), 'the case page');
  check((await page.locator('.page-header .sub').textContent()).includes('1.3.0'), 'the case is on the latest approved version (1.3.0)');

  // one input: 13,000 tickets a month (the new version's value) to 13,400 (its range is
  // 10,500 .. 13,500)
  const tickets = page.locator('[data-input="tickets.value"]');
  check((await tickets.inputValue()) === '13000', 'the input shows the model value');
  await tickets.fill('13400');
  await tickets.press('Enter');
  const npv1 = await textChanges(page, 'npv', npv0);
  check(money(npv1) > money(npv0), `more tickets raise the NPV (${npv0} -> ${npv1})`);
  await page.getByRole('row', { name: /Tickets handled/ }).getByText('changed').waitFor();

  // a value outside the range: the server's message next to the input
  await tickets.fill('99999');
  await tickets.press('Enter');
  const err = page.locator('#input-tickets-error');
  await err.waitFor();
  check(/must lie within its range/.test(await err.textContent()), 'the 422 detail is shown next to the input');
  check((await textOf(page, 'npv')) === npv1, 'a refused value changes nothing');
  await tickets.fill('13400');
  await tickets.press('Enter');
  await err.waitFor({ state: 'detached' });
  await chartsDrawn(page, 4);

  // 1.3.0 cites no evidence for the triage minutes: the warning is shown next to that input
  const warnings = page.getByTestId('warnings-triage_minutes_saved');
  await warnings.waitFor();
  check(/has no evidence/.test(await warnings.textContent()), 'the no-evidence warning is next to its input');
  check((await page.getByTestId('warnings-tickets').count()) === 0, 'an input with evidence has no warning');
  await shot(page, 'case-builder');

  // the case gives its own evidence: blank evidence is refused next to the field, then the
  // warning disappears and the lineage shows the case's evidence
  await page.getByRole('button', { name: /^Edit the evidence of Agent minutes/ }).click();
  const evForm = page.getByRole('form', { name: /^Evidence of Agent minutes/ });
  await evForm.getByLabel('Evidence for this case').fill('   ');
  await evForm.getByRole('button', { name: 'Save evidence' }).click();
  await evForm.getByRole('alert').getByText(/evidence must say where the value comes from/).waitFor();
  await evForm.getByLabel('Evidence for this case').fill('Fabrikam time-and-motion study, 250 tickets, May 2026');
  await evForm.getByLabel('Confidence').selectOption('high');
  await evForm.getByRole('button', { name: 'Save evidence' }).click();
  await evForm.waitFor({ state: 'detached' });
  await warnings.waitFor({ state: 'detached' });
  const ev = await textOf(page, 'evidence-triage_minutes_saved');
  check(ev.includes('Fabrikam time-and-motion study') && ev.includes('(this case)') && ev.includes('high confidence'), `the case's evidence is shown (${ev})`);
  check((await textOf(page, 'npv')) === npv1, 'evidence does not move the NPV');
  await page.getByRole('button', { name: 'Agent time saved on triage and routing' }).click();
  const lineageT = page.getByTestId('lineage');
  await lineageT.waitFor();
  check((await lineageT.textContent()).includes('evidence (this case): Fabrikam time-and-motion study'), 'the lineage shows the case\'s evidence');
  await page.getByRole('button', { name: 'Close' }).click();
  await lineageT.waitFor({ state: 'detached' });

  // lineage of the NPV
  await page.getByRole('button', { name: /^NPV:/ }).click();
  const lineage = page.getByTestId('lineage');
  await lineage.waitFor();
  const l = await lineage.textContent();
  check(/net present value/.test(l) && /discount rate/.test(l), 'the NPV lineage shows the formula and its terms');
  await shot(page, 'lineage');
  await page.getByRole('button', { name: 'Close' }).click();

  // a lever bar of the waterfall opens its lineage too, and so does its button
  const box = await page.getByTestId('waterfall').boundingBox();
  await page.mouse.click(box.x + box.width * 0.42, box.y + box.height * 0.5);
  await lineage.waitFor({ timeout: 5000 }).catch(() => {});
  if (await lineage.isVisible()) await page.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('group', { name: 'Lineage of the benefits by lever' }).getByRole('button', { name: 'cost savings' }).click();
  await lineage.waitFor();
  check(/cost/.test(await lineage.textContent()), 'the lineage of the cost lever');
  await page.getByRole('button', { name: 'Close' }).click();

  // the conservative scenario is lower
  await page.getByText('Conservative', { exact: true }).click();
  const npvC = await textChanges(page, 'npv', npv1);
  check(money(npvC) < money(npv1), `the conservative NPV ${npvC} is below the expected ${npv1}`);
  await page.getByText('Expected', { exact: true }).click();
  await textChanges(page, 'npv', npvC);
}, { expect: [400, 422], timeout: 90000 });

test('commitment: choose a KPI, baseline and target, confirm, commit', async ({ page }) => {
  check(shared.caseId, 'the case of the previous test');
  await signIn(page, USERS.seller.email);
  await page.goto(`${BASE}/cases/${shared.caseId}`);
  await page.getByRole('link', { name: 'Commit…' }).click();
  await page.getByRole('form', { name: 'Commitment' }).waitFor();
  await page.getByRole('checkbox', { name: /Agent minutes spent classifying/ }).check();
  const card = page.locator('fieldset.kpi-card.on');
  await card.getByLabel(/^Baseline \(/).fill('4');
  await card.getByLabel('Baseline date').fill(isoDay(-100));
  await card.getByLabel(/^Target \(/).fill('1.5');
  await card.getByLabel('Target date').fill(isoDay(265));
  await card.getByLabel('Trajectory').selectOption('linear');
  await card.getByLabel('Data source').fill('ServiceNow audit trail');
  // a second KPI on a step trajectory: 6 P1 incidents a month down to 3, with two milestones
  await page.getByRole('checkbox', { name: /Priority-1 incidents/ }).check();
  const p1 = page.locator('fieldset.kpi-card.on').nth(1);
  await p1.getByLabel(/^Baseline \(/).fill('6');
  await p1.getByLabel('Baseline date').fill(isoDay(-100));
  await p1.getByLabel(/^Target \(/).fill('3');
  await p1.getByLabel('Target date').fill(isoDay(265));
  await p1.getByLabel('Trajectory').selectOption('step');
  await p1.getByRole('button', { name: 'Add a milestone' }).click();
  await p1.getByLabel('Milestone 1 date').fill(isoDay(-60));
  await p1.getByLabel(/^Milestone 1 value/).fill('9');
  await p1.getByRole('button', { name: 'Add a milestone' }).click();
  await p1.getByLabel('Milestone 2 date').fill(isoDay(60));
  await p1.getByLabel(/^Milestone 2 value/).fill('4');
  const dialog = page.getByRole('dialog', { name: 'Commit to this case?' });
  // a milestone beyond the baseline is refused by the server, next to that milestone
  await page.getByRole('button', { name: 'Review the commitment…' }).click();
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Commit', exact: true }).click();
  await p1.getByText(/milestone 1: value 9 must lie from baseline_value 6 to target_value 3/).waitFor();
  await p1.getByLabel(/^Milestone 1 value/).fill('5');
  await page.getByRole('button', { name: 'Review the commitment…' }).click();
  await dialog.waitFor();
  const confirm = await dialog.textContent();
  check(confirm.includes('4 → 1.5 min'), 'the confirmation repeats the KPI');
  check(confirm.includes(`milestones 5 by ${isoDay(-60)}, 4 by ${isoDay(60)}`), `the confirmation lists the milestones (${confirm})`);
  await shot(page, 'commit');
  await dialog.getByRole('button', { name: 'Commit', exact: true }).click();
  await page.waitForURL(new RegExp(`/cases/${shared.caseId}/realization$`));
  await page.getByTestId('realized').waitFor();
  check((await page.locator('h1').textContent()).includes('E2E service desk'), 'the realization of the committed case');
  // the step plan: the first milestone is due and, with no measurement, missed; the second is not due
  const ms = page.getByTestId('milestones-p1_incidents');
  await ms.waitFor();
  const items = await ms.locator('li').allTextContents();
  check(items.length === 2 && /missed/.test(items[0]) && /due/.test(items[1]) && !/missed/.test(items[1]), `the milestones: ${items.join(' | ')}`);
  const panel = page.getByTestId('kpi-p1_incidents');
  check((await panel.textContent()).includes('1 milestone missed'), 'the KPI says a milestone was missed');
  const label = await panel.locator('[aria-label*="milestones"]').first().getAttribute('aria-label');
  check(/step, milestones 5.*\(missed\), 4/i.test(label), `the chart describes the step plan (${label})`);
  await chartsDrawn(page, 2);
  await panel.scrollIntoViewIfNeeded();
  await shot(page, 'realization-milestones', { keepScroll: true });
}, { expect: [422] });

test('realization: a measurement moves the realized value; alerts are acknowledged and resolved', async ({ page }) => {
  check(shared.caseId, 'the committed case');
  await signIn(page, USERS.csm.email);
  await page.goto(`${BASE}/cases/${shared.caseId}/realization`);
  const before = await textOf(page, 'realized');
  check(money(before) === 0, `nothing is realized before any measurement (${before})`);
  check((await textOf(page, 'actual-triage_effort')) === '—', 'no actual yet');
  const form = page.getByRole('form', { name: 'Record a measurement' });
  await form.getByLabel('Day').fill(isoDay(-45));
  await form.getByLabel(/^Value/).fill('3');
  await form.getByRole('button', { name: 'Record' }).click();
  const after = await textChanges(page, 'realized', before);
  check(money(after) > 0, `the realized value moves (${before} -> ${after})`);
  check((await textOf(page, 'actual-triage_effort')) === '3 min', 'the KPI shows the new actual');
  await form.getByLabel('Day').fill(isoDay(-10));
  await form.getByLabel(/^Value/).fill('2.6');
  await form.getByRole('button', { name: 'Record' }).click();
  await textChanges(page, 'actual-triage_effort', '3 min');
  // a value that is not a number is refused next to the field
  await form.getByLabel(/^Value/).fill('');
  await form.getByRole('button', { name: 'Record' }).click();
  await form.getByText('must be a number').first().waitFor();
  // a CSV file: a bad one is refused with its line, a good one moves the actual
  const upload = page.getByRole('form', { name: 'Upload measurements' });
  const csv = (value) => Buffer.from(`account,kpi,time,value,source\nFabrikam Manufacturing,triage_effort,${isoDay(-2)}T09:00:00Z,${value},ITSM export\n`);
  await upload.getByLabel('CSV file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: csv('abc') });
  await upload.getByRole('button', { name: 'Upload' }).click();
  await upload.getByRole('alert').getByText(/line 2, value: .*not a number/).waitFor();
  await upload.getByLabel('CSV file').setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: csv('2.4') });
  await upload.getByRole('button', { name: 'Upload' }).click();
  await upload.getByText('1 row: 1 added').waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="actual-triage_effort"]')?.textContent.trim() === '2.4 min');
  await chartsDrawn(page, 3);

  // the demo's Contoso case has open alerts
  await page.goto(`${BASE}/cases/2/realization`);
  const alerts = page.getByTestId('alerts');
  await alerts.waitFor();
  const first = alerts.locator('li').first();
  const ack = first.getByRole('button', { name: /^Acknowledge alert/ });
  const n0 = await alerts.locator('li').count();
  if (await ack.count()) {
    await ack.click();
    await alerts.locator('li').first().getByText('acknowledged').waitFor();
  }
  await alerts.locator('li').first().getByRole('button', { name: /^Resolve alert/ }).click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="alerts"] li').length < n, n0).catch(async () => {
    await page.getByText('No open alert.').waitFor();
  });

  // the demo's Northwind case has months of measurements: plan, actual, band and forecast
  await page.goto(`${BASE}/cases/1/realization`);
  await page.getByTestId('kpi-triage_effort').waitFor();
  await chartsDrawn(page, 4);
  await shot(page, 'realization');
  await page.getByRole('heading', { name: 'KPIs: plan and actual' }).evaluate((h) => window.scrollTo(0, h.getBoundingClientRect().top + window.scrollY - 70));
  await shot(page, 'realization-kpis', { keepScroll: true });
}, { expect: [422] });

test('portfolio: committed against realized across accounts, worst first', async ({ page }) => {
  await signIn(page, USERS.exec.email);
  check((await heading(page)) === 'Portfolio', 'the executive lands on the portfolio');
  const rows = page.getByTestId('portfolio-accounts').locator('tbody tr');
  await rows.first().waitFor();
  const names = await rows.locator('td:first-child a').allTextContents();
  check(names.includes('Northwind Traders') && names.includes('Contoso Bank') && names.includes('Fabrikam Manufacturing'), `accounts: ${names.join(', ')}`);
  const rate = await textOf(page, 'realization-rate');
  check(/%$/.test(rate), `a realization rate (${rate})`);
  await chartsDrawn(page, 2);
  await shot(page, 'portfolio');
});

test('audit: the history of the case and the verified chain', async ({ page }) => {
  check(shared.caseId, 'the committed case');
  await signIn(page, USERS.admin.email);
  await page.goto(`${BASE}/audit?entity=case:${shared.caseId}`);
  await page.getByTestId('verify').getByText('verified').waitFor();
  const records = page.getByTestId('audit-records');
  await records.waitFor();
  const text = await records.textContent();
  for (const op of ['case.create', 'case.set', 'case.commit']) check(text.includes(op), `the history has ${op}`);
  await shot(page, 'audit');
});

test('maturity: the radar of the latest assessment', async ({ page }) => {
  await signIn(page, USERS.exec.email);
  await page.getByRole('link', { name: 'Maturity' }).click();
  await page.getByTestId('radar').locator('canvas').waitFor();
  check((await textOf(page, 'maturity-stage')).length > 0, 'an overall stage');
  await chartsDrawn(page, 1);
  await shot(page, 'maturity');
});

test('customer portal: customer A sees only A, customer B cannot see A', async ({ page, ctx }) => {
  await signIn(page, USERS.northwind.email);
  check((await heading(page)) === 'Northwind Traders', 'the Northwind portal');
  await page.getByTestId('delivered').waitFor();
  await page.getByText('Service desk automation').first().waitFor();
  await chartsDrawn(page, 2);
  const body = await page.locator('main').textContent();
  for (const other of ['Contoso', 'Fabrikam', 'Tailspin']) check(!body.includes(other), `Northwind's portal mentions ${other}`);
  await shot(page, 'customer-portal');
  // another account's case: the API says not found, and so does the screen
  const status = await page.evaluate(async () => (await fetch('/api/v1/cases/2/realization')).status);
  check(status === 404, `Northwind reading Contoso's case gets ${status}`);
  await page.goto(`${BASE}/cases/2`);
  await page.getByRole('alert').first().waitFor();
  check(/does not exist|not found|no such/i.test(await page.getByRole('alert').first().textContent()), 'the screen says the case is not found');
  check(!(await page.locator('main').textContent()).includes('Contoso'), 'nothing of Contoso is shown');
  await page.getByRole('button', { name: 'Sign out' }).click();

  await signIn(page, USERS.contoso.email);
  check((await heading(page)) === 'Contoso Bank', 'the Contoso portal');
  await page.getByTestId('delivered').waitFor();
  const text = await page.locator('main').textContent();
  check(!text.includes('Northwind'), 'Contoso sees nothing of Northwind');
  const accounts = await page.evaluate(async () => (await (await fetch('/api/v1/accounts')).json()).items.map((a) => a.name));
  check(accounts.length === 1 && accounts[0] === 'Contoso Bank', `Contoso's accounts: ${accounts.join(', ')}`);
  const cases = await page.evaluate(async () => (await fetch('/api/v1/cases/1/realization')).status);
  check(cases === 404, `Contoso reading Northwind's case gets ${cases}`);
  void ctx;
}, { expect: [404] });

test('phone: the menu, the case builder and the realization fit a phone screen', async ({ page }) => {
  await signIn(page, USERS.seller.email);
  const menu = page.getByRole('button', { name: 'Menu' });
  check(await menu.isVisible(), 'the menu button on a phone');
  check(!(await page.getByRole('link', { name: 'Value fabric' }).isVisible()), 'the navigation is folded');
  await menu.click();
  await page.getByRole('link', { name: 'Business cases' }).click();
  await page.getByRole('link', { name: 'Service desk automation' }).first().click();
  await page.getByTestId('npv').waitFor();
  await chartsDrawn(page, 4);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  check(overflow <= 1, `the page scrolls sideways by ${overflow}px`);
  await shot(page, 'phone-case');
  await page.goto(`${BASE}/cases/1/realization`);
  await page.getByTestId('realized').waitFor();
  const overflow2 = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  check(overflow2 <= 1, `the realization scrolls sideways by ${overflow2}px`);
}, { viewport: { width: 390, height: 844 } });
