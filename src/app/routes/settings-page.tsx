import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import { AccessTokensTable } from '../../features/access-tokens/components/access-tokens-table';

export function SettingsPage() {
  return (
    <ContentLayout header={<Header variant="h1">My settings</Header>}>
      <AccessTokensTable />
    </ContentLayout>
  );
}
