import { createHmac } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { createTransport } from 'nodemailer';
import type { NoticeChannel } from '../../contract/access-tokens';
import { addressOf, type NotificationService } from '../../service/notices';
import type { ClaimedNotice, NotificationProfile, TokenStore } from '../../service/token-store';
import type { ServerConfig } from '../config';
import { emailContent, webhookBody } from './notice-messages';

/** Sends one notice on its channel: SENT, or SKIPPED when there is nobody to send it to; throws when it failed. */
type Deliver = (notice: ClaimedNotice, profile: NotificationProfile, now: number) => Promise<'SENT' | 'SKIPPED'>;

/** GitHub's scheme: `sha256=` and the hex HMAC-SHA256 of the raw body with the shared secret. */
export const webhookSignature = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

export const WEBHOOK_HEADERS = {
  event: 'x-pat-console-event',
  delivery: 'x-pat-console-delivery',
  timestamp: 'x-pat-console-timestamp',
  signature: 'x-pat-console-signature-256',
} as const;

/** A JSON POST, signed; any 2xx is delivered. The delivery id stays the same on every attempt of one notice. */
function webhookChannel({ url, secret }: { url: string; secret: string }, publicUrl: string, timeoutMs: number): Deliver {
  return async (notice, profile, now) => {
    const payload = webhookBody(notice, profile, publicUrl, now);
    const body = JSON.stringify(payload);
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'pat-console-webhook/1',
        [WEBHOOK_HEADERS.event]: payload.event,
        [WEBHOOK_HEADERS.delivery]: notice.deliveryId,
        [WEBHOOK_HEADERS.timestamp]: String(Math.floor(now / 1000)),
        [WEBHOOK_HEADERS.signature]: webhookSignature(secret, body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Read to the end, so the connection can be used again.
    await response.arrayBuffer().catch(() => undefined);
    if (response.status < 200 || response.status > 299) throw new Error(`the webhook answered ${response.status}`);
    return 'SENT';
  };
}

/**
 * Through the deployment's SMTP server, with nodemailer (STARTTLS and authentication as its URL
 * says). The Message-ID is the notice's delivery id: the rare second copy (a server killed between
 * the mail server's acceptance and the outbox's record of it) is the same message to mail clients.
 */
function emailChannel(
  { url, from }: { url: string; from: string },
  publicUrl: string,
  timeoutMs: number,
  confirmationToken: NotificationService['confirmationToken'],
): { deliver: Deliver; close(): void } {
  const transport = createTransport({ url, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs });
  const domain = new URL(publicUrl).hostname;
  const deliver: Deliver = async (notice, profile, now) => {
    let to: string | null;
    let token: string | undefined;
    if (notice.kind === 'CONFIRM_EMAIL') {
      const asked = notice.facts.confirmEmail;
      // Superseded by a newer address, or already confirmed: this link would not work.
      if (!asked || profile.pendingEmail !== asked.address || profile.pendingSince !== asked.since) return 'SKIPPED';
      to = asked.address;
      token = await confirmationToken(notice.userId, asked.address, asked.since);
    } else {
      // A revocation is a security notice: it goes even with expiry e-mail switched off.
      if (notice.kind !== 'REVOKED_AS_EXPOSED' && !profile.expiryEmails) return 'SKIPPED';
      to = addressOf(profile).email;
    }
    if (to === null) return 'SKIPPED';
    const content = emailContent(notice, profile, publicUrl, now, token);
    await transport.sendMail({
      from,
      to,
      subject: content.subject,
      text: content.text,
      html: content.html,
      messageId: `<${notice.deliveryId}@${domain}>`,
      headers: { 'Auto-Submitted': 'auto-generated', [WEBHOOK_HEADERS.event]: `pat.${notice.kind.toLowerCase()}` },
    });
    return 'SENT';
  };
  return { deliver, close: () => transport.close() };
}

const POLL_MS = 5_000;
const BATCH = 20;

export interface NoticeSenderOptions {
  store: TokenStore;
  notifications: NotificationService;
  config: ServerConfig['notices'];
  log: FastifyBaseLogger;
  clock?: () => number;
}

/**
 * Sends what the outbox holds, on every server: each claims a few due notices at a time for a lease
 * (four attempts' time), sends them, and records the outcome through the service (delivered, tried
 * again later, given up). A server that dies mid-send leaves its claim to lapse and another sends
 * the notice: at least once, never lost.
 */
export class NoticeSender {
  private readonly channels: Partial<Record<NoticeChannel, Deliver>>;
  private readonly closeMail: () => void;
  private readonly clock: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;

  constructor(private readonly options: NoticeSenderOptions) {
    const { config, notifications } = options;
    const mail = config.smtp && emailChannel(config.smtp, config.publicUrl, config.attemptTimeoutMs, notifications.confirmationToken);
    this.channels = {
      ...(mail ? { EMAIL: mail.deliver } : {}),
      ...(config.webhook ? { WEBHOOK: webhookChannel(config.webhook, config.publicUrl, config.attemptTimeoutMs) } : {}),
    };
    this.closeMail = () => mail?.close();
    this.clock = options.clock ?? Date.now;
  }

  /** Looks for due notices now and every few seconds; with no channel, nothing is ever queued, and it never looks. */
  start() {
    if (Object.keys(this.channels).length === 0) {
      this.closed = true;
      return;
    }
    this.wake();
    this.timer = setInterval(() => this.wake(), POLL_MS);
    this.timer.unref();
  }

  /** Looks now (a change just queued a notice); a look under way looks once more when it ends. */
  wake() {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.sendDue()
      .catch((error: unknown) => this.options.log.warn({ err: error }, 'could not send notices'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Sends every notice due now, a batch at a time. */
  async sendDue(): Promise<void> {
    const leaseMs = 4 * this.options.config.attemptTimeoutMs;
    for (;;) {
      const claimed = await this.options.store.claimNotices(this.clock(), BATCH, leaseMs);
      await Promise.all(claimed.map((notice) => this.send(notice)));
      if (claimed.length < BATCH || this.closed) return;
    }
  }

  private async send(notice: ClaimedNotice) {
    const { notifications, store, log } = this.options;
    const deliver = this.channels[notice.channel];
    if (!deliver) {
      // Queued while the channel was set, and it is no longer: nothing to send it with.
      await notifications.noticeFinished(notice, 'SKIPPED');
      return;
    }
    try {
      const profile = await store.notificationProfile(notice.userId);
      const outcome = await deliver(notice, profile, this.clock());
      await notifications.noticeFinished(notice, outcome);
      if (outcome === 'SENT') log.info({ notice: notice.deliveryId, channel: notice.channel, kind: notice.kind }, 'notice sent');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log.warn({ notice: notice.deliveryId, channel: notice.channel, kind: notice.kind, attempt: notice.attempts, error: message }, 'notice not sent');
      await notifications.noticeFailed(notice, message);
    }
  }

  /** Stops looking, and lets the sends under way finish. */
  async close() {
    this.closed = true;
    clearInterval(this.timer);
    await this.running;
    this.closeMail();
  }
}
