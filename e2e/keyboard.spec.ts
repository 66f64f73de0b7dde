import { ElementWrapper } from '@cloudscape-design/components/test-utils/selectors';
import { expect, test } from './fixtures';
import { tabTo } from './keyboard';

test.describe('Keyboard only', () => {
  test('creates a token and copies its secret with Tab, Enter and Space', async ({ page, context, settingsPage, createPage }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await settingsPage.goto();

    await tabTo(page, settingsPage.createButton);
    await page.keyboard.press('Enter');
    await expect(createPage.heading).toBeVisible();
    await expect(createPage.name).toBeFocused();
    await page.keyboard.type('keyboard-made');
    // Tab enters a radio group at its checked option; the arrows choose within it.
    await tabTo(page, createPage.preset('1 year (default)'));
    await page.keyboard.press('ArrowUp');
    await expect(createPage.preset('90 days')).toBeChecked();
    await tabTo(page, createPage.createButton);
    await page.keyboard.press('Enter');

    await expect(createPage.secretDialog).toBeVisible();
    const secret = (await createPage.secret.textContent()) ?? '';
    const copy = createPage.secretDialog.getByRole('button', { name: 'Copy', exact: true });
    await tabTo(page, copy);
    await page.keyboard.press('Space');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await tabTo(page, createPage.secretDialog.getByRole('button', { name: 'Close', exact: true }));
    await page.keyboard.press('Enter');

    await expect(page).toHaveURL(/\/settings$/);
    await expect(settingsPage.row('keyboard-made')).toBeVisible();
  });

  test('deletes a token with Tab, Space, typing and Enter', async ({ page, api, settingsPage }) => {
    await api.createToken('keyboard-victim', 30);
    await api.createToken('bystander', 60);
    await settingsPage.goto();
    await expect(settingsPage.rows).toHaveCount(2);

    await tabTo(page, settingsPage.rowCheckbox('keyboard-victim'));
    await page.keyboard.press('Space');
    await expect(settingsPage.rowCheckbox('keyboard-victim')).toBeChecked();
    await tabTo(page, settingsPage.deleteButton, { backwards: true });
    await page.keyboard.press('Enter');

    const dialog = page.getByRole('dialog', { name: 'Delete PAT: keyboard-victim?' });
    await expect(dialog.getByRole('textbox')).toBeFocused();
    await page.keyboard.type('delete');
    await page.keyboard.press('Enter');

    await expect(dialog).toBeHidden();
    expect(await settingsPage.names()).toEqual(['bystander']);
  });

  test('regenerates a token with Tab, Space, the arrows and Enter, and copies the new secret', async ({ page, context, api, settingsPage }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const created = await api.createToken('keyboard-rotated', 30);
    await settingsPage.goto();
    await expect(settingsPage.rows).toHaveCount(1);

    await tabTo(page, settingsPage.rowCheckbox('keyboard-rotated'));
    await page.keyboard.press('Space');
    await tabTo(page, settingsPage.regenerateButton, { backwards: true });
    await page.keyboard.press('Enter');

    const dialog = page.getByRole('dialog', { name: 'Regenerate PAT: keyboard-rotated?' });
    await tabTo(page, dialog.getByRole('radio', { name: '1 year (default)' }));
    await page.keyboard.press('ArrowUp');
    await expect(dialog.getByRole('radio', { name: '90 days' })).toBeChecked();
    await tabTo(page, dialog.getByRole('button', { name: 'Regenerate', exact: true }));
    await page.keyboard.press('Enter');

    const secretDialog = page.getByRole('dialog', { name: 'Copy your PAT secret' });
    await expect(secretDialog).toBeVisible();
    const secret = (await secretDialog.getByLabel('PAT secret', { exact: true }).textContent()) ?? '';
    await tabTo(page, secretDialog.getByRole('button', { name: 'Copy', exact: true }));
    await page.keyboard.press('Space');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await tabTo(page, secretDialog.getByRole('button', { name: 'Close', exact: true }));
    await page.keyboard.press('Enter');
    await expect(secretDialog).toBeHidden();
    expect((await api.session(created.secret)).status).toBe(401);
    expect((await api.session(secret)).status).toBe(200);
  });

  test('reaches the activity log and a PAT’s details, and filters the log, from the keyboard', async ({ page, api, settingsPage }) => {
    const laptop = await api.createToken('laptop', 30);
    await api.createToken('ci', 29, laptop.secret, 'aws-cli/2.15.0');
    await settingsPage.goto();
    await expect(settingsPage.rows).toHaveCount(2);

    await tabTo(page, page.getByRole('link', { name: 'ci', exact: true }));
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'PAT ci' })).toBeVisible();
    await tabTo(page, page.getByRole('link', { name: 'laptop', exact: true }));
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'PAT laptop' })).toBeVisible();

    await settingsPage.goto();
    await tabTo(page, page.getByRole('link', { name: 'Activity', exact: true }));
    await page.keyboard.press('Enter');
    const log = page.getByRole('table', { name: 'Activity' });
    await expect(log.getByRole('row')).toHaveCount(4);
    await tabTo(page, page.getByRole('searchbox', { name: 'Filter activity' }));
    await page.keyboard.type('aws-cli');
    await expect(log.getByRole('row')).toHaveCount(3);
    await tabTo(page, page.locator(new ElementWrapper('body').findTable().findFilterSlot().findSelect().findTrigger().toSelector()));
    await page.keyboard.press('Enter');
    await page.getByRole('option', { name: 'Created' }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect(log.getByRole('row')).toHaveCount(2);
    await expect(log.getByRole('row').nth(1)).toContainText('Created');
  });
});

test('the first Tab offers to skip to the page, and the current breadcrumb is no Tab stop', async ({ page, settingsPage }) => {
  await settingsPage.goto();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to main content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  // The next stop is the page's own first control, past the navigation.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Activity' }).first()).toBeFocused();

  await page.goto('/settings');
  await settingsPage.heading.waitFor();
  const stops: string[] = [];
  for (let index = 0; index < 8; index += 1) {
    await page.keyboard.press('Tab');
    stops.push(await page.evaluate(() => `${document.activeElement?.getAttribute('aria-current') ?? ''}:${document.activeElement?.textContent ?? ''}`));
  }
  expect(stops).toContain(':pat-console');
  expect(stops.filter((stop) => stop.startsWith('page:'))).toEqual([]);
});
