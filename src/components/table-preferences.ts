import type { CollectionPreferencesProps } from '@cloudscape-design/components/collection-preferences';

/**
 * A table's preferences as this browser stored them, checked against today's columns: an unknown
 * column is dropped, a new one shows as it does by default, and an odd page size falls back to the
 * default. Every table of the console reads its stored preferences through this.
 */
export function parseTablePreferences(
  stored: unknown,
  defaults: CollectionPreferencesProps.Preferences,
  pageSizes: readonly number[],
): CollectionPreferencesProps.Preferences | undefined {
  if (typeof stored !== 'object' || stored === null) return undefined;
  const { pageSize, contentDisplay } = stored as Record<string, unknown>;
  const columns = defaults.contentDisplay ?? [];
  const storedColumns = Array.isArray(contentDisplay)
    ? contentDisplay.filter(
        (column): column is CollectionPreferencesProps.ContentDisplayItem =>
          typeof column?.id === 'string' && typeof column?.visible === 'boolean' && columns.some(({ id }) => id === column.id),
      )
    : [];
  return {
    pageSize: pageSizes.includes(pageSize as number) ? (pageSize as number) : defaults.pageSize,
    contentDisplay: [...storedColumns, ...columns.filter(({ id }) => !storedColumns.some((column) => column.id === id))],
  };
}
