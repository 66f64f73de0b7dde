import { hash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { SECRET_PATTERN } from '../../contract/access-tokens';

/**
 * Secrets look like GitHub's tokens: a prefix secret scanners can match, 256 random bits, and a
 * CRC32 checksum, so a typo or a made-up string is refused before any lookup.
 */
export const SECRET_PREFIX = 'pat_';
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BODY_LENGTH = 43; // 62^43 > 2^256
const CHECKSUM_LENGTH = 6; // 62^6 > 2^32

function base62(value: bigint, length: number): string {
  let out = '';
  let rest = value;
  for (let index = 0; index < length; index += 1) {
    out = ALPHABET[Number(rest % 62n)] + out;
    rest /= 62n;
  }
  return out;
}

/** The checksum in base62, in plain numbers: it is computed on every authenticated request. */
function checksum(body: string): string {
  let out = '';
  let rest = crc32(body);
  for (let index = 0; index < CHECKSUM_LENGTH; index += 1) {
    out = ALPHABET[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

export function generateSecret(): string {
  const body = base62(BigInt(`0x${randomBytes(32).toString('hex')}`), BODY_LENGTH);
  return `${SECRET_PREFIX}${body}${checksum(body)}`;
}

/** True when `secret` has our shape and its checksum matches. */
export function isWellFormedSecret(secret: string): boolean {
  if (!SECRET_PATTERN.test(secret)) return false;
  const body = secret.slice(SECRET_PREFIX.length, SECRET_PREFIX.length + BODY_LENGTH);
  return secret.slice(-CHECKSUM_LENGTH) === checksum(body);
}

/** What is stored and looked up: the secret itself is never kept. */
export const digestSecret = (secret: string): string => hash('sha256', secret, 'hex');

/** Anything shaped like a secret, wherever a client put it (a URL, a User-Agent). */
const SECRET_IN_TEXT = /pat_[0-9A-Za-z]+/g;

// eslint-disable-next-line no-control-regex -- the point: C0 and C1 controls and DEL, which a terminal or log viewer acts on.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * `text` from a client as it may be logged or kept (a URL, a User-Agent): secrets masked, and
 * control characters escaped as `\u0085`, since JSON leaves C1 controls raw.
 */
export const recordableText = (text: string) =>
  text.replace(SECRET_IN_TEXT, 'pat_[redacted]').replace(CONTROL, (control) => `\\u${control.charCodeAt(0).toString(16).padStart(4, '0')}`);
