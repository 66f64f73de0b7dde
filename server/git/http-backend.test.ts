import { describe, expect, it } from 'vitest';
import { cgiEnvironment } from './http-backend';

describe('the environment of git http-backend', () => {
  it('holds the CGI variables and git settings it needs, no hooks of a repository, and nothing of the server’s own', () => {
    process.env.PAT_CONSOLE_TEST_SECRET = 'do-not-leak';
    const env = cgiEnvironment({
      projectRoot: '/srv/repos',
      pathInfo: '/1234/notes.git/info/refs',
      query: 'service=git-receive-pack',
      method: 'GET',
      remoteUser: 'mary@example.com',
      remoteAddress: '203.0.113.9',
      contentType: undefined,
      gitProtocol: 'version=2',
      hooksPath: '/srv/repos/.hooks',
    });
    delete process.env.PAT_CONSOLE_TEST_SECRET;
    expect(Object.keys(env).sort()).toEqual(
      [
        'GIT_CONFIG_COUNT',
        'GIT_CONFIG_GLOBAL',
        'GIT_CONFIG_KEY_0',
        'GIT_CONFIG_NOSYSTEM',
        'GIT_CONFIG_VALUE_0',
        'GIT_HTTP_EXPORT_ALL',
        'GIT_PROJECT_ROOT',
        'GIT_PROTOCOL',
        'PATH',
        'PATH_INFO',
        'QUERY_STRING',
        'REMOTE_ADDR',
        'REMOTE_USER',
        'REQUEST_METHOD',
      ].sort(),
    );
    expect(env).toMatchObject({
      REMOTE_USER: 'mary@example.com',
      GIT_CONFIG_KEY_0: 'core.hooksPath',
      GIT_CONFIG_VALUE_0: '/srv/repos/.hooks',
      GIT_PROTOCOL: 'version=2',
    });
    // Git's check that a repository belongs to this user stays on.
    expect(JSON.stringify(env)).not.toContain('safe.directory');
    expect(JSON.stringify(env)).not.toContain('do-not-leak');
  });
});
