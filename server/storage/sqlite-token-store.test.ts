import { chmodSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { FULL_ACCESS } from '../../contract/access';
import { openSqliteTokenStore } from './sqlite-token-store';

const DAY = 24 * 60 * 60 * 1000;

describe('the SQLite store', () => {
  it('keeps its file to itself: a second server on it fails at start, pointed to PostgreSQL', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pat-console-')), 'db.sqlite');
    const first = openSqliteTokenStore(path);
    expect(() => openSqliteTokenStore(path)).toThrow(/SQLite serves one pat-console server.*PAT_CONSOLE_DATABASE_URL/);
    await first.close();
    await openSqliteTokenStore(path).close();
  });

  it('acknowledges a write only once it is on disk: its connection runs synchronous=FULL in WAL mode', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pat-console-')), 'db.sqlite');
    // The store's own connection, caught as it is set up: the pragma holds per connection.
    const pragma = vi.spyOn(Database.prototype, 'pragma');
    const store = openSqliteTokenStore(path);
    const connection = pragma.mock.contexts[0] as Database.Database;
    pragma.mockRestore();
    expect(connection.pragma('synchronous', { simple: true })).toBe(2);
    expect(connection.pragma('journal_mode', { simple: true })).toBe('wal');
    await store.close();
  });

  it('keeps its folder and files to this OS user: 700 and 600, the WAL included', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pat-console-')), 'data', 'db.sqlite');
    const notices: string[] = [];
    const store = openSqliteTokenStore(path, { onNotice: (notice) => notices.push(notice) });
    const user = await store.userByName('mary');
    const now = Date.now();
    await store.transaction((writes) => writes.insertToken({ userId: user.id, name: 'a', digest: 'd', expiresAt: now + DAY, createdAt: now, createdWith: null, description: null, access: FULL_ACCESS, noticeAt: null }));
    const mode = (file: string) => statSync(file).mode & 0o777;
    expect(mode(join(path, '..'))).toBe(0o700);
    for (const file of [path, `${path}-wal`]) expect(mode(file)).toBe(0o600);
    expect(notices).toEqual([]);
    await store.close();
  });

  it('tightens a folder and files that others could read, and says so', async () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'pat-console-')), 'data');
    mkdirSync(folder);
    const path = join(folder, 'db.sqlite');
    // As an older version left them: readable by every local user.
    await openSqliteTokenStore(path).close();
    chmodSync(folder, 0o755);
    chmodSync(path, 0o644);
    writeFileSync(`${path}-wal`, '');
    chmodSync(`${path}-wal`, 0o644);
    const notices: string[] = [];
    await openSqliteTokenStore(path, { onNotice: (notice) => notices.push(notice) }).close();
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(notices).toEqual([
      expect.stringMatching(/data was readable by others \(mode 755\); it is now 700$/),
      expect.stringMatching(/db\.sqlite was readable by others \(mode 644\); it is now 600$/),
      expect.stringMatching(/db\.sqlite-wal was readable by others \(mode 644\); it is now 600$/),
    ]);
  });

  it('leaves a shared folder such as /tmp as it is, and keeps only its own files private', async () => {
    const shared = mkdtempSync(join(tmpdir(), 'pat-console-shared-'));
    chmodSync(shared, 0o1777);
    const path = join(shared, 'db.sqlite');
    const notices: string[] = [];
    await openSqliteTokenStore(path, { onNotice: (notice) => notices.push(notice) }).close();
    expect(statSync(shared).mode & 0o7777).toBe(0o1777);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(notices).toEqual([expect.stringMatching(/is a shared folder and is left as it is/)]);
  });
});
