import type { TokenStore } from '../../service/token-store';
import type { ServerConfig } from '../config';
import { openPostgresTokenStore } from './postgres-token-store';
import { openSqliteTokenStore } from './sqlite-token-store';

export interface StorageLog {
  warn(fields: object, message: string): void;
}

/** PostgreSQL when a database URL is set (a team, several servers), SQLite otherwise (one server). */
export function openTokenStore(config: ServerConfig, log: StorageLog): Promise<TokenStore> {
  if (config.databaseUrl !== undefined) {
    return openPostgresTokenStore(config.databaseUrl, {
      onIdleError: (error) => log.warn({ err: error }, 'lost a PostgreSQL connection; it is replaced on next use'),
    });
  }
  return Promise.resolve(openSqliteTokenStore(config.dbPath, { onNotice: (notice) => log.warn({}, notice) }));
}
