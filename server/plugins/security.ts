import type { FastifyInstance } from 'fastify';
import { ServiceError } from '../service-error';

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

const API_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

/** For the console's HTML: what it may load, and that no other site may frame or open it. */
export const PAGE_HEADERS = {
  'content-security-policy': CONSOLE_CSP,
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

export const BODY_LIMIT_BYTES = 32 * 1024;

/** The host name of a Host header, without its port. */
function hostName(header: string | undefined): string {
  if (!header) return '';
  const lower = header.toLowerCase();
  if (lower.startsWith('[')) return lower.slice(0, lower.indexOf(']') + 1);
  return lower.split(':')[0] ?? '';
}

export function registerSecurity(app: FastifyInstance, allowedHosts: readonly string[]) {
  const allowed = new Set(allowedHosts);

  // One callback-style hook on every request: a promise, or an onSend pass, apiece costs measurable throughput.
  app.addHook('onRequest', (request, reply, done) => {
    // A page on another site that resolves its name to this machine (DNS rebinding) arrives with its own Host.
    if (!allowed.has(hostName(request.headers.host))) {
      done(new ServiceError('AccessDeniedException', 'This host name is not served here.', 403));
      return;
    }
    // Nothing is stored by caches but the console's hashed assets, whose route says so itself.
    if (request.url.startsWith('/assets/')) reply.header('x-content-type-options', 'nosniff');
    else reply.headers(API_HEADERS);
    done();
  });

  // JSON only: text/plain would let any web page send a "simple" cross-site request without a preflight.
  app.removeAllContentTypeParsers();
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES }, (request, body, done) => {
    // The SDKs send an empty body for operations without input members.
    if (body === '' || body === undefined) {
      done(null, undefined);
      return;
    }
    parseJson(request, body as string, (error, value) => {
      if (error) done(new ServiceError('ValidationException', 'The request body is not valid JSON.'), undefined);
      else done(null, value);
    });
  });
}
