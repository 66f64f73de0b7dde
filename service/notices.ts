import {
  DEFAULT_EXPIRY_NOTICE_DAYS,
  EMAILED_NOTICE_KINDS,
  EMAIL_CONFIRMATION_HOURS,
  type NoticeChannel,
  type NoticeKind,
} from '../contract/access-tokens';
import type { NotificationSettings, UpdateNotificationSettingsRequest } from '../contract/schemas';
import { validateConfirmNotificationEmail, validateUpdateNotificationSettings } from '../contract/validation';
import { ServiceError, throttled, validationError } from './service-error';
import type { Actor, ClaimedNotice, NoticeFacts, NotificationProfile, StoredToken, TokenStore, TokenWrites, User } from './token-store';

const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60_000;

/**
 * How long after a failed attempt a notice is tried again, by attempt: about a day in all, then it
 * is given up and the owner's log says so.
 */
export const NOTICE_RETRY_DELAYS_MS = [1, 5, 15, 60, 3 * 60, 6 * 60, 12 * 60].map((minutes) => minutes * MINUTE_MS);
/** One confirmation mail a minute at most: a second request sooner is refused. */
const CONFIRMATION_RESEND_MS = MINUTE_MS;

/** What the deployment sends: by e-mail (it has a mail server), to a webhook (one is set), and how many days ahead. */
export interface NoticeOptions {
  email: boolean;
  webhook: boolean;
  expiryDays?: readonly number[];
}

/** Who asks about notification settings: the user by their own standing, or a PAT's bearer (refused). */
export interface SettingsCaller {
  user: User;
  token: StoredToken | null;
}

/**
 * When a PAT's owner is told it expires, and what is queued for each change: the rules of notices,
 * for the token service (which queues them in its own transactions) and the server's sender alike.
 */
export function createNoticeRules(options: NoticeOptions | undefined) {
  // Widest first: 30, 7, 1.
  const days = [...(options?.expiryDays ?? DEFAULT_EXPIRY_NOTICE_DAYS)].sort((a, b) => b - a);

  function channelsFor(kind: NoticeKind): NoticeChannel[] {
    return [
      ...(options?.webhook ? (['WEBHOOK'] as const) : []),
      ...(options?.email && EMAILED_NOTICE_KINDS.includes(kind) ? (['EMAIL'] as const) : []),
    ];
  }

  /**
   * Where a token expiring at `expiresAt` stands at `now`: the narrowest window begun (the one to
   * tell of; a token made 3 days before expiry gets the 7-day notice, not the 30-day one too), and
   * when the next window begins (null: no more).
   */
  function step(expiresAt: number, now: number): { daysBefore: number | undefined; next: number | null } {
    const begun = days.filter((window) => expiresAt - window * DAY_MS <= now);
    const upcoming = days.filter((window) => expiresAt - window * DAY_MS > now);
    return {
      daysBefore: begun.length > 0 ? Math.min(...begun) : undefined,
      next: upcoming.length > 0 ? expiresAt - Math.max(...upcoming) * DAY_MS : null,
    };
  }

  /** Queues a notice of `kind` about `token` on each channel that carries it; a key queues it once. */
  async function queue(writes: TokenWrites, kind: NoticeKind, token: StoredToken, now: number, extra: { actor?: Actor; daysBefore?: number; key?: string } = {}) {
    const facts: NoticeFacts = {
      expiresAt: token.expiresAt,
      lastUsedAt: token.lastUsedAt,
      ...(extra.daysBefore === undefined ? {} : { daysBefore: extra.daysBefore }),
      ...(extra.actor ? { actor: { address: extra.actor.address, userAgent: extra.actor.userAgent, source: extra.actor.source } } : {}),
    };
    for (const channel of channelsFor(kind)) {
      await writes.enqueueNotice({
        userId: token.userId,
        kind,
        channel,
        token: { id: token.id, name: token.name },
        facts,
        dueAt: now,
        key: extra.key === undefined ? null : `${extra.key}:${channel}`,
      });
    }
  }

  /** The expiry notice of a window begun, once per token, expiry and window, however many servers look. */
  const queueExpiring = (writes: TokenWrites, token: StoredToken, daysBefore: number, now: number) =>
    queue(writes, 'EXPIRING', token, now, { daysBefore, key: `EXPIRING:${token.id}:${token.expiresAt}:${daysBefore}` });

  return { days, step, queue, queueExpiring };
}

export type NoticeRules = ReturnType<typeof createNoticeRules>;

export interface NotificationServiceOptions {
  store: TokenStore;
  notices: NoticeOptions | undefined;
  /** Signs what a confirmation link stands for (an HMAC with the deployment's key on the server). */
  sign: (text: string) => string | Promise<string>;
  clock?: () => number;
}

/** The address a user's notices go to now, and how it came to be. */
export function addressOf(profile: NotificationProfile): { email: string | null; state: NotificationSettings['emailState'] } {
  const email = profile.email ?? profile.proxyEmail;
  if (profile.pendingEmail !== null) return { email, state: 'WAITING' };
  if (profile.email !== null) return { email, state: 'CONFIRMED' };
  return { email, state: profile.proxyEmail === null ? 'NONE' : 'FROM_PROXY' };
}

const consoleOnly = () =>
  new ServiceError('AccessDeniedException', 'Notification settings are changed in the console, not with a PAT.', 403);

/**
 * Where a user's notices go (the proxy's address, or one set and confirmed in the console), the
 * expiry schedule across servers, and how a delivery attempt ends: the rules, for the routes, the
 * mocks and the server's sender.
 */
export function createNotificationService(options: NotificationServiceOptions) {
  const { store } = options;
  const clock = options.clock ?? Date.now;
  const rules = createNoticeRules(options.notices);
  const emailAvailable = options.notices?.email ?? false;

  const confirmationText = (userId: string, address: string, since: number) => `confirm-email\n${userId}\n${address}\n${since}`;

  function settingsOf(profile: NotificationProfile): NotificationSettings {
    const { email, state } = addressOf(profile);
    return {
      ...(email === null ? {} : { email }),
      emailState: state,
      ...(profile.pendingEmail === null ? {} : { pendingEmail: profile.pendingEmail }),
      expiryEmails: profile.expiryEmails,
      expiryNoticeDays: rules.days,
      emailAvailable,
    };
  }

  async function changeEmail(writes: TokenWrites, user: User, profile: NotificationProfile, email: string, now: number) {
    if (email === '' || email === profile.proxyEmail) {
      // Back to the proxy's address: nothing to confirm.
      await writes.updateNotificationProfile(user.id, { email: null, pendingEmail: null, pendingSince: null });
      return;
    }
    if (email === profile.email) {
      await writes.updateNotificationProfile(user.id, { pendingEmail: null, pendingSince: null });
      return;
    }
    if (!emailAvailable) throw validationError('This server sends no e-mail: an address cannot be confirmed.');
    if (email === profile.pendingEmail && profile.pendingSince !== null && now - profile.pendingSince < CONFIRMATION_RESEND_MS) {
      throw throttled(Math.ceil((profile.pendingSince + CONFIRMATION_RESEND_MS - now) / 1000), 'The confirmation link was just sent: wait a minute before asking again.');
    }
    await writes.updateNotificationProfile(user.id, { pendingEmail: email, pendingSince: now });
    await writes.enqueueNotice({
      userId: user.id,
      kind: 'CONFIRM_EMAIL',
      channel: 'EMAIL',
      token: null,
      facts: { confirmEmail: { address: email, since: now } },
      dueAt: now,
      key: null,
    });
  }

  return {
    rules,

    async getNotificationSettings(caller: SettingsCaller): Promise<NotificationSettings> {
      if (caller.token) throw consoleOnly();
      return settingsOf(await store.notificationProfile(caller.user.id));
    },

    /** A new address waits for its link to be followed; notices keep going to the current one meanwhile. */
    async updateNotificationSettings(caller: SettingsCaller, body: unknown): Promise<NotificationSettings> {
      if (caller.token) throw consoleOnly();
      const input = validateUpdateNotificationSettings(body);
      if (!input.ok) throw validationError(input.message);
      const { email, expiryEmails }: UpdateNotificationSettingsRequest = input.value;
      const now = clock();
      const { user } = caller;
      await store.transaction(async (writes) => {
        await writes.lockUser(user.id);
        const profile = await writes.notificationProfile(user.id);
        if (email !== undefined) await changeEmail(writes, user, profile, email, now);
        if (expiryEmails !== undefined) await writes.updateNotificationProfile(user.id, { expiryEmails });
      });
      return settingsOf(await store.notificationProfile(user.id));
    },

    /** The link mailed to a new address, followed by its user within the day: notices go there from now on. */
    async confirmNotificationEmail(caller: SettingsCaller, body: unknown): Promise<NotificationSettings> {
      if (caller.token) throw consoleOnly();
      const input = validateConfirmNotificationEmail(body);
      if (!input.ok) throw validationError(input.message);
      const now = clock();
      const { user } = caller;
      const invalid = () => validationError('This confirmation link is not valid or has expired: set the address again for a new one.');
      await store.transaction(async (writes) => {
        await writes.lockUser(user.id);
        const { pendingEmail, pendingSince } = await writes.notificationProfile(user.id);
        if (pendingEmail === null || pendingSince === null || now - pendingSince > EMAIL_CONFIRMATION_HOURS * 60 * MINUTE_MS) throw invalid();
        if ((await options.sign(confirmationText(user.id, pendingEmail, pendingSince))) !== input.value) throw invalid();
        await writes.updateNotificationProfile(user.id, { email: pendingEmail, pendingEmail: null, pendingSince: null });
      });
      return settingsOf(await store.notificationProfile(user.id));
    },

    /** The token of the link that confirms `address`, set at `since`: made again when the mail is sent, never kept. */
    confirmationToken: (userId: string, address: string, since: number) => options.sign(confirmationText(userId, address, since)),

    /**
     * Queues the expiry notices that came due, on whichever server runs it: each token is taken by
     * one server, and a notice's key keeps it to one even so. Answers how many tokens it looked at.
     */
    async scheduleExpiryNotices(now: number, batch = 500): Promise<number> {
      let looked = 0;
      for (;;) {
        const taken = await store.transaction(async (writes) => {
          const due = await writes.takeTokensDueForNotice(now, batch);
          for (const { token } of due) {
            const { daysBefore, next } = rules.step(token.expiresAt, now);
            if (daysBefore !== undefined) await rules.queueExpiring(writes, token, daysBefore, now);
            await writes.setNextNoticeAt(token.id, next);
          }
          return due.length;
        });
        looked += taken;
        if (taken < batch) return looked;
      }
    },

    /** A delivered notice, or one not sent (no address, e-mail off): finished, and a delivery logged for its owner. */
    async noticeFinished(notice: ClaimedNotice, state: 'SENT' | 'SKIPPED') {
      const now = clock();
      await store.transaction(async (writes) => {
        await writes.finishNotice(notice.seq, { state, at: now });
        if (state === 'SENT' && notice.token) {
          await writes.appendEvent({ userId: notice.userId, time: now, type: 'NOTICE_SENT', token: notice.token, actor: null, detail: `${notice.channel}:${notice.kind}` });
        }
      });
    },

    /** A failed attempt: tried again later, or after the last one given up, and the owner told in the log. */
    async noticeFailed(notice: ClaimedNotice, error: string) {
      const now = clock();
      const delay = NOTICE_RETRY_DELAYS_MS[notice.attempts - 1];
      await store.transaction(async (writes) => {
        if (delay !== undefined) {
          await writes.postponeNotice(notice.seq, now + delay, error);
          return;
        }
        await writes.finishNotice(notice.seq, { state: 'GAVE_UP', at: now, error });
        if (notice.token) {
          await writes.appendEvent({ userId: notice.userId, time: now, type: 'NOTICE_FAILED', token: notice.token, actor: null, detail: `${notice.channel}:${notice.kind}` });
        }
      });
    },
  };
}

export type NotificationService = ReturnType<typeof createNotificationService>;
