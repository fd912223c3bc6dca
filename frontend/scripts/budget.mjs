// Adds up the JavaScript a first visit downloads, from Vite's manifest: the
// shell, the screen it lands on and its language, with every chunk they
// import. Fails the build above the budget (compressed, as it travels).
import { readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync } from 'node:zlib';

const BUDGET = 60 * 1024;
const dist = new URL('../dist/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('.vite/manifest.json', dist), 'utf8'));

function closure(keys) {
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    const chunk = manifest[key];
    if (!chunk) throw new Error(`${key} is not in the manifest`);
    seen.add(key);
    for (const child of chunk.imports ?? []) visit(child);
  };
  keys.forEach(visit);
  return [...seen].map((key) => manifest[key].file).filter((file) => file.endsWith('.js'));
}

const visits = {
  'sign-in page': ['index.html', 'src/routes/SignIn.svelte', 'src/lib/i18n/en.ts'],
  'public campaign page': ['index.html', 'src/routes/PublicCampaign.svelte', 'src/lib/i18n/en.ts'],
  'public campaign page, in Icelandic': ['index.html', 'src/routes/PublicCampaign.svelte', 'src/lib/i18n/is.ts'],
  'home, signed in': ['index.html', 'src/routes/Home.svelte', 'src/lib/i18n/nb.ts'],
};

let failed = false;
for (const [name, keys] of Object.entries(visits)) {
  let raw = 0;
  let gzip = 0;
  let brotli = 0;
  for (const file of closure(keys)) {
    const bytes = readFileSync(new URL(file, dist));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
    brotli += brotliCompressSync(bytes).length;
  }
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`first load, ${name}: ${kb(raw)} of JavaScript, ${kb(gzip)} gzip, ${kb(brotli)} brotli (budget ${kb(BUDGET)})`);
  if (gzip > BUDGET) failed = true;
}
if (failed) {
  console.error('a first visit downloads more JavaScript than its budget');
  process.exit(1);
}
