import Box from '@cloudscape-design/components/box';
import Link, { type LinkProps } from '@cloudscape-design/components/link';
import type { SelectProps } from '@cloudscape-design/components/select';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import {
  ACCESS_TOKEN_EVENT_TYPES,
  type AccessTokenEventType,
  type AccessTokenPermission,
  type NoticeChannel,
  type NoticeKind,
} from '../../../../contract/access-tokens';
import type { AccessTokenEvent } from '../../../../contract/schemas';
import { compareNames } from '../../../components/table-parts';
import { tablePreferences, type TableColumn } from '../../../components/table-preferences';
import { NEEDED_WORDS } from '../../../lib/access-text';
import { paths } from '../../../lib/paths';
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
  REFUSED_PERMISSION: 'Refused: needs a permission',
  REFUSED_REPOSITORY: 'Refused: repository not in this PAT',
  REFUSED_NETWORK: "Refused: from outside this PAT's networks",
  REVOKED_AS_EXPOSED: 'Revoked: reported as exposed',
  REVOKED_TOKEN_USED: 'Revoked PAT presented',
  NOTICE_SENT: 'Notice sent',
  NOTICE_FAILED: 'Notice failed',
  REVOKED_BY_ADMIN: 'Revoked by an admin',
};

const NOTICE_CHANNEL_WORDS: Record<NoticeChannel, string> = { EMAIL: 'by e-mail', WEBHOOK: 'to the webhook' };
const NOTICE_KIND_WORDS: Record<NoticeKind, string> = {
  EXPIRING: 'expires soon',
  EXPIRED: 'expired',
  CREATED: 'created',
  DELETED: 'deleted',
  REGENERATED: 'regenerated',
  REVOKED_AS_EXPOSED: 'revoked as exposed',
};

/** A use refused: a secret that no longer works, or a PAT used beyond its access. */
const isRefusedUse = (type: AccessTokenEventType) => (type.endsWith('_USED') && type !== 'USED_FROM_NEW_CLIENT') || type.startsWith('REFUSED_');

/** The event in words, with what a refusal was about: "Refused: needs write". */
export function eventText(event: AccessTokenEvent): string {
  const { detail } = event;
  if (event.eventType === 'REFUSED_PERMISSION' && detail && detail in NEEDED_WORDS) {
    return `Refused: needs ${NEEDED_WORDS[detail as AccessTokenPermission]}`;
  }
  if (event.eventType === 'REVOKED_BY_ADMIN' && detail) return `Revoked by admin ${detail}`;
  if (event.eventType === 'REFUSED_REPOSITORY' && detail) return `${EVENT_LABELS.REFUSED_REPOSITORY} (${detail})`;
  if ((event.eventType === 'NOTICE_SENT' || event.eventType === 'NOTICE_FAILED') && detail) {
    const [channel = '', kind = ''] = detail.split(':');
    const how = channel in NOTICE_CHANNEL_WORDS ? NOTICE_CHANNEL_WORDS[channel as NoticeChannel] : channel;
    const what = kind in NOTICE_KIND_WORDS ? NOTICE_KIND_WORDS[kind as NoticeKind] : kind;
    return `${EVENT_LABELS[event.eventType]} ${how}: ${what}`;
  }
  return EVENT_LABELS[event.eventType];
}

const SOURCE_TEXTS: Record<AccessTokenEvent['source'], string> = {
  CONSOLE: 'Console',
  ACCESS_TOKEN: 'PAT',
  SERVICE: 'Service',
  LOCAL_API: 'API (no PAT, local mode)',
  PROXY_API: 'API (no PAT, signed in through the proxy)',
  EXPOSURE_REPORT: 'Report of an exposed secret (no sign-in)',
};

/** How the event came about, as a person reads it. */
export function sourceText(event: AccessTokenEvent): string {
  if (event.sourceAccessToken) return `PAT ${event.sourceAccessToken.name}`;
  return SOURCE_TEXTS[event.source];
}

const dateTime = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'medium' });
const time = (event: AccessTokenEvent) => Date.parse(event.eventTime);
// Module-level so the table recognises the default sort as this column's.
export const byTime = (a: AccessTokenEvent, b: AccessTokenEvent) => time(a) - time(b) || Number(a.eventId) - Number(b.eventId);

/** What the cells need: the moment relative times are said from, and how an in-app link is followed. */
interface CellContext {
  now: Date;
  follow?: LinkProps['onFollow'];
}

// Minimum widths: on a phone the table scrolls sideways rather than break words letter by letter.
const COLUMNS: Array<TableColumn<AccessTokenEvent, CellContext>> = [
  {
    definition: ({ now }) => ({
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
      minWidth: 180,
    }),
    visible: true,
    alwaysVisible: true,
  },
  {
    definition: () => ({
      id: 'eventType',
      header: 'Event',
      cell: (event) =>
        isRefusedUse(event.eventType) ? <StatusIndicator type="warning">{eventText(event)}</StatusIndicator> : eventText(event),
      sortingComparator: (a, b) => EVENT_LABELS[a.eventType].localeCompare(EVENT_LABELS[b.eventType]),
      isRowHeader: true,
      minWidth: 150,
    }),
    visible: true,
  },
  {
    definition: ({ follow }) => ({
      id: 'accessTokenName',
      header: 'PAT',
      // A link to the PAT's details, which exist after it is gone too.
      cell: (event) => (
        <Link href={paths.tokenDetails(event.accessTokenId)} onFollow={follow}>
          <span style={{ overflowWrap: 'anywhere' }}>{event.accessTokenName}</span>
        </Link>
      ),
      // Naturally, as My settings sorts them: ci-2 before ci-10.
      sortingComparator: (a, b) => compareNames({ name: a.accessTokenName }, { name: b.accessTokenName }),
      minWidth: 110,
    }),
    visible: true,
  },
  {
    definition: () => ({
      id: 'source',
      header: 'Made with',
      cell: sourceText,
      sortingComparator: (a, b) => sourceText(a).localeCompare(sourceText(b)),
      minWidth: 130,
    }),
    visible: true,
  },
  {
    definition: () => ({
      id: 'sourceIpAddress',
      header: 'Address',
      cell: (event) => event.sourceIpAddress ?? '-',
      sortingField: 'sourceIpAddress',
      minWidth: 120,
    }),
    visible: true,
  },
  {
    definition: () => ({
      id: 'userAgent',
      header: 'Client',
      cell: (event) => <span style={{ overflowWrap: 'anywhere' }}>{event.userAgent ?? '-'}</span>,
      sortingField: 'userAgent',
      minWidth: 260,
    }),
    visible: true,
  },
  {
    definition: () => ({ id: 'accessTokenId', header: 'PAT ID', cell: (event) => event.accessTokenId, sortingField: 'accessTokenId' }),
    visible: false,
  },
];

/** Relative times are as of `now`; a PAT's name links to its details. */
export const activityColumns = (context: CellContext) => COLUMNS.map((column) => column.definition(context));

/** The activity table's page sizes, columns to show or hide, defaults, and stored preferences. */
export const ACTIVITY_TABLE_PREFERENCES = tablePreferences(COLUMNS, { now: new Date(0) }, { pageSizes: [10, 25, 50, 100], unit: 'events', pageSize: 25 });

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
