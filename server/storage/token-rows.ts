import { FULL_ACCESS } from '../../contract/access';
import type { AccessTokenEventSource, AccessTokenEventType, RetiredReason, NoticeChannel } from '../../contract/access-tokens';
import type {
  ActivityEntry,
  ActivityPage,
  AdminEntry,
  NewAdminEntry,
  OwnedToken,
  TokenQuery,
  ClaimedNotice,
  NewEvent,
  NewNotice,
  NewToken,
  NoticeFacts,
  NotificationProfile,
  OutboxKind,
  RemovedToken,
  RetiredSecret,
  StoredToken,
} from '../../service/token-store';

/** An `access_tokens` row as both SQL engines return it (the same columns, BIGINT as a number). */
export interface TokenRow {
  seq: number;
  id: string;
  user_id: string;
  name: string;
  expires_at: number;
  last_used_at: number | null;
  created_at: number;
  created_with_id: string | null;
  created_with_name: string | null;
  description: string | null;
  /** JSON; null for a token from before scopes. */
  access: string | null;
}

const TOKEN_COLUMN_NAMES = ['seq', 'id', 'user_id', 'name', 'expires_at', 'last_used_at', 'created_at', 'created_with_id', 'created_with_name', 'description', 'access'];

/** The columns a new token is inserted with, in both engines, in this order. */
export const TOKEN_INSERT_COLUMNS =
  'id, user_id, name, secret_digest, expires_at, created_at, created_with_id, created_with_name, description, access, next_notice_at';
export const TOKEN_INSERT_COUNT = TOKEN_INSERT_COLUMNS.split(',').length;

/** The values of a new token, in the order of TOKEN_INSERT_COLUMNS. */
export const tokenInsertValues = (id: string, token: NewToken) => [
  id,
  token.userId,
  token.name,
  token.digest,
  token.expiresAt,
  token.createdAt,
  token.createdWith?.id ?? null,
  token.createdWith?.name ?? null,
  token.description,
  JSON.stringify(token.access),
  token.noticeAt,
];

/** The columns of a TokenRow, for the SELECTs and RETURNING clauses of both engines. */
export const TOKEN_COLUMNS = TOKEN_COLUMN_NAMES.join(', ');

/** The same, of the table named `alias` in a statement that joins another with the same names. */
export const tokenColumnsOf = (alias: string) => TOKEN_COLUMN_NAMES.map((column) => `${alias}.${column}`).join(', ');

/** An `access_token_events` row as both engines return it. */
export interface ActivityRow {
  seq: number;
  occurred_at: number;
  type: AccessTokenEventType;
  token_id: string;
  token_name: string;
  via_id: string | null;
  via_name: string | null;
  address: string | null;
  user_agent: string | null;
  detail: string | null;
  source: AccessTokenEventSource | null;
}

export const ACTIVITY_COLUMNS = 'seq, occurred_at, type, token_id, token_name, via_id, via_name, address, user_agent, detail, source';

/** The columns a new event is inserted with, in both engines, in this order. */
export const ACTIVITY_INSERT_COLUMNS = 'user_id, occurred_at, type, token_id, token_name, via_id, via_name, address, user_agent, detail, source';

export type EventValues = [
  string,
  number,
  string,
  string,
  string,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  AccessTokenEventSource,
];

/** The values of an event, in the order of ACTIVITY_INSERT_COLUMNS. */
export const eventValues = ({ userId, time, type, token, actor, detail }: NewEvent): EventValues => [
  userId,
  time,
  type,
  token.id,
  token.name,
  actor?.via?.id ?? null,
  actor?.via?.name ?? null,
  actor?.address ?? null,
  actor?.userAgent ?? null,
  detail ?? null,
  actor?.source ?? 'SERVICE',
];

const toActivity = (row: ActivityRow): ActivityEntry => ({
  seq: row.seq,
  time: row.occurred_at,
  type: row.type,
  token: { id: row.token_id, name: row.token_name },
  via: row.via_id === null ? null : { id: row.via_id, name: row.via_name ?? '' },
  address: row.address,
  userAgent: row.user_agent,
  detail: row.detail,
  source: row.source,
});

/** A page of the log from the rows read for it: one more than `limit`, which tells whether another page follows. */
export function activityPageOf(rows: readonly ActivityRow[], limit: number): ActivityPage {
  const items = rows.slice(0, limit).map(toActivity);
  return { items, next: rows.length > limit ? items[items.length - 1]?.seq : undefined };
}

/** The tables of the activity log, the same in both engines but for the sequence and integer types. */
export const activityTables = (serialKey: string, integer: string) => `
  CREATE TABLE access_token_events (
    seq ${serialKey},
    user_id TEXT NOT NULL,
    occurred_at ${integer} NOT NULL,
    type TEXT NOT NULL,
    token_id TEXT NOT NULL,
    token_name TEXT NOT NULL,
    via_id TEXT,
    via_name TEXT,
    address TEXT,
    user_agent TEXT
  );
  CREATE INDEX access_token_events_user ON access_token_events(user_id, seq);
  CREATE INDEX access_token_events_token ON access_token_events(token_id, occurred_at);
  CREATE INDEX access_token_events_time ON access_token_events(occurred_at);
  -- The addresses and clients each token was used from (no user agent: ''). Rows of gone tokens
  -- are dropped by the periodic purge.
  CREATE TABLE token_clients (
    token_id TEXT NOT NULL,
    address TEXT NOT NULL,
    user_agent TEXT NOT NULL,
    first_seen_at ${integer} NOT NULL,
    PRIMARY KEY (token_id, address, user_agent)
  );
  -- Digests of secrets that no longer work (deleted, expired, regenerated), kept for the retention
  -- period to tell a later use of one for what it is. Digests only, as for live tokens.
  CREATE TABLE retired_secrets (
    secret_digest TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    token_id TEXT NOT NULL,
    token_name TEXT NOT NULL,
    reason TEXT NOT NULL,
    retired_at ${integer} NOT NULL
  );
  CREATE INDEX retired_secrets_time ON retired_secrets(retired_at);`;

/**
 * When a retired secret's refused use was last logged, per token and client address: the quiet
 * hour is one indexed row, whatever the log holds. Purged with the activity it stands for.
 */
export const refusedUsesTable = (integer: string) => `
  CREATE TABLE refused_uses (
    token_id TEXT NOT NULL,
    address TEXT NOT NULL,
    logged_at ${integer} NOT NULL,
    PRIMARY KEY (token_id, address)
  );
  CREATE INDEX refused_uses_time ON refused_uses(logged_at);`;

export const toToken = (row: TokenRow): StoredToken => ({
  seq: row.seq,
  id: row.id,
  userId: row.user_id,
  name: row.name,
  expiresAt: row.expires_at,
  lastUsedAt: row.last_used_at,
  createdAt: row.created_at,
  createdWith: row.created_with_id === null ? null : { id: row.created_with_id, name: row.created_with_name ?? '' },
  description: row.description,
  access: row.access === null ? FULL_ACCESS : (JSON.parse(row.access) as StoredToken['access']),
});

/** What PAT owners write about a token: the same column in both engines. */
export const TOKEN_DESCRIPTION_COLUMN = 'ALTER TABLE access_tokens ADD COLUMN description TEXT;';

/** What a PAT may do (JSON, null for a token from before scopes), and what a refused use was refused. */
export const TOKEN_ACCESS_COLUMNS = `ALTER TABLE access_tokens ADD COLUMN access TEXT;
  ALTER TABLE access_token_events ADD COLUMN detail TEXT;`;

/** How each event came about (null in older rows: derived from the rest, as before). */
export const EVENT_SOURCE_COLUMN = 'ALTER TABLE access_token_events ADD COLUMN source TEXT;';

/** A retired secret's row, or an expired token's read as one, as both engines select it. */
export interface RetiredRow {
  user_id: string;
  token_id: string;
  token_name: string;
  reason: RetiredReason;
  retired_at: number;
}

export const toRetired = (digest: string, row: RetiredRow): RetiredSecret => ({
  digest,
  userId: row.user_id,
  token: { id: row.token_id, name: row.token_name },
  reason: row.reason,
  retiredAt: row.retired_at,
});

/** A row taken out of `access_tokens` with its digest. */
export const toRemoved = (row: TokenRow & { secret_digest: string }): RemovedToken => ({ token: toToken(row), digest: row.secret_digest });

/** The tokens of a kept list still live at `now`: the same list while all are. */
export const stillLive = (tokens: StoredToken[], now: number): StoredToken[] =>
  tokens.every((token) => token.expiresAt > now) ? tokens : tokens.filter((token) => token.expiresAt > now);

/**
 * Notices: where each user's go (kept with the user), when each token's next expiry notice is due
 * (0 for the tokens from before: the schedule looks at each once), and the outbox every notice goes
 * through, in the same transaction as the change it tells of.
 */
export const noticeTables = (serialKey: string) => `
  ALTER TABLE users ADD COLUMN proxy_email TEXT;
  ALTER TABLE users ADD COLUMN email TEXT;
  ALTER TABLE users ADD COLUMN pending_email TEXT;
  ALTER TABLE users ADD COLUMN pending_email_since BIGINT;
  ALTER TABLE users ADD COLUMN expiry_emails INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE access_tokens ADD COLUMN next_notice_at BIGINT DEFAULT 0;
  CREATE INDEX access_tokens_next_notice ON access_tokens(next_notice_at);
  CREATE TABLE notices (
    seq ${serialKey},
    delivery_id TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    channel TEXT NOT NULL,
    token_id TEXT,
    token_name TEXT,
    facts TEXT NOT NULL,
    dedupe_key TEXT UNIQUE,
    due_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    -- Until when the server that claimed it may send it; NULL: nobody holds it.
    lease_until BIGINT,
    state TEXT NOT NULL DEFAULT 'PENDING',
    finished_at BIGINT,
    last_error TEXT
  );
  CREATE INDEX notices_pending ON notices(next_attempt_at) WHERE state = 'PENDING';
  CREATE INDEX notices_finished ON notices(finished_at);`;

export const PROFILE_COLUMNS = 'user_name, proxy_email, email, pending_email, pending_email_since, expiry_emails';

/** A `users` row's notification columns. */
export interface ProfileRow {
  user_name: string;
  proxy_email: string | null;
  email: string | null;
  pending_email: string | null;
  pending_email_since: number | null;
  expiry_emails: number;
}

export const toProfile = (row: ProfileRow | undefined): NotificationProfile => ({
  userName: row?.user_name ?? '',
  proxyEmail: row?.proxy_email ?? null,
  email: row?.email ?? null,
  pendingEmail: row?.pending_email ?? null,
  pendingSince: row?.pending_email_since ?? null,
  expiryEmails: (row?.expiry_emails ?? 1) !== 0,
});

/** The columns a profile change sets, by field, in both engines. */
export const PROFILE_CHANGE_COLUMNS = { email: 'email', pendingEmail: 'pending_email', pendingSince: 'pending_email_since', expiryEmails: 'expiry_emails' } as const;

/** A profile change as column names and values, in a stable order. */
export const profileChangeOf = (change: Partial<Record<keyof typeof PROFILE_CHANGE_COLUMNS, unknown>>) =>
  (Object.keys(PROFILE_CHANGE_COLUMNS) as Array<keyof typeof PROFILE_CHANGE_COLUMNS>)
    .filter((field) => change[field] !== undefined)
    .map((field) => [PROFILE_CHANGE_COLUMNS[field], typeof change[field] === 'boolean' ? Number(change[field]) : change[field]] as const);

export const NOTICE_INSERT_COLUMNS = 'delivery_id, user_id, kind, channel, token_id, token_name, facts, dedupe_key, due_at, next_attempt_at';

/** The values of a new notice, in the order of NOTICE_INSERT_COLUMNS. */
export const noticeInsertValues = (deliveryId: string, notice: NewNotice) => [
  deliveryId,
  notice.userId,
  notice.kind,
  notice.channel,
  notice.token?.id ?? null,
  notice.token?.name ?? null,
  JSON.stringify(notice.facts),
  notice.key,
  notice.dueAt,
  notice.dueAt,
];

export const NOTICE_COLUMNS = 'seq, delivery_id, user_id, kind, channel, token_id, token_name, facts, dedupe_key, due_at, attempts';

/** A `notices` row as both engines return it. */
export interface NoticeRow {
  seq: number;
  delivery_id: string;
  user_id: string;
  kind: OutboxKind;
  channel: NoticeChannel;
  token_id: string | null;
  token_name: string | null;
  facts: string;
  dedupe_key: string | null;
  due_at: number;
  attempts: number;
}

export const toClaimedNotice = (row: NoticeRow): ClaimedNotice => ({
  seq: row.seq,
  deliveryId: row.delivery_id,
  userId: row.user_id,
  kind: row.kind,
  channel: row.channel,
  token: row.token_id === null ? null : { id: row.token_id, name: row.token_name ?? '' },
  facts: JSON.parse(row.facts) as NoticeFacts,
  key: row.dedupe_key,
  dueAt: row.due_at,
  attempts: row.attempts,
});

/** Admins: a user disabled (offboarded) since when, and the admin log. */
export const adminTables = (serialKey: string) => `
  ALTER TABLE users ADD COLUMN disabled_at BIGINT;
  CREATE TABLE admin_events (
    seq ${serialKey},
    occurred_at BIGINT NOT NULL,
    admin_name TEXT NOT NULL,
    action TEXT NOT NULL,
    target_user_name TEXT,
    detail TEXT,
    address TEXT,
    user_agent TEXT
  );
  CREATE INDEX admin_events_time ON admin_events(occurred_at);`;

export const POLICY_SETTING = 'access_token_policy';

export const ADMIN_EVENT_COLUMNS = 'seq, occurred_at, admin_name, action, target_user_name, detail, address, user_agent';
export const ADMIN_EVENT_INSERT_COLUMNS = 'occurred_at, admin_name, action, target_user_name, detail, address, user_agent';
export const adminEntryValues = (entry: NewAdminEntry) => [entry.time, entry.adminName, entry.action, entry.targetUserName, entry.detail, entry.address, entry.userAgent];

export interface AdminEventRow {
  seq: number;
  occurred_at: number;
  admin_name: string;
  action: AdminEntry['action'];
  target_user_name: string | null;
  detail: string | null;
  address: string | null;
  user_agent: string | null;
}

/** A page of the admin log from the rows read for it (one more than `limit`). */
export function adminPageOf(rows: readonly AdminEventRow[], limit: number) {
  const items: AdminEntry[] = rows.slice(0, limit).map((row) => ({
    seq: row.seq,
    time: row.occurred_at,
    adminName: row.admin_name,
    action: row.action,
    targetUserName: row.target_user_name,
    detail: row.detail,
    address: row.address,
    userAgent: row.user_agent,
  }));
  return { items, next: rows.length > limit ? items[items.length - 1]?.seq : undefined };
}

/**
 * An admin's list as SQL for both engines: the live tokens, of one owner (its index), after the
 * cursor in creation order, whose name or owner holds the text; `placeholder(n)` writes the n-th
 * parameter as the engine does.
 */
export function tokenQuerySql(query: TokenQuery, placeholder: (index: number) => string) {
  const values: unknown[] = [query.now];
  const where = [`t.expires_at > ${placeholder(1)}`];
  const add = (condition: (name: string) => string, value: unknown) => {
    values.push(value);
    where.push(condition(placeholder(values.length)));
  };
  if (query.ownerId !== undefined) add((name) => `t.user_id = ${name}`, query.ownerId);
  const beyond = query.descending ? '<' : '>';
  if (query.after !== undefined && query.orderBy === 'expiresAt') {
    values.push(query.after.expiresAt ?? 0, query.after.seq);
    const [expires, seq] = [placeholder(values.length - 1), placeholder(values.length)];
    where.push(`(t.expires_at ${beyond} ${expires} OR (t.expires_at = ${expires} AND t.seq ${beyond} ${seq}))`);
  } else if (query.after !== undefined) add((name) => `t.seq ${beyond} ${name}`, query.after.seq);
  if (query.text !== undefined) {
    // The text itself, not a pattern: its % and _ match only themselves.
    add((name) => `(lower(t.name) LIKE ${name} ESCAPE '\\' OR lower(u.user_name) LIKE ${name} ESCAPE '\\')`, `%${query.text.toLowerCase().replace(/[\\%_]/g, (character) => `\\${character}`)}%`);
  }
  values.push(query.limit + 1);
  return {
    text: `SELECT ${tokenColumnsOf('t')}, u.user_name AS owner_name FROM access_tokens t JOIN users u ON u.id = t.user_id
           WHERE ${where.join(' AND ')}
           ORDER BY ${query.orderBy === 'expiresAt' ? `t.expires_at ${query.descending ? 'DESC' : 'ASC'}, ` : ''}t.seq ${query.descending ? 'DESC' : 'ASC'}
           LIMIT ${placeholder(values.length)}`,
    values,
  };
}

/** A page of owned tokens from the rows read for it (one more than `limit`). */
export function ownedPageOf(rows: ReadonlyArray<TokenRow & { owner_name: string }>, limit: number) {
  const items: OwnedToken[] = rows.slice(0, limit).map((row) => ({ token: toToken(row), ownerName: row.owner_name }));
  return { items, next: rows.length > limit ? items[items.length - 1] : undefined };
}
