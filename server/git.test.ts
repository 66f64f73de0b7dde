import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AccessTokenAccess, CreateAccessTokenResponse } from '../contract/schemas';
import type { ServerConfig } from './config';
import { gitClient, gitProcessesFor, requireGit, withPat, type GitClient } from './testing/git-support';
import { createTestApp, eraseToken, json, seedExpiredToken, type TestApp } from './testing/test-support';
import { digestSecret } from './tokens/secret';

let current: (TestApp & { origin: string }) | undefined;
let git: GitClient;

beforeAll(async () => {
  await requireGit();
});

afterEach(async () => {
  await current?.app.close();
  await current?.store.close();
  current = undefined;
});

async function serve(overrides: Partial<ServerConfig> = {}) {
  const testApp = await createTestApp({ createsPerMinute: 0, ...overrides });
  const origin = await testApp.app.listen({ host: '127.0.0.1', port: 0 });
  current = { ...testApp, origin };
  git = gitClient();
  return current;
}

async function createPat(name = 'laptop', user?: string, access?: AccessTokenAccess) {
  const response = await current!.app.inject({
    method: 'PUT',
    url: '/v1/accessTokens',
    headers: { ...json, ...(user ? { 'x-forwarded-user': user } : {}) },
    payload: JSON.stringify({ name, ...(access ? { access } : {}) }),
  });
  expect(response.statusCode).toBe(201);
  return response.json<CreateAccessTokenResponse>();
}

const originOf = (app: TestApp['app']) => {
  const address = app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
};

async function createPatOn(app: TestApp['app']) {
  const response = await app.inject({ method: 'PUT', url: '/v1/accessTokens', headers: json, payload: JSON.stringify({ name: 'shutdown' }) });
  return response.json<CreateAccessTokenResponse>();
}

const remoteOn = (app: TestApp['app'], secret: string, repository: string) =>
  withPat(`${originOf(app)}/git/marymajor/${repository}.git`, secret);

/** A clone URL with a PAT as the password, as a person would paste it. */
const remote = (secret: string, repository: string, owner = 'marymajor', username = 'anything') =>
  withPat(`${current!.origin}/git/${owner}/${repository}.git`, secret, username);

/** A working tree with one commit on `branch`, and optionally a large file of random bytes. */
async function workTree(branch = 'trunk', bigFileBytes = 0) {
  const dir = mkdtempSync(join(tmpdir(), 'pat-console-work-'));
  await git(['init', '--quiet', '--initial-branch', branch, dir]);
  writeFileSync(join(dir, 'README.md'), '# hello\n');
  if (bigFileBytes > 0) writeFileSync(join(dir, 'blob.bin'), randomBytes(bigFileBytes));
  await git(['add', '.'], { cwd: dir });
  await git(['commit', '--quiet', '-m', 'first'], { cwd: dir });
  return dir;
}

/** A raw request to the server, for what git clients do not send. */
function raw(
  path: string,
  { method = 'GET', headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: Buffer } = {},
): Promise<{ status: number; headers: IncomingMessage['headers']; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${current!.origin}${path}`, { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('latin1') }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

const basic = (secret: string, username = 'x') => `Basic ${Buffer.from(`${username}:${secret}`).toString('base64')}`;

const pktLine = (text: string) => `${(text.length + 4).toString(16).padStart(4, '0')}${text}`;

describe('Git over HTTPS with a PAT', () => {
  it('creates a repository on the first push, with HEAD on the pushed branch, and clones it back', async () => {
    await serve();
    const { secret } = await createPat();
    const work = await workTree('trunk');
    const pushed = await git(['push', remote(secret, 'notes'), 'trunk'], { cwd: work });
    expect(pushed.stderr).toContain('[new branch]');
    expect(pushed.ok).toBe(true);

    const clone = join(mkdtempSync(join(tmpdir(), 'pat-console-clone-')), 'notes');
    // Any username will do, an e-mail address too: the PAT says who it is.
    const cloned = await git(['clone', remote(secret, 'notes', 'marymajor', 'mary@example.com'), clone]);
    expect(cloned.ok).toBe(true);
    expect(readFileSync(join(clone, 'README.md'), 'utf8')).toBe('# hello\n');
    expect((await git(['rev-parse', '--abbrev-ref', 'HEAD'], { cwd: clone })).stdout.trim()).toBe('trunk');
    // Without the `.git` too.
    expect((await git(['ls-remote', remote(secret, 'notes').replace(/\.git$/, '')])).stdout).toContain('refs/heads/trunk');
  });

  it('works for a user named by an e-mail address (proxy mode)', async () => {
    await serve({ authMode: 'proxy' });
    const { secret } = await createPat('mail', 'john@example.com');
    const work = await workTree();
    expect((await git(['push', remote(secret, 'mailbox', 'john@example.com'), 'trunk'], { cwd: work })).ok).toBe(true);
    const listed = await git(['ls-remote', remote(secret, 'mailbox', 'john@example.com')]);
    expect(listed.stdout).toContain('refs/heads/trunk');
  });

  it('records the use of the PAT, and logs its first use from git, and a later use once it is deleted', async () => {
    await serve();
    const { secret, accessTokenId } = await createPat();
    await git(['ls-remote', remote(secret, 'nothing-here')]);
    await git(['ls-remote', remote(secret, 'nothing-here')]);
    const user = await current!.store.userByName('marymajor');
    const token = (await current!.store.liveTokens(user.id, Date.now())).find((item) => item.id === accessTokenId);
    expect(Date.now() - (token?.lastUsedAt ?? 0)).toBeLessThan(5000);
    await current!.app.inject({ method: 'DELETE', url: `/v1/accessTokens/${accessTokenId}`, headers: json });
    await git(['ls-remote', remote(secret, 'nothing-here')]);
    const log = (await current!.store.listActivity(user.id, 10, undefined)).items;
    expect(log.map((entry) => [entry.type, entry.via?.name ?? null, entry.address])).toEqual([
      ['DELETED_TOKEN_USED', 'laptop', '127.0.0.1'],
      ['DELETED', null, '127.0.0.1'],
      ['USED_FROM_NEW_CLIENT', 'laptop', '127.0.0.1'],
      ['CREATED', null, '127.0.0.1'],
    ]);
    for (const entry of [log[0], log[2]]) expect(entry?.userAgent).toMatch(/^git\/2\./);
  });

  it('challenges a request without credentials with Basic, and never counts it as a failure', async () => {
    await serve({ failedAuthsPerMinute: 2 });
    for (let index = 0; index < 5; index += 1) {
      const answer = await raw('/git/marymajor/notes.git/info/refs?service=git-upload-pack');
      expect(answer.status).toBe(401);
      expect(answer.headers['www-authenticate']).toMatch(/^Basic realm="pat-console"/);
      expect(answer.text).toMatch(/^Authentication required: .+\n$/);
    }
  });

  it.each([
    ['a made-up PAT', () => basic(`pat_${'A'.repeat(49)}`)],
    ['a password that is no PAT', () => basic('hunter2')],
    ['an empty username', () => `Basic ${Buffer.from(':pat_x').toString('base64')}`],
    ['another scheme', () => 'Digest username="mary"'],
  ])('refuses %s with 401 and the Basic challenge', async (_what, authorization) => {
    await serve();
    const answer = await raw('/git/marymajor/notes.git/info/refs?service=git-upload-pack', { headers: { authorization: authorization() } });
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toMatch(/^Basic realm="pat-console"/);
    expect(answer.text.trim().split('\n')).toHaveLength(1);
  });

  it('limits failed attempts per client with 429 and Retry-After, and a real PAT still gets in', async () => {
    await serve({ failedAuthsPerMinute: 2 });
    const { secret } = await createPat();
    const attempt = (password: string) =>
      raw('/git/marymajor/notes.git/info/refs?service=git-receive-pack', { headers: { authorization: basic(password) } });
    expect((await attempt('wrong-1')).status).toBe(401);
    expect((await attempt('wrong-2')).status).toBe(401);
    const limited = await attempt('wrong-3');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await attempt(secret)).status).toBe(200);
  });

  it('takes a PAT as a bearer token too', async () => {
    await serve();
    const { secret } = await createPat();
    const answer = await raw('/git/marymajor/fresh.git/info/refs?service=git-receive-pack', { headers: { authorization: `Bearer ${secret}` } });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/x-git-receive-pack-advertisement');
  });

  it('never takes the local user, nor a proxy identity header, for Git', async () => {
    await serve({ authMode: 'proxy' });
    const spoofed = await raw('/git/marymajor/notes.git/info/refs?service=git-upload-pack', { headers: { 'x-forwarded-user': 'marymajor' } });
    expect(spoofed.status).toBe(401);
    await current!.app.close();
    await serve();
    expect((await raw('/git/marymajor/notes.git/info/refs?service=git-upload-pack')).status).toBe(401);
  });

  it('refuses a deleted PAT on the very next request, and an expired one', async () => {
    await serve();
    const { secret, accessTokenId } = await createPat();
    const work = await workTree();
    expect((await git(['push', remote(secret, 'notes'), 'trunk'], { cwd: work })).ok).toBe(true);
    await current!.app.inject({ method: 'DELETE', url: `/v1/accessTokens/${accessTokenId}`, headers: json });
    const refused = await git(['ls-remote', remote(secret, 'notes')]);
    expect(refused.ok).toBe(false);
    expect(refused.stderr).toContain('The personal access token is not valid, has expired or was deleted.');

    const old = await createPat('old');
    await eraseToken(current!.store, 'marymajor', old.accessTokenId);
    await seedExpiredToken(current!.store, 'marymajor', 'old', digestSecret(old.secret));
    expect((await raw('/git/marymajor/notes.git/info/refs?service=git-upload-pack', { headers: { authorization: basic(old.secret) } })).status).toBe(401);
  });

  it('answers 404 for another user’s repository whether it exists or not, saying where the caller’s own are', async () => {
    await serve({ authMode: 'proxy' });
    const john = await createPat('johns', 'john');
    const mary = await createPat('marys', 'marymajor');
    const work = await workTree();
    expect((await git(['push', remote(john.secret, 'secret-plans', 'john'), 'trunk'], { cwd: work })).ok).toBe(true);

    const hint = 'Repository not found. Your repositories are under /git/marymajor/: you can push there only.\n';
    for (const path of ['/git/john/secret-plans.git/info/refs?service=git-upload-pack', '/git/john/nothing.git/info/refs?service=git-upload-pack']) {
      const answer = await raw(path, { headers: { authorization: basic(mary.secret) } });
      expect([answer.status, answer.text]).toEqual([404, hint]);
    }
    const missing = await raw('/git/marymajor/missing.git/info/refs?service=git-upload-pack', { headers: { authorization: basic(mary.secret) } });
    expect([missing.status, missing.text]).toEqual([404, 'Repository not found.\n']);
    // Nor can a push create one in another user's namespace; git shows the hint to its user.
    const pushed = await git(['push', remote(mary.secret, 'planted', 'john'), 'trunk'], { cwd: work });
    expect(pushed.ok).toBe(false);
    expect(pushed.stderr).toContain('you can push there only');
  });

  it('says a repository name is invalid, and why, instead of not found', async () => {
    await serve();
    const { secret } = await createPat();
    const pushed = await git(['push', remote(secret, 'a..b'), 'trunk'], { cwd: await workTree() });
    expect(pushed.ok).toBe(false);
    expect(pushed.stderr).toContain('"a..b" is not a valid repository name. A repository name has up to 100 letters');
  });

  it.each([
    '/git/marymajor/..%2f..%2fetc/info/refs?service=git-upload-pack',
    '/git/marymajor/%2e%2e/info/refs?service=git-upload-pack',
    '/git/marymajor/..%2Fnotes.git/info/refs?service=git-upload-pack',
    '/git/marymajor/notes%2f..%2f..%2fescape/info/refs?service=git-receive-pack',
    '/git/marymajor//notes.git/info/refs?service=git-upload-pack',
    '/git/marymajor/notes%00.git/info/refs?service=git-upload-pack',
    '/git/marymajor/.hidden/info/refs?service=git-receive-pack',
    '/git/marymajor/-option/info/refs?service=git-receive-pack',
    '/git/marymajor/a..b/info/refs?service=git-receive-pack',
    '/git/marymajor/notes.git.git/info/refs?service=git-receive-pack',
    '/git/marymajor/%ZZ/info/refs?service=git-upload-pack',
    '/git/..%2fmarymajor/notes.git/info/refs?service=git-upload-pack',
    '/git/marymajor/notes.git/HEAD',
    '/git/marymajor/notes.git/objects/info/packs',
    '/git/marymajor/notes.git/info/refs',
    '/git/marymajor/notes.git/config',
    `/git/marymajor/${'a'.repeat(101)}/info/refs?service=git-receive-pack`,
  ])('refuses %s without touching the disk outside the root', async (path) => {
    await serve();
    const { secret } = await createPat();
    const before = readdirSync(current!.config.reposDir, { recursive: true });
    const answer = await raw(path, { headers: { authorization: basic(secret) } });
    expect([400, 404]).toContain(answer.status);
    expect(readdirSync(current!.config.reposDir, { recursive: true })).toEqual(before);
    expect(existsSync(join(current!.config.reposDir, '..', 'escape.git'))).toBe(false);
  });

  it('speaks protocol v2, and takes a gzip-encoded request body', async () => {
    await serve();
    const { secret } = await createPat();
    const work = await workTree();
    await git(['push', remote(secret, 'notes'), 'trunk'], { cwd: work });
    const request = `${pktLine('command=ls-refs\n')}0001${pktLine('ref-prefix refs/heads/\n')}0000`;
    const answer = await raw('/git/marymajor/notes.git/git-upload-pack', {
      method: 'POST',
      headers: {
        authorization: basic(secret),
        'content-type': 'application/x-git-upload-pack-request',
        'content-encoding': 'gzip',
        'git-protocol': 'version=2',
      },
      body: gzipSync(request),
    });
    expect(answer.status).toBe(200);
    expect(answer.text).toMatch(/[0-9a-f]{40} refs\/heads\/trunk/);

    const traced = await git(['-c', 'protocol.version=2', 'ls-remote', remote(secret, 'notes')], { env: { GIT_TRACE_PACKET: '1' } });
    expect(traced.stderr).toContain('< version 2');
  });

  it('streams a chunked push of several MiB, and clones it back intact', async () => {
    await serve();
    const { secret } = await createPat();
    const work = await workTree('main', 3 * 1024 * 1024);
    const pushed = await git(['push', remote(secret, 'big'), 'main'], { cwd: work, env: { GIT_TRACE_CURL: '1', GIT_TRACE_CURL_NO_DATA: '1' } });
    expect(pushed.ok).toBe(true);
    expect(pushed.stderr).toMatch(/Transfer-Encoding: chunked/i);
    const clone = join(mkdtempSync(join(tmpdir(), 'pat-console-clone-')), 'big');
    expect((await git(['clone', '--quiet', remote(secret, 'big'), clone])).ok).toBe(true);
    expect(readFileSync(join(clone, 'blob.bin')).equals(readFileSync(join(work, 'blob.bin')))).toBe(true);
  });

  it('refuses a push larger than its limit', async () => {
    await serve({ maxPushBytes: 256 * 1024 });
    const { secret } = await createPat();
    const work = await workTree('main', 1024 * 1024);
    const pushed = await git(['push', remote(secret, 'too-big'), 'main'], { cwd: work });
    expect(pushed.ok).toBe(false);
    expect((await git(['ls-remote', remote(secret, 'too-big')])).stdout).not.toContain('refs/heads/main');
  });

  /** Starts a full fetch of `repository` and reads none of the answer: git blocks on a full pipe. */
  const stalledFetch = (secret: string, repository: string) => stalledFetchOn(current!.app, secret, repository);

  /** A new PAT, a 24 MiB repository `large` pushed with it, and a fetch of it that reads nothing while git runs. */
  async function stalledLargeFetch() {
    const { secret } = await createPat();
    const work = await workTree('main', 24 * 1024 * 1024);
    expect((await git(['push', remote(secret, 'large'), 'main'], { cwd: work })).ok).toBe(true);
    const response = await stalledFetch(secret, 'large');
    expect(response.statusCode).toBe(200);
    expect(gitProcessesFor(current!.config.reposDir).length).toBeGreaterThan(0);
    return { secret, response };
  }

  async function stalledFetchOn(app: TestApp['app'], secret: string, repository: string) {
    const refs = await git(['ls-remote', remoteOn(app, secret, repository)]);
    const head = refs.stdout.split('\t')[0] ?? '';
    const body = `${pktLine(`want ${head}\n`)}0000${pktLine('done\n')}`;
    return new Promise<IncomingMessage>((resolve, reject) => {
      const request = httpRequest(
        `${originOf(app)}/git/marymajor/${repository}.git/git-upload-pack`,
        { method: 'POST', headers: { authorization: basic(secret), 'content-type': 'application/x-git-upload-pack-request' } },
        resolve,
      );
      request.on('error', reject);
      request.end(body);
    });
  }

  it('kills the git processes of a client that goes away', async () => {
    await serve();
    const { response } = await stalledLargeFetch();
    response.destroy();
    response.socket.destroy();
    await expect.poll(() => gitProcessesFor(current!.config.reposDir), { timeout: 5000 }).toEqual([]);
  });

  it('has git answer a fetch on the connection itself, logs it, and refuses a body that is not gzip with its own status', async () => {
    const logs: string[] = [];
    const testApp = await createTestApp({ createsPerMinute: 0, logLevel: 'info' }, { write: (line: string) => void logs.push(line) });
    current = { ...testApp, origin: await testApp.app.listen({ host: '127.0.0.1', port: 0 }) };
    git = gitClient();
    const { secret } = await createPat();
    const work = await workTree();
    await git(['push', remote(secret, 'direct'), 'trunk'], { cwd: work });
    const headers = { authorization: basic(secret), 'content-type': 'application/x-git-upload-pack-request', 'git-protocol': 'version=2' };
    const listed = await raw('/git/marymajor/direct.git/git-upload-pack', {
      method: 'POST',
      headers,
      body: Buffer.from(`${pktLine('command=ls-refs\n')}0001${pktLine('ref-prefix refs/heads/\n')}0000`),
    });
    expect(listed.status).toBe(200);
    // Its end is the connection's: no length, nothing chunked.
    expect(listed.headers.connection).toBe('close');
    expect(listed.headers['transfer-encoding']).toBeUndefined();
    expect(listed.headers['x-content-type-options']).toBe('nosniff');
    expect(listed.text).toMatch(/[0-9a-f]{40} refs\/heads\/trunk/);
    const refused = await raw('/git/marymajor/direct.git/git-upload-pack', { method: 'POST', headers: { ...headers, 'content-encoding': 'gzip' }, body: Buffer.from('not gzip') });
    expect(refused.status).toBe(400);
    expect(refused.text).toBe('The request body is not valid gzip.\n');
    const completed = logs
      .map((line) => JSON.parse(line) as { msg: string; req?: { method: string; url: string }; res?: { statusCode: number } })
      .filter((line) => line.msg === 'request completed' && line.req?.method === 'POST' && line.req.url.endsWith('git-upload-pack'));
    expect(completed.map((line) => line.res?.statusCode)).toEqual([200, 400]);
  });

  it('ends a fetch whose client stops reading, once it has read nothing for the idle time', async () => {
    await serve({ timeouts: { headersMs: 10_000, jsonBodyMs: 10_000, idleMs: 2000, gitQueueMs: 10_000 } });
    // The answer is never read: once the connection's buffers are full, git waits on its client.
    const { response } = await stalledLargeFetch();
    await expect.poll(() => gitProcessesFor(current!.config.reposDir), { timeout: 10_000, interval: 200 }).toEqual([]);
    response.socket.destroy();
  });

  it('lets a running transfer finish when the server shuts down', async () => {
    const { app, store } = await serve();
    current = undefined;
    const { secret } = await createPatOn(app);
    const work = await workTree('main', 24 * 1024 * 1024);
    expect((await git(['push', remoteOn(app, secret, 'large'), 'main'], { cwd: work })).ok).toBe(true);
    const response = await stalledFetchOn(app, secret, 'large');
    let closed = false;
    const closing = app.close().then(() => {
      closed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(closed).toBe(false);
    let received = 0;
    response.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    await new Promise((resolve) => response.on('end', resolve));
    await closing;
    expect(received).toBeGreaterThan(24 * 1024 * 1024);
    await store.close();
  });

  it('runs at most its cap of git processes, and answers the rest 503 with Retry-After', async () => {
    await serve({ gitMaxRequests: 1, timeouts: { headersMs: 10_000, jsonBodyMs: 10_000, idleMs: 15_000, gitQueueMs: 300 } });
    const { secret, response: holding } = await stalledLargeFetch();
    const turnedAway = await raw('/git/marymajor/large.git/info/refs?service=git-upload-pack', { headers: { authorization: basic(secret) } });
    expect(turnedAway.status).toBe(503);
    expect(turnedAway.headers['retry-after']).toBe('5');
    holding.destroy();
    holding.socket.destroy();
    await expect.poll(async () => (await raw('/git/marymajor/large.git/info/refs?service=git-upload-pack', { headers: { authorization: basic(secret) } })).status).toBe(200);
  });

  it('answers 503 with the reason when git is not installed, and serves everything else', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await serve();
    } finally {
      process.env.PATH = path;
    }
    const { secret } = await createPat();
    const answer = await raw('/git/marymajor/notes.git/info/refs?service=git-upload-pack', { headers: { authorization: basic(secret) } });
    expect(answer.status).toBe(503);
    expect(answer.text).toContain('Git is not installed on this server');
    expect((await current!.app.inject({ url: '/session' })).statusCode).toBe(200);
  });

  it('lists the user’s repositories for the console, with size and last push', async () => {
    await serve();
    const { secret } = await createPat();
    const before = Date.now();
    await git(['push', remote(secret, 'notes'), 'trunk'], { cwd: await workTree() });
    const listed = await current!.app.inject({ url: '/v1/repositories' });
    expect(listed.json()).toEqual({
      items: [{ name: 'notes', sizeBytes: expect.any(Number), lastPushTime: expect.any(String) }],
    });
    const [item] = listed.json<{ items: { sizeBytes: number; lastPushTime: string }[] }>().items;
    expect(item?.sizeBytes).toBeGreaterThan(0);
    expect(Date.parse(item?.lastPushTime ?? '')).toBeGreaterThanOrEqual(before - 1000);
  });
});

/** A raw connection: the request head is written as given, then `body` pieces as `talk` chooses. */
function rawSocket(head: string[]) {
  const address = current!.app.server.address();
  const socket = connect({ port: typeof address === 'object' && address ? address.port : 0, host: '127.0.0.1' });
  let text = '';
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
  });
  socket.on('error', () => undefined);
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(text)));
  socket.write(`${head.join('\r\n')}\r\n\r\n`);
  return { socket, closed, answer: () => text };
}

const statusLine = (text: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);

/** A push that sends its head and a first chunk, then nothing: it holds its place until closed. */
function heldPush(secret: string, repository: string, owner = 'marymajor') {
  const held = rawSocket([
    `POST /git/${owner}/${repository}.git/git-receive-pack HTTP/1.1`,
    'Host: 127.0.0.1',
    `Authorization: ${basic(secret)}`,
    'Content-Type: application/x-git-receive-pack-request',
    'Transfer-Encoding: chunked',
  ]);
  // The start of a command's pkt-line: git waits for the rest of it.
  held.socket.write('4\r\n0fff\r\n');
  return held;
}

describe('Git under abuse', () => {
  it('advertises a repository yet to be pushed as empty, and creates nothing until a push', async () => {
    await serve();
    const { secret } = await createPat();
    for (let index = 0; index < 20; index += 1) {
      const answer = await raw(`/git/marymajor/probe-${index}.git/info/refs?service=git-receive-pack`, { headers: { authorization: basic(secret) } });
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe('application/x-git-receive-pack-advertisement');
      expect(answer.text).toContain('capabilities^{}');
    }
    const user = await current!.store.userByName('marymajor');
    expect(existsSync(join(current!.config.reposDir, user.id))).toBe(false);
    expect((await current!.app.inject({ url: '/v1/repositories' })).json()).toEqual({ items: [] });
    expect((await git(['push', remote(secret, 'probe-0'), 'trunk'], { cwd: await workTree() })).ok).toBe(true);
    expect(readdirSync(join(current!.config.reposDir, user.id))).toEqual(['probe-0.git']);
  });

  it('stops a user at their repository limit with a message git prints', async () => {
    await serve({ maxReposPerUser: 2 });
    const { secret } = await createPat();
    const work = await workTree();
    expect((await git(['push', remote(secret, 'one'), 'trunk'], { cwd: work })).ok).toBe(true);
    expect((await git(['push', remote(secret, 'two'), 'trunk'], { cwd: work })).ok).toBe(true);
    const third = await git(['push', remote(secret, 'three'), 'trunk'], { cwd: work });
    expect(third.ok).toBe(false);
    expect(third.stderr).toContain('You have 2 repositories, the most this server keeps for one user');
    // Pushing to one of them still works.
    writeFileSync(join(work, 'more.txt'), 'more\n');
    await git(['add', '.'], { cwd: work });
    await git(['commit', '--quiet', '-m', 'more'], { cwd: work });
    expect((await git(['push', remote(secret, 'two'), 'trunk'], { cwd: work })).ok).toBe(true);
  });

  it('lists sizes that follow each push', async () => {
    await serve();
    const { secret } = await createPat();
    const sizeNow = async () => (await current!.app.inject({ url: '/v1/repositories' })).json<{ items: { sizeBytes: number }[] }>().items[0]?.sizeBytes ?? 0;
    const work = await workTree('main');
    await git(['push', remote(secret, 'growing'), 'main'], { cwd: work });
    const first = await sizeNow();
    writeFileSync(join(work, 'blob.bin'), randomBytes(200 * 1024));
    await git(['add', '.'], { cwd: work });
    await git(['commit', '--quiet', '-m', 'grow'], { cwd: work });
    await git(['push', remote(secret, 'growing'), 'main'], { cwd: work });
    expect(await sizeNow()).toBeGreaterThan(first + 200 * 1024);
  });

  it('lists repositories while pushes create and write to them', async () => {
    await serve();
    const { secret } = await createPat();
    const work = await workTree('main');
    let pushing = true;
    const statuses: number[] = [];
    const listing = (async () => {
      while (pushing) statuses.push((await current!.app.inject({ url: '/v1/repositories' })).statusCode);
    })();
    // Each first push settles HEAD (a lock file renamed) while the listing walks the repository.
    for (let index = 0; index < 30; index += 1) {
      expect((await git(['push', remote(secret, `busy-${index}`), 'main'], { cwd: work })).ok).toBe(true);
    }
    pushing = false;
    await listing;
    expect(statuses.length).toBeGreaterThan(8);
    expect(new Set(statuses)).toEqual(new Set([200]));
  });

  it('counts a gzip-encoded push against the limit as git reads it, decoded', async () => {
    await serve({ maxPushBytes: 64 * 1024 });
    const { secret } = await createPat();
    await git(['push', remote(secret, 'bombed'), 'trunk'], { cwd: await workTree() });
    // Five million bytes of commands, which git reads to the end before it looks at any of them.
    const command = pktLine(`${'0'.repeat(40)} ${'1'.repeat(40)} refs/heads/bomb\n`);
    const bomb = gzipSync(command.repeat(Math.ceil(5_000_000 / command.length)));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const answer = await raw('/git/marymajor/bombed.git/git-receive-pack', {
      method: 'POST',
      headers: { authorization: basic(secret), 'content-type': 'application/x-git-receive-pack-request', 'content-encoding': 'gzip' },
      body: bomb,
    });
    expect(answer.status).toBe(413);
    expect(answer.text).toContain('larger than this server takes (65536 bytes)');
    const other = await raw('/git/marymajor/bombed.git/git-receive-pack', {
      method: 'POST',
      headers: { authorization: basic(secret), 'content-type': 'application/x-git-receive-pack-request', 'content-encoding': 'br' },
      body: Buffer.from('0000'),
    });
    expect(other.status).toBe(415);
  });

  it('answers 413 to a declared length over the limit before any of the body arrives', async () => {
    await serve({ maxPushBytes: 64 * 1024 });
    const { secret } = await createPat();
    await git(['push', remote(secret, 'declared'), 'trunk'], { cwd: await workTree() });
    const held = rawSocket([
      'POST /git/marymajor/declared.git/git-receive-pack HTTP/1.1',
      'Host: 127.0.0.1',
      `Authorization: ${basic(secret)}`,
      'Content-Type: application/x-git-receive-pack-request',
      `Content-Length: ${64 * 1024 + 1}`,
    ]);
    await expect.poll(() => statusLine(held.answer()), { timeout: 2000 }).toBe(413);
    held.socket.destroy();
  });

  it('cleans up after a push cut for its size, and logs what the client got', async () => {
    const logs: string[] = [];
    const testApp = await createTestApp(
      { createsPerMinute: 0, maxPushBytes: 256 * 1024, logLevel: 'info' },
      { write: (line: string) => void logs.push(line) },
    );
    current = { ...testApp, origin: await testApp.app.listen({ host: '127.0.0.1', port: 0 }) };
    git = gitClient();
    const { secret } = await createPat();
    const work = await workTree('main');
    expect((await git(['push', remote(secret, 'cut'), 'main'], { cwd: work })).ok).toBe(true);
    // Over git's 1 MiB post buffer, so the push is chunked and only the server's count can stop it.
    writeFileSync(join(work, 'blob.bin'), randomBytes(3 * 1024 * 1024));
    await git(['add', '.'], { cwd: work });
    await git(['commit', '--quiet', '-m', 'big'], { cwd: work });
    expect((await git(['push', remote(secret, 'cut'), 'main'], { cwd: work })).ok).toBe(false);
    const user = await current.store.userByName('marymajor');
    const objects = join(current.config.reposDir, user.id, 'cut.git', 'objects');
    await expect.poll(() => readdirSync(objects).filter((name) => name.includes('incoming')), { timeout: 5000 }).toEqual([]);
    const pushes = logs
      .map((line) => JSON.parse(line) as { msg: string; req?: { method: string; url: string }; res?: { statusCode: number } })
      .filter((line) => line.msg === 'request completed' && line.req?.method === 'POST' && line.req.url.endsWith('git-receive-pack'));
    expect(pushes.map((line) => line.res?.statusCode)).toContain(413);
  });

  it('lets git clean up after a push with a declared length whose client leaves halfway', async () => {
    await serve();
    const { secret } = await createPat();
    const work = await workTree('main');
    await git(['push', remote(secret, 'halfway'), 'main'], { cwd: work });
    writeFileSync(join(work, 'blob.bin'), randomBytes(512 * 1024));
    await git(['add', '.'], { cwd: work });
    await git(['commit', '--quiet', '-m', 'more'], { cwd: work });
    const [from, to] = await Promise.all(['HEAD~1', 'HEAD'].map(async (rev) => (await git(['rev-parse', rev], { cwd: work })).stdout.trim()));
    const pack = execFileSync('git', ['pack-objects', '--revs', '--stdout', '--quiet'], { cwd: work, input: `${to}\n^${from}\n` });
    const body = Buffer.concat([Buffer.from(`${pktLine(`${from} ${to} refs/heads/main\0report-status\n`)}0000`), pack]);
    const held = rawSocket([
      'POST /git/marymajor/halfway.git/git-receive-pack HTTP/1.1',
      'Host: 127.0.0.1',
      `Authorization: ${basic(secret)}`,
      'Content-Type: application/x-git-receive-pack-request',
      `Content-Length: ${body.length}`,
    ]);
    held.socket.write(body.subarray(0, body.length / 2));
    const user = await current!.store.userByName('marymajor');
    const objects = join(current!.config.reposDir, user.id, 'halfway.git', 'objects');
    await expect.poll(() => readdirSync(objects).some((name) => name.includes('incoming'))).toBe(true);
    held.socket.destroy();
    // git sees its input end and stops by itself, its quarantine removed: nothing spins, nothing is killed.
    await expect.poll(() => gitProcessesFor(current!.config.reposDir), { timeout: 5000 }).toEqual([]);
    expect(readdirSync(objects).filter((name) => name.includes('incoming'))).toEqual([]);
  });

  it('keeps half of the Git places from one user, whatever they hold open', async () => {
    await serve({ authMode: 'proxy', gitMaxRequests: 2, timeouts: { headersMs: 10_000, jsonBodyMs: 10_000, idleMs: 15_000, gitQueueMs: 300 } });
    const mary = await createPat('marys', 'marymajor');
    const john = await createPat('johns', 'john');
    const work = await workTree();
    await git(['push', remote(mary.secret, 'hers'), 'trunk'], { cwd: work });
    await git(['push', remote(john.secret, 'his', 'john'), 'trunk'], { cwd: work });
    const held = heldPush(mary.secret, 'hers');
    try {
      await expect.poll(() => gitProcessesFor(current!.config.reposDir).length).toBeGreaterThan(0);
      const hersAgain = await raw('/git/marymajor/hers.git/info/refs?service=git-upload-pack', { headers: { authorization: basic(mary.secret) } });
      expect(hersAgain.status).toBe(503);
      const his = await raw('/git/john/his.git/info/refs?service=git-upload-pack', { headers: { authorization: basic(john.secret) } });
      expect(his.status).toBe(200);
    } finally {
      held.socket.destroy();
    }
  });

  it('cuts a push that trickles slower than the minimum rate', async () => {
    await serve({ gitMinBodyRate: { bytesPerSecond: 1024, windowMs: 500 } });
    const { secret } = await createPat();
    await git(['push', remote(secret, 'slow'), 'trunk'], { cwd: await workTree() });
    const held = heldPush(secret, 'slow');
    const drip = setInterval(() => held.socket.writable && held.socket.write('1\r\na\r\n'), 100);
    try {
      await expect.poll(() => statusLine(held.answer()), { timeout: 3000 }).toBe(408);
      expect(held.answer()).toContain('slower than 1024 bytes a second');
      await held.closed;
    } finally {
      clearInterval(drip);
      held.socket.destroy();
    }
  });

  it('creates a repository inside the request’s place, not before it', async () => {
    await serve({ gitMaxRequests: 1, timeouts: { headersMs: 10_000, jsonBodyMs: 10_000, idleMs: 15_000, gitQueueMs: 300 } });
    const { secret } = await createPat();
    await git(['push', remote(secret, 'first'), 'trunk'], { cwd: await workTree() });
    const held = heldPush(secret, 'first');
    try {
      await expect.poll(() => gitProcessesFor(current!.config.reposDir).length).toBeGreaterThan(0);
      const turnedAway = await raw('/git/marymajor/second.git/git-receive-pack', {
        method: 'POST',
        headers: { authorization: basic(secret), 'content-type': 'application/x-git-receive-pack-request' },
        body: Buffer.from('0000'),
      });
      expect(turnedAway.status).toBe(503);
      const user = await current!.store.userByName('marymajor');
      expect(existsSync(join(current!.config.reposDir, user.id, 'second.git'))).toBe(false);
    } finally {
      held.socket.destroy();
    }
  });

  it('never runs a hook a repository holds', async () => {
    await serve();
    const { secret } = await createPat();
    const work = await workTree();
    await git(['push', remote(secret, 'hooked'), 'trunk'], { cwd: work });
    const user = await current!.store.userByName('marymajor');
    const marker = join(mkdtempSync(join(tmpdir(), 'pat-console-hook-')), 'ran');
    writeFileSync(join(current!.config.reposDir, user.id, 'hooked.git', 'hooks', 'pre-receive'), `#!/bin/sh\ntouch ${marker}\n`, { mode: 0o755 });
    writeFileSync(join(work, 'next.txt'), 'next\n');
    await git(['add', '.'], { cwd: work });
    await git(['commit', '--quiet', '-m', 'next'], { cwd: work });
    expect((await git(['push', remote(secret, 'hooked'), 'trunk'], { cwd: work })).ok).toBe(true);
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses a repeated query parameter, which the server and git would read differently', async () => {
    await serve();
    const { secret } = await createPat();
    const answer = await raw('/git/marymajor/notes.git/info/refs?service=git-upload-pack&service=git-receive-pack', {
      headers: { authorization: basic(secret) },
    });
    expect(answer.status).toBe(400);
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('reaches no git through the endpoint %s', async (endpoint) => {
    await serve();
    const { secret } = await createPat();
    await git(['push', remote(secret, 'notes'), 'trunk'], { cwd: await workTree() });
    const answer = await raw(`/git/marymajor/notes.git/${endpoint}`, {
      method: 'POST',
      headers: { authorization: basic(secret), 'content-type': 'application/x-git-receive-pack-request' },
      body: Buffer.from('0000'),
    });
    expect(answer.status).toBe(404);
    // The server's own answer: git was never asked.
    expect(answer.text).toBe('Repository not found.\n');
  });
});

describe('Git with a scoped PAT (our extension)', () => {
  /** The user's activity log, its refusals: [type, detail, PAT]. */
  const refusals = async () => {
    const user = await current!.store.userByName('marymajor');
    return (await current!.store.listActivity(user.id, 50, undefined)).items
      .filter((entry) => entry.type.startsWith('REFUSED_'))
      .map((entry) => [entry.type, entry.detail, entry.token.name]);
  };

  it('clones and fetches with a read-only PAT, refuses its push with a message git prints, and hides other repositories', async () => {
    await serve();
    const full = await createPat('full');
    const work = await workTree();
    for (const name of ['notes', 'other']) expect((await git(['push', remote(full.secret, name), 'trunk'], { cwd: work })).ok).toBe(true);
    const reader = await createPat('reader', undefined, { permissions: ['READ_REPOSITORIES'], repositories: ['notes'] });

    const clone = join(mkdtempSync(join(tmpdir(), 'pat-console-clone-')), 'notes');
    expect((await git(['clone', remote(reader.secret, 'notes'), clone])).ok).toBe(true);
    const push = await git(['push', remote(reader.secret, 'notes'), 'trunk:refs/heads/more'], { cwd: work });
    expect(push.ok).toBe(false);
    expect(push.stderr).toContain('This PAT can only read repositories: push with a PAT that may write them.');
    // Outside its list, a repository is as unknown as another user's: the same 404, existing or not.
    for (const name of ['other', 'fresh']) {
      const refused = await raw(`/git/marymajor/${name}.git/info/refs?service=git-upload-pack`, { headers: { authorization: basic(reader.secret) } });
      expect([refused.status, refused.text]).toEqual([404, 'Repository not found.\n']);
    }
    expect((await git(['push', remote(reader.secret, 'fresh'), 'trunk'], { cwd: work })).ok).toBe(false);
    expect(existsSync(join(current!.config.reposDir, (await current!.store.userByName('marymajor')).id, 'fresh.git'))).toBe(false);
    expect(await refusals()).toEqual([
      ['REFUSED_REPOSITORY', 'fresh', 'reader'],
      ['REFUSED_REPOSITORY', 'other', 'reader'],
      ['REFUSED_PERMISSION', 'WRITE_REPOSITORIES', 'reader'],
    ]);
  });

  it('lets a PAT that may write push-to-create a repository on its list, and only there', async () => {
    await serve();
    const writer = await createPat('writer', undefined, { permissions: ['WRITE_REPOSITORIES'], repositories: ['fresh'] });
    const work = await workTree();
    expect((await git(['push', remote(writer.secret, 'fresh'), 'trunk'], { cwd: work })).ok).toBe(true);
    expect((await git(['push', remote(writer.secret, 'elsewhere'), 'trunk'], { cwd: work })).ok).toBe(false);
    const manager = await createPat('manager', undefined, { permissions: ['MANAGE_ACCESS_TOKENS'] });
    const refused = await raw('/git/marymajor/fresh.git/info/refs?service=git-upload-pack', { headers: { authorization: basic(manager.secret) } });
    expect([refused.status, refused.text]).toEqual([403, 'This PAT may not read repositories: use a PAT that may.\n']);
  });

  it('refuses a PAT from outside its networks as a wrong PAT, and logs it', async () => {
    await serve();
    const elsewhere = await createPat('elsewhere', undefined, { permissions: ['READ_REPOSITORIES'], networks: ['192.0.2.0/24'] });
    const here = await createPat('here', undefined, { permissions: ['READ_REPOSITORIES'], networks: ['127.0.0.0/8', '::1/128'] });
    const refused = await raw('/git/marymajor/notes.git/info/refs?service=git-upload-pack', { headers: { authorization: basic(elsewhere.secret) } });
    expect(refused.status).toBe(401);
    expect(refused.text).toContain('The personal access token is not valid');
    const allowed = await raw('/git/marymajor/notes.git/info/refs?service=git-upload-pack', { headers: { authorization: basic(here.secret) } });
    expect(allowed.status).toBe(404);
    expect(await refusals()).toEqual([['REFUSED_NETWORK', null, 'elsewhere']]);
  });

  it('tells forward auth what passes, and whether it may write, judging the original request', async () => {
    await serve();
    const reader = await createPat('reader', undefined, { permissions: ['READ_REPOSITORIES'], repositories: ['notes'] });
    const full = await createPat('full');
    const ask = (secret: string, headers: Record<string, string>) => raw('/auth', { headers: { authorization: basic(secret), ...headers } });
    const fetchNotes = { 'x-original-uri': '/git/marymajor/notes.git/info/refs?service=git-upload-pack', 'x-original-method': 'GET' };
    const read = await ask(reader.secret, fetchNotes);
    expect([read.status, read.headers['x-auth-user'], read.headers['x-auth-access']]).toEqual([200, 'marymajor', 'read']);
    const refusedRequests: Array<Record<string, string>> = [
      { 'x-original-uri': '/git/marymajor/notes.git/info/refs?service=git-receive-pack', 'x-original-method': 'GET' },
      { 'x-forwarded-uri': '/git/marymajor/notes.git/git-receive-pack', 'x-forwarded-method': 'POST' },
      { 'x-original-uri': '/git/marymajor/other.git/info/refs?service=git-upload-pack', 'x-original-method': 'GET' },
      { 'x-original-uri': '/git/shared.git/info/refs?service=git-upload-pack', 'x-original-method': 'GET' },
      { 'x-original-uri': '/wiki/page', 'x-original-method': 'POST' },
    ];
    for (const headers of refusedRequests) {
      const refused = await ask(reader.secret, headers);
      expect([refused.status, refused.headers['x-auth-user']]).toEqual([403, undefined]);
    }
    const written = await ask(full.secret, { 'x-forwarded-uri': '/git/marymajor/notes.git/git-receive-pack', 'x-forwarded-method': 'POST' });
    expect([written.status, written.headers['x-auth-access']]).toEqual([200, 'write']);
  });
});

describe('Forward auth', () => {
  it('answers 200 with the user for a valid PAT, as Basic or Bearer', async () => {
    await serve();
    const { secret } = await createPat();
    for (const authorization of [basic(secret, 'git'), `Bearer ${secret}`]) {
      const answer = await raw('/auth', { headers: { authorization } });
      expect(answer.status).toBe(200);
      expect(answer.headers['x-auth-user']).toBe('marymajor');
      expect(answer.headers['x-auth-user-id']).toBe((await current!.store.userByName('marymajor')).id);
    }
  });

  it('judges the original request: under /git/<user>/ only that user’s PATs pass', async () => {
    await serve({ authMode: 'proxy' });
    const mallory = await createPat('mallorys', 'mallory');
    const ask = (headers: Record<string, string>) => raw('/auth', { headers: { authorization: basic(mallory.secret), ...headers } });
    for (const [header, method] of [
      ['x-original-uri', 'x-original-method'],
      ['x-forwarded-uri', 'x-forwarded-method'],
    ] as const) {
      const intrusion = await ask({ [header]: '/git/alice/project.git/git-receive-pack', [method]: 'POST' });
      expect(intrusion.status).toBe(403);
      expect(intrusion.text).toContain('another user');
      const own = await ask({ [header]: '/git/mallory/project.git/info/refs?service=git-receive-pack', [method]: 'GET' });
      expect(own.status).toBe(200);
      expect(own.headers['x-auth-user']).toBe('mallory');
    }
    for (const path of ['/git/mallory/..%2Falice/project.git/info/refs', '/git/mallory/../alice/project.git/info/refs', '/git/%2e%2e/alice/x.git', '/git/%ZZ/x']) {
      expect((await ask({ 'x-original-uri': path })).status).toBe(403);
    }
    // A shared repository at the top, and anything outside /git/, are not a user's.
    expect((await ask({ 'x-original-uri': '/git/shared.git/info/refs?service=git-upload-pack' })).status).toBe(200);
    expect((await ask({ 'x-original-uri': '/wiki/alice' })).status).toBe(200);
  });

  it('challenges a request without a PAT, and refuses a wrong one, never taking the console identity', async () => {
    await serve({ authMode: 'proxy', failedAuthsPerMinute: 1 });
    const anonymous = await raw('/auth', { headers: { 'x-forwarded-user': 'marymajor' } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Basic realm="pat-console"/);
    expect((await raw('/auth', { headers: { authorization: basic('nope') } })).status).toBe(401);
    const limited = await raw('/auth', { headers: { authorization: basic('nope again') } });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
  });

  it('never answers /auth or /git/ with the console page', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pat-console-dist-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>pat-console</title>');
    await serve({ staticDir: dir });
    for (const path of ['/git', '/git/', '/git/marymajor', '/auth/other']) {
      const answer = await raw(path);
      expect(answer.text).not.toContain('<title>pat-console</title>');
    }
  });
});

describe('Git fetches through the pack-objects cache', () => {
  const packsIn = (reposDir: string) =>
    readdirSync(join(reposDir, '.pack-cache')).flatMap((folder) => readdirSync(join(reposDir, '.pack-cache', folder)).filter((name) => name.endsWith('.pack')));

  it('fetches the new commit after a push, whatever the cache holds from before', async () => {
    const { config } = await serve();
    const { secret } = await createPat();
    const work = await workTree('trunk', 64 * 1024);
    expect((await git(['push', '--quiet', remote(secret, 'cached'), 'trunk'], { cwd: work })).ok).toBe(true);
    const first = (await git(['rev-parse', 'HEAD'], { cwd: work })).stdout.trim();
    const clones: string[] = [];
    // The first clone runs pack-objects as usual, the second makes the cached pack, the third is sent it.
    for (let index = 0; index < 3; index += 1) {
      const clone = join(mkdtempSync(join(tmpdir(), 'pat-console-clone-')), 'cached');
      expect((await git(['clone', '--quiet', remote(secret, 'cached'), clone])).ok).toBe(true);
      expect((await git(['rev-parse', 'HEAD'], { cwd: clone })).stdout.trim()).toBe(first);
      expect((await git(['fsck', '--no-dangling'], { cwd: clone })).ok).toBe(true);
      clones.push(clone);
    }
    expect(packsIn(config.reposDir)).toHaveLength(1);

    writeFileSync(join(work, 'second.txt'), 'after the cache\n');
    await git(['add', '.'], { cwd: work });
    await git(['commit', '--quiet', '-m', 'second'], { cwd: work });
    expect((await git(['push', '--quiet', remote(secret, 'cached'), 'trunk'], { cwd: work })).ok).toBe(true);
    const second = (await git(['rev-parse', 'HEAD'], { cwd: work })).stdout.trim();
    for (const clone of clones) {
      expect((await git(['pull', '--quiet', '--ff-only'], { cwd: clone })).ok).toBe(true);
      expect((await git(['rev-parse', 'HEAD'], { cwd: clone })).stdout.trim()).toBe(second);
      expect(readFileSync(join(clone, 'second.txt'), 'utf8')).toBe('after the cache\n');
    }
    for (let index = 0; index < 3; index += 1) {
      const clone = join(mkdtempSync(join(tmpdir(), 'pat-console-clone-')), 'cached');
      expect((await git(['clone', '--quiet', remote(secret, 'cached'), clone])).ok).toBe(true);
      expect((await git(['rev-parse', 'HEAD'], { cwd: clone })).stdout.trim()).toBe(second);
      expect((await git(['fsck', '--no-dangling'], { cwd: clone })).ok).toBe(true);
    }
  });

  it('serves clones at once from one pack, each whole', async () => {
    const { config } = await serve({ gitMaxRequests: 16 });
    const { secret } = await createPat();
    const work = await workTree('trunk', 2 * 1024 * 1024);
    expect((await git(['push', '--quiet', remote(secret, 'fleet'), 'trunk'], { cwd: work })).ok).toBe(true);
    const head = (await git(['rev-parse', 'HEAD'], { cwd: work })).stdout.trim();
    const target = () => join(mkdtempSync(join(tmpdir(), 'pat-console-clone-')), 'fleet');
    expect((await git(['clone', '--quiet', remote(secret, 'fleet'), target()])).ok).toBe(true);
    const fleet = Array.from({ length: 6 }, target);
    const cloned = await Promise.all(fleet.map((clone) => git(['clone', '--quiet', remote(secret, 'fleet'), clone])));
    expect(cloned.map((result) => result.ok)).toEqual(fleet.map(() => true));
    for (const clone of fleet) {
      expect((await git(['rev-parse', 'HEAD'], { cwd: clone })).stdout.trim()).toBe(head);
      expect((await git(['fsck', '--no-dangling'], { cwd: clone })).ok).toBe(true);
    }
    expect(packsIn(config.reposDir)).toHaveLength(1);
  });
});

describe("the PAT's expiry on every answer it authenticates (our extension)", () => {
  it('says when the PAT expires on the API, Git and forward auth, and nothing without a PAT', async () => {
    await serve();
    const { secret, expiresTime } = await createPat();
    const expected = new Date(expiresTime).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const work = await workTree();
    await git(['push', remote(secret, 'notes'), 'trunk'], { cwd: work });
    const answers = {
      api: await raw('/session', { headers: { authorization: `Bearer ${secret}` } }),
      refs: await raw('/git/marymajor/notes.git/info/refs?service=git-upload-pack', { headers: { authorization: basic(secret) } }),
      fetch: await raw('/git/marymajor/notes.git/git-upload-pack', {
        method: 'POST',
        headers: { authorization: basic(secret), 'content-type': 'application/x-git-upload-pack-request', 'git-protocol': 'version=2' },
        body: Buffer.from(`${pktLine('command=ls-refs\n')}0000`),
      }),
      refused: await raw('/git/marymajor/missing.git/info/refs?service=git-upload-pack', { headers: { authorization: basic(secret) } }),
      forwardAuth: await raw('/auth', { headers: { authorization: basic(secret), 'x-original-uri': '/git/marymajor/notes.git/info/refs' } }),
    };
    expect(Object.values(answers).map((answer) => answer.status)).toEqual([200, 200, 200, 404, 200]);
    for (const answer of Object.values(answers)) expect(answer.headers['x-pat-expiration']).toBe(expected);
    expect(expected).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    // The console's own requests carry no PAT, and so no expiry.
    expect((await raw('/session')).headers['x-pat-expiration']).toBeUndefined();
  });

  it("runs the README's one-line CI check: it warns of a PAT that expires within a week, and only then", async () => {
    await new Promise<void>((resolve, reject) =>
      execFile('curl', ['--version'], (error) => (error ? reject(new Error('This test runs the README\'s check with curl: install it (Debian: apt-get install curl).')) : resolve())),
    );
    await serve();
    const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
    const check = readme.split('\n').find((line) => line.startsWith('exp=$(curl'));
    expect(check).toBeDefined();
    const command = check!.replace('https://pat.example.com', current!.origin);
    const soon = new Date(Date.now() + 3 * 24 * 60 * 60 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const created = await current!.app.inject({ method: 'PUT', url: '/v1/accessTokens', headers: json, payload: JSON.stringify({ name: 'soon', expiresTime: soon }) });
    const { secret: expiring } = created.json<CreateAccessTokenResponse>();
    const { secret: lasting } = await createPat('lasting');
    const run = (pat: string) =>
      new Promise<string>((resolve, reject) =>
        execFile('bash', ['-c', command], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PAT: pat } }, (error, stdout) => (error ? reject(error) : resolve(stdout))),
      );
    expect(await run(expiring)).toBe(`::warning::The PAT expires ${soon}: regenerate it in pat-console.\n`);
    expect(await run(lasting)).toBe('');
  });
});
