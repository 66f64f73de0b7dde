import { http, HttpResponse, type JsonBodyType } from 'msw';
import { API_ERROR_STATUS, ERROR_TYPE_HEADER, PATHS, type ApiErrorName } from '../contract/access-tokens';
import type {
  CreateAccessTokenResponse,
  GetAccessTokenLimitsResponse,
  ListRepositoriesResponse,
  RegenerateAccessTokenResponse,
  VerifySessionResponse,
} from '../contract/schemas';
import {
  validateCreateAccessToken,
  validateListAccessTokenEvents,
  validateListAccessTokens,
  validateRegenerateAccessToken,
  type Validated,
} from '../contract/validation';
import { MOCK_USER, digestOf, mockSecret, type MockAccessTokenService, type MockActor } from './access-token-service';

function apiError(name: ApiErrorName, message: string, status: number = API_ERROR_STATUS[name], headers: Record<string, string> = {}) {
  return HttpResponse.json({ message }, { status, headers: { ...headers, [ERROR_TYPE_HEADER]: name } });
}

async function readJson(request: Request): Promise<{ ok: true; body: unknown } | { ok: false }> {
  const text = await request.text();
  if (text === '') return { ok: true, body: undefined };
  try {
    return { ok: true, body: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * A paged list as the service answers it: the request's page size and cursor checked, a cursor
 * `page` did not issue refused, and `nextToken` present only when more follow.
 */
async function answerPage(
  request: Request,
  validate: (body: unknown) => Validated<{ maxResults: number; nextToken: string | undefined }>,
  page: (maxResults: number, nextToken: string | undefined) => { items: unknown[]; nextToken: string | undefined } | undefined,
): Promise<Response> {
  const parsed = await readJson(request);
  if (!parsed.ok) return apiError('ValidationException', 'The request body is not valid JSON.');
  const result = validate(parsed.body);
  if (!result.ok) return apiError('ValidationException', result.message);
  const found = page(result.value.maxResults, result.value.nextToken);
  if (!found) return apiError('ValidationException', 'nextToken is not valid.');
  return HttpResponse.json((found.nextToken ? found : { items: found.items }) as JsonBodyType);
}

/**
 * As the server: a request with `Authorization: Bearer <PAT>` is the PAT's owner, and a PAT that is
 * unknown, expired or deleted is refused; without one, the request is the console's user. Answers
 * the refusal, or the PAT that got in (none for the console).
 */
async function authenticate(service: MockAccessTokenService, request: Request): Promise<{ refused: Response } | { actor: MockActor }> {
  const userAgent = request.headers.get('user-agent') ?? undefined;
  const authorization = request.headers.get('authorization');
  if (authorization === null) return { actor: { userAgent } };
  const [scheme, secret] = authorization.split(' ');
  const digest = scheme === 'Bearer' && secret ? await digestOf(secret) : undefined;
  const found = digest === undefined ? undefined : service.use(digest, new Date(), { userAgent });
  if (found) return { actor: { via: found, userAgent } };
  if (digest !== undefined) service.refuse(digest, new Date(), { userAgent });
  return {
    refused: apiError('AccessDeniedException', 'The personal access token is not valid, has expired or was deleted.', 401, {
      'www-authenticate': 'Bearer',
    }),
  };
}

interface Incoming {
  request: Request;
  params: Record<string, string | readonly string[] | undefined>;
}

type Resolver = (
  info: Incoming & {
    /** Who asked: the PAT the request was made with (none for the console), and its client. */
    actor: MockActor;
  },
) => Promise<Response> | Response;

/** msw handlers that answer like the service. `baseUrl` is empty for the page's own origin. */
export function createHandlers(service: MockAccessTokenService, baseUrl = '') {
  const url = (path: string) => `${baseUrl}${path}`;
  const authenticated =
    (resolve: Resolver) =>
    async (info: Incoming) => {
      const identity = await authenticate(service, info.request);
      return 'refused' in identity ? identity.refused : resolve({ ...info, actor: identity.actor });
    };

  return [
    http.put(
      url(PATHS.accessTokens),
      authenticated(async ({ request, actor }) => {
        const parsed = await readJson(request);
        if (!parsed.ok) return apiError('ValidationException', 'The request body is not valid JSON.');
        const now = new Date();
        const result = validateCreateAccessToken(parsed.body, now, service.limits().maxTokenLifetimeYears);
        if (!result.ok) return apiError('ValidationException', result.message);
        if (service.isOverQuota(now)) {
          const { maxLiveTokens } = service.limits();
          return apiError(
            'ServiceQuotaExceededException',
            `You can have at most ${maxLiveTokens} personal access tokens. Delete one to create another.`,
          );
        }
        const secret = mockSecret();
        const createdWith = actor.via && { accessTokenId: actor.via.id, name: actor.via.name };
        const token = service.add(result.value.name, result.value.expiresAt, undefined, await digestOf(secret), createdWith, actor);
        const body: CreateAccessTokenResponse = {
          secret,
          name: token.name,
          expiresTime: result.value.expiresAt.toISOString(),
          accessTokenId: token.id,
        };
        return HttpResponse.json(body, { status: 201 });
      }),
    ),
    http.post(
      url(PATHS.accessTokens),
      authenticated(({ request }) =>
        answerPage(request, validateListAccessTokens, (maxResults, nextToken) =>
          service.page(new Date(), maxResults, nextToken),
        ),
      ),
    ),
    http.post(
      url(`${PATHS.accessTokens}/:id/regenerate`),
      authenticated(async ({ request, params, actor }) => {
        const id = String(params.id);
        const parsed = await readJson(request);
        if (!parsed.ok) return apiError('ValidationException', 'The request body is not valid JSON.');
        const now = new Date();
        const result = validateRegenerateAccessToken(parsed.body, now, service.limits().maxTokenLifetimeYears);
        if (!result.ok) return apiError('ValidationException', result.message);
        const secret = mockSecret();
        const token = service.regenerate(id, await digestOf(secret), result.value.expiresAt, now, actor);
        if (!token) return apiError('ResourceNotFoundException', `Access token ${id} was not found.`);
        const body: RegenerateAccessTokenResponse = {
          secret,
          name: token.name,
          expiresTime: result.value.expiresAt.toISOString(),
          accessTokenId: token.id,
        };
        return HttpResponse.json(body);
      }),
    ),
    http.delete(
      url(`${PATHS.accessTokens}/:id`),
      authenticated(({ params, actor }) => {
        const id = String(params.id);
        if (!service.remove(id, actor)) return apiError('ResourceNotFoundException', `Access token ${id} was not found.`);
        return HttpResponse.json({});
      }),
    ),
    http.post(
      url(PATHS.accessTokenEvents),
      authenticated(({ request }) => answerPage(request, validateListAccessTokenEvents, service.events)),
    ),
    http.get(
      url(PATHS.accessTokenLimits),
      authenticated(() => HttpResponse.json(service.limits() satisfies GetAccessTokenLimitsResponse)),
    ),
    http.get(
      url(PATHS.repositories),
      authenticated(() => HttpResponse.json({ items: service.repositories() } satisfies ListRepositoriesResponse)),
    ),
    http.get(
      url(PATHS.session),
      authenticated(() => HttpResponse.json({ identity: MOCK_USER.userId } satisfies VerifySessionResponse)),
    ),
    http.get(
      url(PATHS.userDetails),
      authenticated(() => HttpResponse.json(MOCK_USER)),
    ),
  ];
}
