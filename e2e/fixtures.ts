import { randomUUID } from 'node:crypto';
import { test as base, expect, type APIRequestContext } from '@playwright/test';
import type { CreateAccessTokenResponse, ListAccessTokensResponse } from '../contract/schemas';
import { CreatePage } from './pages/create-page';
import { SettingsPage } from './pages/settings-page';

const DAY = 24 * 60 * 60 * 1000;

/** The API as the same user the browser is: seeds what a test needs, checks what the product did. */
export class Api {
  constructor(
    private readonly request: APIRequestContext,
    readonly userName: string,
  ) {}

  /**
   * Creates a token as the console does, or with `withSecret` as its bearer, as a script would
   * (naming itself `userAgent`, as the CLI does).
   */
  async createToken(name: string, expiresInDays?: number, withSecret?: string, userAgent?: string): Promise<CreateAccessTokenResponse> {
    const data = expiresInDays === undefined ? { name } : { name, expiresTime: new Date(Date.now() + expiresInDays * DAY).toISOString() };
    const headers: Record<string, string> = {
      ...(withSecret ? { authorization: `Bearer ${withSecret}` } : {}),
      ...(userAgent ? { 'user-agent': userAgent } : {}),
    };
    const response = await this.request.put('/v1/accessTokens', { data, headers });
    expect(response.status()).toBe(201);
    return (await response.json()) as CreateAccessTokenResponse;
  }

  async tokenNames(): Promise<string[]> {
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const response = await this.request.post('/v1/accessTokens', { data: nextToken ? { maxResults: 10, nextToken } : { maxResults: 10 } });
      const page = (await response.json()) as ListAccessTokensResponse;
      names.push(...page.items.map((item) => item.name));
      nextToken = page.nextToken;
    } while (nextToken);
    return names;
  }

  /** The caller's identity: the proxy's user, or the owner of `secret` when one is given. */
  async session(secret?: string, userAgent?: string): Promise<{ status: number; identity?: string }> {
    const response = await this.request.get('/session', {
      headers: { ...(secret ? { authorization: `Bearer ${secret}` } : {}), ...(userAgent ? { 'user-agent': userAgent } : {}) },
    });
    const body = (await response.json()) as { identity?: string };
    return { status: response.status(), identity: body.identity };
  }
}

interface Fixtures {
  userName: string;
  api: Api;
  settingsPage: SettingsPage;
  createPage: CreatePage;
}

export const test = base.extend<Fixtures>({
  // A user per test, named through the authenticating-proxy header: tests never share tokens.
  userName: async ({}, use) => {
    await use(`e2e-${randomUUID().slice(0, 8)}`);
  },
  context: async ({ context, userName }, use) => {
    await context.setExtraHTTPHeaders({ 'x-forwarded-user': userName });
    await use(context);
  },
  api: async ({ playwright, baseURL, userName }, use) => {
    const request = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { 'x-forwarded-user': userName } });
    await use(new Api(request, userName));
    await request.dispose();
  },
  settingsPage: async ({ page }, use) => {
    await use(new SettingsPage(page));
  },
  createPage: async ({ page }, use) => {
    await use(new CreatePage(page));
  },
});

export { expect };

/** `Fri, Nov 26, 2027`: how the console writes a day (the browser runs in en-US, UTC). */
export function longDate(date: Date): string {
  return new Intl.DateTimeFormat('en-US', { weekday: 'short', month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** The start of the UTC day `days` days and `years` years from today. */
export function utcDay({ days = 0, years = 0 }: { days?: number; years?: number }): Date {
  const date = new Date();
  date.setUTCHours(0, 0, 0, 0);
  date.setUTCFullYear(date.getUTCFullYear() + years);
  date.setUTCDate(date.getUTCDate() + days);
  return date;
}

/** A day as typed into the date input: `YYYY/MM/DD`. */
export function inputDate(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getUTCFullYear()}/${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}`;
}
