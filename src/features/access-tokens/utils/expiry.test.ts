import { describe, expect, it } from 'vitest';
import { formatExactTime, formatExpiry, formatShortDate } from './expiry';

describe('How an expiry is said', () => {
  it('is a day when the PAT stops at the start of one here, as the console sets it', () => {
    const midnight = new Date(2027, 11, 1);
    expect(formatExpiry(midnight)).toBe(formatShortDate(midnight));
  });

  it('is the day and the time when the PAT stops in the middle of one, as the API allows', () => {
    const evening = new Date(2027, 11, 1, 23, 14);
    expect(formatExpiry(evening)).toMatch(/^Dec 1, 2027, (11:14\sPM|23:14)$/);
  });

  it('exactly: in the time zone here, and in UTC', () => {
    const moment = new Date('2027-12-01T22:14:00Z');
    expect(formatExactTime(moment)).toMatch(/2027.*\(2027-12-01T22:14:00Z\)$/);
  });
});
