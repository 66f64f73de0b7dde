/**
 * The admin's list at scale: 100,000 PATs over 1,000 users, stored straight through the storage
 * port (the API would take minutes to make them), then the server on that database, asked for the
 * first page, a page by owner, a page far down the list, and a page filtered by text. Goal: paging
 * and filtering by owner answer in under 50 ms p99, on SQLite and on PostgreSQL, for an admin at
 * the page (one connection); ten connections at once are measured too, for what the server takes.
 */
import autocannon from 'autocannon';
import { FULL_ACCESS } from '../contract/access';
import type { AdminListAccessTokensResponse } from '../contract/schemas';
import type { TokenStore } from '../service/token-store';
import { spawnServer, type ServerProcess } from './spawn-server';

export const ADMIN_BENCH_USERS = 1000;
export const ADMIN_BENCH_TOKENS = 100_000;
/** One admin paging, and ten clients at once (scripts, several admins). */
const CONCURRENCY = [1, 10];
const DAY = 24 * 60 * 60 * 1000;

/** 100 PATs for each of 1,000 users, in batches of a transaction each. */
export async function seedAdminBench(store: TokenStore) {
  const now = Date.now();
  const perUser = ADMIN_BENCH_TOKENS / ADMIN_BENCH_USERS;
  for (let userIndex = 0; userIndex < ADMIN_BENCH_USERS; userIndex += 1) {
    const user = await store.userByName(`user-${userIndex}`);
    await store.transaction(async (writes) => {
      for (let index = 0; index < perUser; index += 1) {
        await writes.insertToken({
          userId: user.id,
          name: `pat-${userIndex}-${index}`,
          digest: `bench-${userIndex}-${index}`,
          expiresAt: now + (30 + (index % 300)) * DAY,
          createdAt: now,
          createdWith: null,
          description: null,
          access: FULL_ACCESS,
          noticeAt: null,
        });
      }
    });
  }
}

interface AdminRow {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

/** The server at `env`'s database, as an admin asks it; the rows, and whether the goal was met. */
export async function benchAdmin(label: string, env: Record<string, string>, seconds: number): Promise<{ rows: AdminRow[]; ok: boolean }> {
  const server: ServerProcess = await spawnServer('build/server/main.js', {
    PORT: '0',
    PAT_CONSOLE_STATIC_DIR: '',
    PAT_CONSOLE_AUTH: 'proxy',
    PAT_CONSOLE_ADMINS: 'bench-admin',
    LOG_LEVEL: 'warn',
    ...env,
  });
  try {
    const url = `${server.url}/v1/admin/accessTokens`;
    const headers = { 'x-forwarded-user': 'bench-admin', 'content-type': 'application/json' };
    // A cursor 500 pages down the list, as an admin who kept clicking Next would hold.
    let nextToken: string | undefined;
    for (let page = 0; page < 500; page += 1) {
      const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ maxResults: 100, nextToken }) });
      nextToken = ((await response.json()) as AdminListAccessTokensResponse).nextToken;
    }
    let owner = 0;
    const cases: Array<[string, autocannon.Options]> = [
      ['first page (100 of 100,000)', { url, method: 'POST', headers, body: '{"maxResults":100}' }],
      ['page 501 (nextToken)', { url, method: 'POST', headers, body: JSON.stringify({ maxResults: 100, nextToken }) }],
      [
        "one owner's PATs (100), owners in turn",
        {
          url,
          requests: [{ method: 'POST', headers, setupRequest: (request) => ({ ...request, body: JSON.stringify({ owner: `user-${(owner = (owner + 7) % ADMIN_BENCH_USERS)}` }) }) }],
        },
      ],
      ['text in name or owner (a scan: no goal)', { url, method: 'POST', headers, body: '{"filterText":"pat-999-9"}' }],
    ];
    const rows: AdminRow[] = [];
    let ok = true;
    for (const connections of CONCURRENCY) {
      for (const [index, [name, options]] of cases.entries()) {
        await autocannon({ connections, duration: 1, ...options });
        const result = await autocannon({ connections, duration: seconds, ...options });
        const row = { name: `${label}, ${connections} connection${connections === 1 ? '' : 's'}: ${name}`, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.timeouts + result.non2xx };
        rows.push(row);
        // The goal is the first three (paging and by owner), as one admin meets them.
        if (connections === 1 && index < 3) ok &&= row.p99 < 50 && row.errors === 0;
      }
    }
    return { rows, ok };
  } finally {
    await server.stop();
  }
}
