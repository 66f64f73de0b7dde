import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import CopyToClipboard from '@cloudscape-design/components/copy-to-clipboard';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { Suspense, useState } from 'react';
import { useLocation, useParams, useSearch } from 'wouter';
import { FULL_ACCESS } from '../../../contract/access';
import type { AccessTokenAccess, AccessTokenEvent, AccessTokenSummary } from '../../../contract/schemas';
import { LoadErrorState } from '../../components/table-parts';
import { useRouterFollow } from '../../components/use-router-follow';
import { useAccessTokenLimits } from '../../features/access-tokens/api/use-access-token-limits';
import { useAccessTokens } from '../../features/access-tokens/api/use-access-tokens';
import { LazyDeleteAccessTokensModal, LazyRegenerateAccessTokenModal } from '../../features/access-tokens/components/lazy-token-dialogs';
import { formatDayAndTime, formatExactTime, formatExpiry } from '../../features/access-tokens/utils/expiry';
import { useActivity } from '../../features/activity/api/activity-queries';
import { ActivityTable } from '../../features/activity/components/activity-table';
import { sourceText } from '../../features/activity/components/activity-table-config';
import { PERMISSION_NAMES } from '../../lib/access-text';
import { errorMessage } from '../../lib/error-message';
import { paths } from '../../lib/paths';
import { formatRelative } from '../../lib/relative-time';

/** What a PAT may do, on which repositories, from where: all of it. */
function AccessDetails({ access }: { access: AccessTokenAccess }) {
  const git = access.permissions.includes('READ_REPOSITORIES');
  return (
    <SpaceBetween size="xxs">
      <span>{access.permissions.map((permission) => PERMISSION_NAMES[permission]).join(', ')}</span>
      {git && <span>Repositories: {access.repositories ? access.repositories.join(', ') : 'all, present and future'}</span>}
      <span>Networks: {access.networks ? access.networks.join(', ') : 'any'}</span>
    </SpaceBetween>
  );
}

/** When it expires, and the exact moment, which a day alone leaves open across time zones. */
function ExpiryDetails({ expiresTime, now }: { expiresTime: string; now: Date }) {
  const date = new Date(expiresTime);
  return (
    <SpaceBetween size="xxxs">
      <span>
        {formatExpiry(date)} ({formatRelative(date, now)})
      </span>
      <Box variant="small">
        <time dateTime={expiresTime}>{formatExactTime(date)}</time>
      </Box>
    </SpaceBetween>
  );
}

interface DetailsProps {
  token: AccessTokenSummary;
  live: readonly AccessTokenSummary[];
  now: Date;
  /** Its Created entry, while the log keeps it: how a PAT made without a PAT was made. */
  created: AccessTokenEvent | undefined;
}

function Details({ token, live, now, created }: DetailsProps) {
  const follow = useRouterFollow();
  const origin = token.createdWith;
  // The PAT it was made with links to its details, and says when it is gone.
  const originLive = origin && live.some((item) => item.id === origin.accessTokenId);
  return (
    <Container header={<Header variant="h2">Details</Header>}>
      <KeyValuePairs
        columns={3}
        items={[
          { label: 'Name', value: <span style={{ overflowWrap: 'anywhere' }}>{token.name}</span> },
          {
            label: 'ID',
            value: (
              <CopyToClipboard
                variant="inline"
                textToCopy={token.id}
                copyButtonAriaLabel="Copy the PAT's ID"
                copySuccessText="ID copied"
                copyErrorText="Copying failed: select the ID and copy it yourself."
              />
            ),
          },
          {
            label: 'Expiration date',
            value: token.expiresTime ? <ExpiryDetails expiresTime={token.expiresTime} now={now} /> : 'Never',
          },
          {
            label: 'Created',
            value: token.createdTime ? `${formatDayAndTime(new Date(token.createdTime))} (${formatRelative(new Date(token.createdTime), now)})` : '-',
          },
          { label: 'Last used', value: token.lastUsedTime ? formatRelative(new Date(token.lastUsedTime), now) : 'Never used' },
          {
            label: 'Created with',
            value: !origin ? (
              created ? sourceText(created) : 'No PAT'
            ) : originLive ? (
              <>
                PAT{' '}
                <Link href={paths.tokenDetails(origin.accessTokenId)} onFollow={follow}>
                  {origin.name}
                </Link>
              </>
            ) : (
              // Its details page stays: what it was, and what it did.
              <>
                PAT{' '}
                <Link href={paths.tokenDetails(origin.accessTokenId)} onFollow={follow}>
                  {origin.name}
                </Link>{' '}
                (deleted or expired)
              </>
            ),
          },
          {
            label: 'Access',
            value: <AccessDetails access={token.access ?? FULL_ACCESS} />,
          },
          {
            label: 'Description',
            value: token.description ? <span style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{token.description}</span> : '-',
          },
        ]}
      />
    </Container>
  );
}

/** One PAT: what it is, where it came from, and its activity, kept after the PAT itself is gone. */
export function TokenDetailsPage() {
  const { id = '' } = useParams<{ id: string }>();
  const tokens = useAccessTokens();
  const activity = useActivity();
  const limits = useAccessTokenLimits();
  const token = tokens.data?.find((item) => item.id === id);
  const formerName = activity.data?.events.find((event) => event.accessTokenId === id)?.accessTokenName;
  // An expiry notice links here with ?regenerate: the dialog it is about opens with the page.
  const regenerateAsked = new URLSearchParams(useSearch()).has('regenerate');
  const [, navigate] = useLocation();
  const [open, setOpen] = useState<'regenerate' | 'delete' | undefined>(regenerateAsked ? 'regenerate' : undefined);
  const close = () => {
    setOpen(undefined);
    if (regenerateAsked) navigate(paths.tokenDetails(id), { replace: true });
  };
  const name = token?.name ?? formerName;

  let details;
  if (tokens.isPending) details = <StatusIndicator type="loading">Loading the PAT</StatusIndicator>;
  else if (tokens.isError) {
    details = <LoadErrorState what="The PAT" message={errorMessage(tokens.error)} onRetry={() => void tokens.refetch()} />;
  } else if (token) {
    const created = activity.data?.events.find((event) => event.accessTokenId === id && event.eventType === 'CREATED');
    details = <Details token={token} live={tokens.data} now={new Date(tokens.dataUpdatedAt)} created={created} />;
  }
  else {
    details = (
      <Alert type="info" header="This PAT no longer exists">
        It was deleted, or it expired. What it did is kept below for as long as the activity log keeps it.
      </Alert>
    );
  }

  // What the list offers for one PAT, offered here too. A delete leaves the user here, to see it gone.
  const actions = token && (
    <SpaceBetween direction="horizontal" size="xs">
      <Button onClick={() => setOpen('regenerate')}>Regenerate</Button>
      <Button onClick={() => setOpen('delete')}>Delete</Button>
    </SpaceBetween>
  );

  return (
    <ContentLayout
      header={
        <Header variant="h1" actions={actions}>
          {name === undefined ? 'PAT details' : `PAT ${name}`}
        </Header>
      }
    >
      <SpaceBetween size="l">
        {token && open === 'regenerate' && (
          <Suspense>
            <LazyRegenerateAccessTokenModal token={token} onClose={close} />
          </Suspense>
        )}
        {token && open === 'delete' && (
          <Suspense>
            <LazyDeleteAccessTokensModal tokens={[token]} onClose={close} />
          </Suspense>
        )}
        {details}
        <ActivityTable accessTokenId={id} retentionDays={limits.data?.activityRetentionDays} heading="Activity of this PAT" />
      </SpaceBetween>
    </ContentLayout>
  );
}
