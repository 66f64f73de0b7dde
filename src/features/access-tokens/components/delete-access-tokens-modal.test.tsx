import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { ERROR_TYPE_HEADER, PATHS } from '../../../../contract/access-tokens';
import { mockServer, mockBackend } from '../../../../mocks/node';
import { flashMessages, modal, settingsPage } from '../../../testing/page-objects';
import { renderApp } from '../../../testing/render-app';

const inDays = (days: number) => new Date(Date.now() + days * 24 * 60 * 60 * 1000);

async function openDeleteDialog(...names: string[]) {
  const rendered = renderApp('/settings');
  await settingsPage.waitForRows(mockBackend.list(new Date()).length);
  for (const name of names) settingsPage.selectRow(name);
  await rendered.user.click(settingsPage.button('Delete'));
  const dialog = await screen.findByRole('dialog');
  return { ...rendered, dialog };
}

const deleteButton = (dialog: HTMLElement) => within(dialog).getByRole('button', { name: 'Delete' });
const confirmationInput = (dialog: HTMLElement) => within(dialog).getByRole('textbox');

describe('Deleting PATs', () => {
  it('asks "Delete PAT: <name>?" and deletes only once "delete" is typed', async () => {
    mockBackend.add('keep-me', inDays(30));
    mockBackend.add('old-laptop', inDays(60));
    const { dialog, user } = await openDeleteDialog('old-laptop');

    expect(modal().findHeader().getElement()).toHaveTextContent('Delete PAT: old-laptop?');
    await waitFor(() => expect(confirmationInput(dialog)).toHaveFocus());
    expect(deleteButton(dialog)).toBeDisabled();
    expect(confirmationInput(dialog)).toHaveAttribute('autocapitalize', 'off');
    for (const wrong of ['del', 'deleted', 'delete it', 'd elete']) {
      await user.clear(confirmationInput(dialog));
      await user.type(confirmationInput(dialog), wrong);
      expect(deleteButton(dialog)).toBeDisabled();
    }
    // What a phone keyboard makes of "delete" still counts.
    for (const meant of ['Delete', 'DELETE', 'delete ', ' Delete ']) {
      await user.clear(confirmationInput(dialog));
      await user.type(confirmationInput(dialog), meant);
      expect(deleteButton(dialog)).toBeEnabled();
    }
    await user.clear(confirmationInput(dialog));
    await user.type(confirmationInput(dialog), 'Delete ');
    await user.click(deleteButton(dialog));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    await settingsPage.waitForRows(1);
    expect(settingsPage.names()).toEqual(['keep-me']);
    // Focus goes on to the row that is left, not to the page's body.
    await waitFor(() => expect(screen.getByRole('checkbox', { name: 'Select keep-me' })).toHaveFocus());
    expect(mockBackend.list(new Date()).map((token) => token.name)).toEqual(['keep-me']);
    await waitFor(() => expect(flashMessages()).toEqual(['PAT old-laptop deleted.']));
  });

  it('replaces the flash of an earlier action on the same page instead of stacking them', async () => {
    mockBackend.add('first', inDays(30));
    mockBackend.add('second', inDays(30));
    const { dialog, user } = await openDeleteDialog('first');
    await user.type(confirmationInput(dialog), 'delete');
    await user.click(deleteButton(dialog));
    await waitFor(() => expect(flashMessages()).toEqual(['PAT first deleted.']));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    settingsPage.selectRow('second');
    await user.click(settingsPage.button('Delete'));
    const again = await screen.findByRole('dialog');
    await user.type(confirmationInput(again), 'delete');
    await user.click(deleteButton(again));
    await waitFor(() => expect(flashMessages()).toEqual(['PAT second deleted.']));
  });

  it('offers to delete the PATs a PAT created (and theirs), in the same typed confirmation', async () => {
    const leaked = mockBackend.add('leaked', inDays(30));
    // Listed before the PAT that made it (the mock numbers ids in order): found all the same.
    const childId = '00000000-0000-4000-8000-000000000003';
    mockBackend.add('grandchild', inDays(50), undefined, undefined, { accessTokenId: childId, name: 'child' });
    expect(mockBackend.add('child', inDays(40), undefined, undefined, { accessTokenId: leaked.id, name: 'leaked' }).id).toBe(childId);
    mockBackend.add('unrelated', inDays(60));
    const { dialog, user } = await openDeleteDialog('leaked');

    expect(modal().findHeader().getElement()).toHaveTextContent('Delete PAT: leaked?');
    // Summarised, counted right (the grandchild was made with child, not with leaked), listed on demand.
    const summary = within(dialog).getByRole('button', { name: '1 PAT was created with it, and 1 more with that one' });
    expect(summary).toHaveAttribute('aria-expanded', 'false');
    await user.click(summary);
    const madeWithIt = within(dialog).getByRole('list', { name: 'PATs created with it' });
    expect(within(madeWithIt).getAllByRole('listitem').map((item) => item.textContent).sort()).toEqual([
      'child (created with leaked)',
      'grandchild (created with child)',
    ]);
    await user.click(within(dialog).getByRole('checkbox', { name: 'Also delete these 2 PATs' }));
    await user.type(confirmationInput(dialog), 'delete');
    await user.click(deleteButton(dialog));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(mockBackend.list(new Date()).map((token) => token.name)).toEqual(['unrelated']);
    await waitFor(() => expect(flashMessages()).toEqual(['3 PATs deleted.']));
  });

  it('leaves the PATs a PAT created unless asked', async () => {
    const leaked = mockBackend.add('leaked', inDays(30));
    mockBackend.add('child', inDays(40), undefined, undefined, { accessTokenId: leaked.id, name: 'leaked' });
    const { dialog, user } = await openDeleteDialog('leaked');
    expect(within(dialog).getByRole('checkbox', { name: 'Also delete child' })).not.toBeChecked();
    await user.type(confirmationInput(dialog), 'delete');
    await user.click(deleteButton(dialog));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(mockBackend.list(new Date()).map((token) => token.name)).toEqual(['child']);
    await waitFor(() => expect(flashMessages()).toEqual(['PAT leaked deleted.']));
  });

  it('does nothing on Enter until the confirmation is typed, then Enter deletes', async () => {
    mockBackend.add('victim', inDays(30));
    const { dialog, user } = await openDeleteDialog('victim');
    await user.type(confirmationInput(dialog), 'nope{Enter}');
    expect(mockBackend.list(new Date())).toHaveLength(1);
    await user.clear(confirmationInput(dialog));
    await user.type(confirmationInput(dialog), 'delete{Enter}');
    await waitFor(() => expect(mockBackend.list(new Date())).toHaveLength(0));
  });

  it('Cancel closes the dialog and deletes nothing', async () => {
    mockBackend.add('victim', inDays(30));
    const { dialog, user } = await openDeleteDialog('victim');
    await user.type(confirmationInput(dialog), 'delete');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(mockBackend.list(new Date())).toHaveLength(1);
  });

  it('deletes several selected tokens after listing them', async () => {
    for (const name of ['a', 'b', 'c', 'd']) mockBackend.add(name, inDays(30));
    const { dialog, user } = await openDeleteDialog('a', 'b', 'c');

    expect(modal().findHeader().getElement()).toHaveTextContent('Delete 3 PATs?');
    const listed = within(within(dialog).getByRole('region', { name: 'PATs to delete' })).getAllByRole('listitem');
    expect(listed.map((item) => item.textContent)).toEqual(['a', 'b', 'c']);
    await user.type(confirmationInput(dialog), 'delete');
    await user.click(deleteButton(dialog));

    await waitFor(() => expect(settingsPage.names()).toEqual(['d']));
    await waitFor(() => expect(flashMessages()).toEqual(['3 PATs deleted.']));
    await waitFor(() => expect(screen.getByRole('checkbox', { name: 'Select d' })).toHaveFocus());
  });

  it('counts a token someone already deleted as deleted', async () => {
    const gone = mockBackend.add('gone-already', inDays(30));
    const { dialog, user } = await openDeleteDialog('gone-already');
    await mockBackend.remove(gone.id);
    await user.type(confirmationInput(dialog), 'delete');
    await user.click(deleteButton(dialog));
    await waitFor(() => expect(flashMessages()).toEqual(['PAT gone-already deleted.']));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    // No row is left: focus goes to Create.
    await waitFor(() => expect(screen.getAllByRole('link', { name: 'Create' })[0]).toHaveFocus());
  });

  it('hides the rows at once, and puts them back with the error in the dialog when deleting fails', async () => {
    mockBackend.add('stubborn', inDays(30));
    let release: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => {
      release = resolve;
    });
    mockServer.use(
      http.delete(`${PATHS.accessTokens}/:id`, async () => {
        await answered;
        return HttpResponse.json(
          { message: 'You are not allowed to delete this token.' },
          { status: 403, headers: { [ERROR_TYPE_HEADER]: 'AccessDeniedException' } },
        );
      }),
    );
    const { dialog, user } = await openDeleteDialog('stubborn');
    await user.type(confirmationInput(dialog), 'delete');
    await user.click(deleteButton(dialog));

    // Optimistic: the row leaves before the service answers.
    await waitFor(() => expect(settingsPage.names()).toEqual([]));
    release();
    expect(await within(dialog).findByText('You are not allowed to delete this token.')).toBeVisible();
    await waitFor(() => expect(settingsPage.names()).toEqual(['stubborn']));
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });

  it('after a bulk delete that partly fails, brings back only the rows that failed, and names them', async () => {
    for (const name of ['a', 'b', 'c', 'd']) mockBackend.add(name, inDays(30));
    const refused = new Set(mockBackend.list(new Date()).filter((token) => token.name === 'b').map((token) => token.id));
    mockServer.use(
      http.delete(`${PATHS.accessTokens}/:id`, ({ params }) =>
        refused.has(String(params.id))
          ? HttpResponse.json(
              { message: 'You are not allowed to delete this token.' },
              { status: 403, headers: { [ERROR_TYPE_HEADER]: 'AccessDeniedException' } },
            )
          : undefined,
      ),
    );
    const { dialog, user } = await openDeleteDialog('a', 'b', 'c');
    // Hold the refresh that follows, to see what the page itself puts back.
    let releaseList: () => void = () => undefined;
    const listHeld = new Promise<void>((resolve) => {
      releaseList = resolve;
    });
    mockServer.use(
      http.post(PATHS.accessTokens, async () => {
        await listHeld;
        return undefined;
      }),
    );
    await user.type(confirmationInput(dialog), 'delete');
    await user.click(deleteButton(dialog));

    const alert = await within(dialog).findByText('PAT b could not be deleted');
    expect(alert).toBeVisible();
    expect(within(dialog).getByText(/You are not allowed to delete this token\. The other 2 PATs were deleted\./)).toBeVisible();
    // The dialog is now about what is left.
    expect(modal().findHeader().getElement()).toHaveTextContent('Delete PAT: b?');
    await waitFor(() => expect([...settingsPage.names()].sort()).toEqual(['b', 'd']));
    releaseList();
    expect(mockBackend.list(new Date()).map((token) => token.name)).toEqual(['b', 'd']);
    await waitFor(() => expect([...settingsPage.names()].sort()).toEqual(['b', 'd']));
  });
});
