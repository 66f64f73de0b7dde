import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, inject } from 'vitest';
import { createDatabase } from '../testing/postgres-support';
import { testStorage } from '../testing/test-support';
import { openPostgresTokenStore } from './postgres-token-store';
import { openSqliteTokenStore } from './sqlite-token-store';
import type { Actor, Client, CreateTokenInput, StoredToken, TokenStore } from './token-store';

const DAY = 24 * 60 * 60 * 1000;
const opened: TokenStore[] = [];

/** A place for a database, opened as often as a test likes: a SQLite file, or a PostgreSQL database. */
async function newStore(): Promise<() => Promise<TokenStore>> {
  const open =
    testStorage === 'postgres'
      ? await createDatabase(inject('postgresUrl')).then((url) => () => openPostgresTokenStore(url))
      : ((path) => async () => openSqliteTokenStore(path))(join(mkdtempSync(join(tmpdir(), 'pat-console-')), 'db.sqlite'));
  return async () => {
    const store = await open();
    opened.push(store);
    return store;
  };
}

/** A token the test needs made (the quota aside): what the store stored, or the test fails. */
async function mustCreate(store: TokenStore, input: Omit<CreateTokenInput, 'maxLiveTokens'>): Promise<StoredToken> {
  const result = await store.createToken({ ...input, maxLiveTokens: 100 });
  if (!result.ok) throw new Error('create failed');
  return result.token;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close().catch(() => undefined)));
});

describe(`the ${testStorage} store`, () => {
  it('applies its migrations once, and keeps users, tokens and the signing key across restarts', async () => {
    const open = await newStore();
    const first = await open();
    const user = await first.userByName('mary');
    const now = Date.now();
    await first.createToken({ userId: user.id, name: 'kept', digest: 'd', expiresAt: now + DAY, now, maxLiveTokens: 100 });
    const key = await first.signingKey();
    await first.close();

    const second = await open();
    expect((await second.userByName('mary')).id).toBe(user.id);
    expect((await second.listTokens(user.id, Date.now(), 10, undefined)).items.map((token) => token.name)).toEqual(['kept']);
    expect((await second.signingKey()).equals(key)).toBe(true);
    expect(key).toHaveLength(32);
  });

  it('answers every read from the database: writes show at once, deleted and expired tokens are gone', async () => {
    const store = await (await newStore())();
    const user = await store.userByName('mary');
    const now = Date.now();
    const create = (name: string, expiresAt = now + DAY) =>
      store.createToken({ userId: user.id, name, digest: `digest-${name}`, expiresAt, now, maxLiveTokens: 100 });
    const names = async (at = Date.now()) => (await store.listTokens(user.id, at, 10, undefined)).items.map((token) => token.name);
    await create('a');
    expect(await names()).toEqual(['a']);
    const b = await create('b');
    expect(await names()).toEqual(['a', 'b']);
    if (!b.ok) throw new Error('create failed');
    expect((await store.findByDigest('digest-b', Date.now()))?.user).toEqual(user);
    expect(await store.deleteToken({ userId: user.id, id: b.token.id, now: Date.now() })).toBe(true);
    expect(await store.deleteToken({ userId: user.id, id: b.token.id, now: Date.now() })).toBe(false);
    expect(await names()).toEqual(['a']);
    expect(await store.findByDigest('digest-b', Date.now())).toBeUndefined();
    expect(await names(now + 2 * DAY)).toEqual([]);
    expect(await store.findByDigest('digest-a', now + 2 * DAY)).toBeUndefined();
  });

  it("regenerates a user's live token in place: a new digest and expiry, the same id, name and order", async () => {
    const store = await (await newStore())();
    const [mary, joe] = [await store.userByName('mary'), await store.userByName('joe')];
    const now = Date.now();
    const create = (name: string, expiresAt = now + DAY) =>
      mustCreate(store, { userId: mary.id, name, digest: `digest-${name}`, expiresAt, now });
    const [first, second] = [await create('first'), await create('second')];
    expect((await store.findByDigest('digest-first', now))?.token.id).toBe(first.id);
    const regenerated = await store.regenerateToken({ userId: mary.id, id: first.id, digest: 'digest-new', expiresAt: now + 3 * DAY, now });
    expect(regenerated).toMatchObject({ id: first.id, name: 'first', seq: first.seq, expiresAt: now + 3 * DAY });
    expect(await store.findByDigest('digest-first', now)).toBeUndefined();
    expect((await store.findByDigest('digest-new', now))?.token.id).toBe(first.id);
    const listed = (await store.listTokens(mary.id, now, 10, undefined)).items;
    expect(listed.map((token) => [token.name, token.expiresAt])).toEqual([['first', now + 3 * DAY], ['second', now + DAY]]);
    // Another user's token, an unknown one and an expired one are not there to regenerate.
    expect(await store.regenerateToken({ userId: joe.id, id: second.id, digest: 'digest-joe', expiresAt: now + DAY, now })).toBeUndefined();
    expect(await store.regenerateToken({ userId: mary.id, id: 'no-such-token', digest: 'digest-x', expiresAt: now + DAY, now })).toBeUndefined();
    expect(await store.regenerateToken({ userId: mary.id, id: second.id, digest: 'digest-late', expiresAt: now + 5 * DAY, now: now + 2 * DAY })).toBeUndefined();
    expect((await store.findByDigest('digest-second', now))?.token.id).toBe(second.id);
  });

  it("pages in creation order, and never lists or deletes another user's tokens", async () => {
    const store = await (await newStore())();
    const mary = await store.userByName('mary');
    const john = await store.userByName('john');
    const now = Date.now();
    for (const name of ['1', '2', '3', '4', '5']) {
      await store.createToken({ userId: mary.id, name, digest: `m${name}`, expiresAt: now + DAY, now, maxLiveTokens: 100 });
    }
    const other = await store.createToken({ userId: john.id, name: 'j', digest: 'j', expiresAt: now + DAY, now, maxLiveTokens: 100 });
    const first = await store.listTokens(mary.id, now, 2, undefined);
    expect(first.items.map((token) => token.name)).toEqual(['1', '2']);
    const second = await store.listTokens(mary.id, now, 2, first.next);
    expect(second.items.map((token) => token.name)).toEqual(['3', '4']);
    const last = await store.listTokens(mary.id, now, 2, second.next);
    expect(last).toEqual({ items: [expect.objectContaining({ name: '5' })], next: undefined });
    if (!other.ok) throw new Error('create failed');
    expect(await store.deleteToken({ userId: mary.id, id: other.token.id, now: Date.now() })).toBe(false);
    expect((await store.listTokens(john.id, now, 10, undefined)).items).toHaveLength(1);
  });

  it('refuses a create past the live-token limit, counting only live tokens', async () => {
    const store = await (await newStore())();
    const user = await store.userByName('mary');
    const now = Date.now();
    const create = (name: string, expiresAt = now + DAY) =>
      store.createToken({ userId: user.id, name, digest: name, expiresAt, now, maxLiveTokens: 2 });
    await create('expired', now - 1);
    expect((await create('a')).ok).toBe(true);
    expect((await create('b')).ok).toBe(true);
    expect(await create('c')).toEqual({ ok: false, reason: 'quota' });
  });

  it('records a use at most once per resolution, whichever server asks', async () => {
    const open = await newStore();
    const [one, two] = [await open(), await open().catch(() => undefined)];
    const store = two ?? one;
    const user = await one.userByName('mary');
    const now = Date.now();
    await mustCreate(one, { userId: user.id, name: 'a', digest: 'a', expiresAt: now + DAY, now });
    const found = async (from: TokenStore) => {
      const token = (await from.findByDigest('a', now))?.token;
      if (!token) throw new Error('token not found');
      return token;
    };
    await store.touchLastUsed(await found(store), now, 60_000);
    expect((await found(one)).lastUsedAt).toBe(now);
    await one.touchLastUsed(await found(one), now + 30_000, 60_000);
    expect((await found(one)).lastUsedAt).toBe(now);
    await store.touchLastUsed(await found(store), now + 60_000, 60_000);
    expect((await found(one)).lastUsedAt).toBe(now + 60_000);
  });

  it('purges expired tokens and answers the health check', async () => {
    const store = await (await newStore())();
    const user = await store.userByName('mary');
    const now = Date.now();
    await store.createToken({ userId: user.id, name: 'old', digest: 'old', expiresAt: now - 1, now: now - 2, maxLiveTokens: 100 });
    await store.createToken({ userId: user.id, name: 'new', digest: 'new', expiresAt: now + DAY, now, maxLiveTokens: 100 });
    expect(await store.purgeExpired(now)).toBe(1);
    expect(await store.purgeExpired(now)).toBe(0);
    expect(await store.ping()).toBe(true);
  });

  describe('activity log', () => {
    const laptop = { id: 'laptop-id', name: 'laptop' };
    const fromConsole: Actor = { via: null, address: '192.0.2.1', userAgent: 'Mozilla/5.0' };
    const fromLaptop: Actor = { via: laptop, address: '198.51.100.7', userAgent: 'aws-cli/2.15.0' };
    const summary = (page: Awaited<ReturnType<TokenStore['listActivity']>>) =>
      page.items.map((entry) => [entry.type, entry.token.name, entry.via?.name ?? null, entry.address, entry.userAgent]);

    it('logs each change in the same transaction, newest first, per user, and forgets entries past the retention', async () => {
      const store = await (await newStore())();
      const [mary, joe] = [await store.userByName('mary'), await store.userByName('joe')];
      const now = Date.now();
      const create = (name: string, expiresAt: number, actor = fromConsole) =>
        mustCreate(store, { userId: mary.id, name, digest: `d-${name}`, expiresAt, now, actor });
      const kept = await create('kept', now + 10 * DAY);
      const child = await create('child', now + 10 * DAY, fromLaptop);
      await create('lapsing', now + DAY);
      expect(child.createdWith).toEqual(laptop);
      await store.regenerateToken({ userId: mary.id, id: kept.id, digest: 'd-kept-2', expiresAt: now + 5 * DAY, now: now + 1, actor: fromLaptop });
      expect(await store.deleteToken({ userId: mary.id, id: child.id, now: now + 2, actor: fromConsole })).toBe(true);
      // Nothing is logged for what did not happen: another user's token, an unknown one.
      expect(await store.deleteToken({ userId: joe.id, id: kept.id, now: now + 3, actor: fromConsole })).toBe(false);
      expect(await store.regenerateToken({ userId: mary.id, id: 'nope', digest: 'x', expiresAt: now + DAY, now, actor: fromConsole })).toBeUndefined();
      expect(await store.purgeExpired(now + 2 * DAY)).toBe(1);

      const log = await store.listActivity(mary.id, 10, undefined);
      expect(summary(log)).toEqual([
        ['EXPIRED', 'lapsing', null, null, null],
        ['DELETED', 'child', null, '192.0.2.1', 'Mozilla/5.0'],
        ['REGENERATED', 'kept', 'laptop', '198.51.100.7', 'aws-cli/2.15.0'],
        ['CREATED', 'lapsing', null, '192.0.2.1', 'Mozilla/5.0'],
        ['CREATED', 'child', 'laptop', '198.51.100.7', 'aws-cli/2.15.0'],
        ['CREATED', 'kept', null, '192.0.2.1', 'Mozilla/5.0'],
      ]);
      expect(log.items[0]).toMatchObject({ time: now + DAY, token: { name: 'lapsing' } });
      expect(log.items[1]).toMatchObject({ time: now + 2, token: { id: child.id } });
      expect(log.next).toBeUndefined();
      const first = await store.listActivity(mary.id, 4, undefined);
      expect(first.items).toHaveLength(4);
      expect(summary(await store.listActivity(mary.id, 4, first.next))).toEqual(summary(log).slice(4));
      expect((await store.listActivity(joe.id, 10, undefined)).items).toEqual([]);

      // Retention: what happened before the cut is gone, what came after stays.
      expect(await store.purgeActivity(now + 2)).toBe(4);
      expect(summary(await store.listActivity(mary.id, 10, undefined))).toEqual(summary(log).slice(0, 2));
    });

    it("logs a token's first use from each address and client once, whichever server records it", async () => {
      const open = await newStore();
      const [one, two] = [await open(), await open().catch(() => undefined)];
      const other = two ?? one;
      const mary = await one.userByName('mary');
      const now = Date.now();
      const laptop = await mustCreate(one, { userId: mary.id, name: 'laptop', digest: 'd', expiresAt: now + DAY, now });
      const git = { address: '198.51.100.7', userAgent: 'git/2.39.5' };
      await one.recordUse(laptop, git, now, { count: 20, windowMs: DAY });
      await other.recordUse(laptop, git, now + 1, { count: 20, windowMs: DAY });
      await other.recordUse(laptop, { ...git, userAgent: 'aws-cli/2.15.0' }, now + 2, { count: 20, windowMs: DAY });
      await one.recordUse(laptop, { address: '203.0.113.9', userAgent: null }, now + 3, { count: 20, windowMs: DAY });
      await other.recordUse(laptop, { address: '203.0.113.9', userAgent: null }, now + 4, { count: 20, windowMs: DAY });
      expect(summary(await one.listActivity(mary.id, 10, undefined))).toEqual([
        ['USED_FROM_NEW_CLIENT', 'laptop', 'laptop', '203.0.113.9', null],
        ['USED_FROM_NEW_CLIENT', 'laptop', 'laptop', '198.51.100.7', 'aws-cli/2.15.0'],
        ['USED_FROM_NEW_CLIENT', 'laptop', 'laptop', '198.51.100.7', 'git/2.39.5'],
        ['CREATED', 'laptop', null, null, null],
      ]);
    });

    it('logs at most its allowance of new clients of a token a day, however many User-Agents it sends', async () => {
      const store = await (await newStore())();
      const mary = await store.userByName('mary');
      const now = Date.now();
      const laptop = await mustCreate(store, { userId: mary.id, name: 'laptop', digest: 'd', expiresAt: now + 3 * DAY, now });
      for (let index = 0; index < 30; index += 1) await store.recordUse(laptop, { address: '203.0.113.9', userAgent: `evil-${index}` }, now + index, { count: 5, windowMs: DAY });
      const newClients = async () =>
        summary(await store.listActivity(mary.id, 100, undefined)).filter(([type]) => type === 'USED_FROM_NEW_CLIENT').length;
      expect(await newClients()).toBe(5);
      // A day later, a new allowance.
      await store.recordUse(laptop, { address: '203.0.113.9', userAgent: 'next-day' }, now + DAY + 100, { count: 5, windowMs: DAY });
      expect(await newClients()).toBe(6);
    });

    it('logs a refused use of a deleted, replaced or expired secret once per client address in the quiet time, and forgets the secret with the retention', async () => {
      const store = await (await newStore())();
      const mary = await store.userByName('mary');
      const now = Date.now();
      const create = (name: string, expiresAt = now + DAY) =>
        mustCreate(store, { userId: mary.id, name, digest: `d-${name}`, expiresAt, now });
      const [gone, rotated] = [await create('gone'), await create('rotated')];
      // Expired, and not purged yet: its own row tells.
      await create('lapsed', now + 10);
      await store.deleteToken({ userId: mary.id, id: gone.id, now });
      await store.regenerateToken({ userId: mary.id, id: rotated.id, digest: 'd-rotated-2', expiresAt: now + DAY, now });
      const ci: Client = { address: '203.0.113.9', userAgent: 'ci/1' };
      const refused = (digest: string, at: number, client = ci) => store.recordRefusedUse(digest, client, at, 60_000);
      await refused('d-gone', now + 100);
      await refused('d-gone', now + 200);
      // Another User-Agent from the same address is the same client: still quiet.
      for (let index = 0; index < 50; index += 1) await refused('d-gone', now + 300 + index, { ...ci, userAgent: `evil-${index}` });
      await refused('d-gone', now + 360, { address: '198.51.100.7', userAgent: null });
      await refused('d-rotated', now + 400);
      await refused('d-lapsed', now + 500);
      await refused('d-never-issued', now + 600);
      await refused('d-gone', now + 60_200);
      const refusals = async () => summary(await store.listActivity(mary.id, 20, undefined)).filter(([type]) => String(type).endsWith('_USED'));
      expect(await refusals()).toEqual([
        ['DELETED_TOKEN_USED', 'gone', 'gone', '203.0.113.9', 'ci/1'],
        ['EXPIRED_TOKEN_USED', 'lapsed', 'lapsed', '203.0.113.9', 'ci/1'],
        ['REPLACED_SECRET_USED', 'rotated', 'rotated', '203.0.113.9', 'ci/1'],
        ['DELETED_TOKEN_USED', 'gone', 'gone', '198.51.100.7', null],
        ['DELETED_TOKEN_USED', 'gone', 'gone', '203.0.113.9', 'ci/1'],
      ]);
      // Past the retention, a retired secret is forgotten like one never issued.
      await store.purgeActivity(now + 70_000);
      await refused('d-rotated', now + 80_000);
      expect(await refusals()).toEqual([]);
    });
  });
});
