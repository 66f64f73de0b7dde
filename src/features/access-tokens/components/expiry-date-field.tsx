import Box from '@cloudscape-design/components/box';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import RadioGroup from '@cloudscape-design/components/radio-group';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import { Suspense } from 'react';
import { lazyPart } from '../../../components/lazy-part';
import {
  EXPIRY_PRESETS,
  formatLongDate,
  formatYears,
  parseDateInput,
  toDateInput,
  type ExpiryPreset,
} from '../utils/expiry';

// The calendar only matters to those who choose Custom.
const ExpiryCalendar = lazyPart(() => import('./expiry-calendar').then(({ ExpiryCalendar }) => ExpiryCalendar), {
  what: 'The calendar',
});

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
            {/* A plain input, not DateInput: DateInput completes and corrects what is typed (2027 becomes
                2027/01/01), and a date the user did not mean must be an error, not a guess. */}
            <Input
              ariaLabel="Custom expiration date"
              placeholder="YYYY/MM/DD"
              value={customDate}
              onChange={({ detail }) => onCustomDateChange(detail.value)}
              onBlur={onCustomDateBlur}
              invalid={Boolean(errorText)}
              autoComplete={false}
              spellcheck={false}
            />
            <Suspense fallback={<Spinner />}>
              <ExpiryCalendar
                // A typed date in another month brings the calendar to that month.
                key={typedDate ? `${typedDate.getFullYear()}-${typedDate.getMonth()}` : 'none'}
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
