import { afterEach, describe, expect, it } from 'vitest';
import type { AccessTokenEvent } from '../../contract/schemas';
import { createAccessTokenService, type AccessTokenService, type Caller } from '../access-token-service';
import type { Client, StoredToken, TokenStore, User } from '../token-store';
import { fakeCursors, fakeSecrets } from './fake-host';

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
    return createAccessTokenService({
      store,
      secrets: fakeSecrets(),
      cursors: fakeCursors,
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

  const fromConsole: Client = { address: '192.0.2.1', userAgent: 'Mozilla/5.0' };
  /** The user in the console, from one browser. */
  const inConsole = (user: User): Caller => ({ user, token: null, channel: 'CONSOLE', client: fromConsole });
  const inDays = (clock: { now: number }, days: number) => new Date(clock.now + days * DAY).toISOString();
  const names = async (service: AccessTokenService, user: User) => (await service.listAccessTokens(inConsole(user), {})).items.map((token) => token.name);
  const log = async (service: AccessTokenService, user: User) =>
    (await service.listAccessTokenEvents(inConsole(user), {})).items.map((event: AccessTokenEvent) => [
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
      const a = await service.createAccessToken(inConsole(mary), { name: 'a', expiresTime: inDays(clock, 1) });
      await service.createAccessToken(inConsole(mary), { name: 'b' });
      await service.createAccessToken(inConsole(joe), { name: 'j' });
      expect(await names(service, mary)).toEqual(['a', 'b']);
      await expect(service.deleteAccessToken(inConsole(joe), a.accessTokenId)).rejects.toMatchObject({ errorType: 'ResourceNotFoundException' });
      expect(await service.verify(a.secret, fromConsole)).toMatchObject({ ok: true, user: mary, token: { name: 'a' } });
      clock.now += 2 * DAY;
      expect(await names(service, mary)).toEqual(['b']);
      expect(await service.verify(a.secret, fromConsole)).toMatchObject({ ok: false, reason: 'invalid' });
      const [b] = (await service.listAccessTokens(inConsole(mary), {})).items;
      if (!b) throw new Error('b is gone');
      expect(await service.deleteAccessToken(inConsole(mary), b.id)).toEqual({});
      await expect(service.deleteAccessToken(inConsole(mary), b.id)).rejects.toMatchObject({ errorType: 'ResourceNotFoundException' });
      expect(await names(service, mary)).toEqual([]);
      expect(await names(service, joe)).toEqual(['j']);
      expect(await service.verify('not-ours', fromConsole)).toMatchObject({ ok: false, reason: 'malformed' });
    });

    it('pages in creation order, with cursors valid for their own list only', async () => {
      const { service, mary, joe } = await setUp();
      for (const name of ['1', '2', '3', '4', '5']) await service.createAccessToken(inConsole(mary), { name });
      const first = await service.listAccessTokens(inConsole(mary), { maxResults: 2 });
      expect(first.items.map((token) => token.name)).toEqual(['1', '2']);
      const second = await service.listAccessTokens(inConsole(mary), { maxResults: 2, nextToken: first.nextToken });
      expect(second.items.map((token) => token.name)).toEqual(['3', '4']);
      const last = await service.listAccessTokens(inConsole(mary), { maxResults: 2, nextToken: second.nextToken });
      expect(last).toEqual({ items: [expect.objectContaining({ name: '5' })] });
      await expect(service.listAccessTokens(inConsole(joe), { nextToken: first.nextToken })).rejects.toMatchObject({ errorType: 'ValidationException' });
      await expect(service.listAccessTokenEvents(inConsole(mary), { nextToken: first.nextToken })).rejects.toMatchObject({ errorType: 'ValidationException' });
    });

    it('refuses a create past the live-token limit, counting only live tokens, even when creates race', async () => {
      const { service, clock, mary } = await setUp(3);
      await service.createAccessToken(inConsole(mary), { name: 'lapsing', expiresTime: inDays(clock, 1) });
      clock.now += 2 * DAY;
      const results = await Promise.allSettled(['a', 'b', 'c', 'd', 'e'].map((name) => service.createAccessToken(inConsole(mary), { name })));
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(3);
      expect(results.find((result) => result.status === 'rejected')).toMatchObject({ reason: { errorType: 'ServiceQuotaExceededException' } });
    });

    it('regenerates in place: the same id, name and place, a new expiry; only the new secret works', async () => {
      const { service, clock, mary, joe } = await setUp();
      const first = await service.createAccessToken(inConsole(mary), { name: 'first' });
      await service.createAccessToken(inConsole(mary), { name: 'second' });
      const renewed = await service.regenerateAccessToken(inConsole(mary), first.accessTokenId, { expiresTime: inDays(clock, 3) });
      expect(renewed).toMatchObject({ accessTokenId: first.accessTokenId, name: 'first', expiresTime: inDays(clock, 3) });
      expect(await service.verify(first.secret, fromConsole)).toMatchObject({ ok: false, reason: 'invalid' });
      expect(await service.verify(renewed.secret, fromConsole)).toMatchObject({ ok: true, token: { id: first.accessTokenId } });
      const listed = (await service.listAccessTokens(inConsole(mary), {})).items;
      expect(listed.map((token) => [token.name, token.expiresTime])).toEqual([['first', inDays(clock, 3)], ['second', expect.any(String)]]);
      for (const [user, id] of [[joe, first.accessTokenId], [mary, 'no-such-token']] as const) {
        await expect(service.regenerateAccessToken(inConsole(user), id, {})).rejects.toMatchObject({ errorType: 'ResourceNotFoundException' });
      }
    });

    it('logs each change with who made it, newest first, per user; an expiry is the service’s own, and the retention forgets', async () => {
      const { service, clock, mary, joe } = await setUp();
      const kept = await service.createAccessToken(inConsole(mary), { name: 'kept' });
      const verified = await service.verify(kept.secret, { address: '198.51.100.7', userAgent: 'aws-cli/2.15.0' });
      if (!verified.ok) throw new Error('kept does not work');
      const fromKept: Caller = { user: mary, token: verified.token, client: { address: '198.51.100.7', userAgent: 'aws-cli/2.15.0' } };
      const child = await service.createAccessToken(fromKept, { name: 'child' });
      expect((await service.listAccessTokens(inConsole(mary), {})).items[1]?.createdWith).toEqual({ accessTokenId: kept.accessTokenId, name: 'kept' });
      await service.createAccessToken(inConsole(mary), { name: 'lapsing', expiresTime: inDays(clock, 0.5) });
      await service.regenerateAccessToken(fromKept, kept.accessTokenId, {});
      await service.deleteAccessToken(inConsole(mary), child.accessTokenId);
      await expect(service.deleteAccessToken(inConsole(joe), kept.accessTokenId)).rejects.toThrow();
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
      const page = await service.listAccessTokenEvents(inConsole(mary), { maxResults: 4 });
      expect((await service.listAccessTokenEvents(inConsole(mary), { nextToken: page.nextToken })).items).toHaveLength(3);
      expect(await log(service, joe)).toEqual([]);
      // A day's retention later, all of it is gone, the expiry (logged when the token expired) too.
      clock.now += DAY - 1;
      await service.purgeActivity(clock.now);
      expect(await log(service, mary)).toEqual([]);
    });

    it('logs a change made without a PAT as it came: from the console page, or from a script in local or proxy mode', async () => {
      const { service, mary } = await setUp();
      const python: Client = { address: '192.0.2.9', userAgent: 'Python-urllib/3.11' };
      const scripted = await service.createAccessToken({ user: mary, token: null, channel: 'LOCAL_API', client: python }, { name: 'scripted' });
      await service.deleteAccessToken({ user: mary, token: null, channel: 'PROXY_API', client: python }, scripted.accessTokenId);
      await service.createAccessToken(inConsole(mary), { name: 'clicked' });
      expect(await log(service, mary)).toEqual([
        ['CREATED', 'clicked', 'CONSOLE', null, '192.0.2.1', 'Mozilla/5.0'],
        ['DELETED', 'scripted', 'PROXY_API', null, '192.0.2.9', 'Python-urllib/3.11'],
        ['CREATED', 'scripted', 'LOCAL_API', null, '192.0.2.9', 'Python-urllib/3.11'],
      ]);
    });

    it("logs a token's first use from each client once, whichever server sees it, and at most its allowance a day", async () => {
      const { service, store, clock, mary, openStore } = await setUp();
      const other = serviceOver(await openStore().catch(() => store), clock);
      const laptop = await service.createAccessToken(inConsole(mary), { name: 'laptop' });
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
      const gone = await service.createAccessToken(inConsole(mary), { name: 'gone' });
      const rotated = await service.createAccessToken(inConsole(mary), { name: 'rotated' });
      // Expired, and not purged yet: its own row tells.
      const lapsed = await service.createAccessToken(inConsole(mary), { name: 'lapsed', expiresTime: new Date(clock.now + 10).toISOString() });
      await service.deleteAccessToken(inConsole(mary), gone.accessTokenId);
      await service.regenerateAccessToken(inConsole(mary), rotated.accessTokenId, {});
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

    describe('scopes (our extension)', () => {
      const ci: Client = { address: '10.1.2.3', userAgent: 'ci/1' };
      /** The caller a PAT makes, or the test fails. */
      async function callerWith(service: AccessTokenService, user: User, secret: string, client = ci): Promise<Caller & { token: StoredToken }> {
        const checked = await service.verify(secret, client);
        if (!checked.ok) throw new Error('the PAT was refused');
        return { user, token: checked.token, client };
      }
      const scopeRefusal = { errorType: 'AccessDeniedException', statusCode: 403, headers: { 'www-authenticate': 'Bearer error="insufficient_scope"' } };
      const refusals = async (service: AccessTokenService, user: User) =>
        (await service.listAccessTokenEvents(inConsole(user), {})).items
          .filter((event) => event.eventType.startsWith('REFUSED_'))
          .map((event) => [event.eventType, event.detail ?? null, event.sourceIpAddress]);

      it('gives a PAT made without a word on access everything, and writing implies reading', async () => {
        const { service, mary } = await setUp();
        await service.createAccessToken(inConsole(mary), { name: 'full' });
        await service.createAccessToken(inConsole(mary), { name: 'writer', access: { permissions: ['WRITE_REPOSITORIES'] } });
        expect((await service.listAccessTokens(inConsole(mary), {})).items.map((token) => [token.name, token.access])).toEqual([
          ['full', { permissions: ['READ_REPOSITORIES', 'WRITE_REPOSITORIES', 'MANAGE_ACCESS_TOKENS', 'READ_ACTIVITY'] }],
          ['writer', { permissions: ['READ_REPOSITORIES', 'WRITE_REPOSITORIES'] }],
        ]);
      });

      it('does only what its permissions allow: 403 with the scope challenge, each refusal logged once an hour', async () => {
        const { service, clock, mary } = await setUp();
        const reader = await service.createAccessToken(inConsole(mary), { name: 'reader', access: { permissions: ['READ_REPOSITORIES'] } });
        const asReader = await callerWith(service, mary, reader.secret);
        await expect(service.listAccessTokens(asReader, {})).rejects.toMatchObject(scopeRefusal);
        await expect(service.createAccessToken(asReader, { name: 'more' })).rejects.toMatchObject(scopeRefusal);
        await expect(service.deleteAccessToken(asReader, reader.accessTokenId)).rejects.toMatchObject(scopeRefusal);
        await expect(service.regenerateAccessToken(asReader, reader.accessTokenId, {})).rejects.toMatchObject(scopeRefusal);
        await expect(service.listAccessTokenEvents(asReader, {})).rejects.toMatchObject(scopeRefusal);
        expect(await service.readableRepositories(asReader, [{ name: 'notes' }])).toEqual([{ name: 'notes' }]);
        expect(await service.decideRepository(asReader.token, ci, 'notes', false)).toEqual({ ok: true });
        expect(await service.decideRepository(asReader.token, ci, 'notes', true)).toEqual({
          ok: false,
          refused: 'permission',
          message: 'This PAT can only read repositories: push with a PAT that may write them.',
        });
        await service.decideRepository(asReader.token, ci, 'notes', true);
        expect(await refusals(service, mary)).toEqual([
          ['REFUSED_PERMISSION', 'WRITE_REPOSITORIES', '10.1.2.3'],
          ['REFUSED_PERMISSION', 'READ_ACTIVITY', '10.1.2.3'],
          ['REFUSED_PERMISSION', 'MANAGE_ACCESS_TOKENS', '10.1.2.3'],
        ]);
        clock.now += 60 * 60_000;
        await service.decideRepository(asReader.token, ci, 'notes', true);
        expect(await refusals(service, mary)).toHaveLength(4);
        expect(await service.decideRepository(asReader.token, ci, 'notes', false)).toEqual({ ok: true });

        const manager = await service.createAccessToken(inConsole(mary), { name: 'manager', access: { permissions: ['MANAGE_ACCESS_TOKENS'] } });
        const asManager = await callerWith(service, mary, manager.secret);
        expect(await service.decideRepository(asManager.token, ci, 'notes', false)).toMatchObject({ ok: false, refused: 'permission' });
        await expect(service.readableRepositories(asManager, [])).rejects.toMatchObject(scopeRefusal);
        expect((await service.listAccessTokens(asManager, {})).items).toHaveLength(2);
      });

      it('opens only its repositories, from its networks (IPv4, IPv6 and IPv4-mapped), refusing the rest as a wrong PAT', async () => {
        const { service, mary } = await setUp();
        const scoped = await service.createAccessToken(inConsole(mary), {
          name: 'scoped',
          access: { permissions: ['READ_REPOSITORIES', 'WRITE_REPOSITORIES'], repositories: ['notes', 'site', 'notes'], networks: ['10.0.0.0/8', '2001:db8::1/32'] },
        });
        expect((await service.listAccessTokens(inConsole(mary), {})).items[0]?.access).toEqual({
          permissions: ['READ_REPOSITORIES', 'WRITE_REPOSITORIES'],
          repositories: ['notes', 'site'],
          networks: ['10.0.0.0/8', '2001:db8::/32'],
        });
        for (const address of ['10.1.2.3', '::ffff:10.9.9.9', '2001:db8:5::7']) {
          expect(await service.verify(scoped.secret, { address, userAgent: null })).toMatchObject({ ok: true });
        }
        const outside = await service.verify(scoped.secret, { address: '192.0.2.1', userAgent: null });
        expect(outside).toMatchObject({ ok: false, reason: 'invalid' });
        if (!outside.ok) await outside.logRefusal();
        const token = (await callerWith(service, mary, scoped.secret)).token;
        expect(await service.decideRepository(token, ci, 'site', true)).toEqual({ ok: true });
        expect(await service.decideRepository(token, ci, 'other', false)).toEqual({ ok: false, refused: 'repository', message: 'Repository not found.' });
        expect(await service.decideRepository(token, ci, undefined, false)).toMatchObject({ ok: false, refused: 'repository' });
        expect(await service.readableRepositories(inConsole(mary), [{ name: 'notes' }, { name: 'other' }])).toHaveLength(2);
        expect(await service.readableRepositories({ user: mary, token, client: ci }, [{ name: 'notes' }, { name: 'other' }])).toEqual([{ name: 'notes' }]);
        expect(await refusals(service, mary)).toEqual([
          ['REFUSED_REPOSITORY', null, '10.1.2.3'],
          ['REFUSED_REPOSITORY', 'other', '10.1.2.3'],
          ['REFUSED_NETWORK', null, '192.0.2.1'],
        ]);
        for (const access of [{ permissions: ['READ_REPOSITORIES'], networks: ['10.0.0.0/33'] }, { permissions: ['READ_REPOSITORIES'], networks: ['0x7f.1'] }, { permissions: ['READ_REPOSITORIES'], repositories: ['../x'] }]) {
          await expect(service.createAccessToken(inConsole(mary), { name: 'bad', access })).rejects.toMatchObject({ errorType: 'ValidationException' });
        }
      });

      it('never lets a PAT give more than it has, nor a later expiry, on create or on regenerate', async () => {
        const { service, clock, mary } = await setUp();
        const full = await service.createAccessToken(inConsole(mary), { name: 'full' });
        const access = { permissions: ['READ_REPOSITORIES', 'MANAGE_ACCESS_TOKENS'], repositories: ['a', 'b'], networks: ['10.0.0.0/8'] } as const;
        const manager = await service.createAccessToken(inConsole(mary), { name: 'manager', expiresTime: inDays(clock, 30), access: { ...access, permissions: [...access.permissions], repositories: [...access.repositories], networks: [...access.networks] } });
        const asManager = await callerWith(service, mary, manager.secret);
        // Without a word on access or expiry: all the manager has, and no later than it.
        const child = await service.createAccessToken(asManager, { name: 'child' });
        expect(child.expiresTime).toBe(inDays(clock, 30));
        expect((await service.listAccessTokens(inConsole(mary), {})).items[2]?.access).toEqual(access);
        const narrower = { permissions: ['READ_REPOSITORIES'], repositories: ['a'], networks: ['10.1.0.0/16'] };
        expect((await service.createAccessToken(asManager, { name: 'narrower', access: narrower })).name).toBe('narrower');
        for (const wider of [
          { permissions: ['WRITE_REPOSITORIES'], repositories: ['a'], networks: ['10.0.0.0/8'] },
          { permissions: ['READ_REPOSITORIES'], repositories: ['c'], networks: ['10.0.0.0/8'] },
          { permissions: ['READ_REPOSITORIES'], networks: ['10.0.0.0/8'] },
          { permissions: ['READ_REPOSITORIES'], repositories: ['a'] },
          { permissions: ['READ_REPOSITORIES'], repositories: ['a'], networks: ['0.0.0.0/0'] },
        ]) {
          await expect(service.createAccessToken(asManager, { name: 'wider', access: wider })).rejects.toMatchObject(scopeRefusal);
        }
        await expect(service.createAccessToken(asManager, { name: 'later', expiresTime: inDays(clock, 31) })).rejects.toMatchObject(scopeRefusal);
        // Regenerating a PAT with more access than the manager would hand the manager that access.
        await expect(service.regenerateAccessToken(asManager, full.accessTokenId, {})).rejects.toMatchObject(scopeRefusal);
        expect((await service.regenerateAccessToken(asManager, child.accessTokenId, { access: narrower })).expiresTime).toBe(inDays(clock, 30));
        // Nobody widens a PAT on Regenerate, the console included; it may narrow.
        await expect(service.regenerateAccessToken(inConsole(mary), child.accessTokenId, { access: access })).rejects.toMatchObject(scopeRefusal);
        await service.regenerateAccessToken(inConsole(mary), full.accessTokenId, { access: { permissions: ['READ_ACTIVITY'] } });
        const listed = (await service.listAccessTokens(inConsole(mary), {})).items;
        expect(listed.map((token) => [token.name, token.access?.permissions])).toEqual([
          ['full', ['READ_ACTIVITY']],
          ['manager', access.permissions],
          ['child', ['READ_REPOSITORIES']],
          ['narrower', ['READ_REPOSITORIES']],
        ]);
      });
    });
  });
}
