import { randomBytes, randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import type { RetiredReason } from '../../contract/access-tokens';
import type { AccessTokenPolicy } from '../../contract/schemas';
import type { RemovedToken, StoredToken, TokenStore, TokenWrites, User } from '../../service/token-store';
import { preparePrivateDatabaseFile } from './private-files';
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
  type EventValues,
  type RetiredRow,
  type TokenRow,
} from './token-rows';

/** Versioned, applied in order at start; each runs once in its own transaction. */
const MIGRATIONS: string[] = [
  `CREATE TABLE users (
     id TEXT PRIMARY KEY,
     user_name TEXT NOT NULL UNIQUE,
     created_at INTEGER NOT NULL
   );
   CREATE TABLE access_tokens (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     user_id TEXT NOT NULL REFERENCES users(id),
     name TEXT NOT NULL,
     secret_digest TEXT NOT NULL UNIQUE,
     expires_at INTEGER NOT NULL,
     created_at INTEGER NOT NULL,
     last_used_at INTEGER
   );
   CREATE INDEX access_tokens_user ON access_tokens(user_id, seq);
   CREATE INDEX access_tokens_expiry ON access_tokens(expires_at);
   CREATE TABLE settings (key TEXT PRIMARY KEY, value BLOB NOT NULL);`,
  // Where a token came from: the PAT whose bearer created it, by id and by name (kept after that
  // PAT is deleted). Both null: it was made in the console.
  `ALTER TABLE access_tokens ADD COLUMN created_with_id TEXT;
   ALTER TABLE access_tokens ADD COLUMN created_with_name TEXT;
   CREATE INDEX access_tokens_created_with ON access_tokens(created_with_id);`,
  // The activity log.
  activityTables('INTEGER PRIMARY KEY AUTOINCREMENT', 'INTEGER'),
  refusedUsesTable('INTEGER'),
  TOKEN_DESCRIPTION_COLUMN,
  TOKEN_ACCESS_COLUMNS,
  EVENT_SOURCE_COLUMN,
  noticeTables('INTEGER PRIMARY KEY AUTOINCREMENT'),
  adminTables('INTEGER PRIMARY KEY AUTOINCREMENT'),
];

function migrate(db: Database.Database) {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const applied = (db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as { version: number | null })
    .version ?? 0;
  MIGRATIONS.slice(applied).forEach((sql, index) => {
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(applied + index + 1, Date.now());
    })();
  });
}

/** Users, lists and tokens this server keeps, at most each: the least recently used go first. */
const MAX_CACHED_USERS = 10_000;
const MAX_CACHED_TOKENS = 10_000;

export interface SqliteOptions {
  /** Told what had to be tightened at start (a folder or file others could read). */
  onNotice?: (message: string) => void;
}

export function openSqliteTokenStore(path: string, { onNotice }: SqliteOptions = {}): TokenStore {
  if (path !== ':memory:') preparePrivateDatabaseFile(path).forEach((notice) => onNotice?.(notice));
  const db = new Database(path, { timeout: 1000 });
  try {
    // SQLite serves one server: hold the file, so a second server on it fails at start and is told
    // to use PostgreSQL instead.
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    // FULL: an acknowledged create is on disk, even if the machine (not just the process) dies.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db);
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') {
      throw new Error(
        `Another process is using ${path}: SQLite serves one pat-console server. Several servers share a PostgreSQL database (PAT_CONSOLE_DATABASE_URL).`,
      );
    }
    throw error;
  }

  type DigestRow = TokenRow & { secret_digest: string };
  const statements = {
    userByName: db.prepare<[string], User>('SELECT id, user_name AS userName FROM users WHERE user_name = ?'),
    insertUser: db.prepare('INSERT INTO users (id, user_name, created_at) VALUES (?, ?, ?) ON CONFLICT(user_name) DO NOTHING'),
    countLive: db.prepare<[string, number], { count: number }>(
      'SELECT COUNT(*) AS count FROM access_tokens WHERE user_id = ? AND expires_at > ?',
    ),
    insertToken: db.prepare<unknown[], TokenRow>(
      `INSERT INTO access_tokens (${TOKEN_INSERT_COLUMNS}) VALUES (${Array(TOKEN_INSERT_COUNT).fill('?').join(', ')}) RETURNING ${TOKEN_COLUMNS}`,
    ),
    listLive: db.prepare<[string, number], TokenRow>(
      `SELECT ${TOKEN_COLUMNS} FROM access_tokens WHERE user_id = ? AND expires_at > ? ORDER BY seq`,
    ),
    delete: db.prepare<[string, string], DigestRow>(
      `DELETE FROM access_tokens WHERE id = ? AND user_id = ? RETURNING ${TOKEN_COLUMNS}, secret_digest`,
    ),
    insertEvent: db.prepare<EventValues, never>(
      `INSERT INTO access_token_events (${ACTIVITY_INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    retire: db.prepare<[string, string, string, string, RetiredReason, number], never>(
      `INSERT INTO retired_secrets (secret_digest, user_id, token_id, token_name, reason, retired_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    ),
    liveDigest: db.prepare<[string, string, number], { secret_digest: string }>(
      'SELECT secret_digest FROM access_tokens WHERE id = ? AND user_id = ? AND expires_at > ?',
    ),
    deleteLiveByDigest: db.prepare<[string, number], DigestRow>(
      `DELETE FROM access_tokens WHERE secret_digest IN (SELECT value FROM json_each(?)) AND expires_at > ?
       RETURNING ${TOKEN_COLUMNS}, secret_digest`,
    ),
    deleteExpired: db.prepare<[number], DigestRow>(`DELETE FROM access_tokens WHERE expires_at <= ? RETURNING ${TOKEN_COLUMNS}, secret_digest`),
    countClients: db.prepare<[string, number], { count: number }>(
      'SELECT COUNT(*) AS count FROM token_clients WHERE token_id = ? AND first_seen_at > ?',
    ),
    addClient: db.prepare<[string, string, string, number], never>(
      'INSERT INTO token_clients (token_id, address, user_agent, first_seen_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    retired: db.prepare<[string], RetiredRow>(
      'SELECT user_id, token_id, token_name, reason, retired_at FROM retired_secrets WHERE secret_digest = ?',
    ),
    // An expired token not purged yet tells what its secret was, as a retired secret's row would.
    expiredByDigest: db.prepare<[string, number], RetiredRow>(
      `SELECT user_id, id AS token_id, name AS token_name, 'expired' AS reason, expires_at AS retired_at
       FROM access_tokens WHERE secret_digest = ? AND expires_at <= ?`,
    ),
    // A row back: the quiet time is over (or never began), and this use is the one to log.
    markRefused: db.prepare<[string, string, number, number], { logged: number }>(
      `INSERT INTO refused_uses (token_id, address, logged_at) VALUES (?, ?, ?)
       ON CONFLICT (token_id, address) DO UPDATE SET logged_at = excluded.logged_at WHERE refused_uses.logged_at <= ?
       RETURNING 1 AS logged`,
    ),
    activity: db.prepare<[string, number, number], ActivityRow>(
      `SELECT ${ACTIVITY_COLUMNS} FROM access_token_events WHERE user_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?`,
    ),
    purgeEvents: db.prepare<[number], never>('DELETE FROM access_token_events WHERE occurred_at < ?'),
    purgeRetired: db.prepare<[number], never>('DELETE FROM retired_secrets WHERE retired_at < ?'),
    purgeRefused: db.prepare<[number], never>('DELETE FROM refused_uses WHERE logged_at < ?'),
    purgeClients: db.prepare(
      'DELETE FROM token_clients WHERE NOT EXISTS (SELECT 1 FROM access_tokens t WHERE t.id = token_clients.token_id)',
    ),
    byDigest: db.prepare<[string, number], TokenRow & { user_name: string }>(
      `SELECT ${tokenColumnsOf('t')}, u.user_name FROM access_tokens t JOIN users u ON u.id = t.user_id
       WHERE t.secret_digest = ? AND t.expires_at > ?`,
    ),
    touch: db.prepare<[number, string, number], never>(
      'UPDATE access_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at <= ?)',
    ),
    // The description changes only when the flag says so: absent from the request, it stays.
    renew: db.prepare<[string, number, number | null, number, string | null, number, string | null, string, string, number], TokenRow>(
      `UPDATE access_tokens SET secret_digest = ?, expires_at = ?, next_notice_at = ?, description = CASE WHEN ? THEN ? ELSE description END,
         access = CASE WHEN ? THEN ? ELSE access END
       WHERE id = ? AND user_id = ? AND expires_at > ?
       RETURNING ${TOKEN_COLUMNS}`,
    ),
    dueForNotice: db.prepare<[number, number, number], TokenRow & { user_name: string; next_notice_at: number }>(
      `SELECT ${tokenColumnsOf('t')}, u.user_name, t.next_notice_at FROM access_tokens t JOIN users u ON u.id = t.user_id
       WHERE t.next_notice_at <= ? AND t.expires_at > ? ORDER BY t.next_notice_at LIMIT ?`,
    ),
    setNextNoticeAt: db.prepare<[number | null, string], never>('UPDATE access_tokens SET next_notice_at = ? WHERE id = ?'),
    enqueueNotice: db.prepare(
      `INSERT INTO notices (${NOTICE_INSERT_COLUMNS}) VALUES (${Array(NOTICE_INSERT_COLUMNS.split(',').length).fill('?').join(', ')}) ON CONFLICT DO NOTHING`,
    ),
    finishNotice: db.prepare<[string, number, string | null, number], never>(
      'UPDATE notices SET state = ?, finished_at = ?, last_error = ?, lease_until = NULL WHERE seq = ?',
    ),
    postponeNotice: db.prepare<[number, string, number], never>('UPDATE notices SET next_attempt_at = ?, last_error = ?, lease_until = NULL WHERE seq = ?'),
    claimNotices: db.prepare<[number, number, number, number], NoticeRow>(
      `UPDATE notices SET attempts = attempts + 1, lease_until = ?
       WHERE seq IN (SELECT seq FROM notices WHERE state = 'PENDING' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
                     ORDER BY next_attempt_at LIMIT ?)
       RETURNING ${NOTICE_COLUMNS}`,
    ),
    purgeNotices: db.prepare<[number], never>('DELETE FROM notices WHERE finished_at < ?'),
    profile: db.prepare<[string], ProfileRow>(`SELECT ${PROFILE_COLUMNS} FROM users WHERE id = ?`),
    rememberProxyEmail: db.prepare<[string, string, string], never>('UPDATE users SET proxy_email = ? WHERE id = ? AND proxy_email IS NOT ?'),
    deleteById: db.prepare<[string], DigestRow>(
      `DELETE FROM access_tokens WHERE id IN (SELECT value FROM json_each(?)) RETURNING ${TOKEN_COLUMNS}, secret_digest`,
    ),
    deleteOfUser: db.prepare<[string], DigestRow>(`DELETE FROM access_tokens WHERE user_id = ? RETURNING ${TOKEN_COLUMNS}, secret_digest`),
    disabledAt: db.prepare<[string], { disabled_at: number | null }>('SELECT disabled_at FROM users WHERE id = ?'),
    setDisabled: db.prepare<[number | null, string], never>('UPDATE users SET disabled_at = ? WHERE id = ?'),
    putPolicy: db.prepare<[string, Buffer], never>('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
    appendAdminEntry: db.prepare(`INSERT INTO admin_events (${ADMIN_EVENT_INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`),
    adminEntries: db.prepare<[number, number], AdminEventRow>(
      `SELECT ${ADMIN_EVENT_COLUMNS} FROM admin_events WHERE seq < ? ORDER BY seq DESC LIMIT ?`,
    ),
    purgeAdminEntries: db.prepare<[number], never>('DELETE FROM admin_events WHERE occurred_at < ?'),
    ping: db.prepare('SELECT 1'),
    getSetting: db.prepare<[string], { value: Buffer }>('SELECT value FROM settings WHERE key = ?'),
    putSetting: db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING'),
  };

  const users = new LRUCache<string, User>({ max: MAX_CACHED_USERS });
  /**
   * Each user's live tokens in order (at most the quota), kept from one list to the next: listing is
   * the hot read. Safe because this server holds the file alone (above): every write goes through
   * here and forgets what it changes. Measured: the list at twice the requests/s with it.
   */
  const liveTokens = new LRUCache<string, StoredToken[]>({ max: MAX_CACHED_USERS });
  /** Tokens found for authentication, by digest; expiry is checked on every use, deletes forget them. */
  const authenticated = new LRUCache<string, { token: StoredToken; user: User }>({ max: MAX_CACHED_TOKENS });

  const forgetToken = (userId: string, id: string) => {
    liveTokens.delete(userId);
    // The old digest is forgotten: the next request with the old secret asks the database, in vain.
    const stale = [...authenticated.entries()].filter(([, found]) => found.token.id === id);
    for (const [digest] of stale) authenticated.delete(digest);
  };

  /** Tokens gone by digest: their lists and their authentications are forgotten. */
  const forgetRemoved = (removed: readonly RemovedToken[]) => {
    for (const { token, digest } of removed) {
      liveTokens.delete(token.userId);
      authenticated.delete(digest);
    }
  };

  const writes: TokenWrites = {
    // BEGIN IMMEDIATE already holds the whole file.
    lockUser: async () => undefined,
    countLiveTokens: async (userId, now) => statements.countLive.get(userId, now)?.count ?? 0,
    async insertToken(token) {
      liveTokens.delete(token.userId);
      const row = statements.insertToken.get(...tokenInsertValues(randomUUID(), token));
      if (!row) throw new Error('The token just created is missing');
      return toToken(row);
    },
    async deleteToken(userId, id) {
      forgetToken(userId, id);
      const row = statements.delete.get(id, userId);
      return row && toRemoved(row);
    },
    async renewToken(userId, id, now, { digest, expiresAt, description, access, noticeAt }) {
      forgetToken(userId, id);
      const old = statements.liveDigest.get(id, userId, now);
      const row =
        old &&
        statements.renew.get(
          digest,
          expiresAt,
          noticeAt,
          description === undefined ? 0 : 1,
          description ?? null,
          access === undefined ? 0 : 1,
          access === undefined ? null : JSON.stringify(access),
          id,
          userId,
          now,
        );
      return row && old && { token: toToken(row), digest: old.secret_digest };
    },
    async deleteLiveTokensByDigest(digests, now) {
      const removed = statements.deleteLiveByDigest.all(JSON.stringify(digests), now).map(toRemoved);
      forgetRemoved(removed);
      return removed;
    },
    async deleteExpiredTokens(now) {
      liveTokens.clear();
      authenticated.clear();
      return statements.deleteExpired.all(now).map(toRemoved);
    },
    async retireSecret({ digest, userId, token, reason, retiredAt }) {
      statements.retire.run(digest, userId, token.id, token.name, reason, retiredAt);
    },
    async appendEvent(event) {
      statements.insertEvent.run(...eventValues(event));
    },
    countClientsSince: async (tokenId, since) => statements.countClients.get(tokenId, since)?.count ?? 0,
    addClient: async (tokenId, client, now) => statements.addClient.run(tokenId, client.address, client.userAgent ?? '', now).changes > 0,
    markRefusedUse: async (tokenId, key, now, quietSince) => statements.markRefused.get(tokenId, key, now, quietSince) !== undefined,
    takeTokensDueForNotice: async (now, limit) =>
      statements.dueForNotice.all(now, now, limit).map((row) => ({ token: toToken(row), userName: row.user_name, noticeAt: row.next_notice_at })),
    async setNextNoticeAt(tokenId, at) {
      statements.setNextNoticeAt.run(at, tokenId);
    },
    async enqueueNotice(notice) {
      statements.enqueueNotice.run(...noticeInsertValues(randomUUID(), notice));
    },
    async finishNotice(seq, outcome) {
      statements.finishNotice.run(outcome.state, outcome.at, outcome.state === 'GAVE_UP' ? outcome.error : null, seq);
    },
    async postponeNotice(seq, at, error) {
      statements.postponeNotice.run(at, error, seq);
    },
    notificationProfile: async (userId) => toProfile(statements.profile.get(userId)),
    async deleteTokensById(ids) {
      const removed = statements.deleteById.all(JSON.stringify(ids)).map(toRemoved);
      forgetRemoved(removed);
      return removed;
    },
    async deleteTokensOfUser(userId) {
      const removed = statements.deleteOfUser.all(userId).map(toRemoved);
      forgetRemoved(removed);
      return removed;
    },
    userDisabledAt: async (userId) => statements.disabledAt.get(userId)?.disabled_at ?? null,
    async setUserDisabled(userId, at) {
      statements.setDisabled.run(at, userId);
    },
    async writePolicy(policy) {
      statements.putPolicy.run(POLICY_SETTING, Buffer.from(JSON.stringify(policy)));
    },
    async appendAdminEntry(entry) {
      statements.appendAdminEntry.run(...adminEntryValues(entry));
    },
    async updateNotificationProfile(userId, change) {
      const columns = profileChangeOf(change);
      if (columns.length === 0) return;
      db.prepare(`UPDATE users SET ${columns.map(([column]) => `${column} = ?`).join(', ')} WHERE id = ?`).run(...columns.map(([, value]) => value), userId);
    },
  };

  const purgeActivity = db.transaction((before: number): number => {
    const events = statements.purgeEvents.run(before).changes;
    statements.purgeRetired.run(before);
    statements.purgeRefused.run(before);
    statements.purgeClients.run();
    statements.purgeNotices.run(before);
    statements.purgeAdminEntries.run(before);
    return events;
  });

  // One connection: transactions take turns, each holding the file (IMMEDIATE) from its first statement.
  let turn: Promise<unknown> = Promise.resolve();
  async function inTransaction<T>(work: (writes: TokenWrites) => Promise<T>): Promise<T> {
    db.exec('BEGIN IMMEDIATE');
    try {
      const result = await work(writes);
      db.exec('COMMIT');
      return result;
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      // What a read between its statements kept may be of the undone state.
      liveTokens.clear();
      authenticated.clear();
      throw error;
    }
  }

  function inTurn<T>(work: (writes: TokenWrites) => Promise<T>): Promise<T> {
    const result = turn.then(() => inTransaction(work));
    turn = result.catch(() => undefined);
    return result;
  }

  return {
    async userByName(userName) {
      const cached = users.get(userName);
      if (cached) return cached;
      statements.insertUser.run(randomUUID(), userName, Date.now());
      const user = statements.userByName.get(userName);
      if (!user) throw new Error(`User ${userName} could not be stored`);
      users.set(userName, user);
      return user;
    },
    transaction: inTurn,
    async liveTokens(userId, now) {
      let tokens = liveTokens.get(userId);
      if (!tokens) {
        tokens = statements.listLive.all(userId, now).map(toToken);
        liveTokens.set(userId, tokens);
      }
      return stillLive(tokens, now);
    },
    async findByDigest(digest, now) {
      let found = authenticated.get(digest);
      if (!found) {
        const row = statements.byDigest.get(digest, now);
        if (!row) return undefined;
        found = { token: toToken(row), user: { id: row.user_id, userName: row.user_name } };
        authenticated.set(digest, found);
      }
      return found.token.expiresAt > now ? found : undefined;
    },
    async findRetiredSecret(digest, now) {
      const row = statements.retired.get(digest) ?? statements.expiredByDigest.get(digest, now);
      return row && toRetired(digest, row);
    },
    async touchLastUsed(token, now, resolutionMs) {
      if (statements.touch.run(now, token.id, now - resolutionMs).changes === 0) return;
      liveTokens.delete(token.userId);
      // The token object is the one findByDigest keeps: the next use sees this time.
      token.lastUsedAt = now;
    },
    findUser: async (userName) => statements.userByName.get(userName),
    async readPolicy() {
      const setting = statements.getSetting.get(POLICY_SETTING);
      return setting && (JSON.parse(setting.value.toString('utf8')) as Partial<AccessTokenPolicy>);
    },
    async listTokensForAdmin(query) {
      const { text, values } = tokenQuerySql(query, (index) => `@p${index}`);
      const rows = db.prepare<Record<string, unknown>, TokenRow & { owner_name: string }>(text).all(Object.fromEntries(values.map((value, index) => [`p${index + 1}`, value])));
      return ownedPageOf(rows, query.limit);
    },
    listAdminEntries: async (limit, before) => adminPageOf(statements.adminEntries.all(before ?? Number.MAX_SAFE_INTEGER, limit + 1), limit),
    async rememberProxyEmail(userId, email) {
      statements.rememberProxyEmail.run(email, userId, email);
    },
    notificationProfile: async (userId) => toProfile(statements.profile.get(userId)),
    // Through the transactions' turn: a statement run between another transaction's would belong to it.
    claimNotices(now, limit, leaseMs) {
      return inTurn(async () => statements.claimNotices.all(now + leaseMs, now, now, limit).map(toClaimedNotice));
    },
    async listActivity(userId, limit, before) {
      const rows = statements.activity.all(userId, before ?? Number.MAX_SAFE_INTEGER, limit + 1);
      return activityPageOf(rows, limit);
    },
    purgeActivity: async (before) => purgeActivity.immediate(before),
    async signingKey() {
      statements.putSetting.run('page_token_key', randomBytes(32));
      const setting = statements.getSetting.get('page_token_key');
      if (!setting) throw new Error('The signing key could not be stored');
      return setting.value;
    },
    async ping() {
      statements.ping.get();
      return true;
    },
    close: async () => {
      db.close();
    },
  };
}
