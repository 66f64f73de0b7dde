import { formatLongDate, formatYears, maxExpiryDate, minExpiryDate, parseDateInput, presetExpiryDate, type ExpiryPreset } from './expiry';

// The rules of the expiry field, for Create and Regenerate; apart from expiry.ts, whose helpers the
// first page needs, so that these load with the forms.

const monthName = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric' });

/** For a date in the right shape whose day its month lacks (2027/02/30): how many days that month has. */
function impossibleDay(value: string): string | undefined {
  const match = /^\s*(\d{4})[/-](\d{1,2})[/-](\d{1,2})\s*$/.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return undefined;
  const days = new Date(year, month, 0).getDate();
  return day > days ? `${monthName.format(new Date(year, month - 1, 1))} has ${days} days.` : undefined;
}

/** What is wrong with a typed custom date on `day`, for a server whose longest lifetime is `lifetimeYears`. */
export function customDateProblem(value: string, day: Date, lifetimeYears: number): string | undefined {
  const date = parseDateInput(value);
  if (!date) return impossibleDay(value) ?? 'Enter a valid date, as YYYY/MM/DD.';
  const [first, last] = [minExpiryDate(day), maxExpiryDate(day, lifetimeYears)];
  if (date < first) return `Choose a date after today: ${formatLongDate(first)} or later.`;
  if (date > last) return `A PAT can live ${formatYears(lifetimeYears)} at most: choose ${formatLongDate(last)} or earlier.`;
  return undefined;
}

/** The day a choice of expiry names on `day`, or undefined when a custom date is not valid. */
export function chosenExpiryDate(day: Date, choice: { preset: ExpiryPreset; customDate: string }, lifetimeYears: number): Date | undefined {
  if (choice.preset !== 'custom') return presetExpiryDate(choice.preset, day);
  return customDateProblem(choice.customDate, day, lifetimeYears) === undefined ? parseDateInput(choice.customDate) : undefined;
}
