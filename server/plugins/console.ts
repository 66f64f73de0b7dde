import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { PATHS } from '../../contract/access-tokens';
import { ServiceError } from '../../service/service-error';
import { GIT_PREFIX } from '../git/repository-path';
import { FORWARD_AUTH_PATH } from '../routes/git';
import { sendServiceError } from './errors';
import { PAGE_HEADERS } from './security';

const rootOf = (path: string) => `/${path.split('/')[1] ?? ''}`;
/**
 * The first segment of every path the contract names, and of Git's and forward auth's: nothing
 * under them falls back to the page, so a client sees the API's real answers.
 */
const API_ROOTS = new Set(
  [...Object.values(PATHS).map((path) => (typeof path === 'function' ? path('id') : path)), GIT_PREFIX, FORWARD_AUTH_PATH].map(rootOf),
);
const isApiPath = (path: string) => API_ROOTS.has(rootOf(path));
/** A path the console's router may own: not the API's, and not a file (a name with an extension). */
const isPagePath = (path: string) => !isApiPath(path) && !path.startsWith('/assets/') && !/\.[^/]*$/.test(path);

/** Serves the built console, with any other GET answered by index.html so deep links work. */
export async function registerConsole(app: FastifyInstance, staticDir: string | undefined) {
  const hasConsole = staticDir !== undefined && existsSync(join(staticDir, 'index.html'));
  if (hasConsole) {
    await app.register(fastifyStatic, {
      root: staticDir,
      wildcard: false,
      index: ['index.html'],
      serveDotFiles: false,
      cacheControl: false,
      setHeaders: (response, path) => {
        if (path.endsWith('.html')) {
          for (const [name, value] of Object.entries(PAGE_HEADERS)) response.setHeader(name, value);
        } else if (path.includes('/assets/')) {
          // Built assets carry a content hash in their names.
          response.setHeader('cache-control', 'public, max-age=31536000, immutable');
        }
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const wantsPage = request.method === 'GET' && isPagePath(request.url.split('?')[0] ?? '');
    if (hasConsole && wantsPage) return reply.headers(PAGE_HEADERS).type('text/html; charset=utf-8').sendFile('index.html');
    return sendServiceError(
      reply,
      new ServiceError('UnknownOperationException', `No operation matches ${request.method} ${request.url.split('?')[0]}.`, 404),
    );
  });
}
