import { randomBytes, randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { preparePrivateDatabaseFile } from './private-files';
import type { CreateResult, CreateTokenInput, StoredToken, TokenRepository, User } from './repository';

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
];

interface TokenRow {
  seq: number;
  id: string;
  user_id: string;
  name: string;
  expires_at: number;
  last_used_at: number | null;
}

const toToken = (row: TokenRow): StoredToken => ({
  seq: row.seq,
  id: row.id,
  userId: row.user_id,
  name: row.name,
  expiresAt: row.expires_at,
  lastUsedAt: row.last_used_at,
});

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
    insertToken: db.prepare<[string, string, string, string, number, number], never>(
      `INSERT INTO access_tokens (id, user_id, name, secret_digest, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    tokenBySeq: db.prepare<[number | bigint], TokenRow>('SELECT * FROM access_tokens WHERE seq = ?'),
    listLive: db.prepare<[string, number, number, number], TokenRow>(
      `SELECT seq, id, user_id, name, expires_at, last_used_at FROM access_tokens
       WHERE user_id = ? AND expires_at > ? AND seq > ? ORDER BY seq LIMIT ?`,
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
    ping: db.prepare('SELECT 1'),
    getSetting: db.prepare<[string], { value: Buffer }>('SELECT value FROM settings WHERE key = ?'),
    putSetting: db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING'),
  };

  // A user's id never changes and users are never removed: the one thing safe to remember.
  const users = new Map<string, User>();
  const MAX_CACHED_USERS = 10_000;

  const createToken = db.transaction((input: CreateTokenInput): CreateResult => {
    const live = statements.countLive.get(input.userId, input.now)?.count ?? 0;
    if (live >= input.maxLiveTokens) return { ok: false, reason: 'quota' };
    const info = statements.insertToken.run(randomUUID(), input.userId, input.name, input.digest, input.expiresAt, input.now);
    const row = statements.tokenBySeq.get(info.lastInsertRowid);
    if (!row) throw new Error('The token just created is missing');
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
      // One token more than asked tells whether another page follows.
      const rows = statements.listLive.all(userId, now, after ?? 0, limit + 1);
      const items = rows.slice(0, limit).map(toToken);
      return { items, next: rows.length > limit ? items[items.length - 1]?.seq : undefined };
    },
    async deleteToken(userId, id) {
      return statements.delete.run(id, userId).changes > 0;
    },
    async findByDigest(digest, now) {
      const row = statements.byDigest.get(digest, now);
      return row && { token: toToken(row), user: { id: row.user_id, userName: row.user_name } };
    },
    async touchLastUsed(tokenId, now, resolutionMs) {
      statements.touch.run(now, tokenId, now - resolutionMs);
    },
    async purgeExpired(now) {
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
