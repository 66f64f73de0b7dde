import { spawn, type ChildProcess } from 'node:child_process';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Transform, Writable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { PackCacheTicket } from './pack-cache';

/** The two services of Git's smart HTTP protocol, as git names its programs. */
export type GitProgram = 'upload-pack' | 'receive-pack';

/** One Git request, from checked parts only. */
export interface GitServiceRequest {
  program: GitProgram;
  /** `info/refs`: the refs advertisement; otherwise the request's data, answered. */
  advertise: boolean;
  /** The repository's folder on disk. */
  repository: string;
  remoteUser: string;
  remoteAddress: string;
  /** The client's `Git-Protocol` header, already checked against its pattern. */
  gitProtocol: string | undefined;
  /** The empty folder every git here takes its hooks from. */
  hooksPath: string;
  /** A fetch's way to the pack-objects cache, when there is one. */
  packCache?: Pick<PackCacheTicket, 'config' | 'environment'>;
}

export interface BackendLog {
  warn(fields: object, message: string): void;
  /** The line Fastify writes for every finished request: an answer it never saw finish says it here. */
  completed(): void;
}

/**
 * What every git the server runs starts from: this PATH (read at the call, since it says whether
 * git is here), no system or global configuration, and `core.hooksPath` at an empty folder of the
 * server's, so that no hook a repository holds ever runs. Git's ownership check stays on: the
 * repositories belong to this OS user, and its folder is kept to it (prepareRepositoriesFolder).
 */
export function isolatedGitEnvironment(hooksPath: string, config: Array<[string, string]> = []): Record<string, string> {
  const settings: Array<[string, string]> = [['core.hooksPath', hooksPath], ...config];
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_COUNT: String(settings.length),
    ...Object.fromEntries(settings.flatMap(([key, value], index) => [[`GIT_CONFIG_KEY_${index}`, key], [`GIT_CONFIG_VALUE_${index}`, value]])),
  };
}

/**
 * The child's whole environment: nothing of the server's own (no secrets, no Authorization header).
 * A push's reflog names who pushed, as `git http-backend` names it (the committer is the user, at
 * `http.<address>`).
 */
export function gitServiceEnvironment(request: GitServiceRequest): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...isolatedGitEnvironment(request.hooksPath, request.packCache?.config), ...request.packCache?.environment };
  if (request.gitProtocol !== undefined) env.GIT_PROTOCOL = request.gitProtocol;
  if (request.program === 'receive-pack') {
    env.GIT_COMMITTER_NAME = request.remoteUser;
    env.GIT_COMMITTER_EMAIL = `${request.remoteUser}@http.${request.remoteAddress}`;
  }
  return env;
}

/** What the client asked for over protocol v2 (`Git-Protocol: version=2`): no service line then. */
const speaksV2 = (gitProtocol: string | undefined) => gitProtocol?.split(':').includes('version=2') ?? false;

/** A pkt-line: four hex digits of its length, the length included. */
const pktLine = (text: string) => `${(text.length + 4).toString(16).padStart(4, '0')}${text}`;

/**
 * The headers and the first bytes of an answer, as `git http-backend` writes them: the
 * advertisement starts with the service line and a flush (not over v2), and nothing is cached.
 */
export function answerStart(request: Pick<GitServiceRequest, 'program' | 'advertise' | 'gitProtocol'>): { headers: OutgoingHttpHeaders; prefix: string } {
  const kind = request.advertise ? 'advertisement' : 'result';
  return {
    headers: {
      'content-type': `application/x-git-${request.program}-${kind}`,
      expires: 'Fri, 01 Jan 1980 00:00:00 GMT',
      pragma: 'no-cache',
      'cache-control': 'no-cache, max-age=0, must-revalidate',
    },
    prefix: request.advertise && !speaksV2(request.gitProtocol) ? `${pktLine(`# service=git-${request.program}\n`)}0000` : '',
  };
}

/** Why a request body was not taken whole: the status and the line the client is told. */
export class BodyRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The slowest a request body may arrive: fewer than `bytesPerSecond` over a whole window is cut. */
export interface TransferRate {
  bytesPerSecond: number;
  windowMs: number;
}

const tooLargeAPush = (limit: number) => `The push is larger than this server takes (${limit} bytes). Push less at a time, or ask for a larger limit.`;

/** Passes a body through as git reads it (decoded), refusing it once it is larger than the limit. */
class ByteLimit extends Transform {
  private seen = 0;

  constructor(
    private readonly limit: number,
    private readonly tooLarge: (limit: number) => string = tooLargeAPush,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
    this.seen += chunk.length;
    if (this.seen > this.limit) done(new BodyRefusal(413, this.tooLarge(this.limit)));
    else done(null, chunk);
  }
}

/**
 * Passes a body through, cutting it when a window goes by with less than the minimum rate: a client
 * trickling a byte now and then would otherwise hold a Git slot for good.
 */
class MinimumRate extends Transform {
  private seen = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(rate: TransferRate) {
    super();
    const least = (rate.bytesPerSecond * rate.windowMs) / 1000;
    let seenBefore = 0;
    this.timer = setInterval(() => {
      if (this.seen - seenBefore < least) {
        this.destroy(new BodyRefusal(408, `The request body arrived slower than ${rate.bytesPerSecond} bytes a second.`));
      }
      seenBefore = this.seen;
    }, rate.windowMs);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
    this.seen += chunk.length;
    done(null, chunk);
  }

  override _flush(done: TransformCallback) {
    clearInterval(this.timer);
    done();
  }

  override _destroy(error: Error | null, done: (error: Error | null) => void) {
    clearInterval(this.timer);
    done(error);
  }
}

const KILL_GRACE_MS = 2_000;

/**
 * Stops the child and everything it started (`receive-pack`, `index-pack`, `pack-objects`): its
 * input ends and what it still writes is read and thrown away, so git stops on its own and cleans
 * up as it does (a push's quarantine folder, `objects/tmp_objdir-incoming-*`, which a signal or a
 * broken pipe leaves behind). Whatever still runs after a grace period (a pack being made for
 * nobody) is killed, with its whole process group.
 */
function stopGroup(child: ChildProcess) {
  child.stdin?.destroy();
  child.stdout?.resume();
  setTimeout(() => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }, KILL_GRACE_MS).unref();
}

/** Why a body was not taken, from the error its pipeline ended with; undefined when the client left. */
function refusalOf(error: unknown): BodyRefusal | undefined {
  if (error instanceof BodyRefusal) return error;
  if ((error as { code?: string }).code?.startsWith('Z_')) return new BodyRefusal(400, 'The request body is not valid gzip.');
  return undefined;
}

export interface RunOptions {
  git: GitServiceRequest;
  request: IncomingMessage;
  response: ServerResponse;
  /** Headers every answer carries (the server's security headers); git's own win where both set one. */
  baseHeaders: OutgoingHttpHeaders;
  /** The largest body git may read, decoded. */
  maxBodyBytes: number;
  minBodyRate: TransferRate;
  /** The body is gzip-encoded: decoded here, so that the limit counts what git reads. */
  gzip: boolean;
  log: BackendLog;
  /** Answers in plain text when nothing has been sent yet. */
  fail: (status: number, message: string) => void;
  /** How long git may wait on a client that reads nothing (`--timeout`), when it writes to the client itself. */
  stalledClientSeconds: number;
}

/**
 * Starts git for one request, in a process group of its own so that stopping it reaches the
 * processes it starts, with its stdout a pipe or the client's connection. Its stderr is kept (the
 * first 4 KiB) and logged once it exits; `exited` resolves with its code then.
 */
function startGit(git: GitServiceRequest, args: string[], stdout: 'pipe' | Socket, log: BackendLog, quiet: () => boolean = () => false) {
  const child = spawn('git', [git.program, '--stateless-rpc', ...args, git.repository], {
    env: gitServiceEnvironment(git),
    detached: true,
    stdio: ['pipe', stdout, 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    if (stderr.length < 4096) stderr += text;
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('close', (code) => {
      if (stderr.trim() && !quiet()) log.warn({ gitStderr: stderr.trim(), exitCode: code }, `git ${git.program} said`);
      resolve(code);
    });
    child.once('error', (error) => {
      log.warn({ err: error }, `git ${git.program} could not be started`);
      resolve(null);
    });
  });
  return { child, exited };
}

/** What a request body passes through on its way to git: the minimum rate, gzip decoding, the size limit. */
const bodyStages = (minBodyRate: TransferRate, gzip: boolean, limit: ByteLimit) => [new MinimumRate(minBodyRate), ...(gzip ? [createGunzip()] : []), limit];

/**
 * Runs `git upload-pack` or `git receive-pack --stateless-rpc` for one request, as Gitea and
 * Gitaly run them: the request body streams into git and its answer streams out, both with
 * backpressure, so no pack is ever held in memory. The answer starts once the body is taken whole,
 * so a body refused (too large, too slow, not gzip) is answered with its own status. A client that
 * goes away takes the whole process group with it. Resolves once the child has exited.
 */
export function runGitService(options: RunOptions): Promise<number | null> {
  if (options.git.program === 'upload-pack' && !options.git.advertise) return answerFetch(options);
  const { git, request, response, baseHeaders, maxBodyBytes, minBodyRate, gzip, log, fail } = options;
  let refused: BodyRefusal | undefined;
  const { child, exited } = startGit(git, git.advertise ? ['--advertise-refs'] : [], 'pipe', log, () => refused !== undefined);
  if (!child.stdin || !child.stdout) throw new Error('git was started without its pipes');
  const { stdin, stdout } = child;

  // A client that leaves before the answer is complete stops the work done for it.
  response.once('close', () => {
    if (!response.writableFinished) stopGroup(child);
  });

  const refusal: Promise<BodyRefusal | undefined> = !git.advertise
    ? pipeline([request, ...bodyStages(minBodyRate, gzip, new ByteLimit(maxBodyBytes)), stdin]).then(
        () => undefined,
        // Otherwise git stopped reading (it answered early) or the client went away: both end below.
        refusalOf,
      )
    : Promise.resolve().then(() => {
        stdin.end();
        return undefined;
      });
  void refusal.then((found) => {
    refused = found;
    if (found) stopGroup(child);
  });

  const { headers, prefix } = answerStart(git);
  // The answer starts with git's first bytes, once the body is known to be taken whole.
  const answer = new Promise<void>((resolve) => {
    const onFirst = (chunk: Buffer) => {
      stdout.off('end', onEmpty);
      stdout.pause();
      void refusal.then((refused) => {
        if (refused || response.headersSent || response.destroyed) {
          if (refused) fail(refused.status, refused.message);
          // Nobody takes git's answer: it is drained, so git is never held on a full pipe.
          stdout.resume();
          resolve();
          return;
        }
        response.writeHead(200, { ...baseHeaders, ...headers });
        response.write(prefix);
        response.write(chunk);
        pipeline(stdout, response)
          .catch(() => stopGroup(child))
          .finally(resolve);
      });
    };
    // Nothing from git is an answer too: a push's probe (a body of just "0000") gets none.
    const onEmpty = () => {
      void refusal.then((refused) => {
        if (refused) fail(refused.status, refused.message);
        else if (!response.headersSent && !response.destroyed) {
          response.writeHead(200, { ...baseHeaders, ...headers });
          response.end(prefix);
        }
        resolve();
      });
    };
    stdout.once('data', onFirst);
    stdout.once('end', onEmpty);
  });

  return Promise.all([refusal, answer, exited]).then(([refused, , code]) => {
    if (refused) log.warn({ status: refused.status, reason: refused.message }, 'request body refused: git stopped');
    if (!response.writableEnded && !response.destroyed) response.end();
    return code;
  });
}

/** A fetch's request: object ids, a line each. Far more than any negotiation sends, and kept in memory. */
const MAX_FETCH_BODY_BYTES = 64 * 1024 * 1024;

/** An HTTP/1.1 head, as Node would write it, for an answer whose end is the connection's. */
function headOf(headers: OutgoingHttpHeaders): string {
  const lines = Object.entries({ date: new Date().toUTCString(), ...headers, connection: 'close' }).flatMap(([name, value]) =>
    value === undefined ? [] : (Array.isArray(value) ? value : [value]).map((item) => `${name}: ${String(item)}`),
  );
  return `HTTP/1.1 200 OK\r\n${lines.join('\r\n')}\r\n\r\n`;
}

/**
 * A fetch (upload-pack's answer, the pack): git writes it to the client's connection itself, as a CGI
 * server lets its program write, so that no pack passes through Node. Relaying it cost Node about
 * 60 ms of CPU per 30 MB, more server CPU than nginx + fcgiwrap + http-backend spent altogether
 * (npm run bench). The request is small and is taken whole first, so a refused one still gets its
 * own status; then the head goes out, and the answer ends with the connection. Node sees nothing of
 * the transfer, so git's own `--timeout` ends a client that stops reading.
 */
async function answerFetch({ git, request, response, baseHeaders, minBodyRate, gzip, log, fail, stalledClientSeconds }: RunOptions): Promise<number | null> {
  const chunks: Buffer[] = [];
  const refused = await pipeline([
    request,
    ...bodyStages(minBodyRate, gzip, new ByteLimit(MAX_FETCH_BODY_BYTES, (limit) => `The fetch request is larger than this server takes (${limit} bytes).`)),
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    }),
  ]).then(
    () => undefined,
    (error: unknown) => refusalOf(error) ?? 'gone',
  );
  if (refused === 'gone') return null;
  if (refused) {
    log.warn({ status: refused.status, reason: refused.message }, 'request body refused: git did not run');
    fail(refused.status, refused.message);
    return null;
  }
  const socket = request.socket;
  if (socket.destroyed) return null;
  // Node no longer sees the transfer: its idle timer would cut one that is moving.
  socket.setTimeout(0);
  const { headers } = answerStart(git);
  response.statusCode = 200;
  const headSent = await new Promise<boolean>((resolve) => socket.write(headOf({ ...baseHeaders, ...headers }), (error) => resolve(!error)));
  if (!headSent) return null;

  const { child, exited } = startGit(git, [`--timeout=${stalledClientSeconds}`], socket, log);
  // A client that leaves takes git with it; git also fails on its own at its next write.
  const onClose = () => stopGroup(child);
  socket.once('close', onClose);
  child.stdin?.on('error', () => {});
  child.stdin?.end(Buffer.concat(chunks));
  const code = await exited;
  socket.off('close', onClose);
  // Everything git wrote is in the kernel's hands: the connection ends the answer. Node's HTTP server
  // reads no more of a connection whose answer it never finished, so it is closed here.
  socket.destroySoon();
  log.completed();
  return code;
}
