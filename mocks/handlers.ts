import { http, HttpResponse, type JsonBodyType } from 'msw';
import { API_ERROR_STATUS, channelOf, CONSOLE_PAGE_HEADER, ERROR_TYPE_HEADER, PATHS, type ApiErrorName } from '../contract/access-tokens';
import type { ListRepositoriesResponse, VerifySessionResponse } from '../contract/schemas';
import type { Caller } from '../service/access-token-service';
import { ServiceError } from '../service/service-error';
import { MOCK_CLIENT_ADDRESS, MOCK_USER, type MockBackend } from './mock-backend';

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

/** Who asks: the owner of a bearer PAT (which is checked and its use recorded), else the console's user. */
type Identity = { refused: Response } | { caller: Caller };

/**
 * As the server: a request with `Authorization: Bearer <PAT>` is the PAT's owner, and a PAT that is
 * unknown, expired or deleted is refused; without one, the request is the console's user.
 */
async function authenticate(backend: MockBackend, request: Request): Promise<Identity> {
  const client = { address: MOCK_CLIENT_ADDRESS, userAgent: request.headers.get('user-agent') };
  const authorization = request.headers.get('authorization');
  if (authorization === null) {
    const channel = channelOf(request.headers.get(CONSOLE_PAGE_HEADER) !== null, 'local');
    return { caller: { user: backend.user, token: null, client, channel, admin: backend.isAdmin } };
  }
  const [scheme, secret] = authorization.split(' ');
  if (scheme === 'Bearer' && secret) {
    const checked = await backend.verify(secret, client);
    if (checked.ok) return { caller: { user: checked.user, token: checked.token, client, admin: backend.isAdmin && checked.user.id === backend.user.id } };
    await checked.logRefusal();
  }
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

type Operation = (info: Incoming & { caller: Caller; body: unknown }) => Promise<unknown> | unknown;

/** msw handlers that answer like the service: they are the service, over the store in memory. `baseUrl` is empty for the page's own origin. */
export function createHandlers(backend: MockBackend, baseUrl = '') {
  const url = (path: string) => `${baseUrl}${path}`;
  /** Reads the body, and answers what `operation` returns, or the ServiceError it throws. */
  const respond = async (request: Request, operation: (body: unknown) => Promise<unknown> | unknown, status: number) => {
    const parsed = await readJson(request);
    if (!parsed.ok) return apiError('ValidationException', 'The request body is not valid JSON.');
    try {
      return HttpResponse.json((await operation(parsed.body)) as JsonBodyType, { status });
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      return apiError(error.errorType as ApiErrorName, error.message, error.statusCode, error.headers);
    }
  };
  /** Authenticates, then answers as `respond` does. */
  const answer =
    (operation: Operation, status = 200) =>
    async (info: Incoming) => {
      const identity = await authenticate(backend, info.request);
      if ('refused' in identity) return identity.refused;
      return respond(info.request, (body) => operation({ ...info, ...identity, body }), status);
    };
  return [
    // Before the routes with an id: no sign-in, as on the server.
    http.post(url(PATHS.revokeAccessTokens), ({ request }) =>
      respond(request, (body) => backend.service.revokeAccessTokens({ address: MOCK_CLIENT_ADDRESS, userAgent: request.headers.get('user-agent') }, body), 202),
    ),
    http.put(
      url(PATHS.accessTokens),
      answer(({ caller, body }) => backend.service.createAccessToken(caller, body), 201),
    ),
    http.post(url(PATHS.accessTokens), answer(({ caller, body }) => backend.service.listAccessTokens(caller, body))),
    http.post(
      url(`${PATHS.accessTokens}/:id/regenerate`),
      answer(({ caller, params, body }) => backend.service.regenerateAccessToken(caller, String(params.id), body)),
    ),
    http.delete(
      url(`${PATHS.accessTokens}/:id`),
      answer(({ caller, params }) => backend.service.deleteAccessToken(caller, String(params.id))),
    ),
    http.post(url(PATHS.accessTokenEvents), answer(({ caller, body }) => backend.service.listAccessTokenEvents(caller, body))),
    http.get(url(PATHS.accessTokenLimits), answer(() => backend.service.limits())),
    http.get(url(PATHS.notificationSettings), answer(({ caller }) => backend.notifications.getNotificationSettings(caller))),
    http.put(url(PATHS.notificationSettings), answer(({ caller, body }) => backend.notifications.updateNotificationSettings(caller, body))),
    http.post(url(PATHS.confirmNotificationEmail), answer(({ caller, body }) => backend.notifications.confirmNotificationEmail(caller, body))),
    http.get(
      url(PATHS.repositories),
      answer(async ({ caller }): Promise<ListRepositoriesResponse> => ({ items: await backend.service.readableRepositories(caller, backend.repositories()) })),
    ),
    http.get(url(PATHS.session), answer(({ caller }): VerifySessionResponse => ({ identity: caller.user.id }))),
    http.get(url(PATHS.userDetails), answer(() => ({ ...MOCK_USER, admin: backend.isAdmin }))),
    http.get(url(PATHS.adminPolicy), answer(({ caller }) => backend.admin.getAccessTokenPolicy(caller))),
    http.put(url(PATHS.adminPolicy), answer(({ caller, body }) => backend.admin.updateAccessTokenPolicy(caller, body))),
    http.post(url(PATHS.adminAccessTokens), answer(({ caller, body }) => backend.admin.adminListAccessTokens(caller, body))),
    http.post(url(PATHS.adminRevokeAccessTokens), answer(({ caller, body }) => backend.admin.revokeAccessTokens(caller, body))),
    http.post(url(`${PATHS.adminUsers}/:userName/disable`), answer(({ caller, params }) => backend.admin.disableUser(caller, String(params.userName)))),
    http.post(url(`${PATHS.adminUsers}/:userName/enable`), answer(({ caller, params }) => backend.admin.enableUser(caller, String(params.userName)))),
    http.post(url(PATHS.adminEvents), answer(({ caller, body }) => backend.admin.listAdminEvents(caller, body))),
  ];
}
