import { CONSOLE_PAGE_HEADER, ERROR_TYPE_HEADER, EVENTS_MAX_RESULTS, LIST_MAX_RESULTS, PATHS } from './access-tokens';
import type {
  AccessTokenSummary,
  CreateAccessTokenRequest,
  CreateAccessTokenResponse,
  DeleteAccessTokenResponse,
  GetAccessTokenLimitsResponse,
  GetUserDetailsResponse,
  AccessTokenEvent,
  ListAccessTokenEventsRequest,
  ListAccessTokenEventsResponse,
  ListAccessTokensRequest,
  ListAccessTokensResponse,
  ListRepositoriesResponse,
  NotificationSettings,
  AdminRevokeAccessTokensRequest,
  AdminRevokeAccessTokensResponse,
  ListAdminEventsRequest,
  ListAdminEventsResponse,
  AdminListAccessTokensRequest,
  AdminListAccessTokensResponse,
  UpdateAccessTokenPolicyRequest,
  UserStateResponse,
  UpdateNotificationSettingsRequest,
  RegenerateAccessTokenRequest,
  RegenerateAccessTokenResponse,
  RevokeAccessTokensResponse,
  VerifySessionResponse,
} from './schemas';

/** Every failure of a call, typed by the service's error name, or `NetworkError` when no answer came. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly errorType: string,
    message: string,
    readonly status: number,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export const isApiError = (error: unknown, errorType?: string): error is ApiError =>
  error instanceof ApiError && (errorType === undefined || error.errorType === errorType);

/** restJson1 error types may carry a namespace and a `:url` suffix. */
function parseErrorType(header: string | null): string | undefined {
  if (!header) return undefined;
  const [withoutSuffix = ''] = header.split(':');
  return withoutSuffix.split('#').pop() || undefined;
}

async function toApiError(response: Response): Promise<ApiError> {
  let message = `The request failed with status ${response.status}.`;
  try {
    const body: unknown = await response.json();
    if (typeof body === 'object' && body !== null && 'message' in body) {
      message = String(body.message);
    }
  } catch {
    // A body that is not JSON (a proxy's error page) still yields a typed error.
  }
  const retryAfter = Number(response.headers.get('retry-after'));
  return new ApiError(
    parseErrorType(response.headers.get(ERROR_TYPE_HEADER)) ?? `Http${response.status}`,
    message,
    response.status,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  );
}

/** Asks for pages of `pageSize`, following `nextToken`, until the list ends or `max` items are in. */
async function followPages<Item>(
  list: (request: { maxResults: number; nextToken?: string }) => Promise<{ items: Item[]; nextToken?: string }>,
  pageSize: number,
  max = Number.POSITIVE_INFINITY,
): Promise<Item[]> {
  const items: Item[] = [];
  let nextToken: string | undefined;
  do {
    const page = await list({ maxResults: Math.min(pageSize, max - items.length), nextToken });
    items.push(...page.items);
    nextToken = page.nextToken;
  } while (nextToken && items.length < max);
  return items;
}

export interface ApiClientOptions {
  /** Origin (and optional path prefix) of the API; the page's own origin when empty. */
  baseUrl?: string;
  /** A PAT to send as `Authorization: Bearer`, as the SDKs do; the console sends none. */
  bearerToken?: string;
  /** How the client names itself, as the CLI and SDKs do; a browser sends its own and ignores this. */
  userAgent?: string;
  /** The console's own page: its changes are logged as made in the console. */
  consolePage?: boolean;
}

export type ApiClient = ReturnType<typeof createApiClient>;

export function createApiClient({ baseUrl = '', bearerToken, userAgent, consolePage = false }: ApiClientOptions = {}) {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = new URL(baseUrl + path, globalThis.location?.href);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          // A change is JSON even without a body (a delete): the server takes no other kind from a browser.
          ...(method === 'GET' ? {} : { 'content-type': 'application/json' }),
          ...(bearerToken === undefined ? {} : { authorization: `Bearer ${bearerToken}` }),
          ...(userAgent === undefined ? {} : { 'user-agent': userAgent }),
          ...(consolePage && method !== 'GET' ? { [CONSOLE_PAGE_HEADER]: '1' } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch {
      throw new ApiError('NetworkError', 'The service could not be reached. Check your connection and try again.', 0);
    }
    if (!response.ok) throw await toApiError(response);
    return (await response.json()) as T;
  }

  const listAccessTokens = (request: ListAccessTokensRequest = {}) =>
    call<ListAccessTokensResponse>('POST', PATHS.accessTokens, request);

  const listAccessTokenEvents = (request: ListAccessTokenEventsRequest = {}) =>
    call<ListAccessTokenEventsResponse>('POST', PATHS.accessTokenEvents, request);

  return {
    createAccessToken: (request: CreateAccessTokenRequest) =>
      call<CreateAccessTokenResponse>('PUT', PATHS.accessTokens, request),
    listAccessTokens,
    /** Follows `nextToken` until the service has returned every token. */
    listAllAccessTokens: (): Promise<AccessTokenSummary[]> => followPages(listAccessTokens, LIST_MAX_RESULTS),
    deleteAccessToken: (id: string) => call<DeleteAccessTokenResponse>('DELETE', PATHS.accessToken(id)),
    /** Our extension: a new secret for the token `id`; the old one stops working at once. */
    regenerateAccessToken: (id: string, request: RegenerateAccessTokenRequest = {}) =>
      call<RegenerateAccessTokenResponse>('POST', PATHS.regenerateAccessToken(id), request),
    /** Our extension: stops exposed secrets, whoever's they are; it needs no sign-in and says nothing about them. */
    revokeAccessTokens: (secrets: string[]) => call<RevokeAccessTokensResponse>('POST', PATHS.revokeAccessTokens, { secrets }),
    /** Our extension: a page of the caller's activity log, newest first. */
    listAccessTokenEvents,
    /** The events the service keeps for the caller, newest first, following `nextToken`: all, or the newest `max`. */
    listAllAccessTokenEvents: (max?: number): Promise<AccessTokenEvent[]> => followPages(listAccessTokenEvents, EVENTS_MAX_RESULTS, max),
    verifySession: () => call<VerifySessionResponse>('GET', PATHS.session),
    getUserDetails: () => call<GetUserDetailsResponse>('GET', PATHS.userDetails),
    getAccessTokenLimits: () => call<GetAccessTokenLimitsResponse>('GET', PATHS.accessTokenLimits),
    listRepositories: () => call<ListRepositoriesResponse>('GET', PATHS.repositories),
    /** Our extension: where the caller's notices go. */
    getNotificationSettings: () => call<NotificationSettings>('GET', PATHS.notificationSettings),
    updateNotificationSettings: (request: UpdateNotificationSettingsRequest) => call<NotificationSettings>('PUT', PATHS.notificationSettings, request),
    /** With the token of the link mailed to the new address. */
    confirmNotificationEmail: (token: string) => call<NotificationSettings>('POST', PATHS.confirmNotificationEmail, { token }),
    /** Our extension, admins only: the policy, every user's PATs, revoking them, offboarding, the admin log. */
    getAccessTokenPolicy: () => call<GetAccessTokenLimitsResponse>('GET', PATHS.adminPolicy),
    updateAccessTokenPolicy: (request: UpdateAccessTokenPolicyRequest) => call<GetAccessTokenLimitsResponse>('PUT', PATHS.adminPolicy, request),
    adminListAccessTokens: (request: AdminListAccessTokensRequest = {}) => call<AdminListAccessTokensResponse>('POST', PATHS.adminAccessTokens, request),
    adminRevokeAccessTokens: (request: AdminRevokeAccessTokensRequest) => call<AdminRevokeAccessTokensResponse>('POST', PATHS.adminRevokeAccessTokens, request),
    disableUser: (userName: string) => call<UserStateResponse>('POST', PATHS.adminDisableUser(userName)),
    enableUser: (userName: string) => call<UserStateResponse>('POST', PATHS.adminEnableUser(userName)),
    listAdminEvents: (request: ListAdminEventsRequest = {}) => call<ListAdminEventsResponse>('POST', PATHS.adminEvents, request),
  };
}
