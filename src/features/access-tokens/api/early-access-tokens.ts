import type { QueryClient } from '@tanstack/react-query';
import type { AccessTokenSummary } from '../../../../contract/schemas';
import { apiClient } from '../../../lib/api-client';
import { paths } from '../../../lib/paths';
import { accessTokenKeys } from './access-token-keys';
import { listLiveAccessTokens, liveTokens } from './list-access-tokens';

/** The list as the early script (src/early-list.ts) asked for it: what came, once it has. */
export interface EarlyAccessTokens {
  items?: AccessTokenSummary[];
  settled: Promise<AccessTokenSummary[] | undefined>;
}

declare global {
  interface Window {
    /** Left by the early script, a classic script of its own, for the page's module to take. */
    patConsoleEarlyAccessTokens?: EarlyAccessTokens;
  }
}

/** What the early worker answers: the whole list, or that it could not get it. */
export type EarlyListMessage = { items: AccessTokenSummary[] } | { failed: true };

export const listEarlyAccessTokens = (): Promise<EarlyListMessage> =>
  apiClient.listAllAccessTokens().then(
    (items) => ({ items }),
    () => ({ failed: true }),
  );

/**
 * On a visit that lands on My settings, asks for the whole list in a worker started by a small
 * classic script that runs first in the page (src/early-list.ts, built on its own, `scriptUrl`).
 * On the main thread, each of the list's pages would wait for the long tasks of compiling and
 * rendering the page; in the worker they follow one another meanwhile. Where the script did not
 * run (tests, the dev server), the list is asked for as usual, when the table mounts.
 */
export function startEarlyAccessTokens(pathname: string, scriptUrl: string): EarlyAccessTokens | undefined {
  if (pathname !== paths.settings && pathname !== paths.home) return undefined;
  const worker = new Worker(scriptUrl);
  const early: EarlyAccessTokens = {
    settled: new Promise((resolve) => {
      const settle = (items: AccessTokenSummary[] | undefined) => {
        early.items = items;
        resolve(items);
        worker.terminate();
      };
      worker.addEventListener('message', (event: MessageEvent<EarlyListMessage>) => settle('items' in event.data ? event.data.items : undefined));
      worker.addEventListener('error', () => settle(undefined));
    }),
  };
  return early;
}

/**
 * Hands what the early script brought to the list's query, once: already there, it is the first
 * render's data; still on its way, it is the query's first fetch. A failure is asked again the
 * usual way, so its error is the service's own. Every later fetch is the usual one.
 */
export function seedAccessTokens(queryClient: QueryClient, early = window.patConsoleEarlyAccessTokens) {
  window.patConsoleEarlyAccessTokens = undefined;
  if (!early) return;
  if (early.items) {
    queryClient.setQueryData(accessTokenKeys.list(), liveTokens(early.items));
    return;
  }
  const { settled } = early;
  void queryClient.prefetchQuery({
    queryKey: accessTokenKeys.list(),
    queryFn: async () => {
      const items = await settled;
      return items ? liveTokens(items) : listLiveAccessTokens();
    },
  });
}
