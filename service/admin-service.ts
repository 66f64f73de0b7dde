import type { AdminAction } from '../contract/access-tokens';
import type {
  AdminEvent,
  AdminRevokeAccessTokensResponse,
  GetAccessTokenLimitsResponse,
  ListAdminEventsResponse,
  AdminListAccessTokensResponse,
  UserStateResponse,
} from '../contract/schemas';
import {
  validateAdminRevokeAccessTokens,
  validateListAdminEvents,
  validateAdminListAccessTokens,
  validateUpdateAccessTokenPolicy,
} from '../contract/validation';
import { answerPage, outsidePolicy, retire, toSummary, type Caller, type PageCursors } from './access-token-service';
import type { NoticeRules } from './notices';
import { ServiceError, validationError } from './service-error';
import type { AdminEntry, OwnedToken, RemovedToken, TokenStore, TokenWrites, User } from './token-store';

export interface AdminServiceOptions {
  store: TokenStore;
  cursors: PageCursors;
  notices: NoticeRules;
  /** The limits as they hold now, the admins' policy over the deployment's settings: the token service's. */
  limits: () => Promise<GetAccessTokenLimitsResponse>;
  clock?: () => number;
}

/** How many PATs one read looks at when the list is of those outside the policy. */
const OUTSIDE_POLICY_BATCH = 500;

const notAdmin = () => new ServiceError('AccessDeniedException', 'Only an admin may do this.', 403);

const toAdminEvent = (entry: AdminEntry): AdminEvent => ({
  eventId: String(entry.seq),
  eventTime: new Date(entry.time).toISOString(),
  adminName: entry.adminName,
  action: entry.action,
  ...(entry.targetUserName === null ? {} : { targetUserName: entry.targetUserName }),
  ...(entry.detail === null ? {} : { detail: entry.detail }),
  ...(entry.address === null ? {} : { sourceIpAddress: entry.address }),
  ...(entry.userAgent === null ? {} : { userAgent: entry.userAgent }),
});

/**
 * What admins do, for the server's routes and the mocks alike: every user's PATs, revoking them,
 * disabling a user (offboarding), the policy, and the admin log of all of it. The server says who
 * is an admin (`caller.admin`); everyone else is refused every operation.
 */
export function createAdminService(options: AdminServiceOptions) {
  const { store, cursors, notices } = options;
  const clock = options.clock ?? Date.now;

  /**
   * The admin list's cursors: the last row's `seq`, and its expiry when the list is by expiry, each
   * signed for this question by the deployment's page cursors.
   */
  const adminCursors = (scope: string) => ({
    encode: ({ token }: OwnedToken) => `${cursors.encode(`${scope}/seq`, token.seq)}~${cursors.encode(`${scope}/expires`, token.expiresAt)}`,
    decode(nextToken: string): { seq: number; expiresAt: number } | undefined {
      const [seqToken = '', expiresToken = '', ...rest] = nextToken.split('~');
      const seq = cursors.decode(`${scope}/seq`, seqToken);
      const expiresAt = cursors.decode(`${scope}/expires`, expiresToken);
      return rest.length === 0 && seq !== undefined && expiresAt !== undefined ? { seq, expiresAt } : undefined;
    },
  });

  function requireAdmin(caller: Caller) {
    if (!caller.admin) throw notAdmin();
  }

  /** Revoked by an admin: each secret retired, its owner's log and notices told who did it. */
  async function revokeAll(writes: TokenWrites, removed: readonly RemovedToken[], admin: User, now: number) {
    for (const gone of removed) {
      await retire(writes, gone, 'revoked', now);
      await writes.appendEvent({ userId: gone.token.userId, time: now, type: 'REVOKED_BY_ADMIN', token: gone.token, actor: null, detail: admin.userName });
      await notices.queue(writes, 'DELETED', gone.token, now);
    }
  }

  const entry = (caller: Caller, action: AdminAction, now: number, targetUserName: string | null, detail: string | null) => ({
    time: now,
    adminName: caller.user.userName,
    action,
    targetUserName,
    detail,
    address: caller.client.address,
    userAgent: caller.client.userAgent,
  });

  /** The PATs' names for the log, at most a few. */
  const namesOf = (removed: readonly RemovedToken[]) =>
    removed.length === 0 ? 'none' : `${removed.slice(0, 10).map(({ token }) => token.name).join(', ')}${removed.length > 10 ? ` and ${removed.length - 10} more` : ''}`;

  async function setDisabled(caller: Caller, userName: string, disable: boolean): Promise<UserStateResponse> {
    requireAdmin(caller);
    const now = clock();
    // A user never seen yet is made, so that the first sign-in finds them disabled.
    const user = await store.userByName(userName);
    const revoked = await store.transaction(async (writes) => {
      await writes.lockUser(user.id);
      await writes.setUserDisabled(user.id, disable ? now : null);
      const removed = disable ? await writes.deleteTokensOfUser(user.id) : [];
      await revokeAll(writes, removed, caller.user, now);
      await writes.appendAdminEntry(entry(caller, disable ? 'DISABLED_USER' : 'ENABLED_USER', now, user.userName, disable ? `PATs revoked: ${namesOf(removed)}` : null));
      return removed.length;
    });
    return { userName: user.userName, disabled: disable, revokedCount: revoked };
  }

  return {
    /** The policy as it holds now. */
    async getAccessTokenPolicy(caller: Caller): Promise<GetAccessTokenLimitsResponse> {
      requireAdmin(caller);
      return options.limits();
    },

    /** Changes some rules of the policy; every server holds to them from its next request. PATs made before stay. */
    async updateAccessTokenPolicy(caller: Caller, body: unknown): Promise<GetAccessTokenLimitsResponse> {
      requireAdmin(caller);
      const input = validateUpdateAccessTokenPolicy(body);
      if (!input.ok) throw validationError(input.message);
      const now = clock();
      await store.transaction(async (writes) => {
        await writes.writePolicy({ ...(await store.readPolicy()), ...input.value });
        await writes.appendAdminEntry(entry(caller, 'UPDATED_POLICY', now, null, JSON.stringify(input.value)));
      });
      return options.limits();
    },

    /** Every user's live PATs by creation or expiry (newest or latest first unless asked), of one owner or matching a text, a page at a time. */
    async adminListAccessTokens(caller: Caller, body: unknown): Promise<AdminListAccessTokensResponse> {
      requireAdmin(caller);
      const input = validateAdminListAccessTokens(body);
      if (!input.ok) throw validationError(input.message);
      const { owner, filterText, sortBy = 'createdTime', sortOrder, maxResults, nextToken, outsidePolicy: breaching = false } = input.value;
      const orderBy = sortBy === 'expiresTime' ? 'expiresAt' : 'seq';
      // A cursor holds for the same question only.
      const scope = `admin/${JSON.stringify([owner ?? null, filterText ?? null, sortBy, sortOrder ?? 'DESCENDING', breaching])}`;
      const cursorCodec = adminCursors(scope);
      const after = nextToken === undefined ? undefined : cursorCodec.decode(nextToken);
      if (nextToken !== undefined && after === undefined) throw validationError('nextToken is not valid.');
      const ownerUser = owner === undefined ? undefined : await store.findUser(owner);
      if (owner !== undefined && !ownerUser) return { items: [] };
      const query = { ownerId: ownerUser?.id, text: filterText, descending: sortOrder !== 'ASCENDING', orderBy, now: clock() } as const;
      const summaries = (owned: readonly OwnedToken[]) => owned.map(({ token, ownerName }) => ({ ...toSummary(token), ownerName }));
      if (!breaching) {
        const page = await store.listTokensForAdmin({ ...query, after, limit: maxResults });
        const items = summaries(page.items);
        return page.next === undefined ? { items } : { items, nextToken: cursorCodec.encode(page.next) };
      }
      // What the policy would refuse is the policy's to say, not the database's: read in batches
      // until a page is full, and the cursor is where the reading stopped.
      const limits = await options.limits();
      const found: OwnedToken[] = [];
      let cursor = after;
      let last: OwnedToken | undefined;
      for (;;) {
        const batch = await store.listTokensForAdmin({ ...query, after: cursor, limit: OUTSIDE_POLICY_BATCH });
        for (const owned of batch.items) {
          last = owned;
          cursor = { seq: owned.token.seq, expiresAt: owned.token.expiresAt };
          if (outsidePolicy(limits, owned.token)) found.push(owned);
          if (found.length === maxResults) break;
        }
        if (found.length === maxResults || batch.next === undefined) {
          const more = found.length === maxResults && (batch.next !== undefined || batch.items[batch.items.length - 1] !== last);
          const items = summaries(found);
          return more && last ? { items, nextToken: cursorCodec.encode(last) } : { items };
        }
      }
    },

    /** Some PATs by id, or all of one user's: gone at once on every server, their owners told who did it. */
    async revokeAccessTokens(caller: Caller, body: unknown): Promise<AdminRevokeAccessTokensResponse> {
      requireAdmin(caller);
      const input = validateAdminRevokeAccessTokens(body);
      if (!input.ok) throw validationError(input.message);
      const { accessTokenIds, owner } = input.value;
      const ownerUser = owner === undefined ? undefined : await store.findUser(owner);
      if (owner !== undefined && !ownerUser) return { revokedCount: 0 };
      const now = clock();
      const revokedCount = await store.transaction(async (writes) => {
        const removed = ownerUser ? await writes.deleteTokensOfUser(ownerUser.id) : await writes.deleteTokensById(accessTokenIds ?? []);
        await revokeAll(writes, removed, caller.user, now);
        await writes.appendAdminEntry(entry(caller, 'REVOKED_ACCESS_TOKENS', now, owner ?? null, namesOf(removed)));
        return removed.length;
      });
      return { revokedCount };
    },

    /** Offboarding: every PAT of the user revoked at once, and new ones refused until enabled again. */
    disableUser: (caller: Caller, userName: string) => setDisabled(caller, userName, true),
    enableUser: (caller: Caller, userName: string) => setDisabled(caller, userName, false),

    /** The admin log, newest first. */
    async listAdminEvents(caller: Caller, body: unknown): Promise<ListAdminEventsResponse> {
      requireAdmin(caller);
      const input = validateListAdminEvents(body);
      if (!input.ok) throw validationError(input.message);
      const { maxResults, nextToken } = input.value;
      return answerPage(cursors, 'admin-events', nextToken, (before) => store.listAdminEntries(maxResults, before), toAdminEvent);
    },
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
