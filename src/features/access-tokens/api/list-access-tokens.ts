import type { AccessTokenSummary } from '../../../../contract/schemas';
import { apiClient } from '../../../lib/api-client';

/** The service purges expired tokens; one that lapsed since is gone for the user too. */
export const liveTokens = (items: readonly AccessTokenSummary[], now = Date.now()) =>
  items.filter((item) => !item.expiresTime || Date.parse(item.expiresTime) > now);

/** The list's fetch: every page of the caller's tokens, those still live. */
export const listLiveAccessTokens = async () => liveTokens(await apiClient.listAllAccessTokens());
