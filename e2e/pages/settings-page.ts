import { ElementWrapper } from '@cloudscape-design/components/test-utils/selectors';
import type { Locator, Page } from '@playwright/test';

const table = new ElementWrapper('body').findTable();

/** My settings: the PAT table, found by roles, labels and Cloudscape's test-utils selectors. */
export class SettingsPage {
  readonly heading: Locator;
  readonly table: Locator;
  readonly rows: Locator;
  readonly filter: Locator;
  readonly filterResults: Locator;
  readonly deleteButton: Locator;
  readonly regenerateButton: Locator;
  readonly createButton: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'My settings', level: 1 });
    this.table = page.getByRole('table', { name: 'Personal access tokens' });
    this.rows = page.locator(table.findRows().toSelector());
    this.filter = page.getByRole('searchbox', { name: 'Filter personal access tokens' });
    this.filterResults = page.locator(table.findTextFilter().findResultsCount().toSelector());
    this.deleteButton = page.getByRole('button', { name: 'Delete', exact: true });
    this.regenerateButton = page.getByRole('button', { name: 'Regenerate', exact: true });
    this.createButton = page.getByRole('link', { name: 'Create', exact: true }).first();
  }

  async goto() {
    await this.page.goto('/settings');
    await this.heading.waitFor();
  }

  /** The Name cells of the rows shown, in order. */
  names(): Promise<string[]> {
    return this.table.getByRole('rowheader').allInnerTexts();
  }

  row(name: string): Locator {
    return this.rows.filter({ has: this.page.getByRole('rowheader', { name, exact: true }) });
  }

  rowCheckbox(name: string): Locator {
    return this.page.getByRole('checkbox', { name: `Select ${name}`, exact: true });
  }

  async select(...names: string[]) {
    for (const name of names) await this.rowCheckbox(name).check();
  }

  sortBy(column: string): Locator {
    return this.table.getByRole('columnheader', { name: column }).getByRole('button');
  }
}
