import type { FastifyInstance } from 'fastify';
import { PATHS } from '../../contract/access-tokens';
import { ListRepositoriesResponse } from '../../contract/schemas';
import { callerOf } from '../auth/console-identity';
import type { RepositoryStore } from '../git/repositories';

/** ListRepositories (our extension): the caller's Git repositories, for the console. */
export async function repositoryRoutes(app: FastifyInstance, { repositories }: { repositories: RepositoryStore }) {
  app.get(PATHS.repositories, { schema: { response: { 200: ListRepositoriesResponse } } }, async (request): Promise<ListRepositoriesResponse> => ({
    items: (await repositories.list(callerOf(request).id)).map((repository) => ({
      name: repository.name,
      sizeBytes: repository.sizeBytes,
      ...(repository.lastPushAt === undefined ? {} : { lastPushTime: new Date(repository.lastPushAt).toISOString() }),
    })),
  }));
}
