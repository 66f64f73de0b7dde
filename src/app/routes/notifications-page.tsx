import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import { NotificationSettingsPanel } from '../../features/notification-settings/components/notification-settings-panel';

export function NotificationsPage() {
  return (
    <ContentLayout header={<Header variant="h1" description="What pat-console tells you about your PATs, and where.">Notifications</Header>}>
      <NotificationSettingsPanel />
    </ContentLayout>
  );
}
