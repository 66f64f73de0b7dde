/**
 * Git rows of `npm run bench`: clone and push of a ~30 MB repository through the server, next to
 * git's own local transport (`git clone --no-local`, a push to a local bare repository), and eight
 * clones at once. Goal: at most 1.2× the local transport.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitClient, withPat } from '../server/testing/git-support';
import { freePort } from './spawn-server';

const FILES = 200;
const FILE_BYTES = 150 * 1024;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

export interface GitRow {
  name: string;
  seconds: number;
  baseline: number | undefined;
}

export async function benchGit({ api, userName, secret, dir }: { api: string; userName: string; secret: string; dir: string }): Promise<GitRow[]> {
  const git = gitClient();
  const run = async (args: string[], cwd?: string) => {
    const started = performance.now();
    const result = await git(args, cwd ? { cwd } : {});
    if (!result.ok) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
    return (performance.now() - started) / 1000;
  };

  const work = join(dir, 'work');
  await git(['init', '--quiet', '--initial-branch', 'main', work]);
  for (let index = 0; index < FILES; index += 1) writeFileSync(join(work, `file-${index}.bin`), randomBytes(FILE_BYTES));
  await git(['add', '.'], { cwd: work });
  await git(['commit', '--quiet', '-m', 'thirty megabytes'], { cwd: work });

  const remote = (name: string) => withPat(`${api}/git/${userName}/${name}.git`, secret, userName);
  const local = (name: string) => join(dir, 'local', `${name}.git`);
  mkdirSync(join(dir, 'local'));
  mkdirSync(join(dir, 'clones'));

  const samples = { pushHttp: [] as number[], pushLocal: [] as number[], cloneHttp: [] as number[], cloneLocal: [] as number[] };
  for (let round = 0; round < ROUNDS; round += 1) {
    // Each push goes to a new repository (push to create on the server, a fresh bare one locally).
    // HEAD on the pushed branch, as the server sets it: a clone checks the files out in both cases.
    await git(['init', '--quiet', '--bare', '--initial-branch', 'main', local(`push-${round}`)]);
    samples.pushLocal.push(await run(['push', '--quiet', local(`push-${round}`), 'main'], work));
    samples.pushHttp.push(await run(['push', '--quiet', remote(`push-${round}`), 'main'], work));
    samples.cloneLocal.push(await run(['clone', '--quiet', '--no-local', local(`push-${round}`), join(dir, 'clones', `local-${round}`)]));
    samples.cloneHttp.push(await run(['clone', '--quiet', remote(`push-${round}`), join(dir, 'clones', `http-${round}`)]));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

  const started = performance.now();
  const parallel = await Promise.all(
    Array.from({ length: 8 }, (_, index) => git(['clone', '--quiet', remote('push-0'), join(dir, 'clones', `parallel-${index}`)])),
  );
  const failed = parallel.filter((result) => !result.ok).length;
  if (failed > 0) throw new Error(`${failed} of 8 parallel clones failed`);

  const rows: GitRow[] = [
    { name: 'git push, ~30 MB', seconds: median(samples.pushHttp), baseline: median(samples.pushLocal) },
    { name: 'git clone, ~30 MB', seconds: median(samples.cloneHttp), baseline: median(samples.cloneLocal) },
    { name: '8 clones at once, all complete', seconds: (performance.now() - started) / 1000, baseline: undefined },
  ];
  const reference = await cloneThroughNginx(dir, local('push-0'), run);
  if (reference !== undefined) {
    rows.push({ name: 'reference: git clone through nginx + fcgiwrap (no Node, no auth)', seconds: reference, baseline: median(samples.cloneLocal) });
  }
  return rows;
}

/**
 * What git's own HTTP transport costs without pat-console: git http-backend behind nginx and
 * fcgiwrap, when both are installed. Informs the clone goal; it is not one.
 */
async function cloneThroughNginx(dir: string, repository: string, run: (args: string[]) => Promise<number>): Promise<number | undefined> {
  if (!existsSync('/usr/sbin/nginx') || !existsSync('/usr/sbin/fcgiwrap')) return undefined;
  const home = join(dir, 'nginx');
  for (const temp of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(home, temp), { recursive: true });
  const socket = join(home, 'fcgiwrap.socket');
  const port = await freePort();
  writeFileSync(
    join(home, 'nginx.conf'),
    `daemon off; worker_processes 1; pid ${home}/nginx.pid; error_log ${home}/error.log warn;
events { worker_connections 64; }
http { access_log off; client_body_temp_path ${home}/body; proxy_temp_path ${home}/proxy; fastcgi_temp_path ${home}/fastcgi;
  uwsgi_temp_path ${home}/uwsgi; scgi_temp_path ${home}/scgi;
  server { listen 127.0.0.1:${port};
    location ~ ^/git(/.*)$ {
      fastcgi_pass unix:${socket};
      fastcgi_param SCRIPT_FILENAME /usr/lib/git-core/git-http-backend;
      fastcgi_param GIT_PROJECT_ROOT ${join(repository, '..')};
      fastcgi_param GIT_HTTP_EXPORT_ALL "";
      fastcgi_param PATH_INFO $1;
      fastcgi_param QUERY_STRING $query_string;
      fastcgi_param REQUEST_METHOD $request_method;
      fastcgi_param CONTENT_TYPE $content_type;
      fastcgi_param CONTENT_LENGTH $content_length;
    }
  }
}
`,
  );
  const children: ChildProcess[] = [spawn('/usr/sbin/fcgiwrap', ['-s', `unix:${socket}`], { stdio: 'ignore' })];
  try {
    while (!existsSync(socket)) await new Promise((resolve) => setTimeout(resolve, 50));
    // nginx's workers may run as another user (nobody, when started as root): they need the way to the socket.
    chmodSync(socket, 0o666);
    for (const folder of [dir, join(dir, '..')]) chmodSync(folder, 0o711);
    children.push(spawn('/usr/sbin/nginx', ['-p', home, '-c', join(home, 'nginx.conf')], { stdio: 'ignore' }));
    while (!existsSync(join(home, 'nginx.pid'))) await new Promise((resolve) => setTimeout(resolve, 50));
    const url = `http://127.0.0.1:${port}/git/${repository.split('/').pop() ?? ''}`;
    const times: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) times.push(await run(['clone', '--quiet', url, join(dir, 'clones', `nginx-${round}`)]));
    return [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
  } catch (error) {
    console.warn(`The nginx reference could not be measured: ${String(error)}`);
    return undefined;
  } finally {
    for (const child of children) child.kill('SIGTERM');
  }
}
