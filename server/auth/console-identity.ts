import proxyAddr from '@fastify/proxy-addr';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { channelOf, CONSOLE_PAGE_HEADER, PAT_EXPIRATION_HEADER, patExpirationOf, type ApiChannel } from '../../contract/access-tokens';
import { EMAIL_ADDRESS } from '../../contract/names';
import type { Caller } from '../../service/access-token-service';
import { ServiceError, throttled, unauthenticated } from '../../service/service-error';
import type { StoredToken, TokenStore, User } from '../../service/token-store';
import type { ServerConfig } from '../config';
import { clientOf, presentedSecret, type PatVerifier } from './pat-verifier';

/** What an authenticating proxy says about the user beyond the name, when it says it. */
export interface ProxyProfile {
  displayName?: string;
  email?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The API's user, set by the API scope's hook alone: read it through `callerOf`. */
    user: User | undefined;
    profile: ProxyProfile | undefined;
    /** The PAT that authenticated this request; undefined for the console's own requests. */
    viaToken: StoredToken | undefined;
    /** Without a PAT: how the request came (the console's page, or a script). */
    channel: ApiChannel | undefined;
    /** Whether the caller is an admin: named in the settings, or in an admin group the trusted proxy names. */
    admin: boolean | undefined;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether an Origin header names the site the request was sent to. */
function sameOrigin(origin: string, host: string | undefined): boolean {
  try {
    const from = new URL(origin);
    return host !== undefined && from.host === new URL(`${from.protocol}//${host}`).host;
  } catch {
    return false;
  }
}

/**
 * A change asked for without a PAT rides on the browser's standing (local mode, the proxy's
 * cookie), so it must come from the console's own page: never from another site (Sec-Fetch-Site,
 * Origin), and as JSON, which no form and no `no-cors` fetch can send without a preflight.
 */
function refuseCrossSite(request: FastifyRequest) {
  if (SAFE_METHODS.has(request.method)) return;
  const site = request.headers['sec-fetch-site'];
  const { origin } = request.headers;
  if (site === 'cross-site' || site === 'same-site' || (origin !== undefined && !sameOrigin(origin, request.headers.host))) {
    throw new ServiceError('AccessDeniedException', 'A change from another site is refused: use the console, or send a PAT.', 403);
  }
  if (!/^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '')) {
    throw new ServiceError('UnsupportedMediaTypeException', 'Send the request as application/json, or with a PAT.', 415);
  }
}

const USER_NAME = /^[A-Za-z0-9_.@-]{1,100}$/;
// eslint-disable-next-line no-control-regex -- the point: control characters have no place in a name.
const DISPLAY_NAME = /^[^\u0000-\u001f\u007f]{1,100}$/;

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value.trim() : undefined;
}

/** The proxy's optional headers, each kept only when it is well formed. */
function proxyProfile(request: FastifyRequest, config: ServerConfig): ProxyProfile {
  const displayName = headerValue(request, config.displayNameHeader);
  const email = headerValue(request, config.emailHeader);
  return {
    ...(displayName && DISPLAY_NAME.test(displayName) ? { displayName } : {}),
    ...(email && EMAIL_ADDRESS.test(email) ? { email } : {}),
  };
}

/** The API's caller. Only the API scope's hook sets one: a route outside it that asks is a bug. */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.user) throw new Error(`No caller for ${request.method} ${request.routeOptions.url ?? request.url}: the route is outside the API scope`);
  const client = clientOf(request);
  const admin = request.admin ?? false;
  if (request.viaToken) return { user: request.user, token: request.viaToken, client, admin };
  return { user: request.user, token: null, client, channel: request.channel ?? 'CONSOLE', admin };
}

/**
 * Who is asking the API. A bearer PAT names its owner (this is what the SDKs and the CLI send);
 * without one, the console's own requests are the local user, or in proxy mode the user the proxy
 * vouches for. This identity is the API's alone: Git and forward auth take a PAT and nothing else.
 */
export function createConsoleAuthenticator(config: ServerConfig, store: TokenStore, verifyPat: PatVerifier) {
  async function byToken(request: FastifyRequest, authorization: string): Promise<User> {
    const check = await verifyPat(request, presentedSecret(authorization, { allowBasic: false }));
    if (check.ok) {
      request.viaToken = check.token;
      return check.user;
    }
    if (check.reason === 'throttled') throw throttled(check.retryAfterSeconds, check.message);
    throw unauthenticated(
      check.reason === 'malformed' && !/^bearer\s/i.test(authorization.trim())
        ? 'Send a personal access token as "Authorization: Bearer <token>".'
        : check.message,
    );
  }

  const trusted = proxyAddr.compile(config.trustedProxies);
  const admins = new Set(config.admins);
  const adminGroups = new Set(config.adminGroups);

  async function byProxy(request: FastifyRequest): Promise<User> {
    // Only a trusted proxy speaks for the user: a request that went around it claims nobody.
    const peer = request.socket.remoteAddress;
    const userName = peer !== undefined && trusted(peer, 0) ? headerValue(request, config.identityHeader) : undefined;
    if (!userName || !USER_NAME.test(userName)) {
      throw unauthenticated('Sign in through the authenticating proxy, or send a personal access token.');
    }
    request.profile = proxyProfile(request, config);
    const groups = (headerValue(request, config.groupsHeader) ?? '').split(',').map((group) => group.trim());
    request.admin = admins.has(userName) || groups.some((group) => adminGroups.has(group));
    const user = await store.userByName(userName);
    // Kept with the user: notices go there when nobody is signed in.
    if (request.profile.email) await store.rememberProxyEmail(user.id, request.profile.email);
    return user;
  }

  return async function authenticate(request: FastifyRequest, reply: FastifyReply) {
    const { authorization } = request.headers;
    if (authorization !== undefined) {
      request.user = await byToken(request, authorization);
      request.admin = admins.has(request.user.userName);
      if (request.viaToken) reply.header(PAT_EXPIRATION_HEADER, patExpirationOf(request.viaToken.expiresAt));
      return;
    }
    refuseCrossSite(request);
    request.channel = channelOf(request.headers[CONSOLE_PAGE_HEADER] !== undefined, config.authMode);
    if (config.authMode === 'proxy') request.user = await byProxy(request);
    else {
      request.user = await store.userByName(config.localUser);
      request.admin = admins.has(config.localUser);
    }
  };
}
