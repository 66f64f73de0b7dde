import Alert from '@cloudscape-design/components/alert';
import type { AccessTokenSummary } from '../../../../contract/schemas';
import { EXPIRING_SOON_DAYS } from '../utils/expiry';

const DAY_MS = 24 * 60 * 60 * 1000;

export function ExpiringSoonAlert({ tokens, now }: { tokens: readonly AccessTokenSummary[]; now: Date }) {
  const limit = now.getTime() + EXPIRING_SOON_DAYS * DAY_MS;
  const count = tokens.filter(
    (token) => token.expiresTime !== undefined && Date.parse(token.expiresTime) <= limit,
  ).length;
  if (count === 0) return null;
  return (
    <Alert type="warning" header={`${count} ${count === 1 ? 'token expires' : 'tokens expire'} within ${EXPIRING_SOON_DAYS} days`}>
      Create replacements before they stop working, then update the places that use them.
    </Alert>
  );
}
