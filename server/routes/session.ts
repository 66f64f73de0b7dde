import type { FastifyInstance } from 'fastify';
import { PATHS, type GetUserDetailsResponse, type VerifySessionResponse } from '../../src/lib/api-contract';
import { sessionResponseSchema, userDetailsResponseSchema } from './schemas';

export async function sessionRoutes(app: FastifyInstance) {
  app.get(PATHS.session, { schema: { response: sessionResponseSchema } }, async (request): Promise<VerifySessionResponse> => ({
    identity: request.user.id,
  }));

  app.get(
    PATHS.userDetails,
    { schema: { response: userDetailsResponseSchema } },
    async (request): Promise<GetUserDetailsResponse> => ({
      userId: request.user.id,
      userName: request.user.userName,
      displayName: request.user.userName,
      // No directory stands behind the console: the address is a placeholder, and says so.
      primaryEmail: { email: `${request.user.userName}@localhost`, verified: false },
      version: '1',
    }),
  );
}
