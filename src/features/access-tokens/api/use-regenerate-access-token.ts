import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RegenerateAccessTokenRequest } from '../../../../contract/schemas';
import { apiClient } from '../../../lib/api-client';
import { accessTokenKeys } from './access-token-keys';

/** Our extension: a new secret and expiry for a token that keeps its id and name. */
export function useRegenerateAccessToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...request }: RegenerateAccessTokenRequest & { id: string }) => apiClient.regenerateAccessToken(id, request),
    // The response holds the secret: drop the mutation from the cache as soon as nothing observes it.
    gcTime: 0,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: accessTokenKeys.list() }),
  });
}
