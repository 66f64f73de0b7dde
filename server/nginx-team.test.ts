import { type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateAccessTokenResponse, ListAccessTokenEventsResponse } from '../contract/schemas';
import { freePort } from '../scripts/spawn-server';
import { gitClient, requireGit, withPat } from './testing/git-support';
import { startNginx } from './testing/nginx-support';
import { createTestApp, type TestApp } from './testing/test-support';

/**
 * oauth2-proxy's side of nginx's auth_request, as its documentation describes it with
 * `set_xauthrequest = true`: 202 with X-Auth-Request-* for a signed-in session cookie, else 401.
 */
function fakeOauth2Proxy(): Server {
  return createServer((request, response) => {
    const signedIn = /(?:^|;\s*)_oauth2_proxy=mary(?:;|$)/.test(request.headers.cookie ?? '');
    if (request.url === '/oauth2/auth' && signedIn) {
      response.writeHead(202, {
        'x-auth-request-user': 'mary',
        'x-auth-request-email': 'mary@example.com',
        'x-auth-request-preferred-username': 'Mary Major',
        'x-auth-request-groups': 'staff,pat-admins',
      });
    } else if (request.url === '/oauth2/auth') {
      response.writeHead(401);
    } else {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.write('oauth2-proxy sign-in page');
    }
    response.end();
  });
}

describe('the team recipe: nginx, oauth2-proxy for the console, PATs for Git and the API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pat-console-team-'));
  let patConsole: TestApp;
  let oauth2Proxy: Server;
  let nginx: ChildProcess | undefined;
  let origin = '';

  beforeAll(async () => {
    patConsole = await createTestApp({ authMode: 'proxy', createsPerMinute: 0, adminGroups: ['pat-admins'] });
    const upstream = new URL(await patConsole.app.listen({ host: '127.0.0.1', port: 0 }));
    oauth2Proxy = fakeOauth2Proxy();
    const oauth2Port = await freePort();
    await new Promise<void>((resolve) => oauth2Proxy.listen(oauth2Port, '127.0.0.1', resolve));
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    const recipe = readFileSync(join(import.meta.dirname, '..', 'deploy', 'nginx', 'pat-console-team.conf'), 'utf8')
      .replace('server 10.0.0.11:8080;', `server ${upstream.host};`)
      .replace('server 10.0.0.12:8080;', '')
      .replace('listen 127.0.0.1:8443;', `listen 127.0.0.1:${port};`)
      .replaceAll('http://127.0.0.1:4180', `http://127.0.0.1:${oauth2Port}`);
    nginx = await startNginx(dir, recipe);
  });

  afterAll(async () => {
    nginx?.kill('SIGTERM');
    oauth2Proxy?.close();
    await patConsole?.app.close();
    await patConsole?.store.close();
  });

  const call = (path: string, headers: Record<string, string> = {}, init: RequestInit = {}) =>
    fetch(`${origin}${path}`, { ...init, redirect: 'manual', headers });
  const signedIn = { cookie: '_oauth2_proxy=mary' };

  it('gives the console the user oauth2-proxy signed in, with display name and e-mail, whatever the client claims', async () => {
    const details = await call('/userDetails', { ...signedIn, 'x-forwarded-user': 'mallory', 'x-forwarded-email': 'mallory@example.com' });
    expect(details.status).toBe(200);
    expect(await details.json()).toMatchObject({
      userName: 'mary',
      displayName: 'Mary Major',
      primaryEmail: { email: 'mary@example.com', verified: true },
      admin: true,
    });
  });

  it('sends a browser without a session to sign in, even when it claims a user', async () => {
    const response = await call('/userDetails', { 'x-forwarded-user': 'mary' });
    expect(await response.text()).toBe('oauth2-proxy sign-in page');
  });

  it('lets a PAT through to the API without oauth2-proxy, as its owner alone', async () => {
    const created = await call('/v1/accessTokens', { ...signedIn, 'content-type': 'application/json' }, { method: 'PUT', body: '{"name":"cli"}' });
    expect(created.status).toBe(201);
    const { secret } = (await created.json()) as CreateAccessTokenResponse;
    const details = await call('/userDetails', { authorization: `Bearer ${secret}`, 'x-forwarded-user': 'mallory', 'x-forwarded-groups': 'pat-admins' });
    expect(await details.json()).toMatchObject({ userName: 'mary', primaryEmail: { verified: false }, admin: false });
    const forged = await call('/userDetails', { authorization: 'Bearer pat_made_up', 'x-forwarded-user': 'mary' });
    expect(forged.status).toBe(401);
  });

  it('lets anyone report an exposed PAT without signing in, and its owner sees it revoked', async () => {
    const created = await call('/v1/accessTokens', { ...signedIn, 'content-type': 'application/json' }, { method: 'PUT', body: '{"name":"pasted"}' });
    const { secret } = (await created.json()) as CreateAccessTokenResponse;
    const reported = await call(
      '/v1/accessTokens/revoke',
      { 'content-type': 'application/json', 'user-agent': 'gitleaks-hook/1' },
      { method: 'POST', body: JSON.stringify({ secrets: [secret] }) },
    );
    expect(reported.status).toBe(202);
    expect((await call('/session', { authorization: `Bearer ${secret}` })).status).toBe(401);
    const events = await call('/v1/accessTokenEvents', { ...signedIn, 'content-type': 'application/json' }, { method: 'POST', body: '{}' });
    const [refused, revoked] = ((await events.json()) as ListAccessTokenEventsResponse).items;
    expect(refused).toMatchObject({ eventType: 'REVOKED_TOKEN_USED', accessTokenName: 'pasted' });
    expect(revoked).toMatchObject({ eventType: 'REVOKED_AS_EXPOSED', accessTokenName: 'pasted', sourceIpAddress: '127.0.0.1', userAgent: 'gitleaks-hook/1' });
  });

  it("answers Git with pat-console's Basic challenge, never the sign-in page, and ignores a claimed user", async () => {
    const response = await call('/git/mary/notes.git/info/refs?service=git-upload-pack', { ...signedIn, 'x-forwarded-user': 'mary' });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm="pat-console"/);
  });

  it('pushes and clones through nginx, whose upstream ends a fetch with the connection', async () => {
    await requireGit();
    const git = gitClient();
    const created = await call('/v1/accessTokens', { ...signedIn, 'content-type': 'application/json' }, { method: 'PUT', body: '{"name":"git"}' });
    const { secret } = (await created.json()) as CreateAccessTokenResponse;
    const work = mkdtempSync(join(tmpdir(), 'pat-console-team-work-'));
    await git(['init', '--quiet', '--initial-branch', 'main', work]);
    writeFileSync(join(work, 'blob.bin'), randomBytes(2 * 1024 * 1024));
    await git(['add', '.'], { cwd: work });
    await git(['commit', '--quiet', '-m', 'first'], { cwd: work });
    const remote = withPat(`${origin}/git/mary/notes.git`, secret);
    expect((await git(['push', '--quiet', remote, 'main'], { cwd: work })).ok).toBe(true);
    for (let index = 0; index < 3; index += 1) {
      const clone = join(mkdtempSync(join(tmpdir(), 'pat-console-team-clone-')), 'notes');
      expect((await git(['clone', '--quiet', remote, clone])).ok).toBe(true);
      expect(readFileSync(join(clone, 'blob.bin')).equals(readFileSync(join(work, 'blob.bin')))).toBe(true);
    }
  });
});
