import {
  LIST_MAX_RESULTS,
  MAX_LIVE_TOKENS_PER_USER,
  type AccessTokenSummary,
  type GetUserDetailsResponse,
} from '../src/lib/api-contract';

interface MockToken extends AccessTokenSummary {
  expiresTime: string;
}

export const MOCK_USER: GetUserDetailsResponse = {
  userId: 'mock-user-0001',
  userName: 'marymajor',
  displayName: 'Mary Major',
  primaryEmail: { email: 'mary.major@example.com', verified: true },
  version: '1',
};

/**
 * An in-memory stand-in for the service, with its rules: expired tokens hidden, a quota of live
 * tokens, pagination through opaque tokens it issued itself.
 */
export function createMockAccessTokenService() {
  let tokens: MockToken[] = [];
  let sequence = 0;
  const issuedPageTokens = new Map<string, number>();

  const live = (now: Date) => tokens.filter((token) => Date.parse(token.expiresTime) > now.getTime());

  return {
    reset() {
      tokens = [];
      sequence = 0;
      issuedPageTokens.clear();
    },
    add(name: string, expiresAt: Date, lastUsedAt?: Date): AccessTokenSummary {
      sequence += 1;
      const token: MockToken = {
        id: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
        name,
        expiresTime: expiresAt.toISOString(),
        ...(lastUsedAt ? { lastUsedTime: lastUsedAt.toISOString() } : {}),
      };
      tokens.push(token);
      return token;
    },
    isOverQuota: (now: Date) => live(now).length >= MAX_LIVE_TOKENS_PER_USER,
    page(now: Date, maxResults = LIST_MAX_RESULTS, nextToken?: string) {
      const start = nextToken === undefined ? 0 : issuedPageTokens.get(nextToken);
      if (start === undefined) return undefined;
      const all = live(now);
      const items = all.slice(start, start + maxResults);
      const end = start + items.length;
      let next: string | undefined;
      if (end < all.length) {
        next = `mock-page-${crypto.randomUUID()}`;
        issuedPageTokens.set(next, end);
      }
      return { items, nextToken: next };
    },
    remove(id: string): boolean {
      const before = tokens.length;
      tokens = tokens.filter((token) => token.id !== id);
      return tokens.length < before;
    },
    list: (now: Date) => live(now),
  };
}

export type MockAccessTokenService = ReturnType<typeof createMockAccessTokenService>;
