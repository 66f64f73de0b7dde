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
  });

export const useRepositories = () => useQuery(repositoriesQuery());
