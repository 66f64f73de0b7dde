import { chmodSync, chownSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareRepositoriesFolder } from './private-files';

const folder = () => mkdtempSync(join(tmpdir(), 'pat-console-repos-'));
const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('the Git repositories folder', () => {
  it('creates a missing folder for this user alone', () => {
    const root = join(folder(), 'repos');
    expect(prepareRepositoriesFolder(root)).toEqual([]);
    expect(modeOf(root)).toBe(0o700);
  });

  it('tightens a folder, and a user folder in it, that others could write to, and says so', () => {
    const root = folder();
    const user = join(root, 'user-id');
    mkdirSync(user);
    chmodSync(root, 0o777);
    chmodSync(user, 0o775);
    const notices = prepareRepositoriesFolder(root);
    expect(notices).toHaveLength(2);
    expect(notices[0]).toContain('could be written by others (mode 777)');
    expect(modeOf(root)).toBe(0o755);
    expect(modeOf(user)).toBe(0o755);
  });

  it('refuses a shared folder', () => {
    const root = folder();
    chmodSync(root, 0o1777);
    expect(() => prepareRepositoriesFolder(root)).toThrow(/belongs to another user or is shared/);
  });

  it('refuses a folder inside that belongs to another user', () => {
    const root = folder();
    const planted = join(root, 'planted');
    mkdirSync(planted);
    // As root (CI runs so), hand it to nobody; any other user already cannot own what root made.
    if (process.getuid?.() === 0) chownSync(planted, 65534, 65534);
    else chmodSync(planted, 0o1755);
    expect(() => prepareRepositoriesFolder(root)).toThrow(/belongs to another user or is shared/);
  });
});
