import Box from '@cloudscape-design/components/box';
import CopyToClipboard from '@cloudscape-design/components/copy-to-clipboard';
import type { TableProps } from '@cloudscape-design/components/table';
import type { RepositorySummary } from '../../../../contract/schemas';
import { compareNames } from '../../../components/table-parts';
import { formatRelative } from '../../../lib/relative-time';

const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];

/** 1.2 MB, as people read sizes (powers of 1024, as git reports them). */
export function formatSize(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

const lastPush = (item: RepositorySummary) => (item.lastPushTime ? Date.parse(item.lastPushTime) : 0);

/** Columns of the repositories table; `cloneUrl` builds each repository's HTTPS address. */
export function repositoryColumns(
  now: Date,
  cloneUrl: (name: string) => string,
): TableProps.ColumnDefinition<RepositorySummary>[] {
  return [
    {
      id: 'name',
      header: 'Name',
      cell: (item) => <span style={{ overflowWrap: 'anywhere' }}>{item.name}</span>,
      sortingComparator: compareNames,
      isRowHeader: true,
    },
    {
      id: 'cloneUrl',
      header: 'Clone URL',
      cell: (item) => (
        <CopyToClipboard
          variant="inline"
          textToCopy={cloneUrl(item.name)}
          textToDisplay={<Box variant="code">{cloneUrl(item.name)}</Box>}
          copyButtonAriaLabel={`Copy the clone URL of ${item.name}`}
          copySuccessText="Clone URL copied"
          copyErrorText="Copying failed: select the URL and copy it yourself."
        />
      ),
    },
    {
      id: 'lastPushTime',
      header: 'Last push',
      cell: (item) => (item.lastPushTime ? formatRelative(new Date(item.lastPushTime), now) : 'Never pushed'),
      sortingComparator: (a, b) => lastPush(a) - lastPush(b),
    },
    {
      id: 'size',
      header: 'Size',
      cell: (item) => formatSize(item.sizeBytes),
      sortingComparator: (a, b) => a.sizeBytes - b.sizeBytes,
    },
  ];
}
