import { ElementWrapper } from '@cloudscape-design/components/test-utils/selectors';
import type { Locator, Page } from '@playwright/test';

/** Create PAT, and the one-time secret's modal that follows it. */
export class CreatePage {
  readonly heading: Locator;
  readonly name: Locator;
  readonly customDate: Locator;
  readonly expirySummary: Locator;
  readonly createButton: Locator;
  readonly cancelButton: Locator;
  readonly secretDialog: Locator;
  readonly secret: Locator;
  readonly repositoryName: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Create PAT', level: 1 });
    this.name = page.getByRole('textbox', { name: 'PAT name' });
    this.customDate = page.getByRole('textbox', { name: 'Custom expiration date' });
    this.expirySummary = page.getByText(/^(Expires on|Choose a valid date)/);
    this.createButton = page.getByRole('button', { name: 'Create', exact: true });
    this.cancelButton = page.getByRole('button', { name: 'Cancel' });
    this.secretDialog = page.getByRole('dialog', { name: 'Copy your PAT secret' });
    this.secret = this.secretDialog.getByLabel('PAT secret', { exact: true });
    this.repositoryName = page.getByRole('combobox', { name: /^Repository name/ });
  }

  /** A permission's checkbox in the Access section, by the name it shows. */
  permission(name: string): Locator {
    return this.page.getByRole('checkbox', { name: new RegExp(`^${name}`) });
  }

  async goto() {
    await this.page.goto('/settings/tokens/create');
    await this.heading.waitFor();
  }

  /** Fills the name, creates the PAT, and returns the secret its modal shows. */
  async createAndReadSecret(name: string): Promise<string> {
    await this.name.fill(name);
    await this.createButton.click();
    await this.secretDialog.waitFor();
    return (await this.secret.textContent()) ?? '';
  }

  preset(label: string): Locator {
    return this.page.getByRole('radio', { name: label });
  }

  day(longDate: string): Locator {
    return this.page.getByRole('button', { name: longDate, exact: true });
  }

  /** A field's error as shown next to it (Cloudscape also repeats it to screen readers elsewhere). */
  fieldError(text: string | RegExp): Locator {
    return this.page.locator(new ElementWrapper('body').findFormField().findError().toSelector()).filter({ hasText: text });
  }
}
