import createWrapper from '@cloudscape-design/components/test-utils/dom';
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { MOCK_USER } from '../../mocks/mock-backend';
import { flashMessages } from '../testing/page-objects';
import { renderApp } from '../testing/render-app';

describe('The app shell', () => {
  it('leads from / to My settings', async () => {
    const { router } = renderApp('/');
    await waitFor(() => expect(router.pathname).toBe('/settings'));
    expect(await screen.findByRole('heading', { name: 'My settings', level: 1 })).toBeVisible();
  });

  it('shows the signed-in user on the profile badge, whose menu leads to My settings', async () => {
    const { user, router } = renderApp('/settings/tokens/create');
    const badge = await screen.findByRole('button', { name: `Profile: ${MOCK_USER.displayName}` });
    await user.click(badge);
    await user.click(await screen.findByRole('menuitem', { name: 'My settings' }));
    await waitFor(() => expect(router.pathname).toBe('/settings'));
  });

  it('lists Git repositories in the profile menu too, where a narrow screen keeps it reachable', async () => {
    const { user, router } = renderApp('/settings');
    await user.click(await screen.findByRole('button', { name: `Profile: ${MOCK_USER.displayName}` }));
    await user.click(await screen.findByRole('menuitem', { name: 'Git repositories' }));
    await waitFor(() => expect(router.pathname).toBe('/repositories'));
  });

  it('shows where the user is in breadcrumbs that navigate, and the back button works', async () => {
    const { user, router } = renderApp('/settings/tokens/create');
    await screen.findByRole('heading', { name: 'Create PAT', level: 1 });
    const crumbs = createWrapper().findBreadcrumbGroup()!.findBreadcrumbLinks();
    expect(crumbs.map((crumb) => crumb.getElement().textContent)).toEqual(['pat-console', 'My settings', 'Create PAT']);
    await user.click(screen.getByRole('link', { name: 'My settings' }));
    await waitFor(() => expect(router.pathname).toBe('/settings'));
    await act(() => router.back());
    await waitFor(() => expect(router.pathname).toBe('/settings/tokens/create'));
  });

  it('switches between light and dark mode', async () => {
    const { user } = renderApp('/settings');
    await user.click(await screen.findByRole('button', { name: 'Switch to dark mode' }));
    expect(document.body).toHaveClass('awsui-dark-mode');
    await user.click(screen.getByRole('button', { name: 'Switch to light mode' }));
    expect(document.body).not.toHaveClass('awsui-dark-mode');
  });

  it('remembers the chosen mode on reload and on a deep link', async () => {
    const { user } = renderApp('/settings');
    await user.click(await screen.findByRole('button', { name: 'Switch to dark mode' }));
    cleanup();
    document.body.classList.remove('awsui-dark-mode');
    renderApp('/settings/tokens/create');
    expect(await screen.findByRole('button', { name: 'Switch to light mode' })).toBeVisible();
    expect(document.body).toHaveClass('awsui-dark-mode');
  });

  it('names each page in the document title', async () => {
    const { router } = renderApp('/settings');
    await screen.findByRole('heading', { name: 'My settings', level: 1 });
    expect(document.title).toBe('My settings · pat-console');
    await act(() => router.navigate('/settings/tokens/create'));
    await screen.findByRole('heading', { name: 'Create PAT', level: 1 });
    expect(document.title).toBe('Create PAT · pat-console');
  });

  it('shows each new page from its top', async () => {
    const scrollTo = vi.spyOn(window, 'scrollTo');
    const { router } = renderApp('/settings');
    await screen.findByRole('heading', { name: 'My settings', level: 1 });
    scrollTo.mockClear();
    await act(() => router.navigate('/settings/tokens/create'));
    await waitFor(() => expect(scrollTo).toHaveBeenCalledWith(0, 0));
  });

  it('keeps a flash on the page it reports on, and drops it on the next navigation', async () => {
    const { user, router } = renderApp('/settings/tokens/create');
    await user.type(await screen.findByRole('textbox', { name: 'PAT name' }), 'laptop');
    await user.click(screen.getByRole('button', { name: 'Create' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Copy' }));
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(router.pathname).toBe('/settings'));
    await waitFor(() => expect(flashMessages()).toEqual(['PAT laptop created.']));
    await act(() => router.navigate('/settings/tokens/create'));
    await screen.findByRole('textbox', { name: 'PAT name' });
    await waitFor(() => expect(flashMessages()).toEqual([]));
  });
});
