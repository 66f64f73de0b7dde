import { expect, inputDate, longDate, test, utcDay } from './fixtures';

test.describe('Create a token and copy it once', () => {
  test('keeps the default of one year, copies exactly the secret once, and the secret works and then is nowhere', async ({
    page,
    context,
    api,
    settingsPage,
    createPage,
  }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await settingsPage.goto();
    await settingsPage.createButton.click();
    await expect(createPage.heading).toBeVisible();
    await expect(createPage.expirySummary).toHaveText(`Expires on ${longDate(utcDay({ years: 1 }))}`);

    const secret = await createPage.createAndReadSecret('work laptop');
    expect(secret).toMatch(/^pat_[0-9A-Za-z]{49}$/);

    await createPage.secretDialog.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect(createPage.secretDialog.getByText('Copied')).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

    const asOwner = await api.session(secret);
    expect(asOwner.status).toBe(200);
    expect(asOwner.identity).toBe((await api.session()).identity);

    await createPage.secretDialog.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(page).toHaveURL(/\/settings$/);
    await expect(page.getByText('PAT work laptop created.')).toBeVisible();
    await expect(settingsPage.row('work laptop')).toContainText(longDate(utcDay({ years: 1 })).slice(5));

    const traces = async () => ({
      dom: await page.content(),
      url: page.url(),
      storage: await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })),
      history: await page.evaluate(() => JSON.stringify(window.history.state)),
    });
    expect(JSON.stringify(await traces())).not.toContain(secret);
    await page.reload();
    await expect(settingsPage.row('work laptop')).toBeVisible();
    expect(JSON.stringify(await traces())).not.toContain(secret);
  });

  test('takes another date picked on the calendar', async ({ page, api, createPage, settingsPage }) => {
    await createPage.goto();
    await createPage.name.fill('quarterly');
    await createPage.preset('Custom').check();
    const target = utcDay({ days: 40 });
    // Typing a day brings the calendar to its month; then another day of that month is picked there.
    const neighbour = utcDay({ days: target.getUTCDate() === 1 ? 41 : 39 });
    await createPage.customDate.fill(inputDate(neighbour));
    await expect(createPage.expirySummary).toHaveText(`Expires on ${longDate(neighbour)}`);
    await createPage.day(longDate(target)).click();
    await expect(createPage.expirySummary).toHaveText(`Expires on ${longDate(target)}`);
    await createPage.createButton.click();
    await createPage.secretDialog.getByRole('button', { name: 'Close', exact: true }).click();
    await createPage.secretDialog.getByRole('button', { name: 'Close without copying' }).click();
    await expect(page).toHaveURL(/\/settings$/);
    await expect(settingsPage.row('quarterly')).toContainText(
      new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(target),
    );
    expect(await api.tokenNames()).toEqual(['quarterly']);
  });

  test('explains bad input next to the field and loses nothing', async ({ api, createPage }) => {
    await createPage.goto();
    await createPage.createButton.click();
    await expect(createPage.fieldError('Enter a name for the PAT.')).toBeVisible();

    await createPage.name.fill('x'.repeat(101));
    await expect(createPage.fieldError('The name can have at most 100 characters; it has 101.')).toBeVisible();
    await expect(createPage.page.getByText('101/100 characters.')).toBeVisible();
    await createPage.name.fill('past');

    await createPage.preset('Custom').check();
    const past = utcDay({ days: -2 });
    await createPage.customDate.fill(inputDate(past));
    await createPage.createButton.click();
    await expect(createPage.fieldError(/Choose a date after today/)).toBeVisible();
    await expect(createPage.name).toHaveValue('past');
    expect(await api.tokenNames()).toEqual([]);
  });
});
