import { ElementWrapper } from '@cloudscape-design/components/test-utils/selectors';
import type { Locator, Page } from '@playwright/test';

/** Profile -> Notifications, and the page a confirmation link opens. */
export class NotificationsPage {
  readonly heading: Locator;
  readonly newAddress: Locator;
  readonly sendLink: Locator;
  readonly expiryEmails: Locator;
  readonly confirmButton: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Notifications', level: 1 });
    this.newAddress = page.getByRole('textbox', { name: 'Another address' });
    this.sendLink = page.getByRole('button', { name: 'Send confirmation link' });
    this.expiryEmails = page.getByRole('checkbox', { name: 'E-mail me before a PAT expires' });
    this.confirmButton = page.getByRole('button', { name: 'Confirm address' });
  }

  /** Opens it as a user does: from the profile menu. */
  async openFromProfileMenu() {
    await this.page.getByRole('button', { name: /^Profile/ }).click();
    await this.page.getByRole('menuitem', { name: 'Notifications' }).click();
    await this.heading.waitFor();
  }

  /** The key-value pairs of the address: "Notices go to", "Status", "Waiting for confirmation". */
  get details(): Locator {
    return this.page.locator(new ElementWrapper('body').findKeyValuePairs().toSelector());
  }
}
