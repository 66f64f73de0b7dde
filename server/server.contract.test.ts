import { describeAccessTokenContract } from '../contract/contract-suite';
import { createRepositoryStore } from './git/repositories';
import { createTestApp, seedExpiredToken, testServiceOver } from './testing/test-support';

describeAccessTokenContract('the real server', async () => {
  const { app, store, config } = await createTestApp({ createsPerMinute: 0 });
  const repositories = createRepositoryStore(config.reposDir);
  const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    baseUrl,
    userName: config.localUser,
    seedExpired: (name) => seedExpiredToken(store, config.localUser, name),
    purgeExpired: async (at) => void (await testServiceOver(store).purgeExpired(at.getTime())),
    seedRepository: async (name) => repositories.create((await store.userByName(config.localUser)).id, name),
    async close() {
      await app.close();
      await store.close();
    },
  };
});
