import type { FastifyInstance } from 'fastify';
import { PATHS, REVOKE_MAX_SECRETS } from '../../contract/access-tokens';
import { RevokeAccessTokensResponse } from '../../contract/schemas';
import type { AccessTokenService } from '../../service/access-token-service';
import { clientOf } from '../auth/pat-verifier';

/** A full request: REVOKE_MAX_SECRETS secrets of a long instance prefix, quoted, with room to spare. */
const REVOKE_BODY_LIMIT_BYTES = REVOKE_MAX_SECRETS * 128;

/**
 * Our extension, RevokeAccessTokens: outside the API's scope, as it asks nobody to sign in (a
 * scanner, a stranger who found a PAT). The service rate-limits it per address.
 */
export async function revokeAccessTokensRoute(app: FastifyInstance, { service, onChange }: { service: AccessTokenService; onChange: () => void }) {
  // A revocation queues its owner's notices: sent now.
  app.addHook('onResponse', (_request, _reply, done) => {
    onChange();
    done();
  });
  app.post(
    PATHS.revokeAccessTokens,
    { bodyLimit: REVOKE_BODY_LIMIT_BYTES, schema: { response: { 202: RevokeAccessTokensResponse } } },
    async (request, reply) => reply.code(202).send(await service.revokeAccessTokens(clientOf(request), request.body)),
  );
}
