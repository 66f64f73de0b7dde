import { randomBytes, randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { preparePrivateDatabaseFile } from './private-files';
import type { CreateResult, CreateTokenInput, StoredToken, TokenRepository, User } from './repository';
import { pageOf, toToken, TOKEN_COLUMNS, type TokenRow } from './token-rows';

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

export interface SqliteOptions {
  /** Told what had to be tightened at start (a folder or file others could read). */
  onNotice?: (message: string) => void;
}

export function openSqliteRepository(path: string, { onNotice }: SqliteOptions = {}): TokenRepository {
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

  const statements = {
    userByName: db.prepare<[string], User>('SELECT id, user_name AS userName FROM users WHERE user_name = ?'),
    insertUser: db.prepare('INSERT INTO users (id, user_name, created_at) VALUES (?, ?, ?) ON CONFLICT(user_name) DO NOTHING'),
    countLive: db.prepare<[string, number], { count: number }>(
      'SELECT COUNT(*) AS count FROM access_tokens WHERE user_id = ? AND expires_at > ?',
    ),
    insertToken: db.prepare<[string, string, string, string, number, number, string | null, string | null], never>(
      `INSERT INTO access_tokens (id, user_id, name, secret_digest, expires_at, created_at, created_with_id, created_with_name)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    tokenBySeq: db.prepare<[number | bigint], TokenRow>('SELECT * FROM access_tokens WHERE seq = ?'),
    listLive: db.prepare<[string, number], TokenRow>(
      `SELECT ${TOKEN_COLUMNS} FROM access_tokens WHERE user_id = ? AND expires_at > ? ORDER BY seq`,
    ),
    delete: db.prepare<[string, string], never>('DELETE FROM access_tokens WHERE id = ? AND user_id = ?'),
    byDigest: db.prepare<[string, number], TokenRow & { user_name: string }>(
      `SELECT t.*, u.user_name FROM access_tokens t JOIN users u ON u.id = t.user_id
       WHERE t.secret_digest = ? AND t.expires_at > ?`,
    ),
    touch: db.prepare<[number, string, number], never>(
      'UPDATE access_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at <= ?)',
    ),
    purge: db.prepare<[number], never>('DELETE FROM access_tokens WHERE expires_at <= ?'),
    regenerate: db.prepare<[string, number, string, string, number], TokenRow>(
      `UPDATE access_tokens SET secret_digest = ?, expires_at = ? WHERE id = ? AND user_id = ? AND expires_at > ?
       RETURNING ${TOKEN_COLUMNS}`,
    ),
    ping: db.prepare('SELECT 1'),
    getSetting: db.prepare<[string], { value: Buffer }>('SELECT value FROM settings WHERE key = ?'),
    putSetting: db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING'),
  };

  const users = new Map<string, User>();
  const MAX_CACHED_USERS = 10_000;
  /**
   * Each user's live tokens in order (at most the quota), kept from one list to the next: listing is
   * the hot read. Safe because this server holds the file alone (above): every write goes through
   * here and forgets what it changes. Measured: the list at twice the requests/s with it.
   */
  const liveTokens = new Map<string, StoredToken[]>();
  /** Tokens found for authentication, by digest; expiry is checked on every use, deletes forget them. */
  const authenticated = new Map<string, { token: StoredToken; user: User }>();
  const MAX_CACHED_TOKENS = 10_000;

  const createToken = db.transaction((input: CreateTokenInput): CreateResult => {
    const live = statements.countLive.get(input.userId, input.now)?.count ?? 0;
    if (live >= input.maxLiveTokens) return { ok: false, reason: 'quota' };
    const info = statements.insertToken.run(
      randomUUID(),
      input.userId,
      input.name,
      input.digest,
      input.expiresAt,
      input.now,
      input.createdWith?.id ?? null,
      input.createdWith?.name ?? null,
    );
    const row = statements.tokenBySeq.get(info.lastInsertRowid);
    if (!row) throw new Error('The token just created is missing');
    liveTokens.delete(input.userId);
    return { ok: true, token: toToken(row) };
  });

  return {
    async userByName(userName) {
      const cached = users.get(userName);
      if (cached) return cached;
      statements.insertUser.run(randomUUID(), userName, Date.now());
      const user = statements.userByName.get(userName);
      if (!user) throw new Error(`User ${userName} could not be stored`);
      if (users.size >= MAX_CACHED_USERS) users.clear();
      users.set(userName, user);
      return user;
    },
    // IMMEDIATE: the quota count and the insert see one state.
    createToken: async (input) => createToken.immediate(input),
    async listTokens(userId, now, limit, after) {
      let tokens = liveTokens.get(userId);
      if (!tokens) {
        tokens = statements.listLive.all(userId, now).map(toToken);
        if (liveTokens.size >= MAX_CACHED_USERS) liveTokens.clear();
        liveTokens.set(userId, tokens);
      }
      return pageOf(tokens, now, limit, after);
    },
    async deleteToken(userId, id) {
      liveTokens.delete(userId);
      const deleted = statements.delete.run(id, userId).changes > 0;
      if (deleted) {
        for (const [digest, found] of authenticated) if (found.token.id === id) authenticated.delete(digest);
      }
      return deleted;
    },
    async regenerateToken({ userId, id, digest, expiresAt, now }) {
      liveTokens.delete(userId);
      const row = statements.regenerate.get(digest, expiresAt, id, userId, now);
      // The old digest is forgotten: the next request with the old secret asks the database, in vain.
      for (const [kept, found] of authenticated) if (found.token.id === id) authenticated.delete(kept);
      return row && toToken(row);
    },
    async findByDigest(digest, now) {
      let found = authenticated.get(digest);
      if (!found) {
        const row = statements.byDigest.get(digest, now);
        if (!row) return undefined;
        found = { token: toToken(row), user: { id: row.user_id, userName: row.user_name } };
        if (authenticated.size >= MAX_CACHED_TOKENS) authenticated.clear();
        authenticated.set(digest, found);
      }
      return found.token.expiresAt > now ? found : undefined;
    },
    async touchLastUsed(token, now, resolutionMs) {
      if (statements.touch.run(now, token.id, now - resolutionMs).changes === 0) return;
      liveTokens.delete(token.userId);
      // The token object is the one findByDigest keeps: the next use sees this time.
      token.lastUsedAt = now;
    },
    async purgeExpired(now) {
      liveTokens.clear();
      authenticated.clear();
      return statements.purge.run(now).changes;
    },
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
