import { buildApp } from './app';
import { readConfig } from './config';
import { openTokenStore, type StorageLog } from './storage/open-token-store';

const config = readConfig();
// Until the app's logger exists, what storage reports waits; afterwards it goes straight to the log.
const early: Array<[object, string]> = [];
let log: StorageLog = { warn: (fields, message) => early.push([fields, message]) };
const store = await openTokenStore(config, { warn: (fields, message) => log.warn(fields, message) });
const app = await buildApp({ config, store, logger: true });
for (const [fields, message] of early) app.log.warn(fields, message);
log = app.log;

async function shutDown(signal: string) {
  app.log.info({ signal }, 'shutting down');
  await app.close();
  await store.close();
  process.exit(0);
}
process.once('SIGTERM', () => void shutDown('SIGTERM'));
process.once('SIGINT', () => void shutDown('SIGINT'));

await app.listen({ host: config.host, port: config.port });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : config.port;
const shownHost = config.host.includes(':') ? `[${config.host}]` : config.host;
app.log.info({ storage: config.databaseUrl === undefined ? config.dbPath : 'postgresql', auth: config.authMode }, 'pat-console is ready');
process.stdout.write(`\npat-console is running at http://${shownHost}:${port}/\n\n`);
