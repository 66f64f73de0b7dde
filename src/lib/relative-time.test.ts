import { describe, expect, it } from 'vitest';
import { formatRelative } from './relative-time';

const now = new Date('2026-06-15T12:00:00Z');
const at = (ms: number) => new Date(now.getTime() + ms);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('formatRelative', () => {
  it.each([
    [-10_000, 'less than a minute ago'],
    [10_000, 'in less than a minute'],
    [50_000, 'in 1 minute'],
    [-5 * MINUTE, '5 minutes ago'],
    [-2 * HOUR - 10 * MINUTE, '2 hours ago'],
    [-90 * MINUTE, '2 hours ago'],
    [3 * DAY, 'in 3 days'],
    [-3 * DAY - 2 * HOUR, '3 days ago'],
    [45 * DAY, 'in 2 months'],
    [364 * DAY, 'in 12 months'],
    [365 * DAY, 'in 1 year'],
    [-800 * DAY, '2 years ago'],
  ])('says %d ms from now as "%s"', (offset, expected) => {
    expect(formatRelative(at(offset), now)).toBe(expected);
  });
});
