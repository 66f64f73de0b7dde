import { useCollection } from '@cloudscape-design/collection-hooks';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import { useMemo, useState } from 'react';
import { LoadErrorState, matchesCountText, NoMatchState, TableMessage, TablePagination } from '../../../components/table-parts';
import { TablePreferences } from '../../../components/table-preferences-panel';
import { useRouterFollow } from '../../../components/use-router-follow';
import { STORAGE_KEYS, useStoredState } from '../../../components/use-stored-state';
import { errorMessage } from '../../../lib/error-message';
import { MAX_SHOWN_EVENTS, useActivity } from '../api/activity-queries';
import {
  activityColumns,
  ACTIVITY_TABLE_PREFERENCES,
  ANY_EVENT,
  byTime,
  EVENT_TYPE_OPTIONS,
  matchesText,
} from './activity-table-config';

const EmptyState = ({ forOneToken }: { forOneToken: boolean }) => (
  <TableMessage
    title="No activity"
    description={
      forOneToken
        ? 'Nothing was logged for this PAT in the retention period. The log keeps changes, each first use from a new client and refused uses, not every use.'
        : 'Creating, regenerating, deleting and using your PATs shows here.'
    }
  />
);

interface ActivityTableProps {
  /** Only the events about this token and those made with it; all of the user's when absent. */
  accessTokenId?: string;
  /** How long the server keeps events, when known. */
  retentionDays?: number;
  heading?: string;
}

/** The activity log: newest first, filtered by text and by kind of event, sorted, paged. */
export function ActivityTable({ accessTokenId, retentionDays, heading = 'Activity' }: ActivityTableProps) {
  const activity = useActivity();
  const follow = useRouterFollow();
  const [storedPreferences, setPreferences] = useStoredState(STORAGE_KEYS.activityTablePreferences, ACTIVITY_TABLE_PREFERENCES.parse);
  const preferences = storedPreferences ?? ACTIVITY_TABLE_PREFERENCES.defaults;
  const [eventType, setEventType] = useState<SelectProps.Option>(ANY_EVENT);
  // The moment the log was fetched: relative times are as of then.
  const now = new Date(activity.dataUpdatedAt);
  const all = useMemo(
    () =>
      (activity.data?.events ?? []).filter(
        (event) => accessTokenId === undefined || event.accessTokenId === accessTokenId || event.sourceAccessToken?.accessTokenId === accessTokenId,
      ),
    [activity.data, accessTokenId],
  );
  const { items, actions, filteredItemsCount, collectionProps, filterProps, paginationProps } = useCollection(all, {
    filtering: {
      filteringFunction: (event, text) => (!eventType.value || event.eventType === eventType.value) && matchesText(event, text),
    },
    sorting: { defaultState: { sortingColumn: { sortingComparator: byTime }, isDescending: true } },
    pagination: { pageSize: preferences.pageSize },
  });
  const filtered = filterProps.filteringText !== '' || eventType !== ANY_EVENT;
  const clearFilters = () => {
    actions.setFiltering('');
    setEventType(ANY_EVENT);
  };

  return (
    <Table
      {...collectionProps}
      variant="container"
      wrapLines
      items={items}
      columnDefinitions={activityColumns({ now, follow })}
      columnDisplay={preferences.contentDisplay}
      loading={activity.isPending}
      loadingText="Loading activity"
      ariaLabels={{ tableLabel: heading }}
      empty={
        activity.isError ? (
          <LoadErrorState what="The activity" message={errorMessage(activity.error)} onRetry={() => void activity.refetch()} />
        ) : all.length === 0 ? (
          <EmptyState forOneToken={accessTokenId !== undefined} />
        ) : (
          <NoMatchState onClear={clearFilters} />
        )
      }
      header={
        <Header
          variant="h2"
          counter={activity.data ? `(${all.length}${activity.data.truncated ? '+' : ''})` : undefined}
          description={
            (accessTokenId === undefined
              ? 'Changes to your PATs, their first use from each new address or client, and attempts with PATs that no longer work.'
              : 'What happened to this PAT, and what was done with it: the PATs it created, deleted or regenerated.') +
            (retentionDays === undefined ? '' : ` Kept for ${retentionDays} days.`) +
            (activity.data?.truncated ? ` Showing the newest ${MAX_SHOWN_EVENTS.toLocaleString('en')} events.` : '')
          }
          actions={
            <Button
              iconName="refresh"
              ariaLabel="Refresh activity"
              loading={activity.isFetching && !activity.isPending}
              onClick={() => void activity.refetch()}
            />
          }
        >
          {heading}
        </Header>
      }
      filter={
        <SpaceBetween direction="horizontal" size="s" alignItems="center">
          <TextFilter
            {...filterProps}
            filteringPlaceholder="Find events"
            filteringAriaLabel="Filter activity"
            countText={filtered ? matchesCountText(filteredItemsCount) : undefined}
          />
          <Select
            inlineLabelText="Event"
            selectedOption={eventType}
            options={EVENT_TYPE_OPTIONS}
            onChange={({ detail }) => {
              setEventType(detail.selectedOption);
              actions.setCurrentPage(1);
            }}
          />
        </SpaceBetween>
      }
      pagination={<TablePagination {...paginationProps} />}
      preferences={
        <TablePreferences
          preferences={preferences}
          onConfirm={setPreferences}
          pageSizeOptions={ACTIVITY_TABLE_PREFERENCES.pageSizeOptions}
          contentDisplayOptions={ACTIVITY_TABLE_PREFERENCES.contentDisplayOptions}
        />
      }
    />
  );
}
