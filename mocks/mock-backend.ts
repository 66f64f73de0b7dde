import { FULL_ACCESS } from '../contract/access';
import {
  DEFAULT_ACTIVITY_RETENTION_DAYS,
  DEFAULT_MAX_TOKEN_LIFETIME_YEARS,
  MAX_LIVE_TOKENS_PER_USER,
  SECRET_PATTERN,
  type AccessTokenEventType,
  type ApiChannel,
} from '../contract/access-tokens';
import type { AccessTokenAccess, AccessTokenSummary, GetUserDetailsResponse, RepositorySummary } from '../contract/schemas';
import { createAccessTokenService, toSummary, type PageCursors, type Verification } from '../service/access-token-service';
import { createAdminService } from '../service/admin-service';
import { createMemoryTokenStore } from '../service/memory-token-store';
import { createNotificationService } from '../service/notices';
import type { Actor, Client, TokenOrigin, User } from '../service/token-store';

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

/** Who did what a test seeds: the PAT it was done with (none: the console), and the client's User-Agent. */
export interface MockActor {
  via?: TokenOrigin;
  /** Without a PAT: how the request came (by default the console's page). */
  channel?: ApiChannel;
  userAgent?: string;
}

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A secret of the server's shape (its checksum is not computed: nothing here checks it). */
export function mockSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(49));
  return `pat_${Array.from(bytes, (byte) => ALPHABET[byte % ALPHABET.length]).join('')}`;
}

/** SHA-256 of the secret, hex: like the server, the mocks keep no secret. */
export async function digestOf(secret: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Opaque cursors of the mocks' own issue; one they did not issue, or issued for another scope, is refused. */
function createMockCursors(): PageCursors {
  const issued = new Map<string, { scope: string; cursor: number }>();
  return {
    encode(scope, cursor) {
      const token = `mock-page-${crypto.randomUUID()}`;
      issued.set(token, { scope, cursor });
      return token;
    },
    decode(scope, token) {
      const found = issued.get(token);
      return found?.scope === scope ? found.cursor : undefined;
    },
  };
}

const toOrigin = (createdWith: AccessTokenSummary['createdWith']): TokenOrigin | null =>
  createdWith ? { id: createdWith.accessTokenId, name: createdWith.name } : null;

/**
 * The service itself, over the store in memory: the msw handlers call the same rules the server
 * does. Tests reset it and seed tokens, events and repositories as no request could.
 */
export function createMockBackend() {
  const user: User = { id: MOCK_USER.userId, userName: MOCK_USER.userName };
  const memory = createMemoryTokenStore({ users: [user] });
  const defaultLimits = {
    maxTokenLifetimeYears: DEFAULT_MAX_TOKEN_LIFETIME_YEARS,
    maxLiveTokens: MAX_LIVE_TOKENS_PER_USER,
    activityRetentionDays: DEFAULT_ACTIVITY_RETENTION_DAYS,
  };
  let repositories: RepositorySummary[] = [];
  /** As a server with a mail server (PAT_CONSOLE_SMTP_URL) or without one, the default. */
  const notificationsFor = (email: boolean) =>
    // A mock's confirmation token needs no secret: it stands for what it confirms, readably.
    createNotificationService({ store: memory.store, notices: { email, webhook: false }, sign: (text) => `mock-confirm-${encodeURIComponent(text)}` });
  let notifications = notificationsFor(false);
  const build = (limits = defaultLimits) =>
    createAccessTokenService({
      store: memory.store,
      secrets: { generate: mockSecret, digest: digestOf, isWellFormed: (secret) => SECRET_PATTERN.test(secret) },
      cursors: createMockCursors(),
      limits,
      notices: notifications.rules,
    });
  let deployment = defaultLimits;
  let service = build();
  const cursors = createMockCursors();
  const buildAdmin = () => createAdminService({ store: memory.store, cursors, notices: notifications.rules, limits: () => service.limits() });
  let admin = buildAdmin();
  /** As a server whose PAT_CONSOLE_ADMINS names the console's user. */
  let isAdmin = false;

  return {
    /** The console's user, as the server makes one for the local user. */
    user,
    get service() {
      return service;
    },
    get notifications() {
      return notifications;
    },
    get admin() {
      return admin;
    },
    /** Whether the console's user is an admin (PAT_CONSOLE_ADMINS names them). */
    get isAdmin() {
      return isAdmin;
    },
    setAdmin(on: boolean) {
      isAdmin = on;
    },
    /** Another user's PAT, as a test seeds it. */
    async addFor(userName: string, name: string, expiresAt: Date): Promise<AccessTokenSummary> {
      const owner = await memory.store.userByName(userName);
      return toSummary(
        memory.seedToken({ userId: owner.id, name, digest: `none-${crypto.randomUUID()}`, expiresAt: expiresAt.getTime(), lastUsedAt: null, createdWith: null, description: null, access: FULL_ACCESS, createdAt: Date.now() }),
      );
    },
    reset() {
      memory.reset();
      repositories = [];
      notifications = notificationsFor(false);
      deployment = defaultLimits;
      service = build();
      admin = buildAdmin();
      isAdmin = false;
    },
    /** As a server that sends e-mail, whose proxy says the user's address is `proxyEmail`. */
    async sendEmail(proxyEmail?: string) {
      notifications = notificationsFor(true);
      service = build(deployment);
      if (proxyEmail) await memory.store.rememberProxyEmail(user.id, proxyEmail);
    },
    /** The token of the link the confirmation mail would carry for the address waiting now. */
    async confirmationToken(): Promise<string | undefined> {
      const { pendingEmail, pendingSince } = await memory.store.notificationProfile(user.id);
      return pendingEmail === null || pendingSince === null ? undefined : notifications.confirmationToken(user.id, pendingEmail, pendingSince);
    },
    /** As a server started with another PAT_CONSOLE_MAX_TOKEN_LIFETIME_YEARS. */
    setMaxTokenLifetimeYears(years: number) {
      deployment = { ...deployment, maxTokenLifetimeYears: years };
      service = build(deployment);
    },
    /** A token as a test seeds it; without a digest, no secret opens it. */
    add(
      name: string,
      expiresAt: Date,
      lastUsedAt?: Date,
      digest?: string,
      createdWith?: AccessTokenSummary['createdWith'],
      description?: string,
      access?: AccessTokenAccess,
      createdAt?: Date,
    ): AccessTokenSummary {
      return toSummary(
        memory.seedToken({
          userId: user.id,
          name,
          digest: digest ?? `none-${crypto.randomUUID()}`,
          expiresAt: expiresAt.getTime(),
          lastUsedAt: lastUsedAt?.getTime() ?? null,
          createdWith: toOrigin(createdWith),
          description: description ?? null,
          access: access ?? FULL_ACCESS,
          createdAt: createdAt?.getTime() ?? Date.now(),
        }),
      );
    },
    /** An event as a test seeds it, at `time`; with no actor, the service did it itself. */
    addEvent(type: AccessTokenEventType, token: TokenOrigin, time: Date, actor?: MockActor, detail?: string) {
      const by: Actor | null = actor
        ? {
            via: actor.via ? { id: actor.via.id, name: actor.via.name } : null,
            source: actor.via ? 'ACCESS_TOKEN' : (actor.channel ?? 'CONSOLE'),
            address: MOCK_CLIENT_ADDRESS,
            userAgent: actor.userAgent ?? null,
          }
        : null;
      memory.seedEvent({ userId: user.id, time: time.getTime(), type, token, actor: by, detail: detail ?? null });
    },
    /** Deleted in the console, as DeleteAccessToken does it. */
    remove: (id: string) =>
      service.deleteAccessToken({ user, token: null, channel: 'CONSOLE', client: { address: MOCK_CLIENT_ADDRESS, userAgent: null } }, id),
    /** A presented secret, checked and its use recorded, as a request with it would be. */
    verify: (secret: string, client: Client = { address: MOCK_CLIENT_ADDRESS, userAgent: null }): Promise<Verification> =>
      service.verify(secret, client),
    list: (now: Date) => memory.liveTokensOf(user.id, now.getTime()).map(toSummary),
    /** Expired tokens are gone, their expiry logged, as the server's periodic purge leaves them. */
    purgeExpired: (now: Date) => service.purgeExpired(now.getTime()),
    /** A repository as a push would leave it; a new, empty one has no last push. */
    addRepository(name: string, sizeBytes = 1024, lastPushAt?: Date) {
      repositories.push({ name, sizeBytes, ...(lastPushAt ? { lastPushTime: lastPushAt.toISOString() } : {}) });
    },
    repositories: () => [...repositories].sort((a, b) => a.name.localeCompare(b.name)),
  };
}

export type MockBackend = ReturnType<typeof createMockBackend>;
