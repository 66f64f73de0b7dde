import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { FULL_ACCESS } from '../../contract/access';
import { StorageUnavailableError, type TokenStore } from '../../service/token-store';
import { createDatabase, startPostgres } from '../testing/postgres-support';
import { testServiceOver } from '../testing/test-support';
import { openPostgresTokenStore, withConnection } from './postgres-token-store';

const DAY = 24 * 60 * 60 * 1000;
const opened: TokenStore[] = [];

async function open(url: string) {
  const store = await openPostgresTokenStore(url);
  opened.push(store);
  return store;
}

/** A token stored as it is given, its digest its name. */
const insert = (store: TokenStore, userId: string, name: string, expiresAt: number, now = Date.now()) =>
  store.transaction((writes) => writes.insertToken({ userId, name, digest: name, expiresAt, createdAt: now, createdWith: null, description: null, access: FULL_ACCESS, noticeAt: null }));

afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close().catch(() => undefined)));
});

describe('the PostgreSQL store', () => {
  it('comes up on two servers started at once on an empty database, each migration applied once', async () => {
    const url = await createDatabase(inject('postgresUrl'));
    const [one, two] = await Promise.all([open(url), open(url)]);
    const user = await one.userByName('mary');
    expect((await two.userByName('mary')).id).toBe(user.id);
    expect(Buffer.from(await one.signingKey()).equals(Buffer.from(await two.signingKey()))).toBe(true);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    await client.end();
    expect(rows.map((row) => row.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('holds the quota exactly under concurrent creates through two servers', async () => {
    const url = await createDatabase(inject('postgresUrl'));
    const [one, two] = await Promise.all([open(url), open(url)]);
    const user = await one.userByName('mary');
    const services = [testServiceOver(one), testServiceOver(two)];
    const inConsole = { user, token: null, channel: 'CONSOLE' as const, client: { address: '192.0.2.1', userAgent: null } };
    const results = await Promise.allSettled(
      Array.from({ length: 120 }, (_, index) => services[index % 2]!.createAccessToken(inConsole, { name: `t${index}` })),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(100);
    expect(await one.liveTokens(user.id, Date.now())).toHaveLength(100);
  });

  it('hands each due notice to one claimant, however many servers claim at once, and each due token to one scheduler', async () => {
    const url = await createDatabase(inject('postgresUrl'));
    const [one, two] = await Promise.all([open(url), open(url)]);
    const user = await one.userByName('mary');
    const now = Date.now();
    await one.transaction(async (writes) => {
      for (let index = 0; index < 300; index += 1) {
        await writes.enqueueNotice({ userId: user.id, kind: 'CREATED', channel: 'WEBHOOK', token: { id: `t${index}`, name: `t${index}` }, facts: {}, dueAt: now, key: null });
      }
    });
    const claims = await Promise.all(Array.from({ length: 30 }, (_, index) => (index % 2 ? one : two).claimNotices(now, 7, 60_000)));
    const seqs = claims.flat().map((notice) => notice.seq);
    expect(seqs).toHaveLength(new Set(seqs).size);
    expect(seqs.length).toBeGreaterThan(150);
    for (let index = 0; index < 40; index += 1) await insert(one, user.id, `due-${index}`, now + DAY);
    await one.transaction(async (writes) => {
      for (const token of await one.liveTokens(user.id, now)) await writes.setNextNoticeAt(token.id, 0);
    });
    const taken = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        (index % 2 ? one : two).transaction(async (writes) => {
          const due = await writes.takeTokensDueForNotice(now, 10);
          for (const { token } of due) await writes.setNextNoticeAt(token.id, null);
          return due;
        }),
      ),
    );
    const ids = taken.flat().map(({ token }) => token.id);
    expect(ids).toHaveLength(new Set(ids).size);
    expect(ids).toHaveLength(40);
  });

  it('answers each of many reads that arrive together with its own result', async () => {
    const store = await open(await createDatabase(inject('postgresUrl')));
    const now = Date.now();
    const users = await Promise.all(['a', 'b', 'c'].map((name) => store.userByName(name)));
    for (const [index, user] of users.entries()) {
      for (let token = 0; token < 5; token += 1) {
        // The last token of each user expires in a minute: a lookup an hour on must miss it.
        const expiresAt = token === 4 ? now + 60_000 : now + DAY;
        await insert(store, user.id, `${index}-${token}`, expiresAt, now);
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

    const lists = await Promise.all([
      store.liveTokens(users[0]!.id, now),
      store.liveTokens(users[1]!.id, now),
      store.liveTokens(users[2]!.id, later),
    ]);
    expect(lists.map((tokens) => tokens.map((token) => token.name))).toEqual([
      ['0-0', '0-1', '0-2', '0-3', '0-4'],
      ['1-0', '1-1', '1-2', '1-3', '1-4'],
      ['2-0', '2-1', '2-2', '2-3'],
    ]);
  });

  it("keeps a list only while the database says it is current: any change, by any server or by hand, shows at once", async () => {
    const url = await createDatabase(inject('postgresUrl'));
    const [one, two] = await Promise.all([open(url), open(url)]);
    const user = await one.userByName('mary');
    const now = Date.now();
    const names = async () => (await two.liveTokens(user.id, Date.now())).map((token) => `${token.name}:${token.lastUsedAt ?? '-'}`);
    const a = await insert(one, user.id, 'a', now + DAY);
    expect(await names()).toEqual(['a:-']);
    expect(await names()).toEqual(['a:-']);
    await insert(one, user.id, 'b', now + DAY);
    expect(await names()).toEqual(['a:-', 'b:-']);
    const found = await one.findByDigest('a', now);
    if (!found) throw new Error('token a is missing');
    await one.touchLastUsed(found.token, now, 60_000);
    expect(await names()).toEqual([`a:${now}`, 'b:-']);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query("UPDATE access_tokens SET name = 'renamed' WHERE id = $1", [a.id]);
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
      await insert(store, user.id, 'kept', now + DAY);
      await server.stop();

      const started = Date.now();
      await expect(store.findByDigest('kept', Date.now())).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(store.liveTokens(user.id, Date.now())).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(insert(store, user.id, 'lost', now + DAY)).rejects.toBeInstanceOf(StorageUnavailableError);
      expect(await store.ping().catch(() => false)).toBe(false);
      expect(Date.now() - started).toBeLessThan(10_000);

      await server.start();
      expect(await store.ping()).toBe(true);
      expect((await store.findByDigest('kept', Date.now()))?.token.name).toBe('kept');
      expect((await store.liveTokens(user.id, Date.now())).map((token) => token.name)).toEqual(['kept']);
    } finally {
      await server.remove();
    }
  });
});
