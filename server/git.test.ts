import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CreateAccessTokenResponse } from '../contract/schemas';
import type { ServerConfig } from './config';
import { gitClient, gitProcessesFor, requireGit, withPat, type GitClient } from './git-support';
import { createTestApp, json, seedExpiredToken, type TestApp } from './test-support';
import { digestSecret } from './tokens/secret';

let current: (TestApp & { origin: string }) | undefined;
let git: GitClient;

beforeAll(async () => {
  await requireGit();
});

afterEach(async () => {
  await current?.app.close();
  await current?.repository.close();
  current = undefined;
});

async function serve(overrides: Partial<ServerConfig> = {}) {
  const testApp = await createTestApp({ createsPerMinute: 0, ...overrides });
  const origin = await testApp.app.listen({ host: '127.0.0.1', port: 0 });
  current = { ...testApp, origin };
  git = gitClient();
  return current;
}

async function createPat(name = 'laptop', user?: string) {
  const response = await current!.app.inject({
    method: 'PUT',
    url: '/v1/accessTokens',
    headers: { ...json, ...(user ? { 'x-forwarded-user': user } : {}) },
    payload: JSON.stringify({ name }),
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
    const user = await current!.repository.userByName('marymajor');
    const token = (await current!.repository.listTokens(user.id, Date.now(), 10, undefined)).items.find((item) => item.id === accessTokenId);
    expect(Date.now() - (token?.lastUsedAt ?? 0)).toBeLessThan(5000);
    await current!.app.inject({ method: 'DELETE', url: `/v1/accessTokens/${accessTokenId}` });
    await git(['ls-remote', remote(secret, 'nothing-here')]);
    const log = (await current!.repository.listActivity(user.id, 10, undefined)).items;
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
    await current!.app.inject({ method: 'DELETE', url: `/v1/accessTokens/${accessTokenId}` });
    const refused = await git(['ls-remote', remote(secret, 'notes')]);
    expect(refused.ok).toBe(false);
    expect(refused.stderr).toContain('The personal access token is not valid, has expired or was deleted.');

    const old = await createPat('old');
    const user = await current!.repository.userByName('marymajor');
    await current!.repository.deleteToken({ userId: user.id, id: old.accessTokenId, now: Date.now() });
    await seedExpiredToken(current!.repository, 'marymajor', 'old', digestSecret(old.secret));
    expect((await raw('/git/marymajor/notes.git/info/refs?service=git-upload-pack', { headers: { authorization: basic(old.secret) } })).status).toBe(401);
  });

  it('answers 404 for another user’s repository and for a missing one, alike', async () => {
    await serve({ authMode: 'proxy' });
    const john = await createPat('johns', 'john');
    const mary = await createPat('marys', 'marymajor');
    const work = await workTree();
    expect((await git(['push', remote(john.secret, 'secret-plans', 'john'), 'trunk'], { cwd: work })).ok).toBe(true);

    for (const path of ['/git/john/secret-plans.git/info/refs?service=git-upload-pack', '/git/marymajor/missing.git/info/refs?service=git-upload-pack']) {
      const answer = await raw(path, { headers: { authorization: basic(mary.secret) } });
      expect(answer.status).toBe(404);
      expect(answer.text).toBe('Repository not found.\n');
    }
    // Nor can a push create one in another user's namespace.
    const intrusion = await raw('/git/john/planted.git/info/refs?service=git-receive-pack', { headers: { authorization: basic(mary.secret) } });
    expect(intrusion.status).toBe(404);
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
    const { secret } = await createPat();
    const work = await workTree('main', 24 * 1024 * 1024);
    expect((await git(['push', remote(secret, 'large'), 'main'], { cwd: work })).ok).toBe(true);
    const response = await stalledFetch(secret, 'large');
    expect(response.statusCode).toBe(200);
    expect(gitProcessesFor(current!.config.reposDir).length).toBeGreaterThan(0);
    response.destroy();
    response.socket.destroy();
    await expect.poll(() => gitProcessesFor(current!.config.reposDir), { timeout: 5000 }).toEqual([]);
  });

  it('lets a running transfer finish when the server shuts down', async () => {
    const { app, repository } = await serve();
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
    await repository.close();
  });

  it('runs at most its cap of git processes, and answers the rest 503 with Retry-After', async () => {
    await serve({ gitMaxProcesses: 1, timeouts: { headersMs: 10_000, jsonBodyMs: 10_000, idleMs: 15_000, gitQueueMs: 300 } });
    const { secret } = await createPat();
    const work = await workTree('main', 24 * 1024 * 1024);
    expect((await git(['push', remote(secret, 'large'), 'main'], { cwd: work })).ok).toBe(true);
    const holding = await stalledFetch(secret, 'large');
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

describe('Forward auth', () => {
  it('answers 200 with the user for a valid PAT, as Basic or Bearer', async () => {
    await serve();
    const { secret } = await createPat();
    for (const authorization of [basic(secret, 'git'), `Bearer ${secret}`]) {
      const answer = await raw('/auth', { headers: { authorization } });
      expect(answer.status).toBe(200);
      expect(answer.headers['x-auth-user']).toBe('marymajor');
      expect(answer.headers['x-auth-user-id']).toBe((await current!.repository.userByName('marymajor')).id);
    }
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
