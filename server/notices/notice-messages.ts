import { CONSOLE_PAGES, type NoticeKind } from '../../contract/access-tokens';
import type { ClaimedNotice, NotificationProfile } from '../../service/token-store';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'full', timeStyle: 'short', timeZone: 'UTC' });
const at = (time: number) => `${when.format(new Date(time))} UTC`;

/** "in 6 days", "in 5 hours": the time left, rounded up, as a person reads it. */
export function timeLeft(expiresAt: number, now: number): string {
  const left = Math.max(0, expiresAt - now);
  if (left >= DAY_MS) {
    const days = Math.ceil(left / DAY_MS);
    return `in ${days} day${days === 1 ? '' : 's'}`;
  }
  const hours = Math.max(1, Math.ceil(left / HOUR_MS));
  return `in ${hours} hour${hours === 1 ? '' : 's'}`;
}

/** The links a notice carries, on the console's public address. */
export function linksOf(publicUrl: string, notice: ClaimedNotice) {
  const live = notice.token !== null && (['EXPIRING', 'CREATED', 'REGENERATED'] as NoticeKind[]).includes(notice.kind as NoticeKind);
  return {
    regenerate: live && notice.token ? `${publicUrl}${CONSOLE_PAGES.regenerateToken(notice.token.id)}` : undefined,
    settings: `${publicUrl}${CONSOLE_PAGES.notifications}`,
    createToken: `${publicUrl}${CONSOLE_PAGES.createToken}`,
  };
}

/** The one line that says what happened: a webhook's `text` (what a Slack or Teams relay shows), an e-mail's subject. */
export function summaryOf(notice: ClaimedNotice, profile: Pick<NotificationProfile, 'userName'>, now: number): string {
  const name = `"${notice.token?.name ?? ''}"`;
  const owner = profile.userName;
  const expiresAt = notice.facts.expiresAt ?? now;
  switch (notice.kind) {
    case 'EXPIRING':
      return `${owner}'s PAT ${name} expires ${timeLeft(expiresAt, now)}`;
    case 'EXPIRED':
      return `${owner}'s PAT ${name} has expired`;
    case 'CREATED':
      return `${owner} created the PAT ${name}`;
    case 'DELETED':
      return `${owner}'s PAT ${name} was deleted`;
    case 'REGENERATED':
      return `${owner}'s PAT ${name} was regenerated`;
    case 'REVOKED_AS_EXPOSED':
      return `${owner}'s PAT ${name} was revoked: it was reported as exposed`;
    case 'CONFIRM_EMAIL':
      return 'Confirm your address for pat-console notices';
  }
}

/** A webhook delivery's body: what happened, to which PAT, and its one-line summary. */
export function webhookBody(notice: ClaimedNotice, profile: NotificationProfile, publicUrl: string, now: number) {
  const { facts, token } = notice;
  const links = linksOf(publicUrl, notice);
  return {
    event: `pat.${notice.kind.toLowerCase()}`,
    deliveryId: notice.deliveryId,
    timestamp: new Date(now).toISOString(),
    text: summaryOf(notice, profile, now),
    user: { userName: profile.userName },
    ...(token
      ? {
          accessToken: {
            accessTokenId: token.id,
            name: token.name,
            ...(facts.expiresAt === undefined ? {} : { expiresTime: new Date(facts.expiresAt).toISOString() }),
            ...(facts.lastUsedAt == null ? {} : { lastUsedTime: new Date(facts.lastUsedAt).toISOString() }),
          },
        }
      : {}),
    ...(facts.daysBefore === undefined ? {} : { daysBefore: facts.daysBefore }),
    ...(facts.actor
      ? { actor: { source: facts.actor.source, sourceIpAddress: facts.actor.address, ...(facts.actor.userAgent ? { userAgent: facts.actor.userAgent } : {}) } }
      : {}),
    ...(links.regenerate ? { links: { regenerate: links.regenerate } } : {}),
  };
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

/** Paragraphs as plain text and as HTML, each link written out in full in both. */
function compose(subject: string, paragraphs: Array<string | { text: string; href: string }>): EmailContent {
  const text = paragraphs.map((part) => (typeof part === 'string' ? part : `${part.text}\n${part.href}`)).join('\n\n');
  const html = paragraphs
    .map((part) => (typeof part === 'string' ? `<p>${escapeHtml(part)}</p>` : `<p>${escapeHtml(part.text)}<br><a href="${escapeHtml(part.href)}">${escapeHtml(part.href)}</a></p>`))
    .join('\n');
  return { subject, text: `${text}\n`, html: `<!doctype html>\n<html><body>\n${html}\n</body></html>\n` };
}

/**
 * An e-mail about a PAT: its name, its expiry, its last use, and what to do (Regenerate), with the
 * address to change what is received. A confirmation mail carries its link instead.
 */
export function emailContent(notice: ClaimedNotice, profile: NotificationProfile, publicUrl: string, now: number, confirmToken?: string): EmailContent {
  const links = linksOf(publicUrl, notice);
  const footer = { text: 'pat-console. Change where notices go, or turn expiry e-mail off:', href: links.settings };
  const greeting = `Hello ${profile.userName},`;
  if (notice.kind === 'CONFIRM_EMAIL') {
    return compose(summaryOf(notice, profile, now), [
      greeting,
      `Someone signed in to pat-console as ${profile.userName} asked for PAT notices to go to this address. If it was you, confirm it within a day, signed in as ${profile.userName}:`,
      { text: 'Confirm this address:', href: `${publicUrl}${CONSOLE_PAGES.confirmEmail(confirmToken ?? '')}` },
      'If it was not you, ignore this mail: nothing changes until the link is followed.',
    ]);
  }
  const { facts } = notice;
  const name = `"${notice.token?.name ?? ''}"`;
  const lastUse = facts.lastUsedAt == null ? 'It has never been used.' : `It was last used ${at(facts.lastUsedAt)}.`;
  const expiry = facts.expiresAt ?? now;
  switch (notice.kind) {
    case 'EXPIRING':
      return compose(`Your PAT ${name} expires ${timeLeft(expiry, now)}`, [
        greeting,
        `Your personal access token ${name} expires ${at(expiry)}, ${timeLeft(expiry, now)}. ${lastUse}`,
        { text: 'To keep it working, regenerate it: it keeps its name and access, and gets a new secret to put where the old one is.', href: links.regenerate ?? links.settings },
        footer,
      ]);
    case 'EXPIRED':
      return compose(`Your PAT ${name} has expired`, [
        greeting,
        `Your personal access token ${name} expired ${at(expiry)}. ${lastUse} Whatever still uses it is refused.`,
        { text: 'Create a new one to replace it:', href: links.createToken },
        footer,
      ]);
    default:
      return compose(`Your PAT ${name} was revoked: it was reported as exposed`, [
        greeting,
        `Your personal access token ${name} was found where it should not be (a public repository, a chat or a log) and reported${
          facts.actor ? ` from ${facts.actor.address}${facts.actor.userAgent ? ` (${facts.actor.userAgent})` : ''}` : ''
        }. It was revoked at once and no longer works. ${lastUse}`,
        { text: 'Create a new one, and keep its secret out of shared places:', href: links.createToken },
        footer,
      ]);
  }
}
