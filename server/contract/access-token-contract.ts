import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, type ApiClient } from '../../src/lib/api-client';
import { LIST_MAX_RESULTS, MAX_LIVE_TOKENS_PER_USER } from '../../src/lib/api-contract';

export interface ContractTarget {
  client: ApiClient;
  /** Puts a token that has already expired in the target's store. */
  seedExpired(name: string): void;
  close(): Promise<void> | void;
}

const DAY = 24 * 60 * 60 * 1000;

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ApiError)) throw new Error(`Expected an ApiError, got ${String(error)}`);
  return error;
}

/**
 * One suite of API cases, run against the msw mocks and the real server alike, so that the console's
 * tests and the product cannot drift apart.
 */
export function describeAccessTokenContract(targetName: string, open: () => Promise<ContractTarget>) {
  describe(`access-token contract: ${targetName}`, () => {
    let target: ContractTarget;
    let client: ApiClient;

    beforeEach(async () => {
      target = await open();
      client = target.client;
    });
    afterEach(async () => {
      await target.close();
    });

    it('creates a token with a secret, expiring in one year by default', async () => {
      const before = Date.now();
      const created = await client.createAccessToken({ name: 'laptop' });
      expect(created).toEqual({
        secret: expect.stringMatching(/^pat_\w{40,}$/),
        name: 'laptop',
        expiresTime: expect.any(String),
        accessTokenId: expect.any(String),
      });
      const aYear = new Date(before);
      aYear.setUTCFullYear(aYear.getUTCFullYear() + 1);
      expect(Math.abs(Date.parse(created.expiresTime) - aYear.getTime())).toBeLessThan(60_000);
    });

    it('keeps the expiry it was given', async () => {
      const expiresTime = new Date(Date.now() + 30 * DAY).toISOString();
      expect((await client.createAccessToken({ name: 'ci', expiresTime })).expiresTime).toBe(expiresTime);
    });

    it.each([
      { name: '' },
      { name: 'x'.repeat(101) },
      { name: 'a', expiresTime: new Date(Date.now() - DAY).toISOString() },
      { name: 'a', expiresTime: new Date(Date.now() + 400 * DAY).toISOString() },
      { name: 'a', expiresTime: 'soon' },
    ])('refuses %j with a ValidationException', async (request) => {
      const error = await failure(client.createAccessToken(request));
      expect(error).toMatchObject({ errorType: 'ValidationException', status: 400 });
    });

    it(`refuses more than ${MAX_LIVE_TOKENS_PER_USER} live tokens`, async () => {
      for (let index = 0; index < MAX_LIVE_TOKENS_PER_USER; index += 1) {
        await client.createAccessToken({ name: `t${index}` });
      }
      const error = await failure(client.createAccessToken({ name: 'one too many' }));
      expect(error).toMatchObject({ errorType: 'ServiceQuotaExceededException', status: 402 });
    });

    it('lists every token through nextToken, at most 10 a page, in creation order', async () => {
      const names = Array.from({ length: 25 }, (_, index) => `token-${index}`);
      for (const name of names) await client.createAccessToken({ name });
      const first = await client.listAccessTokens({ maxResults: LIST_MAX_RESULTS });
      expect(first.items).toHaveLength(10);
      expect(first.nextToken).toEqual(expect.any(String));
      expect(first.items[0]).toEqual({ id: expect.any(String), name: 'token-0', expiresTime: expect.any(String) });
      const all = await client.listAllAccessTokens();
      expect(all.map((item) => item.name)).toEqual(names);
    });

    it.each([{ maxResults: 11 }, { maxResults: 0 }, { nextToken: 'forged' }])('refuses the list request %j', async (request) => {
      const error = await failure(client.listAccessTokens(request));
      expect(error).toMatchObject({ errorType: 'ValidationException', status: 400 });
    });

    it('never lists an expired token', async () => {
      target.seedExpired('lapsed');
      await client.createAccessToken({ name: 'live' });
      expect((await client.listAllAccessTokens()).map((item) => item.name)).toEqual(['live']);
    });

    it('deletes a token, and then does not know it', async () => {
      const { accessTokenId } = await client.createAccessToken({ name: 'doomed' });
      await expect(client.deleteAccessToken(accessTokenId)).resolves.toEqual({});
      expect(await client.listAllAccessTokens()).toEqual([]);
      const error = await failure(client.deleteAccessToken(accessTokenId));
      expect(error).toMatchObject({ errorType: 'ResourceNotFoundException', status: 404 });
    });

    it('says who the caller is', async () => {
      const session = await client.verifySession();
      expect(session).toEqual({ identity: expect.any(String) });
      const details = await client.getUserDetails();
      expect(details).toEqual({
        userId: session.identity,
        userName: expect.any(String),
        displayName: expect.any(String),
        primaryEmail: { email: expect.any(String), verified: expect.any(Boolean) },
        version: expect.any(String),
      });
    });
  });
}
