import Button from '@cloudscape-design/components/button';
import Checkbox from '@cloudscape-design/components/checkbox';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Pagination from '@cloudscape-design/components/pagination';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import { ADMIN_LIST_MAX_RESULTS } from '../../../../contract/access-tokens';
import type { AdminAccessTokenSummary } from '../../../../contract/schemas';
import { useNotify } from '../../../components/notifications';
import { LoadErrorState, TableMessage } from '../../../components/table-parts';
import { errorMessage } from '../../../lib/error-message';
import { useAdminTokens, useDisableUser, useEnableUser } from '../api/admin-queries';
import { adminTokenColumns } from './admin-tokens-table-config';
import { RevokeTokensModal, type RevokeTarget } from './revoke-tokens-modal';

interface Filters {
  owner: string;
  text: string;
  outsidePolicy: boolean;
}

/** Offboarding one user: disable (every PAT revoked, new ones refused), or enable again. */
function UserActions({ owner }: { owner: string }) {
  const disable = useDisableUser();
  const enable = useEnableUser();
  const notify = useNotify();
  const busy = disable.isPending || enable.isPending;
  return (
    <>
      <Button
        disabled={busy}
        onClick={() =>
          disable.mutate(owner, {
            onSuccess: ({ revokedCount }) => notify({ type: 'success', content: `${owner} is disabled: ${revokedCount} PAT(s) revoked, and new ones are refused.` }),
            onError: (error) => notify({ type: 'error', content: errorMessage(error) }),
          })
        }
      >
        Disable {owner}
      </Button>
      <Button
        disabled={busy}
        onClick={() =>
          enable.mutate(owner, {
            onSuccess: () => notify({ type: 'success', content: `${owner} is enabled: they may create PATs again.` }),
            onError: (error) => notify({ type: 'error', content: errorMessage(error) }),
          })
        }
      >
        Enable {owner}
      </Button>
    </>
  );
}

/** Every user's PATs, filtered and paged by the server (it holds them all: 100,000 stay quick). */
export function AdminTokensTable() {
  const [draft, setDraft] = useState<Filters>({ owner: '', text: '', outsidePolicy: false });
  const [filters, setFilters] = useState<Filters>({ owner: '', text: '', outsidePolicy: false });
  const [descending, setDescending] = useState(true);
  // The server sorts: by creation, or by expiry.
  const [sortBy, setSortBy] = useState<'createdTime' | 'expiresTime'>('createdTime');
  // The cursor of each page reached so far: page 1 has none.
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const [pageIndex, setPageIndex] = useState(0);
  const [selected, setSelected] = useState<AdminAccessTokenSummary[]>([]);
  const [revoking, setRevoking] = useState<RevokeTarget>();
  const request = {
    maxResults: ADMIN_LIST_MAX_RESULTS,
    ...(filters.owner ? { owner: filters.owner } : {}),
    ...(filters.text ? { filterText: filters.text } : {}),
    ...(filters.outsidePolicy ? { outsidePolicy: true } : {}),
    sortBy,
    sortOrder: descending ? ('DESCENDING' as const) : ('ASCENDING' as const),
    ...(cursors[pageIndex] ? { nextToken: cursors[pageIndex] } : {}),
  };
  const page = useAdminTokens(request);
  const items = page.data?.items ?? [];
  const next = page.data?.nextToken;
  const startOver = () => {
    setCursors([undefined]);
    setPageIndex(0);
    setSelected([]);
  };
  const columns = adminTokenColumns(new Date(page.dataUpdatedAt));

  return (
    <SpaceBetween size="m">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setFilters({ owner: draft.owner.trim(), text: draft.text.trim(), outsidePolicy: draft.outsidePolicy });
          startOver();
        }}
      >
        <SpaceBetween direction="horizontal" size="s" alignItems="end">
          <FormField label="Owner" description="One user's PATs, by user name.">
            <Input value={draft.owner} onChange={({ detail }) => setDraft({ ...draft, owner: detail.value })} />
          </FormField>
          <FormField label="Name or owner contains">
            <Input type="search" value={draft.text} onChange={({ detail }) => setDraft({ ...draft, text: detail.value })} />
          </FormField>
          <Checkbox checked={draft.outsidePolicy} onChange={({ detail }) => setDraft({ ...draft, outsidePolicy: detail.checked })}>
            Only those outside the policy
          </Checkbox>
          <Button>Filter</Button>
        </SpaceBetween>
      </form>
      <Table
        variant="container"
        ariaLabels={{
          tableLabel: 'All PATs',
          selectionGroupLabel: 'PATs to revoke',
          allItemsSelectionLabel: () => 'Select every PAT of this page',
          itemSelectionLabel: (_selection, token) => `${token.ownerName}'s ${token.name}`,
        }}
        header={
          <Header
            counter={`(${items.length}${next ? '+' : ''})`}
            actions={
              <SpaceBetween direction="horizontal" size="xs">
                {filters.owner ? <UserActions owner={filters.owner} /> : null}
                {filters.owner ? (
                  <Button
                    onClick={() => setRevoking({ names: [], request: { owner: filters.owner }, title: `Revoke every PAT of ${filters.owner}?` })}
                  >
                    Revoke all of {filters.owner}&apos;s
                  </Button>
                ) : null}
                <Button
                  variant="primary"
                  disabled={selected.length === 0}
                  onClick={() =>
                    setRevoking({
                      names: selected.map((token) => `${token.ownerName}'s ${token.name}`),
                      request: { accessTokenIds: selected.map((token) => token.id) },
                      title: selected.length === 1 ? `Revoke PAT: ${selected[0]?.name}?` : `Revoke ${selected.length} PATs?`,
                    })
                  }
                >
                  Revoke
                </Button>
              </SpaceBetween>
            }
          >
            All PATs
          </Header>
        }
        items={items}
        columnDefinitions={columns}
        trackBy="id"
        selectionType="multi"
        selectedItems={selected}
        onSelectionChange={({ detail }) => setSelected(detail.selectedItems)}
        sortingColumn={{ sortingField: sortBy }}
        sortingDescending={descending}
        onSortingChange={({ detail }) => {
          setSortBy(detail.sortingColumn.sortingField === 'expiresTime' ? 'expiresTime' : 'createdTime');
          setDescending(detail.isDescending ?? false);
          startOver();
        }}
        loading={page.isPending}
        loadingText="Loading every PAT"
        empty={
          page.isError ? (
            <LoadErrorState what="The PATs" message={errorMessage(page.error)} onRetry={() => void page.refetch()} />
          ) : (
            <TableMessage title="No PATs" description={filters.owner || filters.text || filters.outsidePolicy ? 'None matches the filter.' : 'Nobody has a PAT yet.'} />
          )
        }
        pagination={
          <Pagination
            currentPageIndex={pageIndex + 1}
            pagesCount={cursors.length}
            openEnd={next !== undefined}
            ariaLabels={{ nextPageLabel: 'Next page', previousPageLabel: 'Previous page', pageLabel: (number) => `Page ${number}` }}
            onChange={({ detail }) => {
              const index = detail.currentPageIndex - 1;
              if (index === cursors.length && next) setCursors([...cursors, next]);
              setPageIndex(index);
              setSelected([]);
            }}
          />
        }
      />
      {revoking ? (
        <RevokeTokensModal
          target={revoking}
          onClose={() => {
            setRevoking(undefined);
            setSelected([]);
          }}
        />
      ) : null}
    </SpaceBetween>
  );
}
