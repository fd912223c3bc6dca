// Shared set-up for the end-to-end tests: Debian's Chromium through
// playwright-core at phone size, and the server's mail outbox.
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

export const BASE = process.env.E2E_BASE_URL ?? 'http://127.0.0.1:8080';
const OUTBOX = process.env.E2E_OUTBOX ?? '../data/outbox';

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A phone-sized browser context (390x844, touch) on a phone in Norway: its
 * calendar day is the one the platform checks dates against, whatever the
 * hour the tests run at.
 */
export async function phone(browser) {
  return browser.newContext({
    viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, baseURL: BASE, timezoneId: 'Europe/Oslo',
  });
}

function decodeQuotedPrintable(text) {
  return text.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
}

// Links already handed out: each is single-use, so two sign-ins of one
// person within a second must never be given the same (spent) link.
const handedOut = new Set();

/**
 * Waits for the newest sign-in link mailed to `email` (after `sinceMs`, if
 * given) that was not handed out before, unless `allowSpent`.
 */
export async function signInLink(email, sinceMs = 0, timeoutMs = 10000, { allowSpent = false } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    let newest = null;
    for (const name of await readdir(OUTBOX).catch(() => [])) {
      if (!name.endsWith('.eml')) continue;
      const path = join(OUTBOX, name);
      const text = decodeQuotedPrintable(await readFile(path, 'utf8'));
      const to = text.split(/\r?\n/).find((l) => l.toLowerCase().startsWith('to:')) ?? '';
      if (!to.toLowerCase().includes(email.toLowerCase())) continue;
      const match = text.match(/https?:\/\/\S+\/auth\/verify\?token=[A-Za-z0-9_-]{43}/);
      const { mtimeMs } = await stat(path);
      if (mtimeMs < sinceMs || (match && !allowSpent && handedOut.has(match[0]))) continue;
      if (match && (!newest || mtimeMs > newest.mtimeMs)) newest = { mtimeMs, link: match[0] };
    }
    if (newest) {
      handedOut.add(newest.link);
      return newest.link;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no sign-in mail to ${email}`);
}

/** Signs in through the app's form and the emailed link. */
export async function signIn(page, email) {
  await page.goto('/');
  await page.getByLabel(/email/i).fill(email);
  const requested = Date.now() - 1000;
  await page.getByRole('button', { name: /sign-in link/i }).click();
  await page.getByRole('heading', { name: /check your email/i }).waitFor();
  await page.goto(await signInLink(email, requested));
}

/** Signs in over the API (for setting up data); returns a Bearer token. */
export async function apiToken(email) {
  const requested = Date.now() - 1000;
  const asked = await fetch(`${BASE}/api/v1/auth/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email }),
  });
  if (asked.status !== 202) throw new Error(`sign-in request: ${asked.status}`);
  const token = new URL(await signInLink(email, requested)).searchParams.get('token');
  // No cookie jar here: an API client confirms it is the one signing in.
  const verified = await fetch(`${BASE}/api/v1/auth/email/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, confirm: true }),
  });
  return (await verified.json()).token;
}

/** Calls the API with a Bearer token; returns the parsed body. */
export async function api(token, method, path, body) {
  const response = await fetch(`${BASE}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

/** First sign-in: fill in the welcome form with a name and birth year. */
export async function welcome(page, name, birthYear) {
  await page.getByRole('heading', { name: 'Your account' }).waitFor();
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Birth year').fill(String(birthYear));
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core's WCAG 2.1 A/AA and best-practice violations on the page (needs `bypassCSP`). */
export async function axe(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

export const SIZES = [{ width: 390, height: 844 }, { width: 1280, height: 800 }];
