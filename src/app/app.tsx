import { useState } from 'react';
import { createGuardedHistory } from '../lib/guarded-history';
import { createQueryClient } from '../lib/query-client';
import { AppShell } from './app-shell';
import { AppProviders } from './providers';

export function App() {
  const [queryClient] = useState(createQueryClient);
  const [history] = useState(() => createGuardedHistory(window));
  return (
    <AppProviders queryClient={queryClient} history={history}>
      <AppShell />
    </AppProviders>
  );
}
