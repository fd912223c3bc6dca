import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, signIn, apiToken, api, welcome } from './support.mjs';

// The admin (made by the test script) sets up a city, a programme and its
// facilitator over the API; everything young people do happens in the app.
test('a team forms, a friend joins with the code, they submit a campaign, the facilitator marks both trained', async () => {
  const stamp = Date.now();
  const admin = await apiToken('admin@e2e.example');
  const city = `e2e-${stamp}`;
  await api(admin, 'POST', '/cities', { slug: city, name: 'Kristiansand', country: 'NO' });
  const year = new Date().getFullYear();
  const programme = await api(admin, 'POST', `/cities/${city}/programmes`, {
    slug: 'kominn', name: 'KomINN Kristiansand', kind: 'kominn', description: 'Changemaker training.',
    starts_on: `${year}-01-01`, ends_on: `${year + 1}-12-31`, locale: 'en',
  });
  const facilitatorEmail = `youthworker-${stamp}@e2e.example`;
  await api(admin, 'POST', `/programmes/${programme.id}/facilitators`, { email: facilitatorEmail });

  const browser = await launch();
  try {
    // The lead starts a team on their phone.
    const lead = await (await phone(browser)).newPage();
    await signIn(lead, `ada-${stamp}@e2e.example`);
    await welcome(lead, 'Ada', year - 16);
    await lead.goto(`/programmes/${programme.id}`);
    await lead.getByLabel('Team name').fill('Team Sol');
    await lead.getByRole('button', { name: 'Start a team' }).click();
    await lead.getByRole('heading', { name: 'Team Sol' }).waitFor();
    const code = (await lead.getByTestId('join-code').innerText()).trim();
    assert.match(code, /^[A-Z0-9]{4}-[A-Z0-9]{4}$/);

    // A friend, in another browser, joins with the code.
    const friend = await (await phone(browser)).newPage();
    await signIn(friend, `bo-${stamp}@e2e.example`);
    await welcome(friend, 'Bo', year - 15);
    await friend.goto('/join');
    await friend.getByLabel('Join code').fill(code.toLowerCase());
    await friend.getByRole('button', { name: 'Join', exact: true }).click();
    await friend.getByRole('heading', { name: 'Team Sol' }).waitFor();
    assert.equal(await friend.getByTestId('member-list').getByRole('listitem').count(), 2);

    // The lead writes the campaign and submits it.
    await lead.reload();
    await lead.getByRole('link', { name: 'New campaign' }).click();
    // Step by step: the idea creates the draft, the story saves itself.
    await lead.getByRole('heading', { name: 'The idea' }).waitFor();
    await lead.getByLabel('Title').fill('Hils for faen!');
    await lead.getByLabel('Summary').fill('Say hello to someone new at the festival.');
    await lead.getByLabel('Youth').check();
    await lead.getByRole('button', { name: 'Create campaign' }).click();
    await lead.getByRole('heading', { name: 'The story' }).waitFor();
    await lead.getByTestId('save-state').filter({ hasText: 'All changes saved' }).waitFor();
    await lead.getByLabel('The campaign').fill('We stand at the gate and greet everyone.\n\n- smile\n- say hi');
    await lead.getByTestId('save-state').filter({ hasText: 'Unsaved changes' }).waitFor();
    await lead.getByTestId('save-state').filter({ hasText: 'All changes saved' }).waitFor(); // saved by itself
    await lead.getByRole('button', { name: 'Next' }).click();
    await lead.getByRole('heading', { name: 'Photos and videos' }).waitFor();
    await lead.getByRole('button', { name: 'When and where' }).click();
    await lead.getByLabel('Where? (optional)').fill('Kristiansand');
    await lead.getByTestId('save-state').filter({ hasText: 'Unsaved changes' }).waitFor();
    await lead.getByRole('button', { name: 'Check and send' }).click();
    const preview = lead.getByTestId('campaign-preview');
    await preview.getByText('Kristiansand').waitFor(); // saved before the check
    assert.match(await preview.innerText(), /greet everyone/);
    await lead.getByRole('button', { name: 'Submit for review' }).click();
    await lead.locator('h1 .badge').filter({ hasText: 'Submitted' }).waitFor();

    // The friend sees it in the team's list, with its status.
    await friend.reload();
    const list = friend.getByTestId('campaign-list');
    await list.getByText('Hils for faen!').waitFor();
    assert.match(await list.innerText(), /Submitted/);

    // The facilitator marks both trained.
    const facilitator = await (await phone(browser)).newPage();
    await signIn(facilitator, facilitatorEmail);
    await facilitator.getByRole('heading', { name: 'Your account' }).waitFor();
    await facilitator.goto(`/programmes/${programme.id}`);
    const people = facilitator.getByTestId('participant');
    await people.first().waitFor();
    assert.equal(await people.count(), 2);
    for (let i = 0; i < 2; i++) {
      await facilitator.getByRole('button', { name: 'Mark trained' }).first().click();
      await facilitator.getByText(/^Trained /).nth(i).waitFor();
    }
    assert.equal(await facilitator.getByText(/^Trained /).count(), 2);
    assert.equal(await facilitator.getByRole('button', { name: 'Mark trained' }).count(), 0);
  } finally {
    await browser.close();
  }
});
