import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, signIn } from './support.mjs';

// The test script makes admin@e2e.example an admin with `changemakers create-admin`.
test('an admin creates a city and a programme on a phone', async () => {
  const browser = await launch();
  try {
    const page = await (await phone(browser)).newPage();
    await signIn(page, 'admin@e2e.example');
    await page.getByTestId('account-link').click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    await page.getByLabel('Your name').fill('Admin');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();

    await page.getByRole('link', { name: 'Cities' }).click();
    await page.getByRole('heading', { name: 'Cities' }).waitFor();
    const slug = `larvik-${Date.now()}`;
    await page.getByLabel('Name', { exact: true }).fill('Larvik');
    await page.getByLabel('Short name for web addresses').fill(slug);
    await page.getByLabel('Country').selectOption('NO');
    await page.getByRole('button', { name: 'Add a city' }).click();
    await page.getByRole('status').filter({ hasText: 'City added' }).waitFor();

    await page.locator(`a[href="/cities/${slug}"]`).click();
    await page.getByRole('heading', { name: 'Larvik', level: 1 }).waitFor();
    await page.getByText('No programmes yet.').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('KomINN Larvik');
    await page.getByLabel('Short name for web addresses').fill('kominn');
    await page.getByLabel('Concept').selectOption('kominn');
    await page.getByLabel('Description').fill('Changemaker training for young people in Larvik.');
    await page.getByLabel('Starts').fill('2026-01-15');
    await page.getByLabel('Ends').fill('2026-06-15');
    await page.getByRole('button', { name: 'Start a programme' }).click();
    await page.getByRole('status').filter({ hasText: 'Programme started' }).waitFor();
    const list = page.getByTestId('programme-list');
    assert.match(await list.innerText(), /KomINN Larvik/);

    // The page fits the phone: nothing scrolls sideways.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);

    await list.getByRole('link', { name: 'KomINN Larvik' }).click();
    await page.getByRole('heading', { name: 'KomINN Larvik', level: 1 }).waitFor();
    await page.getByLabel('Their email address').fill('youthworker@e2e.example');
    await page.getByRole('button', { name: 'Add a facilitator' }).click();
    await page.getByText('youthworker@e2e.example').first().waitFor();
  } finally {
    await browser.close();
  }
});
