import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessTokenAccess, CreateAccessTokenResponse } from '../contract/schemas';
import { freePort } from '../scripts/spawn-server';
import { gitClient, requireGit, withPat } from './testing/git-support';
import { requireBinary, startNginx, waitFor } from './testing/nginx-support';
import { createTestApp, json, type TestApp } from './testing/test-support';

describe('the nginx recipe: an existing Git server trusting PATs through forward auth', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pat-console-nginx-'));
  const repos = join(dir, 'repos');
  const shared = join(repos, 'marymajor', 'shared.git');
  const socket = join(dir, 'fcgiwrap.socket');
  const children: ChildProcess[] = [];
  let patConsole: TestApp;
  let origin = '';
  const git = gitClient();

  beforeAll(async () => {
    await requireGit();
    const fcgiwrap = requireBinary('fcgiwrap', 'fcgiwrap');

    patConsole = await createTestApp({ createsPerMinute: 0, authMode: 'proxy' });
    const patConsoleOrigin = await patConsole.app.listen({ host: '127.0.0.1', port: 0 });
    const nginxPort = await freePort();
    origin = `http://127.0.0.1:${nginxPort}`;

    mkdirSync(join(repos, 'marymajor'), { recursive: true });
    execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch', 'main', shared]);
    // Reflogs record who pushed (git http-backend names the committer after REMOTE_USER).
    execFileSync('git', ['--git-dir', shared, 'config', 'core.logAllRefUpdates', 'always']);

    const wrapper = spawn(fcgiwrap, ['-s', `unix:${socket}`], { stdio: 'ignore' });
    children.push(wrapper);
    await waitFor(() => existsSync(socket), 'fcgiwrap');
    // nginx's workers may run as another user than this test (nobody, when started as root).
    chmodSync(socket, 0o666);

    const recipe = readFileSync(join(import.meta.dirname, '..', 'deploy', 'nginx', 'pat-console-git.conf'), 'utf8')
      .replace('listen 127.0.0.1:8081;', `listen 127.0.0.1:${nginxPort};`)
      .replace('http://127.0.0.1:8080/auth', `${patConsoleOrigin}/auth`)
      .replace('unix:/run/fcgiwrap.socket', `unix:${socket}`)
      .replace('GIT_PROJECT_ROOT /srv/git', `GIT_PROJECT_ROOT ${repos}`);
    children.push(await startNginx(dir, recipe));
  });

  afterAll(async () => {
    for (const child of children) child.kill('SIGTERM');
    await patConsole?.app.close();
    await patConsole?.store.close();
  });

  const remote = (secret: string) => withPat(`${origin}/git/marymajor/shared.git`, secret);
  const createPat = async (user: string, access?: AccessTokenAccess) => {
    const created = await patConsole.app.inject({
      method: 'PUT',
      url: '/v1/accessTokens',
      headers: { ...json, 'x-forwarded-user': user },
      payload: JSON.stringify({ name: 'nginx', ...(access ? { access } : {}) }),
    });
    return created.json<CreateAccessTokenResponse>();
  };

  it('clones and pushes with a PAT, as the PAT’s owner, and refuses it once deleted', async () => {
    const { secret, accessTokenId } = await createPat('marymajor');

    const anonymous = await git(['ls-remote', `${origin}/git/marymajor/shared.git`]);
    expect(anonymous.ok).toBe(false);

    const work = mkdtempSync(join(tmpdir(), 'pat-console-nginx-work-'));
    await git(['init', '--quiet', '--initial-branch', 'main', work]);
    writeFileSync(join(work, 'README.md'), 'through nginx\n');
    await git(['add', '.'], { cwd: work });
    await git(['commit', '--quiet', '-m', 'first'], { cwd: work });
    const pushed = await git(['push', remote(secret), 'main'], { cwd: work });
    expect(pushed.stderr).toContain('[new branch]');

    const clone = join(mkdtempSync(join(tmpdir(), 'pat-console-nginx-clone-')), 'shared');
    expect((await git(['clone', '--quiet', remote(secret), clone])).ok).toBe(true);
    expect(readFileSync(join(clone, 'README.md'), 'utf8')).toBe('through nginx\n');
    const pusher = execFileSync('git', ['--git-dir', shared, 'reflog', 'show', '--format=%gn', 'refs/heads/main'], {
      encoding: 'utf8',
    });
    expect(pusher.trim()).toBe('marymajor');

    // Another user's PAT opens nothing under /git/marymajor/, by any spelling of the path.
    const mallory = await createPat('mallory');
    const intrusion = await git(['push', remote(mallory.secret), 'main:refs/heads/planted'], { cwd: work });
    expect(intrusion.ok).toBe(false);
    expect(intrusion.stderr).toMatch(/403/);
    const sneaky = await git(['ls-remote', withPat(`${origin}/git/mallory/..%2Fmarymajor/shared.git`, mallory.secret)]);
    expect(sneaky.ok).toBe(false);
    expect(execFileSync('git', ['--git-dir', shared, 'for-each-ref', '--format=%(refname)'], { encoding: 'utf8' }).trim()).toBe('refs/heads/main');

    await patConsole.app.inject({ method: 'DELETE', url: `/v1/accessTokens/${accessTokenId}`, headers: { ...json, 'x-forwarded-user': 'marymajor' } });
    const refused = await git(['ls-remote', remote(secret)]);
    expect(refused.ok).toBe(false);
    expect(refused.stderr).toMatch(/401|Authentication failed/);
  });

  it('lets a read-only PAT clone and refuses its push, as pat-console judges the original request (our extension)', async () => {
    const writer = await createPat('marymajor');
    const work = mkdtempSync(join(tmpdir(), 'pat-console-nginx-work-'));
    await git(['init', '--quiet', '--initial-branch', 'main', work]);
    writeFileSync(join(work, 'README.md'), 'read only\n');
    await git(['add', '.'], { cwd: work });
    await git(['commit', '--quiet', '-m', 'first'], { cwd: work });
    expect((await git(['push', '--force', remote(writer.secret), 'main'], { cwd: work })).ok).toBe(true);

    const reader = await createPat('marymajor', { permissions: ['READ_REPOSITORIES'], repositories: ['shared'] });
    const clone = join(mkdtempSync(join(tmpdir(), 'pat-console-nginx-clone-')), 'shared');
    expect((await git(['clone', '--quiet', remote(reader.secret), clone])).ok).toBe(true);
    const push = await git(['push', remote(reader.secret), 'main:refs/heads/from-reader'], { cwd: work });
    expect(push.ok).toBe(false);
    expect(push.stderr).toMatch(/403/);
    expect(execFileSync('git', ['--git-dir', shared, 'for-each-ref', '--format=%(refname)'], { encoding: 'utf8' })).not.toContain('from-reader');
  });
});
