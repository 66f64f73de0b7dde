import type { FastifyBaseLogger } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { CreateAccessTokenResponse, ListAccessTokenEventsResponse, NotificationSettings } from '../contract/schemas';
import { createNotificationService, NOTICE_RETRY_DELAYS_MS } from '../service/notices';
import type { TokenStore } from '../service/token-store';
import type { ServerConfig } from './config';
import { NoticeSender, WEBHOOK_HEADERS } from './notices/notice-sender';
import { startSmtpServer, type SmtpServer } from './testing/mail-support';
import { createTestApp, json, openTestTokenStore, testServiceOver, type TestApp } from './testing/test-support';
import { startWebhookReceiver, type WebhookReceiver } from './testing/webhook-support';

const DAY = 24 * 60 * 60 * 1000;
const PUBLIC_URL = 'https://pats.example.com';
const SECRET = 'a-webhook-secret-of-some-length';

const noticesConfig = (overrides: Partial<ServerConfig['notices']>): ServerConfig['notices'] => ({
  expiryDays: [7, 1],
  smtp: undefined,
  webhook: undefined,
  attemptTimeoutMs: 2_000,
  publicUrl: PUBLIC_URL,
  ...overrides,
});

const quietLog = { info: () => undefined, warn: () => undefined } as unknown as FastifyBaseLogger;

let testApp: TestApp | undefined;
let smtp: SmtpServer | undefined;
let receiver: WebhookReceiver | undefined;
const stores: TokenStore[] = [];
afterEach(async () => {
  await testApp?.app.close();
  await testApp?.store.close();
  smtp?.stop();
  await receiver?.close();
  await Promise.all(stores.splice(0).map((store) => store.close()));
  testApp = smtp = receiver = undefined;
});

describe('expiry e-mail through a real SMTP server', () => {
  const mary = { 'x-forwarded-user': 'mary', 'x-forwarded-email': 'mary@example.com' };

  it("mails the 7-day notice to the proxy's address: the PAT, its expiry, its last use and a link to regenerate it", async () => {
    smtp = await startSmtpServer();
    testApp = await createTestApp({ authMode: 'proxy', notices: noticesConfig({ smtp: { url: smtp.url, from: 'pat-console <pats@example.com>' } }) });
    const expiresTime = new Date(Date.now() + 6 * DAY - 60 * 60 * 1000).toISOString();
    const created = await testApp.app.inject({ method: 'PUT', url: '/v1/accessTokens', headers: { ...json, ...mary }, payload: JSON.stringify({ name: 'ci-runner', expiresTime }) });
    const { accessTokenId } = created.json<CreateAccessTokenResponse>();
    const [mail] = await smtp.waitForMessages(1);
    expect(mail?.to).toMatchObject({ text: 'mary@example.com' });
    expect(mail?.from).toMatchObject({ text: '"pat-console" <pats@example.com>' });
    expect(mail?.subject).toBe('Your PAT "ci-runner" expires in 6 days');
    expect(mail?.text).toContain(`Hello mary,`);
    expect(mail?.text).toContain('It has never been used.');
    expect(mail?.text).toContain(`${PUBLIC_URL}/settings/tokens/${accessTokenId}?regenerate`);
    expect(mail?.html).toContain(`<a href="${PUBLIC_URL}/settings/tokens/${accessTokenId}?regenerate">`);
    expect(mail?.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail?.messageId).toMatch(/^<[0-9a-f-]{36}@pats\.example\.com>$/);
    const events = await testApp.app.inject({ method: 'POST', url: '/v1/accessTokenEvents', headers: { ...json, ...mary }, payload: '{}' });
    const sent = events.json<ListAccessTokenEventsResponse>().items.find((event) => event.eventType === 'NOTICE_SENT');
    expect(sent).toMatchObject({ accessTokenName: 'ci-runner', source: 'SERVICE', detail: 'EMAIL:EXPIRING' });
  });

  it('confirms an address set in the console through the link mailed to it, and sends there from then on', async () => {
    smtp = await startSmtpServer();
    testApp = await createTestApp({ notices: noticesConfig({ smtp: { url: smtp.url, from: 'pats@example.com' } }) });
    const { app } = testApp;
    const settings = async (method: 'GET' | 'PUT', body?: unknown) =>
      (await app.inject({ method, url: '/v1/notificationSettings', headers: json, ...(body ? { payload: JSON.stringify(body) } : {}) })).json<NotificationSettings>();
    expect(await settings('GET')).toMatchObject({ emailState: 'NONE', emailAvailable: true });
    expect(await settings('PUT', { email: 'mary@home.example' })).toMatchObject({ emailState: 'WAITING', pendingEmail: 'mary@home.example' });
    const [confirmation] = await smtp.waitForMessages(1);
    expect(confirmation?.to).toMatchObject({ text: 'mary@home.example' });
    const link = /https:\/\/pats\.example\.com\/settings\/notifications\/confirm#token=(\S+)/.exec(confirmation?.text ?? '');
    expect(link).not.toBeNull();
    const confirmed = await app.inject({ method: 'POST', url: '/v1/notificationSettings/confirm', headers: json, payload: JSON.stringify({ token: decodeURIComponent(link?.[1] ?? '') }) });
    expect(confirmed.json()).toMatchObject({ email: 'mary@home.example', emailState: 'CONFIRMED' });
    await app.inject({ method: 'PUT', url: '/v1/accessTokens', headers: json, payload: JSON.stringify({ name: 'soon', expiresTime: new Date(Date.now() + 12 * 60 * 60 * 1000).toISOString() }) });
    // Maildir's order within a second is not arrival order: the notice is found by what it says.
    const notice = (await smtp.waitForMessages(2)).find((mail) => mail.subject?.includes('"soon"'));
    expect([notice?.to, notice?.subject]).toEqual([expect.objectContaining({ text: 'mary@home.example' }), 'Your PAT "soon" expires in 12 hours']);
  });
});

describe('the other e-mail notices', () => {
  it('mails when a PAT has expired, and when it was revoked as exposed, with who reported it, even with expiry e-mail off', async () => {
    smtp = await startSmtpServer();
    const store = await openTestTokenStore();
    stores.push(store);
    const clock = { now: Date.now() };
    const config = noticesConfig({ smtp: { url: smtp.url, from: 'pats@example.com' } });
    const notifications = createNotificationService({ store, notices: { email: true, webhook: false }, sign: (text) => text, clock: () => clock.now });
    const service = testServiceOver(store, { notices: notifications.rules, clock: () => clock.now });
    const sender = new NoticeSender({ store, notifications, config, log: quietLog, clock: () => clock.now });
    const user = await store.userByName('mary');
    await store.rememberProxyEmail(user.id, 'mary@example.com');
    const caller = { user, token: null, channel: 'CONSOLE' as const, client: { address: '192.0.2.1', userAgent: null } };
    await service.createAccessToken(caller, { name: 'lapsing', expiresTime: new Date(clock.now + 30 * DAY).toISOString() });
    const leaked = await service.createAccessToken(caller, { name: 'leaked', expiresTime: new Date(clock.now + 90 * DAY).toISOString() });
    await notifications.updateNotificationSettings(caller, { expiryEmails: false });
    await service.revokeAccessTokens({ address: '203.0.113.7', userAgent: 'trufflehog/3.88' }, { secrets: [leaked.secret] });
    clock.now += 31 * DAY;
    await notifications.updateNotificationSettings(caller, { expiryEmails: true });
    await service.purgeExpired(clock.now);
    await sender.sendDue();
    const mails = await smtp.waitForMessages(2);
    const bySubject = Object.fromEntries(mails.map((mail) => [mail.subject, mail.text]));
    expect(Object.keys(bySubject).sort()).toEqual(['Your PAT "lapsing" has expired', 'Your PAT "leaked" was revoked: it was reported as exposed']);
    expect(bySubject['Your PAT "leaked" was revoked: it was reported as exposed']).toContain('reported from 203.0.113.7 (trufflehog/3.88)');
    expect(bySubject['Your PAT "lapsing" has expired']).toContain(`${PUBLIC_URL}/settings/tokens/create`);
    await sender.close();
  });
});

describe('webhook deliveries', () => {
  it('signs each delivery as GitHub signs its webhooks, with a delivery id and a timestamp', async () => {
    receiver = await startWebhookReceiver(SECRET);
    testApp = await createTestApp({ notices: noticesConfig({ webhook: { url: receiver.url, secret: SECRET } }) });
    const created = await testApp.app.inject({ method: 'PUT', url: '/v1/accessTokens', headers: { ...json, 'user-agent': 'terraform/1.9' }, payload: '{"name":"deploy"}' });
    const { accessTokenId } = created.json<CreateAccessTokenResponse>();
    const [delivery] = await receiver.waitForDeliveries(1);
    expect(delivery?.signed).toBe(true);
    expect(delivery?.headers[WEBHOOK_HEADERS.event]).toBe('pat.created');
    expect(delivery?.headers[WEBHOOK_HEADERS.delivery]).toBe(delivery?.body.deliveryId);
    expect(Math.abs(Number(delivery?.headers[WEBHOOK_HEADERS.timestamp]) * 1000 - Date.now())).toBeLessThan(60_000);
    expect(delivery?.body).toMatchObject({
      event: 'pat.created',
      text: 'marymajor created the PAT "deploy"',
      user: { userName: 'marymajor' },
      accessToken: { accessTokenId, name: 'deploy', expiresTime: expect.any(String) },
      actor: { source: 'LOCAL_API', sourceIpAddress: '127.0.0.1', userAgent: 'terraform/1.9' },
      links: { regenerate: `${PUBLIC_URL}/settings/tokens/${accessTokenId}?regenerate` },
    });
    expect(JSON.stringify(delivery?.body)).not.toMatch(/pat_[0-9A-Za-z]{20}/);
  });

  it('tries a failing receiver again with backoff, keeps the delivery id, and gives up after the last attempt, in the log', async () => {
    let answers = [503, 500];
    receiver = await startWebhookReceiver(SECRET, () => answers.shift() ?? 204);
    const store = await openTestTokenStore();
    stores.push(store);
    const clock = { now: Date.now() };
    const config = noticesConfig({ webhook: { url: receiver.url, secret: SECRET } });
    const notifications = createNotificationService({ store, notices: { email: false, webhook: true }, sign: (text) => text, clock: () => clock.now });
    const service = testServiceOver(store, { notices: notifications.rules, clock: () => clock.now });
    const sender = new NoticeSender({ store, notifications, config, log: quietLog, clock: () => clock.now });
    const user = await store.userByName('mary');
    const caller = { user, token: null, channel: 'CONSOLE' as const, client: { address: '192.0.2.1', userAgent: null } };
    await service.createAccessToken(caller, { name: 'flaky' });
    await sender.sendDue();
    await sender.sendDue();
    expect(receiver.deliveries).toHaveLength(1);
    clock.now += NOTICE_RETRY_DELAYS_MS[0] ?? 0;
    await sender.sendDue();
    clock.now += NOTICE_RETRY_DELAYS_MS[1] ?? 0;
    await sender.sendDue();
    expect(receiver.deliveries.map((delivery) => delivery.body.deliveryId)).toEqual(Array(3).fill(receiver.deliveries[0]?.body.deliveryId));
    const log = async () => (await service.listAccessTokenEvents(caller, {})).items.map((event) => [event.eventType, event.detail ?? null]);
    expect((await log())[0]).toEqual(['NOTICE_SENT', 'WEBHOOK:CREATED']);
    // A receiver that never recovers: every retry, then given up.
    answers = Array<number>(20).fill(503);
    await service.createAccessToken(caller, { name: 'doomed' });
    for (const delay of [0, ...NOTICE_RETRY_DELAYS_MS]) {
      clock.now += delay;
      await sender.sendDue();
    }
    expect(receiver.deliveries).toHaveLength(3 + NOTICE_RETRY_DELAYS_MS.length + 1);
    expect((await log())[0]).toEqual(['NOTICE_FAILED', 'WEBHOOK:CREATED']);
    await sender.close();
  });
});
