import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { ServerConfig } from './config';
import { createAuthenticator } from './plugins/authentication';
import { registerConsole } from './plugins/console';
import { registerErrorHandling } from './plugins/errors';
import { BODY_LIMIT_BYTES, registerSecurity } from './plugins/security';
import { RateLimiter } from './rate-limiter';
import { accessTokenRoutes } from './routes/access-tokens';
import { sessionRoutes } from './routes/session';
import type { TokenRepository } from './storage/repository';
import { createPageTokenCodec } from './tokens/page-token';

export interface AppOptions {
  config: ServerConfig;
  repository: TokenRepository;
  /** Pino options, or false for none (tests). */
  logger?: boolean | object;
}

const PURGE_INTERVAL_MS = 60_000;

const logsRequests = (logger: FastifyBaseLogger) =>
  !('isLevelEnabled' in logger) || (logger as FastifyBaseLogger & { isLevelEnabled(level: string): boolean }).isLevelEnabled('info');

export async function buildApp({ config, repository, logger = false }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      logger === true
        ? { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] }
        : logger,
    bodyLimit: BODY_LIMIT_BYTES,
    requestTimeout: 10_000,
    connectionTimeout: 15_000,
    keepAliveTimeout: 5_000,
    return503OnClosing: true,
    // A logger per request only pays when requests are logged (info and below); errors name the request themselves.
    childLoggerFactory: (parent, bindings, options) =>
      logsRequests(parent) ? parent.child(bindings, options) : parent,
    routerOptions: { ignoreTrailingSlash: true },
  });

  registerErrorHandling(app);
  registerSecurity(app, config.allowedHosts);

  const authenticate = createAuthenticator(config, repository, new RateLimiter(config.failedAuthsPerMinute));
  await app.register(async (api) => {
    api.addHook('onRequest', authenticate);
    await api.register(accessTokenRoutes, {
      repository,
      pageTokens: createPageTokenCodec(repository.signingKey()),
      creates: new RateLimiter(config.createsPerMinute),
      maxTokenLifetimeYears: config.maxTokenLifetimeYears,
    });
    await api.register(sessionRoutes);
  });
  await registerConsole(app, config.staticDir);

  repository.purgeExpired(Date.now());
  const purge = setInterval(() => repository.purgeExpired(Date.now()), PURGE_INTERVAL_MS);
  purge.unref();
  app.addHook('onClose', async () => clearInterval(purge));

  return app;
}
