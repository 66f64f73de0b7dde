import { focusManager, QueryClient } from '@tanstack/react-query';
import { isApiError } from '../../contract/api-client';

/** Client errors will not change by asking again; network faults and throttling may. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (failureCount >= 2) return false;
  if (!isApiError(error)) return true;
  return error.status === 0 || error.status === 429 || error.status >= 500;
}

/**
 * "Focused" is a visible tab, as TanStack Query has it, and also the window regaining focus: going
 * back to the console from another window leaves its tab visible all along.
 */
function listenForFocus() {
  focusManager.setEventListener((handleFocus) => {
    const onFocus = () => handleFocus();
    window.addEventListener('focus', onFocus);
    document.addEventListener('visibilitychange', onFocus);
    return () => {
      window.removeEventListener('focus', onFocus);
      document.removeEventListener('visibilitychange', onFocus);
    };
  });
}

export function createQueryClient(): QueryClient {
  listenForFocus();
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 30_000, refetchOnWindowFocus: true },
      mutations: { retry: false },
    },
  });
}
