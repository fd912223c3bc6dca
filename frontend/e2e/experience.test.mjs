import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, signIn, apiToken, api, axe, SIZES, BASE } from './support.mjs';

// A participant's Home shows the next step for each state of their work;
// the facilitator's decision reaches them as a notification; each screen
// change names the tab and moves focus to its heading; removing a teammate
// asks first. axe checks each of these screens at phone and laptop size.
test('the next step, notifications, titles and focus, confirmations, and axe on each screen', async () => {
  const stamp = Date.now();
  const year = new Date().getFullYear();
  const admin = await apiToken('admin@e2e.example');
  const city = `xp-${stamp}`;
  await api(admin, 'POST', '/cities', { slug: city, name: 'Larvik', country: 'NO' });
  const programme = await api(admin, 'POST', `/cities/${city}/programmes`, {
    slug: 'kominn', name: 'KomINN Larvik', kind: 'kominn', description: 'Changemaker training.',
    starts_on: `${year}-01-01`, ends_on: `${year + 1}-12-31`, locale: 'en',
  });
  const facilitatorEmail = `fac-${stamp}@e2e.example`;
  await api(admin, 'POST', `/programmes/${programme.id}/facilitators`, { email: facilitatorEmail });
  const facilitator = await apiToken(facilitatorEmail);
  const leadEmail = `lina-${stamp}@e2e.example`;
  const lead = await apiToken(leadEmail);
  await api(lead, 'PATCH', '/me', { display_name: 'Lina', birth_year: year - 16 });
  const mateEmail = `omar-${stamp}@e2e.example`;
  const mate = await apiToken(mateEmail);
  await api(mate, 'PATCH', '/me', { display_name: 'Omar', birth_year: year - 15 });

  const browser = await launch();
  const found = [];
  const check = async (page, name, width) => {
    for (const v of await axe(page)) found.push(`${name} at ${width}px: ${v}`);
  };
  try {
    const context = await browser.newContext({ viewport: SIZES[0], hasTouch: true, isMobile: true, bypassCSP: true, baseURL: BASE });
    const page = await context.newPage();
    await signIn(page, leadEmail);
    await page.getByTestId('account-link').waitFor();
    const step = page.getByTestId('next-step');
    const expectStep = async (kind, heading) => {
      await page.goto('/');
      await step.and(page.locator(`[data-step="${kind}"]`)).waitFor();
      await step.getByRole('heading', { name: heading }).waitFor();
      await check(page, `home (${kind})`, SIZES[0].width);
    };

    await expectStep('join', 'Join your programme');
    const team = await api(lead, 'POST', `/programmes/${programme.id}/teams`, { name: 'Team Bølge' });
    await expectStep('start', 'Start your campaign');
    const campaign = await api(lead, 'POST', `/teams/${team.id}/campaigns`, {
      title: 'Hils for faen', summary: 'Say hi to someone new.', body: 'At the festival gate.', theme: 'youth',
    });
    await expectStep('draft', 'Finish your draft');
    let version = (await api(lead, 'POST', `/campaigns/${campaign.id}/submit`, { version: campaign.version })).version;
    await expectStep('waiting', 'Your campaign is with a facilitator');
    version = (await api(facilitator, 'POST', `/campaigns/${campaign.id}/decision`, {
      decision: 'request_changes', feedback: 'Say where it happens.', version,
    })).version;
    await expectStep('changes', 'Your facilitator has feedback');
    await step.getByText('Say where it happens.').waitFor();

    // The decision is waiting in the bar; opening it clears the count.
    await page.getByTestId('unread-count').filter({ hasText: '1' }).waitFor();
    await page.getByTestId('notifications-link').click();
    await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    // The tab says where we are, and focus is on the new screen's heading.
    await page.waitForFunction(() => document.title === 'Notifications · changemakers');
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
    await check(page, 'notifications', SIZES[0].width);
    await page.getByTestId('notifications').getByText('A facilitator asked for changes to “Hils for faen”.').click();
    await page.waitForURL(`**/campaigns/${campaign.id}`);
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
    await page.getByTestId('unread-count').waitFor({ state: 'detached' });

    // Approved: the next step is logging reach.
    version = (await api(lead, 'POST', `/campaigns/${campaign.id}/submit`, { version })).version;
    await api(facilitator, 'POST', `/campaigns/${campaign.id}/decision`, { decision: 'approve', version });
    await expectStep('reach', 'Tell us who you reached');

    // Removing a teammate asks first; cancelling keeps them.
    await api(mate, 'POST', '/teams/join', { code: team.join_code });
    await page.goto(`/teams/${team.id}`);
    const members = page.getByTestId('member-list').getByRole('listitem');
    await members.filter({ hasText: 'Omar' }).waitFor();
    await members.filter({ hasText: 'Omar' }).getByRole('button', { name: 'Remove' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove Omar from the team?' });
    await dialog.waitFor();
    await check(page, 'team, confirming', SIZES[0].width);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await members.filter({ hasText: 'Omar' }).count(), 1);
    await members.filter({ hasText: 'Omar' }).getByRole('button', { name: 'Remove' }).click();
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await members.filter({ hasText: 'Omar' }).waitFor({ state: 'detached' });

    // The same screens at laptop size.
    await page.setViewportSize(SIZES[1]);
    for (const [path, heading, name] of [
      ['/', 'Tell us who you reached', 'home (reach)'],
      ['/notifications', 'Notifications', 'notifications'],
      [`/teams/${team.id}`, 'Team Bølge', 'team'],
      ['/account', 'Your account', 'account'],
    ]) {
      await page.goto(path);
      await page.getByRole('heading', { name: heading }).first().waitFor();
      await check(page, name, SIZES[1].width);
    }
    await page.setViewportSize(SIZES[0]);
    await page.goto('/account');
    await page.getByRole('heading', { name: 'What we email you' }).waitFor();
    await check(page, 'account', SIZES[0].width);
    await page.goto(`/teams/${team.id}`);
    await page.getByRole('heading', { name: 'Team Bølge' }).waitFor();
    await check(page, 'team', SIZES[0].width);

    // The facilitator's home: what waits for them, as tiles.
    const staff = await browser.newContext({ viewport: SIZES[0], bypassCSP: true, baseURL: BASE });
    const staffPage = await staff.newPage();
    await signIn(staffPage, facilitatorEmail);
    await staffPage.getByTestId('account-link').waitFor();
    await staffPage.goto('/');
    await staffPage.getByTestId('staff-queue').getByRole('heading', { name: 'Waiting for you' }).waitFor();
    assert.equal(await staffPage.getByTestId('next-step').count(), 0, 'staff are not told to join a team');
    // Their programme at a glance: named, with campaigns by status and the last week's changes.
    const overview = staffPage.getByTestId('programme-overview');
    await overview.getByRole('heading', { name: 'KomINN Larvik' }).waitFor();
    await overview.getByRole('heading', { name: 'In the last week' }).waitFor();
    assert.match(await overview.getByTestId('status-counts').innerText(), /Published\s*1/);
    assert.match(await overview.getByTestId('changes').innerText(), /\+1\s*new teams/);
    await staffPage.getByRole('link', { name: 'Facilitator: KomINN Larvik, Larvik' }).waitFor();
    await check(staffPage, 'staff home', SIZES[0].width);
    // Looking again: nothing new, until the team starts another campaign.
    await staffPage.reload();
    await overview.getByRole('heading', { name: /^Since you last looked/ }).waitFor();
    await overview.getByTestId('nothing-new').waitFor();
    await api(lead, 'POST', `/teams/${team.id}/campaigns`, { title: 'Bølge 2', summary: '', body: '', theme: 'community' });
    await staffPage.reload();
    assert.match(await overview.getByTestId('changes').innerText(), /\+1\s*campaigns started/);
    await staffPage.setViewportSize(SIZES[1]);
    await check(staffPage, 'staff home', SIZES[1].width);
  } finally {
    await browser.close();
  }
  assert.deepEqual(found, []);
});
