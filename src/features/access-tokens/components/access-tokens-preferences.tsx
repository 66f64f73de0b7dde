import CollectionPreferences, { type CollectionPreferencesProps } from '@cloudscape-design/components/collection-preferences';
import { CONTENT_DISPLAY_OPTIONS, PAGE_SIZE_OPTIONS } from './access-tokens-table-config';

interface AccessTokensPreferencesProps {
  preferences: CollectionPreferencesProps.Preferences;
  onConfirm: (preferences: CollectionPreferencesProps.Preferences) => void;
}

/** The table's preferences (page size, visible columns): loaded after the first paint, which does not need them. */
export function AccessTokensPreferences({ preferences, onConfirm }: AccessTokensPreferencesProps) {
  return (
    <CollectionPreferences
      title="Preferences"
      confirmLabel="Confirm"
      cancelLabel="Cancel"
      preferences={preferences}
      onConfirm={({ detail }) => onConfirm(detail)}
      pageSizePreference={{ title: 'Page size', options: PAGE_SIZE_OPTIONS }}
      contentDisplayPreference={{ title: 'Visible columns', options: CONTENT_DISPLAY_OPTIONS }}
    />
  );
}
