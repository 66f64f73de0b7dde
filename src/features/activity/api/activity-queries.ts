import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';

/** The one query-key factory of the activity feature. */
export const activityKeys = {
  all: ['activity'] as const,
  list: () => [...activityKeys.all, 'list'] as const,
};

/**
 * The caller's whole activity log, newest first. Bounded by the server's retention and quiet rules,
 * so it is read whole: filters and sorting then see every entry, not one page of them.
 */
export const activityQuery = () =>
  queryOptions({
    queryKey: activityKeys.list(),
    queryFn: () => apiClient.listAllAccessTokenEvents(),
    // Every use of a PAT elsewhere may add to it: each visit asks again.
    staleTime: 0,
  });

export const useActivity = () => useQuery(activityQuery());
