import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CreateAccessTokenResponse, ListAccessTokensResponse } from '../contract/schemas';
import { spawnServer, type ServerProcess } from '../scripts/spawn-server';
import { startWebhookReceiver, type WebhookReceiver } from './testing/webhook-support';

const running: ServerProcess[] = [];

async function startServer(dbPath: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const server = await spawnServer('server/main.ts', { PORT: '0', PAT_CONSOLE_DB: dbPath, PAT_CONSOLE_STATIC_DIR: '', LOG_LEVEL: 'warn', ...env });
  running.push(server);
  return server;
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

let receiver: WebhookReceiver | undefined;
afterEach(async () => {
  for (const { child } of running.splice(0)) child.kill('SIGKILL');
  await receiver?.close();
  receiver = undefined;
});

const create = (url: string, name: string) =>
  fetch(`${url}/v1/accessTokens`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });

describe('durability', () => {
  it('keeps an acknowledged create through kill -9', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'pat-console-')), 'nested', 'tokens.db');
    const first = await startServer(dbPath);
    const response = await fetch(`${first.url}/v1/accessTokens`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'survivor' }),
    });
    expect(response.status).toBe(201);
    const { secret, accessTokenId } = (await response.json()) as CreateAccessTokenResponse;
    const gone = exited(first.child);
    first.child.kill('SIGKILL');
    expect((await gone).signal).toBe('SIGKILL');

    const second = await startServer(dbPath);
    const list = (await (await fetch(`${second.url}/v1/accessTokens`, { method: 'POST', headers: { 'content-type': 'application/json' } })).json()) as ListAccessTokensResponse;
    expect(list.items.map((item) => item.id)).toEqual([accessTokenId]);
    const session = await fetch(`${second.url}/session`, { headers: { authorization: `Bearer ${secret}` } });
    expect(session.status).toBe(200);
  });

  it('loses no notice to kill -9 mid-send, and a restart sends none twice', async () => {
    const secret = 'a-webhook-secret-of-some-length';
    // The first delivery is held open: its server is killed while it waits for the answer.
    receiver = await startWebhookReceiver(secret, (delivery) => (receiver?.deliveries.length === 1 && delivery.body.event === 'pat.created' ? 'hang' : 204));
    const dbPath = join(mkdtempSync(join(tmpdir(), 'pat-console-')), 'tokens.db');
    // One attempt may take 2 s, so a server holds a notice for 8 s.
    const env = { PAT_CONSOLE_WEBHOOK_URL: receiver.url, PAT_CONSOLE_WEBHOOK_SECRET: secret, PAT_CONSOLE_NOTICE_TIMEOUT_SECONDS: '2' };
    const first = await startServer(dbPath, env);
    expect((await create(first.url, 'in-flight')).status).toBe(201);
    await receiver.waitForDeliveries(1);
    const gone = exited(first.child);
    first.child.kill('SIGKILL');
    await gone;

    const second = await startServer(dbPath, env);
    expect((await create(second.url, 'after')).status).toBe(201);
    // The killed server's claim lapses, and this one sends the notice it never finished.
    await receiver.waitForDeliveries(3, 20_000);
    await second.stop();
    const third = await startServer(dbPath, env);
    // Long enough for the restarted server to look, and send anything it thought was due.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await third.stop();
    const delivered = receiver.deliveries.map((delivery) => [(delivery.body.accessToken as { name: string }).name, delivery.body.deliveryId]);
    expect(delivered.map(([name]) => name).sort()).toEqual(['after', 'in-flight', 'in-flight']);
    // The one sent twice was in flight when its server died: the same delivery id both times.
    const inFlight = delivered.filter(([name]) => name === 'in-flight');
    expect(inFlight[0]?.[1]).toBe(inFlight[1]?.[1]);
  }, 40_000);

  it('shuts down gracefully on SIGTERM', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'pat-console-')), 'tokens.db');
    const { child } = await startServer(dbPath);
    const done = exited(child);
    child.kill('SIGTERM');
    expect((await done).code).toBe(0);
  });
});
