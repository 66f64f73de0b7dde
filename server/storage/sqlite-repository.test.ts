import { mkdtempSync } from 'node:fs';
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
});
