import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { relative } from 'node:path';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * `npm run demo` serves msw's service worker straight from the installed package, so it always
 * matches msw's version and never ships in a production build.
 */
function mockServiceWorker(): Plugin {
  return {
    name: 'pat-console:mock-service-worker',
    apply: (_config, { command, mode }) => command === 'serve' && mode === 'demo',
    configureServer(server) {
      const worker = createRequire(import.meta.url).resolve('msw/mockServiceWorker.js');
      server.middlewares.use('/mockServiceWorker.js', (_request, response) => {
        response.setHeader('content-type', 'text/javascript');
        response.end(readFileSync(worker));
      });
    },
  };
}

/** Every module the entry imports statically: what the first page loads in any case. */
const firstPageModules = new Set<string>();

/**
 * Collects `firstPageModules` once the module graph is known, so that the first page loads as one
 * chunk: left to itself, the bundler cut it into 17 files (the modules it shares with lazy chunks
 * split out), each its own request and its own gzip stream. What loads on demand stays apart.
 * The list goes to dist/.vite (never served) for `npm run size` to check.
 */
function firstPageChunk(): Plugin {
  let root = '';
  return {
    name: 'pat-console:first-page-chunk',
    apply: 'build',
    configResolved(config) {
      root = config.root;
    },
    generateBundle() {
      const modules = [...firstPageModules].map((id) => relative(root, id)).sort();
      this.emitFile({ type: 'asset', fileName: '.vite/first-page-modules.json', source: JSON.stringify(modules, null, 1) });
    },
    buildEnd() {
      firstPageModules.clear();
      const pending = [...this.getModuleIds()].filter((id) => this.getModuleInfo(id)?.isEntry);
      for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
        if (firstPageModules.has(id)) continue;
        firstPageModules.add(id);
        pending.push(...(this.getModuleInfo(id)?.importedIds ?? []));
      }
    },
  };
}

export default defineConfig({
  plugins: [react(), mockServiceWorker(), firstPageChunk()],
  build: {
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: { codeSplitting: { groups: [{ name: 'first-page', test: (id) => firstPageModules.has(id) }] } },
    },
  },
  server: { host: '127.0.0.1', port: 5173 },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'web',
          environment: 'jsdom',
          include: ['src/**/*.test.{ts,tsx}'],
          setupFiles: ['src/testing/setup.ts'],
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'server',
          environment: 'node',
          include: ['server/**/*.test.ts', 'mocks/**/*.test.ts', 'contract/**/*.test.ts'],
          exclude: ['server/**/*.postgres.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          // The server's suites again, on PostgreSQL, with what only PostgreSQL has.
          name: 'server-postgres',
          environment: 'node',
          include: [
            'server/app.test.ts',
            'server/server.contract.test.ts',
            'server/sdk-conformance.test.ts',
            'server/git.test.ts',
            'server/storage/repository.test.ts',
            'server/**/*.postgres.test.ts',
          ],
          env: { PAT_CONSOLE_TEST_STORAGE: 'postgres' },
          globalSetup: ['server/postgres-global-setup.ts'],
          testTimeout: 20_000,
        },
      },
    ],
  },
});
