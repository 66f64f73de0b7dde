import { createApiClient } from '../../src/lib/api-client';
import { createTestApp } from '../test-support';
import { describeAccessTokenContract } from './access-token-contract';

describeAccessTokenContract('the real server', async () => {
  const { app, repository } = await createTestApp({ createsPerMinute: 0 });
  const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    client: createApiClient({ baseUrl }),
    seedExpired(name) {
      const user = repository.userByName('marymajor');
      const past = Date.now() - 1000;
      repository.createToken({ userId: user.id, name, digest: `expired-${name}`, expiresAt: past, now: past - 1000, maxLiveTokens: 100 });
    },
    async close() {
      await app.close();
      repository.close();
    },
  };
});
