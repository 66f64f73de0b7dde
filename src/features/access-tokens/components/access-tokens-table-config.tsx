import Box from '@cloudscape-design/components/box';
import Link, { type LinkProps } from '@cloudscape-design/components/link';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { FULL_ACCESS } from '../../../../contract/access';
import type { AccessTokenSummary } from '../../../../contract/schemas';
import { compareNames } from '../../../components/table-parts';
import { tablePreferences, type TableColumn } from '../../../components/table-preferences';
import { accessSummary } from '../../../lib/access-text';
import { paths } from '../../../lib/paths';
import { formatRelative } from '../../../lib/relative-time';
import { expiresSoon, expiryParts, formatExactTime } from '../utils/expiry';

/** The table's columns, their labels in the preferences and whether they show by default: one list. */

const expiresAt = (item: AccessTokenSummary) =>
  item.expiresTime ? Date.parse(item.expiresTime) : Number.POSITIVE_INFINITY;
// Module-level so the table recognises the default sort as this column's.
export const byExpiry = (a: AccessTokenSummary, b: AccessTokenSummary) => expiresAt(a) - expiresAt(b);
const byLastUse = (a: AccessTokenSummary, b: AccessTokenSummary) =>
  Date.parse(a.lastUsedTime ?? '0') - Date.parse(b.lastUsedTime ?? '0');

function ExpiryCell({ item, now }: { item: AccessTokenSummary; now: Date }) {
  if (!item.expiresTime) return <>Never</>;
  const date = new Date(item.expiresTime);
  const relative = formatRelative(date, now);
  // The exact moment on hover; the PAT's page says it for everyone.
  // Each part whole: a narrow column breaks between the day and the time, never inside a date.
  const [dayPart, timePart] = expiryParts(date);
  const day = (
    <time dateTime={item.expiresTime} title={formatExactTime(date)}>
      <span style={{ whiteSpace: 'nowrap' }}>{dayPart}</span>
      {timePart !== undefined && (
        <>
          , <span style={{ whiteSpace: 'nowrap' }}>{timePart}</span>
        </>
      )}
    </time>
  );
  if (expiresSoon(item.expiresTime, now)) {
    return (
      <StatusIndicator type="warning">
        {day} ({relative})
      </StatusIndicator>
    );
  }
  return (
    <>
      {day} <Box variant="small" display="inline">({relative})</Box>
    </>
  );
}

/** What the cells need: the moment relative times are said from, and how an in-app link is followed. */
interface CellContext {
  now: Date;
  follow?: LinkProps['onFollow'];
}

const COLUMNS: Array<TableColumn<AccessTokenSummary, CellContext>> = [
  {
    definition: ({ follow }) => ({
      id: 'name',
      header: 'Name',
      // A name without spaces still breaks, rather than push the other columns out of view.
      cell: (item) => (
        <Link href={paths.tokenDetails(item.id)} onFollow={follow}>
          <span style={{ overflowWrap: 'anywhere' }}>{item.name}</span>
        </Link>
      ),
      sortingComparator: compareNames,
      isRowHeader: true,
      minWidth: 120,
    }),
    visible: true,
    alwaysVisible: true,
  },
  {
    definition: ({ now }) => ({
      id: 'expiresTime',
      header: 'Expiration date',
      cell: (item) => <ExpiryCell item={item} now={now} />,
      sortingComparator: byExpiry,
      minWidth: 150,
    }),
    visible: true,
  },
  {
    definition: ({ now }) => ({
      id: 'lastUsedTime',
      header: 'Last used',
      cell: (item) => (item.lastUsedTime ? formatRelative(new Date(item.lastUsedTime), now) : 'Never used'),
      sortingComparator: byLastUse,
      minWidth: 120,
    }),
    visible: true,
  },
  {
    definition: () => ({
      id: 'access',
      header: 'Access',
      // Our extension: what the PAT may do, in one line; the details page says it all.
      cell: (item) => accessSummary(item.access ?? FULL_ACCESS),
      sortingComparator: (a, b) => accessSummary(a.access ?? FULL_ACCESS).localeCompare(accessSummary(b.access ?? FULL_ACCESS)),
      minWidth: 220,
    }),
    visible: true,
  },
  {
    definition: () => ({
      id: 'createdWith',
      header: 'Created with',
      // Our extension: a token made with another PAT's bearer names that PAT, even once it is gone.
      // Without one it was the console, or a script in the user's own standing: the log says which.
      cell: (item) => (item.createdWith ? `PAT ${item.createdWith.name}` : 'No PAT'),
      sortingComparator: (a, b) => compareNames({ ...a, name: a.createdWith?.name ?? '' }, { ...b, name: b.createdWith?.name ?? '' }),
    }),
    visible: false,
  },
  {
    definition: () => ({ id: 'id', header: 'ID', cell: (item) => item.id, sortingField: 'id' }),
    visible: false,
  },
  {
    definition: () => ({
      id: 'description',
      header: 'Description',
      // Our extension, last: long text pushes no other column away. The first line, cut to the cell; the details page shows all of it.
      cell: (item) => item.description?.split('\n', 1)[0] ?? '-',
      sortingField: 'description',
      maxWidth: 400,
    }),
    visible: false,
  },
];

/** Relative times and warnings are as of `now`; a name links to the PAT's details. */
export const columnDefinitions = (context: CellContext) => COLUMNS.map((column) => column.definition(context));

/** The token table's page sizes, columns to show or hide, defaults, and stored preferences. */
export const TOKEN_TABLE_PREFERENCES = tablePreferences(COLUMNS, { now: new Date(0) }, { pageSizes: [10, 25, 50], unit: 'PATs', pageSize: 10 });
