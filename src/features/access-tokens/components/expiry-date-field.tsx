import Box from '@cloudscape-design/components/box';
import DateInput from '@cloudscape-design/components/date-input';
import FormField from '@cloudscape-design/components/form-field';
import RadioGroup from '@cloudscape-design/components/radio-group';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import { lazy, Suspense } from 'react';
import {
  EXPIRY_PRESETS,
  formatLongDate,
  formatYears,
  parseDateInput,
  toDateInput,
  type ExpiryPreset,
} from '../utils/expiry';

// The calendar only matters to those who choose Custom.
const ExpiryCalendar = lazy(() =>
  import('./expiry-calendar').then(({ ExpiryCalendar }) => ({ default: ExpiryCalendar })),
);

interface ExpiryDateFieldProps {
  preset: ExpiryPreset;
  onPresetChange: (preset: ExpiryPreset) => void;
  customDate: string;
  onCustomDateChange: (value: string) => void;
  onCustomDateBlur: () => void;
  /** The day the token would stop working, when the choice is valid. */
  expiryDate: Date | undefined;
  min: Date;
  max: Date;
  /** The server's longest lifetime for a token. */
  maxLifetimeYears: number;
  errorText?: string;
}

export function ExpiryDateField({
  preset,
  onPresetChange,
  customDate,
  onCustomDateChange,
  onCustomDateBlur,
  expiryDate,
  min,
  max,
  maxLifetimeYears,
  errorText,
}: ExpiryDateFieldProps) {
  const typedDate = parseDateInput(customDate);
  const range = `Choose a date from ${formatLongDate(min)} to ${formatLongDate(max)}.`;
  return (
    <FormField
      label="Expiration date"
      description="The PAT stops working at the start of this day, in your time zone."
      constraintText={preset === 'custom' ? `${range} Earlier and later dates are unavailable: the longest a PAT can live is ${formatYears(maxLifetimeYears)}.` : undefined}
      errorText={errorText}
    >
      <SpaceBetween size="s">
        <RadioGroup
          ariaLabel="Expiration"
          value={preset}
          onChange={({ detail }) => onPresetChange(detail.value as ExpiryPreset)}
          items={EXPIRY_PRESETS}
        />
        {preset === 'custom' && (
          <SpaceBetween size="xs">
            <DateInput
              ariaLabel="Custom expiration date"
              placeholder="YYYY/MM/DD"
              value={customDate}
              onChange={({ detail }) => onCustomDateChange(detail.value)}
              onBlur={onCustomDateBlur}
              invalid={Boolean(errorText)}
            />
            <Suspense fallback={<Spinner />}>
              <ExpiryCalendar
                // A typed date in another month brings the calendar to that month.
                key={typedDate ? toDateInput(typedDate).slice(0, 7) : 'none'}
                selected={typedDate}
                onSelect={(date) => onCustomDateChange(toDateInput(date))}
                min={min}
                max={max}
              />
            </Suspense>
          </SpaceBetween>
        )}
        <div role="status">
          <Box variant="strong">
            {expiryDate ? `Expires on ${formatLongDate(expiryDate)}` : 'Choose a valid date'}
          </Box>
        </div>
      </SpaceBetween>
    </FormField>
  );
}
