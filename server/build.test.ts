import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from '../scripts/spawn-server';

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
});
