import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import { useHistoryLocation } from '../../components/navigation';
import { AccessTokensTable } from '../../features/access-tokens/components/access-tokens-table';

export function SettingsPage() {
  const { state } = useHistoryLocation();
  const created = typeof state === 'object' && state !== null && 'createdTokenName' in state ? String(state.createdTokenName) : undefined;
  return (
    <ContentLayout header={<Header variant="h1">My settings</Header>}>
      <AccessTokensTable focusTokenName={created} />
    </ContentLayout>
  );
}
