import { afterEach, describe, expect, it } from 'vitest';
import type { AccessTokenEvent } from '../../contract/schemas';
import { createAccessTokenService, type AccessTokenService } from '../access-token-service';
import type { Actor, Client, TokenStore, User } from '../token-store';

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.parse('2026-06-01T00:00:00Z');

/** Opens the same database again each time it is called (a second server), or answers the first when it cannot. */
export type StoreOpener = () => Promise<TokenStore>;

/**
 * The token rules, run on a store: the memory store's tests run it, and the server's on SQLite and
 * PostgreSQL, so every engine is held to the same rules. `newDatabase` makes an empty database.
 */
export function describeServiceRules(label: string, newDatabase: () => Promise<StoreOpener>) {
  const opened: TokenStore[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close().catch(() => undefined)));
  });

  /** A service with a clock the test moves, and secrets named in order: s-1, s-2… */
  function serviceOver(store: TokenStore, clock: { now: number }, maxLiveTokens = 100): AccessTokenService {
    let issued = 0;
    return createAccessTokenService({
      store,
      secrets: {
        generate: () => `s-${(issued += 1)}-${Math.random().toString(36).slice(2)}`,
        digest: (secret) => `d:${secret}`,
        isWellFormed: (secret) => secret.startsWith('s-'),
      },
      cursors: { encode: (scope, cursor) => `${scope}#${cursor}`, decode: (scope, token) => (token.startsWith(`${scope}#`) ? Number(token.slice(scope.length + 1)) : undefined) },
      limits: { maxTokenLifetimeYears: 1, maxLiveTokens, activityRetentionDays: 1 },
      clock: () => clock.now,
    });
  }

  async function setUp(maxLiveTokens?: number) {
    const open = await newDatabase();
    const openStore = async () => {
      const store = await open();
      opened.push(store);
      return store;
    };
    const store = await openStore();
    const clock = { now: T0 };
    const service = serviceOver(store, clock, maxLiveTokens);
    const [mary, joe] = [await store.userByName('mary'), await store.userByName('joe')];
    return { store, clock, service, mary, joe, openStore };
  }

  const fromConsole: Actor = { via: null, address: '192.0.2.1', userAgent: 'Mozilla/5.0' };
  const inDays = (clock: { now: number }, days: number) => new Date(clock.now + days * DAY).toISOString();
  const names = async (service: AccessTokenService, user: User) => (await service.listAccessTokens(user, {})).items.map((token) => token.name);
  const log = async (service: AccessTokenService, user: User) =>
    (await service.listAccessTokenEvents(user, {})).items.map((event: AccessTokenEvent) => [
      event.eventType,
      event.accessTokenName,
      event.source,
      event.sourceAccessToken?.name ?? null,
      event.sourceIpAddress ?? null,
      event.userAgent ?? null,
    ]);

  describe(`the token rules on ${label}`, () => {
    it("creates, lists and deletes a user's tokens, never another user's, and hides expired ones", async () => {
      const { service, clock, mary, joe } = await setUp();
      const a = await service.createAccessToken(mary, { name: 'a', expiresTime: inDays(clock, 1) }, fromConsole);
      await service.createAccessToken(mary, { name: 'b' }, fromConsole);
      await service.createAccessToken(joe, { name: 'j' }, fromConsole);
      expect(await names(service, mary)).toEqual(['a', 'b']);
      await expect(service.deleteAccessToken(joe, a.accessTokenId, fromConsole)).rejects.toMatchObject({ errorType: 'ResourceNotFoundException' });
      expect(await service.verify(a.secret, fromConsole)).toMatchObject({ ok: true, user: mary, token: { name: 'a' } });
      clock.now += 2 * DAY;
      expect(await names(service, mary)).toEqual(['b']);
      expect(await service.verify(a.secret, fromConsole)).toMatchObject({ ok: false, reason: 'invalid' });
      const [b] = (await service.listAccessTokens(mary, {})).items;
      if (!b) throw new Error('b is gone');
      expect(await service.deleteAccessToken(mary, b.id, fromConsole)).toEqual({});
      await expect(service.deleteAccessToken(mary, b.id, fromConsole)).rejects.toMatchObject({ errorType: 'ResourceNotFoundException' });
      expect(await names(service, mary)).toEqual([]);
      expect(await names(service, joe)).toEqual(['j']);
      expect(await service.verify('not-ours', fromConsole)).toMatchObject({ ok: false, reason: 'malformed' });
    });

    it('pages in creation order, with cursors valid for their own list only', async () => {
      const { service, mary, joe } = await setUp();
      for (const name of ['1', '2', '3', '4', '5']) await service.createAccessToken(mary, { name }, fromConsole);
      const first = await service.listAccessTokens(mary, { maxResults: 2 });
      expect(first.items.map((token) => token.name)).toEqual(['1', '2']);
      const second = await service.listAccessTokens(mary, { maxResults: 2, nextToken: first.nextToken });
      expect(second.items.map((token) => token.name)).toEqual(['3', '4']);
      const last = await service.listAccessTokens(mary, { maxResults: 2, nextToken: second.nextToken });
      expect(last).toEqual({ items: [expect.objectContaining({ name: '5' })] });
      await expect(service.listAccessTokens(joe, { nextToken: first.nextToken })).rejects.toMatchObject({ errorType: 'ValidationException' });
      await expect(service.listAccessTokenEvents(mary, { nextToken: first.nextToken })).rejects.toMatchObject({ errorType: 'ValidationException' });
    });

    it('refuses a create past the live-token limit, counting only live tokens, even when creates race', async () => {
      const { service, clock, mary } = await setUp(3);
      await service.createAccessToken(mary, { name: 'lapsing', expiresTime: inDays(clock, 1) }, fromConsole);
      clock.now += 2 * DAY;
      const results = await Promise.allSettled(['a', 'b', 'c', 'd', 'e'].map((name) => service.createAccessToken(mary, { name }, fromConsole)));
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(3);
      expect(results.find((result) => result.status === 'rejected')).toMatchObject({ reason: { errorType: 'ServiceQuotaExceededException' } });
    });

    it('regenerates in place: the same id, name and place, a new expiry; only the new secret works', async () => {
      const { service, clock, mary, joe } = await setUp();
      const first = await service.createAccessToken(mary, { name: 'first' }, fromConsole);
      await service.createAccessToken(mary, { name: 'second' }, fromConsole);
      const renewed = await service.regenerateAccessToken(mary, first.accessTokenId, { expiresTime: inDays(clock, 3) }, fromConsole);
      expect(renewed).toMatchObject({ accessTokenId: first.accessTokenId, name: 'first', expiresTime: inDays(clock, 3) });
      expect(await service.verify(first.secret, fromConsole)).toMatchObject({ ok: false, reason: 'invalid' });
      expect(await service.verify(renewed.secret, fromConsole)).toMatchObject({ ok: true, token: { id: first.accessTokenId } });
      const listed = (await service.listAccessTokens(mary, {})).items;
      expect(listed.map((token) => [token.name, token.expiresTime])).toEqual([['first', inDays(clock, 3)], ['second', expect.any(String)]]);
      for (const [user, id] of [[joe, first.accessTokenId], [mary, 'no-such-token']] as const) {
        await expect(service.regenerateAccessToken(user, id, {}, fromConsole)).rejects.toMatchObject({ errorType: 'ResourceNotFoundException' });
      }
    });

    it('logs each change with who made it, newest first, per user; an expiry is the service’s own, and the retention forgets', async () => {
      const { service, clock, mary, joe } = await setUp();
      const kept = await service.createAccessToken(mary, { name: 'kept' }, fromConsole);
      const verified = await service.verify(kept.secret, { address: '198.51.100.7', userAgent: 'aws-cli/2.15.0' });
      if (!verified.ok) throw new Error('kept does not work');
      const fromKept: Actor = { via: { id: verified.token.id, name: 'kept' }, address: '198.51.100.7', userAgent: 'aws-cli/2.15.0' };
      const child = await service.createAccessToken(mary, { name: 'child' }, fromKept);
      expect((await service.listAccessTokens(mary, {})).items[1]?.createdWith).toEqual({ accessTokenId: kept.accessTokenId, name: 'kept' });
      await service.createAccessToken(mary, { name: 'lapsing', expiresTime: inDays(clock, 0.5) }, fromConsole);
      await service.regenerateAccessToken(mary, kept.accessTokenId, {}, fromKept);
      await service.deleteAccessToken(mary, child.accessTokenId, fromConsole);
      await expect(service.deleteAccessToken(joe, kept.accessTokenId, fromConsole)).rejects.toThrow();
      clock.now += DAY;
      expect(await service.purgeExpired(clock.now)).toBe(1);
      expect(await service.purgeExpired(clock.now)).toBe(0);
      expect(await log(service, mary)).toEqual([
        ['EXPIRED', 'lapsing', 'SERVICE', null, null, null],
        ['DELETED', 'child', 'CONSOLE', null, '192.0.2.1', 'Mozilla/5.0'],
        ['REGENERATED', 'kept', 'ACCESS_TOKEN', 'kept', '198.51.100.7', 'aws-cli/2.15.0'],
        ['CREATED', 'lapsing', 'CONSOLE', null, '192.0.2.1', 'Mozilla/5.0'],
        ['CREATED', 'child', 'ACCESS_TOKEN', 'kept', '198.51.100.7', 'aws-cli/2.15.0'],
        ['USED_FROM_NEW_CLIENT', 'kept', 'ACCESS_TOKEN', 'kept', '198.51.100.7', 'aws-cli/2.15.0'],
        ['CREATED', 'kept', 'CONSOLE', null, '192.0.2.1', 'Mozilla/5.0'],
      ]);
      const page = await service.listAccessTokenEvents(mary, { maxResults: 4 });
      expect((await service.listAccessTokenEvents(mary, { nextToken: page.nextToken })).items).toHaveLength(3);
      expect(await log(service, joe)).toEqual([]);
      // A day's retention later, all of it is gone, the expiry (logged when the token expired) too.
      clock.now += DAY - 1;
      await service.purgeActivity(clock.now);
      expect(await log(service, mary)).toEqual([]);
    });

    it("logs a token's first use from each client once, whichever server sees it, and at most its allowance a day", async () => {
      const { service, store, clock, mary, openStore } = await setUp();
      const other = serviceOver(await openStore().catch(() => store), clock);
      const laptop = await service.createAccessToken(mary, { name: 'laptop' }, fromConsole);
      const git: Client = { address: '198.51.100.7', userAgent: 'git/2.39.5' };
      await service.verify(laptop.secret, git);
      await other.verify(laptop.secret, git);
      await other.verify(laptop.secret, { ...git, userAgent: 'aws-cli/2.15.0' });
      await service.verify(laptop.secret, { address: '203.0.113.9', userAgent: null });
      const newClients = async () => (await log(service, mary)).filter(([type]) => type === 'USED_FROM_NEW_CLIENT');
      expect(await newClients()).toEqual([
        ['USED_FROM_NEW_CLIENT', 'laptop', 'ACCESS_TOKEN', 'laptop', '203.0.113.9', null],
        ['USED_FROM_NEW_CLIENT', 'laptop', 'ACCESS_TOKEN', 'laptop', '198.51.100.7', 'aws-cli/2.15.0'],
        ['USED_FROM_NEW_CLIENT', 'laptop', 'ACCESS_TOKEN', 'laptop', '198.51.100.7', 'git/2.39.5'],
      ]);
      for (let index = 0; index < 30; index += 1) await service.verify(laptop.secret, { address: '203.0.113.9', userAgent: `evil-${index}` });
      expect(await newClients()).toHaveLength(20);
      clock.now += DAY + 1;
      await service.verify(laptop.secret, { address: '203.0.113.9', userAgent: 'next-day' });
      expect(await newClients()).toHaveLength(21);
    });

    it('logs a refused use of a deleted, replaced or expired secret once per client address an hour, and forgets it with the retention', async () => {
      const { service, clock, mary } = await setUp();
      const gone = await service.createAccessToken(mary, { name: 'gone' }, fromConsole);
      const rotated = await service.createAccessToken(mary, { name: 'rotated' }, fromConsole);
      // Expired, and not purged yet: its own row tells.
      const lapsed = await service.createAccessToken(mary, { name: 'lapsed', expiresTime: new Date(clock.now + 10).toISOString() }, fromConsole);
      await service.deleteAccessToken(mary, gone.accessTokenId, fromConsole);
      await service.regenerateAccessToken(mary, rotated.accessTokenId, {}, fromConsole);
      const ci: Client = { address: '203.0.113.9', userAgent: 'ci/1' };
      const refuse = async (secret: string, client = ci) => {
        const checked = await service.verify(secret, client);
        if (checked.ok) throw new Error('a retired secret worked');
        await checked.logRefusal();
      };
      clock.now += 100;
      await refuse(gone.secret);
      await refuse(gone.secret);
      // Another User-Agent from the same address is the same client: still quiet.
      for (let index = 0; index < 20; index += 1) await refuse(gone.secret, { ...ci, userAgent: `evil-${index}` });
      await refuse(gone.secret, { address: '198.51.100.7', userAgent: null });
      await refuse(rotated.secret);
      await refuse(lapsed.secret);
      await refuse('s-never-issued');
      clock.now += 60 * 60_000;
      await refuse(gone.secret);
      const refusals = async () => (await log(service, mary)).filter(([type]) => String(type).endsWith('_USED'));
      expect(await refusals()).toEqual([
        ['DELETED_TOKEN_USED', 'gone', 'ACCESS_TOKEN', 'gone', '203.0.113.9', 'ci/1'],
        ['EXPIRED_TOKEN_USED', 'lapsed', 'ACCESS_TOKEN', 'lapsed', '203.0.113.9', 'ci/1'],
        ['REPLACED_SECRET_USED', 'rotated', 'ACCESS_TOKEN', 'rotated', '203.0.113.9', 'ci/1'],
        ['DELETED_TOKEN_USED', 'gone', 'ACCESS_TOKEN', 'gone', '198.51.100.7', null],
        ['DELETED_TOKEN_USED', 'gone', 'ACCESS_TOKEN', 'gone', '203.0.113.9', 'ci/1'],
      ]);
      // Past the retention, a retired secret is forgotten like one never issued.
      clock.now += 2 * DAY;
      await service.purgeActivity(clock.now);
      await refuse(rotated.secret);
      expect(await refusals()).toEqual([]);
    });
  });
}
