import { describe, expect, it } from 'vitest';
import { countCharacters, descriptionProblem, normalizeDescription, normalizeTokenName, tokenNameProblem } from './names';
import { maxExpiry, parseTimestamp, validateCreateAccessToken, validateListAccessTokens, validateRegenerateAccessToken } from './validation';

const now = new Date('2026-11-26T12:00:00.000Z');

describe('the wire contract', () => {
  it('defaults the expiry to one year from now and trims the name', () => {
    expect(validateCreateAccessToken({ name: '  ci  ' }, now)).toEqual({
      ok: true,
      value: { name: 'ci', expiresAt: new Date('2027-11-26T12:00:00.000Z') },
    });
  });

  it.each([
    [{ name: '' }, 'name must not be empty.'],
    [{ name: '   ' }, 'name must not be empty.'],
    [{ name: 'x'.repeat(101) }, 'name must be at most 100 characters; it has 101.'],
    [{ name: 42 }, 'name is not valid: expected string.'],
    [{}, 'name is not valid: expected required property.'],
    [[], 'The request body must be a JSON object.'],
    [{ name: 'a', expiresTime: 'tomorrow' }, 'expiresTime must be an RFC 3339 timestamp of a real date and time.'],
    [{ name: 'a', expiresTime: 1_800_000_000 }, 'expiresTime is not valid: expected string.'],
    [{ name: 'a', expiresTime: '2027-02-30T00:00:00Z' }, 'expiresTime must be an RFC 3339 timestamp of a real date and time.'],
    [{ name: 'a', expiresTime: '2026-11-26T11:59:59Z' }, 'expiresTime must be in the future.'],
    [{ name: 'a', expiresTime: '2027-11-26T12:00:01Z' }, 'expiresTime must be at most 1 year(s) from now.'],
  ])('refuses %j', (body, message) => {
    expect(validateCreateAccessToken(body, now)).toEqual({ ok: false, message });
  });

  it('accepts 100 characters and the last moment of the year', () => {
    expect(validateCreateAccessToken({ name: 'x'.repeat(100), expiresTime: '2027-11-26T12:00:00Z' }, now).ok).toBe(true);
    expect(validateCreateAccessToken({ name: 'a', expiresTime: '2027-11-26T13:00:00+01:00' }, now).ok).toBe(true);
  });

  it('takes a longer lifetime when the server allows one', () => {
    expect(validateCreateAccessToken({ name: 'a', expiresTime: '2028-11-26T12:00:00Z' }, now, 2).ok).toBe(true);
    expect(validateCreateAccessToken({ name: 'a', expiresTime: '2028-11-26T12:00:00Z' }, now, 1).ok).toBe(false);
  });

  it('adds a calendar year to find the latest expiry', () => {
    expect(maxExpiry(new Date('2028-02-29T00:00:00Z')).toISOString()).toBe('2029-03-01T00:00:00.000Z');
  });

  it.each([undefined, null, '', {}])('lists 10 a page when asked with %j', (body) => {
    expect(validateListAccessTokens(body)).toEqual({ ok: true, value: { maxResults: 10, nextToken: undefined } });
  });

  it.each([{ maxResults: 0 }, { maxResults: 11 }, { maxResults: 2.5 }, { maxResults: '5' }, { nextToken: '' }, { nextToken: 5 }, 'x'])(
    'refuses the list request %j',
    (body) => {
      expect(validateListAccessTokens(body).ok).toBe(false);
    },
  );
});

describe('timestamps', () => {
  it.each(['2028-02-29T00:00:00Z', '2027-12-31T23:59:59.999Z', '2027-06-01T10:00:00+14:00', '2027-06-01t10:00:00z'])(
    'accepts %s',
    (text) => {
      expect(parseTimestamp(text)?.getTime()).toBe(Date.parse(text));
    },
  );

  it.each([
    '2027-02-29T00:00:00Z',
    '2027-02-30T00:00:00Z',
    '2027-04-31T00:00:00Z',
    '2027-13-01T00:00:00Z',
    '2027-00-10T00:00:00Z',
    '2027-06-01T24:00:00Z',
    '2027-06-01T10:60:00Z',
    '2027-06-01T10:00:60Z',
    '2027-06-01T10:00:00+24:00',
    '2027-06-01',
    '2027-06-01T10:00:00',
  ])('refuses %s, which names no moment', (text) => {
    expect(parseTimestamp(text)).toBeUndefined();
  });
});

describe('token names', () => {
  it('are stored in NFC, trimmed', () => {
    expect(normalizeTokenName(' Cafe\u0301 ')).toBe('Caf\u00e9');
    expect(validateCreateAccessToken({ name: 'Cafe\u0301' }, now)).toMatchObject({ ok: true, value: { name: 'Caf\u00e9' } });
  });

  it('count characters as people see them: grapheme clusters, never UTF-16 units', () => {
    expect(countCharacters('😀'.repeat(51))).toBe(51);
    // A ZWJ sequence, a skin tone and a combining accent are one character each.
    expect(countCharacters('👩‍💻👍🏽e\u0301')).toBe(3);
    expect(tokenNameProblem('👩‍💻'.repeat(100))).toBeUndefined();
    expect(tokenNameProblem('👩‍💻'.repeat(101))).toEqual({ kind: 'too-long', length: 101 });
    expect(tokenNameProblem('😀'.repeat(100))).toBeUndefined();
    expect(tokenNameProblem('😀'.repeat(101))).toEqual({ kind: 'too-long', length: 101 });
  });

  it.each([
    ['NUL', 'a\u0000b', 'U+0000'],
    ['ESC', 'a\u001b[31mred', 'U+001B'],
    ['CR/LF', 'one\r\ntwo', 'U+000D'],
    ['a right-to-left override', 'invoice\u202Etxt.exe', 'U+202E'],
    ['a directional isolate', 'a\u2066b', 'U+2066'],
    ['a line separator', 'a\u2028b', 'U+2028'],
    ['a lone surrogate', 'half \uD800 pair', 'U+D800'],
  ])('refuse %s', (_what, name, codePoint) => {
    expect(tokenNameProblem(name)).toEqual({ kind: 'forbidden', codePoint });
    expect(validateCreateAccessToken({ name }, now)).toMatchObject({ ok: false, message: expect.stringContaining(codePoint) });
  });

  it.each([
    ['a zero-width space alone', '\u200B', 'U+200B'],
    ['a zero-width space inside', 'lap\u200Btop', 'U+200B'],
    ['a soft hyphen', 'lap\u00ADtop', 'U+00AD'],
    ['a word joiner', 'laptop\u2060', 'U+2060'],
    ['a tag character', 'laptop\u{E0041}', 'U+E0041'],
    ['a Hangul filler', 'a\u3164b', 'U+3164'],
    ['a joiner between letters', 'a\u200Db', 'U+200D'],
    ['a variation selector after a letter', 'a\uFE0F', 'U+FE0F'],
  ])('refuse %s', (_what, name, codePoint) => {
    expect(tokenNameProblem(name)).toEqual({ kind: 'ignorable', codePoint });
    expect(validateCreateAccessToken({ name }, now)).toMatchObject({ ok: false, message: expect.stringContaining(codePoint) });
  });

  it.each(['\u2800', '\u0301', ' \u0301\u0308 ', '\u2800\u2800'])('refuse a name with no visible base character (%j)', (name) => {
    expect(tokenNameProblem(name)).toEqual({ kind: 'invisible' });
  });

  it.each(['👨‍👩‍👧 family', '❤️ heart', '1️⃣ first', '👍🏽 ok', 'Ünïcödé', '日本語のトークン', 'laptop-git_2', '⠁ braille a'])('accept %s', (name) => {
    expect(tokenNameProblem(name)).toBeUndefined();
  });
});

describe('descriptions (our extension)', () => {
  it('keep line breaks and tabs, in NFC, trimmed, CRLF as LF; empty is none', () => {
    expect(normalizeDescription('  Deploys\r\n\tthe Cafe\u0301 site\r  ')).toBe('Deploys\n\tthe Café site');
    expect(validateCreateAccessToken({ name: 'ci', description: ' \n ' }, now)).toMatchObject({ ok: true, value: { description: undefined } });
    expect(validateRegenerateAccessToken({ description: ' \n ' }, now)).toMatchObject({ ok: true, value: { description: '' } });
    expect(validateRegenerateAccessToken({}, now)).toMatchObject({ ok: true, value: { description: undefined } });
  });

  it('count characters, not UTF-16 units, up to 1,000', () => {
    expect(descriptionProblem('🔑'.repeat(1000))).toBeUndefined();
    expect(descriptionProblem('🔑'.repeat(1001))).toEqual({ kind: 'too-long', length: 1001 });
  });

  it('refuse controls, text-direction overrides and lone surrogates, naming the character', () => {
    expect(descriptionProblem('a\u0000b')).toEqual({ kind: 'forbidden', codePoint: 'U+0000' });
    expect(descriptionProblem('evil\u202Egpj.exe')).toEqual({ kind: 'forbidden', codePoint: 'U+202E' });
    expect(descriptionProblem('half \uD83D')).toEqual({ kind: 'forbidden', codePoint: 'U+D83D' });
    expect(validateCreateAccessToken({ name: 'ci', description: 'esc\u001b[31m' }, now)).toEqual({
      ok: false,
      message: 'description must not contain control or text-direction characters other than line breaks and tabs (U+001B).',
    });
  });
});
