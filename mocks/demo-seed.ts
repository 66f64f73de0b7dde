import type { MockBackend } from './mock-backend';

const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;

/**
 * The demo's few tokens and repositories, with the log that goes with them: each last use is a
 * logged first use from a client, each PAT's creation is logged as it was made, and the PAT inside
 * its expiry window had its notice mailed (the demo's server sends e-mail, to the proxy's address).
 */
export async function seedDemo(backend: MockBackend, now: number, browserUserAgent: string) {
  await backend.sendEmail('marymajor@example.com');
  const ago = (ms: number) => new Date(now - ms);
  const laptop = backend.add('laptop-git', new Date(now + 200 * DAY), ago(2 * 60 * MINUTE), undefined, undefined, undefined, undefined, ago(30 * DAY));
  backend.addEvent('CREATED', laptop, ago(30 * DAY), { userAgent: browserUserAgent });
  backend.addEvent('USED_FROM_NEW_CLIENT', laptop, ago(2 * 60 * MINUTE), { via: laptop, userAgent: 'git/2.39.5' });
  const madeWithLaptop = { accessTokenId: laptop.id, name: laptop.name };
  const ci = backend.add('ci-pipeline', new Date(now + 5 * DAY), ago(10 * MINUTE), undefined, madeWithLaptop, undefined, undefined, ago(20 * DAY));
  backend.addEvent('CREATED', ci, ago(20 * DAY), { via: laptop, userAgent: 'aws-cli/2.15.0' });
  backend.addEvent('USED_FROM_NEW_CLIENT', ci, ago(10 * MINUTE), { via: ci, userAgent: 'aws-cli/2.15.0' });
  backend.addEvent('NOTICE_SENT', ci, ago(2 * DAY), undefined, 'EMAIL:EXPIRING');
  const release = backend.add('release-script', new Date(now + 45 * DAY), undefined, undefined, undefined, undefined, undefined, ago(3 * DAY));
  backend.addEvent('CREATED', release, ago(3 * DAY), { channel: 'LOCAL_API', userAgent: 'Python-urllib/3.11' });
  backend.addRepository('infrastructure', 4_200_000, ago(3 * DAY));
  backend.addRepository('notes', 18_000, ago(40 * MINUTE));
}
