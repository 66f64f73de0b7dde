import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { RepositoriesTable } from '../../features/repositories/components/repositories-table';
import { useCurrentUser } from '../../features/user/api/use-current-user';

export function RepositoriesPage() {
  const user = useCurrentUser();
  return (
    <ContentLayout header={<Header variant="h1">Git repositories</Header>}>
      {user.data ? <RepositoriesTable userName={user.data.userName} /> : <StatusIndicator type="loading">Loading</StatusIndicator>}
    </ContentLayout>
  );
}
