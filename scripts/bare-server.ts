/**
 * The baselines for `npm run bench`: a bare Fastify route, no storage, no auth, no hooks; with
 * BARE_LOGGING=1, Fastify's own request logging at info (`logger: true`), as any server a user
 * compares with logs its requests: the reference issue 22 decided on for the auth path.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: process.env.BARE_LOGGING === '1' });
app.get('/bare', async () => ({ identity: 'bare' }));
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`running at ${url}/\n`);
