import type { AccessTokenPolicy } from '../contract/schemas';
import type {
  ActivityEntry,
  AdminEntry,
  ClaimedNotice,
  Client,
  NotificationProfile,
  NewEvent,
  NewToken,
  RemovedToken,
  RetiredSecret,
  StoredToken,
  TokenStore,
  TokenWrites,
  User,
} from './token-store';

interface Kept {
  token: StoredToken;
  digest: string;
  noticeAt: number | null;
}

/** A notice in the outbox, and where it stands. */
interface QueuedNotice extends ClaimedNotice {
  state: 'PENDING' | 'SENT' | 'SKIPPED' | 'GAVE_UP';
  nextAttemptAt: number;
  leaseUntil: number | null;
  finishedAt: number | null;
}

/**
 * The store in memory: the msw mocks' engine, and the quickest one for the service's own tests. It
 * runs in the browser. Its transactions take turns and are not rolled back: the service throws
 * nothing between the writes of one transaction.
 */
export function createMemoryTokenStore({ users: initialUsers = [] }: { users?: readonly User[] } = {}) {
  const users = new Map<string, User>();
  // Token objects are never changed in place: a new one replaces the old, as a fresh read would.
  let tokens: Kept[] = [];
  let tokenSeq = 0;
  /** Every user's log, oldest first. */
  let events: Array<{ userId: string; entry: ActivityEntry }> = [];
  let eventSeq = 0;
  const retired = new Map<string, RetiredSecret>();
  /** Per token, when each client was first seen. */
  const clients = new Map<string, Map<string, number>>();
  const refusedUses = new Map<string, number>();
  const profiles = new Map<string, Omit<NotificationProfile, 'userName'>>();
  let notices: QueuedNotice[] = [];
  let noticeSeq = 0;
  const disabled = new Map<string, number>();
  let policy: Partial<AccessTokenPolicy> | undefined;
  let adminEntries: AdminEntry[] = [];
  let turn: Promise<unknown> = Promise.resolve();

  function reset() {
    users.clear();
    for (const user of initialUsers) users.set(user.userName, user);
    tokens = [];
    tokenSeq = 0;
    events = [];
    eventSeq = 0;
    retired.clear();
    clients.clear();
    refusedUses.clear();
    profiles.clear();
    notices = [];
    noticeSeq = 0;
    disabled.clear();
    policy = undefined;
    adminEntries = [];
  }
  reset();

  const userById = (userId: string) => [...users.values()].find((user) => user.id === userId);

  const profileOf = (userId: string): NotificationProfile => ({
    userName: [...users.values()].find((user) => user.id === userId)?.userName ?? '',
    ...(profiles.get(userId) ?? { proxyEmail: null, email: null, pendingEmail: null, pendingSince: null, expiryEmails: true }),
  });

  const replace = (kept: Kept, token: StoredToken, digest = kept.digest, noticeAt = kept.noticeAt) => {
    tokens = tokens.map((candidate) => (candidate === kept ? { token, digest, noticeAt } : candidate));
  };

  /** Stores a token as it is given: what a test seeds, and what an insert makes. */
  function seedToken({ digest, lastUsedAt = null, noticeAt = null, ...token }: Omit<NewToken, 'noticeAt'> & { lastUsedAt?: number | null; noticeAt?: number | null }): StoredToken {
    tokenSeq += 1;
    const stored: StoredToken = { ...token, id: `00000000-0000-4000-8000-${String(tokenSeq).padStart(12, '0')}`, seq: tokenSeq, lastUsedAt };
    tokens.push({ token: stored, digest, noticeAt });
    return stored;
  }

  /** Appends an entry to a log as it is given: what a test seeds, and what appendEvent writes. */
  function seedEvent({ userId, time, type, token, actor, detail }: NewEvent) {
    eventSeq += 1;
    const entry: ActivityEntry = {
      seq: eventSeq,
      time,
      type,
      token: { id: token.id, name: token.name },
      via: actor?.via ? { id: actor.via.id, name: actor.via.name } : null,
      address: actor?.address ?? null,
      userAgent: actor?.userAgent ?? null,
      detail: detail ?? null,
      source: actor?.source ?? 'SERVICE',
    };
    events.push({ userId, entry });
  }

  const remove = (kept: Kept): RemovedToken => {
    tokens = tokens.filter((candidate) => candidate !== kept);
    return { token: kept.token, digest: kept.digest };
  };

  /** A user's live tokens, at once: the store's read, and what a test looks at. */
  const liveTokensOf = (userId: string, now: number) =>
    tokens.filter(({ token }) => token.userId === userId && token.expiresAt > now).map(({ token }) => token);

  const writes: TokenWrites = {
    lockUser: async () => undefined,
    countLiveTokens: async (userId, now) => tokens.filter(({ token }) => token.userId === userId && token.expiresAt > now).length,
    insertToken: async (token) => seedToken(token),
    async deleteToken(userId, id) {
      const kept = tokens.find(({ token }) => token.id === id && token.userId === userId);
      return kept && remove(kept);
    },
    async renewToken(userId, id, now, { digest, expiresAt, description, access, noticeAt }) {
      const kept = tokens.find(({ token }) => token.id === id && token.userId === userId && token.expiresAt > now);
      if (!kept) return undefined;
      const token = { ...kept.token, expiresAt, ...(description === undefined ? {} : { description }), ...(access === undefined ? {} : { access }) };
      replace(kept, token, digest, noticeAt);
      return { token, digest: kept.digest };
    },
    async deleteLiveTokensByDigest(digests, now) {
      const wanted = new Set(digests);
      return tokens.filter(({ digest, token }) => wanted.has(digest) && token.expiresAt > now).map(remove);
    },
    deleteTokensById: async (ids) => tokens.filter(({ token }) => ids.includes(token.id)).map(remove),
    deleteTokensOfUser: async (userId) => tokens.filter(({ token }) => token.userId === userId).map(remove),
    userDisabledAt: async (userId) => disabled.get(userId) ?? null,
    async setUserDisabled(userId, at) {
      if (at === null) disabled.delete(userId);
      else disabled.set(userId, at);
    },
    async writePolicy(next) {
      policy = { ...next };
    },
    async appendAdminEntry(entry) {
      adminEntries.push({ ...entry, seq: adminEntries.length + 1 });
    },
    deleteExpiredTokens: async (now) => tokens.filter(({ token }) => token.expiresAt <= now).map(remove),
    async retireSecret(secret) {
      if (!retired.has(secret.digest)) retired.set(secret.digest, secret);
    },
    appendEvent: async (event) => seedEvent(event),
    countClientsSince: async (tokenId, since) => [...(clients.get(tokenId)?.values() ?? [])].filter((seen) => seen > since).length,
    async addClient(tokenId, client: Client, now) {
      const seen = clients.get(tokenId) ?? new Map<string, number>();
      clients.set(tokenId, seen);
      const key = `${client.address}\n${client.userAgent ?? ''}`;
      if (seen.has(key)) return false;
      seen.set(key, now);
      return true;
    },
    async markRefusedUse(tokenId, key, now, quietSince) {
      const mark = `${tokenId}\n${key}`;
      const logged = refusedUses.get(mark);
      if (logged !== undefined && logged > quietSince) return false;
      refusedUses.set(mark, now);
      return true;
    },
    async takeTokensDueForNotice(now, limit) {
      return tokens
        .filter(({ token, noticeAt }) => noticeAt !== null && noticeAt <= now && token.expiresAt > now)
        .slice(0, limit)
        .map(({ token, noticeAt }) => ({ token, userName: profileOf(token.userId).userName, noticeAt: noticeAt ?? now }));
    },
    async setNextNoticeAt(tokenId, at) {
      const kept = tokens.find(({ token }) => token.id === tokenId);
      if (kept) replace(kept, kept.token, kept.digest, at);
    },
    async enqueueNotice(notice) {
      if (notice.key !== null && notices.some((queued) => queued.key === notice.key)) return;
      noticeSeq += 1;
      notices.push({
        ...notice,
        seq: noticeSeq,
        deliveryId: crypto.randomUUID(),
        attempts: 0,
        state: 'PENDING',
        nextAttemptAt: notice.dueAt,
        leaseUntil: null,
        finishedAt: null,
      });
    },
    async finishNotice(seq, outcome) {
      notices = notices.map((notice) => (notice.seq === seq ? { ...notice, state: outcome.state, finishedAt: outcome.at, leaseUntil: null } : notice));
    },
    async postponeNotice(seq, at) {
      notices = notices.map((notice) => (notice.seq === seq ? { ...notice, nextAttemptAt: at, leaseUntil: null } : notice));
    },
    notificationProfile: async (userId) => profileOf(userId),
    async updateNotificationProfile(userId, change) {
      const { userName: _userName, ...current } = profileOf(userId);
      profiles.set(userId, { ...current, ...change });
    },
  };

  const store: TokenStore = {
    async userByName(userName) {
      let user = users.get(userName);
      if (!user) users.set(userName, (user = { id: crypto.randomUUID(), userName }));
      return user;
    },
    transaction<T>(work: (writes: TokenWrites) => Promise<T>): Promise<T> {
      const result = turn.then(() => work(writes));
      turn = result.catch(() => undefined);
      return result;
    },
    liveTokens: async (userId, now) => liveTokensOf(userId, now),
    async findByDigest(digest, now) {
      const kept = tokens.find((candidate) => candidate.digest === digest && candidate.token.expiresAt > now);
      const user = kept && [...users.values()].find((candidate) => candidate.id === kept.token.userId);
      return kept && user && { token: kept.token, user };
    },
    async findRetiredSecret(digest, now) {
      const found = retired.get(digest);
      if (found) return found;
      const expired = tokens.find((candidate) => candidate.digest === digest && candidate.token.expiresAt <= now);
      return (
        expired && {
          digest,
          userId: expired.token.userId,
          token: { id: expired.token.id, name: expired.token.name },
          reason: 'expired',
          retiredAt: expired.token.expiresAt,
        }
      );
    },
    async touchLastUsed(token, now, resolutionMs) {
      const kept = tokens.find((candidate) => candidate.token.id === token.id);
      if (!kept || (kept.token.lastUsedAt !== null && kept.token.lastUsedAt > now - resolutionMs)) return;
      replace(kept, { ...kept.token, lastUsedAt: now });
    },
    async listActivity(userId, limit, before) {
      const rows = events
        .filter((event) => event.userId === userId && event.entry.seq < (before ?? Number.MAX_SAFE_INTEGER))
        .map((event) => event.entry)
        .reverse()
        .slice(0, limit + 1);
      const items = rows.slice(0, limit);
      return { items, next: rows.length > limit ? items[items.length - 1]?.seq : undefined };
    },
    findUser: async (userName) => users.get(userName),
    readPolicy: async () => policy,
    async listTokensForAdmin({ ownerId, text, descending, orderBy, after, limit, now }) {
      const needle = text?.toLowerCase();
      const key = ({ token }: Kept) => [orderBy === 'expiresAt' ? token.expiresAt : 0, token.seq] as const;
      const compare = (a: readonly [number, number], b: readonly [number, number]) => a[0] - b[0] || a[1] - b[1];
      const ordered = [...tokens].sort((a, b) => (descending ? -1 : 1) * compare(key(a), key(b)));
      const cursor = after && ([orderBy === 'expiresAt' ? (after.expiresAt ?? 0) : 0, after.seq] as const);
      const items = ordered
        .filter(({ token }) => token.expiresAt > now && (ownerId === undefined || token.userId === ownerId))
        .filter((kept) => cursor === undefined || (descending ? -1 : 1) * compare(key(kept), cursor) > 0)
        .map(({ token }) => ({ token, ownerName: userById(token.userId)?.userName ?? '' }))
        .filter(({ token, ownerName }) => needle === undefined || token.name.toLowerCase().includes(needle) || ownerName.toLowerCase().includes(needle))
        .slice(0, limit + 1);
      const page = items.slice(0, limit);
      return { items: page, next: items.length > limit ? page[page.length - 1] : undefined };
    },
    async listAdminEntries(limit, before) {
      const rows = [...adminEntries].reverse().filter((entry) => entry.seq < (before ?? Number.MAX_SAFE_INTEGER)).slice(0, limit + 1);
      const items = rows.slice(0, limit);
      return { items, next: rows.length > limit ? items[items.length - 1]?.seq : undefined };
    },
    async rememberProxyEmail(userId, email) {
      const { userName: _userName, ...current } = profileOf(userId);
      profiles.set(userId, { ...current, proxyEmail: email });
    },
    notificationProfile: async (userId) => profileOf(userId),
    async claimNotices(now, limit, leaseMs) {
      const due = notices
        .filter((notice) => notice.state === 'PENDING' && notice.nextAttemptAt <= now && (notice.leaseUntil === null || notice.leaseUntil <= now))
        .slice(0, limit);
      for (const notice of due) {
        notice.attempts += 1;
        notice.leaseUntil = now + leaseMs;
      }
      return due.map(({ state: _state, nextAttemptAt: _next, leaseUntil: _lease, finishedAt: _finished, ...claimed }) => ({ ...claimed }));
    },
    async purgeActivity(before) {
      adminEntries = adminEntries.filter((entry) => entry.time >= before);
      notices = notices.filter((notice) => notice.finishedAt === null || notice.finishedAt >= before);
      const kept = events.filter(({ entry }) => entry.time >= before);
      const purged = events.length - kept.length;
      events = kept;
      for (const [digest, secret] of retired) if (secret.retiredAt < before) retired.delete(digest);
      for (const [key, loggedAt] of refusedUses) if (loggedAt < before) refusedUses.delete(key);
      for (const tokenId of clients.keys()) if (!tokens.some(({ token }) => token.id === tokenId)) clients.delete(tokenId);
      return purged;
    },
    signingKey: async () => crypto.getRandomValues(new Uint8Array(32)),
    ping: async () => true,
    close: async () => undefined,
  };

  return { store, reset, seedToken, seedEvent, liveTokensOf };
}

export type MemoryTokenStore = ReturnType<typeof createMemoryTokenStore>;
