import type { FastifyRequest } from 'fastify';
import { NEW_CLIENTS_LOGGED, RETIRED_SECRET_USE_QUIET_MS } from '../../contract/access-tokens';
import { clientKey, type RateLimiter } from '../rate-limiter';
import type { Client, StoredToken, TokenStore, User } from '../storage/token-store';
import { digestSecret, isWellFormedSecret, recordableText } from '../tokens/secret';

const LAST_USED_RESOLUTION_MS = 60_000;
const USER_AGENT_MAX_LENGTH = 256;
const MAX_REMEMBERED_CLIENTS = 10_000;

/**
 * The request's client as the activity log keeps it: its address, and its User-Agent cut to a sane
 * length, with anything shaped like a secret masked and control characters escaped.
 */
export function clientOf(request: FastifyRequest): Client {
  const userAgent = request.headers['user-agent'];
  return { address: request.ip, userAgent: userAgent ? recordableText(userAgent.slice(0, USER_AGENT_MAX_LENGTH)) : null };
}

export type PatCheck =
  | { ok: true; user: User; token: StoredToken }
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
 * Checks a presented PAT, and records its use. Failures are counted per client address, never per
 * presented token (free to vary) and never with a username. A client over its limit gets
 * `throttled` instead of `invalid` for every further failure, and costs one lookup and no write:
 * its refused uses are not logged. A valid PAT still gets in: a stranger sharing the owner's
 * address (a NAT, a proxy) cannot lock the owner out, and with 256 random bits per secret there is
 * nothing to gain by guessing.
 */
export function createPatVerifier(store: TokenStore, failedAuths: RateLimiter) {
  /**
   * Uses from a token and client that this server has already recorded in the database. The
   * database only ever adds to those (a gone token's are dropped with it), so what is remembered
   * here stays true; it spares the authentication path a write on every request.
   */
  const recordedClients = new Set<string>();

  return async function verify(request: FastifyRequest, secret: string | undefined): Promise<PatCheck> {
    if (secret === undefined) return { ok: false, reason: 'missing', message: 'Send a personal access token.' };
    const fail = (reason: 'malformed' | 'invalid', message: string): PatCheck => {
      const wait = failedAuths.hit(clientKey(request.ip));
      return wait === undefined
        ? { ok: false, reason, message }
        : { ok: false, reason: 'throttled', message: 'Too many failed attempts with personal access tokens.', retryAfterSeconds: wait };
    };
    // The checksum turns away typos and guesses before the database is asked.
    if (!secret || !isWellFormedSecret(secret)) return fail('malformed', 'The personal access token is not valid.');
    const now = Date.now();
    // Asked of the database every time: a delete made through another server counts at once.
    const digest = digestSecret(secret);
    const found = await store.findByDigest(digest, now);
    if (!found) {
      // Counted before anything is written: a client over its limit writes nothing.
      const refused = fail('invalid', 'The personal access token is not valid, has expired or was deleted.');
      // A real secret that no longer works: its owner learns that something still uses it.
      if (refused.ok === false && refused.reason === 'invalid') {
        await store.recordRefusedUse(digest, clientOf(request), now, RETIRED_SECRET_USE_QUIET_MS);
      }
      return refused;
    }
    // Keyed by the raw header: the usual request costs a lookup, and only a new client is cleaned up and written.
    const useKey = `${found.token.id}\n${request.ip}\n${request.headers['user-agent'] ?? ''}`;
    if (!recordedClients.has(useKey)) {
      await store.recordUse(found.token, clientOf(request), now, NEW_CLIENTS_LOGGED);
      if (recordedClients.size >= MAX_REMEMBERED_CLIENTS) recordedClients.clear();
      recordedClients.add(useKey);
    }
    // At most a write a minute per token, so that heavy use does not become a stream of writes.
    if (found.token.lastUsedAt === null || now - found.token.lastUsedAt >= LAST_USED_RESOLUTION_MS) {
      await store.touchLastUsed(found.token, now, LAST_USED_RESOLUTION_MS);
    }
    return { ok: true, user: found.user, token: found.token };
  };
}

export type PatVerifier = ReturnType<typeof createPatVerifier>;
