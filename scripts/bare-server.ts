/** The baseline for `npm run bench`: a bare Fastify route, no storage, no auth, no hooks. */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/bare', async () => ({ identity: 'bare' }));
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`running at ${url}/\n`);
