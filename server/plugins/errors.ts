import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_TYPE_HEADER } from '../../contract/access-tokens';
import { ServiceError } from '../../service/service-error';
import { StorageUnavailableError } from '../../service/token-store';
import { API_HEADERS, type HostCheck } from './security';

/** Fastify's own client errors, in AWS's names. */
function fromFastifyError(error: FastifyError): ServiceError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ServiceError('UnsupportedMediaTypeException', 'Send the request body as application/json.', 415);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ServiceError('RequestEntityTooLargeException', 'The request body is too large.', 413);
    case 'FST_ERR_BAD_URL':
      return new ServiceError('ValidationException', 'The request path is not a valid URL.');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new ServiceError('ValidationException', 'A part of the request path is too long.');
    default:
      if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
        return new ServiceError('ValidationException', error.message);
      }
      return undefined;
  }
}

/**
 * A request answered before its body was read (refused, unknown, unauthenticated) closes its
 * connection once answered. Otherwise Node goes on reading the rest to discard it, and a client
 * trickling a huge body holds the connection for good.
 */
export function closeIfBodyUnread(reply: FastifyReply) {
  const { headers, complete } = reply.request.raw;
  const hasBody = headers['transfer-encoding'] !== undefined || (headers['content-length'] ?? '0') !== '0';
  if (hasBody && !complete) reply.header('connection', 'close');
}

export function sendServiceError(reply: FastifyReply, error: ServiceError) {
  closeIfBodyUnread(reply);
  return reply
    .code(error.statusCode)
    .headers({ ...error.headers, [ERROR_TYPE_HEADER]: error.errorType })
    .send({ message: error.message });
}

export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = error instanceof ServiceError ? error : fromFastifyError(error);
    if (known) return sendServiceError(reply, known);
    if (error instanceof StorageUnavailableError) {
      request.log.warn({ err: error, reqId: request.id }, 'the database is unavailable');
      return sendServiceError(
        reply,
        new ServiceError('ServiceUnavailableException', 'The service is temporarily unavailable. Try again shortly.', 503, {
          'retry-after': '1',
        }),
      );
    }
    request.log.error({ err: error, reqId: request.id }, 'unhandled error');
    // Nothing internal leaves the server.
    return sendServiceError(
      reply,
      new ServiceError('InternalServerException', 'The service could not complete the request. Try again later.', 500),
    );
  });
}

/**
 * Errors the router meets before any hook runs (a malformed escape such as `%ZZ`, an overlong path
 * parameter): they pass the same Host check and answer in the same shape as everything else.
 */
export function createFrameworkErrorHandler(hostCheck: HostCheck) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const refused = hostCheck(request, reply);
    return sendServiceError(reply, refused ?? fromFastifyError(error) ?? new ServiceError('ValidationException', 'The request is not valid.'));
  };
}

/** Node's own refusals of what is not HTTP, before any request exists, in the same shape. */
function clientErrorAnswer(code: string | undefined): ServiceError {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new ServiceError('RequestTimeoutException', 'The request did not arrive in time.', 408);
    case 'HPE_HEADER_OVERFLOW':
      return new ServiceError('RequestHeaderFieldsTooLargeException', 'The request headers are too large.', 431);
    default:
      return new ServiceError('BadRequestException', 'The request is not valid HTTP.', 400);
  }
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

export function clientErrorHandler(error: Error & { code?: string }, socket: Socket) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const answer = clientErrorAnswer(error.code);
    const body = JSON.stringify({ message: answer.message });
    const headers = {
      ...API_HEADERS,
      [ERROR_TYPE_HEADER]: answer.errorType,
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      connection: 'close',
    };
    const head = Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.write(`HTTP/1.1 ${answer.statusCode} ${STATUS_TEXT[answer.statusCode] ?? ''}\r\n${head}\r\n${body}`);
  }
  socket.destroy(error);
}
