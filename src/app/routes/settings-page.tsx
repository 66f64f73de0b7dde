import Button from '@cloudscape-design/components/button';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import { useHistoryLocation } from '../../components/navigation';
import { useRouterFollow } from '../../components/use-router-follow';
import { AccessTokensTable } from '../../features/access-tokens/components/access-tokens-table';
import { paths } from '../../lib/paths';

export function SettingsPage() {
  const follow = useRouterFollow();
  const { state } = useHistoryLocation();
  const created = typeof state === 'object' && state !== null && 'createdTokenName' in state ? String(state.createdTokenName) : undefined;
  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          actions={
            <Button href={paths.activity} onFollow={follow} iconName="history">
              Activity
            </Button>
          }
        >
          My settings
        </Header>
      }
    >
      <AccessTokensTable focusTokenName={created} />
    </ContentLayout>
  );
}
