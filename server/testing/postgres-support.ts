/**
 * A throwaway PostgreSQL server for the tests, from Debian's `postgresql` package: `initdb` into a
 * temporary folder, `pg_ctl` on a free loopback port, removed afterwards. PostgreSQL refuses to run
 * as root, so as root both run as the `postgres` OS user.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '../../scripts/spawn-server';

const execFileAsync = promisify(execFile);
const POSTGRES_ROOT = '/usr/lib/postgresql';
const MISSING = 'These tests run a real PostgreSQL: install it (Debian: apt-get install postgresql).';

export interface PostgresServer {
  /** The server, without a database: what `createDatabase` takes. */
  url: string;
  /** A connection URL for a new, empty database of its own. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
  start(): Promise<void>;
  remove(): Promise<void>;
}

function binDirectory(): string {
  const versions = existsSync(POSTGRES_ROOT)
    ? readdirSync(POSTGRES_ROOT)
        .filter((name) => existsSync(join(POSTGRES_ROOT, name, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (newest === undefined) throw new Error(MISSING);
  return join(POSTGRES_ROOT, newest, 'bin');
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = binDirectory();
  const asRoot = process.getuid?.() === 0;
  const run = (program: string, args: string[]) =>
    asRoot
      ? execFileAsync('runuser', ['-u', 'postgres', '--', join(bin, program), ...args])
      : execFileAsync(join(bin, program), args);
  const folder = mkdtempSync(join(tmpdir(), 'pat-console-pg-'));
  const data = join(folder, 'data');
  if (asRoot) {
    const { uid, gid } = await userIds('postgres');
    chownSync(folder, uid, gid);
  }
  const port = await freePort();
  await run('initdb', ['--pgdata', data, '--auth', 'trust', '--username', 'postgres', '--encoding', 'UTF8', '--no-sync']);
  const options = `-c listen_addresses=127.0.0.1 -p ${port} -c unix_socket_directories=${folder} -c fsync=off -c max_connections=200`;
  const start = async () => {
    await run('pg_ctl', ['--pgdata', data, '--options', options, '--log', join(folder, 'log'), '--wait', 'start']);
  };
  const stop = async () => {
    await run('pg_ctl', ['--pgdata', data, '--mode', 'fast', '--wait', 'stop']);
  };
  await start();
  const base = `postgres://postgres@127.0.0.1:${port}`;
  return {
    url: base,
    createDatabase: () => createDatabase(base),
    stop,
    start,
    async remove() {
      await stop().catch(() => undefined);
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** A new, empty database on the server at `serverUrl`, for one test's server (or servers) alone. */
export async function createDatabase(serverUrl: string): Promise<string> {
  const name = `pat_console_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  return `${serverUrl}/${name}`;
}

async function userIds(name: string): Promise<{ uid: number; gid: number }> {
  const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
    execFileAsync('id', ['-u', name]),
    execFileAsync('id', ['-g', name]),
  ]).catch(() => {
    throw new Error(MISSING);
  });
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}
