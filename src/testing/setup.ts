import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { mockServer, mockBackend } from '../../mocks/node';

// Cloudscape's test-utils fire events outside Testing Library's act(); React must still batch them.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

// A lazy page's first import is transformed on the spot, which on a busy CI machine can take more
// than the default second: waits give up after five.
configure({ asyncUtilTimeout: 5000 });

// jsdom has no layout: scrolling is a call to observe, not a thing that happens.
window.scrollTo = () => undefined;
window.scrollBy = () => undefined;

beforeAll(() => mockServer.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  cleanup();
  mockServer.resetHandlers();
  mockServer.events.removeAllListeners();
  mockBackend.reset();
  localStorage.clear();
});
afterAll(() => mockServer.close());
