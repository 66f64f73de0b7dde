import type { AccessTokenPermission } from '../../contract/access-tokens';
import type { AccessTokenAccess } from '../../contract/schemas';

/** Each permission as the console names it. */
export const PERMISSION_NAMES: Record<AccessTokenPermission, string> = {
  READ_REPOSITORIES: 'Read repositories',
  WRITE_REPOSITORIES: 'Write repositories',
  MANAGE_ACCESS_TOKENS: 'Manage PATs',
  READ_ACTIVITY: 'Read the activity log',
};

/** What a refused use needed, in a few words: "needs write". */
export const NEEDED_WORDS: Record<AccessTokenPermission, string> = {
  READ_REPOSITORIES: 'read',
  WRITE_REPOSITORIES: 'write',
  MANAGE_ACCESS_TOKENS: 'manage PATs',
  READ_ACTIVITY: 'activity',
};

/** A PAT's access in one line: "Read and write · all repositories", "Read · 2 repositories · manage PATs". */
export function accessSummary(access: AccessTokenAccess): string {
  const has = (permission: AccessTokenPermission) => access.permissions.includes(permission);
  const git = has('WRITE_REPOSITORIES') ? 'Read and write' : has('READ_REPOSITORIES') ? 'Read' : 'No Git';
  const parts = [git];
  if (has('READ_REPOSITORIES')) {
    const count = access.repositories?.length;
    parts.push(count === undefined ? 'all repositories' : `${count} ${count === 1 ? 'repository' : 'repositories'}`);
  }
  if (has('MANAGE_ACCESS_TOKENS')) parts.push('manage PATs');
  if (has('READ_ACTIVITY')) parts.push('activity');
  if (access.networks) parts.push(`${access.networks.length} ${access.networks.length === 1 ? 'network' : 'networks'}`);
  return parts.join(' · ');
}
