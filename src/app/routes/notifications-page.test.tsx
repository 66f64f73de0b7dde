import createWrapper from '@cloudscape-design/components/test-utils/dom';
import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { MOCK_USER } from '../../../mocks/mock-backend';
import { mockBackend } from '../../../mocks/node';
import { renderApp } from '../../testing/render-app';

const DAY = 24 * 60 * 60 * 1000;

const details = () =>
  Object.fromEntries(
    (createWrapper().findKeyValuePairs()?.findItems() ?? []).map((item) => [item.findLabel()?.getElement().textContent, item.findValue()?.getElement().textContent]),
  );
const asMary = () => ({ user: mockBackend.user, token: null });

describe('Notifications', () => {
  it('opens from the profile menu, and says plainly when the server sends no e-mail', async () => {
    const { user, router } = renderApp('/settings');
    await user.click(await screen.findByRole('button', { name: `Profile: ${MOCK_USER.displayName}` }));
    await user.click(await screen.findByRole('menuitem', { name: 'Notifications' }));
    await waitFor(() => expect(router.pathname).toBe('/settings/notifications'));
    expect(await screen.findByRole('heading', { level: 1, name: 'Notifications' })).toBeVisible();
    expect(await screen.findByText('This server sends no e-mail')).toBeVisible();
    expect(details()).toMatchObject({ 'Notices go to': '-', Status: 'No address: nothing is e-mailed' });
    expect(screen.queryByRole('textbox', { name: 'Another address' })).toBeNull();
    expect(document.title).toBe('Notifications · pat-console');
  });

  it("shows the sign-in's address, refuses a malformed one next to its field, and sends a link to a new one, which then waits", async () => {
    await mockBackend.sendEmail('mary@corp.example');
    const { user } = renderApp('/settings/notifications');
    await waitFor(() => expect(details()).toMatchObject({ 'Notices go to': 'mary@corp.example', Status: 'From your sign-in' }));
    const field = screen.getByRole('textbox', { name: 'Another address' });
    await user.type(field, 'mary at home');
    await user.click(screen.getByRole('button', { name: 'Send confirmation link' }));
    expect(await screen.findByText('Enter an e-mail address, like name@example.com.')).toBeVisible();
    expect(field).toHaveFocus();
    await user.clear(field);
    await user.type(field, 'mary@home.example');
    await user.click(screen.getByRole('button', { name: 'Send confirmation link' }));
    await waitFor(() =>
      expect(details()).toMatchObject({
        'Notices go to': 'mary@corp.example',
        Status: 'A new address waits for its confirmation',
        'Waiting for confirmation': 'mary@home.example: follow the link mailed to it.',
      }),
    );
    expect(field).toHaveValue('');
    expect(await mockBackend.confirmationToken()).toEqual(expect.any(String));
  });

  it('switches expiry e-mail off and on, and the server keeps it', async () => {
    await mockBackend.sendEmail('mary@corp.example');
    const { user } = renderApp('/settings/notifications');
    const toggle = await screen.findByRole('checkbox', { name: 'E-mail me before a PAT expires' });
    expect(toggle).toBeChecked();
    expect(screen.getByText(/^7 and 1 days before a PAT expires/)).toBeVisible();
    await user.click(toggle);
    await waitFor(() => expect(toggle).not.toBeChecked());
    expect((await mockBackend.notifications.getNotificationSettings(asMary())).expiryEmails).toBe(false);
  });

  it("confirms from the mail's link after asking, takes the token out of the address bar, and sends notices there", async () => {
    await mockBackend.sendEmail('mary@corp.example');
    await mockBackend.notifications.updateNotificationSettings(asMary(), { email: 'mary@home.example' });
    const token = await mockBackend.confirmationToken();
    const { user, router } = renderApp(`/settings/notifications/confirm#token=${encodeURIComponent(token ?? '')}`);
    expect(await screen.findByRole('heading', { name: 'Send notices to mary@home.example?' })).toBeVisible();
    await waitFor(() => expect(window.location.hash).toBe(''));
    expect((await mockBackend.notifications.getNotificationSettings(asMary())).emailState).toBe('WAITING');
    await user.click(screen.getByRole('button', { name: 'Confirm address' }));
    await waitFor(() => expect(router.pathname).toBe('/settings/notifications'));
    expect(await screen.findByText('Notices about your PATs now go to mary@home.example.')).toBeVisible();
    await waitFor(() => expect(details()).toMatchObject({ 'Notices go to': 'mary@home.example', Status: 'Confirmed' }));
  });

  it('says so when a link is not valid any more, and confirms nothing', async () => {
    await mockBackend.sendEmail();
    await mockBackend.notifications.updateNotificationSettings(asMary(), { email: 'mary@home.example' });
    const { user } = renderApp('/settings/notifications/confirm#token=forged');
    await user.click(await screen.findByRole('button', { name: 'Confirm address' }));
    expect(await screen.findByText(/This confirmation link is not valid or has expired/)).toBeVisible();
    expect((await mockBackend.notifications.getNotificationSettings(asMary())).emailState).toBe('WAITING');
  });
});

describe("an expiry notice's Regenerate link", () => {
  it('opens the PAT with its Regenerate dialog, and closing it leaves the plain page', async () => {
    const ci = mockBackend.add('ci-runner', new Date(Date.now() + 6 * DAY));
    const { user } = renderApp(`/settings/tokens/${ci.id}?regenerate`);
    const dialog = await screen.findByRole('dialog', { name: /Regenerate/ });
    expect(dialog).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: /Regenerate/ })).toBeNull());
    expect(window.location.search).toBe('');
  });
});
