import type { AccessTokenEventSource, AccessTokenEventType, NoticeChannel, NoticeKind, RetiredReason, AdminAction } from '../contract/access-tokens';
import type { AccessTokenAccess, AccessTokenPolicy } from '../contract/schemas';

/**
 * The storage port under the access-token service: rows in and out, transactions, and the engine's
 * own locks. The rules (the quota, retiring secrets, what is logged and when) are the service's;
 * an engine only translates. SQLite and PostgreSQL implement it in the server, memory in the mocks.
 */

export interface User {
  id: string;
  userName: string;
}

export interface StoredToken {
  id: string;
  userId: string;
  name: string;
  expiresAt: number;
  lastUsedAt: number | null;
  /** When it was created (Regenerate keeps it). */
  createdAt: number;
  /** Insertion order, the list's stable order and its cursor. */
  seq: number;
  /** The PAT whose bearer made this token (its name kept after it is gone), or null: the console. */
  createdWith: TokenOrigin | null;
  /** What it is for, in its owner's words; null: none. */
  description: string | null;
  /** What it may do, on which repositories, from where (a token from before scopes: everything). */
  access: AccessTokenAccess;
}

export interface TokenOrigin {
  id: string;
  name: string;
}

/** Where a request came from, as the activity log records it. */
export interface Client {
  address: string;
  userAgent: string | null;
}

/** Who made a change: the PAT the request was made with (null: none), how it came, and from where. */
export interface Actor extends Client {
  via: TokenOrigin | null;
  source: Exclude<AccessTokenEventSource, 'SERVICE'>;
}

/** An entry of a user's activity log. */
export interface ActivityEntry {
  /** Insertion order: the log's order (newest first) and its cursor. */
  seq: number;
  time: number;
  type: AccessTokenEventType;
  /** The token it is about, with the name it had then. */
  token: TokenOrigin;
  /** The PAT the request was made with; null for the console, and for what the service did itself. */
  via: TokenOrigin | null;
  address: string | null;
  userAgent: string | null;
  /** For a refused use: the permission it needed, or the repository it asked for. */
  detail: string | null;
  /** How it came about; null in an entry from before sources were kept. */
  source: AccessTokenEventSource | null;
}

export interface ActivityPage {
  items: ActivityEntry[];
  next: number | undefined;
}

/**
 * When the token's next expiry notice is due (its store looks for tokens past it); null: no more.
 * Kept with the token, not on StoredToken: only the notice schedule reads it.
 */
interface NoticeSchedule {
  noticeAt: number | null;
}

/** A token to insert: its fields but those the store gives it (its id and place) and its uses. */
export type NewToken = Omit<StoredToken, 'id' | 'seq' | 'lastUsedAt'> & { digest: string } & NoticeSchedule;

/** What Regenerate changes of a token: its secret and expiry, and its description when one is given. */
export type Renewal = Pick<StoredToken, 'expiresAt'> & { digest: string; description?: string | null; access?: AccessTokenAccess } & NoticeSchedule;

/** Where a user's notices go, as kept with the user. */
export interface NotificationProfile {
  userName: string;
  /** The address the authenticating proxy last sent for the user. */
  proxyEmail: string | null;
  /** An address set in the console and confirmed through its link. */
  email: string | null;
  /** An address set in the console whose link was not followed yet, and when it was set. */
  pendingEmail: string | null;
  pendingSince: number | null;
  expiryEmails: boolean;
}

/** A change to a user's notification profile: the fields given change, the others stay. */
export type ProfileChange = Partial<Omit<NotificationProfile, 'userName' | 'proxyEmail'>>;

/** What a notice needs to be written when it is sent, as things were when it was queued. */
export interface NoticeFacts {
  /** The token's expiry and last use (for a confirmation mail: none). */
  expiresAt?: number;
  lastUsedAt?: number | null;
  /** For an expiring token: the notice's window, in days before expiry. */
  daysBefore?: number;
  /** Who caused it, when a request did. */
  actor?: Client & { source: AccessTokenEventSource };
  /** For a confirmation mail: the address to confirm, and when it was set (its link is made from these). */
  confirmEmail?: { address: string; since: number };
}

/** What the outbox sends: a notice about a token, or the link that confirms an address. */
export type OutboxKind = NoticeKind | 'CONFIRM_EMAIL';

/** A notice to queue in the outbox, in the same transaction as the change it tells of. */
export interface NewNotice {
  userId: string;
  kind: OutboxKind;
  channel: NoticeChannel;
  /** The token it is about (a confirmation mail: none). */
  token: TokenOrigin | null;
  facts: NoticeFacts;
  dueAt: number;
  /** A notice with a key is queued once, however many servers try. */
  key: string | null;
}

/** A notice a server has claimed to send, for a while (its lease), with the attempts made so far. */
export interface ClaimedNotice extends NewNotice {
  seq: number;
  /** Stable across attempts: a receiver that sees it twice knows it is one notice. */
  deliveryId: string;
  /** Counting this one. */
  attempts: number;
}

/** How an attempt ended: sent, given up, or not sent (no address, e-mail switched off). */
export type NoticeOutcome = { state: 'SENT' | 'SKIPPED'; at: number } | { state: 'GAVE_UP'; at: number; error: string };

/** An entry to append to `userId`'s activity log; no actor: the service did it itself. */
export interface NewEvent {
  userId: string;
  time: number;
  type: AccessTokenEventType;
  token: TokenOrigin;
  actor: Actor | null;
  detail?: string | null;
}

/** A secret that no longer works, and the token it belonged to. */
export interface RetiredSecret {
  digest: string;
  userId: string;
  token: TokenOrigin;
  reason: RetiredReason;
  retiredAt: number;
}

/** A token taken out of the store, with its secret's digest. */
export interface RemovedToken {
  token: StoredToken;
  digest: string;
}

/** A PAT with its owner's name, as an admin lists it. */
export interface OwnedToken {
  token: StoredToken;
  ownerName: string;
}

/** What an admin's list asks for: one owner's (by id), a text in the name or owner, the order, a cursor. */
export interface TokenQuery {
  ownerId?: string;
  text?: string;
  descending: boolean;
  /** By insertion (`seq`), or by expiry (then `seq`). */
  orderBy: 'seq' | 'expiresAt';
  /** The cursor: the last row of the page before (its expiry too when ordered by it). */
  after?: { seq: number; expiresAt?: number };
  limit: number;
  now: number;
}

/** An entry of the admin log. */
export interface AdminEntry {
  seq: number;
  time: number;
  adminName: string;
  action: AdminAction;
  targetUserName: string | null;
  detail: string | null;
  address: string | null;
  userAgent: string | null;
}

export type NewAdminEntry = Omit<AdminEntry, 'seq'>;

/** The writes of one transaction: all of them happen, or none. */
export interface TokenWrites {
  /** Holds the user until the transaction ends: that user's transactions queue here, on every server. */
  lockUser(userId: string): Promise<void>;
  countLiveTokens(userId: string, now: number): Promise<number>;
  insertToken(token: NewToken): Promise<StoredToken>;
  /** Deletes the user's token `id`, live or not. */
  deleteToken(userId: string, id: string): Promise<RemovedToken | undefined>;
  /** Renews the user's live token `id`; answers the token and its old digest. */
  renewToken(userId: string, id: string, now: number, renewal: Renewal): Promise<RemovedToken | undefined>;
  /** Deletes the live tokens whose secrets have these digests (others are ignored); each goes to one server only. */
  deleteLiveTokensByDigest(digests: readonly string[], now: number): Promise<RemovedToken[]>;
  /**
   * Live tokens whose next expiry notice is due by `now`, with their owner's name, at most `limit`;
   * each goes to one server only (the others skip what one holds).
   */
  takeTokensDueForNotice(now: number, limit: number): Promise<Array<{ token: StoredToken; userName: string; noticeAt: number }>>;
  setNextNoticeAt(tokenId: string, at: number | null): Promise<void>;
  /** Queues a notice, unless one with its key is queued already. */
  enqueueNotice(notice: NewNotice): Promise<void>;
  finishNotice(seq: number, outcome: NoticeOutcome): Promise<void>;
  /** Gives a claimed notice back, to be tried again at `at`. */
  postponeNotice(seq: number, at: number, error: string): Promise<void>;
  notificationProfile(userId: string): Promise<NotificationProfile>;
  updateNotificationProfile(userId: string, change: ProfileChange): Promise<void>;
  /** Deletes every token expired by `now`; each goes to one server only. */
  deleteExpiredTokens(now: number): Promise<RemovedToken[]>;
  /** Deletes these tokens, whoever's they are. */
  deleteTokensById(ids: readonly string[]): Promise<RemovedToken[]>;
  /** Deletes every token of the user. */
  deleteTokensOfUser(userId: string): Promise<RemovedToken[]>;
  /** Since when the user is disabled (null: not). */
  userDisabledAt(userId: string): Promise<number | null>;
  setUserDisabled(userId: string, at: number | null): Promise<void>;
  writePolicy(policy: Partial<AccessTokenPolicy>): Promise<void>;
  appendAdminEntry(entry: NewAdminEntry): Promise<void>;
  retireSecret(secret: RetiredSecret): Promise<void>;
  appendEvent(event: NewEvent): Promise<void>;
  /** How many clients of the token were first seen after `since`. */
  countClientsSince(tokenId: string, since: number): Promise<number>;
  /** Records the token's client; true when it was not known. */
  addClient(tokenId: string, client: Client, now: number): Promise<boolean>;
  /**
   * Marks a refused use of the token from a client (`key`: its address, and what was refused),
   * unless one was marked after `quietSince`: true when this one is marked.
   */
  markRefusedUse(tokenId: string, key: string, now: number, quietSince: number): Promise<boolean>;
}

/**
 * The database cannot be reached (it is down, restarting, or every connection is busy for too long):
 * the request fails fast with 503 rather than hang, and the next one tries again.
 */
export class StorageUnavailableError extends Error {}

/**
 * Nothing a server remembers may outlive a change made through another server: an implementation
 * that several servers share (PostgreSQL) checks with the database on every read.
 */
export interface TokenStore {
  /** The user with this name, created on first sight. */
  userByName(userName: string): Promise<User>;
  /** `work` in one transaction: committed when it returns, rolled back when it throws. */
  transaction<T>(work: (writes: TokenWrites) => Promise<T>): Promise<T>;
  /** A user's live tokens in insertion order. The same objects may come back while nothing changed. */
  liveTokens(userId: string, now: number): Promise<readonly StoredToken[]>;
  /** The live token with this digest, and its owner. */
  findByDigest(digest: string, now: number): Promise<{ token: StoredToken; user: User } | undefined>;
  /** The secret with this digest, when it no longer works: retired, or of a token expired but not yet purged. */
  findRetiredSecret(digest: string, now: number): Promise<RetiredSecret | undefined>;
  /**
   * Records a use of a token as `findByDigest` returned it, unless one was recorded less than
   * `resolutionMs` ago, by whichever server.
   */
  touchLastUsed(token: StoredToken, now: number, resolutionMs: number): Promise<void>;
  /** A user's activity log, newest first, before the cursor `before`. */
  listActivity(userId: string, limit: number, before: number | undefined): Promise<ActivityPage>;
  /** Forgets activity from before `before`, with the retired digests, refused-use marks, clients of gone tokens and finished notices. */
  purgeActivity(before: number): Promise<number>;
  /** The user with this name, if there is one (unlike userByName, it makes none). */
  findUser(userName: string): Promise<User | undefined>;
  /** The policy admins set; undefined: none, the deployment's settings hold. */
  readPolicy(): Promise<Partial<AccessTokenPolicy> | undefined>;
  /** A page of every user's live tokens, with their owners, as an admin asks for them. */
  listTokensForAdmin(query: TokenQuery): Promise<{ items: OwnedToken[]; next: OwnedToken | undefined }>;
  /** The admin log, newest first, before the cursor `before`. */
  listAdminEntries(limit: number, before: number | undefined): Promise<{ items: AdminEntry[]; next: number | undefined }>;
  /** Keeps the address the authenticating proxy sends for the user (a write only when it changed). */
  rememberProxyEmail(userId: string, email: string): Promise<void>;
  notificationProfile(userId: string): Promise<NotificationProfile>;
  /**
   * Claims up to `limit` notices due by `now` that no server holds, each for `leaseMs`: another
   * server takes it only after the lease lapses (its claimant died mid-send).
   */
  claimNotices(now: number, limit: number, leaseMs: number): Promise<ClaimedNotice[]>;
  /** A secret of the deployment (for signing page tokens), made on first use and kept. */
  signingKey(): Promise<Uint8Array>;
  /** Whether the database answers now: the health check. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
