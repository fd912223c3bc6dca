// Fails the build when the embed script is over its budget: cities' pages
// load it for every visitor.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET = 5 * 1024;
const bytes = readFileSync(new URL('../dist/embed.js', import.meta.url));
const gzipped = gzipSync(bytes, { level: 9 }).length;
console.log(`embed.js: ${bytes.length} bytes, ${gzipped} bytes gzipped (budget ${BUDGET})`);
if (gzipped > BUDGET) {
  console.error('embed.js is over its 5 KB gzipped budget');
  process.exit(1);
}
