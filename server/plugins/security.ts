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

  // A page on another site that resolves its name to this machine (DNS rebinding) arrives with its own Host.
  app.addHook('onRequest', async (request) => {
    if (!allowed.has(hostName(request.headers.host))) {
      throw new ServiceError('AccessDeniedException', 'This host name is not served here.', 403);
    }
  });

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
    const isAsset = request.url.startsWith('/assets/') && reply.statusCode === 200;
    // Built assets carry a content hash in their names; everything else, API answers above all, is never stored.
    reply.header('cache-control', isAsset ? 'public, max-age=31536000, immutable' : 'no-store');
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html')) reply.header('content-security-policy', CONSOLE_CSP);
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
