import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { buildApp, type AppOptions } from '../app';
import { readConfig, type ServerConfig } from '../config';
import { openPostgresTokenStore } from '../storage/postgres-token-store';
import { openSqliteTokenStore } from '../storage/sqlite-token-store';
import type { TokenStore } from '../storage/token-store';
import { createDatabase } from './postgres-support';

export interface TestApp {
  app: FastifyInstance;
  store: TokenStore;
  config: ServerConfig;
}

/** Which storage this test run uses: its Vitest project sets it (the server suites run on both). */
export const testStorage = process.env.PAT_CONSOLE_TEST_STORAGE === 'postgres' ? 'postgres' : 'sqlite';

/** A fresh, empty store: in-memory SQLite, or a new database on the run's PostgreSQL. */
export async function openTestTokenStore(): Promise<TokenStore> {
  if (testStorage === 'sqlite') return openSqliteTokenStore(':memory:');
  return openPostgresTokenStore(await createDatabase(inject('postgresUrl')));
}

/** A server on a fresh database, as `npm start` would build it, without the console. */
export async function createTestApp(overrides: Partial<ServerConfig> = {}, logStream?: AppOptions['logStream']): Promise<TestApp> {
  const config = {
    ...readConfig({
      PAT_CONSOLE_USER: 'marymajor',
      PAT_CONSOLE_STATIC_DIR: '',
      PAT_CONSOLE_REPOS: mkdtempSync(join(tmpdir(), 'pat-console-repos-')),
    }),
    ...overrides,
  };
  const store = await openTestTokenStore();
  // With a stream, the production logger writes to it: tests see what production would log.
  const app = await buildApp({ config, store, logger: logStream !== undefined, logStream });
  return { app, store, config };
}

export const json = { 'content-type': 'application/json' };

/** Stores a token that has already expired, as no API request can create one. */
export async function seedExpiredToken(store: TokenStore, userName: string, name: string, digest = `expired-${name}`) {
  const past = Date.now() - 1000;
  const user = await store.userByName(userName);
  await store.createToken({ userId: user.id, name, digest, expiresAt: past, now: past - 1000, maxLiveTokens: 100 });
}
