import { QueryClient } from '@tanstack/react-query';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PATHS } from '../../../../contract/access-tokens';
import type { AccessTokenSummary } from '../../../../contract/schemas';
import { mockServer, mockBackend } from '../../../../mocks/node';
import { accessTokenKeys } from './access-token-keys';
import { listEarlyAccessTokens, seedAccessTokens, startEarlyAccessTokens, type EarlyAccessTokens } from './early-access-tokens';

const DAY = 24 * 60 * 60 * 1000;
const token = (name: string, expiresInMs: number): AccessTokenSummary => ({
  id: `id-${name}`,
  name,
  expiresTime: new Date(Date.now() + expiresInMs).toISOString(),
});

/** A stand-in for the browser's Worker: records how it was started, and answers when told to. */
class FakeWorker extends EventTarget {
  static started: FakeWorker[] = [];
  terminated = false;
  constructor(readonly url: string) {
    super();
    FakeWorker.started.push(this);
  }
  terminate() {
    this.terminated = true;
  }
  answer(data: unknown) {
    this.dispatchEvent(new MessageEvent('message', { data }));
  }
}

describe('the early token list', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    FakeWorker.started = [];
    window.patConsoleEarlyAccessTokens = undefined;
  });

  it('is asked for in a worker only on a visit that lands on My settings', async () => {
    vi.stubGlobal('Worker', FakeWorker);
    expect(startEarlyAccessTokens('/settings/tokens/create', '/assets/early.js')).toBeUndefined();
    expect(startEarlyAccessTokens('/repositories', '/assets/early.js')).toBeUndefined();
    expect(FakeWorker.started).toEqual([]);

    const early = startEarlyAccessTokens('/settings', '/assets/early.js');
    expect(FakeWorker.started.map((worker) => worker.url)).toEqual(['/assets/early.js']);
    const items = [token('laptop', 30 * DAY)];
    FakeWorker.started[0]?.answer({ items });
    await expect(early?.settled).resolves.toEqual(items);
    expect(early?.items).toEqual(items);
    expect(FakeWorker.started[0]?.terminated).toBe(true);
  });

  it('settles empty-handed when the worker fails or cannot list', async () => {
    vi.stubGlobal('Worker', FakeWorker);
    const failed = startEarlyAccessTokens('/', '/assets/early.js');
    FakeWorker.started[0]?.answer({ failed: true });
    await expect(failed?.settled).resolves.toBeUndefined();
    const broken = startEarlyAccessTokens('/settings', '/assets/early.js');
    FakeWorker.started[1]?.dispatchEvent(new Event('error'));
    await expect(broken?.settled).resolves.toBeUndefined();
  });

  it('in the worker, lists every page, or says it could not', async () => {
    for (let index = 0; index < 12; index += 1) mockBackend.add(`t-${index}`, new Date(Date.now() + (index + 1) * DAY));
    const listed = await listEarlyAccessTokens();
    expect('items' in listed && listed.items.map((item) => item.name)).toHaveLength(12);
    mockServer.use(http.post(PATHS.accessTokens, () => HttpResponse.json({ message: 'down' }, { status: 503 })));
    await expect(listEarlyAccessTokens()).resolves.toEqual({ failed: true });
  });

  it('is the first render’s data when it has arrived, without the tokens that expired since', () => {
    const client = new QueryClient();
    const live = token('live', 30 * DAY);
    const early: EarlyAccessTokens = { items: [live, token('lapsed', -1000)], settled: Promise.resolve(undefined) };
    window.patConsoleEarlyAccessTokens = early;
    seedAccessTokens(client);
    expect(client.getQueryData(accessTokenKeys.list())).toEqual([live]);
    // Taken once: a later client (a remount) asks the service itself.
    expect(window.patConsoleEarlyAccessTokens).toBeUndefined();
  });

  it('is the query’s first fetch while on its way', async () => {
    const client = new QueryClient();
    let arrive: (items: AccessTokenSummary[]) => void = () => undefined;
    const live = token('live', 30 * DAY);
    seedAccessTokens(client, { settled: new Promise((resolve) => (arrive = resolve)) });
    expect(client.getQueryState(accessTokenKeys.list())?.fetchStatus).toBe('fetching');
    arrive([live]);
    await vi.waitFor(() => expect(client.getQueryData(accessTokenKeys.list())).toEqual([live]));
  });

  it('is asked for again the usual way when the early request failed', async () => {
    mockBackend.add('from-the-service', new Date(Date.now() + 5 * DAY));
    const client = new QueryClient();
    seedAccessTokens(client, { settled: Promise.resolve(undefined) });
    await vi.waitFor(() =>
      expect(client.getQueryData<AccessTokenSummary[]>(accessTokenKeys.list())?.map((item) => item.name)).toEqual(['from-the-service']),
    );
  });
});
