import { afterEach, describe, expect, it } from 'vitest';
import type { CreateAccessTokenResponse, GetUserDetailsResponse } from '../contract/schemas';
import { createTestApp, json, type TestApp } from './testing/test-support';

let testApp: TestApp | undefined;
afterEach(async () => {
  await testApp?.app.close();
  await testApp?.store.close();
  testApp = undefined;
});

const ADMIN_OPERATIONS = [
  { method: 'GET', url: '/v1/admin/policy' },
  { method: 'PUT', url: '/v1/admin/policy', payload: '{"forbidFullAccess":true}' },
  { method: 'POST', url: '/v1/admin/accessTokens', payload: '{}' },
  { method: 'POST', url: '/v1/admin/accessTokens/revoke', payload: '{"owner":"joe"}' },
  { method: 'POST', url: '/v1/admin/users/joe/disable' },
  { method: 'POST', url: '/v1/admin/users/joe/enable' },
  { method: 'POST', url: '/v1/admin/events', payload: '{}' },
] as const;

async function statuses({ app }: TestApp, headers: Record<string, string>, remoteAddress = '127.0.0.1') {
  return Promise.all(ADMIN_OPERATIONS.map(async (operation) => (await app.inject({ ...operation, remoteAddress, headers: { ...json, ...headers } })).statusCode));
}

const adminFlag = async ({ app }: TestApp, headers: Record<string, string> = {}) =>
  (await app.inject({ url: '/userDetails', headers })).json<GetUserDetailsResponse>().admin;

describe('who is an admin', () => {
  it('in local mode, the one user only when PAT_CONSOLE_ADMINS names them', async () => {
    testApp = await createTestApp();
    expect(await statuses(testApp, {})).toEqual(Array(ADMIN_OPERATIONS.length).fill(403));
    expect(await adminFlag(testApp)).toBe(false);
    await testApp.app.close();
    await testApp.store.close();
    testApp = await createTestApp({ admins: ['marymajor'] });
    expect(await statuses(testApp, {})).toEqual(Array(ADMIN_OPERATIONS.length).fill(200));
    expect(await adminFlag(testApp)).toBe(true);
  });

  it("in proxy mode, members of an admin group the trusted proxy names; another group, or a PAT's bearer claiming one, is not", async () => {
    testApp = await createTestApp({ authMode: 'proxy', adminGroups: ['pat-admins'], createsPerMinute: 0 });
    const alice = { 'x-forwarded-user': 'alice', 'x-forwarded-groups': 'staff, pat-admins' };
    // Made before the policy below forbids PATs with full access.
    const created = await testApp.app.inject({ method: 'PUT', url: '/v1/accessTokens', headers: { ...json, 'x-forwarded-user': 'alice' }, payload: '{"name":"script"}' });
    const { secret } = created.json<CreateAccessTokenResponse>();
    expect(await adminFlag(testApp, alice)).toBe(true);
    expect(await statuses(testApp, alice)).toEqual(Array(ADMIN_OPERATIONS.length).fill(200));
    expect(await statuses(testApp, { 'x-forwarded-user': 'bob', 'x-forwarded-groups': 'staff' })).toEqual(Array(ADMIN_OPERATIONS.length).fill(403));
    // Around the proxy, the headers speak for nobody.
    expect(await statuses(testApp, alice, '198.51.100.9')).toEqual(Array(ADMIN_OPERATIONS.length).fill(401));
    // A PAT skips the proxy's sign-in: the groups it claims count for nothing.
    expect(await statuses(testApp, { authorization: `Bearer ${secret}`, 'x-forwarded-groups': 'pat-admins' })).toEqual(Array(ADMIN_OPERATIONS.length).fill(403));
  });

  it('takes the PAT of an admin named in the settings, so a script can do what the page does', async () => {
    testApp = await createTestApp({ authMode: 'proxy', admins: ['alice'], createsPerMinute: 0 });
    const created = await testApp.app.inject({ method: 'PUT', url: '/v1/accessTokens', headers: { ...json, 'x-forwarded-user': 'alice' }, payload: '{"name":"offboarding-hook"}' });
    const { secret } = created.json<CreateAccessTokenResponse>();
    expect(await statuses(testApp, { authorization: `Bearer ${secret}` })).toEqual(Array(ADMIN_OPERATIONS.length).fill(200));
  });
});

describe('the policy through the API', () => {
  it('refuses a create and a regenerate that break it, through the API, as soon as an admin sets it', async () => {
    testApp = await createTestApp({ admins: ['marymajor'], createsPerMinute: 0 });
    const { app } = testApp;
    const create = (body: unknown) => app.inject({ method: 'PUT', url: '/v1/accessTokens', headers: json, payload: JSON.stringify(body) });
    const before = (await create({ name: 'before' })).json<CreateAccessTokenResponse>();
    const set = await app.inject({ method: 'PUT', url: '/v1/admin/policy', headers: json, payload: '{"forbidManageAccessTokens":true}' });
    expect(set.json()).toMatchObject({ forbidManageAccessTokens: true, forbidFullAccess: false });
    expect((await app.inject({ url: '/v1/accessTokenLimits' })).json()).toMatchObject({ forbidManageAccessTokens: true });
    const refused = await create({ name: 'manager' });
    expect([refused.statusCode, refused.headers['x-amzn-errortype'], refused.json<{ message: string }>().message]).toEqual([
      403,
      'AccessDeniedException',
      "Your administrators' policy: no PAT may manage PATs. Leave out that permission.",
    ]);
    expect((await create({ name: 'reader', access: { permissions: ['READ_REPOSITORIES'] } })).statusCode).toBe(201);
    const regenerate = (body: unknown) =>
      app.inject({ method: 'POST', url: `/v1/accessTokens/${before.accessTokenId}/regenerate`, headers: json, payload: JSON.stringify(body) });
    expect((await regenerate({})).statusCode).toBe(403);
    expect((await regenerate({ access: { permissions: ['READ_REPOSITORIES', 'WRITE_REPOSITORIES'] } })).statusCode).toBe(200);
  });
});
