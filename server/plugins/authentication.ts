import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerConfig } from '../config';
import { clientKey, type RateLimiter } from '../rate-limiter';
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
 *
 * Failed PATs are counted per client address, never per presented token (free to vary) and never
 * with a username. A client over its limit gets 429 instead of 401 for every further failure, but a
 * valid PAT always gets in: a stranger sharing the owner's address (a NAT, a proxy) cannot lock the
 * owner out, and with 256 random bits per secret there is nothing to gain by guessing.
 */
export function createAuthenticator(config: ServerConfig, repository: TokenRepository, failedAuths: RateLimiter) {
  function byToken(request: FastifyRequest, authorization: string): User {
    const fail = (message: string) => {
      const wait = failedAuths.hit(clientKey(request.ip));
      return wait === undefined ? unauthenticated(message) : throttled(wait, 'Too many failed attempts with personal access tokens.');
    };
    const [scheme, secret = '', ...rest] = authorization.trim().split(/\s+/);
    if (scheme?.toLowerCase() !== 'bearer' || rest.length > 0 || !secret) {
      throw fail('Send a personal access token as "Authorization: Bearer <token>".');
    }
    // The checksum turns away typos and guesses before the database is asked.
    if (!isWellFormedSecret(secret)) throw fail('The personal access token is not valid.');
    const now = Date.now();
    const found = repository.findByDigest(digestSecret(secret), now);
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
      if (authorization !== undefined) request.user = byToken(request, authorization);
      else if (config.authMode === 'proxy') request.user = byProxy(request);
      else request.user = repository.userByName(config.localUser);
      done();
    } catch (error) {
      done(error as Error);
    }
  };
}
