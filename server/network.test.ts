import { connect, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerConfig } from './config';
import { createTestApp, type TestApp } from './testing/test-support';

/** What a raw client sees: the server's answer, how long it took, and whether the server hung up. */
interface Exchange {
  response: string;
  closedAfterMs: number;
}

let current: (TestApp & { port: number; logs: string[] }) | undefined;

afterEach(async () => {
  await current?.app.close();
  await current?.store.close();
  current = undefined;
});

async function listen(overrides: Partial<ServerConfig> = {}) {
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const testApp = await createTestApp(
    { timeouts: { headersMs: 1500, jsonBodyMs: 1500, idleMs: 2000, gitQueueMs: 1000 }, logLevel: 'warn', ...overrides },
    stream,
  );
  await testApp.app.listen({ host: '127.0.0.1', port: 0 });
  const address = testApp.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  current = { ...testApp, port, logs };
  return current;
}

/** Opens a connection, lets `talk` write to it, and collects everything until the server closes it. */
function exchange(port: number, talk: (socket: Socket) => void, giveUpMs = 8000, localAddress?: string): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect({ port, host: '127.0.0.1', localAddress });
    let response = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`The server kept the connection open for ${giveUpMs} ms; it said: ${response}`));
    }, giveUpMs);
    socket.on('data', (chunk) => {
      response += chunk.toString();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ response, closedAfterMs: Date.now() - started });
    });
    socket.on('connect', () => talk(socket));
  });
}

const request = (lines: string[], body = '') => `${lines.join('\r\n')}\r\n\r\n${body}`;
const header = (response: string, name: string) =>
  new RegExp(`^${name}: (.*)$`, 'im').exec(response.split('\r\n\r\n')[0] ?? '')?.[1]?.trim();
const statusOf = (response: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1]);

function expectAwsAnswer(response: string, status: number, errorType: string) {
  expect(statusOf(response)).toBe(status);
  expect(header(response, 'x-amzn-errortype')).toBe(errorType);
  expect(header(response, 'x-content-type-options')).toBe('nosniff');
  expect(header(response, 'cache-control')).toBe('no-store');
  expect(JSON.parse(response.split('\r\n\r\n')[1] ?? '')).toEqual({ message: expect.any(String) });
}

describe('slow and idle clients', () => {
  it('cuts a JSON body trickled past its deadline with a 408, and says so in the log', async () => {
    const { port, logs } = await listen();
    const { response, closedAfterMs } = await exchange(port, (socket) => {
      socket.write(
        request(['PUT /v1/accessTokens HTTP/1.1', 'Host: 127.0.0.1', 'Content-Type: application/json', 'Content-Length: 40']),
      );
      const drip = setInterval(() => (socket.writable ? socket.write(' ') : clearInterval(drip)), 200);
      socket.on('close', () => clearInterval(drip));
    });
    expectAwsAnswer(response, 408, 'RequestTimeoutException');
    expect(closedAfterMs).toBeGreaterThanOrEqual(1400);
    expect(closedAfterMs).toBeLessThan(3500);
    expect(logs.join('')).toContain('request body too slow');
  });

  it('takes a body that arrives in slow pieces within its deadline', async () => {
    const { port } = await listen();
    const body = JSON.stringify({ name: 'slow but steady' });
    const { response } = await exchange(port, (socket) => {
      socket.write(
        request([
          'PUT /v1/accessTokens HTTP/1.1',
          'Host: 127.0.0.1',
          'Content-Type: application/json',
          `Content-Length: ${body.length}`,
          'Connection: close',
        ]),
      );
      const pieces = [body.slice(0, 10), body.slice(10, 20), body.slice(20)];
      pieces.forEach((piece, index) => setTimeout(() => socket.write(piece), 300 * (index + 1)));
    });
    expect(statusOf(response)).toBe(201);
  });

  it('cuts a client that never finishes its headers, with a 408 in the same shape', async () => {
    const { port } = await listen();
    const { response, closedAfterMs } = await exchange(port, (socket) => {
      socket.write('GET /session HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      const drip = setInterval(() => (socket.writable ? socket.write('X-Slow: 1\r\n') : clearInterval(drip)), 200);
      socket.on('close', () => clearInterval(drip));
    });
    expectAwsAnswer(response, 408, 'RequestTimeoutException');
    expect(closedAfterMs).toBeLessThan(4000);
  });

  it('closes a connection that says nothing', async () => {
    // The idle cut (tested below) comes later here, so the header deadline is what closes it.
    const { port } = await listen({ timeouts: { headersMs: 1500, jsonBodyMs: 1500, idleMs: 5000, gitQueueMs: 1000 } });
    const { response, closedAfterMs } = await exchange(port, () => undefined);
    expectAwsAnswer(response, 408, 'RequestTimeoutException');
    expect(closedAfterMs).toBeGreaterThanOrEqual(1400);
    expect(closedAfterMs).toBeLessThan(4000);
  });

  it('cuts a transfer that stalls, and lets one that keeps moving run past the idle time', async () => {
    const { port } = await listen({ timeouts: { headersMs: 1500, jsonBodyMs: 8000, idleMs: 1000, gitQueueMs: 1000 } });
    const head = (length: number) =>
      request([
        'PUT /v1/accessTokens HTTP/1.1',
        'Host: 127.0.0.1',
        'Content-Type: application/json',
        `Content-Length: ${length}`,
        'Connection: close',
      ]);
    const stalled = await exchange(port, (socket) => socket.write(`${head(40)}{"name":`));
    expect(stalled.response).toBe('');
    expect(stalled.closedAfterMs).toBeLessThan(2500);

    const body = `{"name":"steady"${' '.repeat(12)}}`;
    const moving = await exchange(port, (socket) => {
      socket.write(head(body.length));
      [...body].forEach((character, index) => setTimeout(() => socket.write(character), 100 * (index + 1)));
    });
    expect(statusOf(moving.response)).toBe(201);
    expect(moving.closedAfterMs).toBeGreaterThan(2500);
  });

  it('refuses connections past its cap, logs it, and serves again once they close', async () => {
    const { port, logs } = await listen({ maxConnections: 2 });
    const held = await Promise.all(
      [0, 1].map(
        () =>
          new Promise<Socket>((resolve) => {
            const socket = connect(port, '127.0.0.1', () => resolve(socket));
          }),
      ),
    );
    const refused = await exchange(port, (socket) => socket.write(request(['GET /session HTTP/1.1', 'Host: 127.0.0.1'])));
    expect(refused.response).toBe('');
    expect(refused.closedAfterMs).toBeLessThan(1000);
    expect(logs.join('')).toContain('connection limit reached');
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const served = await exchange(port, (socket) =>
      socket.write(request(['GET /session HTTP/1.1', 'Host: 127.0.0.1', 'Connection: close'])),
    );
    expect(statusOf(served.response)).toBe(200);
  });
});

describe('a client that holds connections', () => {
  /** Sends `head`, then trickles `piece` every 200 ms for as long as the connection is open. */
  const trickle = (head: string[], piece: string) => (socket: Socket) => {
    socket.write(request(head));
    const drip = setInterval(() => (socket.writable ? socket.write(piece) : clearInterval(drip)), 200);
    socket.on('close', () => clearInterval(drip));
  };

  it.each([
    ['an unknown path', ['POST /nope HTTP/1.1', 'Host: 127.0.0.1', 'Content-Length: 1000000000'], 'x', 404],
    ['forward auth without credentials', ['POST /auth HTTP/1.1', 'Host: 127.0.0.1', 'Content-Length: 1000000000'], 'x', 401],
    [
      'a chunked Git push without credentials',
      ['POST /git/marymajor/project.git/git-receive-pack HTTP/1.1', 'Host: 127.0.0.1', 'Transfer-Encoding: chunked'],
      '1\r\nx\r\n',
      401,
    ],
    ['a foreign Host', ['POST /v1/accessTokens HTTP/1.1', 'Host: evil.example', 'Content-Length: 1000000000'], 'x', 403],
  ])('hangs up on %s answered before its body arrived', async (_case, head, piece, status) => {
    const { port } = await listen();
    const { response, closedAfterMs } = await exchange(port, trickle(head, piece), 4000);
    expect(statusOf(response)).toBe(status);
    expect(header(response, 'connection')).toBe('close');
    // Well before the idle cut (2 s), which the trickle would keep away for ever.
    expect(closedAfterMs).toBeLessThan(1500);
  });

  it('keeps serving another client while one address opens hundreds of trickling connections', async () => {
    const { port } = await listen({ maxConnections: 200, timeouts: { headersMs: 10_000, jsonBodyMs: 10_000, idleMs: 10_000, gitQueueMs: 1000 } });
    const held: Socket[] = [];
    await Promise.all(
      Array.from(
        { length: 300 },
        () =>
          new Promise<void>((resolve) => {
            const socket = connect({ port, host: '127.0.0.1', localAddress: '127.0.0.1' });
            held.push(socket);
            socket.on('error', () => undefined);
            socket.on('close', () => resolve());
            socket.on('connect', () => {
              socket.write('GET /session HTTP/1.1\r\nHost: 127.0.0.1\r\n');
              resolve();
            });
          }),
      ),
    );
    try {
      for (let round = 0; round < 3; round += 1) {
        const other = await exchange(
          port,
          (socket) => socket.write(request(['GET /session HTTP/1.1', 'Host: 127.0.0.1', 'Connection: close'])),
          3000,
          '127.0.0.2',
        );
        expect(statusOf(other.response)).toBe(200);
      }
      // The flooding address holds its share (a quarter of 200) and no more.
      expect(held.filter((socket) => !socket.destroyed).length).toBe(50);
    } finally {
      for (const socket of held) socket.destroy();
    }
  });
});

describe('every answer passes the same gate and shape', () => {
  const ask = async (lines: string[]) => {
    const { port } = await listen();
    return (await exchange(port, (socket) => socket.write(request([...lines, 'Connection: close'])))).response;
  };

  it('answers what Node cannot parse as HTTP in the AWS shape', async () => {
    expectAwsAnswer(await ask(['GET /session HTTP/1.1', 'Host: 127.0.0.1', 'Bad Header Line']), 400, 'BadRequestException');
  });

  it('answers a malformed escape in the path in the AWS shape', async () => {
    expectAwsAnswer(await ask(['DELETE /v1/accessTokens/%ZZ HTTP/1.1', 'Host: 127.0.0.1']), 400, 'ValidationException');
  });

  it('checks the Host even for a path the router refuses', async () => {
    expectAwsAnswer(await ask(['DELETE /v1/accessTokens/%ZZ HTTP/1.1', 'Host: attacker.example']), 403, 'AccessDeniedException');
  });

  it('answers an overlong path parameter in the AWS shape', async () => {
    expectAwsAnswer(await ask([`DELETE /v1/accessTokens/${'a'.repeat(200)} HTTP/1.1`, 'Host: 127.0.0.1']), 400, 'ValidationException');
  });

  it.each([
    ['[::1]evil.com'],
    ['[::1].evil.com'],
    ['127.0.0.1.evil.com'],
    ['127.0.0.1:8080:80'],
    ['127.0.0.1 evil.com'],
    ['localhost@evil.com'],
    [''],
  ])('refuses the Host %j', async (host) => {
    expectAwsAnswer(await ask(['GET /session HTTP/1.1', `Host: ${host}`]), 403, 'AccessDeniedException');
  });

  it('answers a request without Host in the AWS shape', async () => {
    expectAwsAnswer(await ask(['GET /session HTTP/1.1']), 400, 'BadRequestException');
  });

  it('refuses a request with two Host headers, whichever comes first', async () => {
    expectAwsAnswer(await ask(['GET /session HTTP/1.1', 'Host: 127.0.0.1', 'Host: attacker.example']), 403, 'AccessDeniedException');
  });

  it.each(['127.0.0.1', '127.0.0.1:8080', 'localhost', 'LOCALHOST:80', '[::1]', '[::1]:8080'])('serves the Host %s', async (host) => {
    expect(statusOf(await ask(['GET /session HTTP/1.1', `Host: ${host}`]))).toBe(200);
  });
});
