import { setupServer } from 'msw/node';
import { createMockAccessTokenService } from './access-token-service';
import { createHandlers } from './handlers';

/** The mocks for Vitest: one service whose state each test resets and seeds. */
export const mockService = createMockAccessTokenService();
export const mockServer = setupServer(...createHandlers(mockService));
