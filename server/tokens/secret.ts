import { hash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

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

/** What an instance may put in front of its secrets instead of `pat_`: lowercase, ending in `_` (`acme_pat_`). */
export const INSTANCE_PREFIX = /^[a-z][a-z0-9_]{0,30}_$/;
const BODY_AND_CHECKSUM = new RegExp(`^[0-9A-Za-z]{${BODY_LENGTH + CHECKSUM_LENGTH}}$`);

/**
 * The secrets of an instance: made with its prefix (PAT_CONSOLE_TOKEN_PREFIX, so that scanners tell
 * instances apart), and taken with it or with `pat_`, so PATs made before the prefix keep working.
 */
export function secretFormat(prefix = SECRET_PREFIX) {
  const prefixes = [...new Set([prefix, SECRET_PREFIX])];
  return {
    generate(): string {
      const body = base62(BigInt(`0x${randomBytes(32).toString('hex')}`), BODY_LENGTH);
      return `${prefix}${body}${checksum(body)}`;
    },
    /** True when `secret` has one of the prefixes, then our shape, and its checksum matches. */
    isWellFormed(secret: string): boolean {
      const known = prefixes.find((candidate) => secret.startsWith(candidate));
      if (known === undefined) return false;
      const rest = secret.slice(known.length);
      return BODY_AND_CHECKSUM.test(rest) && rest.slice(BODY_LENGTH) === checksum(rest.slice(0, BODY_LENGTH));
    },
  };
}

const standard = secretFormat();
export const generateSecret = standard.generate;
export const isWellFormedSecret = standard.isWellFormed;

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
