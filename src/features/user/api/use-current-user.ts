import { useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';

export const userKeys = {
  all: ['user'] as const,
  current: () => [...userKeys.all, 'current'] as const,
};

export function useCurrentUser() {
  return useQuery({
    queryKey: userKeys.current(),
    queryFn: () => apiClient.getUserDetails(),
    staleTime: Infinity,
  });
}
