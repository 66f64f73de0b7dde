import { randomBytes, randomUUID } from 'node:crypto';
import DataLoader from 'dataloader';
import { LRUCache } from 'lru-cache';
import pg from 'pg';
import type { AccessTokenPolicy } from '../../contract/schemas';
import { StorageUnavailableError, type StoredToken, type TokenStore, type TokenWrites, type User } from '../../service/token-store';
import {
  ACTIVITY_COLUMNS,
  ACTIVITY_INSERT_COLUMNS,
  activityPageOf,
  activityTables,
  eventValues,
  refusedUsesTable,
  stillLive,
  toRemoved,
  toRetired,
  toToken,
  ADMIN_EVENT_COLUMNS,
  ADMIN_EVENT_INSERT_COLUMNS,
  adminEntryValues,
  adminPageOf,
  adminTables,
  ownedPageOf,
  POLICY_SETTING,
  tokenQuerySql,
  type AdminEventRow,
  noticeTables,
  NOTICE_COLUMNS,
  NOTICE_INSERT_COLUMNS,
  noticeInsertValues,
  PROFILE_COLUMNS,
  profileChangeOf,
  toClaimedNotice,
  toProfile,
  type NoticeRow,
  type ProfileRow,
  TOKEN_COLUMNS,
  TOKEN_ACCESS_COLUMNS,
  EVENT_SOURCE_COLUMN,
  TOKEN_DESCRIPTION_COLUMN,
  TOKEN_INSERT_COLUMNS,
  TOKEN_INSERT_COUNT,
  tokenColumnsOf,
  tokenInsertValues,
  type ActivityRow,
  type RetiredRow,
  type TokenRow,
} from './token-rows';

/** Versioned, applied in order at start, each once and in its own transaction. */
const MIGRATIONS: string[] = [
  `CREATE TABLE users (
     id TEXT PRIMARY KEY,
     user_name TEXT NOT NULL UNIQUE,
     created_at BIGINT NOT NULL
   );
   CREATE TABLE access_tokens (
     seq BIGSERIAL PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     user_id TEXT NOT NULL REFERENCES users(id),
     name TEXT NOT NULL,
     secret_digest TEXT NOT NULL UNIQUE,
     expires_at BIGINT NOT NULL,
     created_at BIGINT NOT NULL,
     last_used_at BIGINT
   );
   CREATE INDEX access_tokens_user ON access_tokens(user_id, seq);
   CREATE INDEX access_tokens_expiry ON access_tokens(expires_at);
   CREATE TABLE settings (key TEXT PRIMARY KEY, value BYTEA NOT NULL);`,
  // Every change to a user's tokens, by any server and any statement, moves the user's version on:
  // a server may keep a list only for as long as the version it was read at is still current.
  `ALTER TABLE users ADD COLUMN tokens_version BIGINT NOT NULL DEFAULT 0;
   CREATE FUNCTION bump_tokens_version() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     UPDATE users SET tokens_version = tokens_version + 1
     WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.user_id ELSE NEW.user_id END;
     RETURN NULL;
   END $$;
   CREATE TRIGGER access_tokens_version AFTER INSERT OR UPDATE OR DELETE ON access_tokens
     FOR EACH ROW EXECUTE FUNCTION bump_tokens_version();`,
  // Where a token came from: the PAT whose bearer created it, by id and by name (kept after that
  // PAT is deleted). Both null: it was made in the console.
  `ALTER TABLE access_tokens ADD COLUMN created_with_id TEXT;
   ALTER TABLE access_tokens ADD COLUMN created_with_name TEXT;
   CREATE INDEX access_tokens_created_with ON access_tokens(created_with_id);`,
  // The activity log.
  activityTables('BIGSERIAL PRIMARY KEY', 'BIGINT'),
  refusedUsesTable('BIGINT'),
  TOKEN_DESCRIPTION_COLUMN,
  TOKEN_ACCESS_COLUMNS,
  EVENT_SOURCE_COLUMN,
  noticeTables('BIGSERIAL PRIMARY KEY'),
  adminTables('BIGSERIAL PRIMARY KEY'),
];

/** Any constant both instances agree on: the advisory lock that lets one of them migrate at a time. */
const MIGRATION_LOCK = 7_461_892_305;
const INT8_OID = 20;

/** Times are milliseconds and the sequence stays far below 2^53: BIGINT as a number, not a string. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * SQLSTATE classes that mean "not now" rather than "never": connection exceptions (08),
 * insufficient resources (53), operator intervention (57: a shutdown, a statement timeout).
 */
const UNAVAILABLE_SQLSTATE = /^(08|53|57)[0-9A-Z]{3}$/;
/** Node's codes for a connection that could not be made or broke. */
const CONNECTION_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** What pg and pg-pool say, with no code, of a connection that timed out or broke: their exact words. */
const CONNECTION_LOST = new Set([
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'timeout exceeded when trying to connect',
  'timeout expired',
  'Query read timeout',
  'Client has encountered a connection error and is not queryable',
]);

/**
 * Connection trouble becomes StorageUnavailableError (503), told by SQLSTATE, Node's error code or
 * pg's own words; anything else is a bug and stays itself, whatever its message mentions.
 */
export function classify(error: unknown): Error {
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : '';
  const unavailable = typeof code === 'string' ? UNAVAILABLE_SQLSTATE.test(code) || CONNECTION_ERRNO.has(code) : CONNECTION_LOST.has(text);
  if (unavailable) return new StorageUnavailableError(`PostgreSQL is unavailable: ${text || String(code)}`);
  return error instanceof Error ? error : new Error(String(error));
}

type Found = { token: StoredToken; user: User };
/** A user's live tokens in order, as read at one version of them. */
type CachedList = { version: number; tokens: StoredToken[] };
const MAX_BATCH = 100;
/** Users and lists this server keeps, at most: the least recently used go first. */
const MAX_CACHED_USERS = 10_000;

/**
 * Reads that arrive together (in the same turn of the event loop) go to the database as one query.
 * Each is still asked after it arrived, so a change acknowledged before a request counts for it;
 * under load one round trip serves many requests instead of one each. Nothing is cached: each load
 * is asked of the database.
 */
const batched = <Input, Output>(load: (inputs: readonly Input[]) => Promise<Output[]>) => {
  const loader = new DataLoader<Input, Output>(load, { cache: false, maxBatchSize: MAX_BATCH, batchScheduleFn: (dispatch) => setImmediate(dispatch) });
  return (input: Input) => loader.load(input);
};

export interface PostgresOptions {
  /** Told of errors on idle connections (the database went away), which are otherwise nobody's. */
  onIdleError?: (error: Error) => void;
  /** Connections at most, per server. */
  maxConnections?: number;
}

/**
 * One of the pool's connections for `work` alone. A connection lost between two statements is
 * reported as an event, not by a query: without a listener that would end the process. The next
 * statement fails instead, and a connection that saw an error is not given back to the pool.
 */
export async function withConnection<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  const onError = () => {
    broken = true;
  };
  client.on('error', onError);
  try {
    return await work(client);
  } catch (error) {
    broken = true;
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}

/** `work` in one transaction on `client`: committed when it returns, rolled back when it throws. */
async function inTransaction<T>(client: pg.PoolClient, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function migrate(pool: pg.Pool) {
  await withConnection(pool, async (client) => {
    // Several servers may start at once on an empty database: one migrates, the others wait, then
    // find the work done.
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
      const { rows } = await client.query<{ version: number | null }>('SELECT MAX(version) AS version FROM schema_migrations');
      const applied = rows[0]?.version ?? 0;
      for (const [index, sql] of MIGRATIONS.slice(applied).entries()) {
        await inTransaction(client, async () => {
          await client.query(sql);
          await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [applied + index + 1, Date.now()]);
        });
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  });
}

export async function openPostgresTokenStore(connectionString: string, options: PostgresOptions = {}): Promise<TokenStore> {
  const pool = new pg.Pool({
    connectionString,
    max: options.maxConnections ?? 10,
    types,
    // Fail fast when the database is away: a request waits at most this long for a connection, and
    // a query at most the statement timeout, so nothing hangs.
    connectionTimeoutMillis: 2_000,
    statement_timeout: 5_000,
    query_timeout: 6_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection that breaks (the database restarts) is dropped by the pool; without a
  // listener the error would end the process.
  pool.on('error', (error) => options.onIdleError?.(error));
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end();
    throw classify(error);
  }

  const query = async <Row extends pg.QueryResultRow>(config: pg.QueryConfig): Promise<pg.QueryResult<Row>> => {
    try {
      return await pool.query<Row>(config);
    } catch (error) {
      throw classify(error);
    }
  };

  // A user's id never changes and users are never removed: the one thing safe to remember.
  const users = new LRUCache<string, User>({ max: MAX_CACHED_USERS });
  const findUser = async (userName: string) =>
    (
      await query<User>({
        name: 'user-by-name',
        text: 'SELECT id, user_name AS "userName" FROM users WHERE user_name = $1',
        values: [userName],
      })
    ).rows[0];

  const findByDigests = batched(async (inputs: ReadonlyArray<{ digest: string; now: number }>) => {
    const { rows } = await query<TokenRow & { user_name: string; secret_digest: string }>({
      name: 'by-digests',
      text: `SELECT ${tokenColumnsOf('t')}, t.secret_digest, u.user_name
             FROM access_tokens t JOIN users u ON u.id = t.user_id
             WHERE t.secret_digest = ANY($1::text[]) AND t.expires_at > $2`,
      values: [[...new Set(inputs.map((input) => input.digest))], Math.min(...inputs.map((input) => input.now))],
    });
    const found = new Map(rows.map((row) => [row.secret_digest, row]));
    return inputs.map(({ digest, now }): Found | undefined => {
      const row = found.get(digest);
      return row && row.expires_at > now ? { token: toToken(row), user: { id: row.user_id, userName: row.user_name } } : undefined;
    });
  });

  // Each request asks the database for the user's version; only a list read at that very version
  // is used again. A change made anywhere is seen by the next request, and a quiet user's list
  // costs one small row instead of all their tokens.
  const versions = batched(async (userIds: readonly string[]) => {
    const { rows } = await query<{ id: string; tokens_version: number }>({
      name: 'token-versions',
      text: 'SELECT id, tokens_version FROM users WHERE id = ANY($1::text[])',
      values: [[...new Set(userIds)]],
    });
    const byId = new Map(rows.map((row) => [row.id, row.tokens_version]));
    return userIds.map((id) => byId.get(id) ?? -1);
  });
  const liveLists = batched(async (inputs: ReadonlyArray<{ userId: string; now: number }>) => {
    // The version and the tokens in one statement: one snapshot, so the list is what that version says.
    const { rows } = await query<TokenRow & { owner: string; tokens_version: number }>({
      name: 'live-lists',
      text: `SELECT u.id AS owner, u.tokens_version, ${tokenColumnsOf('t')}
             FROM users u LEFT JOIN access_tokens t ON t.user_id = u.id AND t.expires_at > $2
             WHERE u.id = ANY($1::text[])
             ORDER BY t.seq`,
      values: [[...new Set(inputs.map((input) => input.userId))], Math.min(...inputs.map((input) => input.now))],
    });
    const lists = new Map<string, CachedList>();
    for (const row of rows) {
      let list = lists.get(row.owner);
      if (!list) lists.set(row.owner, (list = { version: row.tokens_version, tokens: [] }));
      if (row.seq !== null) list.tokens.push(toToken(row));
    }
    return inputs.map(({ userId }) => lists.get(userId) ?? { version: -1, tokens: [] });
  });
  const cachedLists = new LRUCache<string, CachedList>({ max: MAX_CACHED_USERS });

  async function currentList(userId: string, now: number): Promise<StoredToken[]> {
    const version = await versions(userId);
    const cached = cachedLists.get(userId);
    if (cached && cached.version === version) return stillLive(cached.tokens, now);
    const fresh = await liveLists({ userId, now });
    cachedLists.set(userId, fresh);
    return stillLive(fresh.tokens, now);
  }

  type DigestRow = TokenRow & { secret_digest: string };
  /** The writes of a transaction, on its connection. */
  const writesOn = (client: pg.PoolClient): TokenWrites => ({
    async lockUser(userId) {
      await client.query({ name: 'lock-user', text: 'SELECT id FROM users WHERE id = $1 FOR UPDATE', values: [userId] });
    },
    async countLiveTokens(userId, now) {
      const { rows } = await client.query<{ count: number }>({
        name: 'count-live',
        text: 'SELECT COUNT(*)::int AS count FROM access_tokens WHERE user_id = $1 AND expires_at > $2',
        values: [userId, now],
      });
      return rows[0]?.count ?? 0;
    },
    async insertToken(token) {
      const { rows } = await client.query<TokenRow>({
        name: 'insert-token',
        text: `INSERT INTO access_tokens (${TOKEN_INSERT_COLUMNS})
               VALUES (${Array.from({ length: TOKEN_INSERT_COUNT }, (_, index) => `$${index + 1}`).join(', ')}) RETURNING ${TOKEN_COLUMNS}`,
        values: tokenInsertValues(randomUUID(), token),
      });
      const row = rows[0];
      if (!row) throw new Error('The token just created is missing');
      return toToken(row);
    },
    async deleteToken(userId, id) {
      const { rows } = await client.query<DigestRow>({
        name: 'delete-token',
        text: `DELETE FROM access_tokens WHERE id = $1 AND user_id = $2 RETURNING ${TOKEN_COLUMNS}, secret_digest`,
        values: [id, userId],
      });
      return rows[0] && toRemoved(rows[0]);
    },
    async renewToken(userId, id, now, { digest, expiresAt, description, access, noticeAt }) {
      // Lookups by digest always ask the database, so the old secret fails on every server at once;
      // the trigger bumps the user's list version, so no server shows the old expiry.
      const { rows } = await client.query<DigestRow>({
        name: 'replace-secret',
        text: `WITH old AS (
                 SELECT id, secret_digest FROM access_tokens WHERE id = $3 AND user_id = $4 AND expires_at > $5 FOR UPDATE)
               UPDATE access_tokens t SET secret_digest = $1, expires_at = $2,
                 description = CASE WHEN $6::boolean THEN $7::text ELSE t.description END,
                 access = CASE WHEN $8::boolean THEN $9::text ELSE t.access END, next_notice_at = $10
               FROM old WHERE t.id = old.id
               RETURNING ${tokenColumnsOf('t')}, old.secret_digest`,
        values: [
          digest,
          expiresAt,
          id,
          userId,
          now,
          description !== undefined,
          description ?? null,
          access !== undefined,
          access === undefined ? null : JSON.stringify(access),
          noticeAt,
        ],
      });
      return rows[0] && toRemoved(rows[0]);
    },
    async deleteLiveTokensByDigest(digests, now) {
      const { rows } = await client.query<DigestRow>({
        name: 'delete-live-by-digest',
        text: `DELETE FROM access_tokens WHERE secret_digest = ANY($1::text[]) AND expires_at > $2 RETURNING ${TOKEN_COLUMNS}, secret_digest`,
        values: [digests, now],
      });
      return rows.map(toRemoved);
    },
    async deleteExpiredTokens(now) {
      // Every server purges: the DELETE hands each expired token to one of them only.
      const { rows } = await client.query<DigestRow>({
        name: 'delete-expired',
        text: `DELETE FROM access_tokens WHERE expires_at <= $1 RETURNING ${TOKEN_COLUMNS}, secret_digest`,
        values: [now],
      });
      return rows.map(toRemoved);
    },
    async retireSecret({ digest, userId, token, reason, retiredAt }) {
      await client.query({
        name: 'retire-secret',
        text: `INSERT INTO retired_secrets (secret_digest, user_id, token_id, token_name, reason, retired_at)
               VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        values: [digest, userId, token.id, token.name, reason, retiredAt],
      });
    },
    async appendEvent(event) {
      await client.query({
        name: 'append-event',
        text: `INSERT INTO access_token_events (${ACTIVITY_INSERT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        values: eventValues(event),
      });
    },
    async countClientsSince(tokenId, since) {
      const { rows } = await client.query<{ count: number }>({
        name: 'count-clients',
        text: 'SELECT COUNT(*)::int AS count FROM token_clients WHERE token_id = $1 AND first_seen_at > $2',
        values: [tokenId, since],
      });
      return rows[0]?.count ?? 0;
    },
    async addClient(tokenId, { address, userAgent }, now) {
      // The insert decides, whichever server gets there first.
      const { rowCount } = await client.query({
        name: 'add-client',
        text: `INSERT INTO token_clients (token_id, address, user_agent, first_seen_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        values: [tokenId, address, userAgent ?? '', now],
      });
      return (rowCount ?? 0) > 0;
    },
    async markRefusedUse(tokenId, key, now, quietSince) {
      // The mark of this token and address decides, on one indexed row, whichever server sees the use.
      const { rows } = await client.query({
        name: 'mark-refused',
        text: `INSERT INTO refused_uses (token_id, address, logged_at) VALUES ($1, $2, $3)
               ON CONFLICT (token_id, address) DO UPDATE SET logged_at = EXCLUDED.logged_at WHERE refused_uses.logged_at <= $4
               RETURNING 1`,
        values: [tokenId, key, now, quietSince],
      });
      return rows.length > 0;
    },
    async takeTokensDueForNotice(now, limit) {
      // SKIP LOCKED: each due token goes to one server; the others take the next ones.
      const { rows } = await client.query<TokenRow & { user_name: string; next_notice_at: number }>({
        name: 'due-for-notice',
        text: `SELECT ${tokenColumnsOf('t')}, u.user_name, t.next_notice_at FROM access_tokens t JOIN users u ON u.id = t.user_id
               WHERE t.next_notice_at <= $1 AND t.expires_at > $1 ORDER BY t.next_notice_at LIMIT $2 FOR UPDATE OF t SKIP LOCKED`,
        values: [now, limit],
      });
      return rows.map((row) => ({ token: toToken(row), userName: row.user_name, noticeAt: row.next_notice_at }));
    },
    async setNextNoticeAt(tokenId, at) {
      await client.query({ name: 'set-next-notice', text: 'UPDATE access_tokens SET next_notice_at = $1 WHERE id = $2', values: [at, tokenId] });
    },
    async enqueueNotice(notice) {
      await client.query({
        name: 'enqueue-notice',
        text: `INSERT INTO notices (${NOTICE_INSERT_COLUMNS})
               VALUES (${NOTICE_INSERT_COLUMNS.split(',').map((_, index) => `$${index + 1}`).join(', ')}) ON CONFLICT (dedupe_key) DO NOTHING`,
        values: noticeInsertValues(randomUUID(), notice),
      });
    },
    async finishNotice(seq, outcome) {
      await client.query({
        name: 'finish-notice',
        text: 'UPDATE notices SET state = $1, finished_at = $2, last_error = $3, lease_until = NULL WHERE seq = $4',
        values: [outcome.state, outcome.at, outcome.state === 'GAVE_UP' ? outcome.error : null, seq],
      });
    },
    async postponeNotice(seq, at, error) {
      await client.query({
        name: 'postpone-notice',
        text: 'UPDATE notices SET next_attempt_at = $1, last_error = $2, lease_until = NULL WHERE seq = $3',
        values: [at, error, seq],
      });
    },
    async notificationProfile(userId) {
      const { rows } = await client.query<ProfileRow>({ name: 'profile-in-transaction', text: `SELECT ${PROFILE_COLUMNS} FROM users WHERE id = $1`, values: [userId] });
      return toProfile(rows[0]);
    },
    async deleteTokensById(ids) {
      const { rows } = await client.query<DigestRow>({
        name: 'delete-by-ids',
        text: `DELETE FROM access_tokens WHERE id = ANY($1::text[]) RETURNING ${TOKEN_COLUMNS}, secret_digest`,
        values: [ids],
      });
      return rows.map(toRemoved);
    },
    async deleteTokensOfUser(userId) {
      const { rows } = await client.query<DigestRow>({
        name: 'delete-of-user',
        text: `DELETE FROM access_tokens WHERE user_id = $1 RETURNING ${TOKEN_COLUMNS}, secret_digest`,
        values: [userId],
      });
      return rows.map(toRemoved);
    },
    async userDisabledAt(userId) {
      const { rows } = await client.query<{ disabled_at: number | null }>({ name: 'disabled-at', text: 'SELECT disabled_at FROM users WHERE id = $1', values: [userId] });
      return rows[0]?.disabled_at ?? null;
    },
    async setUserDisabled(userId, at) {
      await client.query({ name: 'set-disabled', text: 'UPDATE users SET disabled_at = $1 WHERE id = $2', values: [at, userId] });
    },
    async writePolicy(policy) {
      await client.query({
        name: 'put-policy',
        text: 'INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value',
        values: [POLICY_SETTING, Buffer.from(JSON.stringify(policy))],
      });
    },
    async appendAdminEntry(entry) {
      await client.query({
        name: 'append-admin-entry',
        text: `INSERT INTO admin_events (${ADMIN_EVENT_INSERT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        values: adminEntryValues(entry),
      });
    },
    async updateNotificationProfile(userId, change) {
      const columns = profileChangeOf(change);
      if (columns.length === 0) return;
      await client.query({
        text: `UPDATE users SET ${columns.map(([column], index) => `${column} = $${index + 2}`).join(', ')} WHERE id = $1`,
        values: [userId, ...columns.map(([, value]) => value)],
      });
    },
  });

  return {
    async userByName(userName) {
      const cached = users.get(userName);
      if (cached) return cached;
      let user = await findUser(userName);
      if (!user) {
        await query({
          text: 'INSERT INTO users (id, user_name, created_at) VALUES ($1, $2, $3) ON CONFLICT (user_name) DO NOTHING',
          values: [randomUUID(), userName, Date.now()],
        });
        user = await findUser(userName);
      }
      if (!user) throw new Error(`User ${userName} could not be stored`);
      users.set(userName, user);
      return user;
    },

    async transaction(work) {
      try {
        return await withConnection(pool, (client) => inTransaction(client, () => work(writesOn(client))));
      } catch (error) {
        throw classify(error);
      }
    },

    liveTokens: currentList,

    findByDigest: (digest, now) => findByDigests({ digest, now }),

    async findRetiredSecret(digest, now) {
      const { rows } = await query<RetiredRow>({
        name: 'retired-secret',
        text: `SELECT user_id, token_id, token_name, reason, retired_at FROM retired_secrets WHERE secret_digest = $1
               UNION ALL
               SELECT user_id, id, name, 'expired', expires_at FROM access_tokens WHERE secret_digest = $1 AND expires_at <= $2
               LIMIT 1`,
        values: [digest, now],
      });
      return rows[0] && toRetired(digest, rows[0]);
    },

    async touchLastUsed(token, now, resolutionMs) {
      await query({
        name: 'touch-token',
        text: 'UPDATE access_tokens SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at <= $3)',
        values: [now, token.id, now - resolutionMs],
      });
    },

    findUser,

    async readPolicy() {
      const { rows } = await query<{ value: Buffer }>({ name: 'policy', text: 'SELECT value FROM settings WHERE key = $1', values: [POLICY_SETTING] });
      const value = rows[0]?.value;
      return value && (JSON.parse(value.toString('utf8')) as Partial<AccessTokenPolicy>);
    },

    async listTokensForAdmin(tokenQuery) {
      const { text, values } = tokenQuerySql(tokenQuery, (index) => `$${index}`);
      const { rows } = await query<TokenRow & { owner_name: string }>({ text, values });
      return ownedPageOf(rows, tokenQuery.limit);
    },

    async listAdminEntries(limit, before) {
      const { rows } = await query<AdminEventRow>({
        name: 'admin-entries',
        text: `SELECT ${ADMIN_EVENT_COLUMNS} FROM admin_events WHERE seq < $1 ORDER BY seq DESC LIMIT $2`,
        values: [before ?? Number.MAX_SAFE_INTEGER, limit + 1],
      });
      return adminPageOf(rows, limit);
    },

    async rememberProxyEmail(userId, email) {
      await query({
        name: 'remember-proxy-email',
        text: 'UPDATE users SET proxy_email = $2 WHERE id = $1 AND proxy_email IS DISTINCT FROM $2',
        values: [userId, email],
      });
    },

    async notificationProfile(userId) {
      const { rows } = await query<ProfileRow>({ name: 'profile', text: `SELECT ${PROFILE_COLUMNS} FROM users WHERE id = $1`, values: [userId] });
      return toProfile(rows[0]);
    },

    async claimNotices(now, limit, leaseMs) {
      // SKIP LOCKED: servers claiming at once take different notices; a lease that lapsed (its
      // server died mid-send) makes the notice claimable again.
      const { rows } = await query<NoticeRow>({
        name: 'claim-notices',
        text: `UPDATE notices SET attempts = attempts + 1, lease_until = $2
               WHERE seq IN (SELECT seq FROM notices WHERE state = 'PENDING' AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
                             ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
               RETURNING ${NOTICE_COLUMNS}`,
        values: [now, now + leaseMs, limit],
      });
      return rows.map(toClaimedNotice);
    },

    async listActivity(userId, limit, before) {
      const { rows } = await query<ActivityRow>({
        name: 'activity',
        text: `SELECT ${ACTIVITY_COLUMNS} FROM access_token_events WHERE user_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3`,
        values: [userId, before ?? Number.MAX_SAFE_INTEGER, limit + 1],
      });
      return activityPageOf(rows, limit);
    },

    async purgeActivity(before) {
      const { rowCount } = await query({
        name: 'purge-activity',
        text: `WITH retired AS (DELETE FROM retired_secrets WHERE retired_at < $1),
               refused AS (DELETE FROM refused_uses WHERE logged_at < $1),
               clients AS (DELETE FROM token_clients c WHERE NOT EXISTS (SELECT 1 FROM access_tokens t WHERE t.id = c.token_id)),
               finished AS (DELETE FROM notices WHERE finished_at < $1),
               admin AS (DELETE FROM admin_events WHERE occurred_at < $1)
               DELETE FROM access_token_events WHERE occurred_at < $1`,
        values: [before],
      });
      return rowCount ?? 0;
    },

    async signingKey() {
      await query({
        text: 'INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING',
        values: ['page_token_key', randomBytes(32)],
      });
      const { rows } = await query<{ value: Buffer }>({ text: 'SELECT value FROM settings WHERE key = $1', values: ['page_token_key'] });
      const key = rows[0]?.value;
      if (!key) throw new Error('The signing key could not be stored');
      return key;
    },

    async ping() {
      await query({ name: 'ping', text: 'SELECT 1' });
      return true;
    },

    close: () => pool.end(),
  };
}
