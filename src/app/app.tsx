import { useState } from 'react';
import { seedAccessTokens } from '../features/access-tokens/api/early-access-tokens';
import { createGuardedHistory } from '../lib/guarded-history';
import { createQueryClient } from '../lib/query-client';
import { AppShell } from './app-shell';
import { AppProviders } from './providers';

export function App() {
  const [queryClient] = useState(() => {
    const client = createQueryClient();
    seedAccessTokens(client);
    return client;
  });
  const [history] = useState(() => createGuardedHistory(window));
  return (
    <AppProviders queryClient={queryClient} history={history}>
      <AppShell />
    </AppProviders>
  );
}
