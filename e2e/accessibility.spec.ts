import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { NotificationsPage } from './pages/notifications-page';

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({ id: violation.id, impact: violation.impact, nodes: violation.nodes.map((node) => node.target.join(' ')) }));
}

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`Accessibility in ${colorScheme} mode`, () => {
    test.use({ colorScheme });
    // axe reads the whole page twice per test: on a busy 2-core machine that alone came near 30 s.
    test.setTimeout(60_000);

    test('My settings, the delete dialog', async ({ page, api, settingsPage }) => {
      await api.createToken('soon', 3);
      await api.createToken('later', 200);
      await settingsPage.goto();
      await expect(settingsPage.rows).toHaveCount(2);
      expect(await seriousViolations(page)).toEqual([]);

      await settingsPage.select('soon');
      await settingsPage.deleteButton.click();
      await expect(page.getByRole('dialog', { name: 'Delete PAT: soon?' })).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });

    test('the regenerate dialog, with its calendar', async ({ page, api, settingsPage }) => {
      await api.createToken('rotating', 30);
      await settingsPage.goto();
      await settingsPage.select('rotating');
      await settingsPage.regenerateButton.click();
      const dialog = page.getByRole('dialog', { name: 'Regenerate PAT: rotating?' });
      await dialog.getByRole('radio', { name: 'Custom' }).check();
      await expect(page.getByRole('grid', { name: 'Expiration date calendar' })).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });

    test('Create PAT with its calendar, and the secret modal', async ({ page, createPage }) => {
      await createPage.goto();
      await createPage.preset('Custom').check();
      await expect(page.getByRole('grid', { name: 'Expiration date calendar' })).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);

      await createPage.name.fill('audited');
      await createPage.createButton.click();
      await expect(createPage.secretDialog).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });

    test('Notifications, with a field in error and an address waiting, and the confirmation page', async ({ page, userName }) => {
      const notifications = new NotificationsPage(page);
      await page.goto('/settings/notifications');
      await notifications.sendLink.click();
      await expect(page.getByText('Enter an e-mail address.')).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
      await notifications.newAddress.fill(`${userName}@home.example`);
      await notifications.sendLink.click();
      await expect(notifications.details).toContainText('follow the link mailed to it');
      expect(await seriousViolations(page)).toEqual([]);
      await page.goto('/settings/notifications/confirm#token=forged');
      await notifications.confirmButton.click();
      await expect(page.getByText('Not confirmed')).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });

    test('Admin, with its revoke dialog', async ({ page, context, api, userName }) => {
      await api.createToken('audited', 30);
      await context.setExtraHTTPHeaders({ 'x-forwarded-user': userName, 'x-forwarded-groups': 'e2e-admins' });
      await page.goto('/admin');
      await page.getByRole('textbox', { name: /^Owner/ }).fill(userName);
      await page.getByRole('button', { name: 'Filter' }).click();
      await expect(page.getByRole('table', { name: 'All PATs' }).getByRole('row')).toHaveCount(2);
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole('button', { name: `Revoke all of ${userName}'s` }).click();
      await expect(page.getByRole('dialog', { name: `Revoke every PAT of ${userName}?` })).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });

    test('Activity, and a PAT’s details', async ({ page, api }) => {
      const parent = await api.createToken('laptop', 30);
      const child = await api.createToken('ci', 29, parent.secret, 'aws-cli/2.15.0');
      await api.session(child.secret, 'git/2.39.5');
      await page.goto('/settings/activity');
      await expect(page.getByRole('table', { name: 'Activity' }).getByRole('row')).toHaveCount(5);
      expect(await seriousViolations(page)).toEqual([]);

      await page.goto(`/settings/tokens/${child.accessTokenId}`);
      await expect(page.getByRole('link', { name: 'laptop' })).toBeVisible();
      await expect(page.getByRole('table', { name: 'Activity of this PAT' }).getByRole('row')).toHaveCount(3);
      expect(await seriousViolations(page)).toEqual([]);
    });

    test('Git repositories, empty, with its push-to-create command', async ({ page }) => {
      await page.goto('/repositories');
      await expect(page.getByText('No repositories')).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });
  });
}
