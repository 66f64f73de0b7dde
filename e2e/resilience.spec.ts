import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnServer } from '../scripts/spawn-server';
import { expect, test } from './fixtures';

/** A second real server of this test's own, so it can be stopped without stopping anyone else's. */
const startServer = (port: number, dbPath: string) =>
  spawnServer('server/main.ts', { PORT: String(port), PAT_CONSOLE_DB: dbPath, PAT_CONSOLE_AUTH: 'proxy', LOG_LEVEL: 'warn' });

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

    await server.stop();
    await page.getByRole('button', { name: 'Refresh personal access tokens' }).click();
    await expect(page.getByText(/Your PATs could not be loaded/)).toBeVisible({ timeout: 20_000 });
    const retry = page.getByRole('button', { name: 'Retry' });
    await expect(retry).toBeVisible();

    server = await startServer(port, dbPath);
    await retry.click();
    await expect(page.getByRole('rowheader', { name: 'survivor' })).toBeVisible();
    await expect(page.getByText(/Your PATs could not be loaded/)).toBeHidden();
  } finally {
    await server.stop();
  }
});
