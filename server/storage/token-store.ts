import type { AccessTokenEventType } from '../../contract/access-tokens';

/** Storage behind the routes: another engine implements this and nothing else changes. */

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
  /** Insertion order, the list's stable order and its cursor. */
  seq: number;
  /** The PAT whose bearer made this token (its name kept after it is gone), or null: the console. */
  createdWith: TokenOrigin | null;
}

export interface TokenOrigin {
  id: string;
  name: string;
}

export interface TokenPage {
  items: StoredToken[];
  /** The cursor after the last item, when more items follow. */
  next: number | undefined;
}

export type CreateResult = { ok: true; token: StoredToken } | { ok: false; reason: 'quota' };

/** Where a request came from, as the activity log records it. */
export interface Client {
  address: string;
  userAgent: string | null;
}

/** Who made a change: the PAT the request was made with (null: the console), and from where. */
export interface Actor extends Client {
  via: TokenOrigin | null;
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
}

export interface ActivityPage {
  items: ActivityEntry[];
  next: number | undefined;
}

export interface CreateTokenInput {
  userId: string;
  name: string;
  /** Who asked, recorded in the activity log; its PAT becomes the token's origin. Absent: the console. */
  actor?: Actor;
  digest: string;
  expiresAt: number;
  now: number;
  maxLiveTokens: number;
}

export interface RegenerateTokenInput {
  userId: string;
  id: string;
  digest: string;
  expiresAt: number;
  now: number;
  actor?: Actor;
}

export interface DeleteTokenInput {
  userId: string;
  id: string;
  now: number;
  actor?: Actor;
}

/**
 * The database cannot be reached (it is down, restarting, or every connection is busy for too long):
 * the request fails fast with 503 rather than hang, and the next one tries again.
 */
export class StorageUnavailableError extends Error {}

/**
 * Nothing a server remembers may outlive a change made through another server: an implementation
 * that several servers share (PostgreSQL) answers from the database every time.
 */
export interface TokenStore {
  /** The user with this name, created on first sight. */
  userByName(userName: string): Promise<User>;
  /** Creates the token unless the user already has `maxLiveTokens` live ones, atomically. */
  createToken(input: CreateTokenInput): Promise<CreateResult>;
  /** Live tokens of a user in insertion order, after the cursor `after`. */
  listTokens(userId: string, now: number, limit: number, after: number | undefined): Promise<TokenPage>;
  /** Deletes the token, and keeps its digest a while to tell a later use of its secret for what it is. */
  deleteToken(input: DeleteTokenInput): Promise<boolean>;
  /**
   * Gives the user's live token `id` a new digest and expiry; its id, name and history stay. The old
   * secret stops working with the next request, on every server. Undefined when there is no such token.
   * Each of create, regenerate and delete records its event in the same transaction as the change.
   */
  regenerateToken(input: RegenerateTokenInput): Promise<StoredToken | undefined>;
  /** The live token with this digest, and its owner. */
  findByDigest(digest: string, now: number): Promise<{ token: StoredToken; user: User } | undefined>;
  /**
   * Records a use of a token as `findByDigest` returned it, unless one was recorded less than
   * `resolutionMs` ago, by whichever server.
   */
  touchLastUsed(token: StoredToken, now: number, resolutionMs: number): Promise<void>;
  /** Deletes the expired tokens, and records each expiry in its owner's activity log. */
  purgeExpired(now: number): Promise<number>;
  /**
   * Records that `token` was used from `client`, and logs it when no use from that client was
   * recorded before, by whichever server; at most `allowance.count` new clients of the token in
   * `allowance.windowMs`.
   */
  recordUse(token: StoredToken, client: Client, now: number, allowance: { count: number; windowMs: number }): Promise<void>;
  /**
   * A secret with this digest was refused: when it belonged to a token that was deleted, has
   * expired or was regenerated (and so is still in use somewhere), logs it for the token's owner, at
   * most once per `quietMs` for the same token and client address.
   */
  recordRefusedUse(digest: string, client: Client, now: number, quietMs: number): Promise<void>;
  /** A user's activity log, newest first, before the cursor `before`. */
  listActivity(userId: string, limit: number, before: number | undefined): Promise<ActivityPage>;
  /** Forgets activity, and the digests of retired secrets, from before `before`. */
  purgeActivity(before: number): Promise<number>;
  /** A secret of the deployment (for signing page tokens), made on first use and kept. */
  signingKey(): Promise<Buffer>;
  /** Whether the database answers now: the health check. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
