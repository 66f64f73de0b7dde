import createWrapper from '@cloudscape-design/components/test-utils/dom';
import { act, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { ERROR_TYPE_HEADER, PATHS } from '../../../../contract/access-tokens';
import { mockServer, mockBackend } from '../../../../mocks/node';
import { renderApp } from '../../../testing/render-app';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const ago = (ms: number) => new Date(Date.now() - ms);

const table = () => {
  const wrapper = createWrapper().findTable();
  if (!wrapper) throw new Error('The activity table is not on the page');
  return wrapper;
};
/** Each row as [event, PAT, made with, address, client], the columns shown by default after Time. */
const rows = () =>
  table()
    .findRows()
    .map((row) => row.findAll('td, th').slice(1).map((cell) => cell.getElement().textContent ?? ''));
const waitForRows = (count: number) => waitFor(() => expect(table().findRows()).toHaveLength(count));

/** A day of a token's life: made in the console, used from git, a child made with it, deleted, and presented again. */
function seedHistory() {
  const laptop = mockBackend.add('laptop', new Date(Date.now() + 100 * DAY));
  const child = mockBackend.add('ci', new Date(Date.now() + 100 * DAY));
  const fromLaptop = { via: laptop, userAgent: 'aws-cli/2.15.0' };
  mockBackend.addEvent('CREATED', laptop, ago(5 * DAY), { channel: 'LOCAL_API', userAgent: 'Python-urllib/3.11' });
  mockBackend.addEvent('USED_FROM_NEW_CLIENT', laptop, ago(4 * DAY), { via: laptop, userAgent: 'git/2.39.5' });
  mockBackend.addEvent('CREATED', child, ago(3 * DAY), fromLaptop);
  mockBackend.addEvent('DELETED', laptop, ago(2 * DAY), { userAgent: 'Mozilla/5.0 Firefox/140.0' });
  mockBackend.addEvent('DELETED_TOKEN_USED', laptop, ago(DAY), { via: laptop, userAgent: 'git/2.39.5' });
  mockBackend.addEvent('EXPIRED', mockBackend.add('old', ago(10 * MINUTE)), ago(10 * MINUTE));
  return { laptop, child };
}

describe('Activity', () => {
  it('lists what happened, newest first: the event, the PAT, how it was made, from where, with which client', async () => {
    seedHistory();
    renderApp('/settings/activity');
    await waitForRows(6);
    expect(rows()).toEqual([
      ['Expired', 'old', 'Service', '-', '-'],
      ['Deleted PAT presented', 'laptop', 'PAT laptop', '127.0.0.1', 'git/2.39.5'],
      ['Deleted', 'laptop', 'Console', '127.0.0.1', 'Mozilla/5.0 Firefox/140.0'],
      ['Created', 'ci', 'PAT laptop', '127.0.0.1', 'aws-cli/2.15.0'],
      ['First use from a new client', 'laptop', 'PAT laptop', '127.0.0.1', 'git/2.39.5'],
      ['Created', 'laptop', 'API (no PAT, local mode)', '127.0.0.1', 'Python-urllib/3.11'],
    ]);
    expect(table().findBodyCell(1, 1)?.getElement().textContent).toMatch(/\(10 minutes ago\)$/);
    expect(document.title).toBe('Activity · pat-console');
    expect(await screen.findByText(/Kept for 90 days\./)).toBeVisible();
  });

  it('says which notices went out and which were given up, and that a leaked PAT was revoked on report (our extension)', async () => {
    const ci = mockBackend.add('ci', new Date(Date.now() + DAY));
    mockBackend.addEvent('NOTICE_SENT', ci, ago(4 * MINUTE), undefined, 'EMAIL:EXPIRING');
    mockBackend.addEvent('NOTICE_FAILED', ci, ago(3 * MINUTE), undefined, 'WEBHOOK:CREATED');
    mockBackend.addEvent('REVOKED_AS_EXPOSED', ci, ago(2 * MINUTE), { channel: 'LOCAL_API', userAgent: 'trufflehog/3.88' });
    renderApp('/settings/activity');
    await waitForRows(3);
    expect(rows().map((row) => row.slice(0, 3))).toEqual([
      ['Revoked: reported as exposed', 'ci', 'API (no PAT, local mode)'],
      ['Notice failed to the webhook: created', 'ci', 'Service'],
      ['Notice sent by e-mail: expires soon', 'ci', 'Service'],
    ]);
  });

  it('says what a PAT was refused for its access: the permission it needed, the repository, the network (our extension)', async () => {
    const reader = mockBackend.add('reader', new Date(Date.now() + DAY));
    const fromReader = { via: reader, userAgent: 'git/2.39.5' };
    mockBackend.addEvent('REFUSED_PERMISSION', reader, ago(3 * MINUTE), fromReader, 'WRITE_REPOSITORIES');
    mockBackend.addEvent('REFUSED_REPOSITORY', reader, ago(2 * MINUTE), fromReader, 'other');
    mockBackend.addEvent('REFUSED_NETWORK', reader, ago(MINUTE), fromReader);
    renderApp('/settings/activity');
    await waitForRows(3);
    expect(rows().map((row) => row.slice(0, 3))).toEqual([
      ["Refused: from outside this PAT's networks", 'reader', 'PAT reader'],
      ['Refused: repository not in this PAT (other)', 'reader', 'PAT reader'],
      ['Refused: needs write', 'reader', 'PAT reader'],
    ]);
  });

  it('filters by text and by kind of event, says how many match, and clears both at once', async () => {
    seedHistory();
    const { user } = renderApp('/settings/activity');
    await waitForRows(6);
    act(() => table().findTextFilter()?.findInput().setInputValue('git/'));
    await waitForRows(2);
    expect(table().findTextFilter()?.findResultsCount().getElement().textContent).toBe('2 matches');
    const select = table().findFilterSlot()?.findSelect();
    act(() => select?.openDropdown());
    act(() => select?.selectOptionByValue('DELETED_TOKEN_USED'));
    await waitForRows(1);
    expect(rows()[0]?.[0]).toBe('Deleted PAT presented');
    act(() => table().findTextFilter()?.findInput().setInputValue('aws-cli'));
    expect(await screen.findByText('No matches')).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Clear filter' }));
    await waitForRows(6);
    expect(select?.findTrigger().getElement().textContent).toContain('Any event');
  });

  it("links each PAT's name to its details, a PAT that is gone included", async () => {
    const { laptop } = seedHistory();
    const { user, router } = renderApp('/settings/activity');
    await waitForRows(6);
    await user.click(screen.getAllByRole('link', { name: 'laptop' })[0]!);
    await waitFor(() => expect(router.pathname).toBe(`/settings/tokens/${laptop.id}`));
  });

  it('sorts PAT names naturally, as My settings does', async () => {
    for (const name of ['ci-10', 'ci-2', 'ci-1']) mockBackend.addEvent('CREATED', mockBackend.add(name, new Date(Date.now() + DAY)), ago(MINUTE), {});
    renderApp('/settings/activity');
    await waitForRows(3);
    act(() => table().findColumnSortingArea(3)?.click());
    await waitFor(() => expect(rows().map((row) => row[1])).toEqual(['ci-1', 'ci-2', 'ci-10']));
  });

  it('sorts by a column, pages, and remembers the page size and columns chosen', async () => {
    const token = mockBackend.add('busy', new Date(Date.now() + DAY));
    for (let index = 0; index < 30; index += 1) {
      mockBackend.addEvent('USED_FROM_NEW_CLIENT', token, ago((index + 1) * MINUTE), { via: token, userAgent: `client/${String(index).padStart(2, '0')}` });
    }
    const { unmount } = renderApp('/settings/activity');
    await waitForRows(25);
    expect(table().findPagination()?.findPageNumbers()).toHaveLength(2);
    act(() => table().findColumnSortingArea(6)?.click());
    await waitFor(() => expect(rows()[0]?.[4]).toBe('client/00'));
    act(() => table().findColumnSortingArea(6)?.click());
    await waitFor(() => expect(rows()[0]?.[4]).toBe('client/29'));

    const preferences = table().findCollectionPreferences();
    act(() => preferences?.findTriggerButton().click());
    act(() => preferences?.findModal()?.findPageSizePreference()?.findOptions()[0]?.findNativeInput().click());
    act(() => preferences?.findModal()?.findContentDisplayPreference()?.findOptionByIndex(7)?.findVisibilityToggle().findNativeInput().click());
    act(() => preferences?.findModal()?.findConfirmButton()?.click());
    await waitForRows(10);
    expect(table().findColumnHeaders().map((header) => header.getElement().textContent)).toContain('PAT ID');

    unmount();
    renderApp('/settings/activity');
    await waitForRows(10);
    expect(table().findColumnHeaders().map((header) => header.getElement().textContent)).toContain('PAT ID');
  });

  it('reads a long log up to its newest 2,000 events, and says that there are more', async () => {
    const token = mockBackend.add('chatty', new Date(Date.now() + DAY));
    for (let index = 2000; index >= 0; index -= 1) mockBackend.addEvent('USED_FROM_NEW_CLIENT', token, ago(index * MINUTE), { via: token });
    renderApp('/settings/activity');
    expect(await screen.findByText(/Showing the newest 2,000 events\./)).toBeVisible();
    expect(table().findHeaderSlot()?.findHeader()?.getElement().textContent).toContain('(2000+)');
    // The oldest is the one left out.
    expect(table().findBodyCell(1, 1)?.getElement().textContent).toMatch(/less than a minute ago/);
  });

  it('says when there is nothing yet', async () => {
    renderApp('/settings/activity');
    expect(await screen.findByText('No activity')).toBeVisible();
    expect(screen.getByText('Creating, regenerating, deleting and using your PATs shows here.')).toBeVisible();
  });

  it('says when the log cannot be loaded, and Retry recovers', async () => {
    seedHistory();
    mockServer.use(
      http.post(PATHS.accessTokenEvents, () => HttpResponse.json({ message: 'Boom' }, { status: 500, headers: { [ERROR_TYPE_HEADER]: 'InternalServerException' } }), {
        once: true,
      }),
    );
    const { user } = renderApp('/settings/activity');
    expect(await screen.findByText(/The activity could not be loaded. Boom/)).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    await waitForRows(6);
  });

  it('is reached from My settings and from the profile menu', async () => {
    const { user, router } = renderApp('/settings');
    await user.click(await screen.findByRole('link', { name: 'Activity' }));
    await waitFor(() => expect(router.pathname).toBe('/settings/activity'));
    expect(await screen.findByRole('heading', { level: 1, name: 'Activity' })).toBeVisible();
    router.navigate('/repositories');
    await user.click(await screen.findByRole('button', { name: /^Profile/ }));
    await user.click(within(screen.getByRole('menu')).getByRole('menuitem', { name: 'Activity' }));
    await waitFor(() => expect(router.pathname).toBe('/settings/activity'));
  });
});
