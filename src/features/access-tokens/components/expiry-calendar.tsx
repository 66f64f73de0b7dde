import {
  borderRadiusButton,
  colorBackgroundItemSelected,
  colorTextAccent,
  colorTextBodyDefault,
  fontFamilyBase,
} from '@cloudscape-design/design-tokens';
import type { CSSProperties } from 'react';
import { DayPicker } from 'react-day-picker';
import 'react-day-picker/style.css';
import { formatLongDate } from '../utils/expiry';

// Cloudscape's tokens are CSS variables that switch with the light and dark mode.
const theme = {
  '--rdp-accent-color': colorTextAccent,
  '--rdp-accent-background-color': colorBackgroundItemSelected,
  '--rdp-day-height': '36px',
  '--rdp-day-width': '36px',
  '--rdp-day_button-height': '34px',
  '--rdp-day_button-width': '34px',
  '--rdp-day_button-border-radius': borderRadiusButton,
  color: colorTextBodyDefault,
  fontFamily: fontFamilyBase,
} as CSSProperties;

// Where the browser cannot say which day starts the week (no Intl weekInfo), these regions start on Sunday.
const SUNDAY_FIRST_REGIONS = new Set(['US', 'CA', 'MX', 'BR', 'JP', 'KR', 'TW', 'HK', 'IL', 'IN', 'PH', 'ZA', 'SA']);

/** The first day of the week where `locale` is spoken, as react-day-picker counts it (0 = Sunday). */
export function firstDayOfWeek(locale: string): 0 | 1 | 2 | 3 | 4 | 5 | 6 {
  try {
    const info = new Intl.Locale(locale) as Intl.Locale & {
      getWeekInfo?: () => { firstDay: number };
      weekInfo?: { firstDay: number };
    };
    const firstDay = info.getWeekInfo?.().firstDay ?? info.weekInfo?.firstDay;
    if (firstDay !== undefined) return (firstDay % 7) as 0 | 1 | 2 | 3 | 4 | 5 | 6;
    return SUNDAY_FIRST_REGIONS.has(info.maximize().region ?? '') ? 0 : 1;
  } catch {
    return 0;
  }
}

interface ExpiryCalendarProps {
  selected: Date | undefined;
  onSelect: (date: Date) => void;
  min: Date;
  max: Date;
  /** The user's language, as for every date the console shows. */
  locale?: string;
}

export function ExpiryCalendar({ selected, onSelect, min, max, locale = navigator.language }: ExpiryCalendarProps) {
  const caption = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric' });
  const weekday = new Intl.DateTimeFormat(locale, { weekday: 'short' });
  const weekdayLong = new Intl.DateTimeFormat(locale, { weekday: 'long' });
  return (
    <DayPicker
      lang={locale}
      weekStartsOn={firstDayOfWeek(locale)}
      formatters={{ formatCaption: (month) => caption.format(month), formatWeekdayName: (day) => weekday.format(day) }}
      style={theme}
      mode="single"
      required
      selected={selected}
      onSelect={onSelect}
      defaultMonth={selected ?? min}
      startMonth={min}
      endMonth={max}
      disabled={[{ before: min }, { after: max }]}
      // Day names match the "Expires on" summary, so what is heard is what is shown.
      labels={{
        labelGrid: () => 'Expiration date calendar',
        labelDayButton: (date) => formatLongDate(date),
        labelWeekday: (date) => weekdayLong.format(date),
      }}
    />
  );
}
