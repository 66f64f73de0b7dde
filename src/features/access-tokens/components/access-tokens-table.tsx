import { useCollection } from '@cloudscape-design/collection-hooks';
import Alert from '@cloudscape-design/components/alert';
import Button, { type ButtonProps } from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import { Suspense, useEffect, useRef, useState } from 'react';
import { MAX_LIVE_TOKENS_PER_USER } from '../../../../contract/access-tokens';
import type { AccessTokenSummary } from '../../../../contract/schemas';
import { lazyPart } from '../../../components/lazy-part';
import { LoadErrorState, matchesCountText, NoMatchState, TableMessage, TablePagination, useNarrowScreen } from '../../../components/table-parts';
import { useRouterFollow } from '../../../components/use-router-follow';
import { STORAGE_KEYS, useStoredState } from '../../../components/use-stored-state';
import { errorMessage } from '../../../lib/error-message';
import { gitTransport } from '../../../lib/git-remote';
import { paths } from '../../../lib/paths';
import { useAccessTokens } from '../api/use-access-tokens';
import { expiresSoon } from '../utils/expiry';
import { byExpiry, columnDefinitions, TOKEN_TABLE_PREFERENCES } from './access-tokens-table-config';
import { ExpiringSoonAlert } from './expiring-soon-alert';
import { LazyDeleteAccessTokensModal, LazyRegenerateAccessTokenModal } from './lazy-token-dialogs';

// Not needed for the first paint: the preferences load right after it, the dialogs as soon as a row
// is selected (so they are there when pressed).
const TablePreferences = lazyPart(
  () => import('../../../components/table-preferences-panel').then((module) => module.TablePreferences),
  { what: 'Table preferences' },
);

function EmptyState({ onCreate }: { onCreate: (event: CustomEvent) => void }) {
  return (
    <TableMessage
      title="No personal access tokens"
      description="Create a PAT to use as a Git password or an API bearer token."
      action={
        <Button href={paths.createToken} onFollow={onCreate}>
          Create
        </Button>
      }
    />
  );
}

/** Where keyboard focus belongs once a dialog is done: a row's checkbox, found by its label. */
function focusRowOf(container: HTMLElement | null, name: string | undefined): boolean {
  if (!container || name === undefined) return false;
  const checkbox = container.querySelector<HTMLInputElement>(`input[type="checkbox"][aria-label="${CSS.escape(`Select ${name}`)}"]`);
  checkbox?.focus();
  return checkbox !== null;
}

interface AccessTokensTableProps {
  /** A token just created: focus goes to its row once the list shows it. */
  focusTokenName?: string;
}

export function AccessTokensTable({ focusTokenName }: AccessTokensTableProps) {
  const follow = useRouterFollow();
  const narrow = useNarrowScreen();
  const tokens = useAccessTokens();
  const [storedPreferences, setPreferences] = useStoredState(STORAGE_KEYS.tokenTablePreferences, TOKEN_TABLE_PREFERENCES.parse);
  const preferences = storedPreferences ?? TOKEN_TABLE_PREFERENCES.defaults;
  const [toDelete, setToDelete] = useState<AccessTokenSummary[]>([]);
  const [toRegenerate, setToRegenerate] = useState<AccessTokenSummary>();
  const container = useRef<HTMLDivElement>(null);
  const createButton = useRef<ButtonProps.Ref>(null);
  const [pendingFocus, setPendingFocus] = useState(focusTokenName);
  // The moment the list was fetched: relative times and warnings are as of then.
  const now = new Date(tokens.dataUpdatedAt);
  const allItems = tokens.data ?? [];
  // The expiry alert's "Show them": only the PATs it is about, while there are any.
  const [expiringAsked, setExpiringOnly] = useState(false);
  const expiringOnly = expiringAsked && allItems.some((item) => expiresSoon(item.expiresTime, now));

  const { items, actions, filteredItemsCount, collectionProps, filterProps, paginationProps } =
    useCollection(allItems, {
      filtering: {
        filteringFunction: (item, text) => {
          if (expiringOnly && !expiresSoon(item.expiresTime, now)) return false;
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
      // Sorting, paging and filtering keep what is selected; the header counts it.
      selection: { keepSelection: true, trackBy: 'id' },
    });
  // Only what is still in the list: a PAT deleted or expired meanwhile is no longer selected.
  const selected = (collectionProps.selectedItems ?? []).filter((item) => allItems.some((current) => current.id === item.id));
  // A selected row's actions load with the selection, so they are ready when pressed.
  useEffect(() => {
    if (selected.length > 0) LazyDeleteAccessTokensModal.preload();
    if (selected.length === 1) LazyRegenerateAccessTokenModal.preload();
  }, [selected.length]);

  // Focus waits for the row to be on the page (the list may still be loading).
  useEffect(() => {
    if (pendingFocus !== undefined && focusRowOf(container.current, pendingFocus)) setPendingFocus(undefined);
  }, [pendingFocus, items]);
  const columns = columnDefinitions({ now, follow });
  // The quota is the contract's: said before a Create that would be refused, with no request of its own.
  const atLimit = allItems.length >= MAX_LIVE_TOKENS_PER_USER;

  return (
    <div ref={container}>
    <SpaceBetween size="m">
      {/* First: a dialog that fails to load says so here, near the button that opened it. */}
      {toRegenerate && (
        <Suspense>
          <LazyRegenerateAccessTokenModal
            token={toRegenerate}
            onClose={() => setToRegenerate(undefined)}
          />
        </Suspense>
      )}
      {toDelete.length > 0 && (
        <Suspense>
          <LazyDeleteAccessTokensModal
            tokens={toDelete}
            onClose={(deleted) => {
              setToDelete([]);
              if (!deleted) return;
              actions.setSelectedItems([]);
              // The dialog's trigger (Delete) is disabled now: after the dialog returns focus, move it on
              // to the first row left, or to Create when none is.
              setTimeout(() => {
                if (!focusRowOf(container.current, items.find((item) => !toDelete.includes(item))?.name)) createButton.current?.focus();
              });
            }}
          />
        </Suspense>
      )}
      {tokens.isRefetchError && (
        // The rows shown are from before the failure: say so, and keep them.
        <Alert
          type="error"
          header="Your PATs could not be loaded"
          action={<Button onClick={() => void tokens.refetch()}>Retry</Button>}
        >
          The list below may be out of date. {errorMessage(tokens.error)}
        </Alert>
      )}
      {atLimit && (
        <Alert type="info" header={`You have ${MAX_LIVE_TOKENS_PER_USER} PATs, the most you can have`}>
          Delete one to create another.
        </Alert>
      )}
      <ExpiringSoonAlert tokens={allItems} now={now} showingThem={expiringOnly} onShowThem={setExpiringOnly} />
      <Table
        {...collectionProps}
        variant="container"
        // A long name wraps instead of pushing the other columns out of view.
        wrapLines
        selectionType="multi"
        // On a phone the columns scroll sideways under the names, which stay in view. Only there:
        // sticky columns measure every cell, which costs the first page's render on a laptop.
        stickyColumns={narrow ? { first: 1 } : undefined}
        trackBy="id"
        items={items}
        columnDefinitions={columns}
        columnDisplay={preferences.contentDisplay}
        loading={tokens.isPending}
        loadingText="Loading personal access tokens"
        empty={
          tokens.isError ? (
            <LoadErrorState what="Your PATs" message={errorMessage(tokens.error)} onRetry={() => void tokens.refetch()} />
          ) : allItems.length === 0 ? (
            <EmptyState onCreate={follow} />
          ) : (
            <NoMatchState
              onClear={() => {
                actions.setFiltering('');
                setExpiringOnly(false);
              }}
            />
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
            counter={tokens.data ? (selected.length > 0 ? `(${selected.length}/${allItems.length})` : `(${allItems.length})`) : undefined}
            description={`Use a PAT as a password for Git over ${gitTransport()} or as a bearer token for the API. Expired PATs are deleted.`}
            actions={
              <SpaceBetween direction="horizontal" size="xs">
                <Button
                  iconName="refresh"
                  ariaLabel="Refresh personal access tokens"
                  loading={tokens.isFetching && !tokens.isPending}
                  onClick={() => void tokens.refetch()}
                />
                <Button disabled={selected.length !== 1} onClick={() => setToRegenerate(selected[0])}>
                  Regenerate
                </Button>
                <Button disabled={selected.length === 0} onClick={() => setToDelete([...selected])}>
                  Delete
                </Button>
                <Button
                  ref={createButton}
                  variant="primary"
                  href={paths.createToken}
                  onFollow={follow}
                  disabled={atLimit}
                  disabledReason={`You have ${MAX_LIVE_TOKENS_PER_USER} PATs, the most you can have: delete one to create another.`}
                >
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
            countText={matchesCountText(filteredItemsCount)}
          />
        }
        pagination={<TablePagination {...paginationProps} />}
        preferences={
          <Suspense fallback={<Button variant="icon" iconName="settings" ariaLabel="Preferences" disabled />}>
            <TablePreferences
              preferences={preferences}
              onConfirm={setPreferences}
              pageSizeOptions={TOKEN_TABLE_PREFERENCES.pageSizeOptions}
              contentDisplayOptions={TOKEN_TABLE_PREFERENCES.contentDisplayOptions}
            />
          </Suspense>
        }
      />
    </SpaceBetween>
    </div>
  );
}
