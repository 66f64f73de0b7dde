import type { FastifyInstance } from 'fastify';
import { PATHS } from '../../contract/access-tokens';
import { ListRepositoriesResponse } from '../../contract/schemas';
import type { AccessTokenService } from '../../service/access-token-service';
import { callerOf } from '../auth/console-identity';
import type { RepositoryStore } from '../git/repositories';

/** ListRepositories (our extension): the caller's Git repositories, those its PAT may read. */
export async function repositoryRoutes(app: FastifyInstance, { repositories, service }: { repositories: RepositoryStore; service: AccessTokenService }) {
  app.get(PATHS.repositories, { schema: { response: { 200: ListRepositoriesResponse } } }, async (request): Promise<ListRepositoriesResponse> => {
    const caller = callerOf(request);
    const readable = await service.readableRepositories(caller, await repositories.list(caller.user.id));
    return {
      items: readable.map((repository) => ({
        name: repository.name,
        sizeBytes: repository.sizeBytes,
        ...(repository.lastPushAt === undefined ? {} : { lastPushTime: new Date(repository.lastPushAt).toISOString() }),
      })),
    };
  });
}
