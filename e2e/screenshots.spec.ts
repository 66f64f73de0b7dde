import { expect, test } from './fixtures';

/** `npm run screenshots`: the console's main states, saved under e2e/screenshots/ for the README. */
const shot = (name: string) => ({ path: `e2e/screenshots/${name}.png`, fullPage: true });

// A laptop and a phone, light and dark.
const screens = [
  { width: 1366, height: 768, name: '' },
  { width: 375, height: 812, name: '-375' },
];

for (const colorScheme of ['light', 'dark'] as const) for (const screen of screens) {
  test.describe(`screenshots, ${colorScheme}, ${screen.width} px`, () => {
    test.use({ colorScheme, viewport: { width: screen.width, height: screen.height } });
    const suffix = `${colorScheme === 'dark' ? '-dark' : ''}${screen.name}`;

    test('every state', async ({ page, api, settingsPage, createPage }) => {
      const laptop = await api.createToken('laptop-git', 200);
      await api.session(laptop.secret, 'git/2.39.5');
      const ci = await api.createToken('ci-pipeline', 5, laptop.secret, 'aws-cli/2.15.0');
      await api.createToken('release-script', 45);
      await settingsPage.goto();
      await expect(settingsPage.rows).toHaveCount(3);
      await page.screenshot(shot(`my-settings${suffix}`));

      await settingsPage.select('ci-pipeline');
      await settingsPage.deleteButton.click();
      await page.getByRole('dialog', { name: 'Delete PAT: ci-pipeline?' }).getByRole('textbox').fill('delete');
      await page.screenshot(shot(`delete-dialog${suffix}`));
      await page.keyboard.press('Escape');

      await page.goto('/settings/activity');
      await expect(page.getByRole('table', { name: 'Activity' }).getByRole('row')).toHaveCount(6);
      await page.screenshot(shot(`activity${suffix}`));

      await page.goto(`/settings/tokens/${ci.accessTokenId}`);
      await expect(page.getByRole('link', { name: 'laptop-git' })).toBeVisible();
      await page.screenshot(shot(`pat-details${suffix}`));

      await createPage.goto();
      await createPage.name.fill('new-laptop');
      await createPage.preset('Custom').check();
      await expect(page.getByRole('grid', { name: 'Expiration date calendar' })).toBeVisible();
      await page.screenshot(shot(`create-pat${suffix}`));

      await createPage.createButton.click();
      await expect(createPage.secretDialog).toBeVisible();
      await page.screenshot(shot(`secret-modal${suffix}`));
    });
  });
}
