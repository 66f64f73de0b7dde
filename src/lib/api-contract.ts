/**
 * The access-token wire contract (CodeCatalyst restJson1, see ../shared/reference), defined once and
 * used by the console's API adapter, the msw mocks and the server.
 */

export const ACCESS_TOKEN_NAME_MAX_LENGTH = 100;
export const LIST_MAX_RESULTS = 10;
export const NEXT_TOKEN_MAX_LENGTH = 10_000;
export const MAX_LIVE_TOKENS_PER_USER = 100;
/** The longest lifetime a token may be given, and the default when none is asked for. */
export const MAX_TOKEN_LIFETIME_YEARS = 1;

export const PATHS = {
  accessTokens: '/v1/accessTokens',
  accessToken: (id: string) => `/v1/accessTokens/${encodeURIComponent(id)}`,
  session: '/session',
  userDetails: '/userDetails',
} as const;

export interface CreateAccessTokenRequest {
  name: string;
  /** RFC 3339 timestamp; the service defaults it to one year from creation. */
  expiresTime?: string;
}

export interface CreateAccessTokenResponse {
  secret: string;
  name: string;
  expiresTime: string;
  accessTokenId: string;
}

export interface ListAccessTokensRequest {
  maxResults?: number;
  nextToken?: string;
}

export interface AccessTokenSummary {
  id: string;
  name: string;
  expiresTime?: string;
  /** Our extension to the model: clients that don't know it ignore it. */
  lastUsedTime?: string;
}

export interface ListAccessTokensResponse {
  items: AccessTokenSummary[];
  nextToken?: string;
}

export interface VerifySessionResponse {
  identity?: string;
}

export interface GetUserDetailsResponse {
  userId: string;
  userName: string;
  displayName: string;
  primaryEmail: { email: string; verified: boolean };
  version: string;
}

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

export interface ApiErrorBody {
  message: string;
}

export const ERROR_TYPE_HEADER = 'x-amzn-errortype';

type Validated<T> = { ok: true; value: T } | { ok: false; message: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The latest expiry the service accepts for a token created at `now`. */
export function maxExpiry(now: Date, lifetimeYears = MAX_TOKEN_LIFETIME_YEARS): Date {
  const max = new Date(now);
  max.setUTCFullYear(max.getUTCFullYear() + lifetimeYears);
  return max;
}

/** Names are counted after trimming, so a name of spaces is no name. */
export function validateTokenName(name: unknown): string | undefined {
  if (typeof name !== 'string') return 'name must be a string.';
  const length = name.trim().length;
  if (length === 0) return 'name must not be empty.';
  if (length > ACCESS_TOKEN_NAME_MAX_LENGTH) {
    return `name must be at most ${ACCESS_TOKEN_NAME_MAX_LENGTH} characters.`;
  }
  return undefined;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

export function validateCreateAccessToken(
  body: unknown,
  now: Date,
  lifetimeYears = MAX_TOKEN_LIFETIME_YEARS,
): Validated<{ name: string; expiresAt: Date }> {
  if (!isRecord(body)) return { ok: false, message: 'The request body must be a JSON object.' };
  const nameError = validateTokenName(body.name);
  if (nameError) return { ok: false, message: nameError };
  const name = (body.name as string).trim();
  const latest = maxExpiry(now, lifetimeYears);
  if (body.expiresTime === undefined || body.expiresTime === null) {
    return { ok: true, value: { name, expiresAt: latest } };
  }
  if (typeof body.expiresTime !== 'string' || !RFC3339.test(body.expiresTime)) {
    return { ok: false, message: 'expiresTime must be an RFC 3339 timestamp.' };
  }
  const expiresAt = new Date(body.expiresTime);
  if (Number.isNaN(expiresAt.getTime())) {
    return { ok: false, message: 'expiresTime must be an RFC 3339 timestamp.' };
  }
  if (expiresAt.getTime() <= now.getTime()) {
    return { ok: false, message: 'expiresTime must be in the future.' };
  }
  if (expiresAt.getTime() > latest.getTime()) {
    return {
      ok: false,
      message: `expiresTime must be at most ${lifetimeYears} year(s) from now.`,
    };
  }
  return { ok: true, value: { name, expiresAt } };
}

export function validateListAccessTokens(
  body: unknown,
): Validated<{ maxResults: number; nextToken: string | undefined }> {
  // The SDKs send no body at all when neither member is set.
  const input = body === undefined || body === null || body === '' ? {} : body;
  if (!isRecord(input)) return { ok: false, message: 'The request body must be a JSON object.' };
  const { maxResults = LIST_MAX_RESULTS, nextToken } = input;
  if (
    typeof maxResults !== 'number' ||
    !Number.isInteger(maxResults) ||
    maxResults < 1 ||
    maxResults > LIST_MAX_RESULTS
  ) {
    return { ok: false, message: `maxResults must be an integer from 1 to ${LIST_MAX_RESULTS}.` };
  }
  if (
    nextToken !== undefined &&
    (typeof nextToken !== 'string' ||
      nextToken.length < 1 ||
      nextToken.length > NEXT_TOKEN_MAX_LENGTH)
  ) {
    return { ok: false, message: 'nextToken is not valid.' };
  }
  return { ok: true, value: { maxResults, nextToken } };
}
