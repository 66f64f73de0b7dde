import { Controller, useFormContext } from 'react-hook-form';
import { ACCESS_TOKEN_DESCRIPTION_MAX_LENGTH } from '../../../../contract/access-tokens';
import { countCharacters, descriptionProblem, normalizeDescription } from '../../../../contract/names';
import { OptionalTextField } from '../../../components/optional-text-field';

export interface DescriptionValues {
  description: string;
}

/** The service's description rules (shared with it), in the console's words. */
function descriptionError(value: string): string | undefined {
  const problem = descriptionProblem(value);
  if (!problem) return undefined;
  return problem.kind === 'too-long'
    ? `The description can have at most ${ACCESS_TOKEN_DESCRIPTION_MAX_LENGTH} characters; it has ${problem.length}.`
    : `The description can't contain control or text-direction characters other than line breaks and tabs (it has ${problem.codePoint}).`;
}

/**
 * Our extension, as GitHub's "Note": what the PAT is for, optional. Bound to the surrounding form (a
 * FormProvider whose values include DescriptionValues).
 */
export function DescriptionField() {
  const { control } = useFormContext<DescriptionValues>();
  return (
    <Controller
      control={control}
      name="description"
      rules={{ validate: (value) => descriptionError(value) ?? true }}
      render={({ field, fieldState }) => (
        <OptionalTextField
          label="Description"
          description="What the PAT is for, for you and whoever looks after it later."
          constraintText={`${countCharacters(normalizeDescription(field.value))}/${ACCESS_TOKEN_DESCRIPTION_MAX_LENGTH} characters.`}
          rows={3}
          value={field.value}
          onChange={field.onChange}
          onBlur={field.onBlur}
          inputRef={field.ref}
          error={fieldState.error?.message}
        />
      )}
    />
  );
}
