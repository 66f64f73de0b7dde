import Box from '@cloudscape-design/components/box';
import type { CollectionPreferencesProps } from '@cloudscape-design/components/collection-preferences';
import type { SelectProps } from '@cloudscape-design/components/select';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { TableProps } from '@cloudscape-design/components/table';
import { ACCESS_TOKEN_EVENT_TYPES, type AccessTokenEventType } from '../../../../contract/access-tokens';
import type { AccessTokenEvent } from '../../../../contract/schemas';
import { parseTablePreferences } from '../../../components/table-preferences';
import { formatRelative } from '../../../lib/relative-time';

/** The activity table's columns, labels and defaults: one list. */

/** What each event is called in the console. */
export const EVENT_LABELS: Record<AccessTokenEventType, string> = {
  CREATED: 'Created',
  REGENERATED: 'Regenerated',
  DELETED: 'Deleted',
  EXPIRED: 'Expired',
  USED_FROM_NEW_CLIENT: 'First use from a new client',
  DELETED_TOKEN_USED: 'Deleted PAT presented',
  EXPIRED_TOKEN_USED: 'Expired PAT presented',
  REPLACED_SECRET_USED: 'Replaced secret presented',
};

/** A secret that no longer works, still presented: someone or something still uses it. */
const isRefusedUse = (type: AccessTokenEventType) => type.endsWith('_USED') && type !== 'USED_FROM_NEW_CLIENT';

/** How the event came about, as a person reads it. */
export function sourceText(event: AccessTokenEvent): string {
  if (event.source === 'SERVICE') return 'Service (expiry)';
  if (event.sourceAccessToken) return `PAT ${event.sourceAccessToken.name}`;
  return 'Console';
}

const dateTime = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'medium' });
const time = (event: AccessTokenEvent) => Date.parse(event.eventTime);
// Module-level so the table recognises the default sort as this column's.
export const byTime = (a: AccessTokenEvent, b: AccessTokenEvent) => time(a) - time(b) || Number(a.eventId) - Number(b.eventId);

interface Column {
  definition: (now: Date) => TableProps.ColumnDefinition<AccessTokenEvent> & { id: string; header: string };
  visible: boolean;
  alwaysVisible?: boolean;
}

const COLUMNS: Column[] = [
  {
    definition: (now) => ({
      id: 'eventTime',
      header: 'Time',
      cell: (event) => (
        <>
          {dateTime.format(new Date(event.eventTime))}{' '}
          <Box variant="small" display="inline">
            ({formatRelative(new Date(event.eventTime), now)})
          </Box>
        </>
      ),
      sortingComparator: byTime,
    }),
    visible: true,
    alwaysVisible: true,
  },
  {
    definition: () => ({
      id: 'eventType',
      header: 'Event',
      cell: (event) =>
        isRefusedUse(event.eventType) ? (
          <StatusIndicator type="warning">{EVENT_LABELS[event.eventType]}</StatusIndicator>
        ) : (
          EVENT_LABELS[event.eventType]
        ),
      sortingComparator: (a, b) => EVENT_LABELS[a.eventType].localeCompare(EVENT_LABELS[b.eventType]),
      isRowHeader: true,
    }),
    visible: true,
  },
  {
    definition: () => ({
      id: 'accessTokenName',
      header: 'PAT',
      cell: (event) => <span style={{ overflowWrap: 'anywhere' }}>{event.accessTokenName}</span>,
      sortingField: 'accessTokenName',
    }),
    visible: true,
  },
  {
    definition: () => ({
      id: 'source',
      header: 'Made with',
      cell: sourceText,
      sortingComparator: (a, b) => sourceText(a).localeCompare(sourceText(b)),
    }),
    visible: true,
  },
  {
    definition: () => ({
      id: 'sourceIpAddress',
      header: 'Address',
      cell: (event) => event.sourceIpAddress ?? '-',
      sortingField: 'sourceIpAddress',
    }),
    visible: true,
  },
  {
    definition: () => ({
      id: 'userAgent',
      header: 'Client',
      cell: (event) => <span style={{ overflowWrap: 'anywhere' }}>{event.userAgent ?? '-'}</span>,
      sortingField: 'userAgent',
    }),
    visible: true,
  },
  {
    definition: () => ({ id: 'accessTokenId', header: 'PAT ID', cell: (event) => event.accessTokenId, sortingField: 'accessTokenId' }),
    visible: false,
  },
];

/** Relative times are as of `now`. */
export const activityColumns = (now: Date) => COLUMNS.map((column) => column.definition(now));

export const ACTIVITY_CONTENT_DISPLAY_OPTIONS: CollectionPreferencesProps.ContentDisplayOption[] = COLUMNS.map((column) => {
  const { id, header } = column.definition(new Date(0));
  return { id, label: header, ...(column.alwaysVisible ? { alwaysVisible: true } : {}) };
});

export const ACTIVITY_PAGE_SIZE_OPTIONS = [10, 25, 50, 100].map((value) => ({ value, label: `${value} events` }));

export const ACTIVITY_DEFAULT_PREFERENCES: CollectionPreferencesProps.Preferences = {
  pageSize: 25,
  contentDisplay: COLUMNS.map((column) => ({ id: column.definition(new Date(0)).id, visible: column.visible })),
};

export const parseActivityPreferences = (stored: unknown) =>
  parseTablePreferences(stored, ACTIVITY_DEFAULT_PREFERENCES, ACTIVITY_PAGE_SIZE_OPTIONS.map(({ value }) => value));

export const ANY_EVENT: SelectProps.Option = { value: '', label: 'Any event' };
export const EVENT_TYPE_OPTIONS: SelectProps.Option[] = [
  ANY_EVENT,
  ...ACCESS_TOKEN_EVENT_TYPES.map((type) => ({ value: type, label: EVENT_LABELS[type] })),
];

/** Text filtering looks at every column a person reads. */
export function matchesText(event: AccessTokenEvent, text: string): boolean {
  const needle = text.trim().toLowerCase();
  if (!needle) return true;
  return [EVENT_LABELS[event.eventType], event.accessTokenName, event.accessTokenId, sourceText(event), event.sourceIpAddress, event.userAgent].some(
    (value) => value?.toLowerCase().includes(needle),
  );
}
