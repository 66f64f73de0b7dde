import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createDatabase, startPostgres } from '../testing/postgres-support';
import { openPostgresTokenStore, withConnection } from './postgres-token-store';
import { StorageUnavailableError, type TokenStore } from './token-store';

const DAY = 24 * 60 * 60 * 1000;
const opened: TokenStore[] = [];

async function open(url: string) {
  const store = await openPostgresTokenStore(url);
  opened.push(store);
  return store;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close().catch(() => undefined)));
});

describe('the PostgreSQL store', () => {
  it('comes up on two servers started at once on an empty database, each migration applied once', async () => {
    const url = await createDatabase(inject('postgresUrl'));
    const [one, two] = await Promise.all([open(url), open(url)]);
    const user = await one.userByName('mary');
    expect((await two.userByName('mary')).id).toBe(user.id);
    expect((await one.signingKey()).equals(await two.signingKey())).toBe(true);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    await client.end();
    expect(rows.map((row) => row.version)).toEqual([1, 2, 3, 4, 5]);
  });

  it('holds the quota exactly under concurrent creates through two servers', async () => {
    const url = await createDatabase(inject('postgresUrl'));
    const [one, two] = await Promise.all([open(url), open(url)]);
    const user = await one.userByName('mary');
    const now = Date.now();
    const results = await Promise.all(
      Array.from({ length: 120 }, (_, index) =>
        (index % 2 ? one : two).createToken({
          userId: user.id,
          name: `t${index}`,
          digest: `d${index}`,
          expiresAt: now + DAY,
          now,
          maxLiveTokens: 100,
        }),
      ),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(100);
    expect((await one.listTokens(user.id, Date.now(), 200, undefined)).items).toHaveLength(100);
  });

  it('answers each of many reads that arrive together with its own result', async () => {
    const store = await open(await createDatabase(inject('postgresUrl')));
    const now = Date.now();
    const users = await Promise.all(['a', 'b', 'c'].map((name) => store.userByName(name)));
    for (const [index, user] of users.entries()) {
      for (let token = 0; token < 5; token += 1) {
        // The last token of each user expires in a minute: a lookup an hour on must miss it.
        const expiresAt = token === 4 ? now + 60_000 : now + DAY;
        await store.createToken({ userId: user.id, name: `${index}-${token}`, digest: `${index}-${token}`, expiresAt, now, maxLiveTokens: 100 });
      }
    }
    const later = now + 60 * 60_000;
    const lookups = await Promise.all([
      ...users.flatMap((_, index) => [0, 4].map((token) => store.findByDigest(`${index}-${token}`, now))),
      store.findByDigest('0-4', later),
      store.findByDigest('unknown', now),
    ]);
    expect(lookups.map((found) => found?.token.name)).toEqual(['0-0', '0-4', '1-0', '1-4', '2-0', '2-4', undefined, undefined]);
    expect(lookups.slice(0, 6).map((found) => found?.user.userName)).toEqual(['a', 'a', 'b', 'b', 'c', 'c']);

    const pages = await Promise.all([
      store.listTokens(users[0]!.id, now, 2, undefined),
      store.listTokens(users[1]!.id, now, 10, undefined),
      store.listTokens(users[2]!.id, later, 10, undefined),
    ]);
    expect(pages[0]?.items.map((token) => token.name)).toEqual(['0-0', '0-1']);
    expect(pages[0]?.next).toBe(pages[0]?.items[1]?.seq);
    const rest = await store.listTokens(users[0]!.id, now, 10, pages[0]?.next);
    expect(rest.items.map((token) => token.name)).toEqual(['0-2', '0-3', '0-4']);
    expect(pages[1]).toEqual({ items: expect.any(Array), next: undefined });
    expect(pages[1]?.items.map((token) => token.name)).toEqual(['1-0', '1-1', '1-2', '1-3', '1-4']);
    expect(pages[2]?.items.map((token) => token.name)).toEqual(['2-0', '2-1', '2-2', '2-3']);
  });

  it("keeps a list only while the database says it is current: any change, by any server or by hand, shows at once", async () => {
    const url = await createDatabase(inject('postgresUrl'));
    const [one, two] = await Promise.all([open(url), open(url)]);
    const user = await one.userByName('mary');
    const now = Date.now();
    const names = async () => (await two.listTokens(user.id, Date.now(), 10, undefined)).items.map((token) => `${token.name}:${token.lastUsedAt ?? '-'}`);
    const a = await one.createToken({ userId: user.id, name: 'a', digest: 'a', expiresAt: now + DAY, now, maxLiveTokens: 100 });
    expect(await names()).toEqual(['a:-']);
    expect(await names()).toEqual(['a:-']);
    await one.createToken({ userId: user.id, name: 'b', digest: 'b', expiresAt: now + DAY, now, maxLiveTokens: 100 });
    expect(await names()).toEqual(['a:-', 'b:-']);
    const found = await one.findByDigest('a', now);
    if (!found || !a.ok) throw new Error('token a is missing');
    await one.touchLastUsed(found.token, now, 60_000);
    expect(await names()).toEqual([`a:${now}`, 'b:-']);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query("UPDATE access_tokens SET name = 'renamed' WHERE id = $1", [a.token.id]);
    await client.query("DELETE FROM access_tokens WHERE name = 'b'");
    await client.end();
    expect(await names()).toEqual([`renamed:${now}`]);
  });

  it('survives a connection lost between two statements, and does not give that connection back', async () => {
    const pool = new pg.Pool({ connectionString: await createDatabase(inject('postgresUrl')), max: 1 });
    try {
      const lost = await withConnection(pool, async (client) => {
        const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        const killer = new pg.Client({ connectionString: pool.options.connectionString });
        await killer.connect();
        await killer.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
        await killer.end();
        // No statement is running: the loss arrives as an 'error' event on the client.
        await new Promise((resolve) => setTimeout(resolve, 300));
        return rows[0]?.pid;
      });
      const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      expect(rows[0]?.pid).not.toBe(lost);
    } finally {
      await pool.end();
    }
  });

  it('fails fast while the database is down, and recovers by itself when it returns', async () => {
    const server = await startPostgres();
    try {
      const store = await open(await server.createDatabase());
      const user = await store.userByName('mary');
      const now = Date.now();
      await store.createToken({ userId: user.id, name: 'kept', digest: 'kept', expiresAt: now + DAY, now, maxLiveTokens: 100 });
      await server.stop();

      const started = Date.now();
      await expect(store.findByDigest('kept', Date.now())).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(store.listTokens(user.id, Date.now(), 10, undefined)).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(
        store.createToken({ userId: user.id, name: 'lost', digest: 'lost', expiresAt: now + DAY, now, maxLiveTokens: 100 }),
      ).rejects.toBeInstanceOf(StorageUnavailableError);
      expect(await store.ping().catch(() => false)).toBe(false);
      expect(Date.now() - started).toBeLessThan(10_000);

      await server.start();
      expect(await store.ping()).toBe(true);
      expect((await store.findByDigest('kept', Date.now()))?.token.name).toBe('kept');
      expect((await store.listTokens(user.id, Date.now(), 10, undefined)).items.map((token) => token.name)).toEqual(['kept']);
    } finally {
      await server.remove();
    }
  });
});
