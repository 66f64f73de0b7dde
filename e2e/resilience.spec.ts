import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIRequestContext } from '@playwright/test';
import { freePort, spawnServer } from '../scripts/spawn-server';
import { expect, test } from './fixtures';

/** A second real server of this test's own, so it can be stopped without stopping anyone else's. */
const startServer = (port: number, dbPath: string) =>
  spawnServer('server/main.ts', { PORT: String(port), PAT_CONSOLE_DB: dbPath, PAT_CONSOLE_AUTH: 'proxy', LOG_LEVEL: 'warn' });

/** Such a server, with one PAT of the user's (`survivor`); it can stop and start again on the same port and database. */
async function ownServer(userName: string, request: APIRequestContext) {
  const port = await freePort();
  const dbPath = join(mkdtempSync(join(tmpdir(), 'pat-console-own-')), 'db.sqlite');
  let server = await startServer(port, dbPath);
  const origin = `http://127.0.0.1:${port}`;
  await request.put(`${origin}/v1/accessTokens`, { data: { name: 'survivor' }, headers: { 'x-forwarded-user': userName } });
  return {
    origin,
    stop: () => server.stop(),
    restart: async () => {
      server = await startServer(port, dbPath);
    },
  };
}

test('shows an error with Retry while the API is down, and Retry recovers once it is back', async ({ page, userName }) => {
  const server = await ownServer(userName, page.request);
  try {
    await page.goto(`${server.origin}/settings`);
    await expect(page.getByRole('rowheader', { name: 'survivor' })).toBeVisible();

    await server.stop();
    await page.getByRole('button', { name: 'Refresh personal access tokens' }).click();
    await expect(page.getByText(/Your PATs could not be loaded/)).toBeVisible({ timeout: 20_000 });
    const retry = page.getByRole('button', { name: 'Retry' });
    await expect(retry).toBeVisible();

    await server.restart();
    await retry.click();
    await expect(page.getByRole('rowheader', { name: 'survivor' })).toBeVisible();
    await expect(page.getByText(/Your PATs could not be loaded/)).toBeHidden();
  } finally {
    await server.stop();
  }
});

test('a part whose code cannot be fetched says so with Retry, and comes back with the server', async ({ page, userName }) => {
  const server = await ownServer(userName, page.request);
  try {
    await page.goto(`${server.origin}/settings`);
    await expect(page.getByRole('rowheader', { name: 'survivor' })).toBeVisible();
    // The preferences load right after the first paint: let them, so only the parts asked for below are missing.
    await expect(page.getByRole('button', { name: 'Preferences' })).toBeEnabled();
    await server.stop();

    await page.getByRole('checkbox', { name: 'Select survivor' }).check();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const deleteFailure = page.getByText('The delete dialog could not be loaded');
    await expect(deleteFailure).toBeVisible();
    await page.getByRole('button', { name: 'Close' }).click();
    await expect(deleteFailure).toBeHidden();

    await page.getByRole('link', { name: 'Create', exact: true }).click();
    await expect(page.getByText('The Create PAT page could not be loaded')).toBeVisible();
    await server.restart();
    await page.getByRole('button', { name: 'Retry' }).click();
    await expect(page.getByRole('heading', { name: 'Create PAT', level: 1 })).toBeVisible();

    // Without Retry: it tries again on its own, and shows the page once the server is back.
    await server.stop();
    await page.getByRole('button', { name: `Profile: ${userName}` }).click();
    await page.getByRole('menuitem', { name: 'Activity' }).click();
    await expect(page.getByText('The Activity page could not be loaded')).toBeVisible();
    await server.restart();
    await expect(page.getByRole('heading', { name: 'Activity', level: 1 })).toBeVisible({ timeout: 15_000 });

    await page.getByRole('link', { name: 'My settings' }).first().click();
    await page.getByRole('checkbox', { name: 'Select survivor' }).check();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(page.getByRole('dialog', { name: 'Delete PAT: survivor?' })).toBeVisible();
  } finally {
    await server.stop();
  }
});
