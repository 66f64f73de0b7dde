import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LRUCache } from 'lru-cache';
import { isolatedGitEnvironment } from './stateless-rpc';

/**
 * The pack-objects cache, as Gitaly's: `git upload-pack` runs our hook in place of `git pack-objects`
 * (uploadpack.packObjectsHook), and the hook asks here. A request seen for the first time runs
 * pack-objects as usual, since most are never seen again. The second time, this server makes the
 * pack once, into a file, at full speed; every identical fetch meanwhile streams it as it grows,
 * and later ones are sent the file, until it is `maxAgeMs` old. A request is identified by its
 * repository, pack-objects' arguments and input (the object ids wanted and had, the refs it saw), and
 * for `--include-tag` the tags as they are now: identical keys make identical packs, so a push
 * never makes an entry wrong, it makes new keys.
 */
export interface PackCacheOptions {
  /** The folder of this cache's folders: each server makes its own inside, and removes it on close. */
  parentDir: string;
  maxBytes: number;
  maxAgeMs: number;
  /** Every git here takes its hooks from this empty folder. */
  hooksPath: string;
  log: { warn(fields: object, message: string): void };
}

/** What one upload-pack request takes along: the setting that runs the hook, and how it finds us. */
export interface PackCacheTicket {
  config: Array<[string, string]>;
  environment: Record<string, string>;
  release(): void;
}

export interface PackCacheStatistics {
  /** Requests answered from a pack made before or being made. */
  hits: number;
  /** Packs made into the cache. */
  made: number;
  /** Requests of a live ticket run as usual (seen for the first time, or the cache could not help). */
  passed: number;
}

interface Entry {
  path: string;
  /** Bytes written so far; the whole pack once `state` is `done`. */
  bytes: number;
  state: 'making' | 'done' | 'failed';
  madeAt: number;
  lastSentAt: number;
  /** Settled once its file exists: a stream opens it after that. */
  created: Promise<unknown>;
  /** Resolved on every change, for the streams that follow it. */
  changed: Promise<void>;
  signal: () => void;
}

/** The largest hook request: a fetch's object ids, a line each. More is not worth a cache entry. */
const MAX_REQUEST_BYTES = 8 * 1024 * 1024;
const REQUEST_TIMEOUT_MS = 10_000;
/** A file sent lately is kept this long at least: the hook opens it right after the answer. */
const SENT_GRACE_MS = 10_000;
const SWEEP_INTERVAL_MS = 30_000;
/** A cache folder not touched for this long belongs to a server that is gone. */
const ABANDONED_AFTER_MS = 60 * 60 * 1000;
const HOOK_SCRIPT = join(import.meta.dirname, 'pack-objects-hook.sh');

/** Arguments that change nothing in the pack: progress goes to stderr, which a cached pack has none of. */
const KEYLESS_ARGUMENTS = new Set(['--progress', '-q', '--quiet']);

/** A value for `sh -c`: git runs the hook through the shell. */
const shellQuoted = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

const run = promisify(execFile);

/** What the hook sends: the ticket, pack-objects' arguments, and its input. */
interface HookRequest {
  ticket: string;
  args: string[];
  input: Buffer;
}

/** Reads the hook's request off the socket: lines, then a length, then that many bytes. */
function readHookRequest(socket: Socket): Promise<HookRequest | undefined> {
  return new Promise((resolve) => {
    let buffered = Buffer.alloc(0);
    const finish = (request: HookRequest | undefined) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('end', onEnd);
      resolve(request);
    };
    const timer = setTimeout(() => finish(undefined), REQUEST_TIMEOUT_MS);
    const onEnd = () => finish(undefined);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length > MAX_REQUEST_BYTES) return finish(undefined);
      let offset = 0;
      const line = () => {
        const end = buffered.indexOf(10, offset);
        if (end < 0) return undefined;
        const text = buffered.subarray(offset, end).toString('utf8');
        offset = end + 1;
        return text;
      };
      const ticket = line();
      const count = line();
      if (ticket === undefined || count === undefined) return;
      const argc = Number(count);
      if (!Number.isInteger(argc) || argc < 2 || argc > 64) return finish(undefined);
      const args: string[] = [];
      for (let index = 0; index < argc; index += 1) {
        const arg = line();
        if (arg === undefined) return;
        args.push(arg);
      }
      const declared = line();
      if (declared === undefined) return;
      const length = Number(declared);
      if (!Number.isInteger(length) || length < 0) return finish(undefined);
      if (buffered.length - offset < length) return;
      finish({ ticket, args, input: buffered.subarray(offset, offset + length) });
    };
    socket.on('data', onData);
    socket.once('end', onEnd);
  });
}

export class PackCache {
  private readonly tickets = new Map<string, string>();
  private readonly entries = new Map<string, Entry>();
  /** Requests seen once, within the age an entry would live. */
  private readonly seen: LRUCache<string, true>;
  private readonly makers = new Set<ReturnType<typeof spawn>>();
  private readonly sockets = new Set<Socket>();
  private closed = false;
  private readonly sweeper: NodeJS.Timeout;
  private bytes = 0;
  readonly statistics: PackCacheStatistics = { hits: 0, made: 0, passed: 0 };

  private constructor(
    private readonly dir: string,
    private readonly server: Server,
    private readonly port: number,
    private readonly options: PackCacheOptions,
  ) {
    this.seen = new LRUCache({ max: 10_000, ttl: options.maxAgeMs });
    this.sweeper = setInterval(() => this.sweep(), Math.min(SWEEP_INTERVAL_MS, options.maxAgeMs));
    this.sweeper.unref();
  }

  /** Makes this server's cache folder (and removes those of servers long gone), and listens for hooks on loopback. */
  static async open(options: PackCacheOptions): Promise<PackCache> {
    mkdirSync(options.parentDir, { recursive: true, mode: 0o700 });
    for (const name of readdirSync(options.parentDir)) {
      const path = join(options.parentDir, name);
      if (/^[0-9a-f]{16}$/.test(name) && Date.now() - statSync(path).mtimeMs > ABANDONED_AFTER_MS) rmSync(path, { recursive: true, force: true });
    }
    const dir = join(options.parentDir, randomBytes(8).toString('hex'));
    mkdirSync(dir, { mode: 0o700 });
    const server = createServer();
    const port = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
    const cache = new PackCache(dir, server, port, options);
    server.on('connection', (socket) => void cache.answer(socket));
    // The hook needs bash with its network redirections (Debian's has them): without, no cache.
    const reached = await new Promise<boolean>((resolve) => {
      const probe = spawn('bash', ['-c', `exec 3<>/dev/tcp/127.0.0.1/${port}`], { stdio: 'ignore' });
      probe.once('error', () => resolve(false));
      probe.once('close', (code) => resolve(code === 0));
    });
    if (!reached) {
      await cache.close();
      throw new Error('bash, with its /dev/tcp redirections, is needed for the pack-objects hook');
    }
    return cache;
  }

  /** For one upload-pack request: the environment that makes it ask here, valid until released. */
  admit(repository: string): PackCacheTicket {
    const ticket = randomBytes(24).toString('base64url');
    this.tickets.set(ticket, repository);
    return {
      // Honoured from the command line's scope only (git's "protected configuration"), as here.
      config: [['uploadpack.packObjectsHook', `bash ${shellQuoted(HOOK_SCRIPT)}`]],
      environment: {
        PAT_CONSOLE_PACK_CACHE_PORT: String(this.port),
        PAT_CONSOLE_PACK_CACHE_TICKET: ticket,
      },
      release: () => this.tickets.delete(ticket),
    };
  }

  private async answer(socket: Socket) {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const request = await readHookRequest(socket);
    const repository = request && this.tickets.get(request.ticket);
    if (!request || repository === undefined || request.args[0] !== 'git' || request.args[1] !== 'pack-objects') {
      socket.end('run\n');
      return;
    }
    try {
      const key = await this.keyOf(repository, request);
      // One past its age goes now, not at the next sweep (unless it was sent a moment ago).
      const found = this.entries.get(key);
      if (found?.state === 'done' && Date.now() - found.madeAt > this.options.maxAgeMs) this.sweep();
      const entry = this.entries.get(key);
      if (entry?.state === 'done') {
        entry.lastSentAt = Date.now();
        this.statistics.hits += 1;
        socket.end(`file ${entry.path}\n`);
      } else if (entry?.state === 'making') {
        this.statistics.hits += 1;
        await this.stream(entry, socket);
      } else if (this.seen.has(key)) {
        this.seen.delete(key);
        await this.stream(this.make(key, repository, request), socket);
      } else {
        this.seen.set(key, true);
        this.statistics.passed += 1;
        socket.end('run\n');
      }
    } catch (error) {
      this.options.log.warn({ err: error }, 'the pack cache could not answer: pack-objects runs as usual');
      if (!socket.destroyed) socket.end('run\n');
    }
  }

  private async keyOf(repository: string, request: HookRequest): Promise<string> {
    const args = request.args.slice(2).filter((arg) => !KEYLESS_ARGUMENTS.has(arg));
    const hash = createHash('sha256').update(JSON.stringify([repository, args])).update('\0').update(request.input);
    if (args.includes('--include-tag')) {
      // Which annotated tags come along depends on the tags there are, not on the request.
      const tags = await run('git', ['for-each-ref', '--format=%(objectname) %(refname)', 'refs/tags'], { env: this.gitEnvironment(repository) });
      hash.update('\0').update(tags.stdout);
    }
    return hash.digest('hex');
  }

  private gitEnvironment(repository: string): NodeJS.ProcessEnv {
    return { ...isolatedGitEnvironment(this.options.hooksPath), GIT_DIR: repository };
  }

  /** Runs pack-objects into a new entry's file, at its own pace: no client's speed holds it back. */
  private make(key: string, repository: string, request: HookRequest): Entry {
    const path = join(this.dir, `${key}.pack`);
    let signal = () => {};
    const writing = `${path}.tmp`;
    const created = open(writing, 'wx', 0o600);
    const entry: Entry = {
      path,
      created: created.catch(() => undefined),
      bytes: 0,
      state: 'making',
      madeAt: Date.now(),
      lastSentAt: Date.now(),
      changed: new Promise((resolve) => (signal = resolve)),
      signal: () => {},
    };
    entry.signal = () => {
      signal();
      entry.changed = new Promise((resolve) => (signal = resolve));
    };
    this.entries.set(key, entry);
    const args = request.args.slice(1).filter((arg) => !KEYLESS_ARGUMENTS.has(arg));
    const finish = async (made: boolean) => {
      if (made) {
        await rename(writing, path);
        entry.state = 'done';
        this.bytes += entry.bytes;
        this.statistics.made += 1;
      } else {
        entry.state = 'failed';
        this.entries.delete(key);
        await rm(writing, { force: true });
      }
      entry.signal();
      this.sweep();
    };
    void (async () => {
      const file = await created;
      try {
        const child = spawn('git', args, { cwd: repository, env: this.gitEnvironment(repository), stdio: ['pipe', 'pipe', 'ignore'] });
        this.makers.add(child);
        child.stdin.end(request.input);
        child.stdin.on('error', () => {});
        for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
          await file.write(chunk);
          entry.bytes += chunk.length;
          entry.signal();
        }
        const code = await new Promise<number | null>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
          else child.once('close', resolve);
        });
        this.makers.delete(child);
        await file.close();
        await finish(code === 0);
      } catch (error) {
        await file.close().catch(() => {});
        throw error;
      }
    })().catch(async (error: unknown) => {
      if (!this.closed) this.options.log.warn({ err: error }, 'a pack for the cache could not be made');
      await finish(false).catch(() => {});
    });
    return entry;
  }

  /**
   * Sends an entry as it is written, then ends the stream; a pack that failed resets the
   * connection instead, so that the hook fails and the client is told, rather than sent half a pack.
   */
  private async stream(entry: Entry, socket: Socket) {
    await entry.created;
    // Renamed once whole: either name holds the same file.
    const file = await open(`${entry.path}.tmp`, 'r').catch(() => open(entry.path, 'r'));
    socket.write('stream\n');
    entry.lastSentAt = Date.now();
    try {
      const buffer = Buffer.allocUnsafe(256 * 1024);
      let sent = 0;
      for (;;) {
        if (socket.destroyed) return;
        const changed = entry.changed;
        if (sent < entry.bytes) {
          const { bytesRead } = await file.read(buffer, 0, Math.min(buffer.length, entry.bytes - sent), sent);
          sent += bytesRead;
          await new Promise<void>((resolve, reject) => socket.write(buffer.subarray(0, bytesRead), (error) => (error ? reject(error) : resolve())));
        } else if (entry.state === 'done') {
          socket.end();
          return;
        } else if (entry.state === 'failed') {
          socket.resetAndDestroy();
          return;
        } else await changed;
      }
    } catch {
      socket.destroy();
    } finally {
      await file.close();
    }
  }

  /** Drops entries past their age, then the least recently sent until the cache fits its budget. */
  private sweep() {
    const now = Date.now();
    const grace = Math.min(SENT_GRACE_MS, this.options.maxAgeMs);
    const settled = (entry: Entry) => entry.state === 'done' && now - entry.lastSentAt > grace;
    const drop = (key: string, entry: Entry) => {
      this.entries.delete(key);
      this.bytes -= entry.bytes;
      rmSync(entry.path, { force: true });
    };
    for (const [key, entry] of this.entries) {
      if (settled(entry) && now - entry.madeAt > this.options.maxAgeMs) drop(key, entry);
    }
    const byLastSent = [...this.entries].filter(([, entry]) => entry.state === 'done').sort(([, a], [, b]) => a.lastSentAt - b.lastSentAt);
    for (const [key, entry] of byLastSent) {
      if (this.bytes <= this.options.maxBytes) break;
      if (settled(entry) || entry.bytes > this.options.maxBytes) drop(key, entry);
    }
    try {
      utimesSync(this.dir, new Date(), new Date());
    } catch {
      // Gone: the next entry fails to open, and its fetch runs pack-objects as usual.
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    for (const child of this.makers) child.kill('SIGKILL');
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
