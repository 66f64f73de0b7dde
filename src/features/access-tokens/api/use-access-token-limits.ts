import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { accessTokenKeys } from './access-token-keys';

/** What the server allows (its configured longest lifetime, its quota): the form offers nothing else. */
export const accessTokenLimitsQuery = () =>
  queryOptions({
    queryKey: accessTokenKeys.limits(),
    queryFn: () => apiClient.getAccessTokenLimits(),
    // A setting of the deployment: it changes with a restart, not from one minute to the next.
    staleTime: 5 * 60_000,
  });

export const useAccessTokenLimits = () => useQuery(accessTokenLimitsQuery());
