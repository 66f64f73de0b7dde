/**
 * The server as plain JavaScript for deployment: one ES module, `build/server/main.js`, that runs
 * with `node` and the production dependencies alone (`npm ci --omit=dev`). Fails when the server
 * imports a package that is not a production dependency, since that would only show in deployment.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

const result = await build({
  entryPoints: [join(root, 'server/main.ts')],
  outfile: join(root, 'build/server/main.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  // Packages stay imports, resolved from node_modules at run time; our own code is bundled.
  packages: 'external',
  metafile: true,
  logLevel: 'warning',
});

// The pack-objects hook is a bash script that git runs; the server finds it beside itself.
copyFileSync(join(root, 'server/git/pack-objects-hook.sh'), join(root, 'build/server/pack-objects-hook.sh'));

const packageOf = (specifier: string) =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] ?? specifier);
const imported = new Set(
  Object.values(result.metafile.outputs)
    .flatMap((output) => output.imports)
    .filter((entry) => entry.external && !entry.path.startsWith('node:'))
    .map((entry) => packageOf(entry.path)),
);
const missing = [...imported].filter((name) => !(name in manifest.dependencies));
if (missing.length > 0) {
  console.error(`The server imports packages that are not production dependencies: ${missing.join(', ')}`);
  process.exit(1);
}
console.log(`build/server/main.js: imports ${[...imported].sort().join(', ')}`);
