import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { useEffect, useState } from 'react';
import { useLocation } from 'wouter';
import { useNotify } from '../../../components/notifications';
import { errorMessage } from '../../../lib/error-message';
import { paths } from '../../../lib/paths';
import { useConfirmNotificationEmail, useNotificationSettings } from '../api/notification-settings-queries';

/** The token of the link, read from the fragment (where no server sees it), then taken out of the address bar. */
function useLinkToken(): string | null {
  const [, navigate] = useLocation();
  const [token] = useState(() => new URLSearchParams(window.location.hash.slice(1)).get('token'));
  // Once shown: a render that suspends before it is shown would read the fragment again.
  useEffect(() => {
    if (window.location.hash) navigate(paths.confirmEmail, { replace: true });
  }, [navigate]);
  return token;
}

/**
 * The page the confirmation mail links to. It asks before it confirms: a mail scanner that follows
 * the link confirms nothing.
 */
export function ConfirmEmailPanel() {
  const token = useLinkToken();
  const settings = useNotificationSettings();
  const confirm = useConfirmNotificationEmail();
  const notify = useNotify();
  const [, navigate] = useLocation();
  const pending = settings.data?.pendingEmail;

  if (!token) {
    return (
      <Alert type="error" header="This link has no confirmation in it">
        Open the link from the mail exactly as it was sent, or set the address again on the Notifications page for a new one.
      </Alert>
    );
  }
  if (settings.isPending) return <StatusIndicator type="loading">Loading your notification settings</StatusIndicator>;

  const onConfirm = () =>
    confirm.mutate(token, {
      onSuccess: (confirmed) => {
        notify({ type: 'success', content: `Notices about your PATs now go to ${confirmed.email ?? 'the new address'}.` }, { onNextPage: true });
        navigate(paths.notifications);
      },
    });

  return (
    <Container header={<Header variant="h2">{pending ? `Send notices to ${pending}?` : 'Confirm your address'}</Header>}>
      <SpaceBetween size="m">
        <Box variant="p">
          {pending
            ? `Notices about your PATs (expiry, and a PAT revoked because it leaked) will go to ${pending} instead of ${settings.data?.email ?? 'nowhere'}.`
            : 'No address is waiting for its confirmation: it was confirmed already, or replaced by another.'}
        </Box>
        {confirm.error ? (
          <Alert type="error" header="Not confirmed">
            {errorMessage(confirm.error)}
          </Alert>
        ) : null}
        <SpaceBetween direction="horizontal" size="xs">
          <Button variant="primary" loading={confirm.isPending} disabled={!pending} onClick={onConfirm}>
            Confirm address
          </Button>
          <Button
            variant="link"
            href={paths.notifications}
            onFollow={(event) => {
              event.preventDefault();
              navigate(paths.notifications);
            }}
          >
            Cancel
          </Button>
        </SpaceBetween>
      </SpaceBetween>
    </Container>
  );
}
