import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Link from '@cloudscape-design/components/link';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Controller, FormProvider, useForm, useWatch } from 'react-hook-form';
import { ACCESS_TOKEN_NAME_MAX_LENGTH } from '../../../../contract/access-tokens';
import { isApiError } from '../../../../contract/api-client';
import { countCharacters, normalizeDescription, normalizeTokenName, tokenNameProblem } from '../../../../contract/names';
import type { AccessTokenAccess, AccessTokenSummary, CreateAccessTokenResponse, GetAccessTokenLimitsResponse } from '../../../../contract/schemas';
import { useLeaveGuard } from '../../../components/use-leave-guard';
import { useRouterFollow } from '../../../components/use-router-follow';
import { useToday } from '../../../components/use-today';
import { errorMessage } from '../../../lib/error-message';
import { gitRemoteUrl } from '../../../lib/git-remote';
import { paths } from '../../../lib/paths';
import { useAccessTokenLimits } from '../api/use-access-token-limits';
import { useAccessTokens } from '../api/use-access-tokens';
import { useCreateAccessToken } from '../api/use-create-access-token';
import { DEFAULT_EXPIRY_PRESET, maxExpiryDate, toDateInput, toExpiresTime } from '../utils/expiry';
import { chosenExpiryDate, customDateProblem } from '../utils/expiry-choice';
import { AccessFields, DEFAULT_ACCESS_VALUES, toAccess, type AccessValues } from './access-fields';
import { DescriptionField, type DescriptionValues } from './description-field';
import { ExpiryChoiceField, type ExpiryChoiceValues } from './expiry-choice-field';
import { SecretModal } from './secret-modal';

interface FormValues extends ExpiryChoiceValues, DescriptionValues, AccessValues {
  name: string;
}

/** The service's name rules (shared with it), in the console's words. */
function nameError(value: string): string | undefined {
  const problem = tokenNameProblem(value);
  switch (problem?.kind) {
    case undefined:
      return undefined;
    case 'empty':
      return 'Enter a name for the PAT.';
    case 'too-long':
      return `The name can have at most ${ACCESS_TOKEN_NAME_MAX_LENGTH} characters; it has ${problem.length}.`;
    case 'forbidden':
      return `The name can't contain control, line-break or text-direction characters (it has ${problem.codePoint}).`;
    case 'ignorable':
      return `The name can't contain characters that show nothing, such as zero-width spaces (it has ${problem.codePoint}).`;
    case 'invisible':
      return 'The name needs at least one visible letter, digit, punctuation mark or symbol.';
  }
}

/** The admins' rules, said before the user fills in what they would refuse. */
function PolicyNotice({ limits }: { limits: GetAccessTokenLimitsResponse }) {
  const rules = [
    ...(limits.forbidFullAccess ? ['leave out a permission, or limit it to some repositories or networks (no full access)'] : []),
    ...(limits.forbidManageAccessTokens ? ['leave out "Manage PATs"'] : []),
  ];
  if (rules.length === 0) return null;
  return (
    <Alert type="info" header="Your administrators' policy">
      A PAT must {rules.join(', and ')}.
    </Alert>
  );
}

function createErrorMessage(error: Error, limits: GetAccessTokenLimitsResponse): string {
  if (isApiError(error, 'ServiceQuotaExceededException')) {
    return `You already have ${limits.maxLiveTokens} PATs, the most allowed. Delete one you no longer use, then create this one.`;
  }
  return `The PAT was not created. ${errorMessage(error)}`;
}

/** No answer, or the service failing inside: the PAT may exist, and only the list can tell. */
const outcomeUnknown = (error: Error) => isApiError(error) && (error.status === 0 || error.status >= 500);

interface UncertainCreate {
  name: string;
  /** The tokens there were before the request: a new one of that name is the one it made. */
  knownIds: ReadonlySet<string>;
  failedAt: number;
}

/** While a create's outcome is unknown and the list cannot tell, it is asked again this often. */
export const UNCERTAIN_RECHECK_MS = 5_000;

/** What the refreshed list says about a create whose answer never came. */
function uncertainCreateMessage(
  attempt: UncertainCreate,
  list: { data: readonly AccessTokenSummary[] | undefined; dataUpdatedAt: number; errorUpdatedAt: number; isError: boolean },
  settingsLink: ReactNode,
): ReactNode {
  if (list.dataUpdatedAt >= attempt.failedAt && !list.isError) {
    const made = list.data?.find((token) => token.name === attempt.name && !attempt.knownIds.has(token.id));
    if (made) {
      return `The answer was lost, but the service did create a PAT named “${made.name}”. Its secret can't be shown again: delete that PAT in My settings and create another. Choosing Create again makes a second one.`;
    }
    return `The PAT was not created: the service could not be reached, and no PAT named “${attempt.name}” is in your list. Check your connection and choose Create again.`;
  }
  if (list.errorUpdatedAt >= attempt.failedAt) {
    return (
      <>
        The service cannot be reached, so whether “{attempt.name}” was created cannot be checked yet. Your PATs are checked again every
        few seconds, and this message says what happened as soon as the service answers. Or look for it in {settingsLink}.
      </>
    );
  }
  return 'The service did not answer, so the PAT may or may not have been created. Checking your PATs…';
}

/** The field a ValidationException from the service is about, to show it there; else the form. */
function fieldOfError(error: Error): 'name' | 'customDate' | undefined {
  if (!isApiError(error, 'ValidationException')) return undefined;
  if (/expires/i.test(error.message)) return 'customDate';
  if (/name/i.test(error.message)) return 'name';
  return undefined;
}

interface CreateAccessTokenFormProps {
  /** The signed-in user's name, for a ready git command; absent while unknown. */
  gitUserName?: string;
  /** The user's repositories, offered when the PAT is limited to some. */
  knownRepositories?: readonly string[];
  onCancel: () => void;
  /** Called once the user has closed the secret's modal. */
  onDone: (name: string) => void;
}

const pageHeader = (
  <Header variant="h1" description="A PAT stands in for your password when Git or a script talks to the service.">
    Create PAT
  </Header>
);

/** The form, once the server has said what it allows. */
export function CreateAccessTokenForm(props: CreateAccessTokenFormProps) {
  const limits = useAccessTokenLimits();
  if (limits.data) return <CreateForm {...props} limits={limits.data} />;
  return (
    <SpaceBetween size="l">
      {pageHeader}
      {limits.isError ? (
        <Alert
          type="error"
          header="The form could not be loaded"
          action={<Button onClick={() => void limits.refetch()}>Retry</Button>}
        >
          {errorMessage(limits.error)}
        </Alert>
      ) : (
        <StatusIndicator type="loading">Loading</StatusIndicator>
      )}
    </SpaceBetween>
  );
}

function CreateForm({
  gitUserName,
  knownRepositories = [],
  onCancel,
  onDone,
  limits,
}: CreateAccessTokenFormProps & { limits: GetAccessTokenLimitsResponse }) {
  const { today, recheck } = useToday();
  const years = limits.maxTokenLifetimeYears;
  const existing = useAccessTokens();
  const follow = useRouterFollow();
  const creation = useCreateAccessToken();
  const sending = useRef(false);
  // The secret is held here, in this component's state only, until the modal closes.
  const [created, setCreated] = useState<CreateAccessTokenResponse & { access: AccessTokenAccess }>();
  const [copied, setCopied] = useState(false);
  // Leaving now would lose a secret: one being created, or shown and not yet copied.
  const guard = useLeaveGuard(creation.isPending || (created !== undefined && !copied));

  const form = useForm<FormValues>({
    // Cloudscape's pattern: validate on submit, then as the user corrects.
    mode: 'onSubmit',
    reValidateMode: 'onChange',
    defaultValues: {
      name: '',
      description: '',
      preset: DEFAULT_EXPIRY_PRESET,
      customDate: toDateInput(maxExpiryDate(today, years)),
      ...DEFAULT_ACCESS_VALUES,
    },
  });
  const { control, handleSubmit, setError } = form;
  const name = useWatch({ control, name: 'name' });

  const normalized = normalizeTokenName(name).toLowerCase();
  const duplicate =
    !created &&
    normalized.length > 0 &&
    existing.data?.some((token) => token.name.toLowerCase() === normalized);

  const [uncertain, setUncertain] = useState<UncertainCreate>();

  const onSubmit = (values: FormValues) => {
    // A second click, or Enter, before React re-renders must not create a second token.
    if (sending.current) return;
    // The page may have been open since yesterday: judge the date against the day it is now.
    const day = recheck();
    const expiry = chosenExpiryDate(day, values, years);
    if (!expiry) {
      setError('customDate', { type: 'validate', message: customDateProblem(values.customDate, day, years) });
      return;
    }
    sending.current = true;
    setUncertain(undefined);
    const name = normalizeTokenName(values.name);
    const description = normalizeDescription(values.description);
    const access = toAccess(values);
    const knownIds = new Set(existing.data?.map((token) => token.id));
    creation.mutate(
      { name, expiresTime: toExpiresTime(expiry), ...(description ? { description } : {}), access },
      {
        onSuccess: (response) => {
          setCreated({ ...response, access });
          // Drop the response, and with it the secret, from the mutation cache.
          creation.reset();
        },
        onError: (error) => {
          const field = fieldOfError(error);
          if (field) setError(field, { type: 'server', message: error.message });
          if (outcomeUnknown(error)) {
            setUncertain({ name, knownIds, failedAt: Date.now() });
            void existing.refetch();
          }
        },
        onSettled: () => {
          sending.current = false;
        },
      },
    );
  };

  // A create whose outcome is unknown while the list cannot be had either: ask for the list until it comes.
  const listUnreachable = uncertain !== undefined && existing.errorUpdatedAt >= uncertain.failedAt && existing.dataUpdatedAt < uncertain.failedAt;
  const recheckList = existing.refetch;
  useEffect(() => {
    if (!listUnreachable) return;
    const timer = setInterval(() => void recheckList(), UNCERTAIN_RECHECK_MS);
    return () => clearInterval(timer);
  }, [listUnreachable, recheckList]);

  const settingsLink = (
    <Link href={paths.settings} onFollow={follow}>
      My settings
    </Link>
  );
  const formError = uncertain
    ? uncertainCreateMessage(uncertain, existing, settingsLink)
    : creation.error && !fieldOfError(creation.error)
      ? createErrorMessage(creation.error, limits)
      : undefined;

  return (
    <>
      <FormProvider {...form}>
        <form onSubmit={(event) => void handleSubmit(onSubmit)(event)} noValidate>
          <Form
            header={pageHeader}
            errorText={formError}
            errorIconAriaLabel="Error"
            actions={
              <SpaceBetween direction="horizontal" size="xs">
                <Button formAction="none" variant="link" onClick={onCancel}>
                  Cancel
                </Button>
                <Button variant="primary" loading={creation.isPending} disabled={creation.isPending}>
                  Create
                </Button>
              </SpaceBetween>
            }
          >
            <SpaceBetween size="l">
            <PolicyNotice limits={limits} />
            <Container header={<Header variant="h2">PAT details</Header>}>
              <SpaceBetween size="l">
                <Controller
                  control={control}
                  name="name"
                  rules={{ validate: (value) => nameError(value) ?? true }}
                  render={({ field, fieldState }) => {
                    const length = countCharacters(normalizeTokenName(field.value));
                    // Too long is said as it happens, not only at submit: the counter turns into the error.
                    const error = fieldState.error?.message ?? (length > ACCESS_TOKEN_NAME_MAX_LENGTH ? nameError(field.value) : undefined);
                    return (
                    <FormField
                      label="PAT name"
                      description="A name that says where the PAT is used, such as the laptop or the pipeline."
                      constraintText={`${length}/${ACCESS_TOKEN_NAME_MAX_LENGTH} characters.`}
                      errorText={error}
                      warningText={
                        duplicate && !fieldState.error
                          ? 'You already have a PAT with this name. A distinct name makes it easier to tell them apart.'
                          : undefined
                      }
                    >
                      <Input
                        ref={field.ref}
                        value={field.value}
                        onChange={({ detail }) => field.onChange(detail.value)}
                        onBlur={field.onBlur}
                        invalid={error !== undefined}
                        autoFocus
                        autoComplete={false}
                        spellcheck={false}
                      />
                    </FormField>
                    );
                  }}
                />
                <ExpiryChoiceField today={today} lifetimeYears={years} />
                <DescriptionField />
              </SpaceBetween>
            </Container>
            <Container header={<Header variant="h2" description="What the PAT may do, on which repositories, from where.">Access</Header>}>
              <AccessFields knownRepositories={knownRepositories} />
            </Container>
            </SpaceBetween>
          </Form>
        </form>
      </FormProvider>
      {created && (
        <SecretModal
          name={created.name}
          expiresTime={created.expiresTime}
          secret={created.secret}
          onCopied={() => setCopied(true)}
          remoteFor={gitUserName === undefined ? undefined : (repository) => gitRemoteUrl(gitUserName, repository)}
          access={created.access}
          leaving={guard.blocked ? { stay: guard.stay, leave: guard.leave } : undefined}
          onClose={() => {
            const { name: createdName } = created;
            guard.allow();
            setCreated(undefined);
            onDone(createdName);
          }}
        />
      )}
      {guard.blocked && !created && (
        <Modal
          visible
          header="Leave while your PAT is being created?"
          closeAriaLabel="Stay on this page"
          onDismiss={guard.stay}
          footer={
            <Box float="right">
              <SpaceBetween direction="horizontal" size="xs">
                <Button onClick={guard.stay}>Stay</Button>
                <Button variant="primary" onClick={guard.leave}>
                  Leave anyway
                </Button>
              </SpaceBetween>
            </Box>
          }
        >
          The service is creating your PAT. If you leave now, you won&apos;t see its secret: the PAT will be in
          your list, but nothing can use it.
        </Modal>
      )}
    </>
  );
}
