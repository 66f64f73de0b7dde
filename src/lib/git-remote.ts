import { PATHS } from '../../contract/access-tokens';

/**
 * The HTTPS address of a user's repository on this server, with the user name in it so that Git
 * asks only for the password (the PAT). An e-mail address as user name is escaped in both places.
 */
export function gitRemoteUrl(userName: string, repository: string, origin = globalThis.location.origin): string {
  const url = new URL(origin);
  const user = encodeURIComponent(userName);
  return `${url.protocol}//${user}@${url.host}${PATHS.git}${user}/${repository}.git`;
}

/** Whether the console was opened over TLS: the Git addresses it offers use the same scheme. */
export const servedOverTls = (origin = globalThis.location.origin) => new URL(origin).protocol === 'https:';

/** How the pages name the Git transport: what the addresses they offer really use. */
export const gitTransport = (origin = globalThis.location.origin) => (servedOverTls(origin) ? 'HTTPS' : 'HTTP');
