import { buildApp } from './app';
import { readConfig } from './config';
import { openSqliteRepository } from './storage/sqlite-repository';

const config = readConfig();
const notices: string[] = [];
const repository = openSqliteRepository(config.dbPath, { onNotice: (notice) => notices.push(notice) });
const app = await buildApp({ config, repository, logger: true });
for (const notice of notices) app.log.warn(notice);

async function shutDown(signal: string) {
  app.log.info({ signal }, 'shutting down');
  await app.close();
  repository.close();
  process.exit(0);
}
process.once('SIGTERM', () => void shutDown('SIGTERM'));
process.once('SIGINT', () => void shutDown('SIGINT'));

await app.listen({ host: config.host, port: config.port });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : config.port;
const shownHost = config.host.includes(':') ? `[${config.host}]` : config.host;
app.log.info({ db: config.dbPath, auth: config.authMode }, 'pat-console is ready');
process.stdout.write(`\npat-console is running at http://${shownHost}:${port}/\n\n`);
