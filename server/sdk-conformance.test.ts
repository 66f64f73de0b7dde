import {
  AccessDeniedException,
  CodeCatalystClient,
  CreateAccessTokenCommand,
  DeleteAccessTokenCommand,
  ListAccessTokensCommand,
  paginateListAccessTokens,
  ResourceNotFoundException,
  ServiceQuotaExceededException,
  ThrottlingException,
  ValidationException,
  VerifySessionCommand,
} from '@aws-sdk/client-codecatalyst';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './testing/test-support';

/** The official SDK, unchanged but for the endpoint, must manage tokens against our server. */
describe('conformance with @aws-sdk/client-codecatalyst', () => {
  let testApp: TestApp;
  let endpoint: string;
  let sdk: CodeCatalystClient;
  let secret: string;

  const clientWith = (token: string) =>
    new CodeCatalystClient({ endpoint, region: 'us-west-2', token: { token }, maxAttempts: 1 });

  beforeAll(async () => {
    testApp = await createTestApp({ createsPerMinute: 0, failedAuthsPerMinute: 0 });
    endpoint = await testApp.app.listen({ host: '127.0.0.1', port: 0 });
    const bootstrap = await fetch(`${endpoint}/v1/accessTokens`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'sdk' }),
    });
    ({ secret } = (await bootstrap.json()) as { secret: string });
    sdk = clientWith(secret);
  });

  afterAll(async () => {
    sdk.destroy();
    await testApp.app.close();
    await testApp.store.close();
  });

  it('verifies the session of the bearer token', async () => {
    const session = await sdk.send(new VerifySessionCommand({}));
    expect(session.identity).toBe((await testApp.store.userByName('marymajor')).id);
  });

  it('creates tokens and lists all of them through the paginator', async () => {
    const expiresTime = new Date(Date.now() + 10 * 24 * 60 * 60 * 1000);
    expiresTime.setUTCMilliseconds(0);
    const created = await sdk.send(new CreateAccessTokenCommand({ name: 'from-sdk', expiresTime }));
    expect(created).toMatchObject({ name: 'from-sdk', accessTokenId: expect.any(String), secret: expect.stringMatching(/^pat_/) });
    expect(created.expiresTime).toEqual(expiresTime);
    for (let index = 0; index < 23; index += 1) await sdk.send(new CreateAccessTokenCommand({ name: `bulk-${index}` }));

    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateListAccessTokens({ client: sdk, pageSize: 10 }, {})) {
      pages += 1;
      names.push(...(page.items ?? []).map((item) => item.name ?? ''));
      for (const item of page.items ?? []) expect(item.expiresTime).toBeInstanceOf(Date);
    }
    expect(pages).toBe(3);
    expect(names).toHaveLength(25);
    expect(names.slice(0, 2)).toEqual(['sdk', 'from-sdk']);
  });

  it('deletes a token, and a second delete is ResourceNotFoundException', async () => {
    const { accessTokenId } = await sdk.send(new CreateAccessTokenCommand({ name: 'short-lived' }));
    await expect(sdk.send(new DeleteAccessTokenCommand({ id: accessTokenId }))).resolves.toBeDefined();
    await expect(sdk.send(new DeleteAccessTokenCommand({ id: accessTokenId }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('raises ValidationException for bad input', async () => {
    await expect(sdk.send(new CreateAccessTokenCommand({ name: 'x'.repeat(101) }))).rejects.toBeInstanceOf(ValidationException);
    await expect(sdk.send(new ListAccessTokensCommand({ maxResults: 10, nextToken: 'forged' }))).rejects.toBeInstanceOf(
      ValidationException,
    );
  });

  it('raises AccessDeniedException for a token that is not valid', async () => {
    const stranger = clientWith('pat_0000000000000000000000000000000000000000000000000');
    await expect(stranger.send(new VerifySessionCommand({}))).rejects.toBeInstanceOf(AccessDeniedException);
    stranger.destroy();
  });

  it('raises ServiceQuotaExceededException past 100 tokens', async () => {
    const live = await testApp.store.liveTokens((await testApp.store.userByName('marymajor')).id, Date.now());
    for (let index = live.length; index < 100; index += 1) {
      await sdk.send(new CreateAccessTokenCommand({ name: `fill-${index}` }));
    }
    await expect(sdk.send(new CreateAccessTokenCommand({ name: 'over' }))).rejects.toBeInstanceOf(
      ServiceQuotaExceededException,
    );
  });

  it('raises ThrottlingException when creates are throttled', async () => {
    const limited = await createTestApp({ createsPerMinute: 1 });
    const url = await limited.app.listen({ host: '127.0.0.1', port: 0 });
    const bootstrap = await fetch(`${url}/v1/accessTokens`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'first' }),
    });
    const { secret: limitedSecret } = (await bootstrap.json()) as { secret: string };
    const client = new CodeCatalystClient({ endpoint: url, region: 'us-west-2', token: { token: limitedSecret }, maxAttempts: 1 });
    await expect(client.send(new CreateAccessTokenCommand({ name: 'second' }))).rejects.toBeInstanceOf(ThrottlingException);
    client.destroy();
    await limited.app.close();
    await limited.store.close();
  });
});
