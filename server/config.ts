import { userInfo } from 'node:os';
import { resolve } from 'node:path';

export type AuthMode = 'local' | 'proxy';

export interface ServerConfig {
  host: string;
  port: number;
  dbPath: string;
  authMode: AuthMode;
  /** Local mode: the one user of the console. */
  localUser: string;
  /** Proxy mode: the header an authenticating proxy sets to the user's name. */
  identityHeader: string;
  /** Host names (without port) the server answers to; anything else may be DNS rebinding. */
  allowedHosts: string[];
  /** The longest lifetime of a token, and its default. */
  maxTokenLifetimeYears: number;
  /** Creates per user, and failed authentications per presented token, in a minute. */
  createsPerMinute: number;
  failedAuthsPerMinute: number;
  /** Built console to serve; none when absent (API only). */
  staticDir: string | undefined;
  logLevel: string;
}

const positiveInt = (value: string | undefined, fallback: number, name: string) => {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${name} must be a whole number, not "${value}"`);
  return parsed;
};

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
  const extraHosts = (env.PAT_CONSOLE_ALLOWED_HOSTS ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  return {
    host,
    port: positiveInt(env.PORT, 8080, 'PORT'),
    dbPath: resolve(env.PAT_CONSOLE_DB || './data/pat-console.db'),
    authMode,
    localUser: env.PAT_CONSOLE_USER || userInfo().username,
    identityHeader: (env.PAT_CONSOLE_IDENTITY_HEADER || 'x-forwarded-user').toLowerCase(),
    allowedHosts: [...new Set(['localhost', '127.0.0.1', '[::1]', host.toLowerCase(), ...extraHosts])],
    maxTokenLifetimeYears: positiveInt(env.PAT_CONSOLE_MAX_TOKEN_LIFETIME_YEARS, 1, 'PAT_CONSOLE_MAX_TOKEN_LIFETIME_YEARS'),
    createsPerMinute: positiveInt(env.PAT_CONSOLE_CREATES_PER_MINUTE, 30, 'PAT_CONSOLE_CREATES_PER_MINUTE'),
    failedAuthsPerMinute: positiveInt(env.PAT_CONSOLE_FAILED_AUTHS_PER_MINUTE, 10, 'PAT_CONSOLE_FAILED_AUTHS_PER_MINUTE'),
    staticDir: env.PAT_CONSOLE_STATIC_DIR === '' ? undefined : resolve(env.PAT_CONSOLE_STATIC_DIR || './dist'),
    logLevel: env.LOG_LEVEL || 'info',
  };
}
