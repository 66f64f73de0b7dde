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
});
