import { describe, expect, it } from 'vitest';
import { maxExpiry, validateCreateAccessToken, validateListAccessTokens } from './api-contract';

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
    [{ name: 'x'.repeat(101) }, 'name must be at most 100 characters.'],
    [{ name: 42 }, 'name must be a string.'],
    [{}, 'name must be a string.'],
    [[], 'The request body must be a JSON object.'],
    [{ name: 'a', expiresTime: 'tomorrow' }, 'expiresTime must be an RFC 3339 timestamp.'],
    [{ name: 'a', expiresTime: 1_800_000_000 }, 'expiresTime must be an RFC 3339 timestamp.'],
    [{ name: 'a', expiresTime: '2026-11-26T11:59:59Z' }, 'expiresTime must be in the future.'],
    [{ name: 'a', expiresTime: '2027-11-26T12:00:01Z' }, 'expiresTime must be at most 1 year(s) from now.'],
  ])('refuses %j', (body, message) => {
    expect(validateCreateAccessToken(body, now)).toEqual({ ok: false, message });
  });

  it('accepts 100 characters and the last moment of the year', () => {
    expect(validateCreateAccessToken({ name: 'x'.repeat(100), expiresTime: '2027-11-26T12:00:00Z' }, now).ok).toBe(true);
    expect(validateCreateAccessToken({ name: 'a', expiresTime: '2027-11-26T13:00:00+01:00' }, now).ok).toBe(true);
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
