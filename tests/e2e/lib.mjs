// The browser-test harness: one headless Chromium (Debian's), a fresh browser context per test,
// every console error and page error fails the test (except the HTTP statuses a test says it
// expects the browser to log), a bounded time per test, and the final "N passed, N failed".
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const PASSWORD = 'vos-demo-password';
export const BASE = process.env.E2E_BASE ?? 'http://127.0.0.1:8080';
const SHOTS = process.env.E2E_SCREENSHOTS || '';
const FAIL_DIR = process.env.E2E_FAIL_DIR || '';
const ONLY = (process.env.E2E_ONLY || '').split(',').filter(Boolean);

const tests = [];

/**
 * Registers a test.  opts: viewport {width, height}; expect: HTTP statuses the browser may
 * log as failed resource loads (401 is always allowed: the application asks who is signed in
 * when it starts); timeout in ms; browser: false for tests that only use HTTP.
 */
export function test(name, fn, opts = {}) {
  tests.push({ name, fn, opts });
}

/** Shared between tests that run in order (a case made by one, committed by the next). */
export const shared = {};

export class Failure extends Error {}

export function check(cond, message) {
  if (!cond) throw new Failure(message);
}

/** Signs in through the sign-in screen and waits for the application's navigation. */
export async function signIn(page, email, password = PASSWORD) {
  await page.goto(`${BASE}/`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('header.topbar').waitFor();
}

/** The text of the element with this data-testid, once it is there. */
export async function textOf(page, testId) {
  const el = page.getByTestId(testId).first();
  await el.waitFor();
  return (await el.textContent())?.trim() ?? '';
}

/** Waits until the text of data-testid differs from `before`; returns the new text. */
export async function textChanges(page, testId, before, timeout = 15000) {
  await page.waitForFunction(
    ([id, old]) => {
      const el = document.querySelector(`[data-testid="${id}"]`);
      return el && el.textContent.trim() !== old;
    },
    [testId, before],
    { timeout },
  );
  return textOf(page, testId);
}

/** Waits for every chart on the page to have drawn its canvas. */
export async function chartsDrawn(page, min = 1) {
  await page.waitForFunction((n) => document.querySelectorAll('.chart canvas').length >= n, min, { timeout: 15000 });
  await page.waitForTimeout(400); // the charts' entry animation
}

/** "$1,234,567" -> 1234567 */
export function money(text) {
  const neg = /^-|\(|−/.test(text);
  const v = Number(text.replace(/[^0-9.]/g, ''));
  return neg ? -v : v;
}

export function isoDay(days = 0) {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Saves a screenshot of the viewport for docs/screenshots when E2E_SCREENSHOTS names a dir. */
export async function shot(page, name, { keepScroll = false, ...opts } = {}) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  if (!keepScroll) await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), ...opts });
}

function allowedLog(text, expect) {
  const m = /status of (\d{3})/.exec(text);
  return !!m && expect.includes(Number(m[1]));
}

async function withTimeout(promise, ms, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Failure(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, limit]);
  } finally {
    clearTimeout(timer);
  }
}

function firstLine(e) {
  const text = e instanceof Error ? (e instanceof Failure ? e.message : `${e.name}: ${e.message}`) : String(e);
  return text.split('\n').filter((l) => l.trim()).slice(0, 6).join(' | ');
}

export async function run() {
  const chosen = ONLY.length ? tests.filter((t) => ONLY.some((o) => t.name.includes(o))) : tests;
  let passed = 0;
  let failed = 0;
  let browser = null;
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage', '--disable-gpu'],
    });
  } catch (e) {
    console.log(`FAIL chromium: ${firstLine(e)}`);
    console.log(`0 passed, ${chosen.length} failed`);
    return 1;
  }
  for (const t of chosen) {
    const started = Date.now();
    const expect = [401, ...(t.opts.expect ?? [])];
    const ctx = await browser.newContext({ viewport: t.opts.viewport ?? { width: 1280, height: 800 }, locale: 'en-US', timezoneId: 'UTC', deviceScaleFactor: 1 });
    ctx.setDefaultTimeout(15000);
    const page = await ctx.newPage();
    const problems = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !allowedLog(m.text(), expect)) problems.push(`console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    try {
      await withTimeout(t.fn({ page, ctx, browser }), t.opts.timeout ?? 60000, t.name);
      if (problems.length) throw new Failure(problems.join(' | '));
      passed++;
      console.log(`ok   ${t.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${t.name}: ${firstLine(e)}${problems.length ? ` | ${problems.join(' | ')}` : ''}`);
      if (FAIL_DIR) {
        mkdirSync(FAIL_DIR, { recursive: true });
        await page.screenshot({ path: join(FAIL_DIR, `${t.name.replace(/[^a-z0-9]+/gi, '-')}.png`), fullPage: true }).catch(() => {});
      }
    }
    await ctx.close().catch(() => {});
  }
  await browser.close().catch(() => {});
  console.log(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}
