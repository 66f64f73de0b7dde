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

export interface CreateTokenInput {
  userId: string;
  name: string;
  /** The PAT the request was authenticated with; absent or null for the console's own requests. */
  createdWith?: TokenOrigin | null;
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
export interface TokenRepository {
  /** The user with this name, created on first sight. */
  userByName(userName: string): Promise<User>;
  /** Creates the token unless the user already has `maxLiveTokens` live ones, atomically. */
  createToken(input: CreateTokenInput): Promise<CreateResult>;
  /** Live tokens of a user in insertion order, after the cursor `after`. */
  listTokens(userId: string, now: number, limit: number, after: number | undefined): Promise<TokenPage>;
  deleteToken(userId: string, id: string): Promise<boolean>;
  /**
   * Gives the user's live token `id` a new digest and expiry; its id, name and history stay. The old
   * secret stops working with the next request, on every server. Undefined when there is no such token.
   */
  regenerateToken(input: RegenerateTokenInput): Promise<StoredToken | undefined>;
  /** The live token with this digest, and its owner. */
  findByDigest(digest: string, now: number): Promise<{ token: StoredToken; user: User } | undefined>;
  /**
   * Records a use of a token as `findByDigest` returned it, unless one was recorded less than
   * `resolutionMs` ago, by whichever server.
   */
  touchLastUsed(token: StoredToken, now: number, resolutionMs: number): Promise<void>;
  purgeExpired(now: number): Promise<number>;
  /** A secret of the deployment (for signing page tokens), made on first use and kept. */
  signingKey(): Promise<Buffer>;
  /** Whether the database answers now: the health check. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
