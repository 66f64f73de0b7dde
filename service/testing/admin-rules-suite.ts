import { afterEach, describe, expect, it } from 'vitest';
import { createAccessTokenService, type Caller } from '../access-token-service';
import { createAdminService } from '../admin-service';
import { createNoticeRules } from '../notices';
import type { Client, TokenStore, User } from '../token-store';
import { fakeCursors, fakeSecrets } from './fake-host';
import type { StoreOpener } from './service-rules-suite';

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.parse('2026-06-01T00:00:00Z');

/**
 * What admins may do, and the policy they set, run on a store: every engine is held to them, as to
 * the token rules.
 */
export function describeAdminRules(label: string, newDatabase: () => Promise<StoreOpener>) {
  const opened: TokenStore[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close().catch(() => undefined)));
  });

  async function setUp() {
    const open = await newDatabase();
    const store = await open();
    opened.push(store);
    const clock = { now: T0 };
    const notices = createNoticeRules(undefined);
    const service = createAccessTokenService({
      store,
      secrets: fakeSecrets(),
      cursors: fakeCursors,
      limits: { maxTokenLifetimeYears: 1, maxLiveTokens: 100, activityRetentionDays: 90 },
      clock: () => clock.now,
      notices,
    });
    const admin = createAdminService({ store, cursors: fakeCursors, notices, limits: service.limits, clock: () => clock.now });
    const [alice, mary, joe] = [await store.userByName('alice'), await store.userByName('mary'), await store.userByName('joe')];
    return { store, clock, service, admin, alice, mary, joe };
  }

  const client: Client = { address: '192.0.2.1', userAgent: 'Mozilla/5.0' };
  const inConsole = (user: User, admin = false): Caller => ({ user, token: null, channel: 'CONSOLE', client, admin });
  const names = async (service: ReturnType<typeof createAccessTokenService>, user: User) =>
    (await service.listAccessTokens(inConsole(user), { maxResults: 10 })).items.map((token) => token.name);

  describe(`admin rules on ${label}`, () => {
    it('refuses every admin operation to anyone the server does not call an admin', async () => {
      const { admin, mary } = await setUp();
      const caller = inConsole(mary);
      for (const operation of [
        () => admin.getAccessTokenPolicy(caller),
        () => admin.updateAccessTokenPolicy(caller, { forbidFullAccess: true }),
        () => admin.adminListAccessTokens(caller, {}),
        () => admin.revokeAccessTokens(caller, { owner: 'joe' }),
        () => admin.disableUser(caller, 'joe'),
        () => admin.enableUser(caller, 'joe'),
        () => admin.listAdminEvents(caller, {}),
      ]) {
        await expect(operation()).rejects.toMatchObject({ errorType: 'AccessDeniedException', statusCode: 403 });
      }
    });

    it("lists every user's live PATs with their owners, newest first, a page at a time, by owner or by text", async () => {
      const { service, admin, alice, mary, joe, clock } = await setUp();
      for (const name of ['laptop', 'ci', 'deploy']) await service.createAccessToken(inConsole(mary), { name });
      for (const name of ['Deploy-Joe', 'old']) await service.createAccessToken(inConsole(joe), { name, expiresTime: new Date(clock.now + (name === 'old' ? 1 : 30) * DAY).toISOString() });
      clock.now += 2 * DAY;
      const asAdmin = inConsole(alice, true);
      const first = await admin.adminListAccessTokens(asAdmin, { maxResults: 2 });
      expect(first.items.map((token) => [token.ownerName, token.name])).toEqual([['joe', 'Deploy-Joe'], ['mary', 'deploy']]);
      const second = await admin.adminListAccessTokens(asAdmin, { maxResults: 2, nextToken: first.nextToken });
      expect(second.items.map((token) => token.name)).toEqual(['ci', 'laptop']);
      expect(second.nextToken).toBeUndefined();
      expect((await admin.adminListAccessTokens(asAdmin, { owner: 'mary', sortOrder: 'ASCENDING' })).items.map((token) => token.name)).toEqual(['laptop', 'ci', 'deploy']);
      expect((await admin.adminListAccessTokens(asAdmin, { filterText: 'DEPLOY' })).items.map((token) => token.name)).toEqual(['Deploy-Joe', 'deploy']);
      expect((await admin.adminListAccessTokens(asAdmin, { filterText: 'jo' })).items.map((token) => token.name)).toEqual(['Deploy-Joe']);
      expect((await admin.adminListAccessTokens(asAdmin, { filterText: '%' })).items).toEqual([]);
      expect((await admin.adminListAccessTokens(asAdmin, { owner: 'nobody' })).items).toEqual([]);
      // By expiry, soonest first, a page at a time; ties keep their creation order.
      const soonest = await admin.adminListAccessTokens(asAdmin, { sortBy: 'expiresTime', sortOrder: 'ASCENDING', maxResults: 3 });
      expect(soonest.items.map((token) => token.name)).toEqual(['Deploy-Joe', 'laptop', 'ci']);
      const rest = await admin.adminListAccessTokens(asAdmin, { sortBy: 'expiresTime', sortOrder: 'ASCENDING', maxResults: 3, nextToken: soonest.nextToken });
      expect(rest).toEqual({ items: [expect.objectContaining({ name: 'deploy' })] });
      const latest = await admin.adminListAccessTokens(asAdmin, { sortBy: 'expiresTime', maxResults: 2 });
      expect(latest.items.map((token) => token.name)).toEqual(['deploy', 'ci']);
      await expect(admin.adminListAccessTokens(asAdmin, { sortBy: 'expiresTime', nextToken: first.nextToken })).rejects.toMatchObject({ errorType: 'ValidationException' });
      // A cursor holds for its own question only.
      await expect(admin.adminListAccessTokens(asAdmin, { owner: 'mary', nextToken: first.nextToken })).rejects.toMatchObject({ errorType: 'ValidationException' });
    });

    it("revokes PATs by id or all of a user's: their secrets refused at once, the owner's log says which admin, the admin log says it all", async () => {
      const { service, admin, alice, mary, joe } = await setUp();
      const laptop = await service.createAccessToken(inConsole(mary), { name: 'laptop' });
      await service.createAccessToken(inConsole(mary), { name: 'ci' });
      const joes = await service.createAccessToken(inConsole(joe), { name: 'joes' });
      const asAdmin = inConsole(alice, true);
      expect(await admin.revokeAccessTokens(asAdmin, { accessTokenIds: [laptop.accessTokenId, 'not-an-id'] })).toEqual({ revokedCount: 1 });
      expect(await service.verify(laptop.secret, client)).toMatchObject({ ok: false });
      expect(await names(service, mary)).toEqual(['ci']);
      expect(await admin.revokeAccessTokens(asAdmin, { owner: 'mary' })).toEqual({ revokedCount: 1 });
      expect(await names(service, mary)).toEqual([]);
      expect(await names(service, joe)).toEqual(['joes']);
      expect((await service.verify(joes.secret, client)).ok).toBe(true);
      const log = (await service.listAccessTokenEvents(inConsole(mary), {})).items.map((event) => [event.eventType, event.accessTokenName, event.detail]);
      expect(log.slice(0, 2)).toEqual([['REVOKED_BY_ADMIN', 'ci', 'alice'], ['REVOKED_BY_ADMIN', 'laptop', 'alice']]);
      await expect(admin.revokeAccessTokens(asAdmin, { owner: 'mary', accessTokenIds: ['x'] })).rejects.toMatchObject({ errorType: 'ValidationException' });
      const entries = (await admin.listAdminEvents(asAdmin, {})).items;
      expect(entries.map((entry) => [entry.adminName, entry.action, entry.targetUserName ?? null, entry.detail, entry.sourceIpAddress])).toEqual([
        ['alice', 'REVOKED_ACCESS_TOKENS', 'mary', 'ci', '192.0.2.1'],
        ['alice', 'REVOKED_ACCESS_TOKENS', null, 'laptop', '192.0.2.1'],
      ]);
    });

    it("offboards a user: every PAT revoked at once, new ones refused until enabled again, even one never seen before", async () => {
      const { service, admin, alice, mary } = await setUp();
      const ci = await service.createAccessToken(inConsole(mary), { name: 'ci' });
      const asAdmin = inConsole(alice, true);
      expect(await admin.disableUser(asAdmin, 'mary')).toEqual({ userName: 'mary', disabled: true, revokedCount: 1 });
      expect(await service.verify(ci.secret, client)).toMatchObject({ ok: false });
      await expect(service.createAccessToken(inConsole(mary), { name: 'again' })).rejects.toMatchObject({ errorType: 'AccessDeniedException', statusCode: 403 });
      expect(await admin.enableUser(asAdmin, 'mary')).toEqual({ userName: 'mary', disabled: false, revokedCount: 0 });
      expect((await service.createAccessToken(inConsole(mary), { name: 'again' })).name).toBe('again');
      expect((await admin.disableUser(asAdmin, 'newcomer')).disabled).toBe(true);
      expect((await admin.listAdminEvents(asAdmin, {})).items.map((entry) => [entry.action, entry.targetUserName])).toEqual([
        ['DISABLED_USER', 'newcomer'],
        ['ENABLED_USER', 'mary'],
        ['DISABLED_USER', 'mary'],
      ]);
    });

    it('holds every create and regenerate to the policy, which any server reads afresh; PATs made before it stay', async () => {
      const { service, admin, alice, mary, clock } = await setUp();
      const before = await service.createAccessToken(inConsole(mary), { name: 'before' });
      const asAdmin = inConsole(alice, true);
      const policy = await admin.updateAccessTokenPolicy(asAdmin, { forbidFullAccess: true, forbidManageAccessTokens: true, forbidAccessTokenCreatedTokens: true, maxLiveTokens: 2, maxTokenLifetimeYears: 2 });
      expect(policy).toEqual({ maxTokenLifetimeYears: 2, maxLiveTokens: 2, activityRetentionDays: 90, forbidFullAccess: true, forbidManageAccessTokens: true, forbidAccessTokenCreatedTokens: true });
      expect(await service.limits()).toEqual(policy);
      const refused = { errorType: 'AccessDeniedException', statusCode: 403 };
      await expect(service.createAccessToken(inConsole(mary), { name: 'full' })).rejects.toMatchObject(refused);
      await expect(service.createAccessToken(inConsole(mary), { name: 'manager', access: { permissions: ['MANAGE_ACCESS_TOKENS'] } })).rejects.toMatchObject(refused);
      const reader = { permissions: ['READ_REPOSITORIES' as const] };
      const inTwoYears = new Date(clock.now + 700 * DAY).toISOString();
      const made = await service.createAccessToken(inConsole(mary), { name: 'reader', access: reader, expiresTime: inTwoYears });
      expect(made.expiresTime).toBe(inTwoYears);
      // Made with a PAT: refused, whatever it asks for.
      const verified = await service.verify(before.secret, client);
      if (!verified.ok) throw new Error('the PAT made before the policy stopped working');
      const patCaller: Caller = { user: mary, token: verified.token, client };
      await expect(service.createAccessToken(patCaller, { name: 'child', access: reader })).rejects.toMatchObject(refused);
      await expect(service.createAccessToken(inConsole(mary), { name: 'third', access: reader })).rejects.toMatchObject({ errorType: 'ServiceQuotaExceededException' });
      // The PAT made before keeps working, and its regenerate must meet the policy.
      expect((await service.verify(before.secret, client)).ok).toBe(true);
      await expect(service.regenerateAccessToken(inConsole(mary), before.accessTokenId, {})).rejects.toMatchObject(refused);
      expect((await service.regenerateAccessToken(inConsole(mary), before.accessTokenId, { access: reader })).name).toBe('before');
      expect((await admin.listAdminEvents(asAdmin, {})).items[0]).toMatchObject({ action: 'UPDATED_POLICY', detail: expect.stringContaining('"forbidFullAccess":true') });
      await expect(admin.updateAccessTokenPolicy(asAdmin, {})).rejects.toMatchObject({ errorType: 'ValidationException' });
      await expect(admin.updateAccessTokenPolicy(asAdmin, { maxLiveTokens: 0 })).rejects.toMatchObject({ errorType: 'ValidationException' });
    });

    it('lists for admins the PATs made before a policy that it would refuse today, a page at a time, and revokes none of them', async () => {
      const { service, admin, alice, mary, joe, clock } = await setUp();
      const asAdmin = inConsole(alice, true);
      const reader = { permissions: ['READ_REPOSITORIES' as const] };
      await service.createAccessToken(inConsole(mary), { name: 'full' });
      await service.createAccessToken(inConsole(mary), { name: 'narrow', access: reader });
      await service.createAccessToken(inConsole(joe), { name: 'also-full' });
      await admin.updateAccessTokenPolicy(asAdmin, { forbidFullAccess: true, maxTokenLifetimeYears: 1 });
      clock.now += DAY;
      const first = await admin.adminListAccessTokens(asAdmin, { outsidePolicy: true, maxResults: 1 });
      expect(first.items.map((token) => token.name)).toEqual(['also-full']);
      const second = await admin.adminListAccessTokens(asAdmin, { outsidePolicy: true, maxResults: 1, nextToken: first.nextToken });
      expect(second.items.map((token) => token.name)).toEqual(['full']);
      expect(second.nextToken).toBeUndefined();
      expect((await admin.adminListAccessTokens(asAdmin, { outsidePolicy: true, owner: 'mary' })).items.map((token) => token.name)).toEqual(['full']);
      expect(await names(service, mary)).toEqual(['full', 'narrow']);
    });
  });
}
