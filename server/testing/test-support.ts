import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { buildApp, type AppOptions } from '../app';
import { readConfig, type ServerConfig } from '../config';
import { openPostgresRepository } from '../storage/postgres-repository';
import type { TokenRepository } from '../storage/repository';
import { openSqliteRepository } from '../storage/sqlite-repository';
import { createDatabase } from './postgres-support';

export interface TestApp {
  app: FastifyInstance;
  repository: TokenRepository;
  config: ServerConfig;
}

/** Which storage this test run uses: its Vitest project sets it (the server suites run on both). */
export const testStorage = process.env.PAT_CONSOLE_TEST_STORAGE === 'postgres' ? 'postgres' : 'sqlite';

/** A fresh, empty repository: in-memory SQLite, or a new database on the run's PostgreSQL. */
export async function openTestRepository(): Promise<TokenRepository> {
  if (testStorage === 'sqlite') return openSqliteRepository(':memory:');
  return openPostgresRepository(await createDatabase(inject('postgresUrl')));
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
  const repository = await openTestRepository();
  // With a stream, the production logger writes to it: tests see what production would log.
  const app = await buildApp({ config, repository, logger: logStream !== undefined, logStream });
  return { app, repository, config };
}

export const json = { 'content-type': 'application/json' };

/** Stores a token that has already expired, as no API request can create one. */
export async function seedExpiredToken(repository: TokenRepository, userName: string, name: string, digest = `expired-${name}`) {
  const past = Date.now() - 1000;
  const user = await repository.userByName(userName);
  await repository.createToken({ userId: user.id, name, digest, expiresAt: past, now: past - 1000, maxLiveTokens: 100 });
}
