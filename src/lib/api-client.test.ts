import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { mockServer, mockService } from '../../mocks/node';
import { ApiError, createApiClient } from './api-client';
import { ERROR_TYPE_HEADER, PATHS } from './api-contract';

const client = createApiClient();

describe('the API adapter', () => {
  it('follows nextToken, asking for at most 10 tokens a call', async () => {
    const asked: unknown[] = [];
    mockServer.events.on('request:start', ({ request }) => {
      if (request.method === 'POST') void request.clone().json().then((body) => asked.push(body));
    });
    for (let index = 0; index < 23; index += 1) mockService.add(`t${index}`, new Date(Date.now() + 1e9 + index));
    const items = await client.listAllAccessTokens();
    expect(items.map((item) => item.name)).toEqual(Array.from({ length: 23 }, (_, index) => `t${index}`));
    expect(asked).toHaveLength(3);
    expect(asked[0]).toEqual({ maxResults: 10 });
    expect(asked[1]).toMatchObject({ maxResults: 10, nextToken: expect.any(String) });
  });

  it.each([
    ['ValidationException', 'ValidationException'],
    ['aws.codecatalyst#ConflictException:http://internal.amazon.com/coral/', 'ConflictException'],
  ])('types an error from the %s header', async (header, expected) => {
    mockServer.use(
      http.put(PATHS.accessTokens, () =>
        HttpResponse.json({ message: 'nope' }, { status: 400, headers: { [ERROR_TYPE_HEADER]: header, 'retry-after': '7' } }),
      ),
    );
    const error = await client.createAccessToken({ name: 'x' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ errorType: expected, message: 'nope', status: 400, retryAfterSeconds: 7 });
  });

  it('types an error without the header or a JSON body by its status', async () => {
    mockServer.use(http.get(PATHS.session, () => new HttpResponse('<html>Bad gateway</html>', { status: 502 })));
    await expect(client.verifySession()).rejects.toMatchObject({ errorType: 'Http502', status: 502 });
  });

  it('types a failure to connect as NetworkError', async () => {
    mockServer.use(http.get(PATHS.userDetails, () => HttpResponse.error()));
    await expect(client.getUserDetails()).rejects.toMatchObject({ errorType: 'NetworkError', status: 0 });
  });

  it('escapes the id in the delete path', async () => {
    let path = '';
    mockServer.use(
      http.delete(`${PATHS.accessTokens}/:id`, ({ request }) => {
        path = new URL(request.url).pathname;
        return HttpResponse.json({});
      }),
    );
    await client.deleteAccessToken('a/b');
    expect(path).toBe('/v1/accessTokens/a%2Fb');
  });

  it('sends to the configured base URL', async () => {
    mockServer.use(http.get('https://api.example.test/prefix/session', () => HttpResponse.json({ identity: 'far' })));
    const remote = createApiClient({ baseUrl: 'https://api.example.test/prefix' });
    await expect(remote.verifySession()).resolves.toEqual({ identity: 'far' });
  });
});
