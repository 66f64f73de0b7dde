import createWrapper from '@cloudscape-design/components/test-utils/dom';
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { ERROR_TYPE_HEADER, PATHS } from '../../../../contract/access-tokens';
import { mockServer, mockBackend } from '../../../../mocks/node';
import { settingsPage } from '../../../testing/page-objects';
import { renderApp } from '../../../testing/render-app';

const DAY = 24 * 60 * 60 * 1000;
const inDays = (days: number) => new Date(Date.now() + days * DAY);

/** Shows the hidden column at `index` (from 1) in the preferences, checking its label first. */
async function showColumn(index: number, label: string) {
  const preferences = await settingsPage.preferences();
  preferences.findTriggerButton().click();
  const dialog = preferences.findModal()!;
  const option = dialog.findContentDisplayPreference()!.findOptionByIndex(index)!;
  expect(option.findLabel().getElement()).toHaveTextContent(label);
  option.findVisibilityToggle().findNativeInput().click();
  dialog.findConfirmButton()!.click();
}

describe('My settings: personal access tokens', () => {
  it('lists the tokens with their expiration, soonest first, and counts them', async () => {
    mockBackend.add('laptop', inDays(200));
    mockBackend.add('ci', inDays(3));
    mockBackend.add('script', inDays(45));
    renderApp('/settings');

    await settingsPage.waitForRows(3);
    expect(settingsPage.names()).toEqual(['ci', 'script', 'laptop']);
    expect(settingsPage.counter()).toContain('(3)');
    expect(settingsPage.table().findAscSortedColumn()?.getElement().textContent).toContain('Expiration date');
    const ciExpiry = settingsPage.cell(1, 3);
    expect(ciExpiry).toContain('in 3 days');
    expect(ciExpiry).toContain(new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(inDays(3)));
    expect(settingsPage.cell(3, 3)).toContain('in 7 months');
  });

  it('warns about tokens that expire soon, in the row and above the table', async () => {
    mockBackend.add('a', inDays(2));
    mockBackend.add('b', inDays(6));
    mockBackend.add('c', inDays(10));
    mockBackend.add('d', inDays(90));
    renderApp('/settings');

    expect(await screen.findByText('2 PATs expire within 7 days')).toBeVisible();
    await settingsPage.waitForRows(4);
    const table = settingsPage.table();
    const warnings = [1, 2, 3, 4].map((row) => table.findBodyCell(row, 3)?.findStatusIndicator() !== null);
    // One rule: the rows that warn are the ones the banner counts.
    expect(warnings).toEqual([true, true, false, false]);
  });

  it("the expiry banner's Show them shows only the PATs it counts, and Show all PATs brings back the rest", async () => {
    mockBackend.add('soon', inDays(2));
    mockBackend.add('later', inDays(90));
    const { user } = renderApp('/settings');
    await settingsPage.waitForRows(2);
    await user.click(await screen.findByRole('button', { name: 'Show it' }));
    await waitFor(() => expect(settingsPage.names()).toEqual(['soon']));
    await user.click(screen.getByRole('button', { name: 'Show all PATs' }));
    await waitFor(() => expect(settingsPage.names()).toEqual(['soon', 'later']));
  });

  it('sorts names naturally: numbers as numbers, case aside', async () => {
    for (const name of ['burst-10', 'burst-2', 'Burst-1', 'alpha']) mockBackend.add(name, inDays(30));
    renderApp('/settings');
    await settingsPage.waitForRows(4);
    settingsPage.table().findColumnSortingArea(2)!.click();
    await waitFor(() => expect(settingsPage.names()).toEqual(['alpha', 'Burst-1', 'burst-2', 'burst-10']));
  });

  it('shows no banner when nothing expires within 7 days', async () => {
    mockBackend.add('a', inDays(30));
    renderApp('/settings');
    await settingsPage.waitForRows(1);
    expect(screen.queryByText(/within 7 days/)).not.toBeInTheDocument();
  });

  it('loads every page of the API and paginates, filters and sorts 25 tokens', async () => {
    const requests: unknown[] = [];
    mockServer.events.on('request:start', ({ request }) => {
      if (request.method === 'POST') requests.push(request.url);
    });
    for (let index = 1; index <= 25; index += 1) {
      mockBackend.add(`token-${String(index).padStart(2, '0')}`, inDays(index + 20));
    }
    const { user } = renderApp('/settings');

    await settingsPage.waitForRows(10);
    expect(settingsPage.counter()).toContain('(25)');
    // 25 tokens at no more than 10 a call: three calls.
    expect(requests).toHaveLength(3);

    const pagination = settingsPage.table().findPagination()!;
    pagination.findNextPageButton().click();
    await waitFor(() => expect(settingsPage.names()[0]).toBe('token-11'));
    pagination.findPageNumberByIndex(3)!.click();
    await waitFor(() => expect(settingsPage.names()).toEqual(['token-21', 'token-22', 'token-23', 'token-24', 'token-25']));

    await user.type(screen.getByRole('searchbox', { name: 'Filter personal access tokens' }), 'token-1');
    await waitFor(() => expect(settingsPage.names()).toHaveLength(10));
    expect(settingsPage.table().findTextFilter()!.findResultsCount().getElement()).toHaveTextContent('10 matches');

    settingsPage.table().findColumnSortingArea(2)!.click();
    await waitFor(() => expect(settingsPage.names()[0]).toBe('token-10'));
    settingsPage.table().findColumnSortingArea(2)!.click();
    await waitFor(() => expect(settingsPage.names()[0]).toBe('token-19'));
  });

  it('offers to clear a filter that matches nothing', async () => {
    mockBackend.add('alpha', inDays(30));
    const { user } = renderApp('/settings');
    await settingsPage.waitForRows(1);
    await user.type(screen.getByRole('searchbox', { name: 'Filter personal access tokens' }), 'zzz');
    await user.click(await screen.findByRole('button', { name: 'Clear filter' }));
    await settingsPage.waitForRows(1);
  });

  it('hides the ID column until the preferences show it, and changes the page size', async () => {
    for (let index = 1; index <= 12; index += 1) mockBackend.add(`t${index}`, inDays(30 + index));
    renderApp('/settings');
    await settingsPage.waitForRows(10);
    const headers = () => settingsPage.table().findColumnHeaders().map((header) => header.getElement().textContent);
    expect(headers()).not.toContain('ID');

    const preferences = await settingsPage.preferences();
    preferences.findTriggerButton().click();
    const dialog = preferences.findModal()!;
    dialog.findContentDisplayPreference()!.findOptionByIndex(6)!.findVisibilityToggle().findNativeInput().click();
    dialog.findPageSizePreference()!.findOptions()[1]!.findNativeInput().click();
    dialog.findConfirmButton()!.click();

    await waitFor(() => expect(headers()).toContain('ID'));
    await settingsPage.waitForRows(12);
    expect(settingsPage.cell(1, 6)).toMatch(/^00000000-0000-4000-8000-/);

    // This browser remembers them: after a reload, and after leaving My settings and coming back.
    cleanup();
    const { router } = renderApp('/settings');
    await settingsPage.waitForRows(12);
    expect(headers()).toContain('ID');
    await act(() => router.navigate('/settings/tokens/create'));
    await act(() => router.navigate('/settings'));
    await settingsPage.waitForRows(12);
    expect(headers()).toContain('ID');
  });

  it('says where each token came from in a column the preferences show', async () => {
    const laptop = mockBackend.add('laptop', inDays(30));
    mockBackend.add('made-by-laptop', inDays(40), undefined, undefined, { accessTokenId: laptop.id, name: 'laptop' });
    renderApp('/settings');
    await settingsPage.waitForRows(2);
    const headers = () => settingsPage.table().findColumnHeaders().map((header) => header.getElement().textContent);
    expect(headers()).not.toContain('Created with');

    await showColumn(5, 'Created with');

    await waitFor(() => expect(headers()).toContain('Created with'));
    expect(settingsPage.cell(settingsPage.rowByName('laptop'), 6)).toBe('No PAT');
    expect(settingsPage.cell(settingsPage.rowByName('made-by-laptop'), 6)).toBe('PAT laptop');
  });

  it("shows each PAT's description, its first line, in a column the preferences show (our extension)", async () => {
    mockBackend.add('described', inDays(30), undefined, undefined, undefined, 'Deploys the docs site.\nOwner: platform team.');
    mockBackend.add('plain', inDays(40));
    renderApp('/settings');
    await settingsPage.waitForRows(2);
    const headers = () => settingsPage.table().findColumnHeaders().map((header) => header.getElement().textContent);
    expect(headers()).not.toContain('Description');

    await showColumn(7, 'Description');

    await waitFor(() => expect(headers()).toContain('Description'));
    expect(settingsPage.cell(settingsPage.rowByName('described'), 6)).toBe('Deploys the docs site.');
    expect(settingsPage.cell(settingsPage.rowByName('plain'), 6)).toBe('-');
  });

  it('says in a column what each PAT may do (our extension)', async () => {
    mockBackend.add('laptop', inDays(30));
    mockBackend.add('reader', inDays(40), undefined, undefined, undefined, undefined, { permissions: ['READ_REPOSITORIES'], repositories: ['notes'] });
    mockBackend.add('robot', inDays(50), undefined, undefined, undefined, undefined, { permissions: ['MANAGE_ACCESS_TOKENS'], networks: ['10.0.0.0/8'] });
    renderApp('/settings');
    await settingsPage.waitForRows(3);
    expect(settingsPage.cell(settingsPage.rowByName('laptop'), 5)).toBe('Read and write · all repositories · manage PATs · activity');
    expect(settingsPage.cell(settingsPage.rowByName('reader'), 5)).toBe('Read · 1 repository');
    expect(settingsPage.cell(settingsPage.rowByName('robot'), 5)).toBe('No Git · manage PATs · 1 network');
  });

  it('says so above the table at the limit of 100 PATs, and disables Create with the reason', async () => {
    for (let index = 1; index <= 99; index += 1) mockBackend.add(`t${index}`, inDays(30));
    const { unmount } = renderApp('/settings');
    await settingsPage.waitForRows(10);
    expect(screen.getByRole('link', { name: 'Create' })).not.toHaveAttribute('aria-disabled');
    expect(screen.queryByText('You have 100 PATs, the most you can have')).not.toBeInTheDocument();
    unmount();
    mockBackend.add('t100', inDays(30));
    renderApp('/settings');
    expect(await screen.findByText('You have 100 PATs, the most you can have')).toBeVisible();
    const create = screen.getByText('Create', { selector: 'span' }).closest('a, button');
    expect(create).toHaveAttribute('aria-disabled', 'true');
    expect(create).not.toHaveAttribute('href');
  });

  it('keeps the selection across sorting, filtering and paging, and counts it in the header', async () => {
    for (let index = 1; index <= 12; index += 1) mockBackend.add(`t${index}`, inDays(30 + index));
    renderApp('/settings');
    await settingsPage.waitForRows(10);
    settingsPage.selectRow('t1');
    settingsPage.selectRow('t2');
    await waitFor(() => expect(settingsPage.counter()).toContain('(2/12)'));
    act(() => settingsPage.table().findColumnSortingArea(2)!.click());
    act(() => settingsPage.table().findTextFilter()!.findInput().setInputValue('t1'));
    act(() => settingsPage.table().findTextFilter()!.findInput().setInputValue(''));
    act(() => settingsPage.table().findPagination()!.findNextPageButton().click());
    expect(settingsPage.counter()).toContain('(2/12)');
    expect(settingsPage.button('Delete')).toBeEnabled();
  });

  it('ignores stored preferences it does not understand', async () => {
    localStorage.setItem('pat-console:token-table-preferences', JSON.stringify({ pageSize: 7, contentDisplay: [{ id: 'gone', visible: true }] }));
    for (let index = 1; index <= 12; index += 1) mockBackend.add(`t${index}`, inDays(30 + index));
    renderApp('/settings');
    await settingsPage.waitForRows(10);
    expect(settingsPage.table().findColumnHeaders().map((header) => header.getElement().textContent?.trim())).toEqual([
      '',
      'Name',
      'Expiration date',
      'Last used',
      'Access',
    ]);
  });

  it('invites the user to create a first token when there are none', async () => {
    const { user, router } = renderApp('/settings');
    const empty = await screen.findByText('No personal access tokens');
    const emptyState = empty.parentElement!.parentElement!;
    await user.click(within(emptyState).getByRole('link', { name: 'Create' }));
    await waitFor(() => expect(router.pathname).toBe('/settings/tokens/create'));
  });

  it('shows an error with Retry when the list fails, and recovers on Retry', async () => {
    mockBackend.add('survivor', inDays(30));
    mockServer.use(
      http.post(
        PATHS.accessTokens,
        () =>
          HttpResponse.json(
            { message: 'Rate exceeded' },
            { status: 429, headers: { [ERROR_TYPE_HEADER]: 'ThrottlingException', 'retry-after': '1' } },
          ),
        { once: true },
      ),
    );
    const { user } = renderApp('/settings');

    expect(await screen.findByText('Your PATs could not be loaded. Rate exceeded. Try again in 1 second.')).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    await settingsPage.waitForRows(1);
    expect(settingsPage.names()).toEqual(['survivor']);
  });

  it('keeps the rows it has when a refresh fails, says so, and recovers on Retry', async () => {
    mockBackend.add('cached', inDays(30));
    const { user } = renderApp('/settings');
    await settingsPage.waitForRows(1);
    mockServer.use(http.post(PATHS.accessTokens, () => HttpResponse.error(), { once: true }));
    await user.click(screen.getByRole('button', { name: 'Refresh personal access tokens' }));

    expect(await screen.findByText('Your PATs could not be loaded')).toBeVisible();
    expect(settingsPage.names()).toEqual(['cached']);
    mockBackend.add('fresh', inDays(40));
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    await settingsPage.waitForRows(2);
    expect(screen.queryByText('Your PATs could not be loaded')).not.toBeInTheDocument();
  });

  it('refreshes on demand and enables Delete only with a selection', async () => {
    mockBackend.add('first', inDays(30));
    const { user } = renderApp('/settings');
    await settingsPage.waitForRows(1);
    expect(settingsPage.button('Delete')).toBeDisabled();

    mockBackend.add('second', inDays(40));
    await user.click(screen.getByRole('button', { name: 'Refresh personal access tokens' }));
    await settingsPage.waitForRows(2);

    settingsPage.selectRow('second');
    await waitFor(() => expect(settingsPage.button('Delete')).toBeEnabled());
  });

  it('never shows a token that lapsed after the service listed it', async () => {
    // The service listed both while they were live; one has expired by the time the page arrives.
    mockServer.use(
      http.post(PATHS.accessTokens, () =>
        HttpResponse.json({
          items: [
            { id: '00000000-0000-4000-8000-000000000001', name: 'current', expiresTime: inDays(30).toISOString() },
            { id: '00000000-0000-4000-8000-000000000002', name: 'lapsed', expiresTime: new Date(Date.now() - 1000).toISOString() },
          ],
        }),
      ),
    );
    renderApp('/settings');
    await settingsPage.waitForRows(1);
    expect(settingsPage.names()).toEqual(['current']);
    expect(settingsPage.counter()).toContain('(1)');
    expect(createWrapper().findTable()?.findRows()).toHaveLength(1);
  });

  it('says when each token was last used, and sorts by it', async () => {
    const HOUR = 60 * 60 * 1000;
    mockBackend.add('daily', inDays(30), new Date(Date.now() - 2 * HOUR));
    mockBackend.add('idle', inDays(40));
    mockBackend.add('weekly', inDays(50), new Date(Date.now() - 3 * DAY));
    renderApp('/settings');
    await settingsPage.waitForRows(3);
    const lastUsed = () => settingsPage.names().map((name) => [name, settingsPage.cell(settingsPage.rowByName(name), 4)]);
    expect(lastUsed()).toEqual([
      ['daily', '2 hours ago'],
      ['idle', 'Never used'],
      ['weekly', '3 days ago'],
    ]);
    settingsPage.table().findColumnSortingArea(4)!.click();
    await waitFor(() => expect(settingsPage.names()).toEqual(['idle', 'weekly', 'daily']));
    settingsPage.table().findColumnSortingArea(4)!.click();
    await waitFor(() => expect(settingsPage.names()).toEqual(['daily', 'weekly', 'idle']));
  });

  it('drops a shown token from the list, and the count, as it expires', async () => {
    mockBackend.add('lasting', inDays(30));
    mockBackend.add('fleeting', new Date(Date.now() + 1500));
    renderApp('/settings');
    await settingsPage.waitForRows(2);
    expect(settingsPage.counter()).toContain('(2)');
    await waitFor(() => expect(settingsPage.names()).toEqual(['lasting']), { timeout: 5000 });
    expect(settingsPage.counter()).toContain('(1)');
  });

  it('refreshes the list when the window regains focus', async () => {
    mockBackend.add('first', inDays(30));
    renderApp('/settings');
    await settingsPage.waitForRows(1);
    mockBackend.add('made-elsewhere', inDays(40));
    act(() => {
      window.dispatchEvent(new Event('focus'));
    });
    await settingsPage.waitForRows(2);
  });
});
