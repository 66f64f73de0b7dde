import { expect, test } from './fixtures';

test.describe('Browse My settings', () => {
  test('the profile badge leads to My settings, which lists the tokens with their expiry', async ({ page, api, userName, settingsPage }) => {
    await api.createToken('laptop', 200);
    await api.createToken('ci-pipeline', 3);
    await api.createToken('release-script', 45);

    await page.goto('/');
    await page.getByRole('button', { name: `Profile: ${userName}` }).click();
    await page.getByRole('menuitem', { name: 'My settings' }).click();
    await expect(page).toHaveURL(/\/settings$/);
    await expect(settingsPage.heading).toBeVisible();

    await expect(settingsPage.rows).toHaveCount(3);
    expect(await settingsPage.names()).toEqual(['ci-pipeline', 'release-script', 'laptop']);
    await expect(settingsPage.row('ci-pipeline')).toContainText('in 3 days');
    await expect(settingsPage.row('laptop')).toContainText('in 7 months');
    await expect(settingsPage.row('release-script')).toContainText(/in (about )?(1|2) months?/);
    await expect(page.getByText('1 PAT expires within 7 days')).toBeVisible();
    await expect(page.getByRole('heading', { name: /Personal access tokens/ })).toContainText('(3)');
  });

  test('a visit to My settings asks for the whole list in a worker, started before the main script runs', async ({ api, page, settingsPage }) => {
    for (let index = 1; index <= 12; index += 1) await api.createToken(`early-${String(index).padStart(2, '0')}`, 20 + index);
    const worker = page.waitForEvent('worker');
    await settingsPage.goto();
    expect((await worker).url()).toMatch(/\/assets\/early-list-[\w-]+\.js$/);
    await expect(page.getByRole('heading', { name: /Personal access tokens/ })).toContainText('(12)');
    await expect(settingsPage.rows).toHaveCount(10);
  });

  test('filters, sorts and pages through 25 tokens', async ({ api, settingsPage, page }) => {
    for (let index = 1; index <= 25; index += 1) await api.createToken(`token-${String(index).padStart(2, '0')}`, 20 + index);
    await settingsPage.goto();

    await expect(settingsPage.rows).toHaveCount(10);
    await expect(settingsPage.table.getByRole('rowheader').first()).toHaveText('token-01');
    // What is selected stays selected through paging, filtering and sorting, and the header counts it.
    await settingsPage.select('token-01');
    const counted = page.getByRole('heading', { name: 'Personal access tokens (1/25)' });
    await expect(counted).toBeVisible();
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect(settingsPage.table.getByRole('rowheader').first()).toHaveText('token-11');
    await page.getByRole('button', { name: 'Page 3', exact: true }).click();
    await expect(settingsPage.rows).toHaveCount(5);

    await settingsPage.filter.fill('token-2');
    await expect(settingsPage.rows).toHaveCount(6);
    await expect(settingsPage.filterResults).toHaveText('6 matches');

    await settingsPage.sortBy('Name').click();
    await expect(settingsPage.table.getByRole('rowheader')).toHaveText(['token-20', 'token-21', 'token-22', 'token-23', 'token-24', 'token-25']);
    await settingsPage.sortBy('Name').click();
    await expect(settingsPage.table.getByRole('rowheader').first()).toHaveText('token-25');
    await expect(counted).toBeVisible();
    await settingsPage.filter.fill('');
    await settingsPage.sortBy('Name').click();
    await expect(settingsPage.rowCheckbox('token-01')).toBeChecked();
    await expect(page.getByRole('button', { name: 'Delete', exact: true })).toBeEnabled();
  });
});

test('the production build serves no mock service worker', async ({ request }) => {
  const worker = await request.get('/mockServiceWorker.js');
  expect(worker.status()).toBe(404);
  expect(await worker.text()).not.toContain('<html');
});

test('at 100 PATs, My settings says so above the table and Create is disabled with the reason', async ({ page, api, settingsPage }) => {
  await Promise.all(Array.from({ length: 100 }, (_, index) => api.createToken(`pat-${index}`, 30)));
  await settingsPage.goto();
  await expect(page.getByText('You have 100 PATs, the most you can have', { exact: true })).toBeVisible();
  const create = page.getByRole('button', { name: 'Create', exact: true }).or(page.getByRole('link', { name: 'Create', exact: true }));
  await expect(create).toHaveAttribute('aria-disabled', 'true');
  await create.focus();
  await expect(page.getByRole('tooltip')).toHaveText('You have 100 PATs, the most you can have: delete one to create another.');
});
