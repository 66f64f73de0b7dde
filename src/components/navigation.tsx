import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import { Router } from 'wouter';
import type { GuardedHistory, HistoryLocation, NavigateOptions } from '../lib/guarded-history';

const HistoryContext = createContext<GuardedHistory | null>(null);

export function useGuardedHistory(): GuardedHistory {
  const history = useContext(HistoryContext);
  if (!history) throw new Error('useGuardedHistory must be used inside NavigationProvider');
  return history;
}

/** Where the user is, what the navigation carried, and how they got here. */
export function useHistoryLocation(): HistoryLocation {
  const history = useGuardedHistory();
  return useSyncExternalStore(history.subscribe, history.location);
}

/** wouter's location hook, over the guarded history: every route and link goes through its blockers. */
function useGuardedLocation(): [string, (to: string, options?: NavigateOptions) => void] {
  const history = useGuardedHistory();
  return [useHistoryLocation().pathname, history.navigate];
}

export function NavigationProvider({ history, children }: { history: GuardedHistory; children: ReactNode }) {
  return (
    <HistoryContext.Provider value={history}>
      <Router hook={useGuardedLocation}>{children}</Router>
    </HistoryContext.Provider>
  );
}
