/**
 * Git rows of `npm run bench`: push and clone of a ~30 MB repository through the server, next to
 * git's own local transport (`git clone --no-local`, a push to a local bare repository) and to git's
 * own HTTP stack (nginx + fcgiwrap + `git http-backend`, when installed), then eight clones at once.
 * Each round runs the contenders in a new random order, after `sync`, so that neither the order nor
 * the write-back of the last clone favours one; the median round counts.
 *
 * Goals (issue 22): a push and a clone at most 1.15× local and 0.9× nginx; eight clones at once at
 * most 0.5× nginx; the server's processes (Node and its git) under 200 MB RSS meanwhile.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitClient, withPat } from '../server/testing/git-support';
import { freePort } from './spawn-server';

const FILES = 200;
const FILE_BYTES = 150 * 1024;
const ROUNDS = Number(process.env.BENCH_GIT_ROUNDS ?? 7);
const FLEET = 8;
const FLEET_ROUNDS = 3;

export interface GitRow {
  name: string;
  /** Median seconds of each contender; undefined where one could not be measured (no nginx). */
  ours: number;
  local: number | undefined;
  nginx: number | undefined;
  /** CPU seconds the server side spent (ours, nginx), for the rows that measure it. */
  cpu?: { ours: number; nginx: number | undefined };
}

export interface GitBench {
  rows: GitRow[];
  /** The most the server's process tree held at once during the eight clones, in bytes. */
  peakRssBytes: number;
  goals: Array<{ label: string; ok: boolean }>;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const shuffled = <T>(items: T[]) => items.map((item) => ({ item, order: Math.random() })).sort((a, b) => a.order - b.order).map(({ item }) => item);

/** Every process under `root` (itself included), from /proc. */
function processTree(root: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(parent, [...(parents.get(parent) ?? []), Number(entry)]);
    } catch {
      // Gone meanwhile.
    }
  }
  const tree = [root];
  for (let index = 0; index < tree.length; index += 1) tree.push(...(parents.get(tree[index] ?? -1) ?? []));
  return tree;
}

const TICKS_PER_SECOND = 100;
/**
 * CPU seconds of a process tree so far: each live process's own time and that of the children it
 * has reaped (which include theirs), so a git process that came and went is counted once.
 */
function treeCpuSeconds(root: number): number {
  let ticks = 0;
  for (const pid of processTree(root)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime, stime, cutime, cstime: fields 14–17 of stat(5), 12–15 after the name.
      ticks += [11, 12, 13, 14].reduce((sum, index) => sum + Number(fields[index] ?? 0), 0);
    } catch {
      // Gone meanwhile: its time is in its parent's now.
    }
  }
  return ticks / TICKS_PER_SECOND;
}

function treeRssBytes(root: number): number {
  let kilobytes = 0;
  for (const pid of processTree(root)) {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
      kilobytes += Number(match?.[1] ?? 0);
    } catch {
      // Gone meanwhile.
    }
  }
  return kilobytes * 1024;
}

export async function benchGit({ api, serverPid, userName, secret, dir }: { api: string; serverPid: number; userName: string; secret: string; dir: string }): Promise<GitBench> {
  const git = gitClient();
  const run = async (args: string[], cwd?: string) => {
    execFileSync('sync');
    const started = performance.now();
    const result = await git(args, cwd ? { cwd } : {});
    if (!result.ok) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
    return (performance.now() - started) / 1000;
  };
  const clones = join(dir, 'clones');
  const clone = async (url: string, local = false) => {
    const target = join(clones, randomBytes(6).toString('hex'));
    const seconds = await run(['clone', '--quiet', ...(local ? ['--no-local'] : []), url, target]);
    rmSync(target, { recursive: true, force: true });
    return seconds;
  };

  const work = join(dir, 'work');
  await git(['init', '--quiet', '--initial-branch', 'main', work]);
  for (let index = 0; index < FILES; index += 1) writeFileSync(join(work, `file-${index}.bin`), randomBytes(FILE_BYTES));
  await git(['add', '.'], { cwd: work });
  await git(['commit', '--quiet', '-m', 'thirty megabytes'], { cwd: work });

  const ours = (name: string) => withPat(`${api}/git/${userName}/${name}.git`, secret, userName);
  const localRoot = join(dir, 'local');
  const local = (name: string) => join(localRoot, `${name}.git`);
  mkdirSync(localRoot);
  mkdirSync(clones);
  const nginx = await startNginx(dir, localRoot);
  try {
    const samples = {
      push: { ours: [] as number[], local: [] as number[], nginx: [] as number[] },
      clone: { ours: [] as number[], local: [] as number[], nginx: [] as number[] },
      again: { ours: [] as number[], local: [] as number[], nginx: [] as number[] },
    };
    for (let round = 0; round < ROUNDS; round += 1) {
      // Each push goes to a new repository: push to create on the server, a fresh bare one for git's
      // own (HEAD on the pushed branch, as the server sets it, so that every clone checks files out).
      const pushed = `push-${round}`;
      const viaNginx = `nginx-${round}`;
      for (const name of [pushed, viaNginx]) await git(['init', '--quiet', '--bare', '--initial-branch', 'main', local(name)]);
      const pushes: Array<[keyof typeof samples.push, () => Promise<number>]> = [
        ['local', () => run(['push', '--quiet', local(pushed), 'main'], work)],
        ['ours', () => run(['push', '--quiet', ours(pushed), 'main'], work)],
      ];
      if (nginx) pushes.push(['nginx', () => run(['push', '--quiet', `${nginx.url}/${viaNginx}.git`, 'main'], work)]);
      for (const [who, push] of shuffled(pushes)) samples.push[who].push(await push());

      // The first clone of a repository: nothing of it is cached anywhere.
      const firsts: Array<[keyof typeof samples.clone, () => Promise<number>]> = [
        ['local', () => clone(local(pushed), true)],
        ['ours', () => clone(ours(pushed))],
      ];
      if (nginx) firsts.push(['nginx', () => clone(`${nginx.url}/${viaNginx}.git`)]);
      for (const [who, first] of shuffled(firsts)) samples.clone[who].push(await first());
    }
    // The same clone again and again, as CI does: from the second on, the server makes the pack
    // once, and sends it from then on.
    await clone(ours('push-0'));
    const agains: Array<[keyof typeof samples.again, () => Promise<number>]> = [
      ['local', () => clone(local('push-0'), true)],
      ['ours', () => clone(ours('push-0'))],
    ];
    if (nginx) agains.push(['nginx', () => clone(`${nginx.url}/push-0.git`)]);
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [who, again] of shuffled(agains)) samples.again[who].push(await again());
    }

    // Eight clones at once, of the same commit; with the server's CPU and memory meanwhile.
    const fleet = async (url: string, local = false) => {
      execFileSync('sync');
      const started = performance.now();
      const results = await Promise.all(
        Array.from({ length: FLEET }, () => git(['clone', '--quiet', ...(local ? ['--no-local'] : []), url, join(clones, randomBytes(6).toString('hex'))])),
      );
      const seconds = (performance.now() - started) / 1000;
      const failed = results.filter((result) => !result.ok).length;
      if (failed > 0) throw new Error(`${failed} of ${FLEET} clones at once failed: ${results.find((result) => !result.ok)?.stderr ?? ''}`);
      rmSync(clones, { recursive: true, force: true });
      mkdirSync(clones);
      return seconds;
    };
    const fleets = { ours: [] as number[], local: [] as number[], nginx: [] as number[] };
    const cpu = { ours: [] as number[], nginx: [] as number[] };
    let peakRssBytes = 0;
    const contenders: Array<[keyof typeof fleets, () => Promise<number>]> = [
      ['local', () => fleet(local('push-0'), true)],
      [
        'ours',
        async () => {
          const before = treeCpuSeconds(serverPid);
          const sampler = setInterval(() => (peakRssBytes = Math.max(peakRssBytes, treeRssBytes(serverPid))), 25);
          try {
            return await fleet(ours('push-0'));
          } finally {
            clearInterval(sampler);
            // Reaped children's time reaches their parent when they are waited for: a moment.
            await new Promise((resolve) => setTimeout(resolve, 200));
            cpu.ours.push(treeCpuSeconds(serverPid) - before);
          }
        },
      ],
    ];
    if (nginx) {
      contenders.push([
        'nginx',
        async () => {
          const before = nginx.cpuSeconds();
          try {
            return await fleet(`${nginx.url}/push-0.git`);
          } finally {
            await new Promise((resolve) => setTimeout(resolve, 200));
            cpu.nginx.push(nginx.cpuSeconds() - before);
          }
        },
      ]);
    }
    for (let round = 0; round < FLEET_ROUNDS; round += 1) {
      for (const [who, contender] of shuffled(contenders)) fleets[who].push(await contender());
    }

    const row = (name: string, values: { ours: number[]; local: number[]; nginx: number[] }): GitRow => ({
      name,
      ours: median(values.ours),
      local: values.local.length > 0 ? median(values.local) : undefined,
      nginx: values.nginx.length > 0 ? median(values.nginx) : undefined,
    });
    const rows: GitRow[] = [
      row('git push, ~30 MB', samples.push),
      row('git clone, ~30 MB (the first of the repository)', samples.clone),
      row('the same clone again (from the second on, the server sends its cached pack)', samples.again),
      { ...row(`${FLEET} clones at once, all complete`, fleets), cpu: { ours: median(cpu.ours), nginx: cpu.nginx.length > 0 ? median(cpu.nginx) : undefined } },
    ];
    const within = (value: number, against: number | undefined, share: number) => against === undefined || value <= against * share;
    const [push, first, , atOnce] = rows as [GitRow, GitRow, GitRow, GitRow];
    const goals = [
      { label: 'git push at most 1.15× local and 0.9× nginx', ok: within(push.ours, push.local, 1.15) && within(push.ours, push.nginx, 0.9) },
      { label: 'git clone at most 1.15× local and 0.9× nginx', ok: within(first.ours, first.local, 1.15) && within(first.ours, first.nginx, 0.9) },
      { label: `${FLEET} clones at once at most 0.5× nginx`, ok: within(atOnce.ours, atOnce.nginx, 0.5) },
      { label: `the server's processes under 200 MB RSS during the ${FLEET} clones`, ok: peakRssBytes < 200 * 1024 * 1024 },
    ];
    if (!nginx) goals.push({ label: 'the nginx reference was measured (install nginx and fcgiwrap)', ok: false });
    return { rows, peakRssBytes, goals };
  } finally {
    nginx?.stop();
  }
}

/**
 * git's own HTTP stack without pat-console: `git http-backend` behind nginx and fcgiwrap, serving
 * the local repositories (pushes too), when both are installed. No auth, no Node.
 */
async function startNginx(dir: string, root: string): Promise<{ url: string; cpuSeconds: () => number; stop: () => void } | undefined> {
  if (!existsSync('/usr/sbin/nginx') || !existsSync('/usr/sbin/fcgiwrap')) return undefined;
  const home = join(dir, 'nginx');
  for (const temp of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(home, temp), { recursive: true });
  const socket = join(home, 'fcgiwrap.socket');
  const port = await freePort();
  writeFileSync(
    join(home, 'nginx.conf'),
    `daemon off; worker_processes 1; pid ${home}/nginx.pid; error_log ${home}/error.log warn;
events { worker_connections 64; }
http { access_log off; client_max_body_size 0; client_body_temp_path ${home}/body; proxy_temp_path ${home}/proxy;
  fastcgi_temp_path ${home}/fastcgi; uwsgi_temp_path ${home}/uwsgi; scgi_temp_path ${home}/scgi;
  server { listen 127.0.0.1:${port};
    location ~ ^/git(/.*)$ {
      fastcgi_pass unix:${socket};
      fastcgi_param SCRIPT_FILENAME /usr/lib/git-core/git-http-backend;
      fastcgi_param GIT_PROJECT_ROOT ${root};
      fastcgi_param GIT_HTTP_EXPORT_ALL "";
      fastcgi_param REMOTE_USER bench;
      fastcgi_param PATH_INFO $1;
      fastcgi_param QUERY_STRING $query_string;
      fastcgi_param REQUEST_METHOD $request_method;
      fastcgi_param CONTENT_TYPE $content_type;
      fastcgi_param CONTENT_LENGTH $content_length;
      fastcgi_param HTTP_GIT_PROTOCOL $http_git_protocol;
      fastcgi_request_buffering off;
    }
  }
}
`,
  );
  const children: ChildProcess[] = [spawn('/usr/sbin/fcgiwrap', ['-s', `unix:${socket}`], { stdio: 'ignore' })];
  const stop = () => {
    for (const child of children) child.kill('SIGTERM');
  };
  try {
    while (!existsSync(socket)) await new Promise((resolve) => setTimeout(resolve, 50));
    // nginx's workers may run as another user (nobody, when started as root): they need the way to the socket.
    chmodSync(socket, 0o666);
    for (const folder of [dir, join(dir, '..')]) chmodSync(folder, 0o711);
    children.push(spawn('/usr/sbin/nginx', ['-p', home, '-c', join(home, 'nginx.conf')], { stdio: 'ignore' }));
    while (!existsSync(join(home, 'nginx.pid'))) await new Promise((resolve) => setTimeout(resolve, 50));
    return {
      url: `http://127.0.0.1:${port}/git`,
      cpuSeconds: () => children.reduce((sum, child) => sum + (child.pid === undefined ? 0 : treeCpuSeconds(child.pid)), 0),
      stop,
    };
  } catch (error) {
    console.warn(`The nginx reference could not be started: ${String(error)}`);
    stop();
    return undefined;
  }
}
