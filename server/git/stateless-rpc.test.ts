import { describe, expect, it } from 'vitest';
import { answerStart, gitServiceEnvironment } from './stateless-rpc';

describe('git upload-pack and receive-pack, run directly', () => {
  it('get the git settings they need, no hooks of a repository, and nothing of the server’s own', () => {
    process.env.PAT_CONSOLE_TEST_SECRET = 'do-not-leak';
    const env = gitServiceEnvironment({
      program: 'receive-pack',
      advertise: false,
      repository: '/srv/repos/1234/notes.git',
      remoteUser: 'mary@example.com',
      remoteAddress: '203.0.113.9',
      gitProtocol: 'version=2',
      hooksPath: '/srv/repos/.hooks',
    });
    delete process.env.PAT_CONSOLE_TEST_SECRET;
    expect(Object.keys(env).sort()).toEqual(
      [
        'GIT_COMMITTER_EMAIL',
        'GIT_COMMITTER_NAME',
        'GIT_CONFIG_COUNT',
        'GIT_CONFIG_GLOBAL',
        'GIT_CONFIG_KEY_0',
        'GIT_CONFIG_NOSYSTEM',
        'GIT_CONFIG_VALUE_0',
        'GIT_PROTOCOL',
        'PATH',
      ].sort(),
    );
    expect(env).toMatchObject({
      GIT_COMMITTER_NAME: 'mary@example.com',
      GIT_COMMITTER_EMAIL: 'mary@example.com@http.203.0.113.9',
      GIT_CONFIG_KEY_0: 'core.hooksPath',
      GIT_CONFIG_VALUE_0: '/srv/repos/.hooks',
      GIT_PROTOCOL: 'version=2',
    });
    // Git's check that a repository belongs to this user stays on.
    expect(JSON.stringify(env)).not.toContain('safe.directory');
    expect(JSON.stringify(env)).not.toContain('do-not-leak');
  });

  it('frame the answer as git http-backend does: the service line before an advertisement, except over v2', () => {
    expect(answerStart({ program: 'upload-pack', advertise: true, gitProtocol: undefined })).toEqual({
      headers: expect.objectContaining({ 'content-type': 'application/x-git-upload-pack-advertisement', 'cache-control': 'no-cache, max-age=0, must-revalidate' }),
      prefix: '001e# service=git-upload-pack\n0000',
    });
    expect(answerStart({ program: 'receive-pack', advertise: true, gitProtocol: undefined }).prefix).toBe('001f# service=git-receive-pack\n0000');
    expect(answerStart({ program: 'upload-pack', advertise: true, gitProtocol: 'version=2' }).prefix).toBe('');
    expect(answerStart({ program: 'receive-pack', advertise: false, gitProtocol: undefined })).toMatchObject({
      headers: { 'content-type': 'application/x-git-receive-pack-result' },
      prefix: '',
    });
  });
});
