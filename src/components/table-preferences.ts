import type { CollectionPreferencesProps } from '@cloudscape-design/components/collection-preferences';
import type { TableProps } from '@cloudscape-design/components/table';

/** A column as a table's config lists it: how it is drawn (given `Context`), and whether it shows by default, or always. */
export interface TableColumn<Item, Context> {
  definition: (context: Context) => TableProps.ColumnDefinition<Item> & { id: string; header: string };
  visible: boolean;
  alwaysVisible?: boolean;
}

/**
 * A table's preferences as this browser stored them, checked against today's columns: an unknown
 * column is dropped, a new one shows as it does by default, and an odd page size falls back to the
 * default. Every table of the console reads its stored preferences through this.
 */
function parseTablePreferences(
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

/**
 * What a table's columns and page sizes give its preferences: the columns to show or hide (named
 * by their headers, drawn once with `sample`), the page sizes in `unit`, the defaults, and the
 * reader of what this browser stored.
 */
export function tablePreferences<Item, Context>(
  columns: ReadonlyArray<TableColumn<Item, Context>>,
  sample: Context,
  { pageSizes, unit, pageSize }: { pageSizes: number[]; unit: string; pageSize: number },
) {
  const drawn = columns.map((column) => ({ ...column, ...column.definition(sample) }));
  const defaults: CollectionPreferencesProps.Preferences = {
    pageSize,
    contentDisplay: drawn.map(({ id, visible }) => ({ id, visible })),
  };
  return {
    contentDisplayOptions: drawn.map(({ id, header, alwaysVisible }): CollectionPreferencesProps.ContentDisplayOption => ({
      id,
      label: header,
      ...(alwaysVisible ? { alwaysVisible: true } : {}),
    })),
    pageSizeOptions: pageSizes.map((value) => ({ value, label: `${value} ${unit}` })),
    defaults,
    parse: (stored: unknown) => parseTablePreferences(stored, defaults, pageSizes),
  };
}
