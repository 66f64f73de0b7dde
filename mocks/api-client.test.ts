import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_TYPE_HEADER, PATHS } from '../contract/access-tokens';
import { ApiError, createApiClient } from '../contract/api-client';
import { createHandlers } from './handlers';
import { createMockBackend } from './mock-backend';

const base = 'http://api.test';
const mockBackend = createMockBackend();
const mockServer = setupServer(...createHandlers(mockBackend, base));
const client = createApiClient({ baseUrl: base });

beforeAll(() => mockServer.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  mockServer.resetHandlers();
  mockServer.events.removeAllListeners();
  mockBackend.reset();
});
afterAll(() => mockServer.close());

describe('the API adapter', () => {
  it('follows nextToken, asking for at most 10 tokens a call', async () => {
    const asked: unknown[] = [];
    mockServer.events.on('request:start', ({ request }) => {
      if (request.method === 'POST') void request.clone().json().then((body) => asked.push(body));
    });
    for (let index = 0; index < 23; index += 1) mockBackend.add(`t${index}`, new Date(Date.now() + 1e9 + index));
    const items = await client.listAllAccessTokens();
    expect(items.map((item) => item.name)).toEqual(Array.from({ length: 23 }, (_, index) => `t${index}`));
    expect(asked).toHaveLength(3);
    expect(asked[0]).toEqual({ maxResults: 10 });
    expect(asked[1]).toMatchObject({ maxResults: 10, nextToken: expect.any(String) });
  });

  it('reads the activity log whole, or stops at the newest `max` events without asking for more', async () => {
    const asked: unknown[] = [];
    mockServer.events.on('request:start', ({ request }) => {
      if (request.method === 'POST') void request.clone().json().then((body) => asked.push(body));
    });
    const token = mockBackend.add('busy', new Date(Date.now() + 1e9));
    for (let index = 0; index < 250; index += 1) mockBackend.addEvent('USED_FROM_NEW_CLIENT', token, new Date(), { via: token });
    expect(await client.listAllAccessTokenEvents()).toHaveLength(250);
    expect(asked).toHaveLength(3);
    asked.length = 0;
    const newest = await client.listAllAccessTokenEvents(150);
    expect(newest.map((event) => event.eventId)).toEqual(Array.from({ length: 150 }, (_, index) => String(250 - index)));
    expect(asked).toEqual([{ maxResults: 100 }, { maxResults: 50, nextToken: expect.any(String) }]);
  });

  it.each([
    ['ValidationException', 'ValidationException'],
    ['aws.codecatalyst#ConflictException:http://internal.amazon.com/coral/', 'ConflictException'],
  ])('types an error from the %s header', async (header, expected) => {
    mockServer.use(
      http.put(base + PATHS.accessTokens, () =>
        HttpResponse.json({ message: 'nope' }, { status: 400, headers: { [ERROR_TYPE_HEADER]: header, 'retry-after': '7' } }),
      ),
    );
    const error = await client.createAccessToken({ name: 'x' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ errorType: expected, message: 'nope', status: 400, retryAfterSeconds: 7 });
  });

  it('types an error without the header or a JSON body by its status', async () => {
    mockServer.use(http.get(base + PATHS.session, () => new HttpResponse('<html>Bad gateway</html>', { status: 502 })));
    await expect(client.verifySession()).rejects.toMatchObject({ errorType: 'Http502', status: 502 });
  });

  it('types a failure to connect as NetworkError', async () => {
    mockServer.use(http.get(base + PATHS.userDetails, () => HttpResponse.error()));
    await expect(client.getUserDetails()).rejects.toMatchObject({ errorType: 'NetworkError', status: 0 });
  });

  it('escapes the id in the delete path', async () => {
    let path = '';
    mockServer.use(
      http.delete(`${base}${PATHS.accessTokens}/:id`, ({ request }) => {
        path = new URL(request.url).pathname;
        return HttpResponse.json({});
      }),
    );
    await client.deleteAccessToken('a/b');
    expect(path).toBe('/v1/accessTokens/a%2Fb');
  });

  it('sends a PAT as a bearer token when given one, and nothing otherwise', async () => {
    const seen: (string | null)[] = [];
    mockServer.use(
      http.get(base + PATHS.session, ({ request }) => {
        seen.push(request.headers.get('authorization'));
        return HttpResponse.json({ identity: 'me' });
      }),
    );
    await client.verifySession();
    await createApiClient({ baseUrl: base, bearerToken: 'pat_x' }).verifySession();
    expect(seen).toEqual([null, 'Bearer pat_x']);
  });

  it('sends to the configured base URL', async () => {
    mockServer.use(http.get('https://api.example.test/prefix/session', () => HttpResponse.json({ identity: 'far' })));
    const remote = createApiClient({ baseUrl: 'https://api.example.test/prefix' });
    await expect(remote.verifySession()).resolves.toEqual({ identity: 'far' });
  });
});
