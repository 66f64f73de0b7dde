import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerConfig } from '../config';
import type { RateLimiter } from '../rate-limiter';
import { throttled, unauthenticated } from '../service-error';
import type { TokenRepository, User } from '../storage/repository';
import { digestSecret, isWellFormedSecret } from '../tokens/secret';

declare module 'fastify' {
  interface FastifyRequest {
    user: User;
  }
}

const LAST_USED_RESOLUTION_MS = 60_000;
const USER_NAME = /^[A-Za-z0-9_.@-]{1,100}$/;

/**
 * Who is asking. A bearer PAT names its owner (this is what the SDKs and the CLI send); without one,
 * the console's own requests are the local user, or in proxy mode the user the proxy vouches for.
 */
export function createAuthenticator(config: ServerConfig, repository: TokenRepository, failedAuths: RateLimiter) {
  function byToken(authorization: string): User {
    const [scheme, secret = '', ...rest] = authorization.trim().split(/\s+/);
    // Failures are counted per presented credential; its digest is also the lookup key.
    const digest = digestSecret(secret || authorization);
    const wait = failedAuths.blockedFor(digest);
    if (wait !== undefined) throw throttled(wait, 'Too many failed attempts with this token.');
    const fail = (message: string) => {
      failedAuths.hit(digest);
      return unauthenticated(message);
    };
    if (scheme?.toLowerCase() !== 'bearer' || rest.length > 0 || !secret) {
      throw fail('Send a personal access token as "Authorization: Bearer <token>".');
    }
    // The checksum turns away typos and guesses before the database is asked.
    if (!isWellFormedSecret(secret)) throw fail('The personal access token is not valid.');
    const now = Date.now();
    const found = repository.findByDigest(digest, now);
    if (!found) throw fail('The personal access token is not valid, has expired or was deleted.');
    if (found.token.lastUsedAt === null || now - found.token.lastUsedAt >= LAST_USED_RESOLUTION_MS) {
      repository.touchLastUsed(found.token, now);
    }
    return found.user;
  }

  function byProxy(request: FastifyRequest): User {
    const header = request.headers[config.identityHeader];
    const userName = Array.isArray(header) ? undefined : header?.trim();
    if (!userName || !USER_NAME.test(userName)) {
      throw unauthenticated('Sign in through the authenticating proxy, or send a personal access token.');
    }
    return repository.userByName(userName);
  }

  // Callback style, as it runs on every API request: no promise to allocate and settle.
  return function authenticate(request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void) {
    try {
      const { authorization } = request.headers;
      if (authorization !== undefined) request.user = byToken(authorization);
      else if (config.authMode === 'proxy') request.user = byProxy(request);
      else request.user = repository.userByName(config.localUser);
      done();
    } catch (error) {
      done(error as Error);
    }
  };
}
