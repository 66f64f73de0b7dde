import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ACCESS_TOKEN_ID_MAX_LENGTH, MAX_LIVE_TOKENS_PER_USER, PATHS } from '../../contract/access-tokens';
import {
  type AccessTokenEvent,
  type AccessTokenSummary,
  CreateAccessTokenResponse,
  DeleteAccessTokenResponse,
  GetAccessTokenLimitsResponse,
  ListAccessTokenEventsResponse,
  ListAccessTokensResponse,
  RegenerateAccessTokenResponse,
} from '../../contract/schemas';
import {
  validateCreateAccessToken,
  validateListAccessTokenEvents,
  validateListAccessTokens,
  validateRegenerateAccessToken,
} from '../../contract/validation';
import { callerOf } from '../auth/console-identity';
import { clientOf } from '../auth/pat-verifier';
import type { RateLimiter } from '../rate-limiter';
import { ServiceError, throttled, validationError } from '../service-error';
import type { ActivityEntry, Actor, StoredToken, TokenStore } from '../storage/token-store';
import type { PageTokenCodec } from '../tokens/page-token';
import { digestSecret, generateSecret } from '../tokens/secret';

interface AccessTokenRoutesOptions {
  store: TokenStore;
  pageTokens: PageTokenCodec;
  creates: RateLimiter;
  maxTokenLifetimeYears: number;
  activityRetentionDays: number;
}

// Both token stores hand out the same token objects from one list to the next (each kept only while
// it is current, and replaced when it changes): their formatted summaries are kept with them.
const summaries = new WeakMap<StoredToken, AccessTokenSummary>();

function summary(token: StoredToken): AccessTokenSummary {
  let formatted = summaries.get(token);
  if (!formatted) {
    formatted = {
      id: token.id,
      name: token.name,
      expiresTime: new Date(token.expiresAt).toISOString(),
      ...(token.lastUsedAt === null ? {} : { lastUsedTime: new Date(token.lastUsedAt).toISOString() }),
      ...(token.createdWith === null ? {} : { createdWith: { accessTokenId: token.createdWith.id, name: token.createdWith.name } }),
    };
    summaries.set(token, formatted);
  }
  return formatted;
}

function event(entry: ActivityEntry): AccessTokenEvent {
  return {
    eventId: String(entry.seq),
    eventTime: new Date(entry.time).toISOString(),
    eventType: entry.type,
    accessTokenId: entry.token.id,
    accessTokenName: entry.token.name,
    source: entry.type === 'EXPIRED' ? 'SERVICE' : entry.via ? 'ACCESS_TOKEN' : 'CONSOLE',
    ...(entry.via ? { sourceAccessToken: { accessTokenId: entry.via.id, name: entry.via.name } } : {}),
    ...(entry.address === null ? {} : { sourceIpAddress: entry.address }),
    ...(entry.userAgent === null ? {} : { userAgent: entry.userAgent }),
  };
}

/** Who makes a change, for the activity log: the PAT of the request (none: the console), and from where. */
const actorOf = (request: FastifyRequest): Actor => ({ via: request.viaToken ?? null, ...clientOf(request) });

/** A token id from the path, as the model bounds it. */
function checkedId(id: string): string {
  if (id.length < 1 || id.length > ACCESS_TOKEN_ID_MAX_LENGTH) {
    throw validationError(`id must be 1 to ${ACCESS_TOKEN_ID_MAX_LENGTH} characters.`);
  }
  return id;
}

// Another user's token is as unknown as one that never was.
const notFound = (id: string) => new ServiceError('ResourceNotFoundException', `Access token ${id} was not found.`);

/** What Create and Regenerate answer: the token, and its new secret, this once. */
const withSecret = (secret: string, token: StoredToken): CreateAccessTokenResponse => ({
  secret,
  name: token.name,
  expiresTime: new Date(token.expiresAt).toISOString(),
  accessTokenId: token.id,
});

export async function accessTokenRoutes(app: FastifyInstance, options: AccessTokenRoutesOptions) {
  const { store, pageTokens, creates, maxTokenLifetimeYears, activityRetentionDays } = options;

  /**
   * A page of a list, as both list operations answer it: `read` from the cursor the request's
   * `nextToken` stands for (one issued for `scope`, or a 400), then the items and the next cursor.
   */
  async function answerPage<Stored, Item>(
    scope: string,
    nextToken: string | undefined,
    read: (cursor: number | undefined) => Promise<{ items: Stored[]; next: number | undefined }>,
    format: (stored: Stored) => Item,
  ): Promise<{ items: Item[]; nextToken?: string }> {
    const cursor = nextToken === undefined ? undefined : pageTokens.decode(scope, nextToken);
    if (nextToken !== undefined && cursor === undefined) throw validationError('nextToken is not valid.');
    const page = await read(cursor);
    const items = page.items.map(format);
    return page.next === undefined ? { items } : { items, nextToken: pageTokens.encode(scope, page.next) };
  }

  app.put(PATHS.accessTokens, { schema: { response: { 201: CreateAccessTokenResponse } } }, async (request, reply) => {
    const now = new Date();
    const input = validateCreateAccessToken(request.body, now, maxTokenLifetimeYears);
    if (!input.ok) throw validationError(input.message);
    const userId = callerOf(request).id;
    const wait = creates.hit(`create:${userId}`, now.getTime());
    if (wait !== undefined) throw throttled(wait, 'Too many personal access tokens created in the last minute.');
    const secret = generateSecret();
    const result = await store.createToken({
      userId,
      name: input.value.name,
      digest: digestSecret(secret),
      expiresAt: input.value.expiresAt.getTime(),
      now: now.getTime(),
      maxLiveTokens: MAX_LIVE_TOKENS_PER_USER,
      actor: actorOf(request),
    });
    if (!result.ok) {
      throw new ServiceError(
        'ServiceQuotaExceededException',
        `You can have at most ${MAX_LIVE_TOKENS_PER_USER} personal access tokens. Delete one to create another.`,
      );
    }
    return reply.code(201).send(withSecret(secret, result.token));
  });

  app.post(PATHS.accessTokens, { schema: { response: { 200: ListAccessTokensResponse } } }, async (request) => {
    const input = validateListAccessTokens(request.body);
    if (!input.ok) throw validationError(input.message);
    const { maxResults, nextToken } = input.value;
    const userId = callerOf(request).id;
    return answerPage(userId, nextToken, (after) => store.listTokens(userId, Date.now(), maxResults, after), summary);
  });

  // Our extension: RegenerateAccessToken. The same rules as create for the expiry; the token keeps
  // its id and name, and its old secret is refused from the next request on.
  app.post<{ Params: { id: string } }>(
    `${PATHS.accessTokens}/:id/regenerate`,
    { schema: { response: { 200: RegenerateAccessTokenResponse } } },
    async (request): Promise<RegenerateAccessTokenResponse> => {
      const id = checkedId(request.params.id);
      const now = new Date();
      const input = validateRegenerateAccessToken(request.body, now, maxTokenLifetimeYears);
      if (!input.ok) throw validationError(input.message);
      const secret = generateSecret();
      const token = await store.regenerateToken({
        userId: callerOf(request).id,
        id,
        digest: digestSecret(secret),
        expiresAt: input.value.expiresAt.getTime(),
        now: now.getTime(),
        actor: actorOf(request),
      });
      if (!token) throw notFound(id);
      return withSecret(secret, token);
    },
  );

  app.delete<{ Params: { id: string } }>(
    `${PATHS.accessTokens}/:id`,
    { schema: { response: { 200: DeleteAccessTokenResponse } } },
    async (request): Promise<DeleteAccessTokenResponse> => {
      const id = checkedId(request.params.id);
      if (!(await store.deleteToken({ userId: callerOf(request).id, id, now: Date.now(), actor: actorOf(request) }))) throw notFound(id);
      return {};
    },
  );

  // Our extension: ListAccessTokenEvents, the caller's activity log, newest first.
  app.post(PATHS.accessTokenEvents, { schema: { response: { 200: ListAccessTokenEventsResponse } } }, async (request) => {
    const input = validateListAccessTokenEvents(request.body);
    if (!input.ok) throw validationError(input.message);
    const { maxResults, nextToken } = input.value;
    const userId = callerOf(request).id;
    // A cursor of the log, not of the token list: each is refused where the other is expected.
    return answerPage(`${userId}/events`, nextToken, (before) => store.listActivity(userId, maxResults, before), event);
  });

  app.get(
    PATHS.accessTokenLimits,
    { schema: { response: { 200: GetAccessTokenLimitsResponse } } },
    async (): Promise<GetAccessTokenLimitsResponse> => ({
      maxTokenLifetimeYears,
      maxLiveTokens: MAX_LIVE_TOKENS_PER_USER,
      activityRetentionDays,
    }),
  );
}
