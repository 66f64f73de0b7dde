import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CreateAccessTokenResponse, ListAccessTokensResponse } from '../contract/schemas';
import { spawnServer, type ServerProcess } from '../scripts/spawn-server';

const running: ServerProcess[] = [];

async function startServer(dbPath: string): Promise<ServerProcess> {
  const server = await spawnServer('server/main.ts', { PORT: '0', PAT_CONSOLE_DB: dbPath, PAT_CONSOLE_STATIC_DIR: '', LOG_LEVEL: 'warn' });
  running.push(server);
  return server;
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

afterEach(() => {
  for (const { child } of running.splice(0)) child.kill('SIGKILL');
});

describe('durability', () => {
  it('keeps an acknowledged create through kill -9', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'pat-console-')), 'nested', 'tokens.db');
    const first = await startServer(dbPath);
    const response = await fetch(`${first.url}/v1/accessTokens`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'survivor' }),
    });
    expect(response.status).toBe(201);
    const { secret, accessTokenId } = (await response.json()) as CreateAccessTokenResponse;
    const gone = exited(first.child);
    first.child.kill('SIGKILL');
    expect((await gone).signal).toBe('SIGKILL');

    const second = await startServer(dbPath);
    const list = (await (await fetch(`${second.url}/v1/accessTokens`, { method: 'POST', headers: { 'content-type': 'application/json' } })).json()) as ListAccessTokensResponse;
    expect(list.items.map((item) => item.id)).toEqual([accessTokenId]);
    const session = await fetch(`${second.url}/session`, { headers: { authorization: `Bearer ${secret}` } });
    expect(session.status).toBe(200);
  });

  it('shuts down gracefully on SIGTERM', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'pat-console-')), 'tokens.db');
    const { child } = await startServer(dbPath);
    const done = exited(child);
    child.kill('SIGTERM');
    expect((await done).code).toBe(0);
  });
});
