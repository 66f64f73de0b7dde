import { setupWorker } from 'msw/browser';
import { createMockAccessTokenService } from './access-token-service';
import { createHandlers } from './handlers';

const DAY = 24 * 60 * 60 * 1000;

/** `npm run demo`: the whole console in the browser on the mocks, seeded with a few tokens. */
export async function startDemoWorker() {
  const service = createMockAccessTokenService();
  const now = Date.now();
  service.add('laptop-git', new Date(now + 200 * DAY), new Date(now - 2 * 60 * 60 * 1000));
  service.add('ci-pipeline', new Date(now + 5 * DAY), new Date(now - 10 * 60 * 1000));
  service.add('release-script', new Date(now + 45 * DAY));
  service.addRepository('infrastructure', 4_200_000, new Date(now - 3 * DAY));
  service.addRepository('notes', 18_000, new Date(now - 40 * 60 * 1000));
  await setupWorker(...createHandlers(service)).start({ onUnhandledRequest: 'bypass', quiet: true });
}
