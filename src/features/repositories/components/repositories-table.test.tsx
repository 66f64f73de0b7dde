import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { ERROR_TYPE_HEADER, PATHS } from '../../../../contract/access-tokens';
import { mockServer, mockBackend } from '../../../../mocks/node';
import { renderApp } from '../../../testing/render-app';
import { formatSize } from './repositories-table-config';

const table = () => screen.getByRole('table', { name: 'Repositories' });

describe('Git repositories', () => {
  it('lists each repository with its clone URL, last push and size', async () => {
    mockBackend.addRepository('notes', 18_000, new Date(Date.now() - 2 * 60 * 60 * 1000));
    mockBackend.addRepository('fresh', 900);
    const { user } = renderApp('/repositories');
    await waitFor(() => expect(within(table()).getAllByRole('row')).toHaveLength(3));
    const rows = within(table()).getAllByRole('row').slice(1);
    expect(rows.map((row) => row.textContent)).toEqual([
      expect.stringMatching(/^fresh.*http:\/\/marymajor@localhost:3000\/git\/marymajor\/fresh\.git.*Never pushed.*900 bytes$/),
      expect.stringMatching(/^notes.*\/git\/marymajor\/notes\.git.*2 hours ago.*18 KB$/),
    ]);
    expect(document.title).toBe('Git repositories · pat-console');
    await user.click(screen.getByRole('button', { name: 'Copy the clone URL of notes' }));
    expect(await navigator.clipboard.readText()).toBe('http://marymajor@localhost:3000/git/marymajor/notes.git');
  });

  it('names the transport the addresses really use, and says what plain HTTP means', async () => {
    renderApp('/repositories');
    expect(await screen.findByText('Clone and push over HTTP with a PAT as the password. Only you can see and use these repositories.')).toBeVisible();
    expect(screen.getByText('These addresses use plain HTTP')).toBeVisible();
    expect(screen.getByText(/here, only on this computer/)).toBeVisible();
  });

  it('explains push to create, with the exact command, when there are none', async () => {
    const { user } = renderApp('/repositories');
    expect(await screen.findByText('No repositories')).toBeVisible();
    const command = 'git push http://marymajor@localhost:3000/git/marymajor/my-project.git main';
    expect(screen.getByText(command)).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Copy the push command' }));
    expect(await navigator.clipboard.readText()).toBe(command);
  });

  it('says when the list cannot be loaded, and Retry recovers', async () => {
    mockBackend.addRepository('notes');
    mockServer.use(
      http.get(PATHS.repositories, () => HttpResponse.json({ message: 'Boom' }, { status: 500, headers: { [ERROR_TYPE_HEADER]: 'InternalServerException' } }), {
        once: true,
      }),
    );
    const { user } = renderApp('/repositories');
    expect(await screen.findByText(/Your repositories could not be loaded. Boom/)).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await within(table()).findByText('notes')).toBeVisible();
  });

  it('is one click away from every page', async () => {
    const { user, router } = renderApp('/settings');
    await user.click(await screen.findByRole('link', { name: 'Git repositories' }));
    await waitFor(() => expect(router.pathname).toBe('/repositories'));
  });

  it.each([
    [0, '0 bytes'],
    [1023, '1023 bytes'],
    [1536, '1.5 KB'],
    [30 * 1024 * 1024, '30 MB'],
  ])('writes %i bytes as %s', (bytes, text) => {
    expect(formatSize(bytes)).toBe(text);
  });
});
