import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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

export default defineConfig({
  plugins: [react(), mockServiceWorker()],
  build: {
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
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
