import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { FULL_ACCESS } from '../../../../contract/access';
import { ERROR_TYPE_HEADER, PATHS, SECRET_PATTERN } from '../../../../contract/access-tokens';
import type { RegenerateAccessTokenRequest } from '../../../../contract/schemas';
import { digestOf, mockSecret } from '../../../../mocks/mock-backend';
import { mockServer, mockBackend } from '../../../../mocks/node';
import { flashMessages, modal, settingsPage } from '../../../testing/page-objects';
import { renderApp } from '../../../testing/render-app';

const DAY = 24 * 60 * 60 * 1000;
const inDays = (days: number) => new Date(Date.now() + days * DAY);

/** Local midnight `days` days from today. */
function localDay(days: number) {
  const date = new Date();
  date.setHours(0, 0, 0, 0);
  date.setDate(date.getDate() + days);
  return date;
}

async function openRegenerateDialog(name: string) {
  const rendered = renderApp('/settings');
  await settingsPage.waitForRows(mockBackend.list(new Date()).length);
  settingsPage.selectRow(name);
  await rendered.user.click(settingsPage.button('Regenerate'));
  const dialog = await screen.findByRole('dialog');
  await within(dialog).findByRole('radio', { name: '1 year (default)' });
  return { ...rendered, dialog };
}

function recordRegenerations() {
  const bodies: RegenerateAccessTokenRequest[] = [];
  mockServer.events.on('request:start', ({ request }) => {
    if (request.url.endsWith('/regenerate')) void request.clone().json().then((body) => bodies.push(body as RegenerateAccessTokenRequest));
  });
  return bodies;
}

describe('Regenerating a PAT', () => {
  it('is offered for exactly one selected PAT', async () => {
    mockBackend.add('one', inDays(30));
    mockBackend.add('two', inDays(60));
    renderApp('/settings');
    await settingsPage.waitForRows(2);
    expect(settingsPage.button('Regenerate')).toBeDisabled();
    settingsPage.selectRow('one');
    await waitFor(() => expect(settingsPage.button('Regenerate')).toBeEnabled());
    settingsPage.selectRow('two');
    await waitFor(() => expect(settingsPage.button('Regenerate')).toBeDisabled());
  });

  it('shows the description to keep or change, and sends it with the new expiry (our extension)', async () => {
    mockBackend.add('laptop', inDays(5), undefined, undefined, undefined, 'My laptop.');
    const bodies = recordRegenerations();
    const { user, dialog } = await openRegenerateDialog('laptop');
    const description = within(dialog).getByRole('textbox', { name: 'Description - optional' });
    expect(description).toHaveValue('My laptop.');
    await user.clear(description);
    await user.type(description, 'My new laptop.');
    await user.click(within(dialog).getByRole('button', { name: 'Regenerate' }));
    await screen.findByRole('dialog', { name: 'Copy your PAT secret' });
    expect(bodies).toEqual([{ expiresTime: expect.any(String), description: 'My new laptop.', access: FULL_ACCESS }]);
    expect(mockBackend.list(new Date())[0]?.description).toBe('My new laptop.');
  });

  it('keeps the access, or narrows it, and never offers what the PAT lacks (our extension)', async () => {
    mockBackend.add('ci', inDays(5), undefined, undefined, undefined, undefined, {
      permissions: ['READ_REPOSITORIES', 'WRITE_REPOSITORIES', 'MANAGE_ACCESS_TOKENS'],
      repositories: ['notes', 'site'],
    });
    const bodies = recordRegenerations();
    const { user, dialog } = await openRegenerateDialog('ci');
    await user.click(within(dialog).getByRole('button', { name: /^Access/ }));
    expect(within(dialog).getByRole('checkbox', { name: /^Read the activity log/ })).toBeDisabled();
    expect(within(dialog).getByRole('radio', { name: /^All repositories/ })).toBeDisabled();
    await user.click(within(dialog).getByRole('checkbox', { name: /^Write repositories/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Remove site' }));
    await user.click(within(dialog).getByRole('button', { name: 'Regenerate' }));
    await screen.findByRole('dialog', { name: 'Copy your PAT secret' });
    const narrowed = { permissions: ['READ_REPOSITORIES', 'MANAGE_ACCESS_TOKENS'], repositories: ['notes'] };
    expect(bodies).toEqual([{ expiresTime: expect.any(String), description: '', access: narrowed }]);
    expect(mockBackend.list(new Date())[0]?.access).toEqual(narrowed);
  });

  it('warns that the secret stops working, takes a new expiry, then shows the new secret once; the old one is refused', async () => {
    const oldSecret = mockSecret();
    const token = mockBackend.add('laptop', inDays(5), undefined, await digestOf(oldSecret));
    const bodies = recordRegenerations();
    const { user, dialog, queryClient } = await openRegenerateDialog('laptop');

    expect(modal().findHeader().getElement()).toHaveTextContent('Regenerate PAT: laptop?');
    expect(within(dialog).getByText('The current secret stops working at once')).toBeVisible();
    await user.click(within(dialog).getByRole('radio', { name: '30 days' }));
    await user.click(within(dialog).getByRole('button', { name: 'Regenerate' }));

    const secretDialog = await screen.findByRole('dialog', { name: 'Copy your PAT secret' });
    const secret = within(secretDialog).getByLabelText('PAT secret').textContent ?? '';
    expect(secret).toMatch(SECRET_PATTERN);
    // Shown, and already dropped from the mutation cache: the dialog's state is its only home.
    expect(JSON.stringify(queryClient.getMutationCache().getAll().map((mutation) => mutation.state.data))).not.toContain(secret);
    expect(bodies).toEqual([{ expiresTime: localDay(30).toISOString(), description: '', access: FULL_ACCESS }]);
    // The token kept its id and name; only the new secret's digest works now.
    expect(await mockBackend.verify(oldSecret)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await mockBackend.verify(secret)).toMatchObject({ ok: true, token: { id: token.id, name: 'laptop' } });

    await user.click(within(secretDialog).getByRole('button', { name: 'Copy' }));
    expect(await navigator.clipboard.readText()).toBe(secret);
    await user.click(within(secretDialog).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(screen.queryByText(secret)).not.toBeInTheDocument();

    await waitFor(() => expect(flashMessages()).toEqual(['PAT laptop regenerated. Its old secret no longer works.']));
    const newExpiry = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(localDay(30));
    await waitFor(() => expect(settingsPage.cell(settingsPage.rowByName('laptop'), 3)).toContain(newExpiry));
  });

  it('explains a refusal and keeps the dialog, and Cancel changes nothing', async () => {
    mockBackend.add('laptop', inDays(5));
    mockServer.use(
      http.post(`${PATHS.accessTokens}/:id/regenerate`, () =>
        HttpResponse.json({ message: 'Access token x was not found.' }, { status: 404, headers: { [ERROR_TYPE_HEADER]: 'ResourceNotFoundException' } }),
      ),
    );
    const { user, dialog } = await openRegenerateDialog('laptop');
    await user.click(within(dialog).getByRole('button', { name: 'Regenerate' }));
    expect(await within(dialog).findByText('The PAT was not regenerated')).toBeVisible();
    expect(within(dialog).getByText(/Its current secret still works/)).toBeVisible();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(flashMessages()).toEqual([]);
  });

  it('checks a custom date next to the field', async () => {
    mockBackend.add('laptop', inDays(5));
    const bodies = recordRegenerations();
    const { user, dialog } = await openRegenerateDialog('laptop');
    await user.click(within(dialog).getByRole('radio', { name: 'Custom' }));
    const input = within(dialog).getByRole('textbox', { name: 'Custom expiration date' });
    await user.clear(input);
    await user.type(input, '2020/01/01');
    await user.click(within(dialog).getByRole('button', { name: 'Regenerate' }));
    expect(await within(dialog).findByText(/Choose a date after today/)).toBeVisible();
    expect(bodies).toEqual([]);
  });
});
