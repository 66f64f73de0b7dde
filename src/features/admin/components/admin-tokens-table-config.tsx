import type { TableProps } from '@cloudscape-design/components/table';
import { FULL_ACCESS } from '../../../../contract/access';
import type { AdminAccessTokenSummary } from '../../../../contract/schemas';
import { accessSummary } from '../../../lib/access-text';
import { formatRelative } from '../../../lib/relative-time';

/** The admin list's columns: one list. */
const day = new Intl.DateTimeFormat('en', { dateStyle: 'medium' });
const when = (time: string | undefined, now: Date) => (time ? `${day.format(new Date(time))} (${formatRelative(new Date(time), now)})` : '-');

export const adminTokenColumns = (now: Date): Array<TableProps.ColumnDefinition<AdminAccessTokenSummary>> => [
  { id: 'ownerName', header: 'Owner', cell: (token) => token.ownerName, minWidth: 120 },
  { id: 'name', header: 'Name', cell: (token) => token.name, minWidth: 140 },
  { id: 'access', header: 'Access', cell: (token) => accessSummary(token.access ?? FULL_ACCESS), minWidth: 180 },
  { id: 'createdTime', header: 'Created', cell: (token) => when(token.createdTime, now), sortingField: 'createdTime', minWidth: 160 },
  { id: 'expiresTime', header: 'Expires', cell: (token) => when(token.expiresTime, now), sortingField: 'expiresTime', minWidth: 160 },
  { id: 'lastUsedTime', header: 'Last used', cell: (token) => (token.lastUsedTime ? formatRelative(new Date(token.lastUsedTime), now) : 'Never'), minWidth: 110 },
  { id: 'createdWith', header: 'Created with', cell: (token) => (token.createdWith ? `PAT ${token.createdWith.name}` : 'Console'), minWidth: 120 },
];
