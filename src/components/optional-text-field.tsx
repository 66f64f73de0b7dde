import FormField from '@cloudscape-design/components/form-field';
import Textarea from '@cloudscape-design/components/textarea';
import type { ReactNode } from 'react';
import type { RefCallBack } from 'react-hook-form';

interface OptionalTextFieldProps {
  label: string;
  description: string;
  constraintText?: ReactNode;
  rows: number;
  /** The field as a Controller's render gives it, and what is wrong with it. */
  value: string;
  onChange: (value: string) => void;
  onBlur: () => void;
  inputRef: RefCallBack;
  error: string | undefined;
}

/** An optional free-text field, as Cloudscape marks one, bound to a react-hook-form Controller. */
export function OptionalTextField({ label, description, constraintText, rows, value, onChange, onBlur, inputRef, error }: OptionalTextFieldProps) {
  return (
    <FormField
      label={
        <>
          {label} <i>- optional</i>
        </>
      }
      description={description}
      constraintText={constraintText}
      errorText={error}
    >
      <Textarea ref={inputRef} value={value} onChange={({ detail }) => onChange(detail.value)} onBlur={onBlur} invalid={error !== undefined} rows={rows} />
    </FormField>
  );
}
