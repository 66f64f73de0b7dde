import { expect, test } from './fixtures';

test.describe('A new secret is never lost by leaving the page', () => {
  test('Back, with the secret shown and not copied, asks first; once copied, Back leaves', async ({
    page,
    context,
    settingsPage,
    createPage,
  }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await settingsPage.goto();
    await settingsPage.createButton.click();
    const secret = await createPage.createAndReadSecret('back-button');

    await page.goBack();
    await expect(page).toHaveURL(/\/settings\/tokens\/create$/);
    await expect(createPage.secretDialog.getByText("You haven't copied the secret")).toBeVisible();
    await createPage.secretDialog.getByRole('button', { name: 'Keep the secret open' }).click();
    await expect(createPage.secretDialog.getByText("You haven't copied the secret")).toBeHidden();
    await expect(createPage.secret).toHaveText(secret);

    await createPage.secretDialog.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect(createPage.secretDialog.getByText('Copied')).toBeVisible();
    await page.goBack();
    await expect(page).toHaveURL(/\/settings$/);
  });

  test('a reload with the secret shown asks the browser to confirm, and staying keeps the secret', async ({
    page,
    settingsPage,
    createPage,
  }) => {
    await settingsPage.goto();
    await settingsPage.createButton.click();
    const secret = await createPage.createAndReadSecret('reload');

    const asked = page.waitForEvent('dialog');
    // A reload the user cancels never finishes: nothing waits for it.
    void page.reload().catch(() => undefined);
    const dialog = await asked;
    expect(dialog.type()).toBe('beforeunload');
    await dialog.dismiss();
    await expect(createPage.secret).toHaveText(secret);
    await expect(page).toHaveURL(/\/settings\/tokens\/create$/);
  });
});

test.describe('Layout', () => {
  test('a 100-character name wraps and keeps every column in view at 1280 px', async ({ page, api, settingsPage }) => {
    // Wide letters and no spaces: the widest name a person can give.
    await api.createToken('W'.repeat(100), 30);
    await settingsPage.goto();
    await expect(settingsPage.rows).toHaveCount(1);
    const lastUsed = await page.getByRole('columnheader', { name: 'Last used' }).boundingBox();
    expect(lastUsed).not.toBeNull();
    expect((lastUsed?.x ?? 0) + (lastUsed?.width ?? 0)).toBeLessThanOrEqual(1280);
  });

  test('at 375 px the pages fit on one line, and a date never breaks inside itself', async ({ page, api, settingsPage }) => {
    await page.setViewportSize({ width: 375, height: 812 });
    await Promise.all(Array.from({ length: 35 }, (_, index) => api.createToken(`token-${index}`, 10 + index)));
    await settingsPage.goto();
    await expect(settingsPage.rows).toHaveCount(10);
    await expect(page.getByText('Page 1 of 4')).toBeVisible();
    const previous = (await page.getByRole('button', { name: 'Previous page' }).boundingBox())!;
    const next = (await page.getByRole('button', { name: 'Next page' }).boundingBox())!;
    expect(Math.abs(previous.y - next.y)).toBeLessThan(2);
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect(page.getByText('Page 2 of 4')).toBeVisible();
    // Made through the API at this minute: the day and the time, each on one line.
    const expiry = settingsPage.rows.first().locator('time');
    for (const part of await expiry.locator('span').all()) expect((await part.boundingBox())!.height).toBeLessThan(30);
  });

  test('at 375 px the folded top navigation has a named menu that leads to Git repositories', async ({ page, settingsPage }) => {
    await page.setViewportSize({ width: 375, height: 800 });
    await settingsPage.goto();
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('link', { name: 'Git repositories' }).click();
    await expect(page.getByRole('heading', { name: 'Git repositories', level: 1 })).toBeVisible();
  });
});

test('an invalid submit brings the field into view with its label, never under the sticky header', async ({ page, createPage }) => {
  await page.setViewportSize({ width: 375, height: 420 });
  await createPage.goto();
  const header = (await page.locator('#top-nav').boundingBox())!;
  // The name's box is under the header: in the window, yet hidden.
  const input = (await createPage.name.boundingBox())!;
  await page.evaluate((by) => window.scrollBy(0, by), input.y - header.height / 2);
  // Create is pressed where it is, without scrolling to it (a click here would scroll first).
  await createPage.createButton.evaluate((button: HTMLElement) => button.focus({ preventScroll: true }));
  await createPage.createButton.dispatchEvent('click');
  await expect(createPage.name).toBeFocused();
  const label = (await page.getByText('PAT name', { exact: true }).boundingBox())!;
  expect(label.y).toBeGreaterThanOrEqual(header.y + header.height);
});
