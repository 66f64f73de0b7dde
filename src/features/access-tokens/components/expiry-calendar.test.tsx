import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as designTokens from '@cloudscape-design/design-tokens';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ExpiryCalendar, firstDayOfWeek } from './expiry-calendar';

describe('the expiry calendar theme', () => {
  it('uses design tokens whose CSS variables the installed Cloudscape components define', () => {
    // The two packages are released in pairs; a mismatched pair leaves the calendar light in dark mode.
    const require = createRequire(import.meta.url);
    const componentsDir = dirname(require.resolve('@cloudscape-design/components/package.json'));
    const componentTokens = readFileSync(join(componentsDir, 'internal/generated/styles/tokens.js'), 'utf8');
    for (const token of [designTokens.colorTextAccent, designTokens.colorTextBodyDefault]) {
      expect(componentTokens).toContain(token);
    }
  });
});

describe('the expiry calendar in the user’s language', () => {
  const march = { selected: new Date(2027, 2, 10), onSelect: () => undefined, min: new Date(2027, 0, 1), max: new Date(2027, 11, 31) };

  it('names months and weekdays in German, and starts the week on Monday', () => {
    render(<ExpiryCalendar {...march} locale="de-DE" />);
    expect(screen.getByText('März 2027')).toBeVisible();
    const grid = screen.getByRole('grid', { name: 'Expiration date calendar' });
    const weekdays = within(grid).getAllByRole('columnheader', { hidden: true }).map((header) => header.textContent);
    // ICU versions differ on the trailing dot of an abbreviation.
    expect(weekdays.map((name) => name?.replace('.', ''))).toEqual(['Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So']);
  });

  it('starts the week on Sunday in the United States', () => {
    render(<ExpiryCalendar {...march} locale="en-US" />);
    expect(screen.getByText('March 2027')).toBeVisible();
    const weekdays = within(screen.getByRole('grid')).getAllByRole('columnheader', { hidden: true }).map((header) => header.textContent);
    expect(weekdays[0]).toBe('Sun');
  });

  it.each([
    ['en-US', 0],
    ['en-GB', 1],
    ['de-DE', 1],
    ['ar-EG', 6],
    ['not a locale', 0],
  ])('knows where the week starts for %s', (locale, day) => {
    expect(firstDayOfWeek(locale)).toBe(day);
  });
});
