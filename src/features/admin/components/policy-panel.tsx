import Button from '@cloudscape-design/components/button';
import Checkbox from '@cloudscape-design/components/checkbox';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { Controller, useForm } from 'react-hook-form';
import type { AccessTokenPolicy } from '../../../../contract/schemas';
import { useNotify } from '../../../components/notifications';
import { errorMessage } from '../../../lib/error-message';
import { useAccessTokenPolicy, useUpdatePolicy } from '../api/admin-queries';

interface PolicyValues {
  maxTokenLifetimeYears: string;
  maxLiveTokens: string;
  forbidFullAccess: boolean;
  forbidManageAccessTokens: boolean;
  forbidAccessTokenCreatedTokens: boolean;
}

const wholeNumber = (min: number, max: number) => (value: string) =>
  /^\d+$/.test(value.trim()) && Number(value) >= min && Number(value) <= max ? true : `Enter a whole number from ${min} to ${max}.`;

const LIMITS = [
  { name: 'maxTokenLifetimeYears', label: 'Longest lifetime, in years', min: 1, max: 100 },
  { name: 'maxLiveTokens', label: 'Most PATs per user', min: 1, max: 100_000 },
] as const;

const FLAGS = [
  { name: 'forbidFullAccess', label: 'No PAT with full access', description: 'Every PAT leaves out a permission, or is limited to some repositories or networks.' },
  { name: 'forbidManageAccessTokens', label: 'No PAT that may manage PATs', description: 'A leaked PAT cannot make others.' },
  { name: 'forbidAccessTokenCreatedTokens', label: 'No PAT created with a PAT', description: 'PATs are made in the console only.' },
] as const;

function PolicyForm({ policy }: { policy: AccessTokenPolicy }) {
  const update = useUpdatePolicy();
  const notify = useNotify();
  const { control, handleSubmit } = useForm<PolicyValues>({
    defaultValues: { ...policy, maxTokenLifetimeYears: String(policy.maxTokenLifetimeYears), maxLiveTokens: String(policy.maxLiveTokens) },
  });
  const submit = handleSubmit((values) =>
    update.mutate(
      { ...values, maxTokenLifetimeYears: Number(values.maxTokenLifetimeYears), maxLiveTokens: Number(values.maxLiveTokens) },
      { onSuccess: () => notify({ type: 'success', content: 'Policy saved. It holds for every PAT created or regenerated from now on.' }) },
    ),
  );
  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <Form
        actions={
          <Button variant="primary" loading={update.isPending}>
            Save policy
          </Button>
        }
        errorText={update.error ? errorMessage(update.error) : undefined}
        errorIconAriaLabel="Error"
      >
        <SpaceBetween size="l">
          <ColumnLayout columns={2}>
            {LIMITS.map((limit) => (
              <Controller
                key={limit.name}
                control={control}
                name={limit.name}
                rules={{ validate: wholeNumber(limit.min, limit.max) }}
                render={({ field, fieldState }) => (
                  <FormField label={limit.label} errorText={fieldState.error?.message}>
                    <Input inputMode="numeric" value={field.value} onChange={({ detail }) => field.onChange(detail.value)} onBlur={field.onBlur} ref={field.ref} invalid={fieldState.invalid} />
                  </FormField>
                )}
              />
            ))}
          </ColumnLayout>
          {FLAGS.map((flag) => (
            <Controller
              key={flag.name}
              control={control}
              name={flag.name}
              render={({ field }) => (
                <Checkbox checked={field.value} onChange={({ detail }) => field.onChange(detail.checked)} description={flag.description}>
                  {flag.label}
                </Checkbox>
              )}
            />
          ))}
        </SpaceBetween>
      </Form>
    </form>
  );
}

/** The rules every PAT is held to on create and regenerate; PATs made before stay until they expire or are revoked. */
export function PolicyPanel() {
  const policy = useAccessTokenPolicy();
  return (
    <Container header={<Header variant="h2" description="Held to on every create and regenerate, on every server. PATs made before stay.">Policy</Header>}>
      {policy.data ? (
        <PolicyForm policy={policy.data} />
      ) : policy.isError ? (
        <StatusIndicator type="error">The policy could not be loaded. {errorMessage(policy.error)}</StatusIndicator>
      ) : (
        <StatusIndicator type="loading">Loading the policy</StatusIndicator>
      )}
    </Container>
  );
}
