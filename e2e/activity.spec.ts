import { ElementWrapper } from '@cloudscape-design/components/test-utils/selectors';
import { expect, test } from './fixtures';

const activityTable = new ElementWrapper('body').findTable();

test('the activity table shows what was done in the console and with a PAT, and where from', async ({ page, api, settingsPage }) => {
  const leaked = await api.createToken('leaked', 30);
  await api.createToken('made-by-leaked', 29, leaked.secret, 'aws-cli/2.15.0');
  await settingsPage.goto();
  await settingsPage.select('leaked');
  await settingsPage.deleteButton.click();
  const dialog = page.getByRole('dialog', { name: 'Delete PAT: leaked?' });
  await dialog.getByRole('textbox').fill('delete');
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(page.getByText('PAT leaked deleted.')).toBeVisible();
  // Someone still has the leaked secret.
  expect((await api.session(leaked.secret, 'git/2.39.5')).status).toBe(401);

  await page.getByRole('link', { name: 'Activity' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Activity' })).toBeVisible();
  const rows = page.locator(activityTable.findRows().toSelector());
  await expect(rows).toHaveCount(5);
  // Event, PAT, made with, address, client: newest first.
  const browser = await page.evaluate(() => navigator.userAgent);
  const expected = [
    ['Deleted PAT presented', 'leaked', 'PAT leaked', '127.0.0.1', 'git/2.39.5'],
    ['Deleted', 'leaked', 'Console', '127.0.0.1', browser],
    ['Created', 'made-by-leaked', 'PAT leaked', '127.0.0.1', 'aws-cli/2.15.0'],
    ['First use from a new client', 'leaked', 'PAT leaked', '127.0.0.1', 'aws-cli/2.15.0'],
    // Made with a request of the test's own, not the console's page: logged as what it was.
    ['Created', 'leaked', 'API (no PAT, signed in through the proxy)', '127.0.0.1'],
  ];
  for (const [index, cells] of expected.entries()) {
    const shown = (await rows.nth(index).locator('td, th').allInnerTexts()).slice(1).map((text) => text.trim());
    expect(shown.slice(0, cells.length)).toEqual(cells);
  }

  // The child's details name where it came from, though that PAT is gone.
  await page.getByRole('link', { name: 'My settings' }).click();
  await page.getByRole('link', { name: 'made-by-leaked' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'PAT made-by-leaked' })).toBeVisible();
  await expect(page.getByText('PAT leaked (deleted or expired)')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Activity of this PAT' }).getByRole('row')).toHaveCount(2);

  // The gone PAT's own page shows what happened to it and what was done with it: the PAT it made.
  await page.getByRole('link', { name: 'leaked', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'PAT leaked' })).toBeVisible();
  await expect(page.getByText('This PAT no longer exists')).toBeVisible();
  const itsActivity = page.getByRole('table', { name: 'Activity of this PAT' }).getByRole('row');
  await expect(itsActivity).toHaveCount(6);
  await expect(itsActivity.filter({ hasText: 'made-by-leaked' })).toContainText(['Created']);
});
