import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import Input, { type InputProps } from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useEffect, useRef, useState } from 'react';
import { useNotify } from '../../../components/notifications';
import type { AccessTokenSummary } from '../../../lib/api-contract';
import { useDeleteAccessToken } from '../api/use-delete-access-token';

const CONFIRMATION = 'delete';

interface DeleteAccessTokensModalProps {
  /** The tokens to delete: one or more. */
  tokens: readonly AccessTokenSummary[];
  onClose: (deleted: boolean) => void;
}

export function DeleteAccessTokensModal({ tokens, onClose }: DeleteAccessTokensModalProps) {
  const [confirmation, setConfirmation] = useState('');
  const deletion = useDeleteAccessToken();
  const notify = useNotify();
  const single = tokens.length === 1 ? tokens[0] : undefined;
  const title = single ? `Delete PAT: ${single.name}?` : `Delete ${tokens.length} PATs?`;
  const confirmed = confirmation === CONFIRMATION;
  const input = useRef<InputProps.Ref>(null);

  // The modal's focus trap puts focus on its close button once it mounts; what the user has to do
  // next is type, so the field takes the focus right after.
  useEffect(() => {
    const timer = setTimeout(() => input.current?.focus());
    return () => clearTimeout(timer);
  }, []);

  const submit = (event: { preventDefault: () => void }) => {
    event.preventDefault();
    if (!confirmed || deletion.isPending) return;
    deletion.mutate(
      tokens.map((token) => token.id),
      {
        onSuccess: () => {
          notify({
            type: 'success',
            content: single ? `PAT ${single.name} deleted.` : `${tokens.length} PATs deleted.`,
          });
          onClose(true);
        },
      },
    );
  };

  return (
    <Modal
      visible
      header={title}
      onDismiss={() => onClose(false)}
      closeAriaLabel="Close dialog"
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={() => onClose(false)}>
              Cancel
            </Button>
            <Button
              variant="primary"
              disabled={!confirmed}
              loading={deletion.isPending}
              onClick={submit}
            >
              Delete
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <form onSubmit={submit}>
        <SpaceBetween size="m">
          <Box variant="span">
            {single ? (
              <>
                Permanently delete <Box variant="strong" display="inline">{single.name}</Box>? Anything using it
                as a password or bearer token stops working at once. You can&apos;t undo this action.
              </>
            ) : (
              <>
                Permanently delete these PATs? Anything using them stops working at once. You can&apos;t
                undo this action.
              </>
            )}
          </Box>
          {!single && (
            <ul aria-label="PATs to delete">
              {tokens.map((token) => (
                <li key={token.id}>{token.name}</li>
              ))}
            </ul>
          )}
          <FormField label={`To confirm deletion, type "${CONFIRMATION}" in the text input field.`}>
            <Input
              value={confirmation}
              onChange={({ detail }) => setConfirmation(detail.value)}
              placeholder={CONFIRMATION}
              ref={input}
              ariaRequired
              autoComplete={false}
            />
          </FormField>
          {deletion.isError && (
            <Alert type="error" header="The PAT could not be deleted">
              {deletion.error.message}
            </Alert>
          )}
        </SpaceBetween>
      </form>
    </Modal>
  );
}
