import { setupServer } from 'msw/node';
import { createHandlers } from './handlers';
import { createMockBackend } from './mock-backend';

/** The mocks for Vitest: one backend whose state each test resets and seeds. */
export const mockBackend = createMockBackend();
export const mockServer = setupServer(...createHandlers(mockBackend));
