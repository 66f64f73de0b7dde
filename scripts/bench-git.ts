/**
 * Git rows of `npm run bench`: clone and push of a ~30 MB repository through the server, next to
 * git's own local transport (`git clone --no-local`, a push to a local bare repository), and eight
 * clones at once. Goal: at most 1.2× the local transport.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitClient } from '../server/git-support';

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

  const remote = (name: string) => `${api.replace('http://', `http://${userName}:${secret}@`)}/git/${userName}/${name}.git`;
  const local = (name: string) => join(dir, 'local', `${name}.git`);
  mkdirSync(join(dir, 'local'));
  mkdirSync(join(dir, 'clones'));

  const samples = { pushHttp: [] as number[], pushLocal: [] as number[], cloneHttp: [] as number[], cloneLocal: [] as number[] };
  for (let round = 0; round < ROUNDS; round += 1) {
    // Each push goes to a new repository (push to create on the server, a fresh bare one locally).
    await git(['init', '--quiet', '--bare', local(`push-${round}`)]);
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

  return [
    { name: 'git push, ~30 MB', seconds: median(samples.pushHttp), baseline: median(samples.pushLocal) },
    { name: 'git clone, ~30 MB', seconds: median(samples.cloneHttp), baseline: median(samples.cloneLocal) },
    { name: '8 clones at once, all complete', seconds: (performance.now() - started) / 1000, baseline: undefined },
  ];
}
