import { describe, expect, it } from 'vitest';
import { parseGitPath, repeatsAParameter, serviceOf } from './repository-path';

describe('Git request paths', () => {
  it('takes the three smart-HTTP endpoints apart', () => {
    expect(parseGitPath('/git/mary/notes.git/info/refs?service=git-upload-pack')).toEqual({ owner: 'mary', repository: 'notes', endpoint: 'info/refs' });
    expect(parseGitPath('/git/mary/notes/git-receive-pack')).toEqual({ owner: 'mary', repository: 'notes', endpoint: 'git-receive-pack' });
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])('names no endpoint %s, whatever objects inherit', (endpoint) => {
    expect(parseGitPath(`/git/mary/notes.git/${endpoint}`)).toBeUndefined();
  });

  it('reads the service from the query once, and tells a repeated parameter', () => {
    const path = { owner: 'mary', repository: 'notes', endpoint: 'info/refs' as const };
    expect(serviceOf(path, 'service=git-receive-pack')).toBe('git-receive-pack');
    expect(repeatsAParameter('service=git-upload-pack&service=git-receive-pack')).toBe(true);
    expect(repeatsAParameter('service=git-upload-pack&x=1')).toBe(false);
  });
});
