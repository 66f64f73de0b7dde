import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { presentedSecret, type PatVerifier } from '../auth/pat-verifier';
import { runHttpBackend, type TransferRate } from '../git/http-backend';
import type { RepositoryStore } from '../git/repositories';
import { GIT_PREFIX, parseGitPath, repeatsAParameter, serviceOf } from '../git/repository-path';
import type { GitRequestPool } from '../git/request-pool';
import { closeIfBodyUnread } from '../plugins/errors';
import { API_HEADERS } from '../plugins/security';
import type { User } from '../storage/repository';

export interface GitRoutesOptions {
  verifyPat: PatVerifier;
  repositories: RepositoryStore;
  pool: GitRequestPool;
  /** Why Git cannot be served here, when it cannot (git is not installed). */
  gitUnavailable: string | undefined;
  maxPushBytes: number;
  minBodyRate: TransferRate;
  maxReposPerUser: number;
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
  return async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<User | undefined> {
    const secret = presentedSecret(request.headers.authorization, { allowBasic: true });
    const check = await verifyPat(request, secret);
    if (check.ok) return check.user;
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

/** Git's smart HTTP protocol, spoken by git's own `git http-backend`; and forward auth for other Git servers. */
export async function gitRoutes(app: FastifyInstance, options: GitRoutesOptions) {
  const { repositories, pool, gitUnavailable, maxPushBytes, minBodyRate, maxReposPerUser } = options;
  const authenticate = createGitAuthenticator(options.verifyPat);

  // Git bodies stream to git as they arrive: nothing here reads or buffers them.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));

  const notFound = (reply: FastifyReply) => sendText(reply, 404, 'Repository not found.');
  const repositoryLimit = (reply: FastifyReply) =>
    sendText(reply, 403, `You have ${maxReposPerUser} repositories, the most this server keeps for one user: push to one of them, or ask an administrator.`);

  app.route({
    method: ['GET', 'POST'],
    url: `${GIT_PREFIX}*`,
    handler: async (request, reply) => {
      if (gitUnavailable) return sendText(reply, 503, gitUnavailable);
      const user = await authenticate(request, reply);
      if (!user) return reply;
      const path = parseGitPath(request.url);
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
      if (repeatsAParameter(query)) return sendText(reply, 400, 'A query parameter is repeated.');
      const service = path && serviceOf(path, query);
      const methodFits = path && (path.endpoint === 'info/refs' ? request.method === 'GET' : request.method === 'POST');
      // Another user's repository is as unknown as one that does not exist.
      if (!path || !service || !methodFits || path.owner !== user.userName) return notFound(reply);

      // Push to create, in the user's own namespace: until a push sends something, a missing
      // repository is advertised as an empty one, and nothing is made on disk.
      const exists = repositories.exists(user.id, path.repository);
      if (!exists && service !== 'git-receive-pack') return notFound(reply);
      if (!exists && (await repositories.count(user.id)) >= maxReposPerUser) return repositoryLimit(reply);

      const declaredLength = request.headers['content-length'];
      if (declaredLength !== undefined && Number(declaredLength) > maxPushBytes) {
        return sendText(reply, 413, `The push is larger than this server takes (${maxPushBytes} bytes).`);
      }
      const encoding = request.headers['content-encoding']?.toLowerCase();
      const gzip = encoding === 'gzip' || encoding === 'x-gzip';
      if (encoding !== undefined && !gzip && encoding !== 'identity') {
        return sendText(reply, 415, 'Send the request body as it is, or gzip-encoded.');
      }
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
      const pushed = service === 'git-receive-pack' && path.endpoint === 'git-receive-pack';
      // Creating the repository, and settling its HEAD after a push, run git too: inside the request's place.
      const ran = await pool.run(user.id, async () => {
        const creates = !exists && pushed;
        if (creates) {
          await repositories.create(user.id, path.repository);
          request.log.info({ repository: path.repository, user: user.userName, reqId: request.id }, 'repository created by a push');
        }
        await runHttpBackend({
          cgi: {
            projectRoot: repositories.root,
            pathInfo: exists || creates ? repositories.pathInfo(user.id, path.repository, path.endpoint) : await repositories.emptyPathInfo(path.endpoint),
            query,
            method: request.method,
            remoteUser: user.userName,
            remoteAddress: request.ip,
            contentType: request.headers['content-type'],
            gitProtocol: typeof protocol === 'string' && GIT_PROTOCOL.test(protocol) ? protocol : undefined,
            hooksPath: repositories.hooksPath,
          },
          request: request.raw,
          response,
          baseHeaders: API_HEADERS,
          maxBodyBytes: maxPushBytes,
          minBodyRate,
          gzip,
          log: { warn: (fields, message) => request.log.warn({ ...fields, reqId: request.id }, message) },
          fail,
        });
        if (pushed) {
          await repositories.settleHead(user.id, path.repository);
          await repositories.touch(user.id);
        }
      }).catch((error: unknown) => {
        request.log.warn({ err: error, reqId: request.id }, 'git failed');
        fail(500, 'The server could not complete the Git request.');
        return { value: undefined };
      });
      if (!ran) {
        response.setHeader('retry-after', String(RETRY_BUSY_SECONDS));
        fail(503, 'The server is busy with other Git operations; try again in a few seconds.');
      }
    },
  });

  // Forward auth: nginx `auth_request`, Traefik ForwardAuth and Caddy `forward_auth` ask here.
  app.route({
    method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    url: FORWARD_AUTH_PATH,
    handler: async (request, reply) => {
      const user = await authenticate(request, reply);
      if (!user) return reply;
      // The request the proxy asks about: under /git/<user>/, only that user's PATs pass. A
      // repository right under /git/ (`/git/shared.git`) is nobody's namespace.
      const original = originalPath(request);
      if (original === null) return sendText(reply, 403, 'The original request path is not valid.');
      const [top, owner, ...rest] = original ?? [];
      if (`/${top}/` === GIT_PREFIX && owner !== undefined && !owner.endsWith('.git') && rest.length > 0 && owner !== user.userName) {
        return sendText(reply, 403, 'This PAT does not open repositories of another user.');
      }
      return reply.code(200).headers({ 'x-auth-user': user.userName, 'x-auth-user-id': user.id }).send();
    },
  });
}
