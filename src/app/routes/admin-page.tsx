import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { AdminLogTable } from '../../features/admin/components/admin-log-table';
import { AdminTokensTable } from '../../features/admin/components/admin-tokens-table';
import { PolicyPanel } from '../../features/admin/components/policy-panel';

export function AdminPage() {
  return (
    <ContentLayout header={<Header variant="h1" description="Every user's PATs, the rules they are held to, and what admins did.">Admin</Header>}>
      <SpaceBetween size="l">
        <AdminTokensTable />
        <PolicyPanel />
        <AdminLogTable />
      </SpaceBetween>
    </ContentLayout>
  );
}
