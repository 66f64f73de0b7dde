import Header from '@cloudscape-design/components/header';
import Table from '@cloudscape-design/components/table';
import type { AdminAction } from '../../../../contract/access-tokens';
import { LoadErrorState, TableMessage } from '../../../components/table-parts';
import { errorMessage } from '../../../lib/error-message';
import { useAdminEvents } from '../api/admin-queries';

const ACTION_TEXTS: Record<AdminAction, string> = {
  REVOKED_ACCESS_TOKENS: 'Revoked PATs',
  DISABLED_USER: 'Disabled a user',
  ENABLED_USER: 'Enabled a user',
  UPDATED_POLICY: 'Changed the policy',
};

const dateTime = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'medium' });

/** The admin log: who did what, to whom, when, and from where. */
export function AdminLogTable() {
  const events = useAdminEvents();
  return (
    <Table
      variant="container"
      header={<Header description="Every admin action, kept as long as the activity log.">Admin log</Header>}
      ariaLabels={{ tableLabel: 'Admin log' }}
      items={events.data?.items ?? []}
      loading={events.isPending}
      loadingText="Loading the admin log"
      trackBy="eventId"
      columnDefinitions={[
        { id: 'time', header: 'Time', cell: (event) => dateTime.format(new Date(event.eventTime)) },
        { id: 'admin', header: 'Admin', cell: (event) => event.adminName },
        { id: 'action', header: 'Action', cell: (event) => ACTION_TEXTS[event.action] },
        { id: 'user', header: 'User', cell: (event) => event.targetUserName ?? '-' },
        { id: 'detail', header: 'Detail', cell: (event) => event.detail ?? '-' },
        { id: 'address', header: 'Address', cell: (event) => event.sourceIpAddress ?? '-' },
      ]}
      empty={
        events.isError ? (
          <LoadErrorState what="The admin log" message={errorMessage(events.error)} onRetry={() => void events.refetch()} />
        ) : (
          <TableMessage title="Nothing yet" description="What admins do shows here." />
        )
      }
    />
  );
}
