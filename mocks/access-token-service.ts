import { DEFAULT_MAX_TOKEN_LIFETIME_YEARS, LIST_MAX_RESULTS, MAX_LIVE_TOKENS_PER_USER } from '../contract/access-tokens';
import type { AccessTokenSummary, GetUserDetailsResponse, RepositorySummary } from '../contract/schemas';

interface MockToken extends AccessTokenSummary {
  expiresTime: string;
  /** SHA-256 of the secret, hex: like the server, the mock keeps no secret. */
  digest?: string;
}

/** The signed-in user as the server describes a user it has no directory entry for. */
export const MOCK_USER: GetUserDetailsResponse = {
  userId: '6f1c2a34-9b7e-4d21-8c55-0a9e3f7b1d42',
  userName: 'marymajor',
  displayName: 'marymajor',
  primaryEmail: { email: 'marymajor@localhost', verified: false },
  version: '1',
};

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A secret of the server's shape (its checksum is not computed: nothing here checks it). */
export function mockSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(49));
  return `pat_${Array.from(bytes, (byte) => ALPHABET[byte % ALPHABET.length]).join('')}`;
}

export async function digestOf(secret: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * An in-memory stand-in for the service, with its rules: expired tokens hidden, a quota of live
 * tokens, pagination through opaque tokens it issued itself, PATs that authenticate and record
 * their last use.
 */
export function createMockAccessTokenService() {
  let tokens: MockToken[] = [];
  let repositories: RepositorySummary[] = [];
  let sequence = 0;
  const issuedPageTokens = new Map<string, number>();
  let limits = { maxTokenLifetimeYears: DEFAULT_MAX_TOKEN_LIFETIME_YEARS, maxLiveTokens: MAX_LIVE_TOKENS_PER_USER };

  const live = (now: Date) => tokens.filter((token) => Date.parse(token.expiresTime) > now.getTime());
  const summary = ({ digest, ...token }: MockToken): AccessTokenSummary => token;

  return {
    reset() {
      tokens = [];
      repositories = [];
      sequence = 0;
      issuedPageTokens.clear();
      limits = { maxTokenLifetimeYears: DEFAULT_MAX_TOKEN_LIFETIME_YEARS, maxLiveTokens: MAX_LIVE_TOKENS_PER_USER };
    },
    limits: () => limits,
    /** As a server started with another PAT_CONSOLE_MAX_TOKEN_LIFETIME_YEARS. */
    setMaxTokenLifetimeYears(years: number) {
      limits = { ...limits, maxTokenLifetimeYears: years };
    },
    add(name: string, expiresAt: Date, lastUsedAt?: Date, digest?: string, createdWith?: AccessTokenSummary['createdWith']): AccessTokenSummary {
      sequence += 1;
      const token: MockToken = {
        id: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
        name,
        expiresTime: expiresAt.toISOString(),
        ...(lastUsedAt ? { lastUsedTime: lastUsedAt.toISOString() } : {}),
        ...(digest ? { digest } : {}),
        ...(createdWith ? { createdWith } : {}),
      };
      tokens.push(token);
      return summary(token);
    },
    /** The live token with this digest, its last use recorded, as the server does on every use. */
    use(digest: string, now: Date): AccessTokenSummary | undefined {
      const token = live(now).find((candidate) => candidate.digest === digest);
      if (token) token.lastUsedTime = now.toISOString();
      return token && summary(token);
    },
    isOverQuota: (now: Date) => live(now).length >= limits.maxLiveTokens,
    page(now: Date, maxResults = LIST_MAX_RESULTS, nextToken?: string) {
      const start = nextToken === undefined ? 0 : issuedPageTokens.get(nextToken);
      if (start === undefined) return undefined;
      const all = live(now);
      const items = all.slice(start, start + maxResults).map(summary);
      const end = start + items.length;
      let next: string | undefined;
      if (end < all.length) {
        next = `mock-page-${crypto.randomUUID()}`;
        issuedPageTokens.set(next, end);
      }
      return { items, nextToken: next };
    },
    /** A new digest and expiry for the live token `id`, as RegenerateAccessToken leaves it. */
    regenerate(id: string, digest: string, expiresAt: Date, now: Date): AccessTokenSummary | undefined {
      const token = live(now).find((candidate) => candidate.id === id);
      if (!token) return undefined;
      token.digest = digest;
      token.expiresTime = expiresAt.toISOString();
      return summary(token);
    },
    remove(id: string): boolean {
      const before = tokens.length;
      tokens = tokens.filter((token) => token.id !== id);
      return tokens.length < before;
    },
    list: (now: Date) => live(now).map(summary),
    /** A repository as a push would leave it; a new, empty one has no last push. */
    addRepository(name: string, sizeBytes = 1024, lastPushAt?: Date) {
      repositories.push({ name, sizeBytes, ...(lastPushAt ? { lastPushTime: lastPushAt.toISOString() } : {}) });
    },
    repositories: () => [...repositories].sort((a, b) => a.name.localeCompare(b.name)),
  };
}

export type MockAccessTokenService = ReturnType<typeof createMockAccessTokenService>;
