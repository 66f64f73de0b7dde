import ipaddr from 'ipaddr.js';
import { ACCESS_TOKEN_PERMISSIONS, type AccessTokenPermission } from './access-tokens';
import { isRepositoryName, REPOSITORY_NAME_RULE } from './names';
import type { AccessTokenAccess } from './schemas';

/** What every PAT could do before PATs had scopes, and what one made without saying gets. */
export const FULL_ACCESS: AccessTokenAccess = { permissions: [...ACCESS_TOKEN_PERMISSIONS] };

const STRICT_IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * An address or CIDR as it is kept: the network's own address and its prefix (`10.1.0.0/16`,
 * `2001:db8::/32`; a lone address as /32 or /128); undefined when it is neither. IPv4 takes only
 * four decimal parts, never the legacy forms (`0x7f.1`) that would read as other addresses.
 */
export function parseNetwork(text: string): string | undefined {
  const [address = '', prefix, ...rest] = text.trim().split('/');
  if (rest.length > 0 || (prefix !== undefined && !/^\d{1,3}$/.test(prefix))) return undefined;
  const ipv6 = address.includes(':');
  if (ipv6 ? !ipaddr.IPv6.isValid(address) : !STRICT_IPV4.test(address) || !ipaddr.IPv4.isValid(address)) return undefined;
  const bits = prefix === undefined ? (ipv6 ? 128 : 32) : Number(prefix);
  if (bits > (ipv6 ? 128 : 32)) return undefined;
  const network = ipv6 ? ipaddr.IPv6.networkAddressFromCIDR(`${address}/${bits}`) : ipaddr.IPv4.networkAddressFromCIDR(`${address}/${bits}`);
  return `${network.toString()}/${bits}`;
}

const cidrOf = (network: string) => ipaddr.parseCIDR(network);

/** Whether a client's address (as a socket gives it: IPv4-mapped IPv6 included) is inside one of `networks`. */
export function withinNetworks(networks: readonly string[], address: string): boolean {
  let client: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    client = ipaddr.process(address);
  } catch {
    return false;
  }
  return networks.some((network) => {
    const [base, bits] = cidrOf(network);
    return base.kind() === client.kind() && client.match(base, bits);
  });
}

/** Whether every address of `inner` is inside `outer`. */
function networkInside(inner: string, outer: string): boolean {
  const [innerBase, innerBits] = cidrOf(inner);
  const [outerBase, outerBits] = cidrOf(outer);
  return innerBase.kind() === outerBase.kind() && innerBits >= outerBits && innerBase.match(outerBase, outerBits);
}

/** The permissions in their canonical order, writing with reading. */
export function withImpliedPermissions(permissions: readonly AccessTokenPermission[]): AccessTokenPermission[] {
  const chosen = new Set(permissions);
  if (chosen.has('WRITE_REPOSITORIES')) chosen.add('READ_REPOSITORIES');
  return ACCESS_TOKEN_PERMISSIONS.filter((permission) => chosen.has(permission));
}

/** Access as a request gave it, checked and kept in one form: permissions in order, names and networks once each. */
export function validateAccess(access: AccessTokenAccess): { ok: true; value: AccessTokenAccess } | { ok: false; message: string } {
  const permissions = withImpliedPermissions(access.permissions);
  const result: AccessTokenAccess = { permissions };
  if (access.repositories !== undefined) {
    const wrong = access.repositories.find((name) => !isRepositoryName(name));
    if (wrong !== undefined) return { ok: false, message: `access.repositories: "${wrong}" is not a repository name. ${REPOSITORY_NAME_RULE}` };
    result.repositories = [...new Set(access.repositories)];
  }
  if (access.networks !== undefined) {
    const networks: string[] = [];
    for (const text of access.networks) {
      const network = parseNetwork(text);
      if (network === undefined) return { ok: false, message: `access.networks: "${text}" is not an IP address or CIDR.` };
      if (!networks.includes(network)) networks.push(network);
    }
    result.networks = networks;
  }
  return { ok: true, value: result };
}

/** What `wanted` has beyond `held`, in words; undefined when it has nothing more. */
export function accessBeyond(wanted: AccessTokenAccess, held: AccessTokenAccess): string | undefined {
  const missing = wanted.permissions.filter((permission) => !held.permissions.includes(permission));
  if (missing.length > 0) return `the permissions ${missing.join(', ')}`;
  if (held.repositories !== undefined) {
    if (wanted.repositories === undefined) return 'all repositories';
    const outside = wanted.repositories.filter((name) => !held.repositories?.includes(name));
    if (outside.length > 0) return `the repositories ${outside.join(', ')}`;
  }
  if (held.networks !== undefined) {
    if (wanted.networks === undefined) return 'use from any network';
    const outside = wanted.networks.filter((network) => !held.networks?.some((outer) => networkInside(network, outer)));
    if (outside.length > 0) return `the networks ${outside.join(', ')}`;
  }
  return undefined;
}

/** Whether the access opens the repository `name` of its owner. */
export const opensRepository = (access: AccessTokenAccess, name: string) => access.repositories === undefined || access.repositories.includes(name);
