import { spawn, type ChildProcess } from 'node:child_process';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

/** What `git http-backend` is told about one request: CGI variables, built from checked parts only. */
export interface CgiRequest {
  projectRoot: string;
  /** `/<folder>/<repository>.git/<endpoint>`, from validated parts. */
  pathInfo: string;
  query: string;
  method: string;
  remoteUser: string;
  remoteAddress: string;
  contentType: string | undefined;
  gitProtocol: string | undefined;
  /** The empty folder every git here takes its hooks from. */
  hooksPath: string;
}

export interface BackendLog {
  warn(fields: object, message: string): void;
}

/**
 * What every git the server runs starts from: this PATH (read at the call, since it says whether
 * git is here), no system or global configuration, and `core.hooksPath` at an empty folder of the
 * server's, so that no hook a repository holds ever runs. Git's ownership check stays on: the
 * repositories belong to this OS user, and its folder is kept to it (prepareRepositoriesFolder).
 */
export const isolatedGitEnvironment = (hooksPath: string) => ({
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_COUNT: '1',
  GIT_CONFIG_KEY_0: 'core.hooksPath',
  GIT_CONFIG_VALUE_0: hooksPath,
});

/**
 * The child's whole environment: nothing of the server's own (no secrets, no Authorization header).
 * No CONTENT_LENGTH, whatever the client declared: git then reads the body to its end, which comes
 * when the body does or when it is cut. Told a length, git 2.39 loops for ever once its input ends
 * short of it (http-backend's pipe_fixed_length), and a push killed instead leaves its quarantine.
 */
export function cgiEnvironment(request: CgiRequest): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...isolatedGitEnvironment(request.hooksPath),
    GIT_PROJECT_ROOT: request.projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: request.pathInfo,
    QUERY_STRING: request.query,
    REQUEST_METHOD: request.method,
    REMOTE_USER: request.remoteUser,
    REMOTE_ADDR: request.remoteAddress,
  };
  if (request.contentType !== undefined) env.CONTENT_TYPE = request.contentType;
  if (request.gitProtocol !== undefined) env.GIT_PROTOCOL = request.gitProtocol;
  return env;
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

/** Passes a body through as git reads it (decoded), refusing it once it is larger than the limit. */
class ByteLimit extends Transform {
  private seen = 0;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
    this.seen += chunk.length;
    if (this.seen > this.limit) {
      done(new BodyRefusal(413, `The push is larger than this server takes (${this.limit} bytes). Push less at a time, or ask for a larger limit.`));
    } else done(null, chunk);
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

/** Splits the CGI answer's header block (ended by a blank line) from the body that follows. */
function parseCgiHead(head: string): { status: number; headers: OutgoingHttpHeaders } {
  let status = 200;
  const headers: OutgoingHttpHeaders = {};
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon < 1) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
    else headers[name] = value;
  }
  return { status, headers };
}

const HEAD_END = /\r?\n\r?\n/;
const MAX_HEAD_BYTES = 64 * 1024;

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

export interface RunOptions {
  cgi: CgiRequest;
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
}

/**
 * Runs `git http-backend` for one request, as CGI: the request body streams into it and its answer
 * streams out, both with backpressure, so no pack is ever held in memory. The answer starts once the
 * body is taken whole, so a body refused (too large, too slow, not gzip) is answered with its own
 * status. A client that goes away takes the whole process group with it. Resolves once the child
 * has exited.
 */
export function runHttpBackend({ cgi, request, response, baseHeaders, maxBodyBytes, minBodyRate, gzip, log, fail }: RunOptions): Promise<number | null> {
  const child = spawn('git', ['http-backend'], {
    env: cgiEnvironment(cgi),
    // Its own process group, so that stopping it reaches the processes it starts.
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('close', (code) => resolve(code));
    child.once('error', (error) => {
      log.warn({ err: error }, 'git http-backend could not be started');
      resolve(null);
    });
  });

  // A client that leaves before the answer is complete stops the work done for it.
  response.once('close', () => {
    if (!response.writableFinished) stopGroup(child);
  });

  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    if (stderr.length < 4096) stderr += text;
  });

  const refusal: Promise<BodyRefusal | undefined> =
    cgi.method === 'POST'
      ? pipeline([request, new MinimumRate(minBodyRate), ...(gzip ? [createGunzip()] : []), new ByteLimit(maxBodyBytes), child.stdin]).then(
          () => undefined,
          (error: unknown) => {
            if (error instanceof BodyRefusal) return error;
            if ((error as { code?: string }).code?.startsWith('Z_')) return new BodyRefusal(400, 'The request body is not valid gzip.');
            // Otherwise git stopped reading (it answered early) or the client went away: both end below.
            return undefined;
          },
        )
      : Promise.resolve().then(() => {
          child.stdin.end();
          return undefined;
        });
  void refusal.then((refused) => {
    if (refused) stopGroup(child);
  });

  const answer = new Promise<void>((resolve) => {
    let pending = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      const text = pending.toString('latin1');
      const end = HEAD_END.exec(text);
      if (!end) {
        if (pending.length > MAX_HEAD_BYTES) {
          child.stdout.off('data', onData);
          stopGroup(child);
          fail(502, 'Git answered in a way the server did not understand.');
          resolve();
        }
        return;
      }
      child.stdout.off('data', onData);
      child.stdout.pause();
      const { status, headers } = parseCgiHead(text.slice(0, end.index));
      void refusal.then((refused) => {
        if (refused || response.headersSent || response.destroyed) {
          if (refused) fail(refused.status, refused.message);
          // Nobody takes git's answer: it is drained, so git is never held on a full pipe.
          child.stdout.resume();
          resolve();
          return;
        }
        response.writeHead(status, { ...baseHeaders, ...headers });
        response.write(pending.subarray(end.index + end[0].length));
        pipeline(child.stdout, response)
          .catch(() => stopGroup(child))
          .finally(resolve);
      });
    };
    child.stdout.on('data', onData);
    child.stdout.once('end', () => {
      void refusal.then((refused) => {
        if (refused) fail(refused.status, refused.message);
        else if (!response.headersSent && !response.destroyed) fail(502, 'Git ended without an answer.');
        resolve();
      });
    });
  });

  return Promise.all([refusal, answer, exited]).then(([refused, , code]) => {
    if (stderr.trim() && !refused) log.warn({ gitStderr: stderr.trim(), exitCode: code }, 'git http-backend said');
    if (refused) log.warn({ status: refused.status, reason: refused.message }, 'request body refused: git stopped');
    if (!response.writableEnded && !response.destroyed) response.end();
    return code;
  });
}
