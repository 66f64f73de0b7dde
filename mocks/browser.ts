import { setupWorker } from 'msw/browser';
import { seedDemo } from './demo-seed';
import { createHandlers } from './handlers';
import { createMockBackend } from './mock-backend';

/** `npm run demo`: the whole console in the browser on the mocks. It lives in the page: a reload starts it afresh. */
export async function startDemoWorker() {
  const backend = createMockBackend();
  await seedDemo(backend, Date.now(), navigator.userAgent);
  await setupWorker(...createHandlers(backend)).start({ onUnhandledRequest: 'bypass', quiet: true });
}
