import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, signIn, apiToken, api, welcome } from './support.mjs';

// The round trip of moderation, on phones: the team submits, the facilitator
// asks for changes, the team edits and submits again, the facilitator
// approves, and the team (and anyone) sees the campaign published.
test('submit, request changes, resubmit, approve, published', async () => {
  const stamp = Date.now();
  const admin = await apiToken('admin@e2e.example');
  const city = `mod-${stamp}`;
  await api(admin, 'POST', '/cities', { slug: city, name: 'Larvik', country: 'NO' });
  const year = new Date().getFullYear();
  const programme = await api(admin, 'POST', `/cities/${city}/programmes`, {
    slug: 'kominn', name: 'KomINN Larvik', kind: 'kominn', description: 'Changemaker training.',
    starts_on: `${year}-01-01`, ends_on: `${year + 1}-12-31`, locale: 'en',
  });
  const facilitatorEmail = `kari-${stamp}@e2e.example`;
  await api(admin, 'POST', `/programmes/${programme.id}/facilitators`, { email: facilitatorEmail });

  const browser = await launch();
  try {
    // The lead signs in on their phone; the team and its draft come over the API.
    const lead = await (await phone(browser)).newPage();
    const leadEmail = `maja-${stamp}@e2e.example`;
    await signIn(lead, leadEmail);
    await welcome(lead, 'Maja', year - 16);
    const leadToken = await apiToken(leadEmail);
    const team = await api(leadToken, 'POST', `/programmes/${programme.id}/teams`, { name: 'Team Hils' });
    const campaign = await api(leadToken, 'POST', `/teams/${team.id}/campaigns`, {
      title: 'Hils for faen!', summary: 'Say hello to someone new.', body: 'We stand at the gate and greet everyone.', theme: 'youth',
    });

    // The team submits it in the app.
    await lead.goto(`/campaigns/${campaign.id}?step=check`);
    await lead.getByRole('button', { name: 'Submit for review' }).click();
    await lead.locator('h1 .badge').filter({ hasText: 'Submitted' }).waitFor();

    // The facilitator finds it in the queue and asks for a change.
    const kari = await (await phone(browser)).newPage();
    await signIn(kari, facilitatorEmail);
    await kari.getByRole('heading', { name: 'Your account' }).waitFor();
    await kari.getByRole('link', { name: 'Moderation' }).click();
    const queue = kari.getByTestId('queue');
    await queue.getByText('Hils for faen!').waitFor();
    await queue.getByRole('link', { name: 'Review' }).click();
    await kari.getByRole('heading', { name: 'What changed' }).waitFor();
    await kari.getByLabel('Request changes').check();
    await kari.getByRole('button', { name: 'Send decision' }).click();
    await kari.getByText('Please check the fields marked below.').waitFor(); // feedback is required
    await kari.getByLabel('Feedback for the team').fill('Please say where you will stand.');
    await kari.getByRole('button', { name: 'Send decision' }).click();
    await kari.getByTestId('decided').waitFor();
    await kari.getByTestId('queue-empty').waitFor();

    // The team reads the feedback, edits and submits again.
    await lead.reload();
    await lead.getByText('Please say where you will stand.').first().waitFor();
    await lead.locator('h1 .badge').filter({ hasText: 'Changes requested' }).waitFor();
    await lead.getByRole('button', { name: 'When and where' }).click();
    await lead.getByLabel('Where? (optional)').fill('The festival gate, Larvik');
    await lead.getByRole('button', { name: 'Save draft' }).click();
    await lead.getByTestId('save-state').filter({ hasText: 'All changes saved' }).waitFor();
    await lead.getByRole('button', { name: 'Check and send' }).click();
    await lead.getByRole('button', { name: 'Submit for review' }).click();
    await lead.locator('h1 .badge').filter({ hasText: 'Submitted' }).waitFor();

    // The facilitator approves.
    await kari.goto('/moderation');
    await kari.getByTestId('queue').getByRole('link', { name: 'Review' }).click();
    await kari.getByText('The festival gate, Larvik').waitFor();
    await kari.getByLabel('Approve and publish').check();
    await kari.getByRole('button', { name: 'Send decision' }).click();
    await kari.getByTestId('decided').waitFor();

    // The team sees it published, and so does anyone.
    await lead.reload();
    await lead.locator('h1 .badge').filter({ hasText: 'Published' }).waitFor();
    await lead.getByTestId('public-link').click();
    const page = lead.getByTestId('public-campaign');
    await page.getByRole('heading', { name: 'Hils for faen!' }).waitFor();
    assert.match(await page.innerText(), /Team Hils/);

    const visitor = await (await phone(browser)).newPage();
    await visitor.goto(new URL(lead.url()).pathname);
    await visitor.getByRole('heading', { name: 'Hils for faen!' }).waitFor();
    await visitor.getByText('Report this campaign').click();
    await visitor.getByLabel('Spam').check();
    await visitor.getByRole('button', { name: 'Send report' }).click();
    await visitor.getByTestId('report-sent').waitFor();

    // The report waits for the facilitator.
    await kari.getByRole('link', { name: 'Reports' }).click();
    await kari.getByTestId('reports').getByText('Hils for faen!').waitFor();
    // Nothing on the public page overflows a 390 px phone.
    const overflow = await visitor.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert.equal(overflow, false);
  } finally {
    await browser.close();
  }
});
