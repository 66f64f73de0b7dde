import CollectionPreferences, { type CollectionPreferencesProps } from '@cloudscape-design/components/collection-preferences';

interface TablePreferencesProps {
  preferences: CollectionPreferencesProps.Preferences;
  onConfirm: (preferences: CollectionPreferencesProps.Preferences) => void;
  pageSizeOptions: CollectionPreferencesProps.PageSizeOption[];
  contentDisplayOptions: CollectionPreferencesProps.ContentDisplayOption[];
}

/**
 * A table's preferences (page size, visible columns), worded alike for every table. Kept apart from
 * `table-preferences.ts`, which the first page needs, so that this loads after the first paint.
 */
export function TablePreferences({ preferences, onConfirm, pageSizeOptions, contentDisplayOptions }: TablePreferencesProps) {
  return (
    <CollectionPreferences
      title="Preferences"
      confirmLabel="Confirm"
      cancelLabel="Cancel"
      preferences={preferences}
      onConfirm={({ detail }) => onConfirm(detail)}
      pageSizePreference={{ title: 'Page size', options: pageSizeOptions }}
      contentDisplayPreference={{ title: 'Visible columns', options: contentDisplayOptions }}
    />
  );
}
