import { createHmac } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import proxyAddr from '@fastify/proxy-addr';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { MAX_LIVE_TOKENS_PER_USER } from '../contract/access-tokens';
import { createAccessTokenService } from '../service/access-token-service';
import { createAdminService } from '../service/admin-service';
import { createNotificationService } from '../service/notices';
import type { TokenStore } from '../service/token-store';
import { createConsoleAuthenticator } from './auth/console-identity';
import { createPatVerifier } from './auth/pat-verifier';
import type { ServerConfig } from './config';
import { PackCache } from './git/pack-cache';
import { createRepositoryStore, gitVersion } from './git/repositories';
import { GitRequestPool } from './git/request-pool';
import { NoticeSender } from './notices/notice-sender';
import { registerConsole } from './plugins/console';
import { clientErrorHandler, createFrameworkErrorHandler, registerErrorHandling } from './plugins/errors';
import { registerHealth } from './plugins/health';
import { logRequestCompleted } from './plugins/request-log';
import { BODY_LIMIT_BYTES, createHostCheck, registerSecurity } from './plugins/security';
import { clientKey, RateLimiter } from './rate-limiter';
import { accessTokenRoutes } from './routes/access-tokens';
import { adminRoutes } from './routes/admin';
import { gitRoutes } from './routes/git';
import { notificationSettingsRoutes } from './routes/notification-settings';
import { repositoryRoutes } from './routes/repositories';
import { revokeAccessTokensRoute } from './routes/revoke-access-tokens';
import { sessionRoutes } from './routes/session';
import { prepareRepositoriesFolder } from './storage/private-files';
import { createPageTokenCodec } from './tokens/page-token';
import { digestSecret, recordableText, secretFormat } from './tokens/secret';

export interface AppOptions {
  config: ServerConfig;
  store: TokenStore;
  /** Log as the server does in production (true), or not at all (false, the default in tests). */
  logger?: boolean;
  /** Where the production logger writes; standard output by default. */
  logStream?: { write(line: string): void };
}

const PURGE_INTERVAL_MS = 60_000;
/** How often each server looks for expiry notices that came due: well within the minute promised. */
const NOTICE_SCHEDULE_INTERVAL_MS = 15_000;
const KEEP_ALIVE_TIMEOUT_MS = 5_000;
const DROP_LOG_INTERVAL_MS = 10_000;

/**
 * The production logger. A request is logged by what identifies it, never by its headers (the
 * Authorization header, cookies); a secret a client put in the URL or User-Agent is masked, and
 * control characters there are escaped.
 */
export function loggerOptions(level: string): Exclude<FastifyServerOptions['logger'], boolean | undefined> {
  return {
    level,
    serializers: {
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: recordableText(request.url),
        remoteAddress: request.ip,
        userAgent: request.headers['user-agent'] && recordableText(request.headers['user-agent']),
      }),
    },
  };
}

/**
 * One line per request, when it is answered (Fastify's default is two, each from a logger made for
 * the request): what was asked, by whom, the answer and how long it took. Every other line a
 * request causes names it by `reqId` itself.
 */
class OneLinePerRequest extends LogController {
  override incomingRequest() {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply) {
    logRequestCompleted(request, reply, error);
  }
}

/** The share of `maxConnections` one client address may hold, so that one address cannot take them all. */
const connectionsPerClient = (maxConnections: number) => Math.max(1, Math.ceil(maxConnections / 4));

/**
 * Open connections per client address (an IPv6 client's /64), refusing one past `perClient`.
 * The trusted proxies of proxy mode are not counted: every user comes through them.
 */
function capConnectionsPerClient(server: Server, perClient: number, exempt: (address: string) => boolean, onRefuse: () => void) {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress;
    if (address === undefined || exempt(address)) return;
    const key = clientKey(address);
    const count = open.get(key) ?? 0;
    if (count >= perClient) {
      onRefuse();
      socket.destroy();
      return;
    }
    open.set(key, count + 1);
    socket.once('close', () => {
      const left = (open.get(key) ?? 1) - 1;
      if (left === 0) open.delete(key);
      else open.set(key, left);
    });
  });
}

/**
 * The HTTP server, with its limits enforced: Node checks header deadlines every second (its default
 * of 30 s let a slow client linger well past them), idle connections are closed, and past
 * `maxConnections`, or a client's share of them, new connections are refused and the refusals logged.
 */
function createHttpServer(config: ServerConfig, onDrop: () => void) {
  const trusted = proxyAddr.compile(config.authMode === 'proxy' ? config.trustedProxies : []);
  return (handler: Parameters<typeof createServer>[1]): Server => {
    const server = createServer(
      {
        connectionsCheckingInterval: 1_000,
        headersTimeout: config.timeouts.headersMs,
        // No total request time: it would cut a long transfer that is still moving.
        requestTimeout: 0,
        // A request without Host is refused by the Host check, in the API's shape, rather than by Node.
        requireHostHeader: false,
      },
      handler,
    );
    server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    server.setTimeout(config.timeouts.idleMs);
    server.maxConnections = config.maxConnections;
    server.on('drop', onDrop);
    capConnectionsPerClient(server, connectionsPerClient(config.maxConnections), (address) => trusted(address, 0), onDrop);
    return server;
  };
}

export async function buildApp({ config, store, logger = false, logStream }: AppOptions): Promise<FastifyInstance> {
  const hostCheck = createHostCheck(config.allowedHosts);
  let drops = 0;
  let dropsLoggedAt = 0;
  // Standard output through Node's own file stream: a line goes out at once when the stream is idle,
  // and lines that arrive while a write is under way go out together in one writev. pino's
  // SonicBoom, batching to 4 KiB, measured about 4 µs a request more: each of its writes measures
  // the whole pending batch again. A crash may lose the lines of the write under way; a shutdown
  // waits for them.
  const stdout = logger && !logStream ? createWriteStream('', { fd: 1, autoClose: false }) : undefined;
  const app: FastifyInstance = Fastify({
    logger: logger ? { ...loggerOptions(config.logLevel), stream: logStream ?? stdout } : false,
    serverFactory: createHttpServer(config, () => {
      drops += 1;
      const now = Date.now();
      if (now - dropsLoggedAt >= DROP_LOG_INTERVAL_MS) {
        app.log.warn({ refused: drops, maxConnections: config.maxConnections }, 'connection limit reached: refusing new connections');
        dropsLoggedAt = now;
        drops = 0;
      }
    }),
    return503OnClosing: true,
    // JSON bodies are small; a route that takes more says so (readBody in plugins/security.ts).
    bodyLimit: BODY_LIMIT_BYTES,
    logController: new OneLinePerRequest(),
    childLoggerFactory: (parent) => parent,
    routerOptions: { ignoreTrailingSlash: true },
    // Behind the authenticating proxy, the client is who the proxy says (rate limits, logs).
    trustProxy: config.authMode === 'proxy' ? config.trustedProxies : false,
    frameworkErrors: createFrameworkErrorHandler(hostCheck),
    clientErrorHandler,
  });

  registerErrorHandling(app);
  registerSecurity(app, hostCheck, config.timeouts.jsonBodyMs);
  registerHealth(app, store);

  const creates = new RateLimiter(config.createsPerMinute);
  const reports = new RateLimiter(config.revokesPerMinute);
  const signingKey = await store.signingKey();
  const cursors = createPageTokenCodec(signingKey);
  // A key of its own for confirmation links, derived from the deployment's: it signs nothing else.
  const confirmationKey = createHmac('sha256', signingKey).update('pat-console confirmation links').digest();
  const notifications = createNotificationService({
    store,
    notices: { email: config.notices.smtp !== undefined, webhook: config.notices.webhook !== undefined, expiryDays: config.notices.expiryDays },
    sign: (text) => createHmac('sha256', confirmationKey).update(text).digest('base64url'),
  });
  const service = createAccessTokenService({
    store,
    secrets: { ...secretFormat(config.tokenPrefix), digest: digestSecret },
    cursors,
    notices: notifications.rules,
    limits: {
      maxTokenLifetimeYears: config.maxTokenLifetimeYears,
      maxLiveTokens: MAX_LIVE_TOKENS_PER_USER,
      activityRetentionDays: config.activityRetentionDays,
    },
    throttleCreates: (userId, now) => creates.hit(`create:${userId}`, now),
    throttleReports: (address, now) => reports.hit(clientKey(address), now),
  });
  const admin = createAdminService({ store, cursors, notices: notifications.rules, limits: service.limits });
  const sender = new NoticeSender({ store, notifications, config: config.notices, log: app.log });
  const verifyPat = createPatVerifier(service, new RateLimiter(config.failedAuthsPerMinute));
  for (const notice of prepareRepositoriesFolder(config.reposDir)) app.log.warn(notice);
  const repositories = createRepositoryStore(config.reposDir);
  const authenticate = createConsoleAuthenticator(config, store, verifyPat);
  await app.register(async (api) => {
    api.addHook('onRequest', authenticate);
    // A change may have queued notices (a webhook for a create, a confirmation mail): sent now,
    // rather than at the sender's next look.
    api.addHook('onResponse', (request, reply, done) => {
      if (request.method !== 'GET' && reply.statusCode < 300) sender.wake();
      done();
    });
    await api.register(accessTokenRoutes, { service });
    await api.register(sessionRoutes);
    await api.register(repositoryRoutes, { repositories, service });
    await api.register(notificationSettingsRoutes, { notifications });
    await api.register(adminRoutes, { admin });
  });
  await app.register(revokeAccessTokensRoute, { service, onChange: () => sender.wake() });

  const git = await gitVersion();
  if (!git.ok) app.log.error(git.message);
  const pool = new GitRequestPool(config.gitMaxRequests, config.timeouts.gitQueueMs);
  const packCache =
    config.packCache &&
    (await PackCache.open({ ...config.packCache, hooksPath: repositories.hooksPath, log: app.log }).catch((error: unknown) => {
      app.log.warn({ err: error }, 'the pack-objects cache could not start: every fetch makes its own pack');
      return undefined;
    }));
  await app.register(gitRoutes, {
    verifyPat,
    service,
    repositories,
    pool,
    packCache,
    gitUnavailable: git.ok ? undefined : git.message,
    maxPushBytes: config.maxPushBytes,
    minBodyRate: config.gitMinBodyRate,
    maxReposPerUser: config.maxReposPerUser,
    stalledClientSeconds: Math.max(1, Math.ceil(config.timeouts.idleMs / 1000)),
  });
  // A shutdown lets running clones and pushes finish.
  app.addHook('onClose', () => pool.drain());
  if (packCache) app.addHook('onClose', () => packCache.close());
  app.addHook('onClose', async () => {
    // Written in order: once this empty write is done, every line before it is out.
    if (stdout) await new Promise<void>((resolve) => stdout.write('', () => resolve()));
  });
  await registerConsole(app, config.staticDir);

  // Expired tokens are refused by every query anyway; the purge frees their rows and logs their
  // expiry, and drops activity older than the retention period. A failed one (the database is away)
  // is logged and tried again next time.
  const purgeOld = () => {
    const now = Date.now();
    service
      .purgeExpired(now)
      .then((expired) => expired > 0 && sender.wake())
      .catch((error: unknown) => app.log.warn({ err: error }, 'could not purge expired tokens'));
    service.purgeActivity(now).catch((error: unknown) => app.log.warn({ err: error }, 'could not purge old activity'));
  };
  purgeOld();
  const purge = setInterval(purgeOld, PURGE_INTERVAL_MS);
  purge.unref();
  app.addHook('onClose', async () => clearInterval(purge));

  // Every server queues expiry notices as they come due and sends what the outbox holds; the
  // database hands each token and each notice to one of them.
  const scheduleNotices = () => {
    notifications
      .scheduleExpiryNotices(Date.now())
      .then((looked) => looked > 0 && sender.wake())
      .catch((error: unknown) => app.log.warn({ err: error }, 'could not schedule expiry notices'));
  };
  scheduleNotices();
  const schedule = setInterval(scheduleNotices, NOTICE_SCHEDULE_INTERVAL_MS);
  schedule.unref();
  sender.start();
  app.addHook('onClose', async () => {
    clearInterval(schedule);
    await sender.close();
  });

  return app;
}
