/**
 * `npm run bench`: autocannon against a running server (its own process, a fresh database) for
 * ListAccessTokens, CreateAccessToken and bearer-authenticated VerifySession, next to a bare Fastify
 * route measured in the same run (and /healthz, what any route costs here), on SQLite and on
 * PostgreSQL (a throwaway server). The reference for the auth path is the bare route with Fastify's
 * own request logging at info, as the server logs its requests. Goals at 50 connections, p99 under
 * 10 ms: VerifySession and forward auth at >= 90% of that reference (docs/performance.md has what
 * they measure); on PostgreSQL, list and VerifySession at >= 50% of the same on
 * SQLite. The list is a person's page: printed, with no throughput goal. Then the admin's list over
 * 100,000 PATs (bench-admin.ts), and Git (bench-git.ts).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { openPostgresTokenStore } from '../server/storage/postgres-token-store';
import { openSqliteTokenStore } from '../server/storage/sqlite-token-store';
import { startPostgres } from '../server/testing/postgres-support';
import { ADMIN_BENCH_TOKENS, ADMIN_BENCH_USERS, benchAdmin, seedAdminBench } from './bench-admin';
import { benchGit } from './bench-git';
import { spawnServer, type ServerProcess } from './spawn-server';

const CONNECTIONS = 50;
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/** Rounds of bare, list and VerifySession, interleaved so that drift on a shared machine hits all alike. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const LISTED_REPOSITORIES = 1500;
const servers: ServerProcess[] = [];

async function start(script: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const server = await spawnServer(script, env);
  servers.push(server);
  return server;
}

interface Row {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function measure(name: string, options: autocannon.Options): Promise<Row> {
  // A second of warm-up: the JIT and the caches settle before anything is counted.
  await autocannon({ connections: CONNECTIONS, duration: 1, ...options });
  const result = await autocannon({ connections: CONNECTIONS, duration: DURATION_SECONDS, ...options });
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'pat-console-bench-'));
const postgres = await startPostgres();
try {
  const bare = (await start('scripts/bare-server.ts')).url;
  const bareLogged = (await start('scripts/bare-server.ts', { BARE_LOGGING: '1' })).url;
  const serverEnv = {
    PORT: '0',
    PAT_CONSOLE_REPOS: join(dir, 'repos'),
    PAT_CONSOLE_STATIC_DIR: '',
    PAT_CONSOLE_AUTH: 'proxy',
    PAT_CONSOLE_CREATES_PER_MINUTE: '0',
    // The default configuration: requests are logged (info), to a file (see spawnServer).
  };
  // The server as a team deploys it (npm run build, then plain node): tsx, which `npm start` uses
  // for a quick local run, keeps function names by wrapping every closure a request creates.
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-server.ts'], { cwd: join(import.meta.dirname, '..'), stdio: 'inherit' });
  const apiServer = await start('build/server/main.js', { ...serverEnv, PAT_CONSOLE_DB: join(dir, 'bench.db') });
  const api = apiServer.url;
  const onPostgres = (await start('build/server/main.js', { ...serverEnv, PAT_CONSOLE_DATABASE_URL: await postgres.createDatabase() })).url;
  const user = { 'x-forwarded-user': 'bench-user', 'content-type': 'application/json' };
  /** 25 tokens for the bench user; the secret of the last. */
  const seed = async (url: string) => {
    let secret = '';
    for (let index = 0; index < 25; index += 1) {
      const response = await fetch(`${url}/v1/accessTokens`, { method: 'PUT', headers: user, body: JSON.stringify({ name: `seed-${index}` }) });
      ({ secret } = (await response.json()) as { secret: string });
    }
    return secret;
  };
  const secret = await seed(api);
  const postgresSecret = await seed(onPostgres);

  const list = (url: string): autocannon.Options => ({ url: `${url}/v1/accessTokens`, method: 'POST', headers: user, body: '{"maxResults":10}' });
  const verify = (url: string, pat: string): autocannon.Options => ({ url: `${url}/session`, headers: { authorization: `Bearer ${pat}` } });
  const auth = (url: string, pat: string): autocannon.Options => ({
    url: `${url}/auth`,
    headers: {
      authorization: `Basic ${Buffer.from(`git:${pat}`).toString('base64')}`,
      'x-original-uri': '/git/bench-user/notes.git/info/refs?service=git-upload-pack',
      'x-original-method': 'GET',
    },
  });
  const targets: Array<[string, autocannon.Options]> = [
    ['bare Fastify route', { url: `${bare}/bare` }],
    ['reference: bare Fastify route, requests logged at info', { url: `${bareLogged}/bare` }],
    // Close to the floor: a route that only pings storage, through the hooks, headers and log line.
    ['GET /healthz (a storage ping)', { url: `${api}/healthz` }],
    ['ListAccessTokens (10 of 25)', list(api)],
    ['VerifySession (bearer PAT)', verify(api, secret)],
    // The Git auth path without git: a PAT as Basic, judged on the request nginx would forward.
    ['Forward auth /auth (a fetch, Basic PAT)', auth(api, secret)],
    ['ListAccessTokens, PostgreSQL', list(onPostgres)],
    ['VerifySession, PostgreSQL', verify(onPostgres, postgresSecret)],
  ];
  const rounds: Row[][] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const results: Row[] = [];
    for (const [name, options] of targets) results.push(await measure(name, options));
    rounds.push(results);
  }
  // The median round of each target: one noisy run on a shared machine neither makes nor breaks a goal.
  const median = (index: number): Row => {
    const sorted = rounds.map((results) => results[index] as Row).sort((a, b) => a.rps - b.rps);
    return sorted[Math.floor(sorted.length / 2)] as Row;
  };
  let creator = 0;
  const rows = [
    ...targets.map((_, index) => median(index)),
    await measure('CreateAccessToken', {
      url: `${api}/v1/accessTokens`,
      requests: [
        {
          method: 'PUT',
          body: '{"name":"bench"}',
          // A user per create: the quota of 100 live tokens a user would otherwise end the run.
          setupRequest: (request) => ({ ...request, headers: { ...user, 'x-forwarded-user': `creator-${(creator += 1)}` } }),
        },
      ],
    }),
  ];

  const bareRps = rows[0]?.rps ?? 1;
  const referenceRps = rows[1]?.rps ?? 1;
  console.log(
    `\n${CONNECTIONS} connections, ${DURATION_SECONDS} s each; median of ${ROUNDS} interleaved rounds; ${process.platform} ${process.arch}, Node ${process.version}\n`,
  );
  console.log('| operation | requests/s | vs bare | vs reference (logged) | p50 ms | p99 ms | errors |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) {
    console.log(
      `| ${row.name} | ${row.rps.toFixed(0)} | ${((row.rps / bareRps) * 100).toFixed(0)}% | ${(row.rps / referenceRps).toFixed(2)}× | ${row.p50} | ${row.p99} | ${row.errors} |`,
    );
  }
  const [, reference, , sqliteList, sqliteVerify, forwardAuth, postgresList, postgresVerify] = rows as Row[];
  const goal = (row: Row | undefined, against: Row | undefined, share: number, label: string) => ({
    label: `${row?.name ?? ''} (>= ${share * 100}% of ${label})`,
    ok: row !== undefined && row.rps >= (against?.rps ?? Infinity) * share && row.p99 < 10 && row.errors === 0,
  });
  const goals = [
    goal(sqliteVerify, reference, 0.9, 'the logging reference'),
    goal(forwardAuth, reference, 0.9, 'the logging reference'),
    goal(postgresList, sqliteList, 0.5, 'the same on SQLite'),
    goal(postgresVerify, sqliteVerify, 0.5, 'the same on SQLite'),
  ];
  console.log('\nGoals (requests/s as below, p99 < 10 ms, no errors):');
  for (const { label, ok } of goals) console.log(`  ${ok ? 'met    ' : 'MISSED '} ${label}`);

  // The repository listing must not stall the server: /healthz while two clients list 1,500 repositories in a loop.
  const lister = { ...user, 'x-forwarded-user': 'bench-lister' };
  const { identity } = (await (await fetch(`${api}/session`, { headers: lister })).json()) as { identity: string };
  const folder = join(dir, 'repos', identity);
  execFileSync('git', ['init', '--quiet', '--bare', join(folder, 'repo-0.git')]);
  for (let index = 1; index < LISTED_REPOSITORIES; index += 1) cpSync(join(folder, 'repo-0.git'), join(folder, `repo-${index}.git`), { recursive: true });
  const listing = autocannon({ connections: 2, duration: DURATION_SECONDS + 2, url: `${api}/v1/repositories`, headers: lister });
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const health = await autocannon({ connections: 1, duration: DURATION_SECONDS, url: `${api}/healthz` });
  const listed = await listing;
  console.log(`\n| while ${LISTED_REPOSITORIES} repositories are listed in a loop | requests/s | p50 ms | p99 ms | errors |`);
  console.log('| --- | ---: | ---: | ---: | ---: |');
  console.log(`| ListRepositories, 2 connections | ${listed.requests.average.toFixed(0)} | ${listed.latency.p50} | ${listed.latency.p99} | ${listed.non2xx + listed.errors} |`);
  console.log(`| GET /healthz, 1 connection | ${health.requests.average.toFixed(0)} | ${health.latency.p50} | ${health.latency.p99} | ${health.non2xx + health.errors} |`);
  const healthGoal = { label: '/healthz p50 under 5 ms while the repository listing is hammered', ok: health.latency.p50 < 5 && health.non2xx === 0 };
  console.log(`  ${healthGoal.ok ? 'met    ' : 'MISSED '} ${healthGoal.label}`);
  goals.push(healthGoal);

  // The admin's list over 100,000 PATs of 1,000 users, on each engine. BENCH_ADMIN=0 leaves it out.
  if (process.env.BENCH_ADMIN !== '0') {
    const sqlitePath = join(dir, 'admin.db');
    const sqliteStore = openSqliteTokenStore(sqlitePath);
    await seedAdminBench(sqliteStore);
    await sqliteStore.close();
    const postgresUrl = await postgres.createDatabase();
    const postgresStore = await openPostgresTokenStore(postgresUrl);
    await seedAdminBench(postgresStore);
    await postgresStore.close();
    const results = [
      await benchAdmin('SQLite', { PAT_CONSOLE_DB: sqlitePath }, DURATION_SECONDS),
      await benchAdmin('PostgreSQL', { PAT_CONSOLE_DATABASE_URL: postgresUrl }, DURATION_SECONDS),
    ];
    console.log(`\n| AdminListAccessTokens, ${ADMIN_BENCH_TOKENS} PATs of ${ADMIN_BENCH_USERS} users | requests/s | p50 ms | p99 ms | errors |`);
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (const row of results.flatMap((result) => result.rows)) {
      console.log(`| ${row.name} | ${row.rps.toFixed(0)} | ${row.p50} | ${row.p99} | ${row.errors} |`);
    }
    const adminGoal = { label: 'the admin list pages and filters by owner under 50 ms p99 for an admin at the page, on SQLite and PostgreSQL', ok: results.every((result) => result.ok) };
    console.log(`  ${adminGoal.ok ? 'met    ' : 'MISSED '} ${adminGoal.label}`);
    goals.push(adminGoal);
  }

  // BENCH_GIT=0 leaves the Git rows out: a quicker run when only the API changed.
  const gitGoals: Array<{ label: string; ok: boolean }> = [];
  if (process.env.BENCH_GIT !== '0') {
    const { rows: gitRows, peakRssBytes, goals: reached } = await benchGit({
      api,
      serverPid: apiServer.child.pid ?? 0,
      userName: 'bench-user',
      secret,
      dir: join(dir, 'git'),
    });
    const seconds = (value: number | undefined) => (value === undefined ? '' : value.toFixed(2));
    const ratio = (value: number, against: number | undefined) => (against === undefined ? '' : `${(value / against).toFixed(2)}×`);
    console.log('\n| Git over HTTPS (median seconds) | pat-console | git local transport | nginx + http-backend | vs local | vs nginx |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const row of gitRows) {
      console.log(`| ${row.name} | ${seconds(row.ours)} | ${seconds(row.local)} | ${seconds(row.nginx)} | ${ratio(row.ours, row.local)} | ${ratio(row.ours, row.nginx)} |`);
    }
    const fleet = gitRows.at(-1);
    if (fleet?.cpu) {
      console.log(`\nServer CPU during those clones at once: pat-console ${fleet.cpu.ours.toFixed(2)} s (Node and its git), nginx + fcgiwrap + http-backend ${seconds(fleet.cpu.nginx)} s.`);
    }
    console.log(`The server's processes held at most ${(peakRssBytes / 1024 / 1024).toFixed(0)} MB RSS meanwhile (summed over the processes).`);
    console.log('\nGoals:');
    for (const { label, ok } of reached) console.log(`  ${ok ? 'met    ' : 'MISSED '} ${label}`);
    gitGoals.push(...reached);
  }
  if ([...goals, ...gitGoals].some(({ ok }) => !ok)) process.exitCode = 1;
} finally {
  await Promise.all(servers.map((server) => server.stop()));
  await postgres.remove();
  rmSync(dir, { recursive: true, force: true });
}
