import type { FastifyRequest } from 'fastify';
import type { AccessTokenService } from '../../service/access-token-service';
import type { Client, StoredToken, User } from '../../service/token-store';
import { clientKey, type RateLimiter } from '../rate-limiter';
import { recordableText } from '../tokens/secret';

const USER_AGENT_MAX_LENGTH = 256;

/**
 * The request's client as the activity log keeps it: its address, and its User-Agent cut to a sane
 * length, with anything shaped like a secret masked and control characters escaped.
 */
export function clientOf(request: FastifyRequest): Client {
  const userAgent = request.headers['user-agent'];
  return { address: request.ip, userAgent: userAgent ? recordableText(userAgent.slice(0, USER_AGENT_MAX_LENGTH)) : null };
}

export type PatCheck =
  | { ok: true; user: User; token: StoredToken; client: Client }
  | { ok: false; reason: 'missing' | 'malformed' | 'invalid'; message: string }
  | { ok: false; reason: 'throttled'; message: string; retryAfterSeconds: number };

/** The PAT in an Authorization header: `Bearer <PAT>`, or Basic with the PAT as the password. */
export function presentedSecret(authorization: string | undefined, { allowBasic }: { allowBasic: boolean }): string | undefined {
  if (authorization === undefined) return undefined;
  const [scheme = '', credentials = '', ...rest] = authorization.trim().split(/\s+/);
  if (rest.length > 0 || !credentials) return '';
  if (scheme.toLowerCase() === 'bearer') return credentials;
  if (allowBasic && scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(credentials, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    // Any non-empty username, as GitLab, Gitea and Azure DevOps take it: the PAT says who it is.
    if (colon < 1) return '';
    return decoded.slice(colon + 1);
  }
  return '';
}

/**
 * Checks a presented PAT, through the service, which records its use. Failures are counted per
 * client address, never per presented token (free to vary) and never with a username. A client over
 * its limit gets `throttled` instead of `invalid` for every further failure, and costs one lookup
 * and no write: its refused uses are not logged. A valid PAT still gets in: a stranger sharing the
 * owner's address (a NAT, a proxy) cannot lock the owner out, and with 256 random bits per secret
 * there is nothing to gain by guessing.
 */
export function createPatVerifier(service: AccessTokenService, failedAuths: RateLimiter) {
  return async function verify(request: FastifyRequest, secret: string | undefined): Promise<PatCheck> {
    if (secret === undefined) return { ok: false, reason: 'missing', message: 'Send a personal access token.' };
    const client = clientOf(request);
    const checked = await service.verify(secret, client);
    if (checked.ok) return { ...checked, client };
    const wait = failedAuths.hit(clientKey(request.ip));
    if (wait !== undefined) {
      return { ok: false, reason: 'throttled', message: 'Too many failed attempts with personal access tokens.', retryAfterSeconds: wait };
    }
    // A real secret that no longer works: its owner learns that something still uses it.
    await checked.logRefusal();
    return checked.reason === 'malformed'
      ? { ok: false, reason: 'malformed', message: 'The personal access token is not valid.' }
      : { ok: false, reason: 'invalid', message: 'The personal access token is not valid, has expired or was deleted.' };
  };
}

export type PatVerifier = ReturnType<typeof createPatVerifier>;
