import { useCollection } from '@cloudscape-design/collection-hooks';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import CopyToClipboard from '@cloudscape-design/components/copy-to-clipboard';
import Header from '@cloudscape-design/components/header';
import Table from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import { LoadErrorState, matchesCountText, NoMatchState, TableMessage, TablePagination } from '../../../components/table-parts';
import { errorMessage } from '../../../lib/error-message';
import { gitRemoteUrl, gitTransport } from '../../../lib/git-remote';
import { useRepositories } from '../api/repository-queries';
import { repositoryColumns } from './repositories-table-config';

/** How to make the first repository: push to a new name, and the server creates it. */
function PushToCreate({ userName }: { userName: string }) {
  const command = `git push ${gitRemoteUrl(userName, 'my-project')} main`;
  return (
    <TableMessage
      title="No repositories"
      description="Push to a new name and the repository is created, yours alone. From a repository on your computer, with a PAT as the password:"
      size="xs"
      action={
        <CopyToClipboard
          variant="inline"
          textToCopy={command}
          textToDisplay={<Box variant="code">{command}</Box>}
          copyButtonAriaLabel="Copy the push command"
          copySuccessText="Command copied"
          copyErrorText="Copying failed: select the command and copy it yourself."
        />
      }
    />
  );
}

export function RepositoriesTable({ userName }: { userName: string }) {
  const repositories = useRepositories();
  const now = new Date(repositories.dataUpdatedAt);
  const all = repositories.data ?? [];
  const { items, collectionProps, filterProps, paginationProps, filteredItemsCount, actions } = useCollection(all, {
    filtering: {
      filteringFunction: (item, text) => item.name.toLowerCase().includes(text.trim().toLowerCase()),
    },
    sorting: {},
    pagination: { pageSize: 20 },
  });

  return (
    <Table
      {...collectionProps}
      variant="container"
      wrapLines
      items={items}
      columnDefinitions={repositoryColumns(now, (name) => gitRemoteUrl(userName, name))}
      loading={repositories.isPending}
      loadingText="Loading repositories"
      ariaLabels={{ tableLabel: 'Repositories' }}
      empty={
        repositories.isError ? (
          <LoadErrorState what="Your repositories" message={errorMessage(repositories.error)} onRetry={() => void repositories.refetch()} />
        ) : all.length === 0 ? (
          <PushToCreate userName={userName} />
        ) : (
          <NoMatchState onClear={() => actions.setFiltering('')} />
        )
      }
      header={
        <Header
          variant="h2"
          counter={repositories.data ? `(${all.length})` : undefined}
          description={`Clone and push over ${gitTransport()} with a PAT as the password. Only you can see and use these repositories.`}
          actions={
            <Button
              iconName="refresh"
              ariaLabel="Refresh repositories"
              loading={repositories.isFetching && !repositories.isPending}
              onClick={() => void repositories.refetch()}
            />
          }
        >
          Repositories
        </Header>
      }
      filter={
        <TextFilter
          {...filterProps}
          filteringPlaceholder="Find repositories by name"
          filteringAriaLabel="Filter repositories"
          countText={matchesCountText(filteredItemsCount)}
        />
      }
      pagination={<TablePagination {...paginationProps} />}
    />
  );
}
