import type { TestProject } from 'vitest/node';
import { startPostgres, type PostgresServer } from './postgres-support';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The throwaway PostgreSQL server of this test run, without a database. */
    postgresUrl: string;
  }
}

let server: PostgresServer | undefined;

/** One PostgreSQL server for the whole run; each test makes a database of its own on it. */
export async function setup(project: TestProject) {
  server = await startPostgres();
  project.provide('postgresUrl', server.url);
}

export async function teardown() {
  await server?.remove();
}
