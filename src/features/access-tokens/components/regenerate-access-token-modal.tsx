import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ExpandableSection from '@cloudscape-design/components/expandable-section';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { useRef, useState } from 'react';
import { FormProvider, useForm } from 'react-hook-form';
import { FULL_ACCESS } from '../../../../contract/access';
import { isApiError } from '../../../../contract/api-client';
import { normalizeDescription } from '../../../../contract/names';
import type { AccessTokenAccess, AccessTokenSummary, GetAccessTokenLimitsResponse, RegenerateAccessTokenResponse } from '../../../../contract/schemas';
import { useNotify } from '../../../components/notifications';
import { useLeaveGuard } from '../../../components/use-leave-guard';
import { useToday } from '../../../components/use-today';
import { accessSummary } from '../../../lib/access-text';
import { errorMessage } from '../../../lib/error-message';
import { useAccessTokenLimits } from '../api/use-access-token-limits';
import { useRegenerateAccessToken } from '../api/use-regenerate-access-token';
import { DEFAULT_EXPIRY_PRESET, maxExpiryDate, toDateInput, toExpiresTime } from '../utils/expiry';
import { chosenExpiryDate, customDateProblem } from '../utils/expiry-choice';
import { AccessFields, fromAccess, toAccess, type AccessValues } from './access-fields';
import { DescriptionField, type DescriptionValues } from './description-field';
import { ExpiryChoiceField, type ExpiryChoiceValues } from './expiry-choice-field';
import { SecretModal } from './secret-modal';

interface RegenerateAccessTokenModalProps {
  token: AccessTokenSummary;
  /** `regenerated`: the token has a new secret (shown, and closed by the user). */
  onClose: (regenerated: boolean) => void;
}

/**
 * Regenerate: a new expiry (the same presets and calendar as Create), a warning that the current
 * secret stops working at once, then the new secret in the one-time secret modal. The secret lives
 * in this component's state alone, until that modal closes.
 */
export function RegenerateAccessTokenModal({ token, onClose }: RegenerateAccessTokenModalProps) {
  const limits = useAccessTokenLimits();
  const [regenerated, setRegenerated] = useState<RegenerateAccessTokenResponse & { access: AccessTokenAccess }>();
  const [copied, setCopied] = useState(false);
  const regeneration = useRegenerateAccessToken();
  const notify = useNotify();
  // Leaving now would lose a secret: one being made, or shown and not yet copied.
  const guard = useLeaveGuard(regeneration.isPending || (regenerated !== undefined && !copied));

  if (regenerated) {
    return (
      <SecretModal
        name={regenerated.name}
        expiresTime={regenerated.expiresTime}
        secret={regenerated.secret}
        access={regenerated.access}
        onCopied={() => setCopied(true)}
        leaving={guard.blocked ? { stay: guard.stay, leave: guard.leave } : undefined}
        onClose={() => {
          guard.allow();
          notify({ type: 'success', content: `PAT ${token.name} regenerated. Its old secret no longer works.` });
          onClose(true);
        }}
      />
    );
  }
  return (
    <Modal
      visible
      header={`Regenerate PAT: ${token.name}?`}
      closeAriaLabel="Close dialog"
      onDismiss={() => {
        if (!regeneration.isPending) onClose(false);
      }}
      footer={
        limits.data ? undefined : (
          <Box float="right">
            <Button variant="link" onClick={() => onClose(false)}>
              Cancel
            </Button>
          </Box>
        )
      }
    >
      {limits.data ? (
        <RegenerateForm
          token={token}
          limits={limits.data}
          regeneration={regeneration}
          onCancel={() => onClose(false)}
          onRegenerated={(response) => {
            setRegenerated(response);
            // Drop the response, and with it the secret, from the mutation cache.
            regeneration.reset();
          }}
        />
      ) : limits.isError ? (
        <Alert type="error" header="The dialog could not be loaded" action={<Button onClick={() => void limits.refetch()}>Retry</Button>}>
          {errorMessage(limits.error)}
        </Alert>
      ) : (
        <StatusIndicator type="loading">Loading</StatusIndicator>
      )}
    </Modal>
  );
}

/** The service refused the expiry: said next to the field, not above the form. */
const isExpiryRefusal = (error: Error) => isApiError(error, 'ValidationException') && /expires/i.test(error.message);

function RegenerateForm({
  token,
  limits,
  regeneration,
  onCancel,
  onRegenerated,
}: {
  token: AccessTokenSummary;
  limits: GetAccessTokenLimitsResponse;
  regeneration: ReturnType<typeof useRegenerateAccessToken>;
  onCancel: () => void;
  onRegenerated: (response: RegenerateAccessTokenResponse & { access: AccessTokenAccess }) => void;
}) {
  const { today, recheck } = useToday();
  const years = limits.maxTokenLifetimeYears;
  const sending = useRef(false);
  const current = token.access ?? FULL_ACCESS;
  const form = useForm<ExpiryChoiceValues & DescriptionValues & AccessValues>({
    mode: 'onSubmit',
    reValidateMode: 'onChange',
    defaultValues: {
      preset: DEFAULT_EXPIRY_PRESET,
      customDate: toDateInput(maxExpiryDate(today, years)),
      description: token.description ?? '',
      ...fromAccess(current),
    },
  });
  const { handleSubmit, setError } = form;

  const onSubmit = (values: ExpiryChoiceValues & DescriptionValues & AccessValues) => {
    // A second click, or Enter, before React re-renders must not make a second secret.
    if (sending.current) return;
    const day = recheck();
    const expiry = chosenExpiryDate(day, values, years);
    if (!expiry) {
      setError('customDate', { type: 'validate', message: customDateProblem(values.customDate, day, years) });
      return;
    }
    sending.current = true;
    const access = toAccess(values);
    regeneration.mutate(
      // The description as the field holds it: emptied, it is removed.
      { id: token.id, expiresTime: toExpiresTime(expiry), description: normalizeDescription(values.description), access },
      {
        onSuccess: (response) => onRegenerated({ ...response, access }),
        onError: (error) => {
          if (isExpiryRefusal(error)) setError('customDate', { type: 'server', message: error.message });
        },
        onSettled: () => {
          sending.current = false;
        },
      },
    );
  };
  const failure = regeneration.error && !isExpiryRefusal(regeneration.error);

  return (
    <FormProvider {...form}>
      <form onSubmit={(event) => void handleSubmit(onSubmit)(event)} noValidate>
        <SpaceBetween size="l">
          <Alert type="warning" header="The current secret stops working at once">
            Anything that uses PAT {token.name} now, such as a Git remote, a pipeline or a script, is refused until you give
            it the new secret. The PAT keeps its name.
          </Alert>
          <ExpiryChoiceField today={today} lifetimeYears={years} />
          <DescriptionField />
          <ExpandableSection headerText="Access" headerDescription={`${accessSummary(current)}. Regenerate keeps it, or narrows it; it never widens.`}>
            <AccessFields knownRepositories={current.repositories ?? []} within={current} />
          </ExpandableSection>
          {failure && (
            <Alert type="error" header="The PAT was not regenerated">
              {errorMessage(regeneration.error)}{' '}
              {/* No answer, or the service failing inside: only the old secret can tell. */}
              {isApiError(regeneration.error) && (regeneration.error.status === 0 || regeneration.error.status >= 500)
                ? 'It may have been: if its current secret is refused, regenerate it again.'
                : 'Its current secret still works.'}
            </Alert>
          )}
          <Box float="right">
            <SpaceBetween direction="horizontal" size="xs">
              <Button formAction="none" variant="link" onClick={onCancel} disabled={regeneration.isPending}>
                Cancel
              </Button>
              <Button variant="primary" loading={regeneration.isPending} disabled={regeneration.isPending}>
                Regenerate
              </Button>
            </SpaceBetween>
          </Box>
        </SpaceBetween>
      </form>
    </FormProvider>
  );
}
