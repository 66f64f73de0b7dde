import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';

/** A second real server of this test's own, so it can be stopped without stopping anyone else's. */
async function startServer(port: number, dbPath: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: String(port), PAT_CONSOLE_DB: dbPath, PAT_CONSOLE_AUTH: 'proxy', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('running at')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`The server exited with ${code}`)));
  });
  return child;
}

async function stop(child: ChildProcess) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

test('shows an error with Retry while the API is down, and Retry recovers once it is back', async ({ page, userName }) => {
  const port = await freePort();
  const dbPath = join(mkdtempSync(join(tmpdir(), 'pat-console-down-')), 'db.sqlite');
  let server = await startServer(port, dbPath);
  const origin = `http://127.0.0.1:${port}`;
  try {
    await page.request.put(`${origin}/v1/accessTokens`, {
      data: { name: 'survivor' },
      headers: { 'x-forwarded-user': userName },
    });
    await page.goto(`${origin}/settings`);
    await expect(page.getByRole('rowheader', { name: 'survivor' })).toBeVisible();

    await stop(server);
    await page.getByRole('button', { name: 'Refresh personal access tokens' }).click();
    await expect(page.getByText(/Your PATs could not be loaded/)).toBeVisible({ timeout: 20_000 });
    const retry = page.getByRole('button', { name: 'Retry' });
    await expect(retry).toBeVisible();

    server = await startServer(port, dbPath);
    await retry.click();
    await expect(page.getByRole('rowheader', { name: 'survivor' })).toBeVisible();
    await expect(page.getByText(/Your PATs could not be loaded/)).toBeHidden();
  } finally {
    await stop(server);
  }
});
