import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useState } from 'react';
import type { AdminRevokeAccessTokensRequest } from '../../../../contract/schemas';
import { useNotify } from '../../../components/notifications';
import { errorMessage } from '../../../lib/error-message';
import { useAdminRevoke } from '../api/admin-queries';

const CONFIRMATION = 'revoke';

/** What is to be revoked: PATs picked in the list, or every PAT of one user. */
export type RevokeTarget = { names: string[]; request: AdminRevokeAccessTokensRequest; title: string };

/** Acts only once `revoke` is typed, as the delete dialog does with `delete`. */
export function RevokeTokensModal({ target, onClose }: { target: RevokeTarget; onClose: () => void }) {
  const [typed, setTyped] = useState('');
  const revoke = useAdminRevoke();
  const notify = useNotify();
  const confirmed = typed.trim().toLowerCase() === CONFIRMATION;
  const submit = () => {
    if (!confirmed) return;
    revoke.mutate(target.request, {
      onSuccess: ({ revokedCount }) => {
        notify({ type: 'success', content: `${revokedCount === 1 ? '1 PAT' : `${revokedCount} PATs`} revoked. Their owners see it in their activity.` });
        onClose();
      },
    });
  };
  return (
    <Modal
      visible
      header={target.title}
      closeAriaLabel="Close dialog"
      onDismiss={() => !revoke.isPending && onClose()}
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" disabled={revoke.isPending} onClick={onClose}>
              Cancel
            </Button>
            <Button variant="primary" disabled={!confirmed} loading={revoke.isPending} onClick={submit}>
              Revoke
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <SpaceBetween size="m">
          <Box variant="p">
            {target.names.length > 0 ? `Revoke ${target.names.join(', ')}?` : 'Revoke these PATs?'} Their secrets stop working at once, on every
            server, and their owners see who revoked them.
          </Box>
          {revoke.error ? (
            <Alert type="error" header="Not revoked">
              {errorMessage(revoke.error)}
            </Alert>
          ) : null}
          <FormField label={`To confirm, type "${CONFIRMATION}".`}>
            <Input value={typed} onChange={({ detail }) => setTyped(detail.value)} placeholder={CONFIRMATION} ariaRequired />
          </FormField>
        </SpaceBetween>
      </form>
    </Modal>
  );
}
