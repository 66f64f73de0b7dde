import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { FULL_ACCESS } from '../../contract/access';
import { MAX_LIVE_TOKENS_PER_USER } from '../../contract/access-tokens';
import { createAccessTokenService, type AccessTokenServiceOptions } from '../../service/access-token-service';
import type { StoredToken, TokenStore } from '../../service/token-store';
import { buildApp, type AppOptions } from '../app';
import { readConfig, type ServerConfig } from '../config';
import { openPostgresTokenStore } from '../storage/postgres-token-store';
import { openSqliteTokenStore } from '../storage/sqlite-token-store';
import { createPageTokenCodec } from '../tokens/page-token';
import { digestSecret, generateSecret, isWellFormedSecret } from '../tokens/secret';
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

/** The service's rules over `store`, as the app builds them: for what a test does that no request does. */
export function testServiceOver(store: TokenStore, options: Partial<AccessTokenServiceOptions> = {}) {
  return createAccessTokenService({
    store,
    secrets: { generate: generateSecret, digest: digestSecret, isWellFormed: isWellFormedSecret },
    cursors: createPageTokenCodec(Buffer.alloc(32)),
    limits: { maxTokenLifetimeYears: 1, maxLiveTokens: MAX_LIVE_TOKENS_PER_USER, activityRetentionDays: 90 },
    ...options,
  });
}

/** Stores a token as it is given, as no request can (one created in the past, one already expired). */
export async function seedToken(
  store: TokenStore,
  userName: string,
  token: { name: string; digest: string; expiresAt: number; createdAt?: number },
): Promise<StoredToken> {
  const user = await store.userByName(userName);
  return store.transaction((writes) => writes.insertToken({ userId: user.id, createdAt: Date.now(), createdWith: null, description: null, access: FULL_ACCESS, noticeAt: null, ...token }));
}

/** Stores a token that has already expired, as no API request can create one. */
export async function seedExpiredToken(store: TokenStore, userName: string, name: string, digest = `expired-${name}`) {
  const past = Date.now() - 1000;
  await seedToken(store, userName, { name, digest, expiresAt: past, createdAt: past - 1000 });
}

/** Takes a token out of the store, leaving no trace, as no request can. */
export async function eraseToken(store: TokenStore, userName: string, id: string) {
  const user = await store.userByName(userName);
  await store.transaction((writes) => writes.deleteToken(user.id, id));
}
