import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { CreateAccessTokenResponse, ListAccessTokenEventsResponse, ListAccessTokensResponse } from '../contract/schemas';
import { spawnServer, type ServerProcess } from '../scripts/spawn-server';
import { startSmtpServer, type SmtpServer } from './testing/mail-support';
import { createDatabase, startPostgres } from './testing/postgres-support';
import { startWebhookReceiver, type WebhookReceiver } from './testing/webhook-support';

const running: ServerProcess[] = [];
const user = { 'x-forwarded-user': 'mary', 'content-type': 'application/json' };

/** Two servers on one PostgreSQL database, started at the same moment, as a load balancer sees them. */
async function startInstances(databaseUrl: string, count = 2, env: Record<string, string> = {}): Promise<string[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () =>
      spawnServer('server/main.ts', {
        PORT: '0',
        PAT_CONSOLE_DATABASE_URL: databaseUrl,
        PAT_CONSOLE_AUTH: 'proxy',
        PAT_CONSOLE_STATIC_DIR: '',
        PAT_CONSOLE_CREATES_PER_MINUTE: '0',
        // The loops below try deleted tokens many times over: every refusal must be a plain 401.
        PAT_CONSOLE_FAILED_AUTHS_PER_MINUTE: '0',
        LOG_LEVEL: 'error',
        ...env,
      }),
    ),
  );
  running.push(...servers);
  return servers.map((server) => server.url);
}

const create = (url: string, name: string, userName = 'mary') =>
  fetch(`${url}/v1/accessTokens`, {
    method: 'PUT',
    headers: { ...user, 'x-forwarded-user': userName },
    body: JSON.stringify({ name }),
  });

async function listNames(url: string): Promise<string[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const response = await fetch(`${url}/v1/accessTokens`, { method: 'POST', headers: user, body: JSON.stringify({ nextToken }) });
    const page = (await response.json()) as ListAccessTokensResponse;
    names.push(...page.items.map((item) => item.name));
    nextToken = page.nextToken;
  } while (nextToken);
  return names;
}

const session = (url: string, secret: string) => fetch(`${url}/session`, { headers: { authorization: `Bearer ${secret}` } });

let smtp: SmtpServer | undefined;
let receiver: WebhookReceiver | undefined;
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop()));
  smtp?.stop();
  await receiver?.close();
  smtp = receiver = undefined;
});

describe('several servers on one PostgreSQL database', () => {
  it('share one truth: a create shows on the other at once, a delete is refused by the other on the next request', async () => {
    const [one, two] = (await startInstances(await createDatabase(inject('postgresUrl')))) as [string, string];
    for (let round = 0; round < 15; round += 1) {
      const created = (await (await create(one, `round-${round}`)).json()) as CreateAccessTokenResponse;
      expect(await listNames(two)).toContain(`round-${round}`);
      expect((await session(two, created.secret)).status).toBe(200);
      const deleted = await fetch(`${one}/v1/accessTokens/${created.accessTokenId}`, { method: 'DELETE', headers: user });
      expect(deleted.status).toBe(200);
      expect((await session(two, created.secret)).status).toBe(401);
      expect(await listNames(two)).not.toContain(`round-${round}`);
    }
  });

  it('revokes a reported secret through one server, and the other refuses it and lists the token gone on the next request', async () => {
    const [one, two] = (await startInstances(await createDatabase(inject('postgresUrl')))) as [string, string];
    for (let round = 0; round < 10; round += 1) {
      const created = (await (await create(one, `exposed-${round}`)).json()) as CreateAccessTokenResponse;
      expect((await session(two, created.secret)).status).toBe(200);
      const revoked = await fetch(`${one}/v1/accessTokens/revoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ secrets: [created.secret] }),
      });
      expect(revoked.status).toBe(202);
      expect((await session(two, created.secret)).status).toBe(401);
      expect(await listNames(two)).not.toContain(`exposed-${round}`);
    }
  });

  it('sends each notice once though both servers send, and both look for due ones again when they restart at once', async () => {
    const secret = 'a-webhook-secret-of-some-length';
    smtp = await startSmtpServer();
    receiver = await startWebhookReceiver(secret);
    const databaseUrl = await createDatabase(inject('postgresUrl'));
    const env = { PAT_CONSOLE_SMTP_URL: smtp.url, PAT_CONSOLE_WEBHOOK_URL: receiver.url, PAT_CONSOLE_WEBHOOK_SECRET: secret, PAT_CONSOLE_EXPIRY_NOTICE_DAYS: '7,1' };
    const servers = await startInstances(databaseUrl, 2, env);
    const expiresTime = new Date(Date.now() + 3 * 24 * 60 * 60 * 1000).toISOString();
    const TOKENS = 40;
    await Promise.all(
      Array.from({ length: TOKENS }, async (_, index) => {
        const response = await fetch(`${servers[index % 2]}/v1/accessTokens`, {
          method: 'PUT',
          headers: { ...user, 'x-forwarded-user': `user-${index}`, 'x-forwarded-email': `user-${index}@example.com` },
          body: JSON.stringify({ name: `ci-${index}`, expiresTime }),
        });
        expect(response.status).toBe(201);
      }),
    );
    // Each: its creation to the webhook, and its 7-day notice to the webhook and by e-mail.
    await receiver.waitForDeliveries(2 * TOKENS);
    await smtp.waitForMessages(TOKENS);
    await Promise.all(running.splice(0).map((server) => server.stop()));
    // Both look at every token again, at once, when they start.
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query('UPDATE access_tokens SET next_notice_at = 0');
    await client.end();
    await startInstances(databaseUrl, 2, env);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const deliveries = receiver.deliveries.map((delivery) => String(delivery.body.deliveryId));
    expect(deliveries).toHaveLength(2 * TOKENS);
    expect(new Set(deliveries).size).toBe(2 * TOKENS);
    expect(receiver.deliveries.every((delivery) => delivery.signed)).toBe(true);
    const mails = await smtp.messages();
    expect(mails.map((mail) => mail.to && 'text' in mail.to && mail.to.text).sort()).toEqual(
      Array.from({ length: TOKENS }, (_, index) => `user-${index}@example.com`).sort(),
    );
  }, 60_000);

  it("an admin's revocation through one server is refused by the other on the next request, by the API and by Git", async () => {
    const [one, two] = (await startInstances(await createDatabase(inject('postgresUrl')), 2, { PAT_CONSOLE_ADMINS: 'alice' })) as [string, string];
    const alice = { ...user, 'x-forwarded-user': 'alice' };
    const gitRefs = (url: string, secret: string) =>
      fetch(`${url}/git/mary/notes.git/info/refs?service=git-upload-pack`, { headers: { authorization: `Basic ${Buffer.from(`mary:${secret}`).toString('base64')}` } });
    for (let round = 0; round < 5; round += 1) {
      const created = (await (await create(one, `offboarded-${round}`)).json()) as CreateAccessTokenResponse;
      expect((await session(two, created.secret)).status).toBe(200);
      expect((await gitRefs(two, created.secret)).status).not.toBe(401);
      const revoked = await fetch(`${one}/v1/admin/accessTokens/revoke`, { method: 'POST', headers: alice, body: JSON.stringify({ owner: 'mary' }) });
      expect(await revoked.json()).toEqual({ revokedCount: 1 });
      expect((await session(two, created.secret)).status).toBe(401);
      expect((await gitRefs(two, created.secret)).status).toBe(401);
    }
    const disabled = await fetch(`${two}/v1/admin/users/mary/disable`, { method: 'POST', headers: alice });
    expect(await disabled.json()).toEqual({ userName: 'mary', disabled: true, revokedCount: 0 });
    expect((await create(one, 'after-offboarding')).status).toBe(403);
  });

  it('regenerates on one server, and the other refuses the old secret and takes the new one on the next request', async () => {
    const [one, two] = (await startInstances(await createDatabase(inject('postgresUrl')))) as [string, string];
    for (let round = 0; round < 10; round += 1) {
      const created = (await (await create(one, `rotating-${round}`)).json()) as CreateAccessTokenResponse;
      expect((await session(two, created.secret)).status).toBe(200);
      const regenerated = await fetch(`${one}/v1/accessTokens/${created.accessTokenId}/regenerate`, { method: 'POST', headers: user, body: '{}' });
      expect(regenerated.status).toBe(200);
      const { secret, accessTokenId } = (await regenerated.json()) as CreateAccessTokenResponse;
      expect(accessTokenId).toBe(created.accessTokenId);
      expect((await session(two, created.secret)).status).toBe(401);
      expect((await session(two, secret)).status).toBe(200);
    }
  });

  it("log one history: each server's changes show on the other, and a client's first use is logged once, whichever server saw it", async () => {
    const [one, two] = (await startInstances(await createDatabase(inject('postgresUrl')))) as [string, string];
    const created = (await (await create(one, 'shared')).json()) as CreateAccessTokenResponse;
    const asGit = (url: string) => fetch(`${url}/session`, { headers: { authorization: `Bearer ${created.secret}`, 'user-agent': 'git/2.39.5' } });
    // Both servers see the same new client, at the same time and again: one of them logs it.
    await Promise.all([asGit(one), asGit(two), asGit(one), asGit(two)]);
    await fetch(`${two}/v1/accessTokens/${created.accessTokenId}`, { method: 'DELETE', headers: user });
    expect((await asGit(one)).status).toBe(401);
    const log = async (url: string) => {
      const response = await fetch(`${url}/v1/accessTokenEvents`, { method: 'POST', headers: user, body: '{}' });
      return ((await response.json()) as ListAccessTokenEventsResponse).items.map((event) => event.eventType);
    };
    const expected = ['DELETED_TOKEN_USED', 'DELETED', 'USED_FROM_NEW_CLIENT', 'CREATED'];
    expect(await log(one)).toEqual(expected);
    expect(await log(two)).toEqual(expected);
  });

  it("pages with a nextToken from one server on the other", async () => {
    const [one, two] = (await startInstances(await createDatabase(inject('postgresUrl')))) as [string, string];
    for (let index = 0; index < 7; index += 1) expect((await create(index % 2 ? one : two, `n${index}`)).status).toBe(201);
    const page = async (url: string, nextToken?: string) =>
      (await (await fetch(`${url}/v1/accessTokens`, { method: 'POST', headers: user, body: JSON.stringify({ maxResults: 3, nextToken }) })).json()) as ListAccessTokensResponse;
    const first = await page(one);
    const second = await page(two, first.nextToken);
    const third = await page(one, second.nextToken);
    expect([first, second, third].flatMap((result) => result.items.map((item) => item.name))).toEqual(['n0', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6']);
    expect(third.nextToken).toBeUndefined();
  });

  it('holds the quota of 100 exactly when 120 creates for one user arrive at both at once', async () => {
    const [one, two] = (await startInstances(await createDatabase(inject('postgresUrl')))) as [string, string];
    const statuses = await Promise.all(
      Array.from({ length: 120 }, async (_, index) => (await create(index % 2 ? one : two, `t${index}`)).status),
    );
    expect(statuses.filter((status) => status === 201)).toHaveLength(100);
    expect(statuses.filter((status) => status === 402)).toHaveLength(20);
    expect(await listNames(one)).toHaveLength(100);
  });

  it('keeps serving when one is killed with -9 during creates, and every acknowledged token works', async () => {
    const [one, two] = (await startInstances(await createDatabase(inject('postgresUrl')))) as [string, string];
    const victim = running[0];
    const acknowledged: string[] = [];
    const creates = Array.from({ length: 60 }, async (_, index) => {
      const response = await create(index % 2 ? one : two, `k${index}`).catch(() => undefined);
      if (response?.status === 201) acknowledged.push(((await response.json()) as CreateAccessTokenResponse).secret);
      // Mid-stream: some creates are done, others are still on their way to the victim.
      if (acknowledged.length === 10) victim?.child.kill('SIGKILL');
    });
    await Promise.all(creates);
    expect(victim?.child.signalCode).toBe('SIGKILL');
    expect(acknowledged.length).toBeGreaterThanOrEqual(30);
    expect(acknowledged.length).toBeLessThan(60);
    for (const secret of acknowledged) expect((await session(two, secret)).status).toBe(200);
    expect((await create(two, 'after')).status).toBe(201);
  });

  it('answers 503 while PostgreSQL is down, recovers by itself, and loses nothing acknowledged', async () => {
    const postgres = await startPostgres();
    try {
      const [one, two] = (await startInstances(await postgres.createDatabase())) as [string, string];
      const acknowledged: string[] = [];
      const statuses = new Set<number>();
      let stopLoad = false;
      const load = (async () => {
        for (let index = 0; !stopLoad; index += 1) {
          // A user per ten creates: the load never meets the quota of 100.
          const response = await create(index % 2 ? one : two, `p${index}`, `load-${Math.floor(index / 10)}`);
          statuses.add(response.status);
          if (response.status === 201) acknowledged.push(((await response.json()) as CreateAccessTokenResponse).secret);
          else expect(response.headers.get('x-amzn-errortype')).toBe('ServiceUnavailableException');
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 300));
      await postgres.stop();
      const down = await fetch(`${two}/healthz`);
      expect(down.status).toBe(503);
      const started = Date.now();
      expect((await create(one, 'while-down')).status).toBe(503);
      expect(Date.now() - started).toBeLessThan(5_000);
      await postgres.start();
      await new Promise((resolve) => setTimeout(resolve, 300));
      stopLoad = true;
      await load;
      expect(statuses).toEqual(new Set([201, 503]));
      expect((await fetch(`${one}/healthz`)).status).toBe(200);
      expect((await create(two, 'after')).status).toBe(201);
      for (const secret of acknowledged) expect((await session(one, secret)).status).toBe(200);
    } finally {
      await postgres.remove();
    }
  }, 60_000);
});
