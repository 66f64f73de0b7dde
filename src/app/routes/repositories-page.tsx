import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { PlainHttpAlert } from '../../components/plain-http-alert';
import { RepositoriesTable } from '../../features/repositories/components/repositories-table';
import { useCurrentUser } from '../../features/user/api/use-current-user';

export function RepositoriesPage() {
  const user = useCurrentUser();
  return (
    <ContentLayout header={<Header variant="h1">Git repositories</Header>}>
      <SpaceBetween size="l">
        <PlainHttpAlert />
        {user.data ? <RepositoriesTable userName={user.data.userName} /> : <StatusIndicator type="loading">Loading</StatusIndicator>}
      </SpaceBetween>
    </ContentLayout>
  );
}
