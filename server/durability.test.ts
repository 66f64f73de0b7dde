import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CreateAccessTokenResponse, ListAccessTokensResponse } from '../src/lib/api-contract';

const running: ChildProcess[] = [];

/** Starts `server/main.ts` as `npm start` does, and resolves with its URL once it listens. */
function startServer(dbPath: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: '0', PAT_CONSOLE_DB: dbPath, PAT_CONSOLE_STATIC_DIR: '', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  running.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+?)\/?\s/.exec(output);
      if (match?.[1]) resolve({ child, url: match[1] });
    });
    child.once('exit', (code) => reject(new Error(`The server exited with ${code}: ${output}`)));
  });
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

afterEach(() => {
  for (const child of running.splice(0)) child.kill('SIGKILL');
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
    const list = (await (await fetch(`${second.url}/v1/accessTokens`, { method: 'POST' })).json()) as ListAccessTokensResponse;
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
