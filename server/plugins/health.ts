import type { FastifyInstance } from 'fastify';
import type { TokenStore } from '../../service/token-store';

/**
 * `GET /healthz` for load balancers: 200 when the database answers, 503 when it does not. No
 * authentication and no details: it tells an anonymous caller nothing but up or down.
 */
export function registerHealth(app: FastifyInstance, store: TokenStore) {
  app.get('/healthz', async (_request, reply) => {
    const up = await store.ping().catch(() => false);
    return reply
      .code(up ? 200 : 503)
      .header('cache-control', 'no-store')
      .type('text/plain; charset=utf-8')
      .send(up ? 'ok\n' : 'unavailable\n');
  });
}
