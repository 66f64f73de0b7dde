import { describe, expect, it } from 'vitest';
import { seedDemo } from './demo-seed';
import { createMockBackend } from './mock-backend';

describe('The demo', () => {
  it('logs what its PATs show: each last use is a first use from a client, and each PAT was created when it says', async () => {
    const backend = createMockBackend();
    const now = Date.now();
    await seedDemo(backend, now, 'Mozilla/5.0');
    const caller = { user: backend.user, token: null, channel: 'CONSOLE' as const, client: { address: '127.0.0.1', userAgent: null } };
    const events = (await backend.service.listAccessTokenEvents(caller, { maxResults: 100 })).items;
    for (const token of backend.list(new Date(now))) {
      const about = events.filter((event) => event.accessTokenId === token.id);
      expect(about.find((event) => event.eventType === 'CREATED')?.eventTime).toBe(token.createdTime);
      if (token.lastUsedTime) {
        expect(about.some((event) => event.eventType === 'USED_FROM_NEW_CLIENT' && event.eventTime === token.lastUsedTime)).toBe(true);
      }
    }
  });

  it("shows notices at work: the server sends e-mail to the proxy's address", async () => {
    const backend = createMockBackend();
    await seedDemo(backend, Date.now(), 'Mozilla/5.0');
    expect(await backend.notifications.getNotificationSettings({ user: backend.user, token: null })).toMatchObject({
      email: 'marymajor@example.com',
      emailState: 'FROM_PROXY',
      emailAvailable: true,
    });
  });
});
