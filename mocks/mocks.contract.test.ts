import { setupServer } from 'msw/node';
import { afterAll, beforeAll } from 'vitest';
import { describeAccessTokenContract } from '../contract/contract-suite';
import { createMockAccessTokenService, MOCK_USER } from './access-token-service';
import { createHandlers } from './handlers';

const baseUrl = 'http://mocks.contract.test';
const service = createMockAccessTokenService();
const server = setupServer(...createHandlers(service, baseUrl));

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

describeAccessTokenContract('the msw mocks', async () => {
  service.reset();
  return {
    baseUrl,
    userName: MOCK_USER.userName,
    seedExpired: (name) => void service.add(name, new Date(Date.now() - 1000)),
    purgeExpired: (at) => service.purgeExpired(at),
    seedRepository: (name) => service.addRepository(name),
    close: () => undefined,
  };
});
