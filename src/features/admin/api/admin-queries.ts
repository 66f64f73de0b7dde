import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AdminListAccessTokensRequest, AdminRevokeAccessTokensRequest, UpdateAccessTokenPolicyRequest } from '../../../../contract/schemas';
import { apiClient } from '../../../lib/api-client';

/** The one query-key factory of the admin feature. */
export const adminKeys = {
  all: ['admin'] as const,
  tokens: (request: AdminListAccessTokensRequest) => [...adminKeys.all, 'tokens', request] as const,
  events: () => [...adminKeys.all, 'events'] as const,
  policy: () => [...adminKeys.all, 'policy'] as const,
};

/** A page of every user's PATs, as the server pages and filters them. */
export const adminTokensQuery = (request: AdminListAccessTokensRequest) =>
  queryOptions({ queryKey: adminKeys.tokens(request), queryFn: () => apiClient.adminListAccessTokens(request), placeholderData: keepPreviousData, staleTime: 0 });

export const useAdminTokens = (request: AdminListAccessTokensRequest) => useQuery(adminTokensQuery(request));

/** The newest page of the admin log. */
export const useAdminEvents = () => useQuery({ queryKey: adminKeys.events(), queryFn: () => apiClient.listAdminEvents({}), staleTime: 0 });

export const useAccessTokenPolicy = () => useQuery({ queryKey: adminKeys.policy(), queryFn: () => apiClient.getAccessTokenPolicy() });

/** Anything an admin changes shows in the lists and the log: they are read again. */
function useAdminMutation<Input, Output>(change: (input: Input) => Promise<Output>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: change, onSettled: () => queryClient.invalidateQueries({ queryKey: adminKeys.all }) });
}

export const useAdminRevoke = () => useAdminMutation((request: AdminRevokeAccessTokensRequest) => apiClient.adminRevokeAccessTokens(request));
export const useDisableUser = () => useAdminMutation((userName: string) => apiClient.disableUser(userName));
export const useEnableUser = () => useAdminMutation((userName: string) => apiClient.enableUser(userName));
export const useUpdatePolicy = () => useAdminMutation((request: UpdateAccessTokenPolicyRequest) => apiClient.updateAccessTokenPolicy(request));
