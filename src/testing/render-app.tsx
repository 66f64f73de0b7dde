import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { AppProviders } from '../app/providers';
import { routes } from '../app/routes';
import { createQueryClient } from '../lib/query-client';

/**
 * Renders the whole console at `path`, on the msw mocks, as a user would meet it; `from` puts pages
 * in the history before it, for Back.
 */
export function renderApp(path: string, { from = [] }: { from?: string[] } = {}) {
  const queryClient = createQueryClient();
  // Retries only slow a test down; the retry rule itself has its own test.
  queryClient.setDefaultOptions({
    ...queryClient.getDefaultOptions(),
    queries: { ...queryClient.getDefaultOptions().queries, retry: false },
  });
  const router = createMemoryRouter(routes, { initialEntries: [...from, path], initialIndex: from.length });
  const user = userEvent.setup();
  const result = render(
    <AppProviders queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProviders>,
  );
  return { ...result, user, router, queryClient };
}
