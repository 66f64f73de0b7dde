import createWrapper from '@cloudscape-design/components/test-utils/dom';
import { screen, waitFor, within } from '@testing-library/react';
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { mockBackend } from '../../../mocks/node';
import { renderApp } from '../../testing/render-app';

const DAY = 24 * 60 * 60 * 1000;
const inDays = (days: number) => new Date(Date.now() + days * DAY);

const details = () => {
  const pairs = createWrapper().findKeyValuePairs();
  if (!pairs) throw new Error('No details on the page');
  return Object.fromEntries(
    pairs.findItems().map((item) => [item.findLabel()?.getElement().textContent, item.findValue()?.getElement().textContent]),
  );
};
const activityRows = () => within(screen.getByRole('table', { name: 'Activity of this PAT' })).getAllByRole('row').slice(1);

describe('PAT details', () => {
  it("opens from the PAT's name: what it is, that it was created with PAT laptop (a link while laptop exists), what happened to it and what was done with it", async () => {
    const laptop = mockBackend.add('laptop', inDays(200));
    const ci = mockBackend.add('ci', inDays(30), new Date(Date.now() - 2 * 60 * 60 * 1000), undefined, { accessTokenId: laptop.id, name: 'laptop' });
    mockBackend.addEvent('CREATED', laptop, new Date(Date.now() - 2 * DAY), {});
    mockBackend.addEvent('CREATED', ci, new Date(Date.now() - DAY), { via: laptop, userAgent: 'aws-cli/2.15.0' });
    const { user, router } = renderApp('/settings');
    await user.click(await screen.findByRole('link', { name: 'ci' }));
    await waitFor(() => expect(router.pathname).toBe(`/settings/tokens/${ci.id}`));
    expect(await screen.findByRole('heading', { level: 1, name: 'PAT ci' })).toBeVisible();
    await waitFor(() => expect(details()).toMatchObject({ Name: 'ci', 'Last used': '2 hours ago', 'Created with': 'PAT laptop' }));
    // The day and time it stops (made through the API, not at a day's start), and the exact moment.
    expect(details()['Expiration date']).toMatch(/\(in 30 days\).*\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z\)$/);
    expect(document.title).toBe('PAT details · pat-console');
    await waitFor(() => expect(activityRows()).toHaveLength(1));
    expect(activityRows()[0]?.textContent).toMatch(/Created.*PAT laptop.*aws-cli\/2\.15\.0/);
    // Rows may be about other PATs (those this one made): the PAT column says which.
    const headers = within(screen.getByRole('table', { name: 'Activity of this PAT' })).getAllByRole('columnheader');
    expect(headers.map((header) => header.textContent)).toEqual(['Time', 'Event', 'PAT', 'Made with', 'Address', 'Client']);

    await user.click(screen.getAllByRole('link', { name: 'laptop' })[0]!);
    await waitFor(() => expect(router.pathname).toBe(`/settings/tokens/${laptop.id}`));
    await waitFor(() => expect(details()).toMatchObject({ Name: 'laptop', 'Created with': 'Console' }));
    // What laptop did is on its page too: it created ci.
    await waitFor(() => expect(activityRows()).toHaveLength(2));
    expect(activityRows().map((row) => row.textContent)).toEqual([expect.stringMatching(/Created.*ci.*PAT laptop/), expect.stringMatching(/Created.*laptop.*Console/)]);
  });

  it('shows the whole access: permissions, repositories and networks (our extension)', async () => {
    const reader = mockBackend.add('reader', inDays(30), undefined, undefined, undefined, undefined, {
      permissions: ['READ_REPOSITORIES', 'READ_ACTIVITY'],
      repositories: ['notes', 'site'],
      networks: ['10.0.0.0/8'],
    });
    renderApp(`/settings/tokens/${reader.id}`);
    await waitFor(() =>
      expect(details()).toMatchObject({ Access: 'Read repositories, Read the activity logRepositories: notes, siteNetworks: 10.0.0.0/8' }),
    );
  });

  it('shows the whole description, line by line, or a dash when there is none (our extension)', async () => {
    const described = mockBackend.add('ci', inDays(30), undefined, undefined, undefined, 'Deploys the docs site.\nOwner: platform team.');
    const plain = mockBackend.add('plain', inDays(30));
    const { router } = renderApp(`/settings/tokens/${described.id}`);
    await waitFor(() => expect(details()).toMatchObject({ Name: 'ci', Description: 'Deploys the docs site.\nOwner: platform team.' }));
    await act(() => router.navigate(`/settings/tokens/${plain.id}`));
    await waitFor(() => expect(details()).toMatchObject({ Name: 'plain', Description: '-' }));
  });

  it('for a PAT that is gone: says so, names it from its activity, and still shows what it did', async () => {
    const laptop = mockBackend.add('laptop', inDays(200));
    mockBackend.addEvent('CREATED', laptop, new Date(Date.now() - 2 * DAY), {});
    await mockBackend.remove(laptop.id);
    renderApp(`/settings/tokens/${laptop.id}`);
    expect(await screen.findByText('This PAT no longer exists')).toBeVisible();
    expect(await screen.findByRole('heading', { level: 1, name: 'PAT laptop' })).toBeVisible();
    await waitFor(() =>
      expect(activityRows().map((row) => row.textContent)).toEqual([
        expect.stringMatching(/Deleted.*Console/),
        expect.stringMatching(/Created.*Console/),
      ]),
    );
  });

  it('names the PAT it was created with once that one is gone, linking to what is kept of it', async () => {
    const laptop = mockBackend.add('laptop', inDays(200));
    const ci = mockBackend.add('ci', inDays(30), undefined, undefined, { accessTokenId: laptop.id, name: 'laptop' });
    await mockBackend.remove(laptop.id);
    const { user, router } = renderApp(`/settings/tokens/${ci.id}`);
    await waitFor(() => expect(details()['Created with']).toBe('PAT laptop (deleted or expired)'));
    await user.click(screen.getByRole('link', { name: 'laptop' }));
    await waitFor(() => expect(router.pathname).toBe(`/settings/tokens/${laptop.id}`));
  });

  it('says when the PAT was created, and offers Regenerate and Delete; a delete stays on the page, to show it gone', async () => {
    const laptop = mockBackend.add('laptop', inDays(200));
    const { user } = renderApp(`/settings/tokens/${laptop.id}`);
    await waitFor(() => expect(details()).toMatchObject({ Name: 'laptop' }));
    expect(details()['Created']).toMatch(/\d{4}.*\(.*\)$/);

    await user.click(screen.getByRole('button', { name: 'Regenerate' }));
    const regenerate = await screen.findByRole('dialog', { name: 'Regenerate PAT: laptop?' });
    await user.click(within(regenerate).getByRole('button', { name: 'Cancel' }));

    await user.click(screen.getByRole('button', { name: 'Delete' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete PAT: laptop?' });
    await user.type(within(dialog).getByRole('textbox'), 'delete');
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect(await screen.findByText('This PAT no longer exists')).toBeVisible();
    expect(screen.queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument();
  });
});
