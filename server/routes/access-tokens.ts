import type { FastifyInstance } from 'fastify';
import { PATHS } from '../../contract/access-tokens';
import {
  CreateAccessTokenResponse,
  DeleteAccessTokenResponse,
  GetAccessTokenLimitsResponse,
  ListAccessTokenEventsResponse,
  ListAccessTokensResponse,
  RegenerateAccessTokenResponse,
} from '../../contract/schemas';
import type { AccessTokenService } from '../../service/access-token-service';
import { callerOf } from '../auth/console-identity';

/** The operations on the wire; what they do is the service's. */
export async function accessTokenRoutes(app: FastifyInstance, { service }: { service: AccessTokenService }) {
  app.put(PATHS.accessTokens, { schema: { response: { 201: CreateAccessTokenResponse } } }, async (request, reply) =>
    reply.code(201).send(await service.createAccessToken(callerOf(request), request.body)),
  );

  app.post(PATHS.accessTokens, { schema: { response: { 200: ListAccessTokensResponse } } }, (request) =>
    service.listAccessTokens(callerOf(request), request.body),
  );

  app.post<{ Params: { id: string } }>(
    `${PATHS.accessTokens}/:id/regenerate`,
    { schema: { response: { 200: RegenerateAccessTokenResponse } } },
    (request) => service.regenerateAccessToken(callerOf(request), request.params.id, request.body),
  );

  app.delete<{ Params: { id: string } }>(
    `${PATHS.accessTokens}/:id`,
    { schema: { response: { 200: DeleteAccessTokenResponse } } },
    (request) => service.deleteAccessToken(callerOf(request), request.params.id),
  );

  app.post(PATHS.accessTokenEvents, { schema: { response: { 200: ListAccessTokenEventsResponse } } }, (request) =>
    service.listAccessTokenEvents(callerOf(request), request.body),
  );

  app.get(PATHS.accessTokenLimits, { schema: { response: { 200: GetAccessTokenLimitsResponse } } }, async () => service.limits());
}
