import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isolatedGitEnvironment } from './http-backend';
import { isRepositoryName } from './repository-path';

const run = promisify(execFile);

/** Whether git can be run here; the reason when it cannot, for the log and for Git clients. */
export async function gitVersion(): Promise<{ ok: true; version: string } | { ok: false; message: string }> {
  try {
    const { stdout } = await run('git', ['--version'], { env: isolatedGitEnvironment() });
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
 * The bare repositories on disk: one folder per user, named by the user's id (a user name is free
 * text from a proxy header, an id is ours), and `<name>.git` inside it.
 */
export function createRepositoryStore(root: string) {
  const folderOf = (userId: string) => join(root, userId);
  const pathOf = (userId: string, name: string) => join(folderOf(userId), `${name}.git`);

  const sizeOf = (path: string): number => {
    let total = 0;
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const child = join(path, entry.name);
      if (entry.isDirectory()) total += sizeOf(child);
      else if (entry.isFile()) total += statSync(child).size;
    }
    return total;
  };

  /** The newest ref file (a push writes one), or undefined while the repository has none. */
  const lastPushOf = (path: string): number | undefined => {
    const refs = join(path, 'refs');
    const files = readdirSync(refs, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
    if (existsSync(join(path, 'packed-refs'))) files.push(join(path, 'packed-refs'));
    return files.length === 0 ? undefined : Math.max(...files.map((file) => statSync(file).mtimeMs));
  };

  return {
    root,
    folderOf,
    /** The CGI path of a repository, relative to the root. */
    pathInfo: (userId: string, name: string, endpoint: string) => `/${userId}/${name}.git/${endpoint}`,
    exists: (userId: string, name: string) => existsSync(join(pathOf(userId, name), 'HEAD')),

    /** Push to create: a new, empty bare repository in the user's own namespace. */
    async create(userId: string, name: string): Promise<void> {
      mkdirSync(folderOf(userId), { recursive: true, mode: 0o700 });
      await run('git', ['init', '--quiet', '--bare', pathOf(userId, name)], { env: isolatedGitEnvironment() });
    },

    /**
     * After a push: a repository whose HEAD names a branch that does not exist (a first push of
     * another branch than git's default) points HEAD at what was pushed, so a clone checks it out.
     */
    async settleHead(userId: string, name: string): Promise<void> {
      const gitDir = ['--git-dir', pathOf(userId, name)];
      try {
        await run('git', [...gitDir, 'rev-parse', '--verify', '--quiet', 'HEAD'], { env: isolatedGitEnvironment() });
        return;
      } catch {
        // HEAD is unborn: pick a branch below.
      }
      const { stdout } = await run('git', [...gitDir, 'for-each-ref', '--format=%(refname)', '--sort=creatordate', 'refs/heads'], {
        env: isolatedGitEnvironment(),
      });
      const branches = stdout.split('\n').filter(Boolean);
      const chosen = branches.find((ref) => ref === 'refs/heads/main') ?? branches.find((ref) => ref === 'refs/heads/master') ?? branches[0];
      if (chosen) await run('git', [...gitDir, 'symbolic-ref', 'HEAD', chosen], { env: isolatedGitEnvironment() });
    },

    list(userId: string): RepositorySummary[] {
      const folder = folderOf(userId);
      if (!existsSync(folder)) return [];
      return readdirSync(folder, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && entry.name.endsWith('.git'))
        .map((entry) => entry.name.slice(0, -'.git'.length))
        .filter((name) => isRepositoryName(name) && existsSync(join(pathOf(userId, name), 'HEAD')))
        .map((name) => {
          const path = pathOf(userId, name);
          return { name, lastPushAt: lastPushOf(path), sizeBytes: sizeOf(path) };
        })
        .sort((a, b) => a.name.localeCompare(b.name));
    },
  };
}

export type RepositoryStore = ReturnType<typeof createRepositoryStore>;
