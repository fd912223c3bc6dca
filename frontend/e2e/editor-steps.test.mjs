import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, signIn, apiToken, api, axe, SIZES, BASE } from './support.mjs';

// The editor in five short steps at both sizes, each step checked by axe;
// a teammate saving at the same time is merged in, and when both changed the
// same field the person chooses, losing nothing.
test('the editor in steps, and a teammate editing at the same time', async () => {
  const stamp = Date.now();
  const year = new Date().getFullYear();
  const admin = await apiToken('admin@e2e.example');
  const city = `st-${stamp}`;
  await api(admin, 'POST', '/cities', { slug: city, name: 'Larvik', country: 'NO' });
  const programme = await api(admin, 'POST', `/cities/${city}/programmes`, {
    slug: 'kominn', name: 'KomINN Larvik', kind: 'kominn', description: 'Changemaker training.',
    starts_on: `${year}-01-01`, ends_on: `${year + 1}-12-31`, locale: 'en',
  });
  const email = `tuva-${stamp}@e2e.example`;
  const tuva = await apiToken(email);
  await api(tuva, 'PATCH', '/me', { display_name: 'Tuva', birth_year: year - 16, locale: 'en' });
  const team = await api(tuva, 'POST', `/programmes/${programme.id}/teams`, { name: 'Team Lys' });
  const draft = await api(tuva, 'POST', `/teams/${team.id}/campaigns`, {
    title: 'Lys i parken', summary: 'More light in the park.', body: 'We ask the city for lamps.', theme: 'urban_spaces',
  });

  const browser = await launch();
  const found = [];
  try {
    for (const viewport of SIZES) {
      const context = await browser.newContext({ viewport, bypassCSP: true, baseURL: BASE });
      const page = await context.newPage();
      await signIn(page, email);
      await page.getByTestId('account-link').waitFor();
      await page.goto(`/campaigns/${draft.id}`);
      for (const name of ['The idea', 'The story', 'Photos and videos', 'When and where', 'Check and send']) {
        await page.getByRole('heading', { name, level: 2 }).first().waitFor();
        assert.equal(await page.locator('.stepper [aria-current="step"]').innerText().then((s) => s.includes(name)), true);
        for (const v of await axe(page)) found.push(`editor step "${name}" at ${viewport.width}px: ${v}`);
        if (name !== 'Check and send') await page.getByRole('button', { name: 'Next' }).click();
      }
      // Focus follows the step, so a screen reader hears where it is.
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'step-heading');
      await page.getByRole('button', { name: 'Back' }).click();
      await page.getByRole('heading', { name: 'When and where', level: 2 }).waitFor();
      await context.close();
    }

    const context = await browser.newContext({ viewport: SIZES[0], bypassCSP: true, baseURL: BASE });
    const page = await context.newPage();
    await signIn(page, email);
    await page.getByTestId('account-link').waitFor();
    await page.goto(`/campaigns/${draft.id}`);
    await page.getByRole('heading', { name: 'The idea', level: 2 }).waitFor();

    // A teammate changes the place while Tuva rewrites the summary: both stay.
    const current = await api(tuva, 'GET', `/campaigns/${draft.id}`);
    await api(tuva, 'PATCH', `/campaigns/${draft.id}`, { location: 'Bøkeskogen', version: current.version });
    await page.getByLabel('Summary').fill('More light in the park, so everyone feels safe.');
    await page.getByTestId('merged').waitFor();
    await page.getByTestId('save-state').filter({ hasText: 'All changes saved' }).waitFor();
    let saved = await api(tuva, 'GET', `/campaigns/${draft.id}`);
    assert.equal(saved.draft.summary, 'More light in the park, so everyone feels safe.');
    assert.equal(saved.draft.location, 'Bøkeskogen');

    // Both change the title: the teammate's is shown, Tuva's stays until she chooses.
    await api(tuva, 'PATCH', `/campaigns/${draft.id}`, { title: 'Lys i Bøkeskogen', version: saved.version });
    await page.getByLabel('Title').fill('Lys for alle');
    const conflict = page.getByTestId('conflict');
    await conflict.waitFor();
    assert.match(await conflict.innerText(), /Lys i Bøkeskogen/);
    assert.equal(await page.getByLabel('Title').inputValue(), 'Lys for alle');
    for (const v of await axe(page)) found.push(`editor with a conflict at 390px: ${v}`);
    await conflict.getByRole('button', { name: 'Keep mine' }).click();
    await page.getByTestId('save-state').filter({ hasText: 'All changes saved' }).waitFor();
    saved = await api(tuva, 'GET', `/campaigns/${draft.id}`);
    assert.equal(saved.draft.title, 'Lys for alle');
    assert.equal(saved.draft.location, 'Bøkeskogen');
    await context.close();
  } finally {
    await browser.close();
  }
  assert.deepEqual(found, []);
});
