import type { FastifyInstance } from 'fastify';
import { PATHS } from '../../contract/access-tokens';
import { GetUserDetailsResponse, VerifySessionResponse } from '../../contract/schemas';
import { callerOf } from '../auth/console-identity';

export async function sessionRoutes(app: FastifyInstance) {
  app.get(PATHS.session, { schema: { response: { 200: VerifySessionResponse } } }, async (request): Promise<VerifySessionResponse> => ({
    identity: callerOf(request).user.id,
  }));

  app.get(
    PATHS.userDetails,
    { schema: { response: { 200: GetUserDetailsResponse } } },
    async (request): Promise<GetUserDetailsResponse> => {
      const { user } = callerOf(request);
      return {
        userId: user.id,
        userName: user.userName,
        displayName: request.profile?.displayName ?? user.userName,
        // The proxy's address was verified by its identity provider. Without one, no directory stands
        // behind the console: the address is a placeholder, and says so.
        primaryEmail: request.profile?.email
          ? { email: request.profile.email, verified: true }
          : { email: `${user.userName}@localhost`, verified: false },
        version: '1',
        admin: callerOf(request).admin ?? false,
      };
    },
  );
}
