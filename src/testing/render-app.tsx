import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AppShell } from '../app/app-shell';
import { AppProviders } from '../app/providers';
import { createGuardedHistory } from '../lib/guarded-history';
import { createQueryClient } from '../lib/query-client';

/** Resolves once the browser has answered a Back, and whatever the app did about it has settled. */
function back(): Promise<void> {
  return new Promise((resolve) => {
    window.addEventListener('popstate', () => setTimeout(resolve, 0), { once: true });
    window.history.back();
  });
}

/**
 * Renders the whole console at `path`, on the msw mocks and jsdom's real history, as a user would
 * meet it; `from` puts pages in the history before it, for Back.
 */
export function renderApp(path: string, { from = [] }: { from?: string[] } = {}) {
  const queryClient = createQueryClient();
  // Retries only slow a test down; the retry rule itself has its own test.
  queryClient.setDefaultOptions({
    ...queryClient.getDefaultOptions(),
    queries: { ...queryClient.getDefaultOptions().queries, retry: false },
  });
  const [first = path, ...rest] = [...from, path];
  window.history.replaceState({ idx: 0, usr: null }, '', first);
  rest.forEach((entry, index) => window.history.pushState({ idx: index + 1, usr: null }, '', entry));
  const history = createGuardedHistory(window);
  const user = userEvent.setup();
  const result = render(
    <AppProviders queryClient={queryClient} history={history}>
      <AppShell />
    </AppProviders>,
  );
  /** Where the app is (what it shows), and the user's ways to move. */
  const router = {
    get pathname() {
      return history.location().pathname;
    },
    navigate: (to: string) => history.navigate(to),
    back,
  };
  return { ...result, user, router, queryClient };
}
