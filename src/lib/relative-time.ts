const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Largest first: a time is said in the largest unit it fills at least once. */
const UNITS: ReadonlyArray<readonly [Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * DAY],
  ['month', 30 * DAY],
  ['day', DAY],
  ['hour', HOUR],
  ['minute', MINUTE],
];

// The console speaks English; the platform's formatter keeps a date library off the first page.
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'always' });

/** `in 3 days`, `2 hours ago`: how the console says when something happens or happened. */
export function formatRelative(date: Date, now: Date): string {
  const ms = date.getTime() - now.getTime();
  if (Math.abs(ms) < 45_000) return ms < 0 ? 'less than a minute ago' : 'in less than a minute';
  const [unit, size] = UNITS.find(([, unitMs]) => Math.abs(ms) >= unitMs) ?? ['minute', MINUTE];
  // Half a unit rounds away from now in both directions (Math.round alone would not, below zero).
  return relative.format(Math.sign(ms) * Math.round(Math.abs(ms) / size), unit);
}
