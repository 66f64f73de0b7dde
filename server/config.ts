import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import proxyAddr from '@fastify/proxy-addr';
import { DEFAULT_ACTIVITY_RETENTION_DAYS, DEFAULT_EXPIRY_NOTICE_DAYS, DEFAULT_MAX_TOKEN_LIFETIME_YEARS } from '../contract/access-tokens';
import { INSTANCE_PREFIX, SECRET_PREFIX } from './tokens/secret';

export type AuthMode = 'local' | 'proxy';

export interface ServerConfig {
  host: string;
  port: number;
  dbPath: string;
  /** PostgreSQL, for several servers sharing one database; SQLite at `dbPath` when absent. */
  databaseUrl: string | undefined;
  authMode: AuthMode;
  /** Local mode: the one user of the console. */
  localUser: string;
  /** Proxy mode: the header an authenticating proxy sets to the user's name (oauth2-proxy's by default). */
  identityHeader: string;
  /** Proxy mode, when the proxy sends them: the user's display name and (verified) e-mail address. */
  displayNameHeader: string;
  emailHeader: string;
  /**
   * Proxy mode: the peers (addresses, CIDRs, or proxy-addr's `loopback`, `linklocal`, `uniquelocal`)
   * whose identity headers count, and whose X-Forwarded-For names the client. Anyone else's are ignored.
   */
  trustedProxies: string[];
  /**
   * Who is an admin: these user names, and in proxy mode members of these groups, as a trusted
   * proxy names them in `groupsHeader` (comma-separated). A PAT speaks for an admin named here only:
   * groups come with the proxy's sign-in, which a PAT skips.
   */
  admins: string[];
  adminGroups: string[];
  groupsHeader: string;
  /** Host names (without port) the server answers to; anything else may be DNS rebinding. */
  allowedHosts: string[];
  /** The longest lifetime of a token, and its default. */
  maxTokenLifetimeYears: number;
  /** How long the activity log keeps an event (and a retired secret's digest), in days. */
  activityRetentionDays: number;
  /** Creates per user, and failed authentications per client address, in a minute. */
  createsPerMinute: number;
  failedAuthsPerMinute: number;
  /** Requests to RevokeAccessTokens per client address in a minute (it needs no sign-in). */
  revokesPerMinute: number;
  /** Open connections at most; past it new ones are refused (and the refusals logged). */
  maxConnections: number;
  /**
   * How long a client may take: to send its request line and headers; to send a JSON body whole; and
   * to stay silent on an open connection. Transfers that keep moving have no total limit.
   */
  timeouts: { headersMs: number; jsonBodyMs: number; idleMs: number; gitQueueMs: number };
  /** Bare Git repositories, a folder per user. */
  reposDir: string;
  /** The largest request body a Git push may send, counted as git reads it (decoded). */
  maxPushBytes: number;
  /** The slowest a Git request body may arrive: less than this over a whole window is cut. */
  gitMinBodyRate: { bytesPerSecond: number; windowMs: number };
  /** Git requests at once (each runs 3–4 git processes), half of them for one user at most; more wait, then get 503. */
  gitMaxRequests: number;
  /**
   * The pack-objects cache (server/git/pack-cache.ts): where each server keeps its own folder, its
   * budget in bytes and how long a pack is kept; none when the budget is 0.
   */
  packCache: { parentDir: string; maxBytes: number; maxAgeMs: number } | undefined;
  /** Repositories a user may create by pushing. */
  maxReposPerUser: number;
  /**
   * Notices: the days before expiry they go out, the mail server and sender, the webhook and its
   * signing secret (each optional), how long one attempt may take, and the console's address for
   * the links they carry.
   */
  notices: {
    expiryDays: number[];
    smtp: { url: string; from: string } | undefined;
    webhook: { url: string; secret: string } | undefined;
    attemptTimeoutMs: number;
    publicUrl: string;
  };
  /** What new secrets start with: `pat_`, or the instance's own (`acme_pat_`); `pat_` ones keep working. */
  tokenPrefix: string;
  /** Built console to serve; none when absent (API only). */
  staticDir: string | undefined;
  logLevel: string;
}

const wholeNumber = (value: string | undefined, fallback: number, name: string, min = 0) => {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min) throw new Error(`${name} must be a whole number of at least ${min}, not "${value}"`);
  return parsed;
};

/** How a listening address appears in a Host header: IPv6 literals in brackets. */
const hostHeaderName = (host: string) => (host.includes(':') ? `[${host.toLowerCase()}]` : host.toLowerCase());

/** A comma-separated setting as its entries. */
const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);

/** `loopback` when unset: a proxy on the same machine, the safe default. */
function trustedProxies(value: string | undefined): string[] {
  const entries = list(value ?? 'loopback');
  try {
    proxyAddr.compile(entries);
  } catch (error) {
    throw new Error(`PAT_CONSOLE_TRUSTED_PROXIES must list addresses or CIDRs: ${(error as Error).message}`);
  }
  return entries;
}

/** A GiB by default, kept 5 minutes (GitLab's figure: after that, an entry is seldom read again). */
function packCacheOf(env: NodeJS.ProcessEnv, reposDir: string): ServerConfig['packCache'] {
  const maxBytes = wholeNumber(env.PAT_CONSOLE_PACK_CACHE_MAX_BYTES, 1024 ** 3, 'PAT_CONSOLE_PACK_CACHE_MAX_BYTES');
  if (maxBytes === 0) return undefined;
  return {
    parentDir: resolve(env.PAT_CONSOLE_PACK_CACHE_DIR || `${reposDir}/.pack-cache`),
    maxBytes,
    maxAgeMs: wholeNumber(env.PAT_CONSOLE_PACK_CACHE_MAX_AGE_SECONDS, 300, 'PAT_CONSOLE_PACK_CACHE_MAX_AGE_SECONDS', 1) * 1000,
  };
}

const WEBHOOK_SECRET_MIN_LENGTH = 16;

function tokenPrefixOf(value: string | undefined): string {
  if (value === undefined || value === '') return SECRET_PREFIX;
  if (!INSTANCE_PREFIX.test(value)) {
    throw new Error(`PAT_CONSOLE_TOKEN_PREFIX must be lowercase letters, digits and underscores, ending in "_" (like acme_pat_), not "${value}"`);
  }
  return value;
}

/** `30,7,1`: whole days, each once, between 1 and 365. */
function noticeDays(value: string | undefined): number[] {
  if (value === undefined || value.trim() === '') return [...DEFAULT_EXPIRY_NOTICE_DAYS];
  const days = value.split(',').map((part) => Number(part.trim()));
  if (days.some((day) => !Number.isInteger(day) || day < 1 || day > 365) || new Set(days).size !== days.length) {
    throw new Error(`PAT_CONSOLE_EXPIRY_NOTICE_DAYS must list whole days from 1 to 365, each once (like 30,7,1), not "${value}"`);
  }
  return days.sort((a, b) => b - a);
}

/** An http(s) URL, or an error naming the setting. */
function urlSetting(value: string, name: string, protocols: string[]): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} must be a URL, not "${value}"`);
  }
  if (!protocols.includes(url.protocol)) throw new Error(`${name} must start with ${protocols.map((protocol) => `${protocol}//`).join(' or ')}`);
  return value;
}

function noticesOf(env: NodeJS.ProcessEnv, host: string, port: number): ServerConfig['notices'] {
  const publicUrl = urlSetting(env.PAT_CONSOLE_PUBLIC_URL || `http://${hostHeaderName(host)}:${port}`, 'PAT_CONSOLE_PUBLIC_URL', ['http:', 'https:']).replace(/\/+$/, '');
  const smtpUrl = env.PAT_CONSOLE_SMTP_URL;
  const webhookUrl = env.PAT_CONSOLE_WEBHOOK_URL;
  const secret = env.PAT_CONSOLE_WEBHOOK_SECRET ?? '';
  if (webhookUrl && secret.length < WEBHOOK_SECRET_MIN_LENGTH) {
    throw new Error(`PAT_CONSOLE_WEBHOOK_URL needs PAT_CONSOLE_WEBHOOK_SECRET, at least ${WEBHOOK_SECRET_MIN_LENGTH} characters: every delivery is signed with it`);
  }
  return {
    expiryDays: noticeDays(env.PAT_CONSOLE_EXPIRY_NOTICE_DAYS),
    smtp: smtpUrl
      ? {
          url: urlSetting(smtpUrl, 'PAT_CONSOLE_SMTP_URL', ['smtp:', 'smtps:']),
          from: env.PAT_CONSOLE_MAIL_FROM || `pat-console <no-reply@${new URL(publicUrl).hostname}>`,
        }
      : undefined,
    webhook: webhookUrl ? { url: urlSetting(webhookUrl, 'PAT_CONSOLE_WEBHOOK_URL', ['http:', 'https:']), secret } : undefined,
    attemptTimeoutMs: wholeNumber(env.PAT_CONSOLE_NOTICE_TIMEOUT_SECONDS, 15, 'PAT_CONSOLE_NOTICE_TIMEOUT_SECONDS', 1) * 1000,
    publicUrl,
  };
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const host = env.HOST || '127.0.0.1';
  const authMode = env.PAT_CONSOLE_AUTH || 'local';
  if (authMode !== 'local' && authMode !== 'proxy') {
    throw new Error(`PAT_CONSOLE_AUTH must be "local" or "proxy", not "${authMode}"`);
  }
  const loopback = host === 'localhost' || host === '::1' || host.startsWith('127.');
  if (authMode === 'local' && !loopback) {
    throw new Error(
      `Local mode treats whoever connects as ${env.PAT_CONSOLE_USER || 'the local user'}: bind it to a loopback address, not ${host}, or put an authenticating proxy in front and set PAT_CONSOLE_AUTH=proxy.`,
    );
  }
  if (env.PAT_CONSOLE_GIT_MAX_PROCESSES !== undefined) {
    throw new Error(
      'PAT_CONSOLE_GIT_MAX_PROCESSES is now PAT_CONSOLE_GIT_MAX_REQUESTS: it always counted Git requests, each of which runs 3–4 git processes.',
    );
  }
  const reposDir = resolve(env.PAT_CONSOLE_REPOS || './data/repos');
  const extraHosts = list(env.PAT_CONSOLE_ALLOWED_HOSTS).map((name) => name.toLowerCase());
  const port = wholeNumber(env.PORT, 8080, 'PORT');
  return {
    host,
    port,
    dbPath: resolve(env.PAT_CONSOLE_DB || './data/pat-console.db'),
    databaseUrl: env.PAT_CONSOLE_DATABASE_URL || undefined,
    authMode,
    localUser: env.PAT_CONSOLE_USER || userInfo().username,
    identityHeader: (env.PAT_CONSOLE_IDENTITY_HEADER || 'x-forwarded-user').toLowerCase(),
    displayNameHeader: (env.PAT_CONSOLE_DISPLAY_NAME_HEADER || 'x-forwarded-preferred-username').toLowerCase(),
    emailHeader: (env.PAT_CONSOLE_EMAIL_HEADER || 'x-forwarded-email').toLowerCase(),
    trustedProxies: trustedProxies(env.PAT_CONSOLE_TRUSTED_PROXIES),
    admins: list(env.PAT_CONSOLE_ADMINS),
    adminGroups: list(env.PAT_CONSOLE_ADMIN_GROUPS),
    groupsHeader: (env.PAT_CONSOLE_GROUPS_HEADER || 'x-forwarded-groups').toLowerCase(),
    allowedHosts: [...new Set(['localhost', '127.0.0.1', '[::1]', hostHeaderName(host), ...extraHosts])],
    maxTokenLifetimeYears: wholeNumber(env.PAT_CONSOLE_MAX_TOKEN_LIFETIME_YEARS, DEFAULT_MAX_TOKEN_LIFETIME_YEARS, 'PAT_CONSOLE_MAX_TOKEN_LIFETIME_YEARS', 1),
    activityRetentionDays: wholeNumber(
      env.PAT_CONSOLE_ACTIVITY_RETENTION_DAYS,
      DEFAULT_ACTIVITY_RETENTION_DAYS,
      'PAT_CONSOLE_ACTIVITY_RETENTION_DAYS',
      1,
    ),
    createsPerMinute: wholeNumber(env.PAT_CONSOLE_CREATES_PER_MINUTE, 30, 'PAT_CONSOLE_CREATES_PER_MINUTE'),
    failedAuthsPerMinute: wholeNumber(env.PAT_CONSOLE_FAILED_AUTHS_PER_MINUTE, 10, 'PAT_CONSOLE_FAILED_AUTHS_PER_MINUTE'),
    revokesPerMinute: wholeNumber(env.PAT_CONSOLE_REVOKES_PER_MINUTE, 10, 'PAT_CONSOLE_REVOKES_PER_MINUTE'),
    maxConnections: wholeNumber(env.PAT_CONSOLE_MAX_CONNECTIONS, 4096, 'PAT_CONSOLE_MAX_CONNECTIONS', 1),
    timeouts: { headersMs: 10_000, jsonBodyMs: 10_000, idleMs: 15_000, gitQueueMs: 10_000 },
    reposDir,
    maxPushBytes: wholeNumber(env.PAT_CONSOLE_MAX_PUSH_BYTES, 2 * 1024 ** 3, 'PAT_CONSOLE_MAX_PUSH_BYTES', 1),
    gitMinBodyRate: { bytesPerSecond: 1024, windowMs: 60_000 },
    gitMaxRequests: wholeNumber(env.PAT_CONSOLE_GIT_MAX_REQUESTS, 8, 'PAT_CONSOLE_GIT_MAX_REQUESTS', 1),
    packCache: packCacheOf(env, reposDir),
    maxReposPerUser: wholeNumber(env.PAT_CONSOLE_MAX_REPOS_PER_USER, 100, 'PAT_CONSOLE_MAX_REPOS_PER_USER', 1),
    notices: noticesOf(env, host, port),
    tokenPrefix: tokenPrefixOf(env.PAT_CONSOLE_TOKEN_PREFIX),
    staticDir: env.PAT_CONSOLE_STATIC_DIR === '' ? undefined : resolve(env.PAT_CONSOLE_STATIC_DIR || './dist'),
    logLevel: env.LOG_LEVEL || 'info',
  };
}
