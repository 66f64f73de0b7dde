import { useCollection } from '@cloudscape-design/collection-hooks';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import CollectionPreferences, {
  type CollectionPreferencesProps,
} from '@cloudscape-design/components/collection-preferences';
import Header from '@cloudscape-design/components/header';
import Pagination from '@cloudscape-design/components/pagination';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import { useState } from 'react';
import { useRouterFollow } from '../../../components/use-router-follow';
import type { AccessTokenSummary } from '../../../lib/api-contract';
import { paths } from '../../../lib/paths';
import { useAccessTokens } from '../api/use-access-tokens';
import { daysUntil, formatRelative, formatShortDate } from '../utils/expiry';
import { DeleteAccessTokensModal } from './delete-access-tokens-modal';
import { ExpiringSoonAlert } from './expiring-soon-alert';

/** Fewer days than this left, and the row warns. */
const EXPIRY_WARNING_DAYS = 14;

const expiresAt = (item: AccessTokenSummary) =>
  item.expiresTime ? Date.parse(item.expiresTime) : Number.POSITIVE_INFINITY;
// Module-level so the table recognises the default sort as this column's.
const byExpiry = (a: AccessTokenSummary, b: AccessTokenSummary) => expiresAt(a) - expiresAt(b);
const byLastUse = (a: AccessTokenSummary, b: AccessTokenSummary) =>
  Date.parse(a.lastUsedTime ?? '0') - Date.parse(b.lastUsedTime ?? '0');

function ExpiryCell({ item, now }: { item: AccessTokenSummary; now: Date }) {
  if (!item.expiresTime) return <>Never</>;
  const date = new Date(item.expiresTime);
  const relative = formatRelative(date, now);
  if (daysUntil(date, now) < EXPIRY_WARNING_DAYS) {
    return (
      <StatusIndicator type="warning">
        {formatShortDate(date)} ({relative})
      </StatusIndicator>
    );
  }
  return (
    <>
      {formatShortDate(date)} <Box variant="small" display="inline">({relative})</Box>
    </>
  );
}

function columnDefinitions(now: Date): TableProps.ColumnDefinition<AccessTokenSummary>[] {
  return [
    {
      id: 'name',
      header: 'Name',
      cell: (item) => item.name,
      sortingField: 'name',
      isRowHeader: true,
    },
    {
      id: 'expiresTime',
      header: 'Expiration date',
      cell: (item) => <ExpiryCell item={item} now={now} />,
      sortingComparator: byExpiry,
    },
    {
      id: 'lastUsedTime',
      header: 'Last used',
      cell: (item) =>
        item.lastUsedTime ? formatRelative(new Date(item.lastUsedTime), now) : 'Never used',
      sortingComparator: byLastUse,
    },
    { id: 'id', header: 'ID', cell: (item) => item.id, sortingField: 'id' },
  ];
}

const COLUMN_LABELS = [
  { id: 'name', label: 'Name', alwaysVisible: true },
  { id: 'expiresTime', label: 'Expiration date' },
  { id: 'lastUsedTime', label: 'Last used' },
  { id: 'id', label: 'ID' },
];

const DEFAULT_PREFERENCES: CollectionPreferencesProps.Preferences = {
  pageSize: 10,
  contentDisplay: [
    { id: 'name', visible: true },
    { id: 'expiresTime', visible: true },
    { id: 'lastUsedTime', visible: true },
    { id: 'id', visible: false },
  ],
};

function EmptyState({ onCreate }: { onCreate: (event: CustomEvent) => void }) {
  return (
    <Box textAlign="center" color="inherit">
      <SpaceBetween size="xxs">
        <Box variant="strong" color="inherit">
          No personal access tokens
        </Box>
        <Box variant="p" color="inherit">
          Create a PAT to use as a Git password or an API bearer token.
        </Box>
        <Button href={paths.createToken} onFollow={onCreate}>
          Create
        </Button>
      </SpaceBetween>
    </Box>
  );
}

function NoMatchState({ onClear }: { onClear: () => void }) {
  return (
    <Box textAlign="center" color="inherit">
      <SpaceBetween size="xxs">
        <Box variant="strong" color="inherit">
          No matches
        </Box>
        <Button onClick={onClear}>Clear filter</Button>
      </SpaceBetween>
    </Box>
  );
}

function ErrorState({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <Box textAlign="center" color="inherit">
      <SpaceBetween size="xxs">
        <StatusIndicator type="error">Your PATs could not be loaded. {message}</StatusIndicator>
        <Button onClick={onRetry}>Retry</Button>
      </SpaceBetween>
    </Box>
  );
}

export function AccessTokensTable() {
  const follow = useRouterFollow();
  const tokens = useAccessTokens();
  const [preferences, setPreferences] = useState(DEFAULT_PREFERENCES);
  const [toDelete, setToDelete] = useState<AccessTokenSummary[]>([]);
  // The moment the list was fetched: relative times and warnings are as of then.
  const now = new Date(tokens.dataUpdatedAt);
  const allItems = tokens.data ?? [];

  const { items, actions, filteredItemsCount, collectionProps, filterProps, paginationProps } =
    useCollection(allItems, {
      filtering: {
        filteringFunction: (item, text) => {
          const needle = text.trim().toLowerCase();
          return item.name.toLowerCase().includes(needle) || item.id.toLowerCase().includes(needle);
        },
      },
      sorting: {
        defaultState: {
          sortingColumn: { sortingComparator: byExpiry },
        },
      },
      pagination: { pageSize: preferences.pageSize },
      selection: { keepSelection: false, trackBy: 'id' },
    });
  const selected = collectionProps.selectedItems ?? [];
  const columns = columnDefinitions(now);

  return (
    <SpaceBetween size="m">
      {tokens.isRefetchError && (
        // The rows shown are from before the failure: say so, and keep them.
        <Alert
          type="error"
          header="Your PATs could not be loaded"
          action={<Button onClick={() => void tokens.refetch()}>Retry</Button>}
        >
          The list below may be out of date. {tokens.error.message}
        </Alert>
      )}
      <ExpiringSoonAlert tokens={allItems} now={now} />
      <Table
        {...collectionProps}
        variant="container"
        selectionType="multi"
        trackBy="id"
        items={items}
        columnDefinitions={columns}
        columnDisplay={preferences.contentDisplay}
        loading={tokens.isPending}
        loadingText="Loading personal access tokens"
        empty={
          tokens.isError ? (
            <ErrorState message={tokens.error.message} onRetry={() => void tokens.refetch()} />
          ) : allItems.length === 0 ? (
            <EmptyState onCreate={follow} />
          ) : (
            <NoMatchState onClear={() => actions.setFiltering('')} />
          )
        }
        ariaLabels={{
          tableLabel: 'Personal access tokens',
          selectionGroupLabel: 'Token selection',
          allItemsSelectionLabel: () => 'Select all tokens on this page',
          itemSelectionLabel: (_selection, item) => `Select ${item.name}`,
        }}
        header={
          <Header
            variant="h2"
            counter={tokens.data ? `(${allItems.length})` : undefined}
            description="Use a PAT as a password for Git over HTTPS or as a bearer token for the API. Expired PATs are deleted."
            actions={
              <SpaceBetween direction="horizontal" size="xs">
                <Button
                  iconName="refresh"
                  ariaLabel="Refresh personal access tokens"
                  loading={tokens.isFetching && !tokens.isPending}
                  onClick={() => void tokens.refetch()}
                />
                <Button disabled={selected.length === 0} onClick={() => setToDelete([...selected])}>
                  Delete
                </Button>
                <Button variant="primary" href={paths.createToken} onFollow={follow}>
                  Create
                </Button>
              </SpaceBetween>
            }
          >
            Personal access tokens
          </Header>
        }
        filter={
          <TextFilter
            {...filterProps}
            filteringPlaceholder="Find PATs by name or ID"
            filteringAriaLabel="Filter personal access tokens"
            countText={`${filteredItemsCount ?? 0} ${filteredItemsCount === 1 ? 'match' : 'matches'}`}
          />
        }
        pagination={<Pagination {...paginationProps} ariaLabels={PAGINATION_LABELS} />}
        preferences={
          <CollectionPreferences
            title="Preferences"
            confirmLabel="Confirm"
            cancelLabel="Cancel"
            preferences={preferences}
            onConfirm={({ detail }) => setPreferences(detail)}
            pageSizePreference={{
              title: 'Page size',
              options: [10, 25, 50].map((value) => ({ value, label: `${value} PATs` })),
            }}
            contentDisplayPreference={{ title: 'Visible columns', options: COLUMN_LABELS }}
          />
        }
      />
      {toDelete.length > 0 && (
        <DeleteAccessTokensModal
          tokens={toDelete}
          onClose={(deleted) => {
            setToDelete([]);
            if (deleted) actions.setSelectedItems([]);
          }}
        />
      )}
    </SpaceBetween>
  );
}

const PAGINATION_LABELS = {
  nextPageLabel: 'Next page',
  previousPageLabel: 'Previous page',
  pageLabel: (page: number) => `Page ${page}`,
};
