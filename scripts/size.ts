/**
 * `npm run size`: the gzip size of the JS and CSS the first page loads (entry, its static imports
 * and stylesheets, as dist/index.html names them), against the budget.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const JS_BUDGET_KB = 330;
const dist = join(import.meta.dirname, '..', 'dist');
const html = await readFile(join(dist, 'index.html'), 'utf8');
const assets = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((match) => match[1] ?? '');

const sizes = await Promise.all(
  assets.map(async (asset) => ({ asset, gzip: gzipSync(await readFile(join(dist, asset)), { level: 9 }).length })),
);
const total = (extension: string) =>
  sizes.filter(({ asset }) => asset.endsWith(extension)).reduce((sum, { gzip }) => sum + gzip, 0) / 1024;

for (const { asset, gzip } of sizes) console.log(`${(gzip / 1024).toFixed(1).padStart(8)} kB  ${asset}`);
const js = total('.js');
console.log(`First page: JS ${js.toFixed(1)} kB gzip (budget ${JS_BUDGET_KB} kB), CSS ${total('.css').toFixed(1)} kB gzip`);
// The create page, its calendar and the repositories page load on demand; none belongs to the first page.
const eager = assets.filter((asset) => /create-token-page|expiry-calendar|repositories-page/.test(asset));
console.log(eager.length === 0 ? 'Create page, calendar and repositories page: loaded on demand' : `Loaded up front by mistake: ${eager.join(', ')}`);
if (eager.length > 0) process.exitCode = 1;
if (js > JS_BUDGET_KB) {
  console.error(`Over budget by ${(js - JS_BUDGET_KB).toFixed(1)} kB`);
  process.exitCode = 1;
}
