import { chmodSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteRepository } from './sqlite-repository';

const DAY = 24 * 60 * 60 * 1000;

describe('the SQLite repository', () => {
  it('keeps its file to itself: a second server on it fails at start', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pat-console-')), 'db.sqlite');
    const first = openSqliteRepository(path);
    expect(() => openSqliteRepository(path)).toThrow(/one pat-console server per database file/);
    first.close();
    openSqliteRepository(path).close();
  });

  it('applies its migrations once, and keeps data and signing key across restarts', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pat-console-')), 'db.sqlite');
    const first = openSqliteRepository(path);
    const user = first.userByName('mary');
    const now = Date.now();
    first.createToken({ userId: user.id, name: 'kept', digest: 'd', expiresAt: now + DAY, now, maxLiveTokens: 100 });
    const key = first.signingKey();
    first.close();

    const second = openSqliteRepository(path);
    expect(second.userByName('mary').id).toBe(user.id);
    expect(second.listTokens(user.id, Date.now(), 10, undefined).items.map((token) => token.name)).toEqual(['kept']);
    expect(second.signingKey().equals(key)).toBe(true);
    second.close();
  });

  it('lists what a write changed, though it keeps lists between calls', () => {
    const repository = openSqliteRepository(':memory:');
    const user = repository.userByName('mary');
    const now = Date.now();
    const create = (name: string) =>
      repository.createToken({ userId: user.id, name, digest: `digest-${name}`, expiresAt: now + DAY, now, maxLiveTokens: 100 });
    const names = () => repository.listTokens(user.id, Date.now(), 10, undefined).items.map((token) => token.name);
    create('a');
    expect(names()).toEqual(['a']);
    const b = create('b');
    expect(names()).toEqual(['a', 'b']);
    if (!b.ok) throw new Error('create failed');
    repository.deleteToken(user.id, b.token.id);
    expect(names()).toEqual(['a']);
    expect(repository.findByDigest('digest-b', Date.now())).toBeUndefined();
    expect(repository.listTokens(user.id, now + 2 * DAY, 10, undefined).items).toEqual([]);
    repository.close();
  });

  it('keeps its folder and files to this OS user: 700 and 600, the WAL included', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pat-console-')), 'data', 'db.sqlite');
    const notices: string[] = [];
    const repository = openSqliteRepository(path, { onNotice: (notice) => notices.push(notice) });
    const user = repository.userByName('mary');
    const now = Date.now();
    repository.createToken({ userId: user.id, name: 'a', digest: 'd', expiresAt: now + DAY, now, maxLiveTokens: 100 });
    const mode = (file: string) => statSync(file).mode & 0o777;
    expect(mode(join(path, '..'))).toBe(0o700);
    for (const file of [path, `${path}-wal`]) expect(mode(file)).toBe(0o600);
    expect(notices).toEqual([]);
    repository.close();
  });

  it('tightens a folder and files that others could read, and says so', () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'pat-console-')), 'data');
    mkdirSync(folder);
    const path = join(folder, 'db.sqlite');
    // As an older version left them: readable by every local user.
    openSqliteRepository(path).close();
    chmodSync(folder, 0o755);
    chmodSync(path, 0o644);
    writeFileSync(`${path}-wal`, '');
    chmodSync(`${path}-wal`, 0o644);
    const notices: string[] = [];
    openSqliteRepository(path, { onNotice: (notice) => notices.push(notice) }).close();
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(notices).toEqual([
      expect.stringMatching(/data was readable by others \(mode 755\); it is now 700$/),
      expect.stringMatching(/db\.sqlite was readable by others \(mode 644\); it is now 600$/),
      expect.stringMatching(/db\.sqlite-wal was readable by others \(mode 644\); it is now 600$/),
    ]);
  });
});
