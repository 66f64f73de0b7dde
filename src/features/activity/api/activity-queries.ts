import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';

/** The one query-key factory of the activity feature. */
export const activityKeys = {
  all: ['activity'] as const,
  list: () => [...activityKeys.all, 'list'] as const,
};

/** The most events the console reads: a log that grew past it shows its newest ones, and says so. */
export const MAX_SHOWN_EVENTS = 2000;

/**
 * The caller's activity log, newest first. Retention and the quiet rules bound it, so it is read
 * whole (up to MAX_SHOWN_EVENTS): filters and sorting then see every entry, not one page of them.
 */
export const activityQuery = () =>
  queryOptions({
    queryKey: activityKeys.list(),
    queryFn: async () => {
      // One more than is shown tells whether there is more.
      const events = await apiClient.listAllAccessTokenEvents(MAX_SHOWN_EVENTS + 1);
      return { events: events.slice(0, MAX_SHOWN_EVENTS), truncated: events.length > MAX_SHOWN_EVENTS };
    },
    // Every use of a PAT elsewhere may add to it: each visit asks again.
    staleTime: 0,
  });

export const useActivity = () => useQuery(activityQuery());
