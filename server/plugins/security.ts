import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ServiceError } from '../../service/service-error';

const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // Cloudscape and React set style attributes at run time.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** On every answer but the console's hashed assets: nothing is stored by caches, nothing sniffed. */
export const API_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

/** For the console's HTML: what it may load, and that no other site may frame or open it. */
export const PAGE_HEADERS = {
  'content-security-policy': CONSOLE_CSP,
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

export const BODY_LIMIT_BYTES = 32 * 1024;

// A bracketed IPv6 literal or a DNS name, then an optional port, and nothing else.
const HOST = /^(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::\d{1,5})?$/;

/** The host name of a Host header, without its port, or undefined when it is not exactly a host. */
function hostName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = HOST.exec(header.toLowerCase());
  return match?.[1];
}

/** How many times the client sent a Host header: Node keeps only the first. */
function hostHeaderCount(rawHeaders: readonly string[]): number {
  let count = 0;
  for (let index = 0; index < rawHeaders.length; index += 2) {
    const name = rawHeaders[index];
    if (name?.length === 4 && name.toLowerCase() === 'host') count += 1;
  }
  return count;
}

/**
 * The check every answer passes, from a route, the not-found handler or the router's own errors: the
 * security headers, and the Host check. A page on another site that resolves its name to this
 * machine (DNS rebinding) arrives with its own Host.
 */
export function createHostCheck(allowedHosts: readonly string[]) {
  const allowed = new Set(allowedHosts);
  return function hostCheck(request: FastifyRequest, reply: FastifyReply): ServiceError | undefined {
    if (request.url.startsWith('/assets/')) reply.header('x-content-type-options', 'nosniff');
    else reply.headers(API_HEADERS);
    // Node would answer a request without Host with a bare 400 of its own; it is let through to be answered here.
    if (request.headers.host === undefined) return new ServiceError('BadRequestException', 'Send a Host header.', 400);
    const host = hostName(request.headers.host);
    if (host === undefined || !allowed.has(host) || hostHeaderCount(request.raw.rawHeaders) !== 1) {
      return new ServiceError('AccessDeniedException', 'This host name is not served here.', 403);
    }
    return undefined;
  };
}

export type HostCheck = ReturnType<typeof createHostCheck>;

/** `jsonBodyMs`: a JSON body must arrive whole within this time; a client that trickles it is cut. */
export function registerSecurity(app: FastifyInstance, hostCheck: HostCheck, jsonBodyMs: number) {
  // One callback-style hook on every request: a promise, or an onSend pass, apiece costs measurable throughput.
  app.addHook('onRequest', (request, reply, done) => {
    done(hostCheck(request, reply));
  });

  // JSON only: text/plain would let any web page send a "simple" cross-site request without a preflight.
  app.removeAllContentTypeParsers();
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', (request, payload, done) => {
    readBody(request, payload, jsonBodyMs, (error, body) => {
      if (error) {
        done(error, undefined);
        return;
      }
      // The SDKs send an empty body for operations without input members.
      if (body === '') {
        done(null, undefined);
        return;
      }
      parseJson(request, body, (parseError, value) => {
        if (parseError) done(new ServiceError('ValidationException', 'The request body is not valid JSON.'), undefined);
        else done(null, value);
      });
    });
  });
}

const tooLarge = () => new ServiceError('RequestEntityTooLargeException', 'The request body is too large.', 413);

/**
 * Reads a JSON body of at most the route's `bodyLimit` (BODY_LIMIT_BYTES unless it says more) within `deadlineMs`. Node's own request timeout
 * would also cut the long transfers that Git needs, so the deadline belongs to JSON bodies alone.
 */
function readBody(
  request: FastifyRequest,
  payload: NodeJS.ReadableStream,
  deadlineMs: number,
  done: (error: Error | null, body: string) => void,
) {
  const limit = request.routeOptions.bodyLimit ?? BODY_LIMIT_BYTES;
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) {
    done(tooLarge(), '');
    return;
  }
  const chunks: Buffer[] = [];
  let received = 0;
  let settled = false;
  const finish = (error: Error | null) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    payload.removeListener('data', onData);
    payload.removeListener('end', onEnd);
    payload.removeListener('error', onError);
    done(error, error ? '' : Buffer.concat(chunks, received).toString('utf8'));
  };
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    if (received > limit) finish(tooLarge());
    else chunks.push(chunk);
  };
  const onEnd = () => finish(null);
  const onError = () => finish(new ServiceError('ValidationException', 'The request body could not be read.'));
  const timer = setTimeout(() => {
    request.log.warn({ reqId: request.id, received }, 'request body too slow: closing the connection');
    finish(new ServiceError('RequestTimeoutException', 'The request body did not arrive in time.', 408, { connection: 'close' }));
  }, deadlineMs);
  payload.on('data', onData);
  payload.on('end', onEnd);
  payload.on('error', onError);
}
