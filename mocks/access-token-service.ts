import {
  DEFAULT_ACTIVITY_RETENTION_DAYS,
  DEFAULT_MAX_TOKEN_LIFETIME_YEARS,
  EVENTS_MAX_RESULTS,
  LIST_MAX_RESULTS,
  MAX_LIVE_TOKENS_PER_USER,
  NEW_CLIENTS_LOGGED,
  RETIRED_SECRET_USE,
  RETIRED_SECRET_USE_QUIET_MS,
  type AccessTokenEventType,
  type RetiredReason,
} from '../contract/access-tokens';
import type { AccessTokenEvent, AccessTokenSummary, GetUserDetailsResponse, RepositorySummary } from '../contract/schemas';

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

/** msw cannot see the client's address: every mocked request comes from here. */
export const MOCK_CLIENT_ADDRESS = '127.0.0.1';

/** Where a request came from, and the PAT it was made with (none: the console). */
export interface MockActor {
  via?: AccessTokenSummary;
  userAgent?: string;
}

const DEFAULT_LIMITS = {
  maxTokenLifetimeYears: DEFAULT_MAX_TOKEN_LIFETIME_YEARS,
  maxLiveTokens: MAX_LIVE_TOKENS_PER_USER,
  activityRetentionDays: DEFAULT_ACTIVITY_RETENTION_DAYS,
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

/** Pages through lists with opaque cursors of its own issue; a cursor it did not issue is refused. */
function createPager(prefix: string) {
  const issued = new Map<string, number>();
  return {
    reset: () => issued.clear(),
    /** Undefined for a cursor this pager did not issue. */
    page<Item>(all: readonly Item[], maxResults: number, nextToken: string | undefined) {
      const start = nextToken === undefined ? 0 : issued.get(nextToken);
      if (start === undefined) return undefined;
      const items = all.slice(start, start + maxResults);
      const end = start + items.length;
      let next: string | undefined;
      if (end < all.length) {
        next = `${prefix}-${crypto.randomUUID()}`;
        issued.set(next, end);
      }
      return { items, nextToken: next };
    },
  };
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
  // The log's cursors apart from the list's: each is refused where the other is expected.
  const tokenPages = createPager('mock-page');
  const eventPages = createPager('mock-events');
  let limits = { ...DEFAULT_LIMITS };
  /** The activity log, oldest first. */
  let events: AccessTokenEvent[] = [];
  /** Digests of secrets that stopped working, and why. */
  const retired = new Map<string, { token: { id: string; name: string }; reason: RetiredReason }>();
  const clients = new Set<string>();

  const live = (now: Date) => tokens.filter((token) => Date.parse(token.expiresTime) > now.getTime());
  const summary = ({ digest, ...token }: MockToken): AccessTokenSummary => token;

  function log(type: AccessTokenEventType, token: { id: string; name: string }, time: Date, actor?: MockActor) {
    events.push({
      eventId: String(events.length + 1),
      eventTime: time.toISOString(),
      eventType: type,
      accessTokenId: token.id,
      accessTokenName: token.name,
      source: actor === undefined ? 'SERVICE' : actor.via ? 'ACCESS_TOKEN' : 'CONSOLE',
      ...(actor?.via ? { sourceAccessToken: { accessTokenId: actor.via.id, name: actor.via.name } } : {}),
      ...(actor === undefined ? {} : { sourceIpAddress: MOCK_CLIENT_ADDRESS }),
      ...(actor?.userAgent === undefined ? {} : { userAgent: actor.userAgent }),
    });
  }

  return {
    reset() {
      tokens = [];
      repositories = [];
      sequence = 0;
      tokenPages.reset();
      eventPages.reset();
      events = [];
      retired.clear();
      clients.clear();
      limits = { ...DEFAULT_LIMITS };
    },
    limits: () => limits,
    /** As a server started with another PAT_CONSOLE_MAX_TOKEN_LIFETIME_YEARS. */
    setMaxTokenLifetimeYears(years: number) {
      limits = { ...limits, maxTokenLifetimeYears: years };
    },
    /** A token, as a test seeds it; with an `actor`, as CreateAccessToken makes it (and logs it). */
    add(
      name: string,
      expiresAt: Date,
      lastUsedAt?: Date,
      digest?: string,
      createdWith?: AccessTokenSummary['createdWith'],
      actor?: MockActor,
    ): AccessTokenSummary {
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
      if (actor) log('CREATED', token, new Date(), actor);
      return summary(token);
    },
    /**
     * The live token with this digest, its last use recorded, as the server does on every use, and
     * its first use from a client logged.
     */
    use(digest: string, now: Date, actor: MockActor = {}): AccessTokenSummary | undefined {
      const token = live(now).find((candidate) => candidate.digest === digest);
      if (!token) return undefined;
      token.lastUsedTime = now.toISOString();
      const client = `${token.id}\n${MOCK_CLIENT_ADDRESS}\n${actor.userAgent ?? ''}`;
      const newLately = events.filter(
        (event) =>
          event.eventType === 'USED_FROM_NEW_CLIENT' &&
          event.accessTokenId === token.id &&
          Date.parse(event.eventTime) > now.getTime() - NEW_CLIENTS_LOGGED.windowMs,
      ).length;
      if (!clients.has(client) && newLately < NEW_CLIENTS_LOGGED.count) {
        clients.add(client);
        log('USED_FROM_NEW_CLIENT', token, now, { ...actor, via: summary(token) });
      }
      return summary(token);
    },
    /** A refused secret: logged when it belonged to a token that is gone, expired or regenerated. */
    refuse(digest: string, now: Date, actor: MockActor = {}) {
      const expired = tokens.find((token) => token.digest === digest);
      const found = retired.get(digest) ?? (expired && { token: expired, reason: 'expired' as const });
      if (!found) return;
      const type = RETIRED_SECRET_USE[found.reason];
      // One client address (here, every request's): whatever User-Agent it sends.
      const recent = events.some(
        (event) =>
          event.eventType === type &&
          event.accessTokenId === found.token.id &&
          Date.parse(event.eventTime) > now.getTime() - RETIRED_SECRET_USE_QUIET_MS,
      );
      const token = { id: found.token.id, name: found.token.name };
      if (!recent) log(type, token, now, { ...actor, via: token });
    },
    /** Expired tokens are gone, their expiry logged, as the server's periodic purge leaves them. */
    purgeExpired(now: Date) {
      const expired = tokens.filter((token) => Date.parse(token.expiresTime) <= now.getTime());
      tokens = live(now);
      for (const token of expired) {
        if (token.digest) retired.set(token.digest, { token, reason: 'expired' });
        log('EXPIRED', token, new Date(token.expiresTime));
      }
    },
    /** A page of the activity log, newest first. */
    events: (maxResults = EVENTS_MAX_RESULTS, nextToken?: string) => eventPages.page([...events].reverse(), maxResults, nextToken),
    /** An event as a test seeds it, at `time`, made in the console unless `via` says which PAT. */
    addEvent(type: AccessTokenEventType, token: AccessTokenSummary, time: Date, actor?: MockActor) {
      log(type, token, time, actor);
    },
    isOverQuota: (now: Date) => live(now).length >= limits.maxLiveTokens,
    page(now: Date, maxResults = LIST_MAX_RESULTS, nextToken?: string) {
      const page = tokenPages.page(live(now), maxResults, nextToken);
      return page && { items: page.items.map(summary), nextToken: page.nextToken };
    },
    /** A new digest and expiry for the live token `id`, as RegenerateAccessToken leaves it. */
    regenerate(id: string, digest: string, expiresAt: Date, now: Date, actor: MockActor = {}): AccessTokenSummary | undefined {
      const token = live(now).find((candidate) => candidate.id === id);
      if (!token) return undefined;
      if (token.digest) retired.set(token.digest, { token: { id: token.id, name: token.name }, reason: 'regenerated' });
      log('REGENERATED', token, now, actor);
      token.digest = digest;
      token.expiresTime = expiresAt.toISOString();
      return summary(token);
    },
    remove(id: string, actor: MockActor = {}): boolean {
      const token = tokens.find((candidate) => candidate.id === id);
      if (!token) return false;
      tokens = tokens.filter((candidate) => candidate !== token);
      if (token.digest) retired.set(token.digest, { token, reason: 'deleted' });
      log('DELETED', token, new Date(), actor);
      return true;
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
