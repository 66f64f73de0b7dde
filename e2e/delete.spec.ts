import { expect, test } from './fixtures';

test.describe('Delete through the typed confirmation', () => {
  test('deletes one token only after "delete" is typed, for good, and its secret stops working', async ({ page, api, settingsPage }) => {
    await api.createToken('keep-me', 30);
    const { secret } = await api.createToken('old-laptop', 60);
    expect((await api.session(secret)).status).toBe(200);
    await settingsPage.goto();

    await settingsPage.select('old-laptop');
    await settingsPage.deleteButton.click();
    const dialog = page.getByRole('dialog', { name: 'Delete PAT: old-laptop?' });
    await expect(dialog).toBeVisible();
    const confirm = dialog.getByRole('textbox');
    const deleteButton = dialog.getByRole('button', { name: 'Delete', exact: true });
    for (const wrong of ['', 'delet', 'deleted', 'remove']) {
      await confirm.fill(wrong);
      await expect(deleteButton).toBeDisabled();
    }
    await confirm.fill('delete');
    await expect(deleteButton).toBeEnabled();
    await deleteButton.click();

    await expect(dialog).toBeHidden();
    await expect(page.getByText('PAT old-laptop deleted.')).toBeVisible();
    await expect(settingsPage.rows).toHaveCount(1);
    expect(await settingsPage.names()).toEqual(['keep-me']);
    await page.reload();
    await expect(settingsPage.rows).toHaveCount(1);
    expect(await settingsPage.names()).toEqual(['keep-me']);
    expect((await api.session(secret)).status).toBe(401);
  });

  test('deletes a PAT and the PAT created with it from one dialog, and both secrets stop working', async ({ page, api, settingsPage }) => {
    const leaked = await api.createToken('leaked', 30);
    const child = await api.createToken('made-by-leaked', 29, leaked.secret);
    await api.createToken('unrelated', 30);
    await settingsPage.goto();

    await settingsPage.select('leaked');
    await settingsPage.deleteButton.click();
    const dialog = page.getByRole('dialog', { name: 'Delete PAT: leaked?' });
    await expect(dialog.getByRole('list', { name: 'PATs created with it' })).toHaveText('made-by-leaked');
    await dialog.getByRole('checkbox', { name: 'Also delete made-by-leaked' }).check();
    await dialog.getByRole('textbox').fill('delete');
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();

    await expect(dialog).toBeHidden();
    await expect(page.getByText('2 PATs deleted.')).toBeVisible();
    await expect(settingsPage.rows).toHaveCount(1);
    expect(await settingsPage.names()).toEqual(['unrelated']);
    expect((await api.session(leaked.secret)).status).toBe(401);
    expect((await api.session(child.secret)).status).toBe(401);
  });

  test('deletes three tokens at once', async ({ page, api, settingsPage }) => {
    for (const name of ['alpha', 'bravo', 'charlie', 'delta']) await api.createToken(name, 30);
    await settingsPage.goto();
    await settingsPage.select('alpha', 'bravo', 'charlie');
    await settingsPage.deleteButton.click();

    const dialog = page.getByRole('dialog', { name: 'Delete 3 PATs?' });
    await expect(dialog.getByRole('listitem')).toHaveText(['alpha', 'bravo', 'charlie']);
    await dialog.getByRole('textbox').fill('delete');
    await dialog.getByRole('textbox').press('Enter');

    await expect(page.getByText('3 PATs deleted.')).toBeVisible();
    expect(await settingsPage.names()).toEqual(['delta']);
    expect(await api.tokenNames()).toEqual(['delta']);
  });
});
