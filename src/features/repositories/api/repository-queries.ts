import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';

/** The one query-key factory of the repositories feature. */
export const repositoryKeys = {
  all: ['repositories'] as const,
  list: () => [...repositoryKeys.all, 'list'] as const,
};

export const repositoriesQuery = () =>
  queryOptions({
    queryKey: repositoryKeys.list(),
    queryFn: async () => (await apiClient.listRepositories()).items,
    // Pushes happen outside the console: every page that shows the list asks again.
    staleTime: 0,
  });

export const useRepositories = () => useQuery(repositoriesQuery());
