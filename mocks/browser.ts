import { setupWorker } from 'msw/browser';
import { createHandlers } from './handlers';
import { createMockBackend } from './mock-backend';

const DAY = 24 * 60 * 60 * 1000;

/** `npm run demo`: the whole console in the browser on the mocks, seeded with a few tokens. */
export async function startDemoWorker() {
  const backend = createMockBackend();
  const now = Date.now();
  backend.add('laptop-git', new Date(now + 200 * DAY), new Date(now - 2 * 60 * 60 * 1000));
  backend.add('ci-pipeline', new Date(now + 5 * DAY), new Date(now - 10 * 60 * 1000));
  backend.add('release-script', new Date(now + 45 * DAY));
  backend.addRepository('infrastructure', 4_200_000, new Date(now - 3 * DAY));
  backend.addRepository('notes', 18_000, new Date(now - 40 * 60 * 1000));
  await setupWorker(...createHandlers(backend)).start({ onUnhandledRequest: 'bypass', quiet: true });
}
