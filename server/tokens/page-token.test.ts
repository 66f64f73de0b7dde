import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPageTokenCodec } from './page-token';

describe('page tokens', () => {
  const codec = createPageTokenCodec(randomBytes(32));

  it('round-trip for their own user', () => {
    expect(codec.decode('user-a', codec.encode('user-a', 42))).toBe(42);
  });

  it('refuse another user, another key, and any change', () => {
    const token = codec.encode('user-a', 42);
    expect(codec.decode('user-b', token)).toBeUndefined();
    expect(createPageTokenCodec(randomBytes(32)).decode('user-a', token)).toBeUndefined();
    const [payload, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ u: 'user-a', c: 0 })).toString('base64url');
    expect(codec.decode('user-a', `${forged}.${signature}`)).toBeUndefined();
    expect(codec.decode('user-a', `${payload}.`)).toBeUndefined();
    expect(codec.decode('user-a', 'garbage')).toBeUndefined();
  });
});
