import { useMutation, useQueryClient } from '@tanstack/react-query';
import { isApiError } from '../../../../contract/api-client';
import type { AccessTokenSummary } from '../../../../contract/schemas';
import { apiClient } from '../../../lib/api-client';
import { accessTokenKeys } from './access-token-keys';

async function deleteOne(id: string): Promise<void> {
  try {
    await apiClient.deleteAccessToken(id);
  } catch (error) {
    // Someone (or another tab) deleted it first: what the user asked for is done.
    if (!isApiError(error, 'ResourceNotFoundException')) throw error;
  }
}

/** Some of the tokens asked for were not deleted: these, each with the reason. */
export class PartialDeleteError extends Error {
  override readonly name = 'PartialDeleteError';

  constructor(
    readonly failed: ReadonlyArray<{ token: AccessTokenSummary; error: Error }>,
    readonly deletedCount: number,
  ) {
    super(failed[0]?.error.message ?? 'The PATs could not be deleted.');
  }
}

/**
 * Deletes one or more tokens, hiding their rows at once. When the service refuses some, only those
 * rows come back; the ones it deleted stay gone.
 */
export function useDeleteAccessToken() {
  const queryClient = useQueryClient();
  const listKey = accessTokenKeys.list();
  return useMutation({
    mutationFn: async (tokens: readonly AccessTokenSummary[]) => {
      const results = await Promise.allSettled(tokens.map((token) => deleteOne(token.id)));
      const failed = results.flatMap((result, index) =>
        result.status === 'rejected' && tokens[index]
          ? [{ token: tokens[index], error: result.reason instanceof Error ? result.reason : new Error(String(result.reason)) }]
          : [],
      );
      if (failed.length > 0) throw new PartialDeleteError(failed, tokens.length - failed.length);
    },
    onMutate: async (tokens) => {
      await queryClient.cancelQueries({ queryKey: listKey });
      const ids = new Set(tokens.map((token) => token.id));
      queryClient.setQueryData<AccessTokenSummary[]>(listKey, (items) => items?.filter((item) => !ids.has(item.id)));
    },
    onError: (error) => {
      if (!(error instanceof PartialDeleteError)) return;
      const back = error.failed.map(({ token }) => token);
      queryClient.setQueryData<AccessTokenSummary[]>(listKey, (items) => (items ? [...items, ...back] : items));
    },
    // The rows already say what happened: the dialog need not wait for the refresh that confirms it.
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: accessTokenKeys.all });
    },
  });
}
