/**
 * `npm run size`: the gzip size of the JS and CSS the first page loads (entry, its static imports
 * and stylesheets, as the built index.html names them), against the budget, and next to a bare
 * Cloudscape page built from the same Cloudscape version (scripts/bare-cloudscape).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildBareCloudscape } from './bare-cloudscape/build';

const JS_BUDGET_KB = 285;
/** Issue 11's goal: the first page's JS at most this much of the bare page's. */
const GOAL_RATIO = 1.1;
const root = join(import.meta.dirname, '..');

async function firstPage(dist: string) {
  const html = await readFile(join(dist, 'index.html'), 'utf8');
  const assets = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((match) => match[1] ?? '');
  const sizes = await Promise.all(
    assets.map(async (asset) => ({ asset, gzip: gzipSync(await readFile(join(dist, asset)), { level: 9 }).length })),
  );
  const total = (extension: string) =>
    sizes.filter(({ asset }) => asset.endsWith(extension)).reduce((sum, { gzip }) => sum + gzip, 0) / 1024;
  return { assets, sizes, js: total('.js'), css: total('.css') };
}

const ours = await firstPage(join(root, 'dist'));
for (const { asset, gzip } of ours.sizes) console.log(`${(gzip / 1024).toFixed(1).padStart(8)} kB  ${asset}`);
console.log(`First page: JS ${ours.js.toFixed(1)} kB gzip (budget ${JS_BUDGET_KB} kB), CSS ${ours.css.toFixed(1)} kB gzip`);

const bareDist = mkdtempSync(join(tmpdir(), 'pat-console-bare-'));
try {
  await buildBareCloudscape(bareDist);
  const bare = await firstPage(bareDist);
  const ratio = ours.js / bare.js;
  console.log(
    `Bare Cloudscape page (same version): JS ${bare.js.toFixed(1)} kB gzip; My settings is ${ratio.toFixed(2)}× it (goal ${GOAL_RATIO}×: ${ratio <= GOAL_RATIO ? 'met' : 'MISSED'})`,
  );
} finally {
  rmSync(bareDist, { recursive: true, force: true });
}

// What the first paint does not need loads on demand. The build lists the modules the first page
// carries (vite.config.ts); none of these may be among them.
const ON_DEMAND = [
  'src/app/routes/create-token-page.tsx',
  'src/features/access-tokens/components/expiry-calendar.tsx',
  'src/app/routes/repositories-page.tsx',
  'src/features/access-tokens/components/delete-access-tokens-modal.tsx',
  'src/components/table-preferences-panel.tsx',
  'src/features/access-tokens/components/regenerate-access-token-modal.tsx',
  'src/app/routes/activity-page.tsx',
  'src/app/routes/token-details-page.tsx',
  'src/features/activity/components/activity-table.tsx',
  'node_modules/@cloudscape-design/components/flashbar/index.js',
];
const firstPageModules = JSON.parse(await readFile(join(root, 'dist', '.vite', 'first-page-modules.json'), 'utf8')) as string[];
const eager = ON_DEMAND.filter((module) => firstPageModules.includes(module));
console.log(
  eager.length === 0
    ? 'Create page, calendar, repositories, activity and PAT details pages, delete and regenerate dialogs, preferences and Flashbar: loaded on demand'
    : `Loaded up front by mistake: ${eager.join(', ')}`,
);
if (eager.length > 0) process.exitCode = 1;
if (ours.js > JS_BUDGET_KB) {
  console.error(`Over budget by ${(ours.js - JS_BUDGET_KB).toFixed(1)} kB`);
  process.exitCode = 1;
}
