import { isRepositoryName } from '../../contract/names';

/** The smart-HTTP endpoints of a repository: nothing else of it is served. */
export type GitEndpoint = 'info/refs' | 'git-upload-pack' | 'git-receive-pack';
export type GitService = 'git-upload-pack' | 'git-receive-pack';

/** A Git URL in the right shape whose repository name breaks the rule: said so, not "not found". */
export interface InvalidRepositoryName {
  invalidName: string;
  owner: string;
}

export interface GitRequestPath {
  /** The namespace in the URL: a user name, compared with the PAT's owner and never used as a path. */
  owner: string;
  /** The repository's name, without `.git`. */
  repository: string;
  endpoint: GitEndpoint;
}

export const GIT_PREFIX = '/git/';

const OWNER_NAME = /^[A-Za-z0-9_.@-]{1,100}$/;
// A Map, not an object literal: `constructor` or `__proto__` must not name an endpoint.
const ENDPOINTS = new Map<string, GitEndpoint>([
  ['info/refs', 'info/refs'],
  ['git-upload-pack', 'git-upload-pack'],
  ['git-receive-pack', 'git-receive-pack'],
]);

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * `/git/<owner>/<repository>[.git]/<endpoint>` taken apart, each segment decoded once and checked
 * on its own, so that no encoding (`%2e%2e`, `%2f`, `%00`) and no empty segment (`//`) can reach
 * outside the repository root; undefined for anything else.
 */
export function parseGitPath(url: string): GitRequestPath | InvalidRepositoryName | undefined {
  const path = url.split('?')[0] ?? '';
  if (!path.startsWith(GIT_PREFIX)) return undefined;
  const segments = path.slice(GIT_PREFIX.length).split('/').map(decodeSegment);
  if (segments.some((segment) => segment === undefined || segment === '' || segment.includes('/') || segment.includes('\0'))) {
    return undefined;
  }
  const [owner = '', rawRepository = '', ...rest] = segments as string[];
  const endpoint = ENDPOINTS.get(rest.join('/'));
  const repository = rawRepository.endsWith('.git') ? rawRepository.slice(0, -'.git'.length) : rawRepository;
  if (!endpoint || !OWNER_NAME.test(owner)) return undefined;
  if (!isRepositoryName(repository)) return { invalidName: repository, owner };
  return { owner, repository, endpoint };
}

/** Whether a query names a parameter twice: the server would read one and git another. */
export function repeatsAParameter(query: string): boolean {
  const names = [...new URLSearchParams(query).keys()];
  return new Set(names).size !== names.length;
}

/** The service a request asks for: from the query on `info/refs`, from the path on the POSTs. */
export function serviceOf(path: GitRequestPath, query: string): GitService | undefined {
  if (path.endpoint !== 'info/refs') return path.endpoint;
  const service = new URLSearchParams(query).get('service');
  return service === 'git-upload-pack' || service === 'git-receive-pack' ? service : undefined;
}
