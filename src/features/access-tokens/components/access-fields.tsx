import Autosuggest from '@cloudscape-design/components/autosuggest';
import Checkbox from '@cloudscape-design/components/checkbox';
import FormField from '@cloudscape-design/components/form-field';
import RadioGroup from '@cloudscape-design/components/radio-group';
import SpaceBetween from '@cloudscape-design/components/space-between';
import TokenGroup from '@cloudscape-design/components/token-group';
import { useState } from 'react';
import { Controller, useFormContext, useWatch } from 'react-hook-form';
import { parseNetwork, withImpliedPermissions } from '../../../../contract/access';
import { MAX_TOKEN_NETWORKS, MAX_TOKEN_REPOSITORIES, type AccessTokenPermission } from '../../../../contract/access-tokens';
import { isRepositoryName, REPOSITORY_NAME_RULE } from '../../../../contract/names';
import type { AccessTokenAccess } from '../../../../contract/schemas';
import { OptionalTextField } from '../../../components/optional-text-field';
import { PERMISSION_NAMES } from '../../../lib/access-text';

export interface AccessValues {
  permissions: Record<AccessTokenPermission, boolean>;
  repositoryScope: 'all' | 'chosen';
  repositories: string[];
  /** One address or CIDR a line; empty: anywhere. */
  networks: string;
}

/** What "use it as your Git password" needs: read and write, every repository, from anywhere. */
export const DEFAULT_ACCESS_VALUES: AccessValues = {
  permissions: { READ_REPOSITORIES: true, WRITE_REPOSITORIES: true, MANAGE_ACCESS_TOKENS: false, READ_ACTIVITY: false },
  repositoryScope: 'all',
  repositories: [],
  networks: '',
};

const PERMISSION_DESCRIPTIONS: Record<AccessTokenPermission, string> = {
  READ_REPOSITORIES: 'Clone and fetch.',
  WRITE_REPOSITORIES: 'Push, and create a repository by pushing to a new name. Includes reading.',
  MANAGE_ACCESS_TOKENS: 'List, create, delete and regenerate PATs through the API, never with more access than this one.',
  READ_ACTIVITY: 'Read the activity log through the API.',
};

const networkLines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

/** A PAT's access as the fields show it. */
export function fromAccess(access: AccessTokenAccess): AccessValues {
  const has = (permission: AccessTokenPermission) => access.permissions.includes(permission);
  return {
    permissions: { READ_REPOSITORIES: has('READ_REPOSITORIES'), WRITE_REPOSITORIES: has('WRITE_REPOSITORIES'), MANAGE_ACCESS_TOKENS: has('MANAGE_ACCESS_TOKENS'), READ_ACTIVITY: has('READ_ACTIVITY') },
    repositoryScope: access.repositories ? 'chosen' : 'all',
    repositories: access.repositories ? [...access.repositories] : [],
    networks: access.networks?.join('\n') ?? '',
  };
}

/** The access as the API takes it. */
export function toAccess(values: AccessValues): AccessTokenAccess {
  const chosen = (Object.keys(values.permissions) as AccessTokenPermission[]).filter((permission) => values.permissions[permission]);
  const permissions = withImpliedPermissions(chosen);
  const git = permissions.includes('READ_REPOSITORIES');
  const networks = networkLines(values.networks);
  return {
    permissions,
    ...(git && values.repositoryScope === 'chosen' ? { repositories: values.repositories } : {}),
    ...(networks.length > 0 ? { networks } : {}),
  };
}

/**
 * The Access section of Create: what the PAT may do, on which repositories, from where. Bound to the
 * surrounding form (a FormProvider whose values include AccessValues). `knownRepositories` are
 * offered as suggestions; a name that does not exist yet is taken too, for a push to create it.
 */
export function AccessFields({ knownRepositories, within }: { knownRepositories: readonly string[]; within?: AccessTokenAccess }) {
  const { control } = useFormContext<AccessValues>();
  const permissions = useWatch({ control, name: 'permissions' });
  const scope = useWatch({ control, name: 'repositoryScope' });
  const [typed, setTyped] = useState('');
  const git = permissions.READ_REPOSITORIES || permissions.WRITE_REPOSITORIES;

  return (
    <SpaceBetween size="l">
      <Controller
        control={control}
        name="permissions"
        rules={{ validate: (value) => Object.values(value).some(Boolean) || 'Choose at least one thing this PAT may do.' }}
        render={({ field, fieldState }) => (
          <FormField label="What this PAT may do" errorText={fieldState.error?.message}>
            <SpaceBetween size="xs">
              {(Object.keys(PERMISSION_NAMES) as AccessTokenPermission[]).map((permission) => {
                // Writing includes reading: while write is on, read is on and fixed.
                const implied = permission === 'READ_REPOSITORIES' && field.value.WRITE_REPOSITORIES;
                // Within a PAT's own access (Regenerate narrows, never widens), what it lacks is off.
                const beyond = within !== undefined && !within.permissions.includes(permission);
                return (
                  <Checkbox
                    key={permission}
                    checked={field.value[permission] || implied}
                    disabled={implied || beyond}
                    description={PERMISSION_DESCRIPTIONS[permission]}
                    onChange={({ detail }) => field.onChange({ ...field.value, [permission]: detail.checked })}
                  >
                    {PERMISSION_NAMES[permission]}
                  </Checkbox>
                );
              })}
            </SpaceBetween>
          </FormField>
        )}
      />
      {git && (
        <Controller
          control={control}
          name="repositoryScope"
          render={({ field }) => (
            <FormField label="Repositories">
              <RadioGroup
                value={field.value}
                onChange={({ detail }) => field.onChange(detail.value)}
                items={[
                  {
                    value: 'all',
                    label: 'All repositories',
                    description: 'Every repository you have, and every one you create later.',
                    disabled: within?.repositories !== undefined,
                  },
                  { value: 'chosen', label: 'Only these', description: 'The repositories you name; a new name can be created by a push.' },
                ]}
              />
            </FormField>
          )}
        />
      )}
      {git && scope === 'chosen' && (
        <Controller
          control={control}
          name="repositories"
          rules={{
            validate: (value) =>
              value.length > 0 || 'Name at least one repository, or choose All repositories.',
          }}
          render={({ field, fieldState }) => {
            const add = (name: string) => {
              const trimmed = name.trim().replace(/\.git$/i, '');
              const allowed = within?.repositories === undefined || within.repositories.includes(trimmed);
              if (isRepositoryName(trimmed) && allowed && !field.value.includes(trimmed) && field.value.length < MAX_TOKEN_REPOSITORIES) {
                field.onChange([...field.value, trimmed]);
              }
              setTyped('');
            };
            const typedProblem = typed.trim() !== '' && !isRepositoryName(typed.trim().replace(/\.git$/i, ''));
            return (
              <FormField
                label="Repository names"
                description="Pick one you have, or type a new name and press Enter."
                errorText={
                  typedProblem ? REPOSITORY_NAME_RULE : fieldState.error?.message
                }
              >
                <SpaceBetween size="xs">
                  <Autosuggest
                    ref={field.ref}
                    value={typed}
                    onChange={({ detail }) => setTyped(detail.value)}
                    onSelect={({ detail }) => add(detail.value)}
                    // Enter takes the typed name, and never submits the form from here.
                    onKeyDown={(event) => {
                      if (event.detail.key !== 'Enter') return;
                      event.preventDefault();
                      if (typed.trim() !== '') add(typed);
                    }}
                    options={(within?.repositories ?? knownRepositories).filter((name) => !field.value.includes(name)).map((name) => ({ value: name }))}
                    enteredTextLabel={(value) => `Use "${value}"`}
                    placeholder="Repository name"
                    ariaLabel="Repository name"
                    empty="No repositories yet"
                    invalid={typedProblem || Boolean(fieldState.error)}
                  />
                  <TokenGroup
                    items={field.value.map((name) => ({ label: name, dismissLabel: `Remove ${name}` }))}
                    onDismiss={({ detail }) => field.onChange(field.value.filter((_, index) => index !== detail.itemIndex))}
                  />
                </SpaceBetween>
              </FormField>
            );
          }}
        />
      )}
      <Controller
        control={control}
        name="networks"
        rules={{
          validate: (value) => {
            const lines = networkLines(value);
            const wrong = lines.find((line) => parseNetwork(line) === undefined);
            if (wrong !== undefined) return `"${wrong}" is not an IP address or CIDR.`;
            return lines.length <= MAX_TOKEN_NETWORKS || `At most ${MAX_TOKEN_NETWORKS} networks.`;
          },
        }}
        render={({ field, fieldState }) => (
          <OptionalTextField
            label="Networks"
            description="Addresses or CIDRs the PAT may be used from, one a line, such as 203.0.113.0/24. Empty: anywhere."
            rows={2}
            value={field.value}
            onChange={field.onChange}
            onBlur={field.onBlur}
            inputRef={field.ref}
            error={fieldState.error?.message}
          />
        )}
      />
    </SpaceBetween>
  );
}
