import { afterEach, describe, expect, it } from 'vitest';
import { createAccessTokenService, type AccessTokenService, type Caller } from '../access-token-service';
import { createNotificationService, NOTICE_RETRY_DELAYS_MS, type NoticeOptions, type NotificationService } from '../notices';
import type { ClaimedNotice, Client, TokenStore, User } from '../token-store';
import { fakeCursors, fakeSecrets } from './fake-host';
import type { StoreOpener } from './service-rules-suite';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const T0 = Date.parse('2026-06-01T00:00:00Z');
const LEASE = 10 * MINUTE;

/**
 * The rules of notices, run on a store: what each change queues, the expiry schedule, claims and
 * retries, and where a user's notices go. Every engine is held to them, as to the token rules.
 */
export function describeNoticeRules(label: string, newDatabase: () => Promise<StoreOpener>) {
  const opened: TokenStore[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close().catch(() => undefined)));
  });

  /** The token service and the notification service over one store, with one clock the test moves. */
  function servicesOver(store: TokenStore, clock: { now: number }, notices: NoticeOptions) {
    const notifications = createNotificationService({ store, notices, sign: (text) => `signed(${text})`, clock: () => clock.now });
    const service = createAccessTokenService({
      store,
      secrets: fakeSecrets(),
      cursors: fakeCursors,
      limits: { maxTokenLifetimeYears: 1, maxLiveTokens: 100, activityRetentionDays: 90 },
      clock: () => clock.now,
      notices: notifications.rules,
    });
    return { service, notifications };
  }

  async function setUp(notices: NoticeOptions = { email: true, webhook: true, expiryDays: [30, 7, 1] }) {
    const open = await newDatabase();
    const openStore = async () => {
      const store = await open();
      opened.push(store);
      return store;
    };
    const store = await openStore();
    const clock = { now: T0 };
    const { service, notifications } = servicesOver(store, clock, notices);
    const mary = await store.userByName('mary');
    return { store, clock, service, notifications, mary, openStore, notices };
  }

  const client: Client = { address: '192.0.2.1', userAgent: 'Mozilla/5.0' };
  const inConsole = (user: User): Caller => ({ user, token: null, channel: 'CONSOLE', client });
  const inDays = (clock: { now: number }, days: number) => new Date(clock.now + days * DAY).toISOString();
  /** What the outbox holds due now, taken out (finished unsent): [kind, channel, token name, days before expiry]. */
  async function claimed(store: TokenStore, notifications: NotificationService, clock: { now: number }) {
    const notices = await store.claimNotices(clock.now, 100, LEASE);
    for (const notice of notices) await notifications.noticeFinished(notice, 'SKIPPED');
    return notices.map((notice) => [notice.kind, notice.channel, notice.token?.name ?? null, notice.facts.daysBefore ?? null]);
  }
  const sorted = (rows: unknown[][]) => rows.map((row) => JSON.stringify(row)).sort();
  const activity = async (service: AccessTokenService, user: User) =>
    (await service.listAccessTokenEvents(inConsole(user), {})).items.map((event) => [event.eventType, event.accessTokenName, event.detail ?? null]);

  describe(`notices on ${label}`, () => {
    it('queues a notice of each change on the channels that carry it: every one to the webhook, expiry and revocation by e-mail', async () => {
      const { store, clock, service, notifications, mary } = await setUp();
      const laptop = await service.createAccessToken(inConsole(mary), { name: 'laptop', expiresTime: inDays(clock, 90) });
      await service.regenerateAccessToken(inConsole(mary), laptop.accessTokenId, { expiresTime: inDays(clock, 90) });
      await service.deleteAccessToken(inConsole(mary), laptop.accessTokenId);
      const leaked = await service.createAccessToken(inConsole(mary), { name: 'leaked', expiresTime: inDays(clock, 90) });
      await service.revokeAccessTokens(client, { secrets: [leaked.secret] });
      await service.createAccessToken(inConsole(mary), { name: 'lapsing', expiresTime: inDays(clock, 40) });
      expect(sorted(await claimed(store, notifications, clock))).toEqual(
        sorted([
          ['CREATED', 'WEBHOOK', 'laptop', null],
          ['REGENERATED', 'WEBHOOK', 'laptop', null],
          ['DELETED', 'WEBHOOK', 'laptop', null],
          ['CREATED', 'WEBHOOK', 'leaked', null],
          ['REVOKED_AS_EXPOSED', 'WEBHOOK', 'leaked', null],
          ['REVOKED_AS_EXPOSED', 'EMAIL', 'leaked', null],
          ['CREATED', 'WEBHOOK', 'lapsing', null],
        ]),
      );
      clock.now += 41 * DAY;
      await service.purgeExpired(clock.now);
      expect(sorted(await claimed(store, notifications, clock))).toEqual(sorted([['EXPIRED', 'WEBHOOK', 'lapsing', null], ['EXPIRED', 'EMAIL', 'lapsing', null]]));
    });

    it('queues nothing on a channel the deployment does not have', async () => {
      const { store, clock, service, notifications, mary } = await setUp({ email: true, webhook: false, expiryDays: [7] });
      await service.createAccessToken(inConsole(mary), { name: 'quiet', expiresTime: inDays(clock, 90) });
      await service.createAccessToken(inConsole(mary), { name: 'soon', expiresTime: inDays(clock, 3) });
      expect(await claimed(store, notifications, clock)).toEqual([['EXPIRING', 'EMAIL', 'soon', 7]]);
    });

    it('tells of an expiry once per window, the narrowest one begun, whichever servers look and however often', async () => {
      const { store, clock, service, notifications, mary, openStore, notices } = await setUp({ email: true, webhook: false, expiryDays: [30, 7, 1] });
      const other = servicesOver(await openStore().catch(() => store), clock, notices).notifications;
      const lasting = await service.createAccessToken(inConsole(mary), { name: 'lasting', expiresTime: inDays(clock, 60) });
      // Made 3 days before its expiry: the 7-day notice at once, not the 30-day one too.
      await service.createAccessToken(inConsole(mary), { name: 'short', expiresTime: inDays(clock, 3) });
      expect(await claimed(store, notifications, clock)).toEqual([['EXPIRING', 'EMAIL', 'short', 7]]);
      const look = () => Promise.all([notifications.scheduleExpiryNotices(clock.now), other.scheduleExpiryNotices(clock.now), notifications.scheduleExpiryNotices(clock.now)]);
      await look();
      expect(await claimed(store, notifications, clock)).toEqual([]);
      clock.now = T0 + 30 * DAY - MINUTE;
      await look();
      expect(await claimed(store, notifications, clock)).toEqual([]);
      clock.now = T0 + 30 * DAY + MINUTE;
      await look();
      await look();
      expect(await claimed(store, notifications, clock)).toEqual([['EXPIRING', 'EMAIL', 'lasting', 30]]);
      clock.now = T0 + 2 * DAY + 1;
      await look();
      expect(await claimed(store, notifications, clock)).toEqual([['EXPIRING', 'EMAIL', 'short', 1]]);
      // Regenerated: its new expiry has notices of its own.
      clock.now = T0 + 54 * DAY;
      await service.regenerateAccessToken(inConsole(mary), lasting.accessTokenId, { expiresTime: inDays(clock, 5) });
      await look();
      expect(await claimed(store, notifications, clock)).toEqual([['EXPIRING', 'EMAIL', 'lasting', 7]]);
      clock.now += 4 * DAY + MINUTE;
      await look();
      expect(await claimed(store, notifications, clock)).toEqual([['EXPIRING', 'EMAIL', 'lasting', 1]]);
      clock.now += 2 * DAY;
      await look();
      expect(await claimed(store, notifications, clock)).toEqual([]);
    });

    it('lends a notice to one claimant until its lease lapses; a failure is tried again later, and the last one given up and logged', async () => {
      const { store, clock, service, notifications, mary } = await setUp({ email: false, webhook: true });
      await service.createAccessToken(inConsole(mary), { name: 'ci', expiresTime: inDays(clock, 90) });
      const [first] = await store.claimNotices(clock.now, 10, LEASE);
      if (!first) throw new Error('nothing was queued');
      expect(first).toMatchObject({ kind: 'CREATED', channel: 'WEBHOOK', attempts: 1, token: { name: 'ci' } });
      expect(await store.claimNotices(clock.now + LEASE - 1, 10, LEASE)).toEqual([]);
      // Its claimant died: the lease lapsed, and another takes it, with the same delivery id.
      clock.now += LEASE;
      let notice: ClaimedNotice | undefined = (await store.claimNotices(clock.now, 10, LEASE))[0];
      expect(notice).toMatchObject({ seq: first.seq, deliveryId: first.deliveryId, attempts: 2 });
      for (const delay of NOTICE_RETRY_DELAYS_MS.slice(1)) {
        if (!notice) throw new Error('the notice was not offered again');
        await notifications.noticeFailed(notice, 'the webhook answered 503');
        expect(await store.claimNotices(clock.now + delay - 1, 10, LEASE)).toEqual([]);
        clock.now += delay;
        notice = (await store.claimNotices(clock.now, 10, LEASE))[0];
      }
      expect(notice?.attempts).toBe(NOTICE_RETRY_DELAYS_MS.length + 1);
      if (!notice) throw new Error('the last attempt was not offered');
      await notifications.noticeFailed(notice, 'the webhook answered 503');
      clock.now += DAY;
      expect(await store.claimNotices(clock.now, 10, LEASE)).toEqual([]);
      expect((await activity(service, mary))[0]).toEqual(['NOTICE_FAILED', 'ci', 'WEBHOOK:CREATED']);
    });

    it('logs a delivered notice for its owner, and not one there was nobody to send to', async () => {
      const { store, clock, service, notifications, mary } = await setUp({ email: true, webhook: false, expiryDays: [7] });
      await service.createAccessToken(inConsole(mary), { name: 'a', expiresTime: inDays(clock, 3) });
      await service.createAccessToken(inConsole(mary), { name: 'b', expiresTime: inDays(clock, 3) });
      const [a, b] = await store.claimNotices(clock.now, 10, LEASE);
      if (!a || !b) throw new Error('two notices were queued');
      await notifications.noticeFinished(a, 'SENT');
      await notifications.noticeFinished(b, 'SKIPPED');
      clock.now += LEASE;
      expect(await store.claimNotices(clock.now, 10, LEASE)).toEqual([]);
      expect((await activity(service, mary)).filter(([type]) => String(type).startsWith('NOTICE'))).toEqual([['NOTICE_SENT', 'a', 'EMAIL:EXPIRING']]);
    });
  });

  describe(`notification settings on ${label}`, () => {
    const settingsOf = (notifications: NotificationService, user: User) => notifications.getNotificationSettings({ user, token: null });

    it("sends to the proxy's address until one set in the console is confirmed through the link mailed to it", async () => {
      const { store, clock, notifications, mary } = await setUp({ email: true, webhook: false, expiryDays: [7, 1] });
      const asMary = { user: mary, token: null };
      expect(await settingsOf(notifications, mary)).toEqual({ emailState: 'NONE', expiryEmails: true, expiryNoticeDays: [7, 1], emailAvailable: true });
      await store.rememberProxyEmail(mary.id, 'mary@corp.example');
      await store.rememberProxyEmail(mary.id, 'mary@corp.example');
      expect(await settingsOf(notifications, mary)).toMatchObject({ email: 'mary@corp.example', emailState: 'FROM_PROXY' });
      expect(await notifications.updateNotificationSettings(asMary, { email: ' mary@home.example ' })).toMatchObject({
        email: 'mary@corp.example',
        emailState: 'WAITING',
        pendingEmail: 'mary@home.example',
      });
      const [mail] = await store.claimNotices(clock.now, 10, LEASE);
      expect(mail).toMatchObject({ kind: 'CONFIRM_EMAIL', channel: 'EMAIL', token: null, facts: { confirmEmail: { address: 'mary@home.example', since: clock.now } } });
      await expect(notifications.updateNotificationSettings(asMary, { email: 'mary@home.example' })).rejects.toMatchObject({ errorType: 'ThrottlingException' });
      await expect(notifications.confirmNotificationEmail(asMary, { token: 'made-up' })).rejects.toMatchObject({ errorType: 'ValidationException' });
      const token = await notifications.confirmationToken(mary.id, 'mary@home.example', clock.now);
      const joe = await store.userByName('joe');
      await expect(notifications.confirmNotificationEmail({ user: joe, token: null }, { token })).rejects.toMatchObject({ errorType: 'ValidationException' });
      clock.now += 23 * 60 * MINUTE;
      expect(await notifications.confirmNotificationEmail(asMary, { token })).toMatchObject({ email: 'mary@home.example', emailState: 'CONFIRMED' });
      expect(await notifications.updateNotificationSettings(asMary, { expiryEmails: false })).toMatchObject({ expiryEmails: false, emailState: 'CONFIRMED' });
      expect(await notifications.updateNotificationSettings(asMary, { email: '' })).toMatchObject({ email: 'mary@corp.example', emailState: 'FROM_PROXY' });
    });

    it('refuses a link older than a day, a PAT, a malformed address, and an address where no mail is sent', async () => {
      const { clock, notifications, mary, store } = await setUp({ email: true, webhook: false });
      const asMary = { user: mary, token: null };
      await notifications.updateNotificationSettings(asMary, { email: 'mary@home.example' });
      const token = await notifications.confirmationToken(mary.id, 'mary@home.example', clock.now);
      clock.now += DAY + MINUTE;
      await expect(notifications.confirmNotificationEmail(asMary, { token })).rejects.toMatchObject({ errorType: 'ValidationException' });
      await expect(notifications.updateNotificationSettings(asMary, { email: 'not an address' })).rejects.toMatchObject({ errorType: 'ValidationException' });
      const viaPat = { user: mary, token: { id: 't', userId: mary.id, name: 'ci', expiresAt: clock.now + DAY, lastUsedAt: null, createdAt: clock.now, seq: 1, createdWith: null, description: null, access: { permissions: ['MANAGE_ACCESS_TOKENS' as const] } } };
      await expect(notifications.getNotificationSettings(viaPat)).rejects.toMatchObject({ errorType: 'AccessDeniedException', statusCode: 403 });
      const quiet = servicesOver(store, clock, { email: false, webhook: true }).notifications;
      await expect(quiet.updateNotificationSettings(asMary, { email: 'mary@other.example' })).rejects.toMatchObject({ errorType: 'ValidationException' });
    });
  });
}
