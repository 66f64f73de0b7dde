import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The one line a request gets when it is answered: what was asked, by whom, the answer and how long
 * it took. Fastify writes it through the server's log controller; an answer Fastify never sees end
 * (a fetch that git writes to the connection itself) writes it here.
 */
export function logRequestCompleted(request: FastifyRequest, reply: FastifyReply, error?: Error | null) {
  const fields = { reqId: request.id, req: request, res: reply, responseTime: reply.elapsedTime };
  if (error) request.log.error({ ...fields, err: error }, 'request errored');
  else request.log.info(fields, 'request completed');
}
