/**
 * The access-token wire contract (CodeCatalyst restJson1, see ../shared/reference): paths, limits and
 * error names, defined once for the console's API adapter, the msw mocks and the server. The shapes
 * of requests and responses are in `schemas.ts`; this file stays free of runtime dependencies, as
 * the console's first page imports it.
 */

export const ACCESS_TOKEN_NAME_MAX_LENGTH = 100;
export const ACCESS_TOKEN_ID_MAX_LENGTH = 36;
/** Our extension: a PAT's optional description (what it is for), in characters. */
export const ACCESS_TOKEN_DESCRIPTION_MAX_LENGTH = 1000;
export const LIST_MAX_RESULTS = 10;
export const NEXT_TOKEN_MAX_LENGTH = 10_000;
export const MAX_LIVE_TOKENS_PER_USER = 100;
/** Our extension: the most events a page of ListAccessTokenEvents holds. */
export const EVENTS_MAX_RESULTS = 100;
/** The server's default for how long it keeps the activity log; the deployment may choose another. */
export const DEFAULT_ACTIVITY_RETENTION_DAYS = 90;

/**
 * Our extension: what the activity log records. A change to a token (made in the console, with a
 * PAT, by the service for an expiry, or by anyone who reported its secret as exposed); a token's
 * first use from an address and client it was not used from before; a refused use of a secret
 * that no longer works, and why it no longer does; and a notice about a token delivered, or given
 * up on (its detail says `<channel>:<kind>`, as NOTICE_CHANNELS and NOTICE_KINDS name them).
 */
export const ACCESS_TOKEN_EVENT_TYPES = [
  'CREATED',
  'REGENERATED',
  'DELETED',
  'EXPIRED',
  'USED_FROM_NEW_CLIENT',
  'DELETED_TOKEN_USED',
  'EXPIRED_TOKEN_USED',
  'REPLACED_SECRET_USED',
  'REFUSED_PERMISSION',
  'REFUSED_REPOSITORY',
  'REFUSED_NETWORK',
  'REVOKED_AS_EXPOSED',
  'REVOKED_TOKEN_USED',
  'NOTICE_SENT',
  'NOTICE_FAILED',
  'REVOKED_BY_ADMIN',
] as const;
export type AccessTokenEventType = (typeof ACCESS_TOKEN_EVENT_TYPES)[number];

/**
 * Our extension: what a refused use of a retired secret is logged as, by why the secret no longer
 * works; and how long a client address that keeps presenting it goes unlogged after one entry,
 * whatever User-Agent it sends.
 */
export const RETIRED_SECRET_USE = {
  deleted: 'DELETED_TOKEN_USED',
  expired: 'EXPIRED_TOKEN_USED',
  regenerated: 'REPLACED_SECRET_USED',
  revoked: 'REVOKED_TOKEN_USED',
} as const satisfies Record<string, AccessTokenEventType>;
export type RetiredReason = keyof typeof RETIRED_SECRET_USE;
export const RETIRED_SECRET_USE_QUIET_MS = 60 * 60_000;
/**
 * Our extension: a token's first uses from new clients logged in a day, at most; past it, a holder
 * varying the User-Agent cannot grow its owner's log.
 */
export const NEW_CLIENTS_LOGGED = { count: 20, windowMs: 24 * 60 * 60_000 };

/**
 * Our extension: how an event came about: in the console's page, with a PAT (which one), by the
 * service itself, by a request with no PAT that is not the console's own page (in local mode, or
 * signed in through the authenticating proxy: a script, curl), or by anyone who reported the
 * secret as exposed (RevokeAccessTokens, unauthenticated).
 */
export const ACCESS_TOKEN_EVENT_SOURCES = ['CONSOLE', 'ACCESS_TOKEN', 'SERVICE', 'LOCAL_API', 'PROXY_API', 'EXPOSURE_REPORT'] as const;
export type AccessTokenEventSource = (typeof ACCESS_TOKEN_EVENT_SOURCES)[number];
/** How a request without a PAT reached the API: the sources a person's own standing can have. */
export type ApiChannel = Extract<AccessTokenEventSource, 'CONSOLE' | 'LOCAL_API' | 'PROXY_API'>;
/**
 * Our extension: the console's page says so on its requests, so its changes are logged as the
 * console's. Anyone may send it, as any User-Agent; it names, and grants nothing.
 */
export const CONSOLE_PAGE_HEADER = 'x-pat-console-page';
/**
 * Our extension: every answer to a request authenticated by a PAT (the API, Git, forward auth) says
 * when that PAT expires, in RFC 3339, so that a script or a CI job can warn before it does (GitHub
 * sends `GitHub-Authentication-Token-Expiration`).
 */
export const PAT_EXPIRATION_HEADER = 'x-pat-expiration';
export const patExpirationOf = (expiresAt: number) => new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** How a request without a PAT came, from whether it says it is the console's page and the server's mode. */
export const channelOf = (consolePage: boolean, authMode: 'local' | 'proxy'): ApiChannel =>
  consolePage ? 'CONSOLE' : authMode === 'proxy' ? 'PROXY_API' : 'LOCAL_API';
/** The server's default for the longest lifetime of a token; the console asks the server for its own. */
export const DEFAULT_MAX_TOKEN_LIFETIME_YEARS = 1;

/**
 * Our extension: what a PAT may do. Writing repositories (push, push-to-create) implies reading them
 * (clone, fetch); the other two are the API's token operations and its activity log. A PAT made
 * without saying gets them all, as every PAT had before.
 */
export const ACCESS_TOKEN_PERMISSIONS = ['READ_REPOSITORIES', 'WRITE_REPOSITORIES', 'MANAGE_ACCESS_TOKENS', 'READ_ACTIVITY'] as const;
export type AccessTokenPermission = (typeof ACCESS_TOKEN_PERMISSIONS)[number];
/** Our extension: the most repositories, and networks, one PAT may be limited to. */
export const MAX_TOKEN_REPOSITORIES = 100;
export const MAX_TOKEN_NETWORKS = 20;
/** RFC 6750's challenge for a PAT that lacks the permission an operation needs. */
export const INSUFFICIENT_SCOPE_CHALLENGE = 'Bearer error="insufficient_scope"';

/**
 * Our extension: the shape of a secret (`pat_`, 43 base62 characters, a 6-character checksum), so
 * that scanners can spot a leaked one. The model only bounds its length.
 */
export const SECRET_PATTERN = /^pat_[0-9A-Za-z]{49}$/;

/** Our extension: the most PATs a page of AdminListAccessTokens holds, and the most one AdminRevokeAccessTokens names. */
export const ADMIN_LIST_MAX_RESULTS = 100;
export const ADMIN_REVOKE_MAX_IDS = 100;
/** Our extension: what the admin log records. */
export const ADMIN_ACTIONS = ['REVOKED_ACCESS_TOKENS', 'DISABLED_USER', 'ENABLED_USER', 'UPDATED_POLICY'] as const;
export type AdminAction = (typeof ADMIN_ACTIONS)[number];

/**
 * Our extension: what the service tells a PAT's owner about it, and how. By e-mail: that it expires
 * soon, that it has expired, that it was revoked as exposed. To the deployment's webhook: all of
 * these, and every create, delete and regenerate.
 */
export const NOTICE_KINDS = ['EXPIRING', 'EXPIRED', 'CREATED', 'DELETED', 'REGENERATED', 'REVOKED_AS_EXPOSED'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];
export const NOTICE_CHANNELS = ['EMAIL', 'WEBHOOK'] as const;
export type NoticeChannel = (typeof NOTICE_CHANNELS)[number];
export const EMAILED_NOTICE_KINDS: readonly NoticeKind[] = ['EXPIRING', 'EXPIRED', 'REVOKED_AS_EXPOSED'];
/** The server's default for how many days before expiry a PAT's owner is told (the deployment may choose others). */
export const DEFAULT_EXPIRY_NOTICE_DAYS = [7, 1];
/** Our extension: where a user's notices go. The proxy's address, one set in the console and confirmed, or one waiting for its confirmation. */
export const EMAIL_STATES = ['NONE', 'FROM_PROXY', 'CONFIRMED', 'WAITING'] as const;
export type EmailState = (typeof EMAIL_STATES)[number];
/** Our extension: how long a link that confirms an address works. */
export const EMAIL_CONFIRMATION_HOURS = 24;
export const EMAIL_MAX_LENGTH = 254;

/**
 * Our extension, RevokeAccessTokens (after GitHub's credential revocation API): anyone holding
 * leaked secrets may revoke them, without signing in, this many in one request at most; the answer
 * is the same whatever they were, so it tells nothing about them.
 */
export const REVOKE_MAX_SECRETS = 1000;

export const PATHS = {
  accessTokens: '/v1/accessTokens',
  /** Our extension: RevokeAccessTokens, unauthenticated. */
  revokeAccessTokens: '/v1/accessTokens/revoke',
  accessToken: (id: string) => `/v1/accessTokens/${encodeURIComponent(id)}`,
  /** Our extension: RegenerateAccessToken, a new secret (and expiry) for a token that keeps its id and name. */
  regenerateAccessToken: (id: string) => `/v1/accessTokens/${encodeURIComponent(id)}/regenerate`,
  /** Our extension: ListAccessTokenEvents, the caller's activity log, newest first. */
  accessTokenEvents: '/v1/accessTokenEvents',
  session: '/session',
  userDetails: '/userDetails',
  /** Our extension: GetAccessTokenLimits, what this server allows. */
  accessTokenLimits: '/v1/accessTokenLimits',
  /** Our extension: GetNotificationSettings (GET) and UpdateNotificationSettings (PUT): where the caller's notices go. */
  notificationSettings: '/v1/notificationSettings',
  /** Our extension: ConfirmNotificationEmail, with the token of the link mailed to the address. */
  confirmNotificationEmail: '/v1/notificationSettings/confirm',
  /** Our extension, admins only: GetAccessTokenPolicy (GET) and UpdateAccessTokenPolicy (PUT). */
  adminPolicy: '/v1/admin/policy',
  /** Our extension, admins only: AdminListAccessTokens, every user's PATs, paged and filtered by the server. */
  adminAccessTokens: '/v1/admin/accessTokens',
  /** Our extension, admins only: AdminRevokeAccessTokens, some PATs by id, or all of one user's. */
  adminRevokeAccessTokens: '/v1/admin/accessTokens/revoke',
  /** Our extension, admins only: DisableUser and EnableUser (offboarding). */
  adminUsers: '/v1/admin/users',
  adminDisableUser: (userName: string) => `/v1/admin/users/${encodeURIComponent(userName)}/disable`,
  adminEnableUser: (userName: string) => `/v1/admin/users/${encodeURIComponent(userName)}/enable`,
  /** Our extension, admins only: ListAdminEvents, the admin log, newest first. */
  adminEvents: '/v1/admin/events',
  /** Our extension: ListRepositories, the caller's Git repositories. */
  repositories: '/v1/repositories',
  /** Our extension: where Git repositories are served, `/git/<userName>/<repository>.git`. */
  git: '/git/',
} as const;

/** Our extension: the console's pages a notice links to (the console's router answers them). */
export const CONSOLE_PAGES = {
  createToken: '/settings/tokens/create',
  tokenDetails: (id: string) => `/settings/tokens/${encodeURIComponent(id)}`,
  /** The token's page with its Regenerate dialog open. */
  regenerateToken: (id: string) => `/settings/tokens/${encodeURIComponent(id)}?regenerate`,
  notifications: '/settings/notifications',
  confirmEmailPage: '/settings/notifications/confirm',
  /** The token rides in the fragment: it never reaches a server's log or a Referer header. */
  confirmEmail: (token: string) => `${CONSOLE_PAGES.confirmEmailPage}#token=${encodeURIComponent(token)}`,
} as const;

export const API_ERROR_STATUS = {
  ValidationException: 400,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  ConflictException: 409,
  ServiceQuotaExceededException: 402,
  ThrottlingException: 429,
  InternalServerException: 500,
} as const;

export type ApiErrorName = keyof typeof API_ERROR_STATUS;

export const ERROR_TYPE_HEADER = 'x-amzn-errortype';
