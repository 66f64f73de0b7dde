import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { freePort } from './scripts/spawn-server';

// Computed once: the workers inherit the port and the database through the environment.
process.env.E2E_PORT ??= String(await freePort());
// A fresh database each run: nothing a run leaves behind can make the next one pass or fail.
process.env.E2E_DB ??= join(mkdtempSync(join(tmpdir(), 'pat-console-e2e-')), 'pat-console.db');
process.env.E2E_REPOS ??= join(process.env.E2E_DB, '..', 'repos');
// The mail the server sends goes to a real SMTP server (Debian's aiosmtpd), kept in this Maildir.
process.env.E2E_SMTP_PORT ??= String(await freePort());
process.env.E2E_MAILDIR ??= join(process.env.E2E_DB, '..', 'mail');
const baseURL = `http://127.0.0.1:${process.env.E2E_PORT}`;

// Debian's Chromium where it is installed (Playwright cannot download its own here), Playwright's elsewhere.
const debianChromium = '/usr/bin/chromium';

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  fullyParallel: true,
  workers: 2,
  forbidOnly: true,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL,
    locale: 'en-US',
    timezoneId: 'UTC',
    trace: 'retain-on-failure',
    ...devices['Desktop Chrome'],
    viewport: { width: 1280, height: 900 },
    launchOptions: {
      executablePath: existsSync(debianChromium) ? debianChromium : undefined,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update'],
    },
  },
  projects: [
    { name: 'e2e', testIgnore: /screenshots\.spec\.ts/ },
    { name: 'screenshots', testMatch: /screenshots\.spec\.ts/ },
  ],
  webServer: [
    {
      command: `/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || { echo 'The e2e tests send mail to a real SMTP server: install it (Debian: apt-get install python3-aiosmtpd).' >&2; exit 1; }; exec /usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:${process.env.E2E_SMTP_PORT} -c aiosmtpd.handlers.Mailbox ${process.env.E2E_MAILDIR}`,
      port: Number(process.env.E2E_SMTP_PORT),
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      // The real product: `npm start` builds the console if needed and serves it with the API.
      command: 'npm start',
      url: `${baseURL}/`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
      env: {
        PORT: process.env.E2E_PORT,
        PAT_CONSOLE_DB: process.env.E2E_DB,
        PAT_CONSOLE_REPOS: process.env.E2E_REPOS,
        // Each test signs in as a user of its own through the proxy header, so tests run in parallel
        // and repeat without seeing each other's tokens.
        PAT_CONSOLE_AUTH: 'proxy',
        PAT_CONSOLE_CREATES_PER_MINUTE: '0',
        PAT_CONSOLE_SMTP_URL: `smtp://127.0.0.1:${process.env.E2E_SMTP_PORT}`,
        PAT_CONSOLE_MAIL_FROM: 'pat-console <pats@example.com>',
        PAT_CONSOLE_PUBLIC_URL: baseURL,
        // A test that needs an admin signs in with this group, as oauth2-proxy would send it.
        PAT_CONSOLE_ADMIN_GROUPS: 'e2e-admins',
        LOG_LEVEL: 'warn',
      },
    },
  ],
});
