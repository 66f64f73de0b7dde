import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PAT_EXPIRATION_HEADER, patExpirationOf } from '../../contract/access-tokens';
import { REPOSITORY_NAME_RULE } from '../../contract/names';
import type { AccessTokenService } from '../../service/access-token-service';
import type { Client, StoredToken, User } from '../../service/token-store';
import { presentedSecret, type PatVerifier } from '../auth/pat-verifier';
import type { PackCache } from '../git/pack-cache';
import type { RepositoryStore } from '../git/repositories';
import { GIT_PREFIX, parseGitPath, repeatsAParameter, serviceOf, type GitEndpoint, type GitService } from '../git/repository-path';
import type { GitRequestPool } from '../git/request-pool';
import { runGitService, type TransferRate } from '../git/stateless-rpc';
import { closeIfBodyUnread } from '../plugins/errors';
import { logRequestCompleted } from '../plugins/request-log';
import { API_HEADERS } from '../plugins/security';

export interface GitRoutesOptions {
  verifyPat: PatVerifier;
  service: AccessTokenService;
  repositories: RepositoryStore;
  pool: GitRequestPool;
  packCache: PackCache | undefined;
  /** Why Git cannot be served here, when it cannot (git is not installed). */
  gitUnavailable: string | undefined;
  maxPushBytes: number;
  minBodyRate: TransferRate;
  maxReposPerUser: number;
  /** How long a Git client may read nothing of an answer that git writes to it directly. */
  stalledClientSeconds: number;
}

/** Where nginx `auth_request`, Traefik ForwardAuth and Caddy `forward_auth` ask about a request. */
export const FORWARD_AUTH_PATH = '/auth';
export const AUTH_REALM = 'Basic realm="pat-console", charset="UTF-8"';
// What a client may say about the protocol: `version=2`, and key=value pairs joined by colons.
const GIT_PROTOCOL = /^[A-Za-z0-9._=:-]{1,256}$/;
const RETRY_BUSY_SECONDS = 5;

/** A Git client prints the body of an error: one line, in plain text. */
function sendText(reply: FastifyReply, status: number, message: string, headers: Record<string, string> = {}) {
  closeIfBodyUnread(reply);
  return reply.code(status).headers(headers).type('text/plain; charset=utf-8').send(`${message}\n`);
}

/**
 * Who a Git or forward-auth request is: the owner of the PAT it presents, as the password of HTTP
 * Basic (any non-empty username) or as a bearer token, and nobody else. The console's local or
 * proxy identity never applies here. No credentials is every Git client's first request: it gets
 * the challenge and counts as no failure.
 */
export function createGitAuthenticator(verifyPat: PatVerifier) {
  return async function authenticate(
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<{ user: User; token: StoredToken; client: Client } | undefined> {
    const secret = presentedSecret(request.headers.authorization, { allowBasic: true });
    const check = await verifyPat(request, secret);
    if (check.ok) {
      reply.header(PAT_EXPIRATION_HEADER, patExpirationOf(check.token.expiresAt));
      return { user: check.user, token: check.token, client: check.client };
    }
    if (check.reason === 'throttled') {
      void sendText(reply, 429, `${check.message} Try again in ${check.retryAfterSeconds} seconds.`, {
        'retry-after': String(check.retryAfterSeconds),
      });
      return undefined;
    }
    const message =
      check.reason === 'missing'
        ? 'Authentication required: use a personal access token from pat-console as the password.'
        : `${check.message} Use a current personal access token as the password.`;
    void sendText(reply, 401, message, { 'www-authenticate': AUTH_REALM });
    return undefined;
  };
}

/**
 * The path of the request a proxy asks about (nginx's `X-Original-URI`, Traefik's
 * `X-Forwarded-Uri`), its segments decoded; undefined when it sends none, null when the path could
 * mean something else to the server behind the proxy (an encoded slash, a dot segment).
 */
function originalPath(request: FastifyRequest): string[] | undefined | null {
  const header = request.headers['x-original-uri'] ?? request.headers['x-forwarded-uri'];
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !header.startsWith('/')) return null;
  const segments = (header.split('?')[0] ?? '').split('/').slice(1);
  const decoded: string[] = [];
  for (const segment of segments) {
    let value: string;
    try {
      value = decodeURIComponent(segment);
    } catch {
      return null;
    }
    if (value === '.' || value === '..' || value.includes('/') || value.includes('\\') || value.includes('\0')) return null;
    decoded.push(value);
  }
  return decoded;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether the request a proxy asks about writes: a push (git-receive-pack, by path or by the
 * service its advertisement asks for), else any method but a safe one (nginx's `X-Original-Method`,
 * Traefik's `X-Forwarded-Method`). Without the original request, it counts as writing.
 */
function writesOf(request: FastifyRequest): boolean {
  const uri = request.headers['x-original-uri'] ?? request.headers['x-forwarded-uri'];
  const method = request.headers['x-original-method'] ?? request.headers['x-forwarded-method'];
  if (typeof uri === 'string') {
    const [path = '', query = ''] = uri.split('?');
    if (path.endsWith('/git-receive-pack') || new URLSearchParams(query).getAll('service').includes('git-receive-pack')) return true;
    if (path.endsWith('/git-upload-pack') || path.endsWith('/info/refs')) return false;
  }
  return typeof method !== 'string' || !SAFE_METHODS.has(method.toUpperCase());
}

/** An answer in plain text that ends a Git request before git runs. */
type Refusal = { ok: false; status: number; message: string };
const refuse = (status: number, message: string): Refusal => ({ ok: false, status, message });

/** What a Git request asks for: a repository of the PAT's owner, an endpoint, and the service it runs. */
interface GitTarget {
  repository: string;
  endpoint: GitEndpoint;
  service: GitService;
  /** A push's data (not its advertisement): what creates a repository and moves its refs. */
  pushes: boolean;
}

const NOT_FOUND = refuse(404, 'Repository not found.');

/**
 * Step one: the path, its query and the method, taken apart. Another user's repository is as
 * unknown as a missing one; the answer says where the caller's own are, which tells nothing of theirs.
 */
function targetOf(request: FastifyRequest, user: User): { ok: true; target: GitTarget } | Refusal {
  const path = parseGitPath(request.url);
  const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
  if (repeatsAParameter(query)) return refuse(400, 'A query parameter is repeated.');
  if (path && path.owner !== user.userName) {
    return refuse(404, `Repository not found. Your repositories are under ${GIT_PREFIX}${user.userName}/: you can push there only.`);
  }
  if (path && 'invalidName' in path) {
    // Quoted as JSON: a control character in the URL reaches the user's terminal escaped.
    return refuse(400, `${JSON.stringify(path.invalidName.slice(0, 120))} is not a valid repository name. ${REPOSITORY_NAME_RULE}`);
  }
  const service = path && serviceOf(path, query);
  const methodFits = path && (path.endpoint === 'info/refs' ? request.method === 'GET' : request.method === 'POST');
  if (!path || !service || !methodFits) return NOT_FOUND;
  const pushes = service === 'git-receive-pack' && path.endpoint === 'git-receive-pack';
  return { ok: true, target: { repository: path.repository, endpoint: path.endpoint, service, pushes } };
}

/**
 * Step three: the body as git may take it: of the service's own type (as `git http-backend`
 * checked), not declared larger than the limit, sent as it is or gzip-encoded.
 */
function bodyOf(request: FastifyRequest, target: GitTarget, maxPushBytes: number): { ok: true; gzip: boolean } | Refusal {
  if (target.endpoint !== 'info/refs' && request.headers['content-type'] !== `application/x-${target.service}-request`) {
    return refuse(415, `Send the request as application/x-${target.service}-request.`);
  }
  const declaredLength = request.headers['content-length'];
  if (declaredLength !== undefined && Number(declaredLength) > maxPushBytes) {
    return refuse(413, `The push is larger than this server takes (${maxPushBytes} bytes).`);
  }
  const encoding = request.headers['content-encoding']?.toLowerCase();
  const gzip = encoding === 'gzip' || encoding === 'x-gzip';
  if (encoding !== undefined && !gzip && encoding !== 'identity') return refuse(415, 'Send the request body as it is, or gzip-encoded.');
  return { ok: true, gzip };
}

/** Git's smart HTTP protocol, spoken by git's own upload-pack and receive-pack; and forward auth for other Git servers. */
export async function gitRoutes(app: FastifyInstance, options: GitRoutesOptions) {
  const { repositories, pool, packCache, gitUnavailable, maxPushBytes, minBodyRate, maxReposPerUser, service } = options;
  const authenticate = createGitAuthenticator(options.verifyPat);

  // Git bodies stream to git as they arrive: nothing here reads or buffers them.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));

  /**
   * Step two: a repository that exists, or one a push will create in the user's own namespace, under
   * their limit. Until a push sends something, a missing repository is advertised as an empty one,
   * and nothing is made on disk.
   */
  async function admit(user: User, target: GitTarget): Promise<{ ok: true; exists: boolean } | Refusal> {
    const exists = repositories.exists(user.id, target.repository);
    if (exists) return { ok: true, exists };
    if (target.service !== 'git-receive-pack') return NOT_FOUND;
    if ((await repositories.count(user.id)) >= maxReposPerUser) {
      return refuse(403, `You have ${maxReposPerUser} repositories, the most this server keeps for one user: push to one of them, or ask an administrator.`);
    }
    return { ok: true, exists };
  }

  /**
   * Step four: git answers, in one of the user's places in the pool. Creating the repository, and
   * settling its HEAD after a push, run git too, so they run inside the same place.
   */
  async function serve(request: FastifyRequest, reply: FastifyReply, user: User, target: GitTarget, exists: boolean, gzip: boolean) {
    const protocol = request.headers['git-protocol'];
    reply.hijack();
    const response = reply.raw;
    const fail = (status: number, message: string) => {
      if (response.headersSent) return;
      // The body was not read, or not all of it: the connection ends with this answer.
      const close = request.raw.complete ? {} : { connection: 'close' };
      response.writeHead(status, { ...API_HEADERS, ...close, 'content-type': 'text/plain; charset=utf-8' });
      response.end(`${message}\n`);
    };
    const ran = await pool
      .run(user.id, async () => {
        const creates = !exists && target.pushes;
        if (creates) {
          await repositories.create(user.id, target.repository);
          request.log.info({ repository: target.repository, user: user.userName, reqId: request.id }, 'repository created by a push');
        }
        const repository = exists || creates ? repositories.pathOf(user.id, target.repository) : await repositories.emptyPath();
        // A fetch's pack may come from the cache; the ticket lives as long as the request.
        const ticket = exists && target.endpoint === 'git-upload-pack' ? packCache?.admit(repository) : undefined;
        await runGitService({
          git: {
            program: target.service === 'git-upload-pack' ? 'upload-pack' : 'receive-pack',
            advertise: target.endpoint === 'info/refs',
            repository,
            remoteUser: user.userName,
            remoteAddress: request.ip,
            gitProtocol: typeof protocol === 'string' && GIT_PROTOCOL.test(protocol) ? protocol : undefined,
            hooksPath: repositories.hooksPath,
            ...(ticket && { packCache: ticket }),
          },
          request: request.raw,
          response,
          // The server's own, and the PAT's expiry, which authentication set on the reply.
          baseHeaders: { ...API_HEADERS, [PAT_EXPIRATION_HEADER]: reply.getHeader(PAT_EXPIRATION_HEADER) as string },
          maxBodyBytes: maxPushBytes,
          minBodyRate,
          gzip,
          log: {
            warn: (fields, message) => request.log.warn({ ...fields, reqId: request.id }, message),
            completed: () => logRequestCompleted(request, reply),
          },
          fail,
          stalledClientSeconds: options.stalledClientSeconds,
        }).finally(() => ticket?.release());
        if (target.pushes) {
          await repositories.settleHead(user.id, target.repository);
          await repositories.touch(user.id);
        }
      })
      .catch((error: unknown) => {
        request.log.warn({ err: error, reqId: request.id }, 'git failed');
        fail(500, 'The server could not complete the Git request.');
        return { value: undefined };
      });
    if (!ran) {
      response.setHeader('retry-after', String(RETRY_BUSY_SECONDS));
      fail(503, 'The server is busy with other Git operations; try again in a few seconds.');
    }
  }

  app.route({
    method: ['GET', 'POST'],
    url: `${GIT_PREFIX}*`,
    handler: async (request, reply) => {
      if (gitUnavailable) return sendText(reply, 503, gitUnavailable);
      const authenticated = await authenticate(request, reply);
      if (!authenticated) return reply;
      const { user, token, client } = authenticated;
      const asked = targetOf(request, user);
      if (!asked.ok) return sendText(reply, asked.status, asked.message);
      // The PAT's scope: a repository outside its list is as unknown as another user's.
      const write = asked.target.service === 'git-receive-pack';
      const decided = await service.decideRepository(token, client, asked.target.repository, write);
      if (!decided.ok) return sendText(reply, decided.refused === 'repository' ? 404 : 403, decided.message);
      const admitted = await admit(user, asked.target);
      if (!admitted.ok) return sendText(reply, admitted.status, admitted.message);
      const body = bodyOf(request, asked.target, maxPushBytes);
      if (!body.ok) return sendText(reply, body.status, body.message);
      await serve(request, reply, user, asked.target, admitted.exists, body.gzip);
    },
  });

  // Forward auth: nginx `auth_request`, Traefik ForwardAuth and Caddy `forward_auth` ask here.
  app.route({
    method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    url: FORWARD_AUTH_PATH,
    handler: async (request, reply) => {
      const authenticated = await authenticate(request, reply);
      if (!authenticated) return reply;
      const { user, token, client } = authenticated;
      // The request the proxy asks about: under /git/<user>/, only that user's PATs pass. A
      // repository right under /git/ (`/git/shared.git`) is nobody's namespace.
      const original = originalPath(request);
      if (original === null) return sendText(reply, 403, 'The original request path is not valid.');
      const [top, owner, ...rest] = original ?? [];
      const namespaced = `/${top}/` === GIT_PREFIX && owner !== undefined && !owner.endsWith('.git') && rest.length > 0;
      if (namespaced && owner !== user.userName) {
        return sendText(reply, 403, 'This PAT does not open repositories of another user.');
      }
      // The PAT's scope, judged on the original request: its repository, and whether it writes.
      const repository = namespaced ? rest[0]?.replace(/\.git$/, '') : undefined;
      const write = writesOf(request);
      const decided = await service.decideRepository(token, client, repository, write);
      if (!decided.ok) return sendText(reply, 403, decided.message);
      const access = token.access.permissions.includes('WRITE_REPOSITORIES') ? 'write' : 'read';
      return reply.code(200).headers({ 'x-auth-user': user.userName, 'x-auth-user-id': user.id, 'x-auth-access': access }).send();
    },
  });
}
