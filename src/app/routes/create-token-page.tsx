import { useLocation } from 'wouter';
import { useNotify } from '../../components/notifications';
import { CreateAccessTokenForm } from '../../features/access-tokens/components/create-access-token-form';
import { useRepositories } from '../../features/repositories/api/repository-queries';
import { useCurrentUser } from '../../features/user/api/use-current-user';
import { paths } from '../../lib/paths';

export function CreateTokenPage() {
  const [, navigate] = useLocation();
  const notify = useNotify();
  const user = useCurrentUser();
  const repositories = useRepositories();
  return (
    <CreateAccessTokenForm
      gitUserName={user.data?.userName}
      knownRepositories={repositories.data?.map((repository) => repository.name)}
      onCancel={() => navigate(paths.settings)}
      onDone={(name) => {
        notify({ type: 'success', content: `PAT ${name} created.` }, { onNextPage: true });
        // The name (never the secret) tells My settings which row to put the focus on.
        navigate(paths.settings, { state: { createdTokenName: name } });
      }}
    />
  );
}
