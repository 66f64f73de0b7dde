import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import { useAccessTokenLimits } from '../../features/access-tokens/api/use-access-token-limits';
import { ActivityTable } from '../../features/activity/components/activity-table';

export function ActivityPage() {
  const limits = useAccessTokenLimits();
  return (
    <ContentLayout
      header={
        <Header variant="h1" description="What happened to your personal access tokens, and where they were used from.">
          Activity
        </Header>
      }
    >
      <ActivityTable retentionDays={limits.data?.activityRetentionDays} />
    </ContentLayout>
  );
}
