import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient, isApiError } from '../../../lib/api-client';
import type { AccessTokenSummary } from '../../../lib/api-contract';
import { accessTokenKeys } from './access-token-keys';

async function deleteOne(id: string): Promise<void> {
  try {
    await apiClient.deleteAccessToken(id);
  } catch (error) {
    // Someone (or another tab) deleted it first: what the user asked for is done.
    if (!isApiError(error, 'ResourceNotFoundException')) throw error;
  }
}

/** Deletes one or more tokens, hiding their rows at once and restoring them if the service refuses. */
export function useDeleteAccessToken() {
  const queryClient = useQueryClient();
  const listKey = accessTokenKeys.list();
  return useMutation({
    mutationFn: async (ids: readonly string[]) => {
      const results = await Promise.allSettled(ids.map(deleteOne));
      const failure = results.find((result) => result.status === 'rejected');
      if (failure) throw failure.reason;
    },
    onMutate: async (ids) => {
      await queryClient.cancelQueries({ queryKey: listKey });
      const previous = queryClient.getQueryData<AccessTokenSummary[]>(listKey);
      queryClient.setQueryData<AccessTokenSummary[]>(listKey, (items) =>
        items?.filter((item) => !ids.includes(item.id)),
      );
      return { previous };
    },
    onError: (_error, _ids, context) => {
      queryClient.setQueryData(listKey, context?.previous);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: accessTokenKeys.all }),
  });
}
