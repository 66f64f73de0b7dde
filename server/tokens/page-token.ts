import { createHmac, timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/**
 * `nextToken`s are opaque to clients and tamper-proof: a cursor bound to its user and signed with
 * the deployment's key, so a forged, altered or borrowed one is refused.
 */
export function createPageTokenCodec(key: Uint8Array) {
  const sign = (payload: string) => createHmac('sha256', key).update(payload).digest('base64url');
  // Tokens are deterministic, and an HMAC costs a tenth of a list request: recent ones are kept.
  const issued = new LRUCache<string, string>({ max: 10_000 });
  return {
    encode(userId: string, cursor: number): string {
      const memoKey = `${userId}\n${cursor}`;
      let token = issued.get(memoKey);
      if (token === undefined) {
        const payload = Buffer.from(JSON.stringify({ u: userId, c: cursor })).toString('base64url');
        token = `${payload}.${sign(payload)}`;
        issued.set(memoKey, token);
      }
      return token;
    },
    decode(userId: string, token: string): number | undefined {
      const [payload, signature, ...rest] = token.split('.');
      if (!payload || !signature || rest.length > 0) return undefined;
      const expected = Buffer.from(sign(payload));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
      try {
        const { u, c } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { u?: unknown; c?: unknown };
        return u === userId && Number.isSafeInteger(c) && (c as number) >= 0 ? (c as number) : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

export type PageTokenCodec = ReturnType<typeof createPageTokenCodec>;
