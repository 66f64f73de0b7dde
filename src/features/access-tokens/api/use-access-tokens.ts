import { useQuery } from '@tanstack/react-query';
import type { AccessTokenSummary } from '../../../../contract/schemas';
import { accessTokenKeys } from './access-token-keys';
import { listLiveAccessTokens } from './list-access-tokens';

/** setTimeout's longest delay; a token further off than that is not waited for. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** When to ask again so that a shown token leaves the list as it expires: just after the first one does. */
function untilNextExpiry(items: readonly AccessTokenSummary[] | undefined): number | false {
  const now = Date.now();
  const next = Math.min(...(items ?? []).map((item) => (item.expiresTime ? Date.parse(item.expiresTime) : Infinity)));
  if (!Number.isFinite(next)) return false;
  const wait = Math.max(next - now, 0) + 1000;
  return wait > LONGEST_TIMER_MS ? false : wait;
}

export function useAccessTokens() {
  return useQuery({
    queryKey: accessTokenKeys.list(),
    queryFn: listLiveAccessTokens,
    refetchInterval: (query) => untilNextExpiry(query.state.data),
    // Back at the page after a while: what it shows may have changed elsewhere.
    refetchOnWindowFocus: 'always',
  });
}
