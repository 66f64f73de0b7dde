import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, inject } from 'vitest';
import { FULL_ACCESS } from '../../contract/access';
import { describeAdminRules } from '../../service/testing/admin-rules-suite';
import { describeNoticeRules } from '../../service/testing/notice-rules-suite';
import { describeServiceRules } from '../../service/testing/service-rules-suite';
import type { StoredToken, TokenStore } from '../../service/token-store';
import { createDatabase } from '../testing/postgres-support';
import { testStorage } from '../testing/test-support';
import { openPostgresTokenStore } from './postgres-token-store';
import { openSqliteTokenStore } from './sqlite-token-store';

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

/** A token as the test gives it, stored as it is (the rules are not under test here). */
async function insert(store: TokenStore, userId: string, name: string, expiresAt: number, createdAt = Date.now()): Promise<StoredToken> {
  return store.transaction((writes) => writes.insertToken({ userId, name, digest: `d-${name}`, expiresAt, createdAt, createdWith: null, description: null, access: FULL_ACCESS, noticeAt: null }));
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close().catch(() => undefined)));
});

describeServiceRules(`the ${testStorage} store`, newStore);
describeNoticeRules(`the ${testStorage} store`, newStore);
describeAdminRules(`the ${testStorage} store`, newStore);

describe(`the ${testStorage} store`, () => {
  it('applies its migrations once, and keeps users, tokens and the signing key across restarts', async () => {
    const open = await newStore();
    const first = await open();
    const user = await first.userByName('mary');
    await insert(first, user.id, 'kept', Date.now() + DAY);
    const key = await first.signingKey();
    await first.close();

    const second = await open();
    expect((await second.userByName('mary')).id).toBe(user.id);
    expect((await second.liveTokens(user.id, Date.now())).map((token) => token.name)).toEqual(['kept']);
    expect(Buffer.from(await second.signingKey()).equals(Buffer.from(key))).toBe(true);
    expect(key).toHaveLength(32);
  });

  it('answers every read from the database: writes show at once, in insertion order', async () => {
    const store = await (await newStore())();
    const user = await store.userByName('mary');
    const now = Date.now();
    const names = async (at = Date.now()) => (await store.liveTokens(user.id, at)).map((token) => token.name);
    await insert(store, user.id, 'a', now + DAY);
    expect(await names()).toEqual(['a']);
    const b = await insert(store, user.id, 'b', now + 2 * DAY);
    expect(await names()).toEqual(['a', 'b']);
    expect((await store.findByDigest('d-b', Date.now()))?.user).toEqual(user);
    const replaced = await store.transaction((writes) => writes.renewToken(user.id, b.id, now, { digest: 'd-b2', expiresAt: now + 3 * DAY, noticeAt: null }));
    expect(replaced).toEqual({ token: expect.objectContaining({ id: b.id, seq: b.seq, expiresAt: now + 3 * DAY }), digest: 'd-b' });
    expect(await store.findByDigest('d-b', Date.now())).toBeUndefined();
    expect((await store.findByDigest('d-b2', Date.now()))?.token.id).toBe(b.id);
    expect(await store.transaction((writes) => writes.deleteToken(user.id, b.id))).toEqual({ token: expect.objectContaining({ id: b.id }), digest: 'd-b2' });
    expect(await names()).toEqual(['a']);
    expect(await store.findByDigest('d-b2', Date.now())).toBeUndefined();
    expect(await names(now + 2 * DAY)).toEqual([]);
    expect(await store.findByDigest('d-a', now + 2 * DAY)).toBeUndefined();
  });

  it('undoes every write of a transaction that throws', async () => {
    const store = await (await newStore())();
    const user = await store.userByName('mary');
    await expect(
      store.transaction(async (writes) => {
        const token = await writes.insertToken({ userId: user.id, name: 'undone', digest: 'd-undone', expiresAt: Date.now() + DAY, createdAt: Date.now(), createdWith: null, description: null, access: FULL_ACCESS, noticeAt: null });
        await writes.appendEvent({ userId: user.id, time: Date.now(), type: 'CREATED', token, actor: null });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await store.liveTokens(user.id, Date.now())).toEqual([]);
    expect(await store.findByDigest('d-undone', Date.now())).toBeUndefined();
    expect((await store.listActivity(user.id, 10, undefined)).items).toEqual([]);
  });

  it('records a use at most once per resolution, whichever server asks', async () => {
    const open = await newStore();
    const [one, two] = [await open(), await open().catch(() => undefined)];
    const store = two ?? one;
    const user = await one.userByName('mary');
    const now = Date.now();
    await insert(one, user.id, 'a', now + DAY);
    const found = async (from: TokenStore) => {
      const token = (await from.findByDigest('d-a', now))?.token;
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

  it('hands each expired token to one purge, and answers the health check', async () => {
    const store = await (await newStore())();
    const user = await store.userByName('mary');
    const now = Date.now();
    await insert(store, user.id, 'old', now - 1, now - 2);
    await insert(store, user.id, 'new', now + DAY);
    const purges = await Promise.all([1, 2].map(() => store.transaction((writes) => writes.deleteExpiredTokens(now))));
    expect(purges.flat().map((removed) => [removed.token.name, removed.digest])).toEqual([['old', 'd-old']]);
    expect(await store.ping()).toBe(true);
  });
});
