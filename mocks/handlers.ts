import { http, HttpResponse, type JsonBodyType } from 'msw';
import {
  API_ERROR_STATUS,
  ERROR_TYPE_HEADER,
  PATHS,
  validateCreateAccessToken,
  validateListAccessTokens,
  type ApiErrorName,
  type CreateAccessTokenResponse,
  type ListAccessTokensResponse,
} from '../src/lib/api-contract';
import { MOCK_USER, type MockAccessTokenService } from './access-token-service';

function apiError(name: ApiErrorName, message: string) {
  return HttpResponse.json(
    { message },
    { status: API_ERROR_STATUS[name], headers: { [ERROR_TYPE_HEADER]: name } },
  );
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

const secretAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function mockSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(40));
  return `pat_${Array.from(bytes, (byte) => secretAlphabet[byte % secretAlphabet.length]).join('')}`;
}

/** msw handlers that answer like the service. `baseUrl` is empty for the page's own origin. */
export function createHandlers(service: MockAccessTokenService, baseUrl = '') {
  const url = (path: string) => `${baseUrl}${path}`;
  return [
    http.put(url(PATHS.accessTokens), async ({ request }) => {
      const parsed = await readJson(request);
      if (!parsed.ok) return apiError('ValidationException', 'The request body is not valid JSON.');
      const now = new Date();
      const result = validateCreateAccessToken(parsed.body, now);
      if (!result.ok) return apiError('ValidationException', result.message);
      if (service.isOverQuota(now)) {
        return apiError('ServiceQuotaExceededException', 'You have reached the maximum number of personal access tokens.');
      }
      const token = service.add(result.value.name, result.value.expiresAt);
      const body: CreateAccessTokenResponse = {
        secret: mockSecret(),
        name: token.name,
        expiresTime: result.value.expiresAt.toISOString(),
        accessTokenId: token.id,
      };
      return HttpResponse.json(body, { status: 201 });
    }),
    http.post(url(PATHS.accessTokens), async ({ request }) => {
      const parsed = await readJson(request);
      if (!parsed.ok) return apiError('ValidationException', 'The request body is not valid JSON.');
      const result = validateListAccessTokens(parsed.body);
      if (!result.ok) return apiError('ValidationException', result.message);
      const page = service.page(new Date(), result.value.maxResults, result.value.nextToken);
      if (!page) return apiError('ValidationException', 'nextToken is not valid.');
      const body: ListAccessTokensResponse = page.nextToken
        ? { items: page.items, nextToken: page.nextToken }
        : { items: page.items };
      return HttpResponse.json(body as JsonBodyType);
    }),
    http.delete(url(`${PATHS.accessTokens}/:id`), ({ params }) => {
      const id = String(params.id);
      if (!service.remove(id)) return apiError('ResourceNotFoundException', `Access token ${id} was not found.`);
      return HttpResponse.json({});
    }),
    http.get(url(PATHS.session), () => HttpResponse.json({ identity: MOCK_USER.userId })),
    http.get(url(PATHS.userDetails), () => HttpResponse.json(MOCK_USER)),
  ];
}
