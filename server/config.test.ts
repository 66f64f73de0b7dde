import { describe, expect, it } from 'vitest';
import { readConfig } from './config';

describe('configuration', () => {
  it('defaults to local mode on 127.0.0.1:8080 with the SQLite file under data/', () => {
    const config = readConfig({ PAT_CONSOLE_USER: 'mary' });
    expect(config).toMatchObject({ host: '127.0.0.1', port: 8080, authMode: 'local', localUser: 'mary', identityHeader: 'x-forwarded-user' });
    expect(config.dbPath.endsWith('data/pat-console.db')).toBe(true);
    expect(config.activityRetentionDays).toBe(90);
    expect(readConfig({ PAT_CONSOLE_ACTIVITY_RETENTION_DAYS: '30' }).activityRetentionDays).toBe(30);
  });

  it('refuses to serve local mode beyond this machine', () => {
    expect(() => readConfig({ HOST: '0.0.0.0' })).toThrow(/loopback/);
    expect(readConfig({ HOST: '0.0.0.0', PAT_CONSOLE_AUTH: 'proxy' }).allowedHosts).toContain('0.0.0.0');
  });

  it('refuses settings it does not understand', () => {
    expect(() => readConfig({ PAT_CONSOLE_AUTH: 'none' })).toThrow(/PAT_CONSOLE_AUTH/);
    expect(() => readConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => readConfig({ PAT_CONSOLE_MAX_TOKEN_LIFETIME_YEARS: '0' })).toThrow(/at least 1/);
    expect(() => readConfig({ PAT_CONSOLE_MAX_CONNECTIONS: '0' })).toThrow(/PAT_CONSOLE_MAX_CONNECTIONS/);
    expect(() => readConfig({ PAT_CONSOLE_ACTIVITY_RETENTION_DAYS: '0' })).toThrow(/PAT_CONSOLE_ACTIVITY_RETENTION_DAYS/);
    expect(() => readConfig({ PAT_CONSOLE_TRUSTED_PROXIES: '10.0.0.0/99' })).toThrow(/PAT_CONSOLE_TRUSTED_PROXIES/);
    expect(() => readConfig({ PAT_CONSOLE_MAX_REPOS_PER_USER: '0' })).toThrow(/PAT_CONSOLE_MAX_REPOS_PER_USER/);
  });

  it('counts Git requests under the name of what it counts, and says so of the old name', () => {
    expect(readConfig({}).gitMaxRequests).toBe(8);
    expect(readConfig({ PAT_CONSOLE_GIT_MAX_REQUESTS: '3' }).gitMaxRequests).toBe(3);
    expect(() => readConfig({ PAT_CONSOLE_GIT_MAX_PROCESSES: '3' })).toThrow(/PAT_CONSOLE_GIT_MAX_REQUESTS/);
    expect(readConfig({}).maxReposPerUser).toBe(100);
  });

  it('trusts a proxy on this machine unless told which proxies to trust; reads the database URL', () => {
    expect(readConfig({}).trustedProxies).toEqual(['loopback']);
    expect(readConfig({ PAT_CONSOLE_TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.5' }).trustedProxies).toEqual(['10.0.0.0/8', '192.168.1.5']);
    expect(readConfig({}).databaseUrl).toBeUndefined();
    expect(readConfig({ PAT_CONSOLE_DATABASE_URL: 'postgres://db/pats' }).databaseUrl).toBe('postgres://db/pats');
  });

  it('answers to extra host names when told', () => {
    expect(readConfig({ PAT_CONSOLE_ALLOWED_HOSTS: 'pats.example.com, Other.Example' }).allowedHosts).toEqual(
      expect.arrayContaining(['localhost', '127.0.0.1', '[::1]', 'pats.example.com', 'other.example']),
    );
    expect(readConfig({ HOST: '::1' }).allowedHosts).toContain('[::1]');
  });

  it('reads the notices: days before expiry, the mail server and sender, the signed webhook, the links', () => {
    expect(readConfig({}).notices).toEqual({ expiryDays: [7, 1], smtp: undefined, webhook: undefined, attemptTimeoutMs: 15_000, publicUrl: 'http://127.0.0.1:8080' });
    const notices = readConfig({
      PAT_CONSOLE_EXPIRY_NOTICE_DAYS: '1, 30,7',
      PAT_CONSOLE_SMTP_URL: 'smtp://mailer:secret@mail.example.com:587',
      PAT_CONSOLE_WEBHOOK_URL: 'https://hooks.example.com/pats',
      PAT_CONSOLE_WEBHOOK_SECRET: 'sixteen-chars-at-least',
      PAT_CONSOLE_PUBLIC_URL: 'https://pats.example.com/',
    }).notices;
    expect(notices).toMatchObject({
      expiryDays: [30, 7, 1],
      smtp: { url: 'smtp://mailer:secret@mail.example.com:587', from: 'pat-console <no-reply@pats.example.com>' },
      webhook: { url: 'https://hooks.example.com/pats', secret: 'sixteen-chars-at-least' },
      publicUrl: 'https://pats.example.com',
    });
    for (const days of ['7,7', '0', '400', 'soon']) expect(() => readConfig({ PAT_CONSOLE_EXPIRY_NOTICE_DAYS: days })).toThrow(/PAT_CONSOLE_EXPIRY_NOTICE_DAYS/);
    expect(() => readConfig({ PAT_CONSOLE_SMTP_URL: 'mail.example.com' })).toThrow(/PAT_CONSOLE_SMTP_URL/);
    expect(() => readConfig({ PAT_CONSOLE_SMTP_URL: 'http://mail.example.com' })).toThrow(/smtp:/);
    expect(() => readConfig({ PAT_CONSOLE_WEBHOOK_URL: 'https://hooks.example.com' })).toThrow(/PAT_CONSOLE_WEBHOOK_SECRET/);
    expect(() => readConfig({ PAT_CONSOLE_WEBHOOK_URL: 'https://hooks.example.com', PAT_CONSOLE_WEBHOOK_SECRET: 'short' })).toThrow(/16 characters/);
  });

  it("takes an instance's own prefix for new secrets, well formed", () => {
    expect(readConfig({}).tokenPrefix).toBe('pat_');
    expect(readConfig({ PAT_CONSOLE_TOKEN_PREFIX: 'acme_pat_' }).tokenPrefix).toBe('acme_pat_');
    for (const prefix of ['ACME_', 'acme', 'acme-pat_', '_pat_']) expect(() => readConfig({ PAT_CONSOLE_TOKEN_PREFIX: prefix })).toThrow(/PAT_CONSOLE_TOKEN_PREFIX/);
  });

  it('names admins, by user name and by the groups a trusted proxy sends', () => {
    expect(readConfig({})).toMatchObject({ admins: [], adminGroups: [], groupsHeader: 'x-forwarded-groups' });
    expect(readConfig({ PAT_CONSOLE_ADMINS: 'alice, bob', PAT_CONSOLE_ADMIN_GROUPS: 'pat-admins', PAT_CONSOLE_GROUPS_HEADER: 'X-Auth-Request-Groups' })).toMatchObject({
      admins: ['alice', 'bob'],
      adminGroups: ['pat-admins'],
      groupsHeader: 'x-auth-request-groups',
    });
  });
});
