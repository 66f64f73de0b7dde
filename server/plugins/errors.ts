import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { ERROR_TYPE_HEADER } from '../../src/lib/api-contract';
import { ServiceError } from '../service-error';

/** Fastify's own client errors, in AWS's names. */
function fromFastifyError(error: FastifyError): ServiceError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ServiceError('UnsupportedMediaTypeException', 'Send the request body as application/json.', 415);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ServiceError('RequestEntityTooLargeException', 'The request body is too large.', 413);
    default:
      if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
        return new ServiceError('ValidationException', error.message);
      }
      return undefined;
  }
}

export function sendServiceError(reply: FastifyReply, error: ServiceError) {
  return reply
    .code(error.statusCode)
    .headers({ ...error.headers, [ERROR_TYPE_HEADER]: error.errorType })
    .send({ message: error.message });
}

export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = error instanceof ServiceError ? error : fromFastifyError(error);
    if (known) return sendServiceError(reply, known);
    request.log.error({ err: error, reqId: request.id }, 'unhandled error');
    // Nothing internal leaves the server.
    return sendServiceError(
      reply,
      new ServiceError('InternalServerException', 'The service could not complete the request. Try again later.', 500),
    );
  });
}
