import { describeAccessTokenContract } from '../contract/contract-suite';
import { createTestApp, seedExpiredToken } from './test-support';

describeAccessTokenContract('the real server', async () => {
  const { app, repository, config } = await createTestApp({ createsPerMinute: 0 });
  const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    baseUrl,
    userName: config.localUser,
    seedExpired: (name) => seedExpiredToken(repository, config.localUser, name),
    async close() {
      await app.close();
      repository.close();
    },
  };
});
