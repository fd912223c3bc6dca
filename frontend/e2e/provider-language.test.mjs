import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone } from './support.mjs';

// The test script configures a provider "School ID" backed by a real
// OpenID Connect server (oauth2-mock-server).
test('sign in through the school provider, switch to Norwegian, see the app switch', async () => {
  const browser = await launch();
  try {
    const page = await (await phone(browser)).newPage();
    await page.goto('/');
    await page.getByRole('link', { name: 'Sign in with School ID' }).click();
    // Through the provider and back, signed in.
    await page.getByTestId('greeting').waitFor();
    assert.equal(new URL(page.url()).pathname, '/');

    await page.getByTestId('account-link').click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    await page.getByLabel('Your name').fill('Sindre');
    await page.getByLabel('Language').selectOption('nb');
    await page.getByRole('button', { name: 'Save' }).click();

    await page.getByRole('heading', { name: 'Kontoen din' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Lagret' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Hjem' }).count(), 1);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'nb');
    await page.getByText('School ID').first().waitFor();

    // The language belongs to the account: it holds after a reload.
    await page.reload();
    await page.getByRole('heading', { name: 'Kontoen din' }).waitFor();
    await page.getByRole('link', { name: 'Hjem' }).click();
    assert.equal(await page.getByTestId('greeting').innerText(), 'Hei, Sindre!');
  } finally {
    await browser.close();
  }
});
