import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Checkbox from '@cloudscape-design/components/checkbox';
import ExpandableSection from '@cloudscape-design/components/expandable-section';
import FormField from '@cloudscape-design/components/form-field';
import Input, { type InputProps } from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useEffect, useRef, useState } from 'react';
import type { AccessTokenSummary } from '../../../../contract/schemas';
import { useNotify } from '../../../components/notifications';
import { errorMessage } from '../../../lib/error-message';
import { useAccessTokens } from '../api/use-access-tokens';
import { PartialDeleteError, useDeleteAccessToken } from '../api/use-delete-access-token';

const CONFIRMATION = 'delete';

interface DeleteAccessTokensModalProps {
  /** The tokens to delete: one or more. */
  tokens: readonly AccessTokenSummary[];
  onClose: (deleted: boolean) => void;
}

/** What went wrong, naming the tokens that are still there. */
function FailureAlert({ error }: { error: Error }) {
  if (!(error instanceof PartialDeleteError)) {
    return (
      <Alert type="error" header="The PATs could not be deleted">
        {errorMessage(error)}
      </Alert>
    );
  }
  const names = error.failed.map(({ token }) => token.name);
  const reasons = [...new Set(error.failed.map(({ error: reason }) => errorMessage(reason)))];
  return (
    <Alert
      type="error"
      header={names.length === 1 ? `PAT ${names[0]} could not be deleted` : `${names.length} PATs could not be deleted: ${names.join(', ')}`}
    >
      {reasons.join(' ')}
      {error.deletedCount > 0 && ` The other ${error.deletedCount === 1 ? 'PAT was' : `${error.deletedCount} PATs were`} deleted.`}
    </Alert>
  );
}

/** A PAT made with another's bearer, and the PAT it was made with. */
type Descendant = AccessTokenSummary & { createdWith: NonNullable<AccessTokenSummary['createdWith']> };

/** The tokens made with the bearer of any of `tokens`, and those made with theirs, and so on. */
export function madeWith(tokens: readonly AccessTokenSummary[], all: readonly AccessTokenSummary[]): Descendant[] {
  const ids = new Set(tokens.map((token) => token.id));
  const found: Descendant[] = [];
  for (let grew = true; grew; ) {
    grew = false;
    for (const token of all) {
      if (!ids.has(token.id) && token.createdWith && ids.has(token.createdWith.accessTokenId)) {
        ids.add(token.id);
        found.push({ ...token, createdWith: token.createdWith });
        grew = true;
      }
    }
  }
  return found;
}

/** What the dialog says of them: those made with the PATs asked for, and those made with those. */
export function descendantsText(descendants: readonly Descendant[], asked: readonly AccessTokenSummary[]): string {
  const askedIds = new Set(asked.map((token) => token.id));
  const direct = descendants.filter((token) => askedIds.has(token.createdWith.accessTokenId)).length;
  const indirect = descendants.length - direct;
  const pats = (count: number) => (count === 1 ? '1 PAT was' : `${count} PATs were`);
  const made = `${pats(direct)} created with ${asked.length === 1 ? 'it' : 'them'}`;
  return indirect === 0 ? made : `${made}, and ${indirect} more with ${direct === 1 ? 'that one' : 'those'}`;
}

export function DeleteAccessTokensModal({ tokens: asked, onClose }: DeleteAccessTokensModalProps) {
  const [confirmation, setConfirmation] = useState('');
  // After a partial failure, the dialog is about the tokens that are left.
  const [tokens, setTokens] = useState(asked);
  const deletion = useDeleteAccessToken();
  const notify = useNotify();
  const list = useAccessTokens();
  // A leaked PAT may have made others: they are offered for deletion too, never deleted unasked.
  const children = madeWith(tokens, list.data ?? []);
  const [withChildren, setWithChildren] = useState(false);
  const doomed = withChildren ? [...tokens, ...children] : tokens;
  const single = tokens.length === 1 ? tokens[0] : undefined;
  const title = single ? `Delete PAT: ${single.name}?` : `Delete ${tokens.length} PATs?`;
  // Phone keyboards capitalise and autocomplete adds a space: neither changes what the user meant.
  const confirmed = confirmation.trim().toLowerCase() === CONFIRMATION;
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
    deletion.mutate(doomed, {
      onSuccess: () => {
        notify({
          type: 'success',
          content: doomed.length === 1 && single ? `PAT ${single.name} deleted.` : `${doomed.length} PATs deleted.`,
        });
        onClose(true);
      },
      onError: (error) => {
        if (error instanceof PartialDeleteError) {
          setTokens(error.failed.map(({ token }) => token));
          setWithChildren(false);
        }
      },
    });
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
            // Its own scroll: a long selection keeps the title above and the field below in view.
            <div role="region" aria-label="PATs to delete" tabIndex={0} style={{ maxBlockSize: '12rem', overflowY: 'auto' }}>
              <ul>
                {tokens.map((token) => (
                  <li key={token.id}>{token.name}</li>
                ))}
              </ul>
            </div>
          )}
          {children.length > 0 && (
            <SpaceBetween size="xs">
              <ExpandableSection headerText={descendantsText(children, tokens)} variant="footer">
                <ul aria-label={`PATs created with ${single ? 'it' : 'them'}`}>
                  {children.map((token) => (
                    <li key={token.id}>
                      {token.name}{' '}
                      <Box variant="span" color="text-body-secondary">
                        (created with {token.createdWith.name})
                      </Box>
                    </li>
                  ))}
                </ul>
              </ExpandableSection>
              <Checkbox checked={withChildren} onChange={({ detail }) => setWithChildren(detail.checked)}>
                {children.length === 1 ? `Also delete ${children[0]?.name ?? ''}` : `Also delete these ${children.length} PATs`}
              </Checkbox>
            </SpaceBetween>
          )}
          <FormField label={`To confirm deletion, type "${CONFIRMATION}" in the text input field.`}>
            <Input
              value={confirmation}
              onChange={({ detail }) => setConfirmation(detail.value)}
              placeholder={CONFIRMATION}
              ref={input}
              ariaRequired
              autoComplete={false}
              spellcheck={false}
              nativeInputAttributes={{ autoCapitalize: 'off', autoCorrect: 'off' }}
            />
          </FormField>
          {deletion.isError && <FailureAlert error={deletion.error} />}
        </SpaceBetween>
      </form>
    </Modal>
  );
}
