import { formatLongDate, formatYears, maxExpiryDate, minExpiryDate, parseDateInput, presetExpiryDate, type ExpiryPreset } from './expiry';

// The rules of the expiry field, for Create and Regenerate; apart from expiry.ts, whose helpers the
// first page needs, so that these load with the forms.

/** What is wrong with a typed custom date on `day`, for a server whose longest lifetime is `lifetimeYears`. */
export function customDateProblem(value: string, day: Date, lifetimeYears: number): string | undefined {
  const date = parseDateInput(value);
  if (!date) return 'Enter a valid date, as YYYY/MM/DD.';
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
