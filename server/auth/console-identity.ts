import type { FastifyRequest } from 'fastify';
import type { ServerConfig } from '../config';
import { throttled, unauthenticated } from '../service-error';
import type { TokenRepository, User } from '../storage/repository';
import { presentedSecret, type PatVerifier } from './pat-verifier';

declare module 'fastify' {
  interface FastifyRequest {
    user: User;
  }
}

const USER_NAME = /^[A-Za-z0-9_.@-]{1,100}$/;

/**
 * Who is asking the API. A bearer PAT names its owner (this is what the SDKs and the CLI send);
 * without one, the console's own requests are the local user, or in proxy mode the user the proxy
 * vouches for. This identity is the API's alone: Git and forward auth take a PAT and nothing else.
 */
export function createConsoleAuthenticator(config: ServerConfig, repository: TokenRepository, verifyPat: PatVerifier) {
  async function byToken(request: FastifyRequest, authorization: string): Promise<User> {
    const check = await verifyPat(request, presentedSecret(authorization, { allowBasic: false }));
    if (check.ok) return check.user;
    if (check.reason === 'throttled') throw throttled(check.retryAfterSeconds, check.message);
    throw unauthenticated(
      check.reason === 'malformed' && !/^bearer\s/i.test(authorization.trim())
        ? 'Send a personal access token as "Authorization: Bearer <token>".'
        : check.message,
    );
  }

  function byProxy(request: FastifyRequest): Promise<User> {
    const header = request.headers[config.identityHeader];
    const userName = Array.isArray(header) ? undefined : header?.trim();
    if (!userName || !USER_NAME.test(userName)) {
      throw unauthenticated('Sign in through the authenticating proxy, or send a personal access token.');
    }
    return repository.userByName(userName);
  }

  return async function authenticate(request: FastifyRequest) {
    const { authorization } = request.headers;
    if (authorization !== undefined) request.user = await byToken(request, authorization);
    else if (config.authMode === 'proxy') request.user = await byProxy(request);
    else request.user = await repository.userByName(config.localUser);
  };
}
