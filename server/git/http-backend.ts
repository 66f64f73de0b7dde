import { spawn, type ChildProcess } from 'node:child_process';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

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
  /** Only when the client sent one and no chunked encoding: git reads exactly this many bytes. */
  contentLength: string | undefined;
  contentEncoding: string | undefined;
  gitProtocol: string | undefined;
}

export interface BackendLog {
  warn(fields: object, message: string): void;
}

/**
 * What every git the server runs starts from: this PATH (read at the call, since it says whether
 * git is here) and no system or global configuration.
 */
export const isolatedGitEnvironment = () => ({
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
});

/**
 * The child's whole environment: nothing of the server's own (no secrets, no Authorization header),
 * no system or global git configuration, and `safe.directory` for the repositories, which belong to
 * this OS user, passed per process rather than written to a file.
 */
export function cgiEnvironment(request: CgiRequest): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...isolatedGitEnvironment(),
    GIT_PROJECT_ROOT: request.projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'safe.directory',
    GIT_CONFIG_VALUE_0: '*',
    PATH_INFO: request.pathInfo,
    QUERY_STRING: request.query,
    REQUEST_METHOD: request.method,
    REMOTE_USER: request.remoteUser,
    REMOTE_ADDR: request.remoteAddress,
  };
  if (request.contentType !== undefined) env.CONTENT_TYPE = request.contentType;
  if (request.contentLength !== undefined) env.CONTENT_LENGTH = request.contentLength;
  if (request.contentEncoding !== undefined) env.HTTP_CONTENT_ENCODING = request.contentEncoding;
  if (request.gitProtocol !== undefined) env.GIT_PROTOCOL = request.gitProtocol;
  return env;
}

export class BodyTooLargeError extends Error {}

/** Passes a request body through, failing once it is larger than the limit. */
class ByteLimit extends Transform {
  private seen = 0;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
    this.seen += chunk.length;
    if (this.seen > this.limit) done(new BodyTooLargeError(`The request body is larger than ${this.limit} bytes.`));
    else done(null, chunk);
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

/** Kills the child and everything it started (`git pack-objects`, `index-pack`): its process group. */
function killGroup(child: ChildProcess) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

export interface RunOptions {
  cgi: CgiRequest;
  request: IncomingMessage;
  response: ServerResponse;
  /** Headers every answer carries (the server's security headers); git's own win where both set one. */
  baseHeaders: OutgoingHttpHeaders;
  maxBodyBytes: number;
  log: BackendLog;
  /** Answers in plain text when nothing has been sent yet. */
  fail: (status: number, message: string) => void;
}

/**
 * Runs `git http-backend` for one request, as CGI: the request body streams into it and its answer
 * streams out, both with backpressure, so no pack is ever held in memory. A client that goes away
 * takes the whole process group with it. Resolves once the child has exited.
 */
export function runHttpBackend({ cgi, request, response, baseHeaders, maxBodyBytes, log, fail }: RunOptions): Promise<number | null> {
  const child = spawn('git', ['http-backend'], {
    env: cgiEnvironment(cgi),
    // Its own process group, so that killing it reaches the processes it starts.
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
    if (!response.writableFinished) killGroup(child);
  });

  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    if (stderr.length < 4096) stderr += text;
  });

  const body =
    cgi.method === 'POST'
      ? pipeline(request, new ByteLimit(maxBodyBytes), child.stdin).catch((error: unknown) => {
          if (error instanceof BodyTooLargeError) {
            killGroup(child);
            if (!response.headersSent) fail(413, `${error.message} Push less at a time, or ask for a larger limit.`);
            else response.destroy();
          }
          // Otherwise git stopped reading (it answered early) or the client went away: both end below.
        })
      : Promise.resolve().then(() => {
          child.stdin.end();
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
          killGroup(child);
          fail(502, 'Git answered in a way the server did not understand.');
          resolve();
        }
        return;
      }
      child.stdout.off('data', onData);
      child.stdout.pause();
      const { status, headers } = parseCgiHead(text.slice(0, end.index));
      if (response.headersSent || response.destroyed) {
        resolve();
        return;
      }
      response.writeHead(status, { ...baseHeaders, ...headers });
      response.write(pending.subarray(end.index + end[0].length));
      pipeline(child.stdout, response)
        .catch(() => killGroup(child))
        .finally(resolve);
    };
    child.stdout.on('data', onData);
    child.stdout.once('end', () => {
      if (!response.headersSent && !response.destroyed) fail(502, 'Git ended without an answer.');
      resolve();
    });
  });

  return Promise.all([body, answer, exited]).then(([, , code]) => {
    if (stderr.trim()) log.warn({ gitStderr: stderr.trim(), exitCode: code }, 'git http-backend said');
    if (!response.writableEnded && !response.destroyed) response.end();
    return code;
  });
}
