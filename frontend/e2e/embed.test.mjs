import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { launch, signIn, apiToken, api, BASE } from './support.mjs';

// Embeds on a city's website: another origin frames the gallery, which grows
// to its content; the web component renders in a host page; both work with
// JavaScript off; axe finds nothing on the gallery, the card, the component
// and the snippet generator, on a phone and on a laptop.

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const stamp = Date.now();
const city = `embed-${stamp}`;
let slug;
let host;
let hostOrigin;
let browser;

/** A photo made in a browser page (noise, so it is a real JPEG of some size). */
async function photo() {
  const page = await browser.newPage();
  const dataUrl = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 900;
    canvas.height = 600;
    const ctx = canvas.getContext('2d');
    const pixels = ctx.createImageData(900, 600);
    for (let i = 0; i < pixels.data.length; i++) pixels.data[i] = (i % 4 === 3) ? 255 : ((i * 7919) % 251);
    ctx.putImageData(pixels, 0, 0);
    return canvas.toDataURL('image/jpeg', 0.9);
  });
  await page.close();
  return Buffer.from(dataUrl.split(',')[1], 'base64');
}

before(async () => {
  browser = await launch();
  const admin = await apiToken('admin@e2e.example');
  await api(admin, 'POST', '/cities', { slug: city, name: 'Kristiansand', country: 'NO' });
  const year = new Date().getFullYear();
  const programme = await api(admin, 'POST', `/cities/${city}/programmes`, {
    slug: 'allin', name: "ALL'IN Kristiansand", kind: 'allin', description: 'Changemaker training.',
    starts_on: `${year}-01-01`, ends_on: `${year + 1}-12-31`, locale: 'nb',
  });
  const facilitatorEmail = `embed-kari-${stamp}@e2e.example`;
  await api(admin, 'POST', `/programmes/${programme.id}/facilitators`, { email: facilitatorEmail });
  const leadEmail = `embed-maja-${stamp}@e2e.example`;
  const lead = await apiToken(leadEmail);
  await api(lead, 'PATCH', '/me', { display_name: 'Maja', birth_year: year - 16 });
  const team = await api(lead, 'POST', `/programmes/${programme.id}/teams`, { name: 'Team Hils' });
  const campaign = await api(lead, 'POST', `/teams/${team.id}/campaigns`, {
    title: 'Hils for faen', summary: 'Vi hilser på alle på festivalen.', body: 'Ved porten.', theme: 'youth',
  });
  const form = new FormData();
  form.append('alt_text', 'Ungdommer som vinker ved festivalporten');
  form.append('consent_confirmed', 'true');
  form.append('file', new Blob([await photo()], { type: 'image/jpeg' }), 'wave.jpg');
  const uploaded = await fetch(`${BASE}/api/v1/campaigns/${campaign.id}/media`, {
    method: 'POST', headers: { authorization: `Bearer ${lead}` }, body: form,
  });
  const text = await uploaded.text();
  assert.equal(uploaded.status, 202, text);
  const media = JSON.parse(text);
  for (let i = 0; i < 100; i++) {
    const now = await api(lead, 'GET', `/media/${media.id}`);
    if (now.status === 'ready') break;
    assert.notEqual(now.status, 'failed');
    await new Promise((r) => setTimeout(r, 100));
  }
  const current = await api(lead, 'GET', `/campaigns/${campaign.id}`);
  const submitted = await api(lead, 'POST', `/campaigns/${campaign.id}/submit`, { version: current.version });
  slug = submitted.slug;
  const facilitator = await apiToken(facilitatorEmail);
  await api(facilitator, 'POST', `/campaigns/${campaign.id}/decision`, { decision: 'approve', version: submitted.version });

  // A city's website on another origin.
  host = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const pages = {
      '/frame': `<iframe id="f" src="${BASE}/embed/gallery?city=${city}" title="Kampanjer" width="100%" height="150" style="border:0"></iframe>
        <script src="${BASE}/embed.js" async></script>`,
      '/wordpress': `<iframe id="f" src="${BASE}/embed/gallery?city=${city}#?secret=Wp4Secret" title="Kampanjer" width="600" height="150"></iframe>
        <script>window.got = []; addEventListener('message', (e) => window.got.push({ origin: e.origin, data: e.data }));</script>`,
      '/component': `<div lang="sv"><changemakers-gallery city="${city}" limit="6" accent="#ffcc00">
        <a href="${BASE}/gallery?city=${city}">Se kampanjerna</a></changemakers-gallery></div>
        <script src="${BASE}/embed.js" async></script>`,
    };
    const body = pages[url.pathname];
    res.writeHead(body ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(body ? `<!doctype html><html lang="nb"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Kristiansand kommune</title></head><body><main><h1>Kristiansand kommune</h1>${body}</main></body></html>` : 'not found');
  });
  await new Promise((r) => host.listen(0, 'localhost', r));
  hostOrigin = `http://localhost:${host.address().port}`;
});

after(async () => {
  await browser?.close();
  host?.close();
});

test('the gallery iframe on another origin grows to its content', async () => {
  const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await page.goto(`${hostOrigin}/frame`);
  const frame = page.frameLocator('#f');
  await frame.getByRole('heading', { name: 'Hils for faen' }).waitFor();
  await page.waitForFunction(() => document.getElementById('f').getBoundingClientRect().height > 300);
  const content = await page.frame({ url: /embed\/gallery/ }).evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
  const height = await page.evaluate(() => document.getElementById('f').getBoundingClientRect().height);
  assert.ok(Math.abs(height - content) <= 2, `frame ${height} px for content ${content} px`);
  await page.context().close();
});

test("the gallery iframe answers WordPress's resize protocol with its secret", async () => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${hostOrigin}/wordpress`);
  await page.waitForFunction(() => window.got.some((m) => m.data && m.data.message === 'height'));
  const got = await page.evaluate(() => window.got);
  const wp = got.find((m) => m.data.message === 'height');
  assert.equal(wp.origin, new URL(BASE).origin);
  assert.equal(wp.data.secret, 'Wp4Secret');
  assert.ok(wp.data.value > 100);
  assert.ok(got.some((m) => m.data.type === 'changemakers:resize' && m.data.height === wp.data.value));
  await page.context().close();
});

test('the web component renders in a host page in its language, and embed.js is small', async () => {
  const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await page.goto(`${hostOrigin}/component`);
  const card = page.locator('changemakers-gallery').getByRole('link', { name: /Hils for faen/ });
  await card.waitFor();
  // Swedish from the nearest [lang], the theme in Swedish, the cover described.
  await page.locator('changemakers-gallery').getByText('Unga', { exact: true }).waitFor();
  await page.locator('changemakers-gallery').getByAltText('Ungdommer som vinker ved festivalporten').waitFor();
  assert.equal(await card.getAttribute('target'), '_blank');
  // Keyboard: the card's link takes focus.
  await card.focus();
  assert.equal(await page.evaluate(() => document.activeElement.tagName), 'CHANGEMAKERS-GALLERY');
  assert.deepEqual(await page.context().cookies(BASE), []);
  const bytes = Buffer.from(await (await fetch(`${BASE}/embed.js`)).arrayBuffer());
  const gzipped = gzipSync(bytes, { level: 9 }).length;
  assert.ok(gzipped <= 5 * 1024, `embed.js is ${gzipped} bytes gzipped`);
  console.log(`# embed.js: ${bytes.length} bytes, ${gzipped} bytes gzipped`);
  await page.context().close();
});

test('with JavaScript off the iframe still shows the campaigns and the component its link', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${hostOrigin}/frame`);
  await page.frameLocator('#f').getByRole('heading', { name: 'Hils for faen' }).waitFor();
  await page.goto(`${hostOrigin}/component`);
  await page.getByRole('link', { name: 'Se kampanjerna' }).waitFor();
  await context.close();
});

async function axe(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

test('axe finds no violations on the gallery, the card, the component and the snippet generator', async () => {
  const found = [];
  for (const viewport of [{ width: 390, height: 844 }, { width: 1280, height: 800 }]) {
    const context = await browser.newContext({ viewport, bypassCSP: true, baseURL: BASE });
    const page = await context.newPage();
    const screens = [
      [`${BASE}/embed/gallery?city=${city}`, 'Hils for faen'],
      [`${BASE}/embed/campaigns/${slug}`, 'Hils for faen'],
      [`${BASE}/gallery?city=${city}`, 'Hils for faen'],
      [`${hostOrigin}/component`, 'Hils for faen'],
    ];
    for (const [url, text] of screens) {
      await page.goto(url);
      await page.getByText(text).first().waitFor();
      for (const v of await axe(page)) found.push(`${url} at ${viewport.width}px: ${v}`);
    }
    await signIn(page, 'admin@e2e.example');
    // Signed in once the verify page has taken the link (the header shows the account).
    await page.getByTestId('account-link').waitFor();
    await page.goto(`/cities/${city}/embed`);
    await page.getByRole('heading', { name: /embed|vis kampanjene/i, level: 1 }).waitFor();
    await page.frameLocator('[data-testid="embed-preview"]').getByRole('heading', { name: 'Hils for faen' }).waitFor();
    for (const v of await axe(page)) found.push(`snippet generator at ${viewport.width}px: ${v}`);
    // The snippets say what was picked.
    await page.getByLabel(/theme|tema/i).selectOption('youth');
    const iframe = await page.getByTestId('snippet-iframe').inputValue();
    assert.match(iframe, new RegExp(`/embed/gallery\\?city=${city}&amp;theme=youth`));
    assert.match(iframe, /title="/);
    assert.match(await page.getByTestId('snippet-component').inputValue(), new RegExp(`<changemakers-gallery city="${city}" theme="youth"`));
    assert.match(await page.getByTestId('snippet-link').inputValue(), new RegExp(`/gallery\\?city=${city}&theme=youth`));
    await context.close();
  }
  assert.deepEqual(found, []);
});
