import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';

const PRIVATE_DIRECTORY = 0o700;
const PRIVATE_FILE = 0o600;

/**
 * Makes the database's folder and files readable by this OS user alone before SQLite opens them:
 * they hold token names, digests and the page-token signing key. SQLite gives its -wal and -shm
 * files the database file's mode, so the file is created 600 up front. Returns what it had to
 * tighten, for the log.
 */
export function preparePrivateDatabaseFile(path: string): string[] {
  const notices: string[] = [];
  const directory = dirname(path);
  if (!existsSync(directory)) mkdirSync(directory, { recursive: true, mode: PRIVATE_DIRECTORY });
  const tighten = (target: string, mode: number) => {
    const current = statSync(target).mode & 0o777;
    if ((current & ~mode) !== 0) {
      chmodSync(target, mode);
      notices.push(`${target} was readable by others (mode ${current.toString(8)}); it is now ${mode.toString(8)}`);
    }
  };
  const folder = statSync(directory);
  // A shared folder (sticky, like /tmp) or someone else's is not ours to change: the files in it are.
  const shared = (folder.mode & 0o1000) !== 0 || (process.getuid !== undefined && folder.uid !== process.getuid());
  if (shared) notices.push(`${directory} is a shared folder and is left as it is; the database files in it are kept to this user`);
  else tighten(directory, PRIVATE_DIRECTORY);
  closeSync(openSync(path, 'a', PRIVATE_FILE));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (existsSync(file)) tighten(file, PRIVATE_FILE);
  }
  return notices;
}

/**
 * Keeps the Git repositories' folder, and each user's folder in it, to this OS user: anyone else
 * who could write there could swap a repository for one whose hooks or configuration run code as
 * the server. A folder others may write to is tightened, with a notice; one that belongs to
 * someone else (or a shared one, like /tmp) is refused, since nothing here can make it safe.
 */
export function prepareRepositoriesFolder(root: string): string[] {
  if (!existsSync(root)) mkdirSync(root, { recursive: true, mode: PRIVATE_DIRECTORY });
  const notices: string[] = [];
  const folders = [root, ...readdirSync(root, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => join(root, entry.name))];
  for (const folder of folders) {
    const info = statSync(folder);
    if ((process.getuid !== undefined && info.uid !== process.getuid()) || (info.mode & 0o1000) !== 0) {
      throw new Error(
        `${folder} belongs to another user or is shared: Git repositories need a folder of this user's alone (PAT_CONSOLE_REPOS).`,
      );
    }
    const mode = info.mode & 0o777;
    if ((mode & 0o022) !== 0) {
      chmodSync(folder, mode & ~0o022);
      notices.push(`${folder} could be written by others (mode ${mode.toString(8)}); it is now ${(mode & ~0o022).toString(8)}`);
    }
  }
  return notices;
}
