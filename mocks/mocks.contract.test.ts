import { setupServer } from 'msw/node';
import { afterAll, beforeAll } from 'vitest';
import { describeAccessTokenContract } from '../contract/contract-suite';
import { createHandlers } from './handlers';
import { createMockBackend, MOCK_USER } from './mock-backend';

const baseUrl = 'http://mocks.contract.test';
const backend = createMockBackend();
const server = setupServer(...createHandlers(backend, baseUrl));

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

describeAccessTokenContract('the msw mocks', async () => {
  backend.reset();
  return {
    baseUrl,
    userName: MOCK_USER.userName,
    seedExpired: (name) => void backend.add(name, new Date(Date.now() - 1000)),
    purgeExpired: async (at) => void (await backend.purgeExpired(at)),
    seedRepository: (name) => backend.addRepository(name),
    close: () => undefined,
  };
});
