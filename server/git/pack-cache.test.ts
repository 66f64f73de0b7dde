import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { gitClient, requireGit, type GitClient } from '../testing/git-support';
import { PackCache, type PackCacheOptions } from './pack-cache';
import { gitServiceEnvironment } from './stateless-rpc';

let git: GitClient;
let cache: PackCache | undefined;

beforeAll(async () => {
  await requireGit();
  git = gitClient();
});

afterEach(async () => {
  await cache?.close();
  cache = undefined;
});

const warnings: string[] = [];

async function openCache(options: Partial<PackCacheOptions> = {}) {
  const root = mkdtempSync(join(tmpdir(), 'pat-console-pack-cache-'));
  mkdirSync(join(root, '.hooks'));
  cache = await PackCache.open({
    parentDir: join(root, '.pack-cache'),
    maxBytes: 64 * 1024 * 1024,
    maxAgeMs: 60_000,
    hooksPath: join(root, '.hooks'),
    log: { warn: (_fields, message) => warnings.push(message) },
    ...options,
  });
  return { cache, root };
}

/** A bare repository with a commit of `bytes` random bytes, and that commit's id. */
async function repository(root: string, bytes = 256 * 1024) {
  const work = mkdtempSync(join(tmpdir(), 'pat-console-pack-work-'));
  await git(['init', '--quiet', '--initial-branch', 'main', work]);
  writeFileSync(join(work, 'blob.bin'), randomBytes(bytes));
  await git(['add', '.'], { cwd: work });
  await git(['commit', '--quiet', '-m', 'first'], { cwd: work });
  const bare = join(root, 'notes.git');
  await git(['clone', '--quiet', '--bare', work, bare]);
  return { bare, work, commit: (await git(['rev-parse', 'HEAD'], { cwd: work })).stdout.trim() };
}

const pktLine = (text: string) => `${(text.length + 4).toString(16).padStart(4, '0')}${text}`;

/** A protocol v2 fetch of `wants`, as a clone sends it. */
const fetchRequest = (wants: string[]) =>
  `${pktLine('command=fetch\n')}0001${pktLine('thin-pack\n')}${pktLine('ofs-delta\n')}${pktLine('include-tag\n')}${wants.map((want) => pktLine(`want ${want}\n`)).join('')}${pktLine('done\n')}0000`;

/** `git upload-pack --stateless-rpc`, as the server runs it for one fetch, with the cache's ticket. */
function uploadPack(bare: string, hooksPath: string, body: string): Promise<Buffer> {
  const ticket = cache!.admit(bare);
  const env = gitServiceEnvironment({
    program: 'upload-pack',
    advertise: false,
    repository: bare,
    remoteUser: 'mary',
    remoteAddress: '127.0.0.1',
    gitProtocol: 'version=2',
    hooksPath,
    packCache: ticket,
  });
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['upload-pack', '--stateless-rpc', bare], { env, stdio: ['pipe', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.once('close', (code) => {
      ticket.release();
      if (code === 0) resolve(Buffer.concat(chunks));
      else reject(new Error(`upload-pack exited with ${code}`));
    });
    child.stdin.end(body);
  });
}

/** The pack in an upload-pack answer: the data of its side-band channel 1, from the "PACK" signature on. */
function packOf(answer: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 4 <= answer.length) {
    const length = parseInt(answer.subarray(offset, offset + 4).toString('latin1'), 16);
    if (length < 4) {
      offset += 4;
      continue;
    }
    const line = answer.subarray(offset + 4, offset + length);
    if (line[0] === 1) parts.push(line.subarray(1));
    offset += length;
  }
  const data = Buffer.concat(parts);
  return data.subarray(data.indexOf('PACK'));
}

/** Whether a pack holds `commit` and everything it needs: indexed into a fresh repository, then `fsck`. */
async function holdsWhole(pack: Buffer, commit: string): Promise<boolean> {
  const target = mkdtempSync(join(tmpdir(), 'pat-console-pack-check-'));
  await git(['init', '--quiet', '--bare', target]);
  writeFileSync(join(target, 'objects', 'pack', 'pack-received.pack'), pack);
  if (!(await git(['index-pack', join(target, 'objects', 'pack', 'pack-received.pack')], { cwd: target })).ok) return false;
  if (!(await git(['update-ref', 'refs/tags/checked', commit], { cwd: target })).ok) return false;
  return (await git(['fsck', '--no-dangling'], { cwd: target })).ok;
}

const packFiles = (root: string) =>
  readdirSync(join(root, '.pack-cache')).flatMap((folder) => readdirSync(join(root, '.pack-cache', folder)).filter((name) => name.endsWith('.pack')));

describe('the pack-objects cache', () => {
  it('runs pack-objects as usual the first time, makes the pack once the second, then sends it; every pack is whole', async () => {
    const { root } = await openCache();
    const { bare, commit } = await repository(root);
    const hooks = join(root, '.hooks');
    const body = fetchRequest([commit]);

    const first = await uploadPack(bare, hooks, body);
    expect(cache!.statistics).toEqual({ passed: 1, made: 0, hits: 0 });
    expect(packFiles(root)).toEqual([]);

    const second = await uploadPack(bare, hooks, body);
    expect(cache!.statistics).toEqual({ passed: 1, made: 1, hits: 0 });
    expect(packFiles(root)).toHaveLength(1);

    const third = await uploadPack(bare, hooks, body);
    expect(cache!.statistics).toEqual({ passed: 1, made: 1, hits: 1 });
    for (const answer of [first, second, third]) expect(await holdsWhole(packOf(answer), commit)).toBe(true);
    expect(packOf(third).equals(packOf(second))).toBe(true);
  });

  it('makes one pack for identical fetches at once, streamed to each as it is made', async () => {
    const { root } = await openCache();
    const { bare, commit } = await repository(root, 4 * 1024 * 1024);
    const hooks = join(root, '.hooks');
    const body = fetchRequest([commit]);
    await uploadPack(bare, hooks, body);
    const answers = await Promise.all(Array.from({ length: 5 }, () => uploadPack(bare, hooks, body)));
    expect(cache!.statistics).toEqual({ passed: 1, made: 1, hits: 4 });
    for (const answer of answers) expect(packOf(answer).equals(packOf(answers[0]!))).toBe(true);
    expect(await holdsWhole(packOf(answers[0]!), commit)).toBe(true);
  });

  it('tells apart fetches of other objects, and the same fetch once a new tag could come along', async () => {
    const { root } = await openCache();
    const { bare, work, commit } = await repository(root);
    const hooks = join(root, '.hooks');
    await uploadPack(bare, hooks, fetchRequest([commit]));
    await uploadPack(bare, hooks, fetchRequest([commit]));
    expect(cache!.statistics).toEqual({ passed: 1, made: 1, hits: 0 });

    await git(['commit', '--quiet', '--allow-empty', '-m', 'second'], { cwd: work });
    await git(['push', '--quiet', bare, 'main'], { cwd: work });
    const second = (await git(['rev-parse', 'HEAD'], { cwd: work })).stdout.trim();
    const answer = await uploadPack(bare, hooks, fetchRequest([second]));
    expect(await holdsWhole(packOf(answer), second)).toBe(true);
    expect(cache!.statistics).toEqual({ passed: 2, made: 1, hits: 0 });

    // An annotated tag of the first commit: a clone asking with include-tag gets it in its pack.
    await git(['tag', '--annotate', '-m', 'v1', 'v1', commit], { cwd: work });
    await git(['push', '--quiet', bare, 'v1'], { cwd: work });
    const tagged = await uploadPack(bare, hooks, fetchRequest([commit]));
    expect(cache!.statistics).toEqual({ passed: 3, made: 1, hits: 0 });
    const tag = (await git(['rev-parse', 'v1'], { cwd: work })).stdout.trim();
    expect(await holdsWhole(packOf(tagged), tag)).toBe(true);
  });

  it('keeps no pack larger than its budget, and drops packs past their age', async () => {
    const { root } = await openCache({ maxBytes: 64 * 1024 });
    const { bare, commit } = await repository(root, 256 * 1024);
    const hooks = join(root, '.hooks');
    const body = fetchRequest([commit]);
    await uploadPack(bare, hooks, body);
    const made = await uploadPack(bare, hooks, body);
    expect(await holdsWhole(packOf(made), commit)).toBe(true);
    expect(packFiles(root)).toEqual([]);
    await cache!.close();

    const aged = await openCache({ maxAgeMs: 2000 });
    const again = await repository(aged.root);
    const agedBody = fetchRequest([again.commit]);
    await uploadPack(again.bare, join(aged.root, '.hooks'), agedBody);
    await uploadPack(again.bare, join(aged.root, '.hooks'), agedBody);
    // Made (its file may be gone already on a slow machine), then dropped once past its age.
    expect(cache!.statistics.made).toBe(1);
    await expect.poll(() => packFiles(aged.root), { timeout: 10_000 }).toEqual([]);
    await uploadPack(again.bare, join(aged.root, '.hooks'), agedBody);
    expect(cache!.statistics).toEqual({ passed: 2, made: 1, hits: 0 });
  });

  it('answers a hook without a live ticket "run": it gets no pack of any repository', async () => {
    const { root } = await openCache();
    const { bare, commit } = await repository(root);
    const ticket = cache!.admit(bare);
    const port = Number(ticket.environment.PAT_CONSOLE_PACK_CACHE_PORT);
    ticket.release();
    const input = `${commit}\n--not\n\n`;
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(`${ticket.environment.PAT_CONSOLE_PACK_CACHE_TICKET}\n4\ngit\npack-objects\n--revs\n--stdout\n${input.length}\n${input}`);
      });
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
      socket.on('close', () => resolve(text));
    });
    expect(reply).toBe('run\n');
    // Not even counted: without a live ticket it names no repository.
    expect(cache!.statistics).toEqual({ passed: 0, made: 0, hits: 0 });
  });

  it('reads a hook\'s request that arrives in pieces, as bash writes it', async () => {
    const { root } = await openCache();
    const { bare, commit } = await repository(root);
    const ticket = cache!.admit(bare);
    const input = `${commit}\n--not\n\n`;
    const pieces = [`${ticket.environment.PAT_CONSOLE_PACK_CACHE_TICKET}\n4\n`, 'git\npack-objects\n--revs\n--stdout\n', `${input.length}`, `\n${input}`];
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(Number(ticket.environment.PAT_CONSOLE_PACK_CACHE_PORT), '127.0.0.1', async () => {
        for (const piece of pieces) {
          socket.write(piece);
          await new Promise((wait) => setTimeout(wait, 50));
        }
      });
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
      socket.on('close', () => resolve(text));
    });
    ticket.release();
    expect(reply).toBe('run\n');
    // Counted: a request read whole, seen for the first time (one not read whole counts as nothing).
    expect(cache!.statistics).toEqual({ passed: 1, made: 0, hits: 0 });
  });

  it('keeps its packs in a folder of its own, removed on close, and removes those of servers long gone', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pat-console-pack-cache-'));
    const parentDir = join(root, '.pack-cache');
    const abandoned = join(parentDir, '0123456789abcdef');
    mkdirSync(abandoned, { recursive: true });
    const hourAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    utimesSync(abandoned, hourAgo, hourAgo);
    const other = join(parentDir, 'fedcba9876543210');
    mkdirSync(other);
    await openCache({ parentDir });
    expect(existsSync(abandoned)).toBe(false);
    expect(existsSync(other)).toBe(true);
    expect(readdirSync(parentDir)).toHaveLength(2);
    await cache!.close();
    cache = undefined;
    expect(readdirSync(parentDir)).toEqual(['fedcba9876543210']);
  });
});
