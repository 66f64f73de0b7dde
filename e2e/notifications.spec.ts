import type { ParsedMail } from 'mailparser';
import { readMaildir } from '../server/testing/mail-support';
import { expect, test } from './fixtures';
import { NotificationsPage } from './pages/notifications-page';

/** The mails the e2e server sent to `address`, read back from the SMTP server's Maildir, once `count` have come. */
async function mailsTo(address: string, count: number): Promise<ParsedMail[]> {
  let found: ParsedMail[] = [];
  await expect
    .poll(async () => {
      const all = await readMaildir(process.env.E2E_MAILDIR ?? '');
      found = all.filter((mail) => mail.to && !Array.isArray(mail.to) && mail.to.text === address);
      return found.length;
    }, { timeout: 20_000 })
    .toBeGreaterThanOrEqual(count);
  return found;
}

test('sets an address, confirms it from the mailed link, gets the 7-day notice there and regenerates from its link', async ({ page, api, userName }) => {
  test.setTimeout(60_000);
  const address = `${userName}@home.example`;
  const notifications = new NotificationsPage(page);
  await page.goto('/settings');
  await notifications.openFromProfileMenu();
  await expect(notifications.details).toContainText('No address: nothing is e-mailed');

  await notifications.newAddress.fill(address);
  await notifications.sendLink.click();
  await expect(notifications.details).toContainText(`${address}: follow the link mailed to it.`);
  const [confirmation] = await mailsTo(address, 1);
  const link = /http:\/\/\S+\/settings\/notifications\/confirm#token=\S+/.exec(confirmation?.text ?? '')?.[0];
  expect(link).toBeDefined();
  await page.goto(link ?? '');
  await expect(page.getByRole('heading', { name: `Send notices to ${address}?` })).toBeVisible();
  await notifications.confirmButton.click();
  await expect(page.getByText(`Notices about your PATs now go to ${address}.`)).toBeVisible();
  await expect(notifications.details).toContainText('Confirmed');

  const created = await api.createToken('ci-runner', 6);
  const notice = (await mailsTo(address, 2)).find((mail) => mail.subject?.includes('"ci-runner"'));
  expect(notice?.subject).toBe('Your PAT "ci-runner" expires in 6 days');
  expect(notice?.text).toContain('It has never been used.');
  const regenerate = /http:\/\/\S+\?regenerate/.exec(notice?.text ?? '')?.[0];
  expect(regenerate).toContain(`/settings/tokens/${created.accessTokenId}?regenerate`);
  await page.goto(regenerate ?? '');
  const dialog = page.getByRole('dialog', { name: 'Regenerate PAT: ci-runner?' });
  await dialog.getByRole('radio', { name: '90 days' }).check();
  await dialog.getByRole('button', { name: 'Regenerate', exact: true }).click();
  const secret = (await page.getByRole('dialog', { name: 'Copy your PAT secret' }).getByLabel('PAT secret', { exact: true }).textContent()) ?? '';
  expect((await api.session(secret)).status).toBe(200);
  expect((await api.session(created.secret)).status).toBe(401);
});
