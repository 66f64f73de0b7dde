import { expect, test } from './fixtures';

test('regenerates a token: the new secret is copied once and works, the old one is refused at once', async ({
  page,
  context,
  api,
  settingsPage,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const created = await api.createToken('ci-runner', 5);
  expect((await api.session(created.secret)).status).toBe(200);
  await settingsPage.goto();

  await settingsPage.select('ci-runner');
  await settingsPage.regenerateButton.click();
  const dialog = page.getByRole('dialog', { name: 'Regenerate PAT: ci-runner?' });
  await expect(dialog.getByText('The current secret stops working at once')).toBeVisible();
  await dialog.getByRole('radio', { name: '90 days' }).check();
  await dialog.getByRole('button', { name: 'Regenerate', exact: true }).click();

  const secretDialog = page.getByRole('dialog', { name: 'Copy your PAT secret' });
  const secret = (await secretDialog.getByLabel('PAT secret', { exact: true }).textContent()) ?? '';
  expect(secret).toMatch(/^pat_[0-9A-Za-z]{49}$/);
  expect(secret).not.toBe(created.secret);
  await secretDialog.getByRole('button', { name: 'Copy', exact: true }).click();
  await expect(secretDialog.getByText('Copied')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  await secretDialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(secretDialog).toBeHidden();
  await expect(page.getByText('PAT ci-runner regenerated. Its old secret no longer works.')).toBeVisible();

  expect((await api.session(created.secret)).status).toBe(401);
  expect((await api.session(secret)).status).toBe(200);
  // The same token: one row, the same name, the new expiry.
  await expect(settingsPage.rows).toHaveCount(1);
  await expect(settingsPage.row('ci-runner')).toContainText(/in (3 months|90 days|89 days)/);
});
