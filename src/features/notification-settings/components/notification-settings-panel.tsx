import Alert from '@cloudscape-design/components/alert';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator, { type StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import Toggle from '@cloudscape-design/components/toggle';
import { Controller, useForm } from 'react-hook-form';
import { EMAIL_CONFIRMATION_HOURS, EMAIL_MAX_LENGTH, type EmailState } from '../../../../contract/access-tokens';
import { EMAIL_ADDRESS } from '../../../../contract/names';
import type { NotificationSettings } from '../../../../contract/schemas';
import { LoadErrorState } from '../../../components/table-parts';
import { errorMessage } from '../../../lib/error-message';
import { useNotificationSettings, useUpdateNotificationSettings } from '../api/notification-settings-queries';

const STATES: Record<EmailState, { type: StatusIndicatorProps.Type; text: string }> = {
  NONE: { type: 'stopped', text: 'No address: nothing is e-mailed' },
  FROM_PROXY: { type: 'success', text: 'From your sign-in' },
  CONFIRMED: { type: 'success', text: 'Confirmed' },
  WAITING: { type: 'pending', text: 'A new address waits for its confirmation' },
};

/** "7 and 1 days", "30, 7 and 1 days". */
const daysText = (days: readonly number[]) =>
  `${days.length > 1 ? `${days.slice(0, -1).join(', ')} and ${days[days.length - 1]}` : String(days[0] ?? '')} day${days.length === 1 && days[0] === 1 ? '' : 's'}`;

/** The service's address rule (shared with it), in the console's words. */
const emailError = (value: string) => {
  const address = value.trim();
  if (address === '') return 'Enter an e-mail address.';
  if (address.length > EMAIL_MAX_LENGTH) return `An address can have at most ${EMAIL_MAX_LENGTH} characters.`;
  return EMAIL_ADDRESS.test(address) ? true : 'Enter an e-mail address, like name@example.com.';
};

function AddressForm({ settings }: { settings: NotificationSettings }) {
  const update = useUpdateNotificationSettings();
  const { control, handleSubmit, reset } = useForm({ defaultValues: { email: '' } });
  const submit = handleSubmit(({ email }) =>
    update.mutate({ email: email.trim() }, { onSuccess: () => reset({ email: '' }) }),
  );
  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <Form
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            {settings.emailState === 'CONFIRMED' || settings.emailState === 'WAITING' ? (
              <Button formAction="none" disabled={update.isPending} onClick={() => update.mutate({ email: '' })}>
                Use the address from my sign-in
              </Button>
            ) : null}
            <Button variant="primary" loading={update.isPending}>
              Send confirmation link
            </Button>
          </SpaceBetween>
        }
        errorText={update.error ? errorMessage(update.error) : undefined}
        errorIconAriaLabel="Error"
      >
        <Controller
          control={control}
          name="email"
          rules={{ validate: emailError }}
          render={({ field, fieldState }) => (
            <FormField
              label="Another address"
              description={`A link is mailed to it; notices go there once you follow the link, within ${EMAIL_CONFIRMATION_HOURS} hours, signed in as yourself.`}
              errorText={fieldState.error?.message}
            >
              <Input
                type="email"
                inputMode="email"
                autoComplete="email"
                value={field.value}
                onChange={({ detail }) => field.onChange(detail.value)}
                onBlur={field.onBlur}
                ref={field.ref}
                invalid={fieldState.invalid}
              />
            </FormField>
          )}
        />
      </Form>
    </form>
  );
}

/** Where the user's notices go, whether they want expiry e-mail, and when it comes. */
export function NotificationSettingsPanel() {
  const settings = useNotificationSettings();
  const update = useUpdateNotificationSettings();
  if (settings.isPending) return <StatusIndicator type="loading">Loading your notification settings</StatusIndicator>;
  if (settings.isError) {
    return <LoadErrorState what="Your notification settings" message={errorMessage(settings.error)} onRetry={() => void settings.refetch()} />;
  }
  const { data } = settings;
  const state = STATES[data.emailState];
  return (
    <SpaceBetween size="l">
      {data.emailAvailable ? null : (
        <Alert type="info" header="This server sends no e-mail">
          Nothing is e-mailed until its administrator gives it a mail server (PAT_CONSOLE_SMTP_URL). Every answer to a request made with a PAT
          still says when that PAT expires, in its X-PAT-Expiration header.
        </Alert>
      )}
      <Container header={<Header variant="h2" description="Where pat-console writes to you about your PATs.">E-mail address</Header>}>
        <SpaceBetween size="l">
          <KeyValuePairs
            columns={2}
            items={[
              { label: 'Notices go to', value: data.email ?? '-' },
              { label: 'Status', value: <StatusIndicator type={state.type}>{state.text}</StatusIndicator> },
              ...(data.pendingEmail
                ? [{ label: 'Waiting for confirmation', value: `${data.pendingEmail}: follow the link mailed to it.` }]
                : []),
            ]}
          />
          {data.emailAvailable ? <AddressForm settings={data} /> : null}
        </SpaceBetween>
      </Container>
      <Container header={<Header variant="h2">Expiry e-mail</Header>}>
        <SpaceBetween size="s">
          <Toggle
            checked={data.expiryEmails}
            disabled={update.isPending}
            onChange={({ detail }) => update.mutate({ expiryEmails: detail.checked })}
            description={`${daysText(data.expiryNoticeDays)} before a PAT expires, and when it has expired. A PAT revoked because it leaked is always e-mailed.`}
          >
            E-mail me before a PAT expires
          </Toggle>
          {update.error && !update.isPending ? (
            <div role="alert">
              <StatusIndicator type="error">{errorMessage(update.error)}</StatusIndicator>
            </div>
          ) : null}
        </SpaceBetween>
      </Container>
    </SpaceBetween>
  );
}
