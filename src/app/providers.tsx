import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { NavigationProvider } from '../components/navigation';
import { NotificationsProvider } from '../components/notifications';
import type { GuardedHistory } from '../lib/guarded-history';

export function AppProviders({ queryClient, history, children }: { queryClient: QueryClient; history: GuardedHistory; children: ReactNode }) {
  return (
    <QueryClientProvider client={queryClient}>
      <NavigationProvider history={history}>
        <NotificationsProvider>{children}</NotificationsProvider>
      </NavigationProvider>
    </QueryClientProvider>
  );
}
