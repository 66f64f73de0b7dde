import { useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { accessTokenKeys } from './access-token-keys';

export function useAccessTokens() {
  return useQuery({
    queryKey: accessTokenKeys.list(),
    queryFn: async () => {
      const items = await apiClient.listAllAccessTokens();
      // The service purges expired tokens; one that lapsed since is gone for the user too.
      const now = Date.now();
      return items.filter((item) => !item.expiresTime || Date.parse(item.expiresTime) > now);
    },
  });
}
