import { expect, test } from './fixtures';

test("an admin revokes another user's PAT, and that user sees it gone, with who did it in their activity", async ({ page, browser, baseURL, api, userName, settingsPage }) => {
  await api.createToken('left-on-a-laptop', 30);
  await api.createToken('kept', 30);
  const adminName = `${userName}-admin`;
  const adminContext = await browser.newContext({ baseURL, extraHTTPHeaders: { 'x-forwarded-user': adminName, 'x-forwarded-groups': 'staff, e2e-admins' } });
  const adminPage = await adminContext.newPage();
  await adminPage.goto('/settings');
  await adminPage.getByRole('button', { name: /^Profile/ }).click();
  await adminPage.getByRole('menuitem', { name: 'Admin' }).click();
  await adminPage.getByRole('textbox', { name: /^Owner/ }).fill(userName);
  await adminPage.getByRole('button', { name: 'Filter' }).click();
  const table = adminPage.getByRole('table', { name: 'All PATs' });
  await expect(table.getByRole('row')).toHaveCount(3);
  await table.getByRole('checkbox', { name: `${userName}'s left-on-a-laptop` }).check();
  await adminPage.getByRole('button', { name: 'Revoke', exact: true }).click();
  const dialog = adminPage.getByRole('dialog', { name: 'Revoke PAT: left-on-a-laptop?' });
  await dialog.getByRole('textbox').fill('revoke');
  await dialog.getByRole('button', { name: 'Revoke', exact: true }).click();
  await expect(adminPage.getByText('1 PAT revoked. Their owners see it in their activity.')).toBeVisible();
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(adminPage.getByRole('table', { name: 'Admin log' }).getByText('left-on-a-laptop')).toBeVisible();
  await adminContext.close();

  await settingsPage.goto();
  await expect(settingsPage.rows).toHaveCount(1);
  await expect(settingsPage.row('kept')).toBeVisible();
  await page.goto('/settings/activity');
  await expect(page.getByRole('table', { name: 'Activity' }).getByRole('row').filter({ hasText: `Revoked by admin ${adminName}` })).toContainText('left-on-a-laptop');
  // Not an admin: no Admin in the menu.
  await page.getByRole('button', { name: /^Profile/ }).click();
  await expect(page.getByRole('menuitem', { name: 'Notifications' })).toBeVisible();
  await expect(page.getByRole('menuitem', { name: 'Admin' })).toHaveCount(0);
});
