import { useController, useFormContext, useWatch } from 'react-hook-form';
import { maxExpiryDate, minExpiryDate, type ExpiryPreset } from '../utils/expiry';
import { chosenExpiryDate, customDateProblem } from '../utils/expiry-choice';
import { ExpiryDateField } from './expiry-date-field';

/** The fields an expiry choice keeps in its form (Create's, Regenerate's). */
export interface ExpiryChoiceValues {
  preset: ExpiryPreset;
  customDate: string;
}

/**
 * The expiration field bound to the surrounding form (a FormProvider whose values include
 * ExpiryChoiceValues): the presets, the typed date and its calendar, checked against the range of
 * `today` for a server whose longest lifetime is `lifetimeYears`.
 */
export function ExpiryChoiceField({ today, lifetimeYears }: { today: Date; lifetimeYears: number }) {
  const { control, trigger } = useFormContext<ExpiryChoiceValues>();
  const { field: presetField } = useController({ control, name: 'preset' });
  const { field: dateField, fieldState } = useController({
    control,
    name: 'customDate',
    rules: { validate: (value, values) => values.preset !== 'custom' || (customDateProblem(value, today, lifetimeYears) ?? true) },
  });
  const [preset, customDate] = useWatch({ control, name: ['preset', 'customDate'] });
  return (
    <ExpiryDateField
      preset={presetField.value}
      onPresetChange={(value) => {
        presetField.onChange(value);
        void trigger('customDate');
      }}
      customDate={dateField.value}
      onCustomDateChange={(value) => {
        dateField.onChange(value);
        if (fieldState.error) void trigger('customDate');
      }}
      onCustomDateBlur={dateField.onBlur}
      expiryDate={chosenExpiryDate(today, { preset, customDate }, lifetimeYears)}
      min={minExpiryDate(today)}
      max={maxExpiryDate(today, lifetimeYears)}
      maxLifetimeYears={lifetimeYears}
      errorText={fieldState.error?.message}
    />
  );
}
