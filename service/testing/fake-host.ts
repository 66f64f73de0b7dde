import type { PageCursors, SecretFormat } from '../access-token-service';

/** Secrets the rules suites can read: named in order (s-1-…, s-2-…), their digest plain to see. */
export function fakeSecrets(): SecretFormat {
  let issued = 0;
  return {
    generate: () => `s-${(issued += 1)}-${Math.random().toString(36).slice(2)}`,
    digest: (secret) => `d:${secret}`,
    isWellFormed: (secret) => secret.startsWith('s-'),
  };
}

/** Cursors in the clear, each valid for the scope it was issued for only. */
export const fakeCursors: PageCursors = {
  encode: (scope, cursor) => `${scope}#${cursor}`,
  decode: (scope, token) => (token.startsWith(`${scope}#`) ? Number(token.slice(scope.length + 1)) : undefined),
};
