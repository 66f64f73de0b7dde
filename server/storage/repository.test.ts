import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, inject } from 'vitest';
import { createDatabase } from '../postgres-support';
import { testStorage } from '../test-support';
import { openPostgresRepository } from './postgres-repository';
import type { TokenRepository } from './repository';
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
    expect(await repository.deleteToken(user.id, b.token.id)).toBe(true);
    expect(await repository.deleteToken(user.id, b.token.id)).toBe(false);
    expect(await names()).toEqual(['a']);
    expect(await repository.findByDigest('digest-b', Date.now())).toBeUndefined();
    expect(await names(now + 2 * DAY)).toEqual([]);
    expect(await repository.findByDigest('digest-a', now + 2 * DAY)).toBeUndefined();
  });

  it("regenerates a user's live token in place: a new digest and expiry, the same id, name and order", async () => {
    const repository = await (await newStore())();
    const [mary, joe] = [await repository.userByName('mary'), await repository.userByName('joe')];
    const now = Date.now();
    const create = async (name: string, expiresAt = now + DAY) => {
      const result = await repository.createToken({ userId: mary.id, name, digest: `digest-${name}`, expiresAt, now, maxLiveTokens: 100 });
      if (!result.ok) throw new Error('create failed');
      return result.token;
    };
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
    expect(await repository.deleteToken(mary.id, other.token.id)).toBe(false);
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
    const created = await one.createToken({ userId: user.id, name: 'a', digest: 'a', expiresAt: now + DAY, now, maxLiveTokens: 100 });
    if (!created.ok) throw new Error('create failed');
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
});
