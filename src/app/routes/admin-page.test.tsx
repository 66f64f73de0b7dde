import createWrapper from '@cloudscape-design/components/test-utils/dom';
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { MOCK_USER } from '../../../mocks/mock-backend';
import { mockBackend } from '../../../mocks/node';
import { renderApp } from '../../testing/render-app';

const DAY = 24 * 60 * 60 * 1000;
const inDays = (days: number) => new Date(Date.now() + days * DAY);
const rows = () =>
  (createWrapper().findTable()?.findRows() ?? []).map((row) =>
    row
      .findAll('td')
      .slice(1, 3)
      .map((cell) => cell.getElement().textContent),
  );

describe('Admin', () => {
  it('is not offered to a user who is not an admin, and its operations are refused', async () => {
    const { user } = renderApp('/settings');
    await user.click(await screen.findByRole('button', { name: `Profile: ${MOCK_USER.displayName}` }));
    expect(await screen.findByRole('menuitem', { name: 'Notifications' })).toBeVisible();
    expect(screen.queryByRole('menuitem', { name: 'Admin' })).toBeNull();
    renderApp('/admin');
    expect(await screen.findByText(/The PATs could not be loaded\. Only an admin may do this\./)).toBeVisible();
  });

  it("lists every user's PATs with their owners, and revokes all of one user's behind a typed confirmation", async () => {
    mockBackend.setAdmin(true);
    await mockBackend.addFor('joe', 'joe-laptop', inDays(30));
    await mockBackend.addFor('joe', 'joe-ci', inDays(60));
    mockBackend.add('mine', inDays(90));
    const { user, router } = renderApp('/settings');
    await user.click(await screen.findByRole('button', { name: `Profile: ${MOCK_USER.displayName}` }));
    await user.click(await screen.findByRole('menuitem', { name: 'Admin' }));
    await waitFor(() => expect(router.pathname).toBe('/admin'));
    await waitFor(() => expect(rows()).toEqual([['marymajor', 'mine'], ['joe', 'joe-ci'], ['joe', 'joe-laptop']]));
    // Sorted by the server: by expiry, soonest first.
    createWrapper().findTable()?.findColumnSortingArea(6)?.click();
    await waitFor(() => expect(rows()).toEqual([['joe', 'joe-laptop'], ['joe', 'joe-ci'], ['marymajor', 'mine']]));
    await user.type(screen.getByRole('textbox', { name: /^Owner/ }), 'joe');
    await user.click(screen.getByRole('button', { name: 'Filter' }));
    await waitFor(() => expect(rows()).toEqual([['joe', 'joe-laptop'], ['joe', 'joe-ci']]));
    await user.click(screen.getByRole('button', { name: "Revoke all of joe's" }));
    const dialog = await screen.findByRole('dialog', { name: 'Revoke every PAT of joe?' });
    const revoke = within(dialog).getByRole('button', { name: 'Revoke' });
    expect(revoke).toBeDisabled();
    await user.type(within(dialog).getByRole('textbox'), 'revoke');
    await user.click(revoke);
    expect(await screen.findByText('2 PATs revoked. Their owners see it in their activity.')).toBeVisible();
    await waitFor(() => expect(createWrapper().findTable()?.findRows()).toHaveLength(0));
    const log = within(screen.getByRole('table', { name: 'Admin log' }));
    expect(await log.findByText('Revoked PATs')).toBeVisible();
  });

  it('saves a policy that the Create form then states before anything is filled in', async () => {
    mockBackend.setAdmin(true);
    const { user, router } = renderApp('/admin');
    await user.click(await screen.findByRole('checkbox', { name: /^No PAT with full access/ }));
    await user.click(screen.getByRole('button', { name: 'Save policy' }));
    expect(await screen.findByText(/Policy saved\./)).toBeVisible();
    router.navigate('/settings/tokens/create');
    expect(await screen.findByText("Your administrators' policy")).toBeVisible();
    expect(screen.getByText(/no full access/)).toBeVisible();
    // Every permission on every repository from anywhere: the server refuses it, and the form says why.
    await user.type(screen.getByRole('textbox', { name: 'PAT name' }), 'everything');
    await user.click(screen.getByRole('checkbox', { name: /^Manage PATs/ }));
    await user.click(screen.getByRole('checkbox', { name: /^Read the activity log/ }));
    await user.click(screen.getByRole('button', { name: 'Create' }));
    expect(await screen.findByText(/^The PAT was not created. Your administrators' policy: no PAT may have full access/)).toBeVisible();
    expect(mockBackend.list(new Date())).toEqual([]);
  });
});
