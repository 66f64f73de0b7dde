import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import { ConfirmEmailPanel } from '../../features/notification-settings/components/confirm-email-panel';

export function ConfirmEmailPage() {
  return (
    <ContentLayout header={<Header variant="h1">Confirm your e-mail address</Header>}>
      <ConfirmEmailPanel />
    </ContentLayout>
  );
}
