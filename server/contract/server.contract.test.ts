import { createApiClient } from '../../src/lib/api-client';
import { createTestApp, seedExpiredToken } from '../test-support';
import { describeAccessTokenContract } from './access-token-contract';

describeAccessTokenContract('the real server', async () => {
  const { app, repository } = await createTestApp({ createsPerMinute: 0 });
  const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    client: createApiClient({ baseUrl }),
    seedExpired: (name) => seedExpiredToken(repository, 'marymajor', name),
    async close() {
      await app.close();
      repository.close();
    },
  };
});
