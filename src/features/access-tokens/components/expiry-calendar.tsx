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

interface ExpiryCalendarProps {
  selected: Date | undefined;
  onSelect: (date: Date) => void;
  min: Date;
  max: Date;
}

export function ExpiryCalendar({ selected, onSelect, min, max }: ExpiryCalendarProps) {
  return (
    <DayPicker
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
      labels={{ labelGrid: () => 'Expiration date calendar', labelDayButton: (date) => formatLongDate(date) }}
    />
  );
}
