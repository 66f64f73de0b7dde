import Alert from '@cloudscape-design/components/alert';
import Button from '@cloudscape-design/components/button';
import type { AccessTokenSummary } from '../../../../contract/schemas';
import { EXPIRING_SOON_DAYS, expiresSoon } from '../utils/expiry';

interface ExpiringSoonAlertProps {
  tokens: readonly AccessTokenSummary[];
  now: Date;
  /** Whether the table shows only these PATs; the alert's button switches it. */
  showingThem: boolean;
  onShowThem: (show: boolean) => void;
}

export function ExpiringSoonAlert({ tokens, now, showingThem, onShowThem }: ExpiringSoonAlertProps) {
  const count = tokens.filter((token) => expiresSoon(token.expiresTime, now)).length;
  if (count === 0) return null;
  return (
    <Alert
      type="warning"
      action={<Button onClick={() => onShowThem(!showingThem)}>{showingThem ? 'Show all PATs' : `Show ${count === 1 ? 'it' : 'them'}`}</Button>}
      header={`${count} ${count === 1 ? 'PAT expires' : 'PATs expire'} within ${EXPIRING_SOON_DAYS} days`}>
      {count === 1
        ? 'Regenerate it before it stops working (select it, then Regenerate), and give the places that use it the new secret.'
        : 'Regenerate them before they stop working (select one, then Regenerate), and give the places that use them the new secret.'}
    </Alert>
  );
}
