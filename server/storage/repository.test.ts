import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, inject } from 'vitest';
import { createDatabase } from '../testing/postgres-support';
import { testStorage } from '../testing/test-support';
import { openPostgresRepository } from './postgres-repository';
import type { Actor, Client, CreateTokenInput, StoredToken, TokenRepository } from './repository';
import { openSqliteRepository } from './sqlite-repository';

const DAY = 24 * 60 * 60 * 1000;
const opened: TokenRepository[] = [];

/** A place for a database, opened as often as a test likes: a SQLite file, or a PostgreSQL database. */
async function newStore(): Promise<() => Promise<TokenRepository>> {
  const open =
    testStorage === 'postgres'
      ? await createDatabase(inject('postgresUrl')).then((url) => () => openPostgresRepository(url))
      : ((path) => async () => openSqliteRepository(path))(join(mkdtempSync(join(tmpdir(), 'pat-console-')), 'db.sqlite'));
  return async () => {
    const repository = await open();
    opened.push(repository);
    return repository;
  };
}

/** A token the test needs made (the quota aside): what the repository stored, or the test fails. */
async function mustCreate(repository: TokenRepository, input: Omit<CreateTokenInput, 'maxLiveTokens'>): Promise<StoredToken> {
  const result = await repository.createToken({ ...input, maxLiveTokens: 100 });
  if (!result.ok) throw new Error('create failed');
  return result.token;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((repository) => repository.close().catch(() => undefined)));
});

describe(`the ${testStorage} repository`, () => {
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
    const repository = await (await newStore())();
    const user = await repository.userByName('mary');
    const now = Date.now();
    const create = (name: string, expiresAt = now + DAY) =>
      repository.createToken({ userId: user.id, name, digest: `digest-${name}`, expiresAt, now, maxLiveTokens: 100 });
    const names = async (at = Date.now()) => (await repository.listTokens(user.id, at, 10, undefined)).items.map((token) => token.name);
    await create('a');
    expect(await names()).toEqual(['a']);
    const b = await create('b');
    expect(await names()).toEqual(['a', 'b']);
    if (!b.ok) throw new Error('create failed');
    expect((await repository.findByDigest('digest-b', Date.now()))?.user).toEqual(user);
    expect(await repository.deleteToken({ userId: user.id, id: b.token.id, now: Date.now() })).toBe(true);
    expect(await repository.deleteToken({ userId: user.id, id: b.token.id, now: Date.now() })).toBe(false);
    expect(await names()).toEqual(['a']);
    expect(await repository.findByDigest('digest-b', Date.now())).toBeUndefined();
    expect(await names(now + 2 * DAY)).toEqual([]);
    expect(await repository.findByDigest('digest-a', now + 2 * DAY)).toBeUndefined();
  });

  it("regenerates a user's live token in place: a new digest and expiry, the same id, name and order", async () => {
    const repository = await (await newStore())();
    const [mary, joe] = [await repository.userByName('mary'), await repository.userByName('joe')];
    const now = Date.now();
    const create = (name: string, expiresAt = now + DAY) =>
      mustCreate(repository, { userId: mary.id, name, digest: `digest-${name}`, expiresAt, now });
    const [first, second] = [await create('first'), await create('second')];
    expect((await repository.findByDigest('digest-first', now))?.token.id).toBe(first.id);
    const regenerated = await repository.regenerateToken({ userId: mary.id, id: first.id, digest: 'digest-new', expiresAt: now + 3 * DAY, now });
    expect(regenerated).toMatchObject({ id: first.id, name: 'first', seq: first.seq, expiresAt: now + 3 * DAY });
    expect(await repository.findByDigest('digest-first', now)).toBeUndefined();
    expect((await repository.findByDigest('digest-new', now))?.token.id).toBe(first.id);
    const listed = (await repository.listTokens(mary.id, now, 10, undefined)).items;
    expect(listed.map((token) => [token.name, token.expiresAt])).toEqual([['first', now + 3 * DAY], ['second', now + DAY]]);
    // Another user's token, an unknown one and an expired one are not there to regenerate.
    expect(await repository.regenerateToken({ userId: joe.id, id: second.id, digest: 'digest-joe', expiresAt: now + DAY, now })).toBeUndefined();
    expect(await repository.regenerateToken({ userId: mary.id, id: 'no-such-token', digest: 'digest-x', expiresAt: now + DAY, now })).toBeUndefined();
    expect(await repository.regenerateToken({ userId: mary.id, id: second.id, digest: 'digest-late', expiresAt: now + 5 * DAY, now: now + 2 * DAY })).toBeUndefined();
    expect((await repository.findByDigest('digest-second', now))?.token.id).toBe(second.id);
  });

  it("pages in creation order, and never lists or deletes another user's tokens", async () => {
    const repository = await (await newStore())();
    const mary = await repository.userByName('mary');
    const john = await repository.userByName('john');
    const now = Date.now();
    for (const name of ['1', '2', '3', '4', '5']) {
      await repository.createToken({ userId: mary.id, name, digest: `m${name}`, expiresAt: now + DAY, now, maxLiveTokens: 100 });
    }
    const other = await repository.createToken({ userId: john.id, name: 'j', digest: 'j', expiresAt: now + DAY, now, maxLiveTokens: 100 });
    const first = await repository.listTokens(mary.id, now, 2, undefined);
    expect(first.items.map((token) => token.name)).toEqual(['1', '2']);
    const second = await repository.listTokens(mary.id, now, 2, first.next);
    expect(second.items.map((token) => token.name)).toEqual(['3', '4']);
    const last = await repository.listTokens(mary.id, now, 2, second.next);
    expect(last).toEqual({ items: [expect.objectContaining({ name: '5' })], next: undefined });
    if (!other.ok) throw new Error('create failed');
    expect(await repository.deleteToken({ userId: mary.id, id: other.token.id, now: Date.now() })).toBe(false);
    expect((await repository.listTokens(john.id, now, 10, undefined)).items).toHaveLength(1);
  });

  it('refuses a create past the live-token limit, counting only live tokens', async () => {
    const repository = await (await newStore())();
    const user = await repository.userByName('mary');
    const now = Date.now();
    const create = (name: string, expiresAt = now + DAY) =>
      repository.createToken({ userId: user.id, name, digest: name, expiresAt, now, maxLiveTokens: 2 });
    await create('expired', now - 1);
    expect((await create('a')).ok).toBe(true);
    expect((await create('b')).ok).toBe(true);
    expect(await create('c')).toEqual({ ok: false, reason: 'quota' });
  });

  it('records a use at most once per resolution, whichever server asks', async () => {
    const open = await newStore();
    const [one, two] = [await open(), await open().catch(() => undefined)];
    const repository = two ?? one;
    const user = await one.userByName('mary');
    const now = Date.now();
    await mustCreate(one, { userId: user.id, name: 'a', digest: 'a', expiresAt: now + DAY, now });
    const found = async (from: TokenRepository) => {
      const token = (await from.findByDigest('a', now))?.token;
      if (!token) throw new Error('token not found');
      return token;
    };
    await repository.touchLastUsed(await found(repository), now, 60_000);
    expect((await found(one)).lastUsedAt).toBe(now);
    await one.touchLastUsed(await found(one), now + 30_000, 60_000);
    expect((await found(one)).lastUsedAt).toBe(now);
    await repository.touchLastUsed(await found(repository), now + 60_000, 60_000);
    expect((await found(one)).lastUsedAt).toBe(now + 60_000);
  });

  it('purges expired tokens and answers the health check', async () => {
    const repository = await (await newStore())();
    const user = await repository.userByName('mary');
    const now = Date.now();
    await repository.createToken({ userId: user.id, name: 'old', digest: 'old', expiresAt: now - 1, now: now - 2, maxLiveTokens: 100 });
    await repository.createToken({ userId: user.id, name: 'new', digest: 'new', expiresAt: now + DAY, now, maxLiveTokens: 100 });
    expect(await repository.purgeExpired(now)).toBe(1);
    expect(await repository.purgeExpired(now)).toBe(0);
    expect(await repository.ping()).toBe(true);
  });

  describe('activity log', () => {
    const laptop = { id: 'laptop-id', name: 'laptop' };
    const fromConsole: Actor = { via: null, address: '192.0.2.1', userAgent: 'Mozilla/5.0' };
    const fromLaptop: Actor = { via: laptop, address: '198.51.100.7', userAgent: 'aws-cli/2.15.0' };
    const summary = (page: Awaited<ReturnType<TokenRepository['listActivity']>>) =>
      page.items.map((entry) => [entry.type, entry.token.name, entry.via?.name ?? null, entry.address, entry.userAgent]);

    it('logs each change in the same transaction, newest first, per user, and forgets entries past the retention', async () => {
      const repository = await (await newStore())();
      const [mary, joe] = [await repository.userByName('mary'), await repository.userByName('joe')];
      const now = Date.now();
      const create = (name: string, expiresAt: number, actor = fromConsole) =>
        mustCreate(repository, { userId: mary.id, name, digest: `d-${name}`, expiresAt, now, actor });
      const kept = await create('kept', now + 10 * DAY);
      const child = await create('child', now + 10 * DAY, fromLaptop);
      await create('lapsing', now + DAY);
      expect(child.createdWith).toEqual(laptop);
      await repository.regenerateToken({ userId: mary.id, id: kept.id, digest: 'd-kept-2', expiresAt: now + 5 * DAY, now: now + 1, actor: fromLaptop });
      expect(await repository.deleteToken({ userId: mary.id, id: child.id, now: now + 2, actor: fromConsole })).toBe(true);
      // Nothing is logged for what did not happen: another user's token, an unknown one.
      expect(await repository.deleteToken({ userId: joe.id, id: kept.id, now: now + 3, actor: fromConsole })).toBe(false);
      expect(await repository.regenerateToken({ userId: mary.id, id: 'nope', digest: 'x', expiresAt: now + DAY, now, actor: fromConsole })).toBeUndefined();
      expect(await repository.purgeExpired(now + 2 * DAY)).toBe(1);

      const log = await repository.listActivity(mary.id, 10, undefined);
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
      const first = await repository.listActivity(mary.id, 4, undefined);
      expect(first.items).toHaveLength(4);
      expect(summary(await repository.listActivity(mary.id, 4, first.next))).toEqual(summary(log).slice(4));
      expect((await repository.listActivity(joe.id, 10, undefined)).items).toEqual([]);

      // Retention: what happened before the cut is gone, what came after stays.
      expect(await repository.purgeActivity(now + 2)).toBe(4);
      expect(summary(await repository.listActivity(mary.id, 10, undefined))).toEqual(summary(log).slice(0, 2));
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
      const repository = await (await newStore())();
      const mary = await repository.userByName('mary');
      const now = Date.now();
      const laptop = await mustCreate(repository, { userId: mary.id, name: 'laptop', digest: 'd', expiresAt: now + 3 * DAY, now });
      for (let index = 0; index < 30; index += 1) await repository.recordUse(laptop, { address: '203.0.113.9', userAgent: `evil-${index}` }, now + index, { count: 5, windowMs: DAY });
      const newClients = async () =>
        summary(await repository.listActivity(mary.id, 100, undefined)).filter(([type]) => type === 'USED_FROM_NEW_CLIENT').length;
      expect(await newClients()).toBe(5);
      // A day later, a new allowance.
      await repository.recordUse(laptop, { address: '203.0.113.9', userAgent: 'next-day' }, now + DAY + 100, { count: 5, windowMs: DAY });
      expect(await newClients()).toBe(6);
    });

    it('logs a refused use of a deleted, replaced or expired secret once per client address in the quiet time, and forgets the secret with the retention', async () => {
      const repository = await (await newStore())();
      const mary = await repository.userByName('mary');
      const now = Date.now();
      const create = (name: string, expiresAt = now + DAY) =>
        mustCreate(repository, { userId: mary.id, name, digest: `d-${name}`, expiresAt, now });
      const [gone, rotated] = [await create('gone'), await create('rotated')];
      // Expired, and not purged yet: its own row tells.
      await create('lapsed', now + 10);
      await repository.deleteToken({ userId: mary.id, id: gone.id, now });
      await repository.regenerateToken({ userId: mary.id, id: rotated.id, digest: 'd-rotated-2', expiresAt: now + DAY, now });
      const ci: Client = { address: '203.0.113.9', userAgent: 'ci/1' };
      const refused = (digest: string, at: number, client = ci) => repository.recordRefusedUse(digest, client, at, 60_000);
      await refused('d-gone', now + 100);
      await refused('d-gone', now + 200);
      // Another User-Agent from the same address is the same client: still quiet.
      for (let index = 0; index < 50; index += 1) await refused('d-gone', now + 300 + index, { ...ci, userAgent: `evil-${index}` });
      await refused('d-gone', now + 360, { address: '198.51.100.7', userAgent: null });
      await refused('d-rotated', now + 400);
      await refused('d-lapsed', now + 500);
      await refused('d-never-issued', now + 600);
      await refused('d-gone', now + 60_200);
      const refusals = async () => summary(await repository.listActivity(mary.id, 20, undefined)).filter(([type]) => String(type).endsWith('_USED'));
      expect(await refusals()).toEqual([
        ['DELETED_TOKEN_USED', 'gone', 'gone', '203.0.113.9', 'ci/1'],
        ['EXPIRED_TOKEN_USED', 'lapsed', 'lapsed', '203.0.113.9', 'ci/1'],
        ['REPLACED_SECRET_USED', 'rotated', 'rotated', '203.0.113.9', 'ci/1'],
        ['DELETED_TOKEN_USED', 'gone', 'gone', '198.51.100.7', null],
        ['DELETED_TOKEN_USED', 'gone', 'gone', '203.0.113.9', 'ci/1'],
      ]);
      // Past the retention, a retired secret is forgotten like one never issued.
      await repository.purgeActivity(now + 70_000);
      await refused('d-rotated', now + 80_000);
      expect(await refusals()).toEqual([]);
    });
  });
});
