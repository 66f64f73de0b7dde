import type { CreateAccessTokenResponse } from '../contract/schemas';
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
    await dialog.getByRole('button', { name: '1 PAT was created with it' }).click();
    await expect(dialog.getByRole('list', { name: 'PATs created with it' })).toHaveText('made-by-leaked (created with leaked)');
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

  test('a bulk delete of PATs that made many others shows the chosen ones first, and summarises the rest', async ({ page, api, settingsPage }) => {
    const chosen = ['one', 'two', 'three', 'four', 'five'];
    const made: CreateAccessTokenResponse[] = [];
    for (const [index, name] of chosen.entries()) made.push(await api.createToken(name, 30 + index));
    // "one" made 60 PATs; one of those made another, which "one" did not make.
    const children = await Promise.all(Array.from({ length: 60 }, (_, index) => api.createToken(`child-${index + 1}`, 20, made[0]!.secret)));
    await api.createToken('grandchild', 10, children[0]!.secret);
    await settingsPage.goto();
    // Found one at a time: the selection stays across filtering.
    for (const name of chosen) {
      await settingsPage.filter.fill(name);
      await settingsPage.select(name);
    }
    await settingsPage.filter.fill('');
    await expect(page.getByRole('heading', { name: 'Personal access tokens (5/66)' })).toBeVisible();
    await settingsPage.deleteButton.click();

    const dialog = page.getByRole('dialog', { name: 'Delete 5 PATs?' });
    await expect(dialog.getByRole('heading', { name: 'Delete 5 PATs?' })).toBeInViewport();
    const names = dialog.getByRole('region', { name: 'PATs to delete' }).getByRole('listitem');
    await expect(names).toHaveText(chosen);
    for (const name of await names.all()) await expect(name).toBeInViewport();
    const summary = dialog.getByRole('button', { name: '60 PATs were created with them, and 1 more with those' });
    await expect(summary).toBeVisible();
    await expect(summary).toHaveAttribute('aria-expanded', 'false');
    const confirmation = dialog.getByRole('textbox');
    await expect(confirmation).toBeFocused();
    await expect(confirmation).toBeInViewport();

    await dialog.getByRole('checkbox', { name: 'Also delete these 61 PATs' }).check();
    await confirmation.fill('delete');
    await confirmation.press('Enter');
    await expect(page.getByText('66 PATs deleted.')).toBeVisible();
    expect(await api.tokenNames()).toEqual([]);
  });
});
