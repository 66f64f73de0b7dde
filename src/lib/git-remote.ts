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
