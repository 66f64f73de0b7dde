import Alert from '@cloudscape-design/components/alert';
import type { AccessTokenSummary } from '../../../../contract/schemas';
import { EXPIRING_SOON_DAYS, expiresSoon } from '../utils/expiry';

export function ExpiringSoonAlert({ tokens, now }: { tokens: readonly AccessTokenSummary[]; now: Date }) {
  const count = tokens.filter((token) => expiresSoon(token.expiresTime, now)).length;
  if (count === 0) return null;
  return (
    <Alert type="warning" header={`${count} ${count === 1 ? 'PAT expires' : 'PATs expire'} within ${EXPIRING_SOON_DAYS} days`}>
      {count === 1
        ? 'Regenerate it before it stops working (select it, then Regenerate), and give the places that use it the new secret.'
        : 'Regenerate them before they stop working (select one, then Regenerate), and give the places that use them the new secret.'}
    </Alert>
  );
}
