import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateAccessTokenRequest } from '../../../../contract/schemas';
import { apiClient } from '../../../lib/api-client';
import { accessTokenKeys } from './access-token-keys';

export function useCreateAccessToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: CreateAccessTokenRequest) => apiClient.createAccessToken(request),
    // The response holds the secret: drop the mutation from the cache as soon as nothing observes it.
    gcTime: 0,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: accessTokenKeys.list() }),
  });
}
