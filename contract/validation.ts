import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { validateAccess } from './access';
import { ADMIN_LIST_MAX_RESULTS, DEFAULT_MAX_TOKEN_LIFETIME_YEARS, EVENTS_MAX_RESULTS, LIST_MAX_RESULTS } from './access-tokens';
import { EMAIL_ADDRESS, descriptionMessage, descriptionProblem, normalizeDescription, normalizeTokenName, tokenNameMessage, tokenNameProblem } from './names';
import {
  CreateAccessTokenRequest,
  ListAccessTokenEventsRequest,
  ListAccessTokensRequest,
  RegenerateAccessTokenRequest,
  RevokeAccessTokensRequest,
  UpdateNotificationSettingsRequest,
  ConfirmNotificationEmailRequest,
  AdminRevokeAccessTokensRequest,
  ListAdminEventsRequest,
  AdminListAccessTokensRequest,
  UpdateAccessTokenPolicyRequest,
  type AccessTokenAccess,
} from './schemas';

/**
 * The service's request rules, shared by the server and the msw mocks so that both refuse the same
 * requests with the same messages.
 */

export type Validated<T> = { ok: true; value: T } | { ok: false; message: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The first way `body` misses `schema`, worded for the caller. */
function checkShape(schema: TSchema, body: unknown): string | undefined {
  if (!isRecord(body)) return 'The request body must be a JSON object.';
  if (Value.Check(schema, body)) return undefined;
  const error = Value.Errors(schema, body).First();
  const field = error?.path.replace(/^\//, '') || 'The request body';
  return `${field} is not valid: ${(error?.message ?? 'unexpected value').toLowerCase()}.`;
}

/** The latest expiry the service accepts for a token created at `now`. */
export function maxExpiry(now: Date, lifetimeYears = DEFAULT_MAX_TOKEN_LIFETIME_YEARS): Date {
  const max = new Date(now);
  max.setUTCFullYear(max.getUTCFullYear() + lifetimeYears);
  return max;
}

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|([+-])(\d{2}):(\d{2}))$/i;

/**
 * An RFC 3339 timestamp as a Date, or undefined when it is malformed or names a moment that does not
 * exist: `Date` itself would roll February 30 over into March.
 */
export function parseTimestamp(text: string): Date | undefined {
  const match = RFC3339.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const [offsetHours, offsetMinutes] = [Number(match[10] ?? 0), Number(match[11] ?? 0)];
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const wall = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  wall.setUTCFullYear(year);
  const exists =
    wall.getUTCFullYear() === year &&
    wall.getUTCMonth() === month - 1 &&
    wall.getUTCDate() === day &&
    wall.getUTCHours() === hour &&
    wall.getUTCMinutes() === minute &&
    wall.getUTCSeconds() === second;
  if (!exists) return undefined;
  const parsed = new Date(text);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}

export function validateCreateAccessToken(
  body: unknown,
  now: Date,
  lifetimeYears = DEFAULT_MAX_TOKEN_LIFETIME_YEARS,
): Validated<{ name: string; expiresAt: Date; description: string | undefined; access: AccessTokenAccess | undefined }> {
  const shapeError = checkShape(CreateAccessTokenRequest, body);
  if (shapeError) return { ok: false, message: shapeError };
  const request = body as CreateAccessTokenRequest;
  const problem = tokenNameProblem(request.name);
  if (problem) return { ok: false, message: tokenNameMessage(problem) };
  const name = normalizeTokenName(request.name);
  const description = validateDescription(request.description);
  if (!description.ok) return description;
  const access = request.access && validateAccess(request.access);
  if (access && !access.ok) return access;
  const expiry = validateExpiry(request.expiresTime, now, lifetimeYears);
  if (!expiry.ok) return expiry;
  return { ok: true, value: { name, expiresAt: expiry.value, description: description.value || undefined, access: access?.value } };
}

/** Our extension: an optional description, normalized; '' when it is empty. */
function validateDescription(description: string | undefined): Validated<string | undefined> {
  if (description === undefined) return { ok: true, value: undefined };
  const problem = descriptionProblem(description);
  return problem ? { ok: false, message: descriptionMessage(problem) } : { ok: true, value: normalizeDescription(description) };
}

/** An optional `expiresTime`: in the future, within the service's lifetime, the longest when absent. */
function validateExpiry(expiresTime: string | undefined, now: Date, lifetimeYears: number): Validated<Date> {
  const latest = maxExpiry(now, lifetimeYears);
  if (expiresTime === undefined) return { ok: true, value: latest };
  const expiresAt = parseTimestamp(expiresTime);
  if (!expiresAt) return { ok: false, message: 'expiresTime must be an RFC 3339 timestamp of a real date and time.' };
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, message: 'expiresTime must be in the future.' };
  if (expiresAt.getTime() > latest.getTime()) {
    return { ok: false, message: `expiresTime must be at most ${lifetimeYears} year(s) from now.` };
  }
  return { ok: true, value: expiresAt };
}

/** Our extension, RegenerateAccessToken: the new expiry, by the same rules as on create; a new description ('' removes it). */
export function validateRegenerateAccessToken(
  body: unknown,
  now: Date,
  lifetimeYears = DEFAULT_MAX_TOKEN_LIFETIME_YEARS,
): Validated<{ expiresAt: Date; description: string | undefined; access: AccessTokenAccess | undefined }> {
  const input = body === undefined || body === null || body === '' ? {} : body;
  const shapeError = checkShape(RegenerateAccessTokenRequest, input);
  if (shapeError) return { ok: false, message: shapeError };
  const request = input as RegenerateAccessTokenRequest;
  const description = validateDescription(request.description);
  if (!description.ok) return description;
  const access = request.access && validateAccess(request.access);
  if (access && !access.ok) return access;
  const expiry = validateExpiry(request.expiresTime, now, lifetimeYears);
  return expiry.ok ? { ok: true, value: { expiresAt: expiry.value, description: description.value, access: access?.value } } : expiry;
}

type PageRequest = { maxResults: number; nextToken: string | undefined };

function validatePageRequest(schema: TSchema, body: unknown, defaultMaxResults: number): Validated<PageRequest> {
  // The SDKs send no body at all when neither member is set.
  const input = body === undefined || body === null || body === '' ? {} : body;
  const shapeError = checkShape(schema, input);
  if (shapeError) return { ok: false, message: shapeError };
  const { maxResults = defaultMaxResults, nextToken } = input as Partial<PageRequest>;
  return { ok: true, value: { maxResults, nextToken } };
}

export const validateListAccessTokens = (body: unknown) => validatePageRequest(ListAccessTokensRequest, body, LIST_MAX_RESULTS);

/** Our extension, ListAccessTokenEvents: a page of at most 100 events, 100 when not said. */
export const validateListAccessTokenEvents = (body: unknown) =>
  validatePageRequest(ListAccessTokenEventsRequest, body, EVENTS_MAX_RESULTS);

/** Our extension, RevokeAccessTokens: 1 to 1,000 strings; whether any is a secret is not a rule of the request. */
export function validateRevokeAccessTokens(body: unknown): Validated<string[]> {
  const shapeError = checkShape(RevokeAccessTokensRequest, body);
  return shapeError ? { ok: false, message: shapeError } : { ok: true, value: (body as RevokeAccessTokensRequest).secrets };
}

/** Our extension, UpdateNotificationSettings: an address to confirm ('' returns to the proxy's), and the e-mail switch. */
export function validateUpdateNotificationSettings(body: unknown): Validated<UpdateNotificationSettingsRequest> {
  const shapeError = checkShape(UpdateNotificationSettingsRequest, body);
  if (shapeError) return { ok: false, message: shapeError };
  const request = body as UpdateNotificationSettingsRequest;
  const email = request.email?.trim();
  if (email && !EMAIL_ADDRESS.test(email)) return { ok: false, message: 'email must be an e-mail address, like name@example.com.' };
  return { ok: true, value: { ...request, ...(email === undefined ? {} : { email }) } };
}

/** Our extension, ConfirmNotificationEmail: the token of the link that was mailed. */
export function validateConfirmNotificationEmail(body: unknown): Validated<string> {
  const shapeError = checkShape(ConfirmNotificationEmailRequest, body);
  return shapeError ? { ok: false, message: shapeError } : { ok: true, value: (body as ConfirmNotificationEmailRequest).token };
}

/** Our extension, admins only: a page of every user's PATs, 100 when not said. */
export function validateAdminListAccessTokens(body: unknown): Validated<AdminListAccessTokensRequest & { maxResults: number }> {
  const input = body === undefined || body === null || body === '' ? {} : body;
  const shapeError = checkShape(AdminListAccessTokensRequest, input);
  if (shapeError) return { ok: false, message: shapeError };
  const request = input as AdminListAccessTokensRequest;
  return { ok: true, value: { ...request, maxResults: request.maxResults ?? ADMIN_LIST_MAX_RESULTS } };
}

export const validateListAdminEvents = (body: unknown) => validatePageRequest(ListAdminEventsRequest, body, ADMIN_LIST_MAX_RESULTS);

/** Our extension, admins only: the policy fields to change, at least one. */
export function validateUpdateAccessTokenPolicy(body: unknown): Validated<UpdateAccessTokenPolicyRequest> {
  const shapeError = checkShape(UpdateAccessTokenPolicyRequest, body);
  if (shapeError) return { ok: false, message: shapeError };
  const request = body as UpdateAccessTokenPolicyRequest;
  return Object.keys(request).length === 0 ? { ok: false, message: 'Name at least one rule of the policy to change.' } : { ok: true, value: request };
}

/** Our extension, admins only: PATs by id, or one user's, not both. */
export function validateAdminRevokeAccessTokens(body: unknown): Validated<AdminRevokeAccessTokensRequest> {
  const shapeError = checkShape(AdminRevokeAccessTokensRequest, body);
  if (shapeError) return { ok: false, message: shapeError };
  const request = body as AdminRevokeAccessTokensRequest;
  return (request.accessTokenIds === undefined) === (request.owner === undefined)
    ? { ok: false, message: 'Name either accessTokenIds or owner.' }
    : { ok: true, value: request };
}
