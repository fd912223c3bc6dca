import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, signIn, apiToken, api, welcome } from './support.mjs';

// Reach on phones: the team logs what its campaign achieved, the facilitator
// verifies a lower number, and the public goal page shows it.
test('a team logs reach, the facilitator verifies it, the goal shows it', async () => {
  const stamp = Date.now();
  const admin = await apiToken('admin@e2e.example');
  const city = `reach-${stamp}`;
  await api(admin, 'POST', '/cities', { slug: city, name: 'Larvik', country: 'NO' });
  const year = new Date().getFullYear();
  const programme = await api(admin, 'POST', `/cities/${city}/programmes`, {
    slug: 'kominn', name: 'KomINN Larvik', kind: 'kominn', description: 'Changemaker training.',
    starts_on: `${year}-01-01`, ends_on: `${year + 1}-12-31`, locale: 'en',
  });
  const facilitatorEmail = `reach-kari-${stamp}@e2e.example`;
  await api(admin, 'POST', `/programmes/${programme.id}/facilitators`, { email: facilitatorEmail });
  const before = (await (await fetch(`${process.env.E2E_BASE_URL ?? 'http://127.0.0.1:8080'}/api/v1/stats/goal`)).json())
    .people_reached_verified;

  const browser = await launch();
  try {
    const lead = await (await phone(browser)).newPage();
    const leadEmail = `reach-maja-${stamp}@e2e.example`;
    await signIn(lead, leadEmail);
    await welcome(lead, 'Maja', year - 16);
    const leadToken = await apiToken(leadEmail);
    const team = await api(leadToken, 'POST', `/programmes/${programme.id}/teams`, { name: 'Team Hils' });
    const draft = await api(leadToken, 'POST', `/teams/${team.id}/campaigns`, {
      title: '#Hilsforfaen', summary: 'Say hello to someone new.', body: 'We greet everyone at the festival gate.', theme: 'youth',
    });
    const submitted = await api(leadToken, 'POST', `/campaigns/${draft.id}/submit`, { version: draft.version });
    await api(admin, 'POST', `/campaigns/${draft.id}/decision`, { decision: 'approve', version: submitted.version });

    // The team logs its reach on the campaign page.
    await lead.goto(`/campaigns/${draft.id}`);
    const form = lead.getByTestId('reach-form');
    await form.getByLabel('How many people did you reach?').fill('2800');
    await form.getByLabel('What happened?').fill('We said hello to 3000 people at the festival gate.');
    await form.getByLabel('Link to proof').fill('https://example.no/hilsforfaen');
    await form.getByRole('button', { name: 'Log reach' }).click();
    await lead.getByText('Logged! Your facilitator will check it.').waitFor();
    await lead.getByTestId('reach-list').getByText('Waiting for check').waitFor();
    // A recount at the gate: the team changes the pending report.
    await lead.getByTestId('reach-list').getByRole('button', { name: 'Change' }).click();
    await form.getByLabel('How many people did you reach?').fill('3000');
    await form.getByRole('button', { name: 'Save the change' }).click();
    await lead.getByText('Changed. Your facilitator will check it.').waitFor();
    await lead.getByTestId('reach-list').getByText('3,000', { exact: true }).waitFor();

    // A photo as proof, for the facilitator only.
    const dataUrl = await lead.evaluate(() => {
      const canvas = document.createElement('canvas');
      canvas.width = 800;
      canvas.height = 600;
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = '#d94f70';
      ctx.fillRect(0, 0, 800, 600);
      return canvas.toDataURL('image/jpeg', 0.9);
    });
    await lead.getByTestId('evidence-input').setInputFiles({
      name: 'gate.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(dataUrl.split(',')[1], 'base64'),
    });
    await lead.getByTestId('reach-list').locator('.evidence img').waitFor({ timeout: 30000 });
    const overflow = await lead.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);

    // The facilitator verifies 2,500 of the 3,000.
    const kari = await (await phone(browser)).newPage();
    await signIn(kari, facilitatorEmail);
    await kari.getByRole('heading', { name: 'Your account' }).waitFor();
    await kari.goto('/moderation/reach');
    const queue = kari.getByTestId('reach-queue');
    await queue.getByText('#Hilsforfaen').waitFor();
    await queue.locator('.evidence img').waitFor();
    await queue.getByLabel('Verified number (leave empty for all)').fill('2500');
    await queue.getByLabel('Note for the team').fill('Ticket counts say 2,500.');
    await queue.getByTestId('verify').click();
    await kari.getByText('Verified. The team has been told.').waitFor();
    await kari.getByTestId('reach-queue-empty').waitFor();

    // The team sees the decision.
    await lead.reload();
    await lead.getByTestId('reach-list').getByText('2,500 of 3,000 verified').waitFor();

    // Anyone sees the new figure on the goal page (the server's copy follows within seconds).
    const visitor = await (await phone(browser)).newPage();
    const expected = new Intl.NumberFormat('en').format(before + 2500);
    const deadline = Date.now() + 20000;
    for (;;) {
      await visitor.goto('/goal');
      const figure = visitor.getByTestId('reach-verified');
      await figure.waitFor();
      if ((await figure.innerText()).trim() === expected) break;
      assert.ok(Date.now() < deadline, `the goal page never showed ${expected}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    const progress = visitor.locator('progress');
    assert.equal(await progress.getAttribute('max'), '10000');
    await visitor.getByTestId('goal-figure').filter({ hasText: 'of 10,000 changemakers trained' }).waitFor();
  } finally {
    await browser.close();
  }
});
