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
}

export interface TokenPage {
  items: StoredToken[];
  /** The cursor after the last item, when more items follow. */
  next: number | undefined;
}

export type CreateResult = { ok: true; token: StoredToken } | { ok: false; reason: 'quota' };

export interface TokenRepository {
  /** The user with this name, created on first sight. */
  userByName(userName: string): User;
  createToken(input: {
    userId: string;
    name: string;
    digest: string;
    expiresAt: number;
    now: number;
    maxLiveTokens: number;
  }): CreateResult;
  /** Live tokens of a user in insertion order, after the cursor `after`. */
  listTokens(userId: string, now: number, limit: number, after: number | undefined): TokenPage;
  deleteToken(userId: string, id: string): boolean;
  /** The live token with this digest, and its owner. */
  findByDigest(digest: string, now: number): { token: StoredToken; user: User } | undefined;
  touchLastUsed(token: StoredToken, now: number): void;
  purgeExpired(now: number): number;
  /** A secret of the deployment (for signing page tokens), made on first use and kept. */
  signingKey(): Buffer;
  close(): void;
}
