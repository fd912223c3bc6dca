import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, signIn, apiToken, api, welcome } from './support.mjs';

test('a team member uploads a photo and a clip from a phone, sees the progress bar, the thumbnail and the playable video', async () => {
  const stamp = Date.now();
  const admin = await apiToken('admin@e2e.example');
  const year = new Date().getFullYear();
  await api(admin, 'POST', '/cities', { slug: `up-${stamp}`, name: 'Larvik', country: 'NO' });
  const programme = await api(admin, 'POST', `/cities/up-${stamp}/programmes`, {
    slug: 'kominn', name: 'KomINN', kind: 'kominn', description: '', starts_on: `${year}-01-01`, ends_on: `${year + 1}-12-31`, locale: 'en',
  });

  const browser = await launch();
  try {
    const context = await phone(browser);
    const page = await context.newPage();
    await signIn(page, `photo-${stamp}@e2e.example`);
    await welcome(page, 'Fotograf', year - 16);
    // Team and campaign through the API with this person's session cookie.
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'changemakers_session').value;
    const team = await api(session, 'POST', `/programmes/${programme.id}/teams`, { name: 'Team Foto' });
    const campaign = await api(session, 'POST', `/teams/${team.id}/campaigns`, { title: 'Bilder', summary: 's', body: 'b', theme: 'community' });
    await page.goto(`/campaigns/${campaign.id}?step=media`);
    await page.getByRole('heading', { name: 'Photos and videos' }).waitFor();

    // A photo made in the page (noise, so it stays a few hundred kB as JPEG).
    const dataUrl = await page.evaluate(() => {
      const canvas = document.createElement('canvas');
      canvas.width = 1200;
      canvas.height = 900;
      const ctx = canvas.getContext('2d');
      const pixels = ctx.createImageData(1200, 900);
      for (let i = 0; i < pixels.data.length; i++) pixels.data[i] = (i * 7919) % 251;
      ctx.putImageData(pixels, 0, 0);
      return canvas.toDataURL('image/jpeg', 0.95);
    });
    const buffer = Buffer.from(dataUrl.split(',')[1], 'base64');
    assert.ok(buffer.length > 100_000, `${buffer.length} bytes`);

    // A slow phone connection, so the progress can be seen.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 50, downloadThroughput: 2_000_000, uploadThroughput: 120_000 });
    await page.setInputFiles('#photo-input', { name: 'IMG_0042.jpg', mimeType: 'image/jpeg', buffer });
    await page.getByTestId('upload-progress').waitFor();
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

    const thumbnail = page.getByTestId('thumbnail');
    await thumbnail.waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => {
      const img = document.querySelector('[data-testid="thumbnail"]');
      return img && img.complete && img.naturalWidth > 0;
    });
    assert.equal(await page.getByTestId('upload-progress').count(), 0);
    assert.equal(await thumbnail.evaluate((img) => img.naturalWidth), 320);

    // A short clip recorded in the page (as a phone browser records WebM):
    // it uploads, and the cleaned file still plays.
    const clip = await page.evaluate(async () => {
      const canvas = document.createElement('canvas');
      canvas.width = 160;
      canvas.height = 120;
      const ctx = canvas.getContext('2d');
      const recorder = new MediaRecorder(canvas.captureStream(25), { mimeType: 'video/webm' });
      const chunks = [];
      recorder.ondataavailable = (e) => chunks.push(e.data);
      const done = new Promise((resolve) => { recorder.onstop = resolve; });
      recorder.start(100);
      for (let frame = 0; frame < 25; frame++) {
        ctx.fillStyle = `hsl(${frame * 14}, 80%, 50%)`;
        ctx.fillRect(0, 0, 160, 120);
        await new Promise((r) => setTimeout(r, 40));
      }
      recorder.stop();
      await done;
      const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
      let binary = '';
      for (const b of bytes) binary += String.fromCharCode(b);
      return btoa(binary);
    });
    await page.setInputFiles('#photo-input', { name: 'clip.webm', mimeType: 'video/webm', buffer: Buffer.from(clip, 'base64') });
    const video = page.getByTestId('video');
    await video.waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => {
      const v = document.querySelector('[data-testid="video"]');
      return v && v.readyState >= 1 && v.videoWidth === 160;
    }, null, { timeout: 30_000 });

    // Alt text and consent for both, then the campaign can be submitted.
    for (const field of await page.getByLabel('Describe the photo or video').all()) {
      await field.fill('A test pattern');
      await field.blur();
    }
    for (const box of await page.getByLabel('Everyone recognisable in it agreed to be shown').all()) {
      await box.check();
    }
    await page.waitForTimeout(300);
    await page.getByRole('button', { name: 'Check and send' }).click();
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.locator('h1 .badge').filter({ hasText: 'Submitted' }).waitFor();
  } finally {
    await browser.close();
  }
});
