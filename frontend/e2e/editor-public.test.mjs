import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, signIn, apiToken, api, axe, SIZES, BASE } from './support.mjs';

// A failed submit shows a summary that takes focus, in the person's language
// (here Norwegian), each line leading to its field; leaving with unsaved
// text asks first. The public page shares, invites to join, and keeps the
// report control secondary; a signed-out visitor picks their language.
test('the error summary in Norwegian, the unsaved warning, the public page and the language picker', async () => {
  const stamp = Date.now();
  const year = new Date().getFullYear();
  const admin = await apiToken('admin@e2e.example');
  const city = `ed-${stamp}`;
  await api(admin, 'POST', '/cities', { slug: city, name: 'Kristiansand', country: 'NO' });
  const programme = await api(admin, 'POST', `/cities/${city}/programmes`, {
    slug: 'kominn', name: 'KomINN Kristiansand', kind: 'kominn', description: 'Changemaker training.',
    starts_on: `${year}-01-01`, ends_on: `${year + 1}-12-31`, locale: 'nb',
  });
  const facilitatorEmail = `ed-fac-${stamp}@e2e.example`;
  await api(admin, 'POST', `/programmes/${programme.id}/facilitators`, { email: facilitatorEmail });
  const facilitator = await apiToken(facilitatorEmail);
  const email = `siri-${stamp}@e2e.example`;
  const siri = await apiToken(email);
  await api(siri, 'PATCH', '/me', { display_name: 'Siri', birth_year: year - 15, locale: 'nb' });
  const team = await api(siri, 'POST', `/programmes/${programme.id}/teams`, { name: 'Team Fyr' });
  const draft = await api(siri, 'POST', `/teams/${team.id}/campaigns`, { title: 'Hei', summary: '', body: '', theme: 'youth' });

  const browser = await launch();
  const found = [];
  try {
    const context = await browser.newContext({ viewport: SIZES[0], hasTouch: true, isMobile: true, bypassCSP: true, baseURL: BASE });
    const page = await context.newPage();
    await signIn(page, email);
    await page.getByTestId('account-link').waitFor();
    await page.goto(`/campaigns/${draft.id}?step=check`);
    await page.getByRole('heading', { name: 'Se over og send' }).waitFor();
    await page.getByRole('button', { name: 'Send til vurdering' }).click();
    const summary = page.getByTestId('error-summary');
    await summary.waitFor();
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'error-summary');
    const text = await summary.innerText();
    assert.match(text, /Sammendrag: Skriv et kort sammendrag før du sender inn\./);
    assert.doesNotMatch(text, /write a summary|required/i, 'nothing in English');
    for (const v of await axe(page)) found.push(`editor with errors at 390px: ${v}`);
    await summary.getByRole('link', { name: /^Sammendrag/ }).click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'c-summary');

    // Unsaved text: leaving through the app asks, and staying keeps it.
    await page.locator('#c-summary').fill('Vi hilser på alle ved porten.');
    page.once('dialog', (dialog) => {
      assert.match(dialog.message(), /ikke er lagret/);
      dialog.dismiss();
    });
    await page.getByRole('link', { name: 'Hjem' }).click();
    assert.equal(new URL(page.url()).pathname, `/campaigns/${draft.id}`);
    assert.equal(await page.locator('#c-summary').inputValue(), 'Vi hilser på alle ved porten.');
    await context.close();

    // The published campaign, as anyone sees it.
    let version = (await api(siri, 'PATCH', `/campaigns/${draft.id}`, {
      summary: 'Vi hilser på alle.', body: 'Ved porten, hele helgen.', version: draft.version,
    })).version;
    version = (await api(siri, 'POST', `/campaigns/${draft.id}/submit`, { version })).version;
    const approved = await api(facilitator, 'POST', `/campaigns/${draft.id}/decision`, { decision: 'approve', version });
    for (const viewport of SIZES) {
      const visitor = await browser.newContext({ viewport, bypassCSP: true, baseURL: BASE, permissions: ['clipboard-read', 'clipboard-write'] });
      const pub = await visitor.newPage();
      await pub.goto(`/c/${approved.slug}`);
      await pub.getByRole('heading', { name: 'Hei', level: 1 }).waitFor();
      await pub.waitForFunction(() => document.title.startsWith('Hei'));
      const join = pub.getByTestId('join-programme');
      assert.equal(await join.getAttribute('href'), `/programmes/${programme.id}`);
      // No share sheet in a desktop browser: the link is copied.
      await pub.evaluate(() => { delete Navigator.prototype.share; });
      await pub.getByTestId('share').click();
      await pub.getByRole('status').filter({ hasText: 'Link copied' }).waitFor();
      assert.equal(await pub.evaluate(() => navigator.clipboard.readText()), `${BASE}/c/${approved.slug}`);
      // Reporting is there, folded away.
      assert.equal(await pub.getByText('Report this campaign').count(), 1);
      for (const v of await axe(pub)) found.push(`public page at ${viewport.width}px: ${v}`);

      // A signed-out visitor picks their language.
      await pub.getByTestId('language-picker').selectOption('sv');
      await pub.getByRole('button', { name: 'Dela' }).waitFor();
      assert.equal(await pub.evaluate(() => document.documentElement.lang), 'sv');
      await visitor.close();
    }
  } finally {
    await browser.close();
  }
  assert.deepEqual(found, []);
});
