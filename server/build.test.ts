import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { freePort, spawnServer, type ServerProcess } from '../scripts/spawn-server';

const execFileAsync = promisify(execFile);
let server: ServerProcess | undefined;

afterAll(async () => {
  await server?.stop();
});

describe('npm run build (the server half)', () => {
  it('builds a server that runs with plain node, and checks it needs production dependencies only', async () => {
    const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', 'scripts/build-server.ts'], { cwd: join(import.meta.dirname, '..') });
    expect(stdout).toMatch(/imports .*better-sqlite3.*fastify.*pg/);
    const data = mkdtempSync(join(tmpdir(), 'pat-console-built-'));
    server = await spawnServer('build/server/main.js', {
      PORT: '0',
      PAT_CONSOLE_DB: join(data, 'db.sqlite'),
      PAT_CONSOLE_REPOS: join(data, 'repos'),
      PAT_CONSOLE_STATIC_DIR: '',
      LOG_LEVEL: 'warn',
    });
    expect(server.child.spawnargs).not.toContain('tsx');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const created = await fetch(`${server.url}/v1/accessTokens`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'built' }),
    });
    expect(created.status).toBe(201);
  });

  it('writes one line per request to standard output, and a shutdown waits for the last lines', async () => {
    const data = mkdtempSync(join(tmpdir(), 'pat-console-built-'));
    const port = await freePort();
    const child = spawn(process.execPath, ['build/server/main.js'], {
      cwd: join(import.meta.dirname, '..'),
      env: { ...process.env, PORT: String(port), PAT_CONSOLE_DB: join(data, 'db.sqlite'), PAT_CONSOLE_REPOS: join(data, 'repos'), PAT_CONSOLE_STATIC_DIR: '', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await vi.waitFor(() => expect(output).toContain('running at'), { timeout: 10_000 });
    for (let index = 0; index < 3; index += 1) expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    child.kill('SIGTERM');
    await exited;
    const lines = output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { msg: string; req?: { url: string } });
    expect(lines.filter((line) => line.msg === 'request completed').map((line) => line.req?.url)).toEqual(['/healthz', '/healthz', '/healthz']);
    expect(lines.at(-1)?.msg).toBe('shutting down');
  });
});
