import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CONSOLE_PAGE_HEADER, NEW_CLIENTS_LOGGED } from '../contract/access-tokens';
import type { CreateAccessTokenResponse, ListAccessTokenEventsResponse, ListAccessTokensResponse } from '../contract/schemas';
import { StorageUnavailableError } from '../service/token-store';
import { buildApp } from './app';
import { readConfig } from './config';
import { BODY_LIMIT_BYTES } from './plugins/security';
import { openSqliteTokenStore } from './storage/sqlite-token-store';
import { createTestApp, eraseToken, json, openTestTokenStore, seedExpiredToken, testServiceOver, type TestApp } from './testing/test-support';
import { digestSecret, generateSecret } from './tokens/secret';

const DAY = 24 * 60 * 60 * 1000;
let current: TestApp | undefined;

async function setUp(overrides: Parameters<typeof createTestApp>[0] = {}) {
  current = await createTestApp(overrides);
  return current;
}

afterEach(async () => {
  await current?.app.close();
  await current?.store.close();
  current = undefined;
});

async function create({ app }: TestApp, body: unknown, headers: Record<string, string> = {}) {
  return app.inject({ method: 'PUT', url: '/v1/accessTokens', headers: { ...json, ...headers }, payload: JSON.stringify(body) });
}

async function createOk(testApp: TestApp, name = 'laptop', headers: Record<string, string> = {}) {
  const response = await create(testApp, { name }, headers);
  expect(response.statusCode).toBe(201);
  return response.json<CreateAccessTokenResponse>();
}

async function list({ app }: TestApp, body: unknown = {}, headers: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url: '/v1/accessTokens', headers: { ...json, ...headers }, payload: JSON.stringify(body) });
}

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

function expectAwsError(response: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }, status: number, type: string) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['x-amzn-errortype']).toBe(type);
  expect(response.json()).toEqual({ message: expect.any(String) });
}

describe('RevokeAccessTokens', () => {
  const revoke = ({ app }: TestApp, secrets: string[], headers: Record<string, string> = {}, remoteAddress = '198.51.100.7') =>
    app.inject({ method: 'POST', url: '/v1/accessTokens/revoke', remoteAddress, headers: { ...json, ...headers }, payload: JSON.stringify({ secrets }) });

  it('takes 1,000 secrets in one request, beyond the other operations’ body limit, and answers alike whatever they were', async () => {
    const testApp = await setUp({ createsPerMinute: 0 });
    const live = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((name) => createOk(testApp, name)));
    const madeUp = Array.from({ length: 995 }, () => generateSecret());
    const secrets = [...madeUp.slice(0, 500), ...live.map((token) => token.secret), ...madeUp.slice(500)];
    expect(JSON.stringify({ secrets }).length).toBeGreaterThan(BODY_LIMIT_BYTES);
    const all = await revoke(testApp, secrets);
    const none = await revoke(testApp, madeUp);
    for (const answer of [all, none]) {
      expect([answer.statusCode, answer.body, answer.headers['content-type']]).toEqual([202, '{}', 'application/json; charset=utf-8']);
    }
    expect((await list(testApp)).json<ListAccessTokensResponse>().items).toEqual([]);
    for (const { secret } of live) expect((await testApp.app.inject({ url: '/session', headers: bearer(secret) })).statusCode).toBe(401);
  });

  it('limits each client address, whatever it sends', async () => {
    const testApp = await setUp({ revokesPerMinute: 2 });
    const secret = generateSecret();
    expect((await revoke(testApp, [secret])).statusCode).toBe(202);
    expect((await revoke(testApp, ['not a secret'])).statusCode).toBe(202);
    const third = await revoke(testApp, [secret]);
    expectAwsError(third, 429, 'ThrottlingException');
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    expect((await revoke(testApp, [secret], {}, '203.0.113.50')).statusCode).toBe(202);
  });

  it('asks nobody to sign in, behind the proxy too, and refuses a request that is not one', async () => {
    const testApp = await setUp({ authMode: 'proxy' });
    expect((await revoke(testApp, [generateSecret()], { 'sec-fetch-site': 'cross-site' })).statusCode).toBe(202);
    const malformed = await testApp.app.inject({ method: 'POST', url: '/v1/accessTokens/revoke', headers: json, payload: '{"secrets": "pat_x"}' });
    expectAwsError(malformed, 400, 'ValidationException');
  });
});

describe("an instance's own secret prefix", () => {
  it('makes new secrets with it, and still takes those made before it was set', async () => {
    const testApp = await setUp({ tokenPrefix: 'acme_pat_' });
    const before = await testServiceOver(testApp.store).createAccessToken(
      { user: await testApp.store.userByName('marymajor'), token: null, channel: 'CONSOLE', client: { address: '127.0.0.1', userAgent: null } },
      { name: 'before' },
    );
    expect(before.secret).toMatch(/^pat_/);
    const after = await createOk(testApp, 'after');
    expect(after.secret).toMatch(/^acme_pat_[0-9A-Za-z]{49}$/);
    for (const { secret } of [before, after]) expect((await testApp.app.inject({ url: '/session', headers: bearer(secret) })).statusCode).toBe(200);
    const revoked = await testApp.app.inject({ method: 'POST', url: '/v1/accessTokens/revoke', headers: json, payload: JSON.stringify({ secrets: [after.secret] }) });
    expect(revoked.statusCode).toBe(202);
    expect((await testApp.app.inject({ url: '/session', headers: bearer(after.secret) })).statusCode).toBe(401);
  });
});

describe('CreateAccessToken', () => {
  it('answers 201 with the secret, and defaults the expiry to one year', async () => {
    const testApp = await setUp();
    const before = Date.now();
    const created = await createOk(testApp, 'laptop');
    expect(created).toEqual({
      secret: expect.stringMatching(/^pat_[0-9A-Za-z]{49}$/),
      name: 'laptop',
      expiresTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      accessTokenId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    const expires = new Date(created.expiresTime);
    const aYear = new Date(before);
    aYear.setUTCFullYear(aYear.getUTCFullYear() + 1);
    expect(Math.abs(expires.getTime() - aYear.getTime())).toBeLessThan(5000);
  });

  it('keeps the given expiry, and ignores unknown fields', async () => {
    const testApp = await setUp();
    const expiresTime = new Date(Date.now() + 30 * DAY).toISOString();
    const response = await create(testApp, { name: 'ci', expiresTime, colour: 'blue' });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ name: 'ci', expiresTime });
    expect(response.json()).not.toHaveProperty('colour');
  });

  it.each([
    ['an empty name', { name: '' }],
    ['a name of spaces', { name: '   ' }],
    ['a name of 101 characters', { name: 'x'.repeat(101) }],
    ['a name that is a number', { name: 7 }],
    ['no name', {}],
    ['a past expiry', { name: 'a', expiresTime: new Date(Date.now() - 1000).toISOString() }],
    ['an expiry beyond a year', { name: 'a', expiresTime: new Date(Date.now() + 367 * DAY).toISOString() }],
    ['an expiry that is no timestamp', { name: 'a', expiresTime: 'next week' }],
    ['an expiry of the wrong type', { name: 'a', expiresTime: 12 }],
    ['a body that is an array', [{ name: 'a' }]],
  ])('refuses %s with a ValidationException', async (_what, body) => {
    const testApp = await setUp();
    expectAwsError(await create(testApp, body), 400, 'ValidationException');
  });

  it('takes the lifetime limit from the configuration', async () => {
    const testApp = await setUp({ maxTokenLifetimeYears: 2 });
    const response = await create(testApp, { name: 'a', expiresTime: new Date(Date.now() + 500 * DAY).toISOString() });
    expect(response.statusCode).toBe(201);
  });

  it('refuses a 101st live token with ServiceQuotaExceededException', async () => {
    const testApp = await setUp({ createsPerMinute: 0 });
    for (let index = 0; index < 100; index += 1) await createOk(testApp, `t${index}`);
    expectAwsError(await create(testApp, { name: 'one too many' }), 402, 'ServiceQuotaExceededException');
  });

  it('stores a digest of the secret, never the secret', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pat-console-'));
    const dbPath = join(dir, 'tokens.db');
    const store = openSqliteTokenStore(dbPath);
    const app = await buildApp({ config: { ...readConfig({ PAT_CONSOLE_STATIC_DIR: '' }), dbPath }, store });
    const testApp = { app, store, config: readConfig() };
    const { secret } = await createOk(testApp);
    await app.close();
    await store.close();

    const db = new Database(dbPath, { readonly: true });
    const rows = db.prepare('SELECT * FROM access_tokens').all();
    db.close();
    expect(JSON.stringify(rows)).not.toContain(secret.slice(4));
    expect(JSON.stringify(rows)).toContain(digestSecret(secret));
  });

  it('throttles creates per user, with Retry-After', async () => {
    const testApp = await setUp({ createsPerMinute: 2, authMode: 'proxy' });
    const mary = { 'x-forwarded-user': 'mary' };
    await createOk(testApp, 'a', mary);
    await createOk(testApp, 'b', mary);
    const third = await create(testApp, { name: 'c' }, mary);
    expectAwsError(third, 429, 'ThrottlingException');
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    // Another user is not held back by Mary's limit.
    await createOk(testApp, 'a', { 'x-forwarded-user': 'john' });
  });
});

describe('The activity log says how a change without a PAT came (our extension)', () => {
  const sources = async ({ app }: TestApp, headers: Record<string, string> = {}) => {
    const response = await app.inject({ method: 'POST', url: '/v1/accessTokenEvents', headers: { ...json, ...headers }, payload: '{}' });
    return response.json<ListAccessTokenEventsResponse>().items.map((event) => [event.accessTokenName, event.source]);
  };

  it('in local mode: the console when its page says so, otherwise a script', async () => {
    const testApp = await setUp();
    await createOk(testApp, 'clicked', { [CONSOLE_PAGE_HEADER]: '1' });
    await createOk(testApp, 'scripted', { 'user-agent': 'Python-urllib/3.11' });
    expect(await sources(testApp)).toEqual([
      ['scripted', 'LOCAL_API'],
      ['clicked', 'CONSOLE'],
    ]);
  });

  it('behind the proxy: a script signed in through it', async () => {
    const testApp = await setUp({ authMode: 'proxy' });
    const mary = { 'x-forwarded-user': 'mary' };
    await createOk(testApp, 'clicked', { ...mary, [CONSOLE_PAGE_HEADER]: '1' });
    await createOk(testApp, 'scripted', mary);
    expect(await sources(testApp, mary)).toEqual([
      ['scripted', 'PROXY_API'],
      ['clicked', 'CONSOLE'],
    ]);
  });
});

describe('ListAccessTokens', () => {
  it('pages 25 tokens 10 at a time in a stable order', async () => {
    const testApp = await setUp({ createsPerMinute: 0 });
    const names = Array.from({ length: 25 }, (_, index) => `token-${index}`);
    for (const name of names) await createOk(testApp, name);

    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const response = await list(testApp, nextToken ? { maxResults: 10, nextToken } : { maxResults: 10 });
      expect(response.statusCode).toBe(200);
      const page = response.json<ListAccessTokensResponse>();
      expect(page.items.length).toBeLessThanOrEqual(10);
      seen.push(...page.items.map((item) => item.name));
      nextToken = page.nextToken;
      pages += 1;
    } while (nextToken);
    expect(pages).toBe(3);
    expect(seen).toEqual(names);
  });

  it('lists with no body at all, as the SDKs may send', async () => {
    const testApp = await setUp();
    const { secret } = await createOk(testApp);
    const response = await testApp.app.inject({ method: 'POST', url: '/v1/accessTokens', headers: bearer(secret) });
    expect(response.statusCode).toBe(200);
    expect(response.json<ListAccessTokensResponse>().items).toHaveLength(1);
  });

  it.each([{ maxResults: 11 }, { maxResults: 0 }, { maxResults: '10' }, { nextToken: 'forged' }])(
    'refuses %j with a ValidationException',
    async (body) => {
      const testApp = await setUp();
      expectAwsError(await list(testApp, body), 400, 'ValidationException');
    },
  );

  it("refuses another user's nextToken", async () => {
    const testApp = await setUp({ authMode: 'proxy', createsPerMinute: 0 });
    for (let index = 0; index < 3; index += 1) await createOk(testApp, `t${index}`, { 'x-forwarded-user': 'mary' });
    const page = (await list(testApp, { maxResults: 1 }, { 'x-forwarded-user': 'mary' })).json<ListAccessTokensResponse>();
    expect(page.nextToken).toBeDefined();
    expectAwsError(await list(testApp, { nextToken: page.nextToken }, { 'x-forwarded-user': 'john' }), 400, 'ValidationException');
  });

  it('forgets activity older than the retention period it was given, from the start', async () => {
    const store = await openTestTokenStore();
    const user = await store.userByName('marymajor');
    for (const [name, daysAgo] of [['old', 31], ['recent', 29]] as const) {
      const now = Date.now() - daysAgo * DAY;
      // Created then, as only the service's clock could say.
      await testServiceOver(store, { clock: () => now }).createAccessToken({ user, token: null, channel: 'CONSOLE', client: { address: '192.0.2.1', userAgent: null } }, { name });
    }
    const config = { ...readConfig({ PAT_CONSOLE_STATIC_DIR: '', PAT_CONSOLE_ACTIVITY_RETENTION_DAYS: '30' }) };
    current = { app: await buildApp({ config, store }), store, config };
    await vi.waitFor(async () => {
      const names = (await store.listActivity(user.id, 10, undefined)).items.map((entry) => entry.token.name);
      expect(names).toEqual(['recent']);
    });
  });

  it('never lists an expired token, and purges it', async () => {
    const testApp = await setUp();
    await seedExpiredToken(testApp.store, 'marymajor', 'lapsed');
    await createOk(testApp, 'live');
    const items = (await list(testApp)).json<ListAccessTokensResponse>().items;
    expect(items.map((item) => item.name)).toEqual(['live']);
    expect(await testServiceOver(testApp.store).purgeExpired(Date.now())).toBe(1);
  });
});

describe('DeleteAccessToken', () => {
  it('deletes a token of the caller', async () => {
    const testApp = await setUp();
    const { accessTokenId } = await createOk(testApp);
    const response = await testApp.app.inject({ method: 'DELETE', url: `/v1/accessTokens/${accessTokenId}`, headers: json });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({});
    expect((await list(testApp)).json<ListAccessTokensResponse>().items).toEqual([]);
  });

  it('refuses a change the console did not send: another site, or no JSON, unless a PAT vouches for it', async () => {
    const testApp = await setUp();
    const { secret, accessTokenId } = await createOk(testApp);
    const url = `/v1/accessTokens/${accessTokenId}/regenerate`;
    // fetch(url, { method: 'POST', mode: 'no-cors' }) from another page: no body, no content type.
    expectAwsError(await testApp.app.inject({ method: 'POST', url }), 415, 'UnsupportedMediaTypeException');
    expectAwsError(await testApp.app.inject({ method: 'DELETE', url: `/v1/accessTokens/${accessTokenId}` }), 415, 'UnsupportedMediaTypeException');
    for (const headers of [{ 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { origin: 'https://evil.example' }, { origin: 'null' }]) {
      expectAwsError(await testApp.app.inject({ method: 'POST', url, headers: { ...json, ...headers }, payload: '{}' }), 403, 'AccessDeniedException');
    }
    // A PAT's request, and the console's own, go through.
    const listed = await testApp.app.inject({ method: 'POST', url: '/v1/accessTokens', headers: { ...bearer(secret), 'sec-fetch-site': 'cross-site' } });
    expect(listed.statusCode).toBe(200);
    const own = { ...json, 'sec-fetch-site': 'same-origin', origin: 'http://localhost:80', host: 'localhost:80' };
    expect((await testApp.app.inject({ method: 'POST', url, headers: own, payload: '{}' })).statusCode).toBe(200);
    expect((await testApp.app.inject({ url: '/v1/accessTokenLimits', headers: { 'sec-fetch-site': 'cross-site' } })).statusCode).toBe(200);
  });

  it("answers ResourceNotFoundException for an unknown id and for another user's token", async () => {
    const testApp = await setUp({ authMode: 'proxy' });
    const { accessTokenId } = await createOk(testApp, 'marys', { 'x-forwarded-user': 'mary' });
    const asJohn = await testApp.app.inject({
      method: 'DELETE',
      url: `/v1/accessTokens/${accessTokenId}`,
      headers: { ...json, 'x-forwarded-user': 'john' },
    });
    expectAwsError(asJohn, 404, 'ResourceNotFoundException');
    const unknown = await testApp.app.inject({
      method: 'DELETE',
      url: '/v1/accessTokens/00000000-0000-0000-0000-000000000000',
      headers: { ...json, 'x-forwarded-user': 'mary' },
    });
    expectAwsError(unknown, 404, 'ResourceNotFoundException');
    const tooLong = await testApp.app.inject({ method: 'DELETE', url: `/v1/accessTokens/${'x'.repeat(37)}`, headers: { ...json, 'x-forwarded-user': 'mary' } });
    expectAwsError(tooLong, 400, 'ValidationException');
  });
});

describe('Scoped PATs behind a proxy (our extension)', () => {
  it('judges a PAT’s networks on the address a trusted proxy forwards, and ignores one an untrusted peer claims', async () => {
    const testApp = await setUp({ authMode: 'proxy' });
    const user = { 'x-forwarded-user': 'marymajor' };
    const response = await create(testApp, { name: 'office', access: { permissions: ['READ_REPOSITORIES'], networks: ['203.0.113.0/24', '2001:db8::/32'] } }, user);
    const { secret } = response.json<CreateAccessTokenResponse>();
    const session = (forwardedFor: string, remoteAddress = '127.0.0.1') =>
      testApp.app.inject({ url: '/session', remoteAddress, headers: { ...bearer(secret), 'x-forwarded-for': forwardedFor } });
    expect((await session('203.0.113.9')).statusCode).toBe(200);
    expect((await session('2001:db8::5')).statusCode).toBe(200);
    expect((await session('198.51.100.1')).statusCode).toBe(401);
    // Only a trusted proxy speaks for the client: from elsewhere, the socket's address counts.
    expect((await session('203.0.113.9', '192.0.2.7')).statusCode).toBe(401);
  });
});

describe('Identity', () => {
  it('authenticates a bearer PAT as its owner and tracks its last use', async () => {
    const testApp = await setUp();
    const { secret } = await createOk(testApp);
    const local = (await testApp.app.inject({ url: '/session' })).json<{ identity: string }>();
    const session = await testApp.app.inject({ url: '/session', headers: bearer(secret) });
    expect(session.statusCode).toBe(200);
    expect(session.json()).toEqual(local);
    const item = (await list(testApp)).json<ListAccessTokensResponse>().items[0];
    expect(Date.now() - Date.parse(item?.lastUsedTime ?? '')).toBeLessThan(5000);
  });

  it('updates the last use at most once a minute', async () => {
    const testApp = await setUp();
    const { secret, accessTokenId } = await createOk(testApp);
    await testApp.app.inject({ url: '/session', headers: bearer(secret) });
    const user = await testApp.store.userByName('marymajor');
    const first = (await testApp.store.liveTokens(user.id, Date.now()))[0]?.lastUsedAt;
    expect(first).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await testApp.app.inject({ url: '/session', headers: bearer(secret) });
    const second = (await testApp.store.liveTokens(user.id, Date.now()))[0];
    expect(second?.id).toBe(accessTokenId);
    expect(second?.lastUsedAt).toBe(first);
  });

  it('refuses a deleted token on the very next request', async () => {
    const testApp = await setUp();
    const { secret, accessTokenId } = await createOk(testApp);
    expect((await testApp.app.inject({ url: '/session', headers: bearer(secret) })).statusCode).toBe(200);
    await testApp.app.inject({ method: 'DELETE', url: `/v1/accessTokens/${accessTokenId}`, headers: bearer(secret) });
    const after = await testApp.app.inject({ url: '/session', headers: bearer(secret) });
    expectAwsError(after, 401, 'AccessDeniedException');
    expect(after.headers['www-authenticate']).toBe('Bearer');
  });

  it('refuses an expired token', async () => {
    const testApp = await setUp();
    const { secret, accessTokenId } = await createOk(testApp);
    await eraseToken(testApp.store, 'marymajor', accessTokenId);
    await seedExpiredToken(testApp.store, 'marymajor', 'old', digestSecret(secret));
    expectAwsError(await testApp.app.inject({ url: '/session', headers: bearer(secret) }), 401, 'AccessDeniedException');
  });

  it.each([
    ['a made-up token', 'Bearer pat_notarealtoken'],
    ['a typo in a real token', 'TYPO'],
    ['another scheme', 'Basic bWFyeTpwYXNz'],
    ['a bare token', 'pat_abc'],
  ])('answers 401 for %s', async (_what, authorization) => {
    const testApp = await setUp();
    const { secret } = await createOk(testApp);
    const header = authorization === 'TYPO' ? `Bearer ${secret.slice(0, -1)}${secret.endsWith('a') ? 'b' : 'a'}` : authorization;
    const response = await testApp.app.inject({ url: '/session', headers: { authorization: header } });
    expectAwsError(response, 401, 'AccessDeniedException');
  });

  it('throttles failed authentications per client address, whatever token each one presents', async () => {
    const testApp = await setUp({ failedAuthsPerMinute: 3 });
    const { secret } = await createOk(testApp);
    const attempt = (remoteAddress: string, token: string) =>
      testApp.app.inject({ url: '/session', remoteAddress, headers: { authorization: `Bearer ${token}` } });
    // Each attempt with a different made-up token: varying the token buys nothing.
    for (let index = 0; index < 3; index += 1) expect((await attempt('203.0.113.9', `pat_guess${index}`)).statusCode).toBe(401);
    const blocked = await attempt('203.0.113.9', 'pat_guess-next');
    expectAwsError(blocked, 429, 'ThrottlingException');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // Another client is not held back by this one.
    expect((await attempt('198.51.100.4', 'pat_typo')).statusCode).toBe(401);
    // The owner of a real token is never locked out, even from the stranger's own address (a NAT).
    expect((await attempt('203.0.113.9', secret)).statusCode).toBe(200);
    expect((await attempt('198.51.100.4', secret)).statusCode).toBe(200);
  });

  it('counts a well-formed secret that was never issued as a failure', async () => {
    const testApp = await setUp({ failedAuthsPerMinute: 2 });
    const attempt = () => testApp.app.inject({ url: '/session', headers: bearer(generateSecret()) });
    expectAwsError(await attempt(), 401, 'AccessDeniedException');
    expectAwsError(await attempt(), 401, 'AccessDeniedException');
    expectAwsError(await attempt(), 429, 'ThrottlingException');
  });

  it('logs a retired secret once an hour per client address, whatever User-Agent it sends', async () => {
    const testApp = await setUp({ failedAuthsPerMinute: 0 });
    const { secret, accessTokenId } = await createOk(testApp);
    await testApp.app.inject({ method: 'DELETE', url: `/v1/accessTokens/${accessTokenId}`, headers: json });
    for (let index = 0; index < 50; index += 1) {
      await testApp.app.inject({ url: '/session', headers: { ...bearer(secret), 'user-agent': `evil-${index}` } });
    }
    const user = await testApp.store.userByName('marymajor');
    const log = (await testApp.store.listActivity(user.id, 100, undefined)).items;
    expect(log.filter((entry) => entry.type === 'DELETED_TOKEN_USED')).toHaveLength(1);
  });

  it('writes nothing for a client over its failure limit: it is counted before its refusal is logged', async () => {
    const testApp = await setUp({ failedAuthsPerMinute: 1 });
    const first = await createOk(testApp, 'first');
    const second = await createOk(testApp, 'second');
    for (const { accessTokenId } of [first, second]) await testApp.app.inject({ method: 'DELETE', url: `/v1/accessTokens/${accessTokenId}`, headers: json });
    expectAwsError(await testApp.app.inject({ url: '/session', headers: bearer(first.secret) }), 401, 'AccessDeniedException');
    expectAwsError(await testApp.app.inject({ url: '/session', headers: bearer(second.secret) }), 429, 'ThrottlingException');
    const user = await testApp.store.userByName('marymajor');
    const refusals = (await testApp.store.listActivity(user.id, 100, undefined)).items.filter((entry) => entry.type === 'DELETED_TOKEN_USED');
    expect(refusals.map((entry) => entry.token.name)).toEqual(['first']);
  });

  it('logs at most its allowance of new clients of a PAT a day, however many User-Agents its holder sends', async () => {
    const testApp = await setUp();
    const { secret } = await createOk(testApp);
    for (let index = 0; index < NEW_CLIENTS_LOGGED.count + 10; index += 1) {
      expect((await testApp.app.inject({ url: '/session', headers: { ...bearer(secret), 'user-agent': `evil-${index}` } })).statusCode).toBe(200);
    }
    const user = await testApp.store.userByName('marymajor');
    const log = (await testApp.store.listActivity(user.id, 100, undefined)).items;
    expect(log.filter((entry) => entry.type === 'USED_FROM_NEW_CLIENT')).toHaveLength(NEW_CLIENTS_LOGGED.count);
  });

  it('answers a flood of made-up tokens from many clients with 429s, and a real token still gets in', async () => {
    const testApp = await setUp({ failedAuthsPerMinute: 10 });
    const { secret } = await createOk(testApp);
    const flood = Array.from({ length: 2000 }, (_, index) =>
      testApp.app.inject({ url: '/session', remoteAddress: `10.9.0.${index % 20}`, headers: { authorization: `Bearer pat_${index}` } }),
    );
    const statuses = (await Promise.all(flood)).map((response) => response.statusCode);
    expect(new Set(statuses)).toEqual(new Set([401, 429]));
    expect((await testApp.app.inject({ url: '/session', headers: bearer(secret) })).statusCode).toBe(200);
  });

  it('in proxy mode, is the user the proxy names, and 401 without one', async () => {
    const testApp = await setUp({ authMode: 'proxy', identityHeader: 'x-auth-user' });
    expectAwsError(await testApp.app.inject({ url: '/session' }), 401, 'AccessDeniedException');
    const details = await testApp.app.inject({ url: '/userDetails', headers: { 'x-auth-user': 'john' } });
    expect(details.json()).toMatchObject({ userName: 'john', displayName: 'john' });
  });

  it("in proxy mode, takes oauth2-proxy's display name and verified e-mail for GetUserDetails", async () => {
    const testApp = await setUp({ authMode: 'proxy' });
    const details = await testApp.app.inject({
      url: '/userDetails',
      headers: { 'x-forwarded-user': 'mary', 'x-forwarded-preferred-username': 'Mary Major', 'x-forwarded-email': 'mary@example.com' },
    });
    expect(details.json()).toMatchObject({
      userName: 'mary',
      displayName: 'Mary Major',
      primaryEmail: { email: 'mary@example.com', verified: true },
    });
    const malformed = await testApp.app.inject({
      url: '/userDetails',
      headers: { 'x-forwarded-user': 'mary', 'x-forwarded-preferred-username': 'Mary\u0007', 'x-forwarded-email': 'not an address' },
    });
    expect(malformed.json()).toMatchObject({ displayName: 'mary', primaryEmail: { email: 'mary@localhost', verified: false } });
  });

  it('in proxy mode, ignores identity headers from a peer that is not a trusted proxy', async () => {
    const testApp = await setUp({ authMode: 'proxy', trustedProxies: ['10.1.0.0/16'] });
    const claim = { 'x-forwarded-user': 'mary' };
    const around = await testApp.app.inject({ url: '/session', remoteAddress: '10.2.0.7', headers: claim });
    expectAwsError(around, 401, 'AccessDeniedException');
    expectAwsError(await testApp.app.inject({ url: '/session', remoteAddress: '127.0.0.1', headers: claim }), 401, 'AccessDeniedException');
    expect((await testApp.app.inject({ url: '/session', remoteAddress: '10.1.3.4', headers: claim })).statusCode).toBe(200);
  });

  it('keeps each user to their own tokens', async () => {
    const testApp = await setUp({ authMode: 'proxy' });
    await createOk(testApp, 'marys', { 'x-forwarded-user': 'mary' });
    await createOk(testApp, 'johns', { 'x-forwarded-user': 'john' });
    const marys = (await list(testApp, {}, { 'x-forwarded-user': 'mary' })).json<ListAccessTokensResponse>().items;
    expect(marys.map((item) => item.name)).toEqual(['marys']);
  });

  it('describes the caller in GetUserDetails', async () => {
    const testApp = await setUp();
    const response = await testApp.app.inject({ url: '/userDetails' });
    expect(response.json()).toEqual({
      userId: expect.any(String),
      userName: 'marymajor',
      displayName: 'marymajor',
      primaryEmail: { email: 'marymajor@localhost', verified: false },
      version: '1',
      admin: false,
    });
  });
});

describe('Health and an unavailable database', () => {
  it('answers /healthz with 200 while the database answers, 503 when not, without authentication or details', async () => {
    const testApp = await setUp({ authMode: 'proxy' });
    const up = await testApp.app.inject({ url: '/healthz' });
    expect([up.statusCode, up.body]).toEqual([200, 'ok\n']);
    vi.spyOn(testApp.store, 'ping').mockRejectedValue(new StorageUnavailableError('down'));
    const down = await testApp.app.inject({ url: '/healthz' });
    expect([down.statusCode, down.body]).toEqual([503, 'unavailable\n']);
  });

  it('fails a request fast with 503 in the AWS shape while the database is away', async () => {
    const testApp = await setUp();
    vi.spyOn(testApp.store, 'liveTokens').mockRejectedValue(new StorageUnavailableError('PostgreSQL is unavailable: ECONNREFUSED'));
    const response = await list(testApp);
    expectAwsError(response, 503, 'ServiceUnavailableException');
    expect(response.headers['retry-after']).toBe('1');
    expect(response.body).not.toContain('ECONNREFUSED');
  });
});

describe('Hardening', () => {
  it('refuses a Host it does not serve', async () => {
    const testApp = await setUp();
    const response = await testApp.app.inject({ url: '/session', headers: { host: 'attacker.example:8080' } });
    expectAwsError(response, 403, 'AccessDeniedException');
    expect((await testApp.app.inject({ url: '/session', headers: { host: '127.0.0.1:8080' } })).statusCode).toBe(200);
  });

  it('takes bodies only as JSON, and small', async () => {
    const testApp = await setUp();
    const text = await testApp.app.inject({
      method: 'PUT',
      url: '/v1/accessTokens',
      headers: { 'content-type': 'text/plain' },
      payload: '{"name":"a"}',
    });
    expectAwsError(text, 415, 'UnsupportedMediaTypeException');
    const form = await testApp.app.inject({
      method: 'PUT',
      url: '/v1/accessTokens',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'name=a',
    });
    expect(form.statusCode).toBe(415);
    expectAwsError(await create(testApp, { name: 'a', pad: 'x'.repeat(40_000) }), 413, 'RequestEntityTooLargeException');
    const broken = await testApp.app.inject({ method: 'PUT', url: '/v1/accessTokens', headers: json, payload: '{"name":' });
    expectAwsError(broken, 400, 'ValidationException');
    const poisoned = await testApp.app.inject({
      method: 'PUT',
      url: '/v1/accessTokens',
      headers: json,
      payload: '{"name":"a","__proto__":{"x":1}}',
    });
    expectAwsError(poisoned, 400, 'ValidationException');
  });

  it('marks every API answer no-store and nosniff, and allows no other origin', async () => {
    const testApp = await setUp();
    const response = await testApp.app.inject({ url: '/session', headers: { origin: 'https://attacker.example' } });
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await testApp.app.inject({ method: 'OPTIONS', url: '/v1/accessTokens', headers: { origin: 'https://attacker.example', 'access-control-request-method': 'PUT' } });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers an unknown operation in the AWS shape', async () => {
    const testApp = await setUp();
    expectAwsError(await testApp.app.inject({ url: '/v1/nothing' }), 404, 'UnknownOperationException');
    expectAwsError(await testApp.app.inject({ method: 'GET', url: '/v1/accessTokens' }), 404, 'UnknownOperationException');
  });

  it('answers a failure inside with a 500 that says nothing internal', async () => {
    const testApp = await setUp();
    testApp.store.liveTokens = () => {
      throw new Error('SQLITE_CORRUPT: database disk image is malformed at /secret/path');
    };
    const response = await list(testApp);
    expectAwsError(response, 500, 'InternalServerException');
    expect(response.body).not.toMatch(/SQLITE|secret\/path/);
  });

  it('escapes control characters a client sends, in the log and in the activity log', async () => {
    const lines: string[] = [];
    current = await createTestApp({ logLevel: 'info' }, { write: (line: string) => void lines.push(line) });
    const { secret } = await createOk(current);
    await current.app.inject({ url: '/session', headers: { ...bearer(secret), 'user-agent': 'evil\u0085\u009b31m\u007f' } });
    const logged = lines.map((line) => JSON.parse(line) as { req?: { userAgent?: string } }).map((line) => line.req?.userAgent);
    expect(logged).toContain('evil\\u0085\\u009b31m\\u007f');
    expect(lines.join('')).not.toMatch(/[\u0080-\u009f]/);
    const user = await current.store.userByName('marymajor');
    const activity = (await current.store.listActivity(user.id, 10, undefined)).items;
    expect(activity.map((entry) => entry.userAgent)).toContain('evil\\u0085\\u009b31m\\u007f');
  });

  it('never logs a secret', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    current = await createTestApp({ logLevel: 'trace' }, stream);
    const { secret } = await createOk(current);
    await current.app.inject({ url: '/session', headers: bearer(secret) });
    await current.app.inject({ url: '/session', headers: { ...bearer(secret), 'user-agent': `script/1 (${secret})` } });
    await current.app.inject({
      url: `/session?token=${secret}`,
      headers: { ...bearer(`${secret}x`), cookie: `session=${secret}`, 'user-agent': 'aws-cli/2.17' },
    });
    // Requests are logged, by what identifies them, and a secret a client put in the URL or its
    // User-Agent is masked, there and in the activity log.
    const log = lines.join('\n');
    expect(log).toContain('"url":"/session?token=pat_[redacted]"');
    expect(log).toContain('"userAgent":"aws-cli/2.17"');
    expect(log).toContain('"userAgent":"script/1 (pat_[redacted])"');
    expect(log).not.toContain(secret.slice(4, 20));
    const user = await current.store.userByName('marymajor');
    const activity = (await current.store.listActivity(user.id, 10, undefined)).items;
    expect(activity.map((entry) => entry.userAgent)).toContain('script/1 (pat_[redacted])');
    expect(JSON.stringify(activity)).not.toContain(secret.slice(4, 20));
    // One line per request, when it is answered, naming the request and the answer.
    const completed = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === 'request completed');
    expect(completed).toHaveLength(4);
    expect(completed[3]).toMatchObject({ reqId: expect.any(String), req: { method: 'GET' }, res: { statusCode: 401 }, responseTime: expect.any(Number) });
    expect(log).not.toContain('incoming request');
  });

  it('serves the console with a CSP, and index.html for deep links', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pat-console-dist-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>pat-console</title>');
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'assets', 'app-1234.js'), 'export {};');
    const testApp = await setUp({ staticDir: dir });
    const page = await testApp.app.inject({ url: '/settings/tokens/create' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>pat-console</title>');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['cache-control']).toBe('no-store');
    const root = await testApp.app.inject({ url: '/' });
    expect(root.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    const asset = await testApp.app.inject({ url: '/assets/app-1234.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['x-content-type-options']).toBe('nosniff');
    expectAwsError(await testApp.app.inject({ url: '/assets/missing.js' }), 404, 'UnknownOperationException');
    // A file that is not there is not the page either: msw's worker, say, which only the demo serves.
    expectAwsError(await testApp.app.inject({ url: '/mockServiceWorker.js' }), 404, 'UnknownOperationException');
    // Nothing under a path of the API falls back to the page.
    for (const url of ['/v1/nope', '/session/extra', '/userDetails/extra', '/auth/extra']) {
      expectAwsError(await testApp.app.inject({ url }), 404, 'UnknownOperationException');
    }
  });
});
