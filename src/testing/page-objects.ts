import createWrapper from '@cloudscape-design/components/test-utils/dom';
import { screen, waitFor } from '@testing-library/react';
import { expect } from 'vitest';

/** Page objects over Cloudscape's test-utils: tests speak of what a user sees, not of markup. */
export const settingsPage = {
  table: () => {
    const table = createWrapper().findTable();
    if (!table) throw new Error('The PAT table is not on the page');
    return table;
  },
  async waitForRows(count: number) {
    await waitFor(() => expect(settingsPage.table().findRows()).toHaveLength(count));
  },
  /** The Name column of the rows on the current page, in order. */
  names: () =>
    settingsPage
      .table()
      .findRows()
      .map((row) => row.findAll('td, th')[1]?.getElement().textContent ?? ''),
  rowByName(name: string) {
    const index = settingsPage.names().indexOf(name);
    if (index < 0) throw new Error(`No row named ${name}`);
    return index + 1;
  },
  cell: (row: number, column: number) =>
    settingsPage.table().findBodyCell(row, column)?.getElement().textContent ?? '',
  counter: () => settingsPage.table().findHeaderSlot()?.findHeader()?.getElement().textContent ?? '',
  selectRow(name: string) {
    settingsPage.table().findRowSelectionArea(settingsPage.rowByName(name))?.click();
  },
  button: (name: string) => screen.getByRole('button', { name }),
  /** The table's preferences, once they have loaded (they come after the first paint). */
  preferences: () =>
    waitFor(() => {
      const preferences = settingsPage.table().findCollectionPreferences();
      if (!preferences?.findTriggerButton()) throw new Error('The preferences have not loaded');
      return preferences;
    }),
};

export const modal = () => {
  const wrapper = createWrapper().findModal();
  if (!wrapper || !wrapper.isVisible()) throw new Error('No modal is open');
  return wrapper;
};

export const flashMessages = () =>
  createWrapper()
    .findFlashbar()
    ?.findItems()
    .map((item) => item.findContent()?.getElement().textContent ?? '') ?? [];
