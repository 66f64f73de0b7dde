import type { StoredToken, TokenPage } from './repository';

/** An `access_tokens` row as both SQL engines return it (the same columns, BIGINT as a number). */
export interface TokenRow {
  seq: number;
  id: string;
  user_id: string;
  name: string;
  expires_at: number;
  last_used_at: number | null;
  created_with_id: string | null;
  created_with_name: string | null;
}

/** The columns of a TokenRow, for the SELECTs and RETURNING clauses of both engines. */
export const TOKEN_COLUMNS = 'seq, id, user_id, name, expires_at, last_used_at, created_with_id, created_with_name';

export const toToken = (row: TokenRow): StoredToken => ({
  seq: row.seq,
  id: row.id,
  userId: row.user_id,
  name: row.name,
  expiresAt: row.expires_at,
  lastUsedAt: row.last_used_at,
  createdWith: row.created_with_id === null ? null : { id: row.created_with_id, name: row.created_with_name ?? '' },
});

/** A page of a user's live tokens, in order, after the cursor `after`, from the whole list kept in memory. */
export function pageOf(tokens: readonly StoredToken[], now: number, limit: number, after: number | undefined): TokenPage {
  // One token more than asked tells whether another page follows.
  const items: StoredToken[] = [];
  for (const token of tokens) {
    if (token.seq <= (after ?? 0) || token.expiresAt <= now) continue;
    if (items.length === limit) return { items, next: items[items.length - 1]?.seq };
    items.push(token);
  }
  return { items, next: undefined };
}
