import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Fails with the package to install when git is not on this machine: never a silent skip. */
export async function requireGit(): Promise<void> {
  try {
    await execFileAsync('git', ['--version']);
  } catch {
    throw new Error('These tests run the real git: install it (Debian: apt-get install git).');
  }
}

/** A git client of its own: no user or system configuration, no prompts, an identity for commits. */
export function gitClient() {
  const home = mkdtempSync(join(tmpdir(), 'pat-console-git-home-'));
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: 'Mary Major',
    GIT_AUTHOR_EMAIL: 'mary@example.com',
    GIT_COMMITTER_NAME: 'Mary Major',
    GIT_COMMITTER_EMAIL: 'mary@example.com',
  };
  return async function git(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
    try {
      const { stdout, stderr } = await execFileAsync('git', args, {
        cwd: options.cwd,
        env: { ...env, ...options.env },
        maxBuffer: 64 * 1024 * 1024,
      });
      return { ok: true as const, stdout, stderr };
    } catch (error) {
      const failed = error as { stdout?: string; stderr?: string };
      return { ok: false as const, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
  };
}

export type GitClient = ReturnType<typeof gitClient>;

/** `url` with a PAT as its password, as a person pastes a remote: any non-empty user name will do. */
export function withPat(url: string, secret: string, username = 'git'): string {
  const remote = new URL(url);
  remote.username = username;
  remote.password = secret;
  return remote.href;
}

/**
 * The git processes a server started for the repositories under `root`, and those they started:
 * each inherits the hooks folder the server gives every git it runs (`core.hooksPath`).
 */
export function gitProcessesFor(root: string): number[] {
  const marker = `GIT_CONFIG_VALUE_0=${join(root, '.hooks')}`;
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(marker);
      } catch {
        return false;
      }
    })
    .map(Number);
}
