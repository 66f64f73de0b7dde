import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import CopyToClipboard from '@cloudscape-design/components/copy-to-clipboard';
import FormField from '@cloudscape-design/components/form-field';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useEffect, useEffectEvent, useRef, useState } from 'react';
import type { AccessTokenAccess } from '../../../../contract/schemas';
import { PlainHttpAlert } from '../../../components/plain-http-alert';
import { gitTransport } from '../../../lib/git-remote';
import { formatExpiry } from '../utils/expiry';

interface SecretModalProps {
  name: string;
  expiresTime: string;
  secret: string;
  onCopied: () => void;
  onClose: () => void;
  /** Set while the user tries to leave the page (Back, a link) before copying: ask, as Close does. */
  leaving?: { stay: () => void; leave: () => void };
  /** The address of one of the user's repositories on this server, when the user is known. */
  remoteFor?: (repository: string) => string;
  /** What the PAT may do: the instructions follow it. */
  access: AccessTokenAccess;
}

/** Shows a new token's secret, the only time anyone sees it. The secret lives in the parent's state alone. */
export function SecretModal({ name, expiresTime, secret, onCopied, onClose, leaving, remoteFor, access }: SecretModalProps) {
  const [copied, setCopied] = useState(false);
  const [copyFailed, setCopyFailed] = useState(false);
  const [confirmingClose, setConfirmingClose] = useState(false);

  const copyButton = useRef<HTMLDivElement>(null);
  const requestClose = () => (copied ? onClose() : setConfirmingClose(true));
  const markCopied = () => {
    setCopied(true);
    setCopyFailed(false);
    setConfirmingClose(false);
    onCopied();
  };

  // What the user came for is Copy: it takes the focus from the close button the modal starts on.
  useEffect(() => {
    const timer = setTimeout(() => copyButton.current?.querySelector('button')?.focus());
    return () => clearTimeout(timer);
  }, []);

  // A copy by hand (select, Ctrl+C, or the context menu) counts when it holds the whole secret.
  const onCopy = useEffectEvent(() => {
    if (document.getSelection()?.toString().replace(/\s/g, '').includes(secret)) markCopied();
  });
  useEffect(() => {
    const listener = () => onCopy();
    document.addEventListener('copy', listener);
    return () => document.removeEventListener('copy', listener);
  }, []);
  // The instructions follow the access: a push to create for a PAT that may write, a clone for one that reads.
  const git = access.permissions.includes('READ_REPOSITORIES');
  const writes = access.permissions.includes('WRITE_REPOSITORIES');
  const api = access.permissions.includes('MANAGE_ACCESS_TOKENS') || access.permissions.includes('READ_ACTIVITY');
  const repository = access.repositories?.[0] ?? 'REPOSITORY';
  const remote = remoteFor?.(repository);
  const command = remote && (writes ? `git push ${remote} HEAD` : `git clone ${remote}`);
  const confirming = confirmingClose || leaving !== undefined;

  return (
    <Modal
      visible
      size="medium"
      header="Copy your PAT secret"
      closeAriaLabel="Close dialog"
      onDismiss={({ detail }) => {
        // A stray click outside must not lose the secret.
        if (detail.reason !== 'overlay') requestClose();
      }}
      footer={
        <Box float="right">
          {confirming ? (
            <SpaceBetween direction="horizontal" size="xs">
              {/* The safe choice is the primary one. */}
              <Button onClick={leaving ? leaving.leave : onClose}>{leaving ? 'Leave without copying' : 'Close without copying'}</Button>
              <Button variant="primary" onClick={() => (leaving ? leaving.stay() : setConfirmingClose(false))}>
                Keep the secret open
              </Button>
            </SpaceBetween>
          ) : (
            <Button variant="primary" onClick={requestClose}>
              Close
            </Button>
          )}
        </Box>
      }
    >
      <SpaceBetween size="l">
        <Alert type="warning" header="This is the only time the secret is shown">
          Copy it now and store it somewhere safe, such as a password manager. After you close this
          window you can&apos;t see it again. If you lose it, regenerate this PAT: it keeps its name, and you get a new
          secret.
        </Alert>
        <KeyValuePairs
          columns={2}
          items={[
            { label: 'PAT name', value: name },
            { label: 'Expiration date', value: formatExpiry(new Date(expiresTime), 'long') },
          ]}
        />
        <FormField label="PAT secret" stretch>
          <ColumnLayout columns={1}>
            <Box variant="code" fontSize="body-m">
              <span style={{ wordBreak: 'break-all' }} aria-label="PAT secret">
                {secret}
              </span>
            </Box>
            <div
              ref={copyButton}
              // Escape closes the dialog, not just the "Copied" note the copy left open.
              onKeyDownCapture={(event) => {
                if (event.key === 'Escape' && copied) {
                  event.stopPropagation();
                  onClose();
                }
              }}
            >
              <CopyToClipboard
                variant="button"
                copyButtonText="Copy"
                copySuccessText="Copied"
                copyErrorText="Your browser did not allow copying. Select the secret and copy it yourself."
                textToCopy={secret}
                onCopySuccess={markCopied}
                onCopyFailure={() => setCopyFailed(true)}
              />
            </div>
          </ColumnLayout>
        </FormField>
        {copyFailed && (
          <Alert type="info">
            The clipboard is unavailable here. Select the secret above and copy it with your keyboard.
          </Alert>
        )}
        {confirming && (
          <Alert type="error" header="You haven't copied the secret">
            If you close now, the secret is gone for good. Anything that needs this PAT will need a new one.
          </Alert>
        )}
        <SpaceBetween size="xs">
          <Box variant="h3">How to use it</Box>
          {git && (
            <Box variant="p">
              As a Git password: when Git asks for a password over {gitTransport()}, paste the secret. Any user name
              works; the PAT says who you are.{' '}
              {writes ? 'A push to a new name creates a repository.' : 'This PAT can only read: clone and fetch.'}
              {command && repository === 'REPOSITORY' ? ' In the command below, replace REPOSITORY with a name.' : ''}
            </Box>
          )}
          {git && command && <PlainHttpAlert />}
          {git && command && (
            <CopyToClipboard
              variant="inline"
              copyButtonAriaLabel={`Copy the git ${writes ? 'push' : 'clone'} command`}
              copySuccessText="Command copied"
              copyErrorText="Copying failed: select the command and copy it yourself."
              textToCopy={command}
              textToDisplay={<Box variant="code">{command}</Box>}
            />
          )}
          {api && (
            <Box variant="p">
              As an API bearer token: send the header <Box variant="code">Authorization: Bearer &lt;secret&gt;</Box>.
            </Box>
          )}
        </SpaceBetween>
      </SpaceBetween>
    </Modal>
  );
}
