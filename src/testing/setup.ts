import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { mockServer, mockService } from '../../mocks/node';

// Cloudscape's test-utils fire events outside Testing Library's act(); React must still batch them.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

// jsdom has no layout: scrolling is a call to observe, not a thing that happens.
window.scrollTo = () => undefined;

beforeAll(() => mockServer.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  cleanup();
  mockServer.resetHandlers();
  mockServer.events.removeAllListeners();
  mockService.reset();
  localStorage.clear();
});
afterAll(() => mockServer.close());
