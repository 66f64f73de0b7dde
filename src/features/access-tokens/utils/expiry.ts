import { addDays, addYears, startOfDay } from 'date-fns';

/** A token with at most this many days left warns in its row, and the banner above the table counts it. */
export const EXPIRING_SOON_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The one rule for "expires soon", so no row warns without the banner explaining it. */
export const expiresSoon = (expiresTime: string | undefined, now: Date) =>
  expiresTime !== undefined && Date.parse(expiresTime) - now.getTime() <= EXPIRING_SOON_DAYS * DAY_MS;

export type ExpiryPreset = '30' | '60' | '90' | '365' | 'custom';

export const DEFAULT_EXPIRY_PRESET: ExpiryPreset = '365';

export const EXPIRY_PRESETS: ReadonlyArray<{ value: ExpiryPreset; label: string }> = [
  { value: '30', label: '30 days' },
  { value: '60', label: '60 days' },
  { value: '90', label: '90 days' },
  { value: '365', label: '1 year (default)' },
  { value: 'custom', label: 'Custom' },
];

/** The first day a new token can stop working: tomorrow, so it is not dead on arrival. */
export const minExpiryDate = (now: Date) => addDays(startOfDay(now), 1);

/** The last day the service accepts: its limit is `lifetimeYears` from the moment of creation. */
export const maxExpiryDate = (now: Date, lifetimeYears: number) => addYears(startOfDay(now), lifetimeYears);

export function presetExpiryDate(preset: Exclude<ExpiryPreset, 'custom'>, now: Date): Date {
  return preset === '365' ? addYears(startOfDay(now), 1) : addDays(startOfDay(now), Number(preset));
}

export const formatYears = (years: number) => (years === 1 ? 'one year' : `${years} years`);

/**
 * A typed date, `YYYY/MM/DD` (or with dashes), as the local day it names; undefined for anything
 * unfinished or impossible, which is never rounded into some other day.
 */
export function parseDateInput(value: string): Date | undefined {
  const match = /^\s*(\d{4})[/-](\d{1,2})[/-](\d{1,2})\s*$/.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(year, month - 1, day);
  const exists = date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day;
  return exists ? date : undefined;
}

export const toDateInput = (date: Date) =>
  [date.getFullYear(), date.getMonth() + 1, date.getDate()]
    .map((part, index) => String(part).padStart(index === 0 ? 4 : 2, '0'))
    .join('/');

/** The token stops working when the chosen day begins in the user's time zone. */
export const toExpiresTime = (date: Date) => startOfDay(date).toISOString();

const longDate = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  month: 'short',
  day: 'numeric',
  year: 'numeric',
});
const shortDate = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

const shortDateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const longDateTime = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
});
const exactTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeStyle: 'long' });

export const formatLongDate = (date: Date) => longDate.format(date);
export const formatShortDate = (date: Date) => shortDate.format(date);

/** A moment to the minute: "Dec 1, 2027, 11:14 PM" in the user's locale. */
export const formatDayAndTime = (date: Date) => shortDateTime.format(date);

const startsADay = (date: Date) => date.getTime() === startOfDay(date).getTime();

/**
 * An expiry as a person reads it: the day when the PAT stops at the start of it here (as the
 * console sets it), or the day and the time (a PAT made through the API may stop at any minute).
 */
export const formatExpiry = (date: Date, style: 'short' | 'long' = 'short'): string =>
  (startsADay(date) ? (style === 'long' ? longDate : shortDate) : style === 'long' ? longDateTime : shortDateTime).format(date);

const timeOfDay = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

/** The same as formatExpiry's short form, as the day and, unless it starts a day, the time: a line may break between them only. */
export const expiryParts = (date: Date): [string] | [string, string] =>
  startsADay(date) ? [shortDate.format(date)] : [shortDate.format(date), timeOfDay.format(date)];

/** The exact moment, in the user's time zone and in UTC: what two people in two zones agree on. */
export const formatExactTime = (date: Date) => `${exactTime.format(date)} (${date.toISOString().replace('.000Z', 'Z')})`;
