import type { ServerConfig } from '../config';
import { openPostgresRepository } from './postgres-repository';
import type { TokenRepository } from './repository';
import { openSqliteRepository } from './sqlite-repository';

export interface StorageLog {
  warn(fields: object, message: string): void;
}

/** PostgreSQL when a database URL is set (a team, several servers), SQLite otherwise (one server). */
export function openRepository(config: ServerConfig, log: StorageLog): Promise<TokenRepository> {
  if (config.databaseUrl !== undefined) {
    return openPostgresRepository(config.databaseUrl, {
      onIdleError: (error) => log.warn({ err: error }, 'lost a PostgreSQL connection; it is replaced on next use'),
    });
  }
  return Promise.resolve(openSqliteRepository(config.dbPath, { onNotice: (notice) => log.warn({}, notice) }));
}
