import { describe, expect, it } from 'vitest';
import { SECRET_PATTERN } from '../../contract/access-tokens';
import { digestSecret, generateSecret, isWellFormedSecret, recordableText, secretFormat } from './secret';

describe('PAT secrets', () => {
  it('carry a prefix, 256 random bits and a checksum', () => {
    const secret = generateSecret();
    expect(secret).toMatch(SECRET_PATTERN);
    expect(isWellFormedSecret(secret)).toBe(true);
  });

  it("carry an instance's own prefix when it has one, and those made before it keep working", () => {
    const acme = secretFormat('acme_pat_');
    const secret = acme.generate();
    expect(secret).toMatch(/^acme_pat_[0-9A-Za-z]{49}$/);
    expect(acme.isWellFormed(secret)).toBe(true);
    expect(acme.isWellFormed(generateSecret())).toBe(true);
    expect(isWellFormedSecret(secret)).toBe(false);
    expect(acme.isWellFormed(`other_pat_${secret.slice('acme_pat_'.length)}`)).toBe(false);
    expect(acme.isWellFormed(`${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
    expect(recordableText(`curl ${secret}`)).toBe('curl acme_pat_[redacted]');
  });

  it('are different every time', () => {
    const secrets = new Set(Array.from({ length: 1000 }, generateSecret));
    expect(secrets.size).toBe(1000);
  });

  it('reject a typo through the checksum', () => {
    const secret = generateSecret();
    const index = 10;
    const typo = secret.slice(0, index) + (secret[index] === 'a' ? 'b' : 'a') + secret.slice(index + 1);
    expect(isWellFormedSecret(typo)).toBe(false);
    expect(isWellFormedSecret(secret.slice(0, -1))).toBe(false);
    expect(isWellFormedSecret(`ghp_${secret.slice(4)}`)).toBe(false);
  });

  it('keep the checksum of secrets issued before (CRC32, as zlib computes it)', () => {
    expect(isWellFormedSecret('pat_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg37cCQ0')).toBe(true);
    expect(isWellFormedSecret(`pat_${'A'.repeat(43)}0DofJ8`)).toBe(true);
    expect(isWellFormedSecret(`pat_${'A'.repeat(43)}0DofJ9`)).toBe(false);
  });

  it('are stored as a SHA-256 digest', () => {
    expect(digestSecret('pat_x')).toMatch(/^[0-9a-f]{64}$/);
    expect(digestSecret('pat_x')).not.toContain('pat_x');
  });

  it('are masked, and control characters escaped, in what is logged or kept of a request', () => {
    const secret = generateSecret();
    expect(recordableText(`curl/8 ${secret}\u0085\u009b31m\u001b[2J\u007f`)).toBe('curl/8 pat_[redacted]\\u0085\\u009b31m\\u001b[2J\\u007f');
    expect(recordableText('git/2.39.5 (ünïcode ok)')).toBe('git/2.39.5 (ünïcode ok)');
  });
});
