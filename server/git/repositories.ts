import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { mkdir, readdir, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isRepositoryName } from '../../contract/names';
import { isolatedGitEnvironment } from './stateless-rpc';

const run = promisify(execFile);

/** Whether git can be run here; the reason when it cannot, for the log and for Git clients. */
export async function gitVersion(): Promise<{ ok: true; version: string } | { ok: false; message: string }> {
  try {
    const { stdout } = await run('git', ['--version'], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    return { ok: true, version: stdout.trim() };
  } catch {
    return { ok: false, message: 'Git is not installed on this server: install git (Debian: apt-get install git) and restart pat-console.' };
  }
}

export interface RepositorySummary {
  name: string;
  /** When a push last changed a ref, in milliseconds; undefined before the first push. */
  lastPushAt: number | undefined;
  sizeBytes: number;
}

/**
 * Bytes of the files below `path`, read without holding the event loop. git may be writing there
 * meanwhile: a file or folder gone between the listing and its reading (a lock file renamed, a
 * quarantine removed) counts as nothing.
 */
async function sizeOf(path: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(path, { withFileTypes: true }).catch(() => [])) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) total += await sizeOf(child);
    else if (entry.isFile()) total += await stat(child).then((info) => info.size, () => 0);
  }
  return total;
}

/**
 * When a push last changed a ref: the newest of the ref files and their folders (a deleted branch
 * changes its folder) and packed-refs; undefined while the repository has no ref.
 */
async function lastPushOf(path: string): Promise<number | undefined> {
  const refs = join(path, 'refs');
  const entries = await readdir(refs, { recursive: true, withFileTypes: true }).catch(() => []);
  const hasRef = entries.some((entry) => entry.isFile()) || existsSync(join(path, 'packed-refs'));
  if (!hasRef) return undefined;
  const paths = [refs, ...entries.map((entry) => join(entry.parentPath, entry.name)), join(path, 'packed-refs')];
  const times = await Promise.all(paths.map((file) => stat(file).then((info) => info.mtimeMs, () => 0)));
  return Math.max(...times);
}

/**
 * The bare repositories on disk: one folder per user, named by the user's id (a user name is free
 * text from a proxy header, an id is ours), and `<name>.git` inside it. Beside the users' folders,
 * two of the server's own, whose names no user id or repository takes: `.hooks`, empty, where every
 * git here looks for hooks, and `.empty.git`, which advertises what a repository yet to be pushed has.
 */
export function createRepositoryStore(root: string) {
  const hooksPath = join(root, '.hooks');
  const emptyName = '.empty.git';
  const env = isolatedGitEnvironment(hooksPath);
  const git = (args: string[]) => run('git', args, { env });
  mkdirSync(hooksPath, { recursive: true, mode: 0o700 });
  let empty: Promise<unknown> | undefined;

  const folderOf = (userId: string) => join(root, userId);
  const pathOf = (userId: string, name: string) => join(folderOf(userId), `${name}.git`);
  /** Sizes already read, by the push they were read after: a push anywhere moves it on. */
  const sizes = new Map<string, { lastPushAt: number | undefined; sizeBytes: number }>();
  /**
   * Each user's list as read at a time of their folder: a push anywhere moves that time on
   * (`touch`), creating a repository does too, so a list read before it is not used again; callers
   * that come while it is read share the reading.
   */
  const listings = new Map<string, { changedAt: number; summaries: Promise<RepositorySummary[]> }>();

  async function summaryOf(userId: string, name: string): Promise<RepositorySummary> {
    const path = pathOf(userId, name);
    const lastPushAt = await lastPushOf(path);
    let known = sizes.get(path);
    if (!known || known.lastPushAt !== lastPushAt) {
      known = { lastPushAt, sizeBytes: await sizeOf(path) };
      sizes.set(path, known);
    }
    return { name, lastPushAt, sizeBytes: known.sizeBytes };
  }

  async function names(userId: string): Promise<string[]> {
    const entries = await readdir(folderOf(userId), { withFileTypes: true }).catch(() => []);
    return entries
      .filter((entry) => entry.isDirectory() && entry.name.endsWith('.git'))
      .map((entry) => entry.name.slice(0, -'.git'.length))
      .filter((name) => isRepositoryName(name) && existsSync(join(pathOf(userId, name), 'HEAD')));
  }

  return {
    hooksPath,
    /** A repository's folder, from checked parts. */
    pathOf,
    /** The empty repository's folder, which answers for one that a push will create. */
    async emptyPath(): Promise<string> {
      empty ??= existsSync(join(root, emptyName, 'HEAD')) ? Promise.resolve() : git(['init', '--quiet', '--bare', join(root, emptyName)]);
      await empty.catch((error: unknown) => {
        empty = undefined;
        throw error;
      });
      return join(root, emptyName);
    },
    exists: (userId: string, name: string) => existsSync(join(pathOf(userId, name), 'HEAD')),
    /** How many repositories the user has. */
    count: async (userId: string) => (await names(userId)).length,

    /** Push to create: a new, empty bare repository in the user's own namespace. */
    async create(userId: string, name: string): Promise<void> {
      await mkdir(folderOf(userId), { recursive: true, mode: 0o700 });
      await git(['init', '--quiet', '--bare', pathOf(userId, name)]);
    },

    /**
     * After a push: a repository whose HEAD names a branch that does not exist (a first push of
     * another branch than git's default) points HEAD at what was pushed, so a clone checks it out.
     */
    async settleHead(userId: string, name: string): Promise<void> {
      const gitDir = ['--git-dir', pathOf(userId, name)];
      try {
        await git([...gitDir, 'rev-parse', '--verify', '--quiet', 'HEAD']);
        return;
      } catch {
        // HEAD is unborn: pick a branch below.
      }
      const { stdout } = await git([...gitDir, 'for-each-ref', '--format=%(refname)', '--sort=creatordate', 'refs/heads']);
      const branches = stdout.split('\n').filter(Boolean);
      const chosen = branches.find((ref) => ref === 'refs/heads/main') ?? branches.find((ref) => ref === 'refs/heads/master') ?? branches[0];
      if (chosen) await git([...gitDir, 'symbolic-ref', 'HEAD', chosen]);
    },

    /** After a push: the user's folder says that their repositories changed, to every server that lists them. */
    async touch(userId: string): Promise<void> {
      const folder = folderOf(userId);
      const before = (await stat(folder)).mtimeMs;
      const now = new Date(Math.max(Date.now(), Math.floor(before) + 1));
      await utimes(folder, now, now);
    },

    /** The user's repositories by name, read from disk without holding the event loop, again only after a change. */
    async list(userId: string): Promise<RepositorySummary[]> {
      const changedAt = (await stat(folderOf(userId)).catch(() => undefined))?.mtimeMs;
      if (changedAt === undefined) return [];
      const known = listings.get(userId);
      if (known?.changedAt === changedAt) return known.summaries;
      const summaries = names(userId)
        .then((found) => Promise.all(found.map((name) => summaryOf(userId, name))))
        .then((read) => read.sort((a, b) => a.name.localeCompare(b.name)));
      listings.set(userId, { changedAt, summaries });
      summaries.catch(() => listings.delete(userId));
      return summaries;
    },
  };
}

export type RepositoryStore = ReturnType<typeof createRepositoryStore>;
