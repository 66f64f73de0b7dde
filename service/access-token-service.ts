import { LRUCache } from 'lru-cache';
import { accessBeyond, FULL_ACCESS, opensRepository, withinNetworks } from '../contract/access';
import {
  ACCESS_TOKEN_ID_MAX_LENGTH,
  INSUFFICIENT_SCOPE_CHALLENGE,
  NEW_CLIENTS_LOGGED,
  RETIRED_SECRET_USE,
  RETIRED_SECRET_USE_QUIET_MS,
} from '../contract/access-tokens';
import type { ApiChannel,
  AccessTokenEventType,
  AccessTokenPermission,
  RetiredReason } from '../contract/access-tokens';
import type {
  AccessTokenAccess,
  AccessTokenEvent,
  AccessTokenSummary,
  CreateAccessTokenResponse,
  GetAccessTokenLimitsResponse,
  ListAccessTokenEventsResponse,
  ListAccessTokensResponse,
  RevokeAccessTokensResponse,
} from '../contract/schemas';
import {
  maxExpiry,
  validateCreateAccessToken,
  validateListAccessTokenEvents,
  validateListAccessTokens,
  validateRegenerateAccessToken,
  validateRevokeAccessTokens,
} from '../contract/validation';
import { createNoticeRules, type NoticeRules } from './notices';
import { ServiceError, throttled, validationError } from './service-error';
import type { ActivityEntry, Actor, Client, RemovedToken, StoredToken, TokenStore, TokenWrites, User } from './token-store';

/** The secret format, given by the host: the server's is Node's crypto, the mocks' the browser's. */
export interface SecretFormat {
  generate(): string;
  /** What is stored and looked up: the secret itself is never kept. */
  digest(secret: string): string | Promise<string>;
  /** Our shape, checked before any lookup (the checksum turns away typos and guesses). */
  isWellFormed(secret: string): boolean;
}

/** Opaque `nextToken`s, each valid for the scope it was issued for only. */
export interface PageCursors {
  encode(scope: string, cursor: number): string;
  decode(scope: string, token: string): number | undefined;
}

export interface AccessTokenServiceOptions {
  store: TokenStore;
  secrets: SecretFormat;
  cursors: PageCursors;
  /** The deployment's settings: what holds until admins set a policy of their own. */
  limits: DeploymentLimits;
  /** How long until the user may create again, in seconds; undefined: now. */
  throttleCreates?: (userId: string, now: number) => number | undefined;
  /** How long until the client address may report exposed secrets again, in seconds; undefined: now. */
  throttleReports?: (address: string, now: number) => number | undefined;
  /** Remembered uses from a token and client, at most (the least recent are asked of the store again). */
  maxRememberedClients?: number;
  /** The time, in ms since the epoch: the service's tests move it. */
  clock?: () => number;
  /** What is told of each change, and when expiry notices are due (none queued without it). */
  notices?: NoticeRules;
}

/** The deployment's own limits, from its settings. */
export type DeploymentLimits = Pick<GetAccessTokenLimitsResponse, 'maxTokenLifetimeYears' | 'maxLiveTokens' | 'activityRetentionDays'>;

/** Who asks: a PAT's bearer, or the user by their own standing and how that request came; an admin, when the server says so. */
export type Caller = { user: User; client: Client; admin?: boolean } & (
  | { token: StoredToken }
  | {
      token: null;
      /** The console's page, or a script in local or proxy mode. */
      channel: ApiChannel;
    }
);

/** What a Git or forward-auth request with a PAT may do with one repository. */
export type RepositoryDecision = { ok: true } | { ok: false; refused: 'permission' | 'repository'; message: string };

export type Verification =
  | { ok: true; user: User; token: StoredToken }
  | {
      ok: false;
      reason: 'malformed' | 'invalid';
      /** Logs the refused use for the owner when the secret was real once; the caller may skip it (a throttled client). */
      logRefusal(): Promise<void>;
    };

const LAST_USED_RESOLUTION_MS = 60_000;
const DAY_MS = 24 * 60 * 60 * 1000;

// Stores hand out the same token objects while nothing changes: their summaries are kept with them.
const summaries = new WeakMap<StoredToken, AccessTokenSummary>();

/** A token as the API describes it. */
export function toSummary(token: StoredToken): AccessTokenSummary {
  let formatted = summaries.get(token);
  if (!formatted) {
    formatted = {
      id: token.id,
      name: token.name,
      expiresTime: new Date(token.expiresAt).toISOString(),
      createdTime: new Date(token.createdAt).toISOString(),
      ...(token.lastUsedAt === null ? {} : { lastUsedTime: new Date(token.lastUsedAt).toISOString() }),
      ...(token.createdWith === null ? {} : { createdWith: { accessTokenId: token.createdWith.id, name: token.createdWith.name } }),
      ...(token.description === null ? {} : { description: token.description }),
      access: token.access,
    };
    summaries.set(token, formatted);
  }
  return formatted;
}

/** An entry of the log as the API describes it: only an expiry is the service's own doing. */
export function toEvent(entry: ActivityEntry): AccessTokenEvent {
  return {
    eventId: String(entry.seq),
    eventTime: new Date(entry.time).toISOString(),
    eventType: entry.type,
    accessTokenId: entry.token.id,
    accessTokenName: entry.token.name,
    source: entry.source ?? (entry.type === 'EXPIRED' ? 'SERVICE' : entry.via ? 'ACCESS_TOKEN' : 'CONSOLE'),
    ...(entry.via ? { sourceAccessToken: { accessTokenId: entry.via.id, name: entry.via.name } } : {}),
    ...(entry.address === null ? {} : { sourceIpAddress: entry.address }),
    ...(entry.userAgent === null ? {} : { userAgent: entry.userAgent }),
    ...(entry.detail === null ? {} : { detail: entry.detail }),
  };
}

/** The activity log's actor for a caller: its PAT by id and name, how it came, and its client. */
const actorOf = (caller: Caller): Actor => ({
  via: caller.token && { id: caller.token.id, name: caller.token.name },
  source: caller.token ? 'ACCESS_TOKEN' : caller.channel,
  ...caller.client,
});

/** What a caller holds: the console has everything its user has. */
const accessOf = (caller: Caller) => caller.token?.access ?? FULL_ACCESS;

/** A refusal for lack of a permission, in the AWS shape with RFC 6750's challenge. */
const insufficientScope = (message: string) =>
  new ServiceError('AccessDeniedException', message, 403, { 'www-authenticate': INSUFFICIENT_SCOPE_CHALLENGE });

const PERMISSION_WORDS: Record<AccessTokenPermission, string> = {
  READ_REPOSITORIES: 'read repositories',
  WRITE_REPOSITORIES: 'write repositories',
  MANAGE_ACCESS_TOKENS: 'manage PATs',
  READ_ACTIVITY: 'read the activity log',
};

/** A page of the live tokens (as the store gives them) in order after the cursor `after`; one more than asked tells whether another follows. */
function pageOf(tokens: readonly StoredToken[], limit: number, after: number | undefined) {
  const items: StoredToken[] = [];
  for (const token of tokens) {
    if (token.seq <= (after ?? 0)) continue;
    if (items.length === limit) return { items, next: items[items.length - 1]?.seq };
    items.push(token);
  }
  return { items, next: undefined };
}

/** A page of a list: read from the cursor `nextToken` stands for (one issued for `scope`, or a 400), then the next cursor. */
export async function answerPage<Stored, Item>(
  cursors: PageCursors,
  scope: string,
  nextToken: string | undefined,
  read: (cursor: number | undefined) => Promise<{ items: Stored[]; next: number | undefined }>,
  format: (stored: Stored) => Item,
): Promise<{ items: Item[]; nextToken?: string }> {
  const cursor = nextToken === undefined ? undefined : cursors.decode(scope, nextToken);
  if (nextToken !== undefined && cursor === undefined) throw validationError('nextToken is not valid.');
  const page = await read(cursor);
  const items = page.items.map(format);
  return page.next === undefined ? { items } : { items, nextToken: cursors.encode(scope, page.next) };
}

/** A token id from the path, as the model bounds it. */
function checkedId(id: string): string {
  if (id.length < 1 || id.length > ACCESS_TOKEN_ID_MAX_LENGTH) {
    throw validationError(`id must be 1 to ${ACCESS_TOKEN_ID_MAX_LENGTH} characters.`);
  }
  return id;
}

const disabledUser = () =>
  new ServiceError('AccessDeniedException', 'Your account is disabled: it cannot have PATs. Ask your administrators.', 403);

// Another user's token is as unknown as one that never was.
const notFound = (id: string) => new ServiceError('ResourceNotFoundException', `Access token ${id} was not found.`);

/** Nothing forbidden until admins say so. */
const OPEN_POLICY = { forbidFullAccess: false, forbidManageAccessTokens: false, forbidAccessTokenCreatedTokens: false };

/** Whether `access` is all there is: every permission, on every repository, from anywhere. */
const isFullAccess = (access: AccessTokenAccess) =>
  access.repositories === undefined && access.networks === undefined && FULL_ACCESS.permissions.every((permission) => access.permissions.includes(permission));

/** Which rule of the admins' policy a PAT of this access, made so, would break; undefined: none. */
function policyBreach(limits: GetAccessTokenLimitsResponse, access: AccessTokenAccess, madeWithPat: boolean): string | undefined {
  if (limits.forbidAccessTokenCreatedTokens && madeWithPat) return 'a PAT cannot create another. Create it in the console.';
  if (limits.forbidManageAccessTokens && access.permissions.includes('MANAGE_ACCESS_TOKENS')) return 'no PAT may manage PATs. Leave out that permission.';
  if (limits.forbidFullAccess && isFullAccess(access)) {
    return 'no PAT may have full access. Leave out a permission, or limit it to some repositories or networks.';
  }
  return undefined;
}

/** The admins' policy on what a PAT may be; a refusal says which rule, and what to do. */
function checkPolicy(limits: GetAccessTokenLimitsResponse, access: AccessTokenAccess, madeWithPat: boolean) {
  const breach = policyBreach(limits, access, madeWithPat);
  if (breach !== undefined) throw new ServiceError('AccessDeniedException', `Your administrators' policy: ${breach}`, 403);
}

/** Whether a PAT made before the policy changed would be refused by it today: by what it is, or by how long it lives. */
export const outsidePolicy = (limits: GetAccessTokenLimitsResponse, token: StoredToken) =>
  policyBreach(limits, token.access, token.createdWith !== null) !== undefined ||
  token.expiresAt > maxExpiry(new Date(token.createdAt), limits.maxTokenLifetimeYears).getTime();

/** What Create and Regenerate answer: the token, and its new secret, this once. */
const withSecret = (secret: string, token: StoredToken): CreateAccessTokenResponse => ({
  secret,
  name: token.name,
  expiresTime: new Date(token.expiresAt).toISOString(),
  accessTokenId: token.id,
});

/** A secret that stops working is kept by digest a while, to tell a later use of it for what it is. */
export async function retire(writes: TokenWrites, { token, digest }: RemovedToken, reason: RetiredReason, at: number) {
  await writes.retireSecret({ digest, userId: token.userId, token: { id: token.id, name: token.name }, reason, retiredAt: at });
}

/**
 * The token rules, once, for the server's routes and the msw mocks alike: the quota, retiring
 * secrets, what the activity log records and when, and each operation's answer. Operations throw
 * ServiceError for what the caller got wrong.
 */
export function createAccessTokenService(options: AccessTokenServiceOptions) {
  const { store, secrets, cursors } = options;
  /** The deployment's limits under the admins' policy, read from the store each time: a change made through any server holds at once. */
  const currentLimits = async (): Promise<GetAccessTokenLimitsResponse> => ({
    ...options.limits,
    ...OPEN_POLICY,
    ...(await store.readPolicy()),
    activityRetentionDays: options.limits.activityRetentionDays,
  });
  const notices = options.notices ?? createNoticeRules(undefined);
  const maxRememberedClients = options.maxRememberedClients ?? 10_000;
  const clock = options.clock ?? Date.now;
  /**
   * Uses from a token and client that this instance has already recorded. The store only ever adds
   * to those (a gone token's are dropped with it), so what is remembered stays true; it spares the
   * authentication path a write on every request.
   */
  const recordedClients = new LRUCache<string, true>({ max: maxRememberedClients });

  /** The first use of a token from a client is logged, at most the day's allowance of new clients per token. */
  async function recordUse(token: StoredToken, client: Client, now: number) {
    const key = `${token.id}\n${client.address}\n${client.userAgent ?? ''}`;
    if (recordedClients.has(key)) return;
    await store.transaction(async (writes) => {
      // The owner's lock: two servers seeing new clients at once still keep to the allowance.
      await writes.lockUser(token.userId);
      if ((await writes.countClientsSince(token.id, now - NEW_CLIENTS_LOGGED.windowMs)) >= NEW_CLIENTS_LOGGED.count) return;
      if (!(await writes.addClient(token.id, client, now))) return;
      const origin = { id: token.id, name: token.name };
      await writes.appendEvent({ userId: token.userId, time: now, type: 'USED_FROM_NEW_CLIENT', token: origin, actor: { ...client, via: origin, source: 'ACCESS_TOKEN' } });
    });
    recordedClients.set(key, true);
  }

  /**
   * A refused secret that belonged to a token that was deleted, expired or regenerated (and so is
   * still in use somewhere) is logged for its owner, once an hour per token and client address.
   */
  async function logRefusal(digest: string, client: Client, now: number) {
    const retired = await store.findRetiredSecret(digest, now);
    if (!retired) return;
    await store.transaction(async (writes) => {
      if (!(await writes.markRefusedUse(retired.token.id, client.address, now, now - RETIRED_SECRET_USE_QUIET_MS))) return;
      const type = RETIRED_SECRET_USE[retired.reason];
      await writes.appendEvent({ userId: retired.userId, time: now, type, token: retired.token, actor: { ...client, via: retired.token, source: 'ACCESS_TOKEN' } });
    });
  }

  /**
   * A use of a PAT refused for its scope is logged for its owner, once an hour per token, client
   * address and refusal, like the use of a retired secret.
   */
  async function logScopeRefusal(token: StoredToken, client: Client, type: AccessTokenEventType, detail: string | null) {
    const now = clock();
    const origin = { id: token.id, name: token.name };
    await store.transaction(async (writes) => {
      const key = `${type} ${detail ?? ''} ${client.address}`;
      if (!(await writes.markRefusedUse(token.id, key, now, now - RETIRED_SECRET_USE_QUIET_MS))) return;
      await writes.appendEvent({ userId: token.userId, time: now, type, token: origin, actor: { ...client, via: origin, source: 'ACCESS_TOKEN' }, detail });
    });
  }

  /** The caller's PAT must hold `permission`; a refusal is logged and answered 403 with the scope challenge. */
  async function authorize(caller: Caller, permission: AccessTokenPermission) {
    const { token } = caller;
    if (!token || token.access.permissions.includes(permission)) return;
    await logScopeRefusal(token, caller.client, 'REFUSED_PERMISSION', permission);
    throw insufficientScope(`This PAT may not ${PERMISSION_WORDS[permission]}: use a PAT with that permission.`);
  }

  /**
   * What a PAT-made change may give: no more access than the PAT has, and an expiry no later than
   * its own. A PAT can never widen anything, its own access included.
   */
  function checkWithin(caller: Caller, access: AccessTokenAccess, expiresAt: number) {
    const beyond = accessBeyond(access, accessOf(caller));
    if (beyond !== undefined) throw insufficientScope(`This PAT cannot give ${beyond}: a PAT gives at most its own access.`);
    if (caller.token && expiresAt > caller.token.expiresAt) {
      throw insufficientScope(`This PAT cannot give an expiry after its own (${new Date(caller.token.expiresAt).toISOString()}).`);
    }
  }

  /** Without an expiry, a PAT-made token gets the longest allowed, but no later than the PAT that makes it. */
  const expiryFor = (caller: Caller, expiresAt: Date, given: unknown) =>
    caller.token && typeof given !== 'string' ? Math.min(expiresAt.getTime(), caller.token.expiresAt) : expiresAt.getTime();

  return {
    limits: currentLimits,

    async createAccessToken(caller: Caller, body: unknown): Promise<CreateAccessTokenResponse> {
      const { user } = caller;
      const now = clock();
      const limits = await currentLimits();
      const input = validateCreateAccessToken(body, new Date(now), limits.maxTokenLifetimeYears);
      if (!input.ok) throw validationError(input.message);
      await authorize(caller, 'MANAGE_ACCESS_TOKENS');
      // Without a word on access, a token gets all its creator has: today's full access from the console.
      const access = input.value.access ?? accessOf(caller);
      const expiresAt = expiryFor(caller, input.value.expiresAt, (body as { expiresTime?: unknown }).expiresTime);
      checkWithin(caller, access, expiresAt);
      checkPolicy(limits, access, caller.token !== null);
      const wait = options.throttleCreates?.(user.id, now);
      if (wait !== undefined) throw throttled(wait, 'Too many personal access tokens created in the last minute.');
      const secret = secrets.generate();
      const digest = await secrets.digest(secret);
      const actor = actorOf(caller);
      // Made inside an expiry window already: its notice goes out with it.
      const schedule = notices.step(expiresAt, now);
      const token = await store.transaction(async (writes) => {
        // Creates for one user queue on the lock, whichever server took them: the count and the
        // insert see one state, and the quota holds exactly.
        await writes.lockUser(user.id);
        if ((await writes.userDisabledAt(user.id)) !== null) throw disabledUser();
        if ((await writes.countLiveTokens(user.id, now)) >= limits.maxLiveTokens) return undefined;
        const created = await writes.insertToken({
          userId: user.id,
          name: input.value.name,
          digest,
          expiresAt,
          createdAt: now,
          createdWith: actor.via,
          description: input.value.description ?? null,
          access,
          noticeAt: schedule.next,
        });
        await writes.appendEvent({ userId: user.id, time: now, type: 'CREATED', token: created, actor });
        await notices.queue(writes, 'CREATED', created, now, { actor });
        if (schedule.daysBefore !== undefined) await notices.queueExpiring(writes, created, schedule.daysBefore, now);
        return created;
      });
      if (!token) {
        throw new ServiceError(
          'ServiceQuotaExceededException',
          `You can have at most ${limits.maxLiveTokens} personal access tokens. Delete one to create another.`,
        );
      }
      return withSecret(secret, token);
    },

    async listAccessTokens(caller: Caller, body: unknown): Promise<ListAccessTokensResponse> {
      const { user } = caller;
      const input = validateListAccessTokens(body);
      if (!input.ok) throw validationError(input.message);
      await authorize(caller, 'MANAGE_ACCESS_TOKENS');
      const { maxResults, nextToken } = input.value;
      const now = clock();
      return answerPage(cursors, user.id, nextToken, async (after) => pageOf(await store.liveTokens(user.id, now), maxResults, after), toSummary);
    },

    /**
     * Our extension: the token keeps its id, name and history; its old secret is refused from the
     * next request on. Its access may narrow, never widen; through a PAT, it ends no wider and no
     * later than that PAT's.
     */
    async regenerateAccessToken(caller: Caller, id: string, body: unknown): Promise<CreateAccessTokenResponse> {
      const { user } = caller;
      checkedId(id);
      const now = clock();
      const limits = await currentLimits();
      const input = validateRegenerateAccessToken(body, new Date(now), limits.maxTokenLifetimeYears);
      if (!input.ok) throw validationError(input.message);
      await authorize(caller, 'MANAGE_ACCESS_TOKENS');
      const current = (await store.liveTokens(user.id, now)).find((token) => token.id === id);
      if (!current) throw notFound(id);
      const access = input.value.access ?? current.access;
      const wider = accessBeyond(access, current.access);
      if (wider !== undefined) throw insufficientScope(`Regenerate cannot widen a PAT's access: it would give ${wider}.`);
      const expiresAt = expiryFor(caller, input.value.expiresAt, (body as { expiresTime?: unknown } | undefined)?.expiresTime);
      checkWithin(caller, access, expiresAt);
      // What it made with a PAT stays so; the rules on what a PAT may be hold for what it becomes.
      checkPolicy(limits, access, false);
      const secret = secrets.generate();
      const digest = await secrets.digest(secret);
      const { description } = input.value;
      const schedule = notices.step(expiresAt, now);
      const token = await store.transaction(async (writes) => {
        if ((await writes.userDisabledAt(user.id)) !== null) throw disabledUser();
        const replaced = await writes.renewToken(user.id, id, now, {
          digest,
          expiresAt,
          noticeAt: schedule.next,
          // Absent, it stays; empty, it goes.
          ...(description === undefined ? {} : { description: description || null }),
          ...(input.value.access === undefined ? {} : { access }),
        });
        if (!replaced) return undefined;
        await retire(writes, replaced, 'regenerated', now);
        const actor = actorOf(caller);
        await writes.appendEvent({ userId: user.id, time: now, type: 'REGENERATED', token: replaced.token, actor });
        await notices.queue(writes, 'REGENERATED', replaced.token, now, { actor });
        if (schedule.daysBefore !== undefined) await notices.queueExpiring(writes, replaced.token, schedule.daysBefore, now);
        return replaced.token;
      });
      if (!token) throw notFound(id);
      return withSecret(secret, token);
    },

    async deleteAccessToken(caller: Caller, id: string): Promise<Record<string, never>> {
      const { user } = caller;
      checkedId(id);
      await authorize(caller, 'MANAGE_ACCESS_TOKENS');
      const now = clock();
      const deleted = await store.transaction(async (writes) => {
        const removed = await writes.deleteToken(user.id, id);
        if (!removed) return false;
        await retire(writes, removed, 'deleted', now);
        const actor = actorOf(caller);
        await writes.appendEvent({ userId: user.id, time: now, type: 'DELETED', token: removed.token, actor });
        await notices.queue(writes, 'DELETED', removed.token, now, { actor });
        return true;
      });
      if (!deleted) throw notFound(id);
      return {};
    },

    /**
     * Our extension, RevokeAccessTokens: whoever finds secrets exposed stops them, without signing
     * in. Each live one is deleted, its secret retired, and its owner's log names the reporting
     * client. The answer is the same whatever the secrets were, so it tells nothing about them.
     */
    async revokeAccessTokens(client: Client, body: unknown): Promise<RevokeAccessTokensResponse> {
      const now = clock();
      const wait = options.throttleReports?.(client.address, now);
      if (wait !== undefined) throw throttled(wait, 'Too many revocation requests from this address.');
      const input = validateRevokeAccessTokens(body);
      if (!input.ok) throw validationError(input.message);
      // The checksum turns away made-up strings before any digest or lookup.
      const candidates = [...new Set(input.value)].filter((secret) => secrets.isWellFormed(secret));
      if (candidates.length === 0) return {};
      const digests = await Promise.all(candidates.map((secret) => secrets.digest(secret)));
      const actor: Actor = { ...client, via: null, source: 'EXPOSURE_REPORT' };
      await store.transaction(async (writes) => {
        for (const removed of await writes.deleteLiveTokensByDigest(digests, now)) {
          await retire(writes, removed, 'revoked', now);
          await writes.appendEvent({ userId: removed.token.userId, time: now, type: 'REVOKED_AS_EXPOSED', token: removed.token, actor });
          await notices.queue(writes, 'REVOKED_AS_EXPOSED', removed.token, now, { actor });
        }
      });
      return {};
    },

    /** Our extension: the caller's activity log, newest first. */
    async listAccessTokenEvents(caller: Caller, body: unknown): Promise<ListAccessTokenEventsResponse> {
      const { user } = caller;
      const input = validateListAccessTokenEvents(body);
      if (!input.ok) throw validationError(input.message);
      await authorize(caller, 'READ_ACTIVITY');
      const { maxResults, nextToken } = input.value;
      // A cursor of the log, not of the token list: each is refused where the other is expected.
      return answerPage(cursors, `${user.id}/events`, nextToken, (before) => store.listActivity(user.id, maxResults, before), toEvent);
    },

    /** Our extension, ListRepositories: of the names given, those the caller may read. */
    async readableRepositories<Named extends { name: string }>(caller: Caller, repositories: Named[]): Promise<Named[]> {
      await authorize(caller, 'READ_REPOSITORIES');
      const access = accessOf(caller);
      return repositories.filter((repository) => opensRepository(access, repository.name));
    },

    /**
     * Whether a PAT opens its owner's repository `name` (undefined: a repository outside the owner's
     * namespace) to read, or to write. A refusal is logged for the owner.
     */
    async decideRepository(token: StoredToken, client: Client, name: string | undefined, write: boolean): Promise<RepositoryDecision> {
      const { access } = token;
      if (name === undefined ? access.repositories !== undefined : !opensRepository(access, name)) {
        await logScopeRefusal(token, client, 'REFUSED_REPOSITORY', name ?? null);
        return { ok: false, refused: 'repository', message: 'Repository not found.' };
      }
      const needed: AccessTokenPermission = write ? 'WRITE_REPOSITORIES' : 'READ_REPOSITORIES';
      if (access.permissions.includes(needed)) return { ok: true };
      await logScopeRefusal(token, client, 'REFUSED_PERMISSION', needed);
      return {
        ok: false,
        refused: 'permission',
        message: write
          ? 'This PAT can only read repositories: push with a PAT that may write them.'
          : 'This PAT may not read repositories: use a PAT that may.',
      };
    },

    /**
     * The owner of a presented secret, its use recorded: its first use from a client, and its last
     * use at most once a minute, so that heavy use does not become a stream of writes.
     */
    async verify(secret: string, client: Client): Promise<Verification> {
      const ignore = async () => undefined;
      if (!secrets.isWellFormed(secret)) return { ok: false, reason: 'malformed', logRefusal: ignore };
      const now = clock();
      const digest = await secrets.digest(secret);
      // Asked of the store every time: a delete made through another server counts at once.
      const found = await store.findByDigest(digest, now);
      if (!found) return { ok: false, reason: 'invalid', logRefusal: () => logRefusal(digest, client, now) };
      const { networks } = found.token.access;
      // From outside the PAT's networks it is refused as a wrong PAT would be, and its owner told.
      if (networks !== undefined && !withinNetworks(networks, client.address)) {
        return { ok: false, reason: 'invalid', logRefusal: () => logScopeRefusal(found.token, client, 'REFUSED_NETWORK', null) };
      }
      await recordUse(found.token, client, now);
      if (found.token.lastUsedAt === null || now - found.token.lastUsedAt >= LAST_USED_RESOLUTION_MS) {
        await store.touchLastUsed(found.token, now, LAST_USED_RESOLUTION_MS);
      }
      return { ok: true, user: found.user, token: found.token };
    },

    /** Expired tokens are gone: their secrets retired and their expiry logged. Every server may run it. */
    purgeExpired: (now: number): Promise<number> =>
      store.transaction(async (writes) => {
        const expired = await writes.deleteExpiredTokens(now);
        for (const removed of expired) {
          const { token } = removed;
          await retire(writes, removed, 'expired', token.expiresAt);
          await writes.appendEvent({ userId: token.userId, time: token.expiresAt, type: 'EXPIRED', token, actor: null });
          await notices.queue(writes, 'EXPIRED', token, now);
        }
        return expired.length;
      }),

    /** Forgets activity older than the retention period. */
    purgeActivity: (now: number): Promise<number> => store.purgeActivity(now - options.limits.activityRetentionDays * DAY_MS),
  };
}

export type AccessTokenService = ReturnType<typeof createAccessTokenService>;
