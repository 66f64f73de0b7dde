import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { relative } from 'node:path';
import react from '@vitejs/plugin-react';
import { build as esbuild } from 'esbuild';
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
    buildEnd() {
      firstPageModules.clear();
      const pending = [...this.getModuleIds()].filter((id) => this.getModuleInfo(id)?.isEntry);
      for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
        if (firstPageModules.has(id)) continue;
        firstPageModules.add(id);
        pending.push(...(this.getModuleInfo(id)?.importedIds ?? []));
      }
    },
    generateBundle() {
      const modules = [...firstPageModules].map((id) => relative(root, id)).sort();
      this.emitFile({ type: 'asset', fileName: '.vite/first-page-modules.json', source: JSON.stringify(modules, null, 1) });
    },
  };
}

const EARLY_LIST = 'early-list.js';

/**
 * src/early-list.ts, built on its own as a classic script and put first in the page: it asks for
 * the token list while the main module still downloads and compiles (a module script, even async,
 * ran only after the main one had). It carries its own copy of the small API client.
 */
function earlyListScript(): Plugin {
  let base = '/';
  let apiBaseUrl = '';
  return {
    name: 'pat-console:early-list-script',
    apply: 'build',
    configResolved(config) {
      base = config.base;
      apiBaseUrl = String(config.env.VITE_API_BASE_URL ?? '');
    },
    async buildEnd() {
      const { outputFiles } = await esbuild({
        entryPoints: ['src/early-list.ts'],
        bundle: true,
        format: 'iife',
        minify: true,
        target: 'es2022',
        write: false,
        define: { 'import.meta.env.VITE_API_BASE_URL': JSON.stringify(apiBaseUrl) },
      });
      this.emitFile({ type: 'asset', name: EARLY_LIST, source: outputFiles[0]?.text ?? '' });
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, { bundle }) {
        const asset = Object.values(bundle ?? {}).find((output) => output.type === 'asset' && output.names.includes(EARLY_LIST));
        if (!asset) throw new Error('src/early-list.ts was not built');
        return [{ tag: 'script', attrs: { defer: true, src: `${base}${asset.fileName}` }, injectTo: 'head-prepend' }];
      },
    },
  };
}

export default defineConfig({
  plugins: [react(), mockServiceWorker(), firstPageChunk(), earlyListScript()],
  build: {
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: { codeSplitting: { groups: [{ name: 'first-page', test: (id) => firstPageModules.has(id) }] } },
    },
  },
  // `npm run demo` takes PORT as `npm start` does.
  server: { host: '127.0.0.1', port: Number(process.env.PORT) || 5173 },
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
          include: ['server/**/*.test.ts', 'service/**/*.test.ts', 'mocks/**/*.test.ts', 'contract/**/*.test.ts', 'scripts/**/*.test.ts'],
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
            'server/storage/token-store.test.ts',
            'server/**/*.postgres.test.ts',
          ],
          env: { PAT_CONSOLE_TEST_STORAGE: 'postgres' },
          globalSetup: ['server/testing/postgres-global-setup.ts'],
          testTimeout: 20_000,
        },
      },
    ],
  },
});
