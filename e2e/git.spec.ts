import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitClient, requireGit, withPat } from '../server/testing/git-support';
import { expect, test } from './fixtures';

test.beforeAll(async () => {
  await requireGit();
});

// Git takes its time, and the secret is read back from the clipboard after Copy.
test.beforeEach(async ({ context }) => {
  test.setTimeout(60_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
});

test('a PAT made in the console pushes a new repository, clones it, and stops working once deleted', async ({
  page,
  baseURL,
  userName,
  settingsPage,
  createPage,
}) => {
  const git = gitClient();

  await settingsPage.goto();
  await settingsPage.createButton.click();
  await createPage.name.fill('git-laptop');
  await createPage.createButton.click();
  await createPage.secretDialog.getByRole('button', { name: 'Copy', exact: true }).click();
  const secret = await page.evaluate(() => navigator.clipboard.readText());
  expect(secret).toMatch(/^pat_/);
  // A PAT that may write (what Create gives by default) is offered the push that creates a repository.
  const command = `git push ${baseURL?.replace('http://', `http://${userName}@`)}/git/${userName}/REPOSITORY.git HEAD`;
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

test('a read-only PAT for one repository, made in the console, clones it, is refused a push and other repositories, and the log says so (our extension)', async ({
  page,
  api,
  baseURL,
  userName,
  settingsPage,
  createPage,
}) => {
  const git = gitClient();
  const remoteOf = (secret: string, repository: string) => withPat(`${baseURL}/git/${userName}/${repository}.git`, secret, userName);

  // Two repositories, pushed with a PAT that may write.
  const { secret: writerSecret } = await api.createToken('e2e-writer');
  const work = mkdtempSync(join(tmpdir(), 'pat-console-e2e-work-'));
  await git(['init', '--quiet', '--initial-branch', 'main', work]);
  writeFileSync(join(work, 'notes.md'), 'read me\n');
  await git(['add', '.'], { cwd: work });
  await git(['commit', '--quiet', '-m', 'first'], { cwd: work });
  for (const repository of ['e2e-readable', 'e2e-elsewhere']) {
    expect((await git(['push', remoteOf(writerSecret, repository), 'main'], { cwd: work })).ok).toBe(true);
  }

  await settingsPage.goto();
  await settingsPage.createButton.click();
  await createPage.name.fill('e2e-reader');
  await createPage.permission('Write repositories').uncheck();
  await createPage.page.getByRole('radio', { name: /^Only these/ }).check();
  await createPage.repositoryName.fill('e2e-readable');
  await createPage.repositoryName.press('Enter');
  await createPage.createButton.click();
  await createPage.secretDialog.getByRole('button', { name: 'Copy', exact: true }).click();
  const secret = await page.evaluate(() => navigator.clipboard.readText());
  await expect(createPage.secretDialog.getByText(/^git clone .*\/e2e-readable\.git$/)).toBeVisible();
  await createPage.secretDialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(settingsPage.row('e2e-reader')).toContainText('Read · 1 repository');

  const clone = join(mkdtempSync(join(tmpdir(), 'pat-console-e2e-clone-')), 'e2e-readable');
  expect((await git(['clone', '--quiet', remoteOf(secret, 'e2e-readable'), clone])).ok).toBe(true);
  const push = await git(['push', remoteOf(secret, 'e2e-readable'), 'main:refs/heads/from-reader'], { cwd: work });
  expect(push.ok).toBe(false);
  expect(push.stderr).toContain('This PAT can only read repositories');
  const other = await git(['ls-remote', remoteOf(secret, 'e2e-elsewhere')]);
  expect(other.ok).toBe(false);
  expect(other.stderr).toMatch(/not found|404/i);

  await page.goto('/settings/activity');
  const log = page.getByRole('table', { name: 'Activity' });
  await expect(log.getByRole('row', { name: /Refused: needs write.*e2e-reader/ })).toBeVisible();
  await expect(log.getByRole('row', { name: /Refused: repository not in this PAT \(e2e-elsewhere\).*e2e-reader/ })).toBeVisible();
});
