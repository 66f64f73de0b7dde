import type { FastifyInstance } from 'fastify';
import { PATHS } from '../../contract/access-tokens';
import {
  AdminRevokeAccessTokensResponse,
  GetAccessTokenLimitsResponse,
  ListAdminEventsResponse,
  AdminListAccessTokensResponse,
  UserStateResponse,
} from '../../contract/schemas';
import type { AdminService } from '../../service/admin-service';
import { callerOf } from '../auth/console-identity';

/** Our extension: the admin operations; who may use them, and what they do, is the service's. */
export async function adminRoutes(app: FastifyInstance, { admin }: { admin: AdminService }) {
  const policy = { schema: { response: { 200: GetAccessTokenLimitsResponse } } };
  app.get(PATHS.adminPolicy, policy, (request) => admin.getAccessTokenPolicy(callerOf(request)));
  app.put(PATHS.adminPolicy, policy, (request) => admin.updateAccessTokenPolicy(callerOf(request), request.body));
  app.post(PATHS.adminAccessTokens, { schema: { response: { 200: AdminListAccessTokensResponse } } }, (request) =>
    admin.adminListAccessTokens(callerOf(request), request.body),
  );
  app.post(PATHS.adminRevokeAccessTokens, { schema: { response: { 200: AdminRevokeAccessTokensResponse } } }, (request) =>
    admin.revokeAccessTokens(callerOf(request), request.body),
  );
  const state = { schema: { response: { 200: UserStateResponse } } };
  app.post<{ Params: { userName: string } }>(`${PATHS.adminUsers}/:userName/disable`, state, (request) =>
    admin.disableUser(callerOf(request), request.params.userName),
  );
  app.post<{ Params: { userName: string } }>(`${PATHS.adminUsers}/:userName/enable`, state, (request) =>
    admin.enableUser(callerOf(request), request.params.userName),
  );
  app.post(PATHS.adminEvents, { schema: { response: { 200: ListAdminEventsResponse } } }, (request) => admin.listAdminEvents(callerOf(request), request.body));
}
