import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, signIn } from './support.mjs';

test('a young person signs in by email link, names themselves and sees their name', async () => {
  const browser = await launch();
  try {
    const context = await phone(browser);
    const page = await context.newPage();
    const email = `maja-${Date.now()}@e2e.example`;
    await signIn(page, email);

    // First sign-in: the account page asks for a name.
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    await page.getByLabel('Your name').fill('Maja');
    await page.getByLabel('Birth year').fill('2010');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    assert.equal(await page.getByTestId('account-link').innerText(), 'Maja');

    await page.getByRole('link', { name: 'Home' }).click();
    assert.equal(await page.getByTestId('greeting').innerText(), 'Hi, Maja!');

    // The session survives a reload (HttpOnly cookie), and signing out ends it.
    await page.reload();
    await page.getByTestId('greeting').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    // A used link is refused kindly.
    await context.close();
  } finally {
    await browser.close();
  }
});

test('a used sign-in link says so', async () => {
  const browser = await launch();
  try {
    const context = await phone(browser);
    const page = await context.newPage();
    const email = `twice-${Date.now()}@e2e.example`;
    await signIn(page, email);
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    const { signInLink } = await import('./support.mjs');
    const other = await (await phone(browser)).newPage();
    await other.goto(await signInLink(email, 0, 10000, { allowSpent: true }));
    await other.getByText('already been used').waitFor();
  } finally {
    await browser.close();
  }
});

test('a link opened in another browser asks before it signs anyone in', async () => {
  const browser = await launch();
  try {
    const email = `asked-${Date.now()}@e2e.example`;
    // The laptop asks for the link.
    const laptop = await (await browser.newContext({
      viewport: { width: 1280, height: 800 }, baseURL: process.env.E2E_BASE_URL,
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
    })).newPage();
    await laptop.goto('/');
    await laptop.getByLabel(/email/i).fill(email);
    const requested = Date.now() - 1000;
    await laptop.getByRole('button', { name: /sign-in link/i }).click();
    await laptop.getByRole('heading', { name: /check your email/i }).waitFor();
    // The phone opens it: whose account, which device asked, and nothing yet.
    const { signInLink } = await import('./support.mjs');
    const page = await (await phone(browser)).newPage();
    await page.goto(await signInLink(email, requested));
    await page.getByRole('heading', { name: 'Sign in on this device?' }).waitFor();
    const said = await page.getByTestId('confirm-sign-in').innerText();
    assert.ok(said.includes(email) && said.includes('Firefox on Linux'), said);
    assert.equal((await page.context().cookies()).some((c) => c.name === 'changemakers_session'), false);
    // Continuing signs the phone in.
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
  } finally {
    await browser.close();
  }
});

test('signed in on two devices: one signs the other out, then everywhere', async () => {
  const browser = await launch();
  try {
    const email = `tor-${Date.now()}@e2e.example`;
    const laptop = await (await browser.newContext({
      viewport: { width: 1280, height: 800 }, baseURL: process.env.E2E_BASE_URL,
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
    })).newPage();
    await signIn(laptop, email);
    await laptop.getByRole('heading', { name: 'Your account' }).waitFor();
    const phonePage = await (await phone(browser)).newPage();
    await signIn(phonePage, email);
    await phonePage.getByRole('heading', { name: 'Your account' }).waitFor();

    // The phone lists both, knows which is itself, and signs the laptop out.
    const devices = phonePage.getByTestId('sessions');
    await devices.getByText('Firefox on Linux', { exact: true }).waitFor();
    assert.equal(await devices.getByText('This device').count(), 1);
    await devices.getByRole('button', { name: 'Sign out (Firefox on Linux)' }).click();
    await devices.getByRole('status').filter({ hasText: 'Firefox on Linux is signed out.' }).waitFor();
    await laptop.reload();
    await laptop.getByRole('heading', { name: 'Sign in' }).waitFor();

    // Everywhere, after a question: the phone too.
    await devices.getByRole('button', { name: 'Sign out everywhere' }).click();
    await phonePage.getByRole('dialog').getByRole('button', { name: 'Sign out everywhere' }).click();
    await phonePage.getByRole('heading', { name: 'Sign in' }).waitFor();
    await phonePage.reload();
    await phonePage.getByRole('heading', { name: 'Sign in' }).waitFor();
  } finally {
    await browser.close();
  }
});
