import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitClient, requireGit, withPat } from '../server/testing/git-support';
import { expect, test } from './fixtures';

test.beforeAll(async () => {
  await requireGit();
});

test('a PAT made in the console pushes a new repository, clones it, and stops working once deleted', async ({
  page,
  context,
  baseURL,
  userName,
  settingsPage,
  createPage,
}) => {
  test.setTimeout(60_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const git = gitClient();

  await settingsPage.goto();
  await settingsPage.createButton.click();
  await createPage.name.fill('git-laptop');
  await createPage.createButton.click();
  await createPage.secretDialog.getByRole('button', { name: 'Copy', exact: true }).click();
  const secret = await page.evaluate(() => navigator.clipboard.readText());
  expect(secret).toMatch(/^pat_/);
  const command = `git clone ${baseURL?.replace('http://', `http://${userName}@`)}/git/${userName}/REPOSITORY.git`;
  await expect(createPage.secretDialog.getByText(command)).toBeVisible();
  await createPage.secretDialog.getByRole('button', { name: 'Close', exact: true }).click();

  const remote = withPat(`${baseURL}/git/${userName}/e2e-notes.git`, secret, userName);
  const work = mkdtempSync(join(tmpdir(), 'pat-console-e2e-work-'));
  await git(['init', '--quiet', '--initial-branch', 'main', work]);
  writeFileSync(join(work, 'notes.md'), 'pushed from the end-to-end test\n');
  await git(['add', '.'], { cwd: work });
  await git(['commit', '--quiet', '-m', 'first'], { cwd: work });
  const pushed = await git(['push', remote, 'main'], { cwd: work });
  expect(pushed.stderr).toContain('[new branch]');

  const clone = join(mkdtempSync(join(tmpdir(), 'pat-console-e2e-clone-')), 'e2e-notes');
  expect((await git(['clone', '--quiet', remote, clone])).ok).toBe(true);
  expect(readFileSync(join(clone, 'notes.md'), 'utf8')).toBe('pushed from the end-to-end test\n');

  await page.getByRole('link', { name: 'Git repositories' }).click();
  const repositories = page.getByRole('table', { name: 'Repositories' });
  await expect(repositories.getByRole('row', { name: /e2e-notes/ })).toContainText(`/git/${userName}/e2e-notes.git`);
  await expect(repositories.getByRole('row', { name: /e2e-notes/ })).toContainText(/less than a minute ago|1 minute ago/);

  await settingsPage.goto();
  await settingsPage.rowCheckbox('git-laptop').check();
  await settingsPage.deleteButton.click();
  const dialog = page.getByRole('dialog', { name: 'Delete PAT: git-laptop?' });
  await dialog.getByRole('textbox').fill('delete');
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(settingsPage.row('git-laptop')).toHaveCount(0);

  const refused = await git(['fetch', remote], { cwd: clone });
  expect(refused.ok).toBe(false);
  expect(refused.stderr).toContain('The personal access token is not valid, has expired or was deleted.');
});
