import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FULL_ACCESS } from './access';
import { ACCESS_TOKEN_DESCRIPTION_MAX_LENGTH, DEFAULT_ACTIVITY_RETENTION_DAYS, DEFAULT_EXPIRY_NOTICE_DAYS, ERROR_TYPE_HEADER, PATHS, EVENTS_MAX_RESULTS, LIST_MAX_RESULTS, MAX_LIVE_TOKENS_PER_USER, REVOKE_MAX_SECRETS, SECRET_PATTERN } from './access-tokens';
import { ApiError, createApiClient, type ApiClient } from './api-client';

export interface ContractTarget {
  baseUrl: string;
  /** The name of the user the target's console requests are made as. */
  userName: string;
  /** Puts a token that has already expired in the target's store. */
  seedExpired(name: string): Promise<void> | void;
  /** Runs the service's periodic purge of expired tokens as if it were `at`. */
  purgeExpired(at: Date): Promise<void> | void;
  /** Puts a new, empty Git repository of the target's user in its store, as a push would begin one. */
  seedRepository(name: string): Promise<void> | void;
  close(): Promise<void> | void;
}

const DAY = 24 * 60 * 60 * 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ApiError)) throw new Error(`Expected an ApiError, got ${String(error)}`);
  return error;
}

/**
 * One suite of API cases, run against the msw mocks and the real server alike, so that the console's
 * tests and the product cannot drift apart. Both targets are configured for the user `marymajor`.
 */
export function describeAccessTokenContract(targetName: string, open: () => Promise<ContractTarget>) {
  describe(`access-token contract: ${targetName}`, () => {
    let target: ContractTarget;
    let client: ApiClient;
    const withPat = (secret: string, userAgent?: string) => createApiClient({ baseUrl: target.baseUrl, bearerToken: secret, userAgent });
    /** The log as [type, token name, source, the source PAT's name, user agent], newest first. */
    const activity = async () =>
      (await client.listAllAccessTokenEvents()).map((event) => [
        event.eventType,
        event.accessTokenName,
        event.source,
        event.sourceAccessToken?.name,
        event.userAgent,
      ]);

    beforeEach(async () => {
      target = await open();
      client = createApiClient({ baseUrl: target.baseUrl });
    });
    afterEach(async () => {
      await target.close();
    });

    it('creates a token with a secret of the server’s shape, expiring in one year by default', async () => {
      const before = Date.now();
      const created = await client.createAccessToken({ name: 'laptop' });
      expect(created).toEqual({
        secret: expect.stringMatching(SECRET_PATTERN),
        name: 'laptop',
        expiresTime: expect.any(String),
        accessTokenId: expect.stringMatching(UUID),
      });
      const aYear = new Date(before);
      aYear.setUTCFullYear(aYear.getUTCFullYear() + 1);
      expect(Math.abs(Date.parse(created.expiresTime) - aYear.getTime())).toBeLessThan(60_000);
    });

    it('keeps the expiry it was given', async () => {
      const expiresTime = new Date(Date.now() + 30 * DAY).toISOString();
      expect((await client.createAccessToken({ name: 'ci', expiresTime })).expiresTime).toBe(expiresTime);
    });

    it('stores a name in NFC, and counts its characters, not UTF-16 units', async () => {
      const created = await client.createAccessToken({ name: '  Cafe\u0301  ' });
      expect(created.name).toBe('Caf\u00e9');
      const emoji = '😀'.repeat(100);
      expect((await client.createAccessToken({ name: emoji })).name).toBe(emoji);
      expect((await client.listAllAccessTokens()).map((item) => item.name)).toEqual(['Caf\u00e9', emoji]);
    });

    it.each([
      { name: '' },
      { name: 'x'.repeat(101) },
      { name: '😀'.repeat(101) },
      { name: 'a\u0000b' },
      { name: 'a\u001bb' },
      { name: 'line\r\nbreak' },
      { name: 'invoice\u202Etxt.exe' },
      { name: '\u200B\u200B' },
      { name: 'half \uD800 pair' },
      { name: 'a', expiresTime: new Date(Date.now() - DAY).toISOString() },
      { name: 'a', expiresTime: new Date(Date.now() + 400 * DAY).toISOString() },
      { name: 'a', expiresTime: 'soon' },
      { name: 'a', expiresTime: `${new Date().getUTCFullYear() + 1}-02-30T00:00:00Z` },
      { name: 'a', expiresTime: `${new Date().getUTCFullYear()}-12-31T24:00:00Z` },
    ])('refuses %j with a ValidationException', async (request) => {
      const error = await failure(client.createAccessToken(request));
      expect(error).toMatchObject({ errorType: 'ValidationException', status: 400 });
      expect(error.message).not.toBe('');
    });

    it(`refuses more than ${MAX_LIVE_TOKENS_PER_USER} live tokens`, async () => {
      for (let index = 0; index < MAX_LIVE_TOKENS_PER_USER; index += 1) {
        await client.createAccessToken({ name: `t${index}` });
      }
      const error = await failure(client.createAccessToken({ name: 'one too many' }));
      expect(error).toMatchObject({ errorType: 'ServiceQuotaExceededException', status: 402 });
    });

    it('lists every token through nextToken, at most 10 a page, in creation order', async () => {
      const names = Array.from({ length: 25 }, (_, index) => `token-${index}`);
      for (const name of names) await client.createAccessToken({ name });
      const first = await client.listAccessTokens({ maxResults: LIST_MAX_RESULTS });
      expect(first.items).toHaveLength(10);
      expect(first.nextToken).toEqual(expect.any(String));
      // Made without a word on access, from the console: everything, as every PAT before scopes (our extension).
      expect(first.items[0]).toEqual({ id: expect.stringMatching(UUID), name: 'token-0', expiresTime: expect.any(String), createdTime: expect.any(String), access: FULL_ACCESS });
      const all = await client.listAllAccessTokens();
      expect(all.map((item) => item.name)).toEqual(names);
    });

    it.each([{ maxResults: 11 }, { maxResults: 0 }, { nextToken: 'forged' }])('refuses the list request %j', async (request) => {
      const error = await failure(client.listAccessTokens(request));
      expect(error).toMatchObject({ errorType: 'ValidationException', status: 400 });
    });

    it('never lists an expired token', async () => {
      await target.seedExpired('lapsed');
      await client.createAccessToken({ name: 'live' });
      expect((await client.listAllAccessTokens()).map((item) => item.name)).toEqual(['live']);
    });

    it('deletes a token, and then does not know it', async () => {
      const { accessTokenId } = await client.createAccessToken({ name: 'doomed' });
      await expect(client.deleteAccessToken(accessTokenId)).resolves.toEqual({});
      expect(await client.listAllAccessTokens()).toEqual([]);
      const error = await failure(client.deleteAccessToken(accessTokenId));
      expect(error).toMatchObject({ errorType: 'ResourceNotFoundException', status: 404 });
    });

    it('says who the caller is', async () => {
      const session = await client.verifySession();
      expect(session).toEqual({ identity: expect.stringMatching(UUID) });
      // With no directory behind it, the service names the user by the name it knows, and says the
      // address is unverified.
      expect(await client.getUserDetails()).toEqual({
        userId: session.identity,
        userName: target.userName,
        displayName: target.userName,
        primaryEmail: { email: `${target.userName}@localhost`, verified: false },
        version: '1',
        admin: false,
      });
    });

    it('takes a PAT as the bearer token of its owner, and records when it was last used', async () => {
      const used = await client.createAccessToken({ name: 'used' });
      await client.createAccessToken({ name: 'unused' });
      const before = Date.now();
      const console = await client.verifySession();
      expect(await withPat(used.secret).verifySession()).toEqual(console);
      const items = await withPat(used.secret).listAllAccessTokens();
      const byName = new Map(items.map((item) => [item.name, item]));
      expect(byName.get('unused')?.lastUsedTime).toBeUndefined();
      const lastUsed = Date.parse(byName.get('used')?.lastUsedTime ?? '');
      expect(lastUsed).toBeGreaterThanOrEqual(before - 1000);
      expect(lastUsed).toBeLessThanOrEqual(Date.now());
    });

    it('refuses a PAT that is made up or deleted, with 401', async () => {
      const made = await client.createAccessToken({ name: 'short-lived' });
      await client.deleteAccessToken(made.accessTokenId);
      for (const secret of [made.secret, `pat_${'A'.repeat(49)}`]) {
        const error = await failure(withPat(secret).verifySession());
        expect(error).toMatchObject({ errorType: 'AccessDeniedException', status: 401 });
      }
    });

    it('regenerates a token: the same id and name, a new secret and expiry, and the old secret refused at once (our extension)', async () => {
      const created = await client.createAccessToken({ name: 'rotating' });
      const other = await client.createAccessToken({ name: 'admin' });
      // Both used and then listed first, so that a server that keeps authenticated tokens and lists
      // has both at hand (a use within the minute records nothing new).
      await withPat(created.secret).verifySession();
      await withPat(other.secret).verifySession();
      const before = await client.listAllAccessTokens();
      const createdTime = before.find((item) => item.id === created.accessTokenId)?.createdTime;
      expect(createdTime).toEqual(expect.any(String));
      const expiresTime = new Date(Date.now() + 30 * DAY).toISOString();
      const regenerated = await withPat(other.secret).regenerateAccessToken(created.accessTokenId, { expiresTime });
      expect(regenerated).toEqual({
        secret: expect.stringMatching(SECRET_PATTERN),
        name: 'rotating',
        expiresTime,
        accessTokenId: created.accessTokenId,
      });
      expect(regenerated.secret).not.toBe(created.secret);
      const refused = await failure(withPat(created.secret).verifySession());
      expect(refused).toMatchObject({ errorType: 'AccessDeniedException', status: 401 });
      expect(await withPat(regenerated.secret).verifySession()).toEqual(await client.verifySession());
      const listed = await client.listAllAccessTokens();
      // Still the PAT it was: created when it was created.
      expect(listed.find((item) => item.id === created.accessTokenId)).toMatchObject({ name: 'rotating', expiresTime, createdTime });
      expect(listed).toHaveLength(2);
    });

    it('regenerates with the longest lifetime by default, and refuses a bad expiry or an unknown token (our extension)', async () => {
      const created = await client.createAccessToken({ name: 'rotating', expiresTime: new Date(Date.now() + 5 * DAY).toISOString() });
      const before = Date.now();
      const regenerated = await client.regenerateAccessToken(created.accessTokenId);
      const aYear = new Date(before);
      aYear.setUTCFullYear(aYear.getUTCFullYear() + 1);
      expect(Math.abs(Date.parse(regenerated.expiresTime) - aYear.getTime())).toBeLessThan(60_000);
      for (const expiresTime of ['tomorrow', new Date(Date.now() - DAY).toISOString()]) {
        const error = await failure(client.regenerateAccessToken(created.accessTokenId, { expiresTime }));
        expect(error).toMatchObject({ errorType: 'ValidationException', status: 400 });
      }
      await client.deleteAccessToken(created.accessTokenId);
      const gone = await failure(client.regenerateAccessToken(created.accessTokenId));
      expect(gone).toMatchObject({ errorType: 'ResourceNotFoundException', status: 404 });
    });

    it('keeps a description given at create, changes it on regenerate only when one is sent, and refuses a bad one (our extension)', async () => {
      const described = await client.createAccessToken({ name: 'ci', description: '  Deploys the docs site.\r\nOwner: platform team.  ' });
      await client.createAccessToken({ name: 'plain', description: '   ' });
      const descriptions = async () => (await client.listAllAccessTokens()).map((token) => [token.name, token.description]);
      expect(await descriptions()).toEqual([['ci', 'Deploys the docs site.\nOwner: platform team.'], ['plain', undefined]]);
      await client.regenerateAccessToken(described.accessTokenId);
      expect((await descriptions())[0]).toEqual(['ci', 'Deploys the docs site.\nOwner: platform team.']);
      await client.regenerateAccessToken(described.accessTokenId, { description: 'Publishes releases.' });
      expect((await descriptions())[0]).toEqual(['ci', 'Publishes releases.']);
      await client.regenerateAccessToken(described.accessTokenId, { description: '' });
      expect((await descriptions())[0]).toEqual(['ci', undefined]);
      const tooLong = await failure(client.createAccessToken({ name: 'long', description: '✓'.repeat(ACCESS_TOKEN_DESCRIPTION_MAX_LENGTH + 1) }));
      expect(tooLong).toMatchObject({
        errorType: 'ValidationException',
        message: `description must be at most ${ACCESS_TOKEN_DESCRIPTION_MAX_LENGTH} characters; it has ${ACCESS_TOKEN_DESCRIPTION_MAX_LENGTH + 1}.`,
      });
      expect((await client.createAccessToken({ name: 'full', description: '✓'.repeat(ACCESS_TOKEN_DESCRIPTION_MAX_LENGTH) })).name).toBe('full');
      const control = await failure(client.regenerateAccessToken(described.accessTokenId, { description: 'bell\u0007' }));
      expect(control).toMatchObject({
        errorType: 'ValidationException',
        message: 'description must not contain control or text-direction characters other than line breaks and tabs (U+0007).',
      });
      expect((await descriptions()).map(([name]) => name)).toEqual(['ci', 'plain', 'full']);
    });

    it('keeps a PAT to its permissions and repositories: 403 with the scope challenge, and the refusal logged (our extension)', async () => {
      await target.seedRepository('notes');
      await target.seedRepository('other');
      const reader = await client.createAccessToken({
        name: 'reader',
        access: { permissions: ['READ_REPOSITORIES'], repositories: ['notes', 'fresh'] },
      });
      expect((await client.listAllAccessTokens())[0]?.access).toEqual({ permissions: ['READ_REPOSITORIES'], repositories: ['notes', 'fresh'] });
      const asReader = withPat(reader.secret, 'ci/1');
      expect((await asReader.listRepositories()).items.map((repository) => repository.name)).toEqual(['notes']);
      expect(await asReader.verifySession()).toEqual({ identity: expect.any(String) });
      const refused = await fetch(`${target.baseUrl}${PATHS.accessTokens}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${reader.secret}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect([refused.status, refused.headers.get(ERROR_TYPE_HEADER), refused.headers.get('www-authenticate')]).toEqual([
        403,
        'AccessDeniedException',
        'Bearer error="insufficient_scope"',
      ]);
      expect(await failure(asReader.createAccessToken({ name: 'more' }))).toMatchObject({ errorType: 'AccessDeniedException', status: 403 });
      const refusals = (await client.listAllAccessTokenEvents()).filter((event) => event.eventType === 'REFUSED_PERMISSION');
      expect(refusals.map((event) => [event.accessTokenName, event.detail, event.source])).toEqual([['reader', 'MANAGE_ACCESS_TOKENS', 'ACCESS_TOKEN']]);
      // Automation: a PAT that manages PATs mints a ten-minute, read-only PAT for one repository; lineage shows where it came from.
      const minter = await client.createAccessToken({ name: 'minter', access: { permissions: ['MANAGE_ACCESS_TOKENS', 'READ_REPOSITORIES'] } });
      const tenMinutes = new Date(Date.now() + 10 * 60_000).toISOString();
      const minted = await withPat(minter.secret).createAccessToken({
        name: 'ci-job',
        expiresTime: tenMinutes,
        access: { permissions: ['READ_REPOSITORIES'], repositories: ['notes'] },
      });
      expect(minted.expiresTime).toBe(tenMinutes);
      expect((await client.listAllAccessTokens()).find((token) => token.name === 'ci-job')?.createdWith).toEqual({ accessTokenId: minter.accessTokenId, name: 'minter' });
      const bad = await failure(client.createAccessToken({ name: 'bad', access: { permissions: ['READ_REPOSITORIES'], networks: ['10.0.0.300'] } }));
      expect(bad).toMatchObject({ errorType: 'ValidationException', message: 'access.networks: "10.0.0.300" is not an IP address or CIDR.' });
    });

    it('says which PAT created a token, and keeps its name once that PAT is gone (our extension)', async () => {
      const parent = await client.createAccessToken({ name: 'laptop' });
      const child = await withPat(parent.secret).createAccessToken({ name: 'made-by-laptop' });
      const byName = async () => new Map((await client.listAllAccessTokens()).map((item) => [item.name, item]));
      const listed = await byName();
      expect(listed.get('laptop')?.createdWith).toBeUndefined();
      expect(listed.get('made-by-laptop')?.createdWith).toEqual({ accessTokenId: parent.accessTokenId, name: 'laptop' });
      await client.deleteAccessToken(parent.accessTokenId);
      expect((await byName()).get('made-by-laptop')).toMatchObject({
        id: child.accessTokenId,
        createdWith: { accessTokenId: parent.accessTokenId, name: 'laptop' },
      });
    });

    it("logs a change made without a PAT by anything but the console's page as LOCAL_API (our extension)", async () => {
      await createApiClient({ baseUrl: target.baseUrl, userAgent: 'Python-urllib/3.11' }).createAccessToken({ name: 'scripted' });
      expect(await activity()).toEqual([['CREATED', 'scripted', 'LOCAL_API', undefined, 'Python-urllib/3.11']]);
    });

    it('logs each change and each first use from a client, with its source, newest first (our extension)', async () => {
      const console = createApiClient({ baseUrl: target.baseUrl, userAgent: 'Mozilla/5.0 (console)', consolePage: true });
      const laptop = await console.createAccessToken({ name: 'laptop' });
      const child = await withPat(laptop.secret, 'aws-cli/2.15.0').createAccessToken({ name: 'child' });
      // The same client again is not news; another client is.
      await withPat(laptop.secret, 'aws-cli/2.15.0').verifySession();
      await withPat(laptop.secret, 'git/2.39.5').verifySession();
      await console.regenerateAccessToken(child.accessTokenId);
      await withPat(laptop.secret, 'aws-cli/2.15.0').deleteAccessToken(child.accessTokenId);
      expect(await activity()).toEqual([
        ['DELETED', 'child', 'ACCESS_TOKEN', 'laptop', 'aws-cli/2.15.0'],
        ['REGENERATED', 'child', 'CONSOLE', undefined, 'Mozilla/5.0 (console)'],
        ['USED_FROM_NEW_CLIENT', 'laptop', 'ACCESS_TOKEN', 'laptop', 'git/2.39.5'],
        ['CREATED', 'child', 'ACCESS_TOKEN', 'laptop', 'aws-cli/2.15.0'],
        ['USED_FROM_NEW_CLIENT', 'laptop', 'ACCESS_TOKEN', 'laptop', 'aws-cli/2.15.0'],
        ['CREATED', 'laptop', 'CONSOLE', undefined, 'Mozilla/5.0 (console)'],
      ]);
      const [deleted] = await client.listAllAccessTokenEvents();
      expect(deleted).toEqual({
        eventId: expect.any(String),
        eventTime: expect.any(String),
        eventType: 'DELETED',
        accessTokenId: child.accessTokenId,
        accessTokenName: 'child',
        source: 'ACCESS_TOKEN',
        sourceAccessToken: { accessTokenId: laptop.accessTokenId, name: 'laptop' },
        sourceIpAddress: '127.0.0.1',
        userAgent: 'aws-cli/2.15.0',
      });
      expect(Math.abs(Date.parse(deleted?.eventTime ?? '') - Date.now())).toBeLessThan(60_000);
    });

    it('logs the expiry of a token, and the use of a secret that was deleted, expired or replaced, once per client an hour (our extension)', async () => {
      const expiresTime = new Date(Date.now() + DAY).toISOString();
      const lapsing = await client.createAccessToken({ name: 'lapsing', expiresTime });
      const deleted = await client.createAccessToken({ name: 'deleted' });
      const rotated = await client.createAccessToken({ name: 'rotated' });
      await client.deleteAccessToken(deleted.accessTokenId);
      await client.regenerateAccessToken(rotated.accessTokenId);
      await target.purgeExpired(new Date(Date.now() + 2 * DAY));
      const [expired] = await client.listAllAccessTokenEvents();
      expect(expired).toEqual({
        eventId: expect.any(String),
        eventTime: expiresTime,
        eventType: 'EXPIRED',
        accessTokenId: lapsing.accessTokenId,
        accessTokenName: 'lapsing',
        source: 'SERVICE',
      });
      const before = (await activity()).length;
      for (const secret of [lapsing.secret, deleted.secret, rotated.secret, rotated.secret, `pat_${'A'.repeat(49)}`]) {
        const error = await failure(withPat(secret, 'ci-runner/1').verifySession());
        expect(error).toMatchObject({ errorType: 'AccessDeniedException', status: 401 });
      }
      expect((await activity()).slice(0, -before)).toEqual([
        ['REPLACED_SECRET_USED', 'rotated', 'ACCESS_TOKEN', 'rotated', 'ci-runner/1'],
        ['DELETED_TOKEN_USED', 'deleted', 'ACCESS_TOKEN', 'deleted', 'ci-runner/1'],
        ['EXPIRED_TOKEN_USED', 'lapsing', 'ACCESS_TOKEN', 'lapsing', 'ci-runner/1'],
      ]);
      const secrets = [lapsing.secret, deleted.secret, rotated.secret];
      const log = JSON.stringify(await client.listAllAccessTokenEvents());
      expect(secrets.filter((secret) => log.includes(secret))).toEqual([]);
    });

    it('revokes exposed secrets for whoever reports them, without sign-in, with the same answer whatever they were (our extension)', async () => {
      const [leaked, alsoLeaked, kept, deleted] = await Promise.all(
        ['leaked', 'also-leaked', 'kept', 'deleted'].map((name) => client.createAccessToken({ name })),
      );
      if (!leaked || !alsoLeaked || !kept || !deleted) throw new Error('created four');
      await client.deleteAccessToken(deleted.accessTokenId);
      // In use, so a server that keeps authenticated PATs has it at hand.
      await withPat(leaked.secret).verifySession();
      const stranger = createApiClient({ baseUrl: target.baseUrl, userAgent: 'trufflehog/3.88' });
      const madeUp = `pat_${'A'.repeat(49)}`;
      const before = (await activity()).length;
      expect(await stranger.revokeAccessTokens([leaked.secret, madeUp, 'not a secret', deleted.secret, alsoLeaked.secret, leaked.secret])).toEqual({});
      expect(await stranger.revokeAccessTokens([leaked.secret, madeUp])).toEqual({});
      expect((await client.listAllAccessTokens()).map((token) => token.name).sort()).toEqual(['kept']);
      const reported = (await client.listAllAccessTokenEvents()).slice(0, -before);
      expect(reported.map((event) => event.accessTokenName).sort()).toEqual(['also-leaked', 'leaked']);
      expect(reported[0]).toEqual({
        eventId: expect.any(String),
        eventTime: expect.any(String),
        eventType: 'REVOKED_AS_EXPOSED',
        accessTokenId: expect.any(String),
        accessTokenName: expect.any(String),
        source: 'EXPOSURE_REPORT',
        sourceIpAddress: expect.any(String),
        userAgent: 'trufflehog/3.88',
      });
      const error = await failure(withPat(leaked.secret, 'ci/2').verifySession());
      expect(error).toMatchObject({ errorType: 'AccessDeniedException', status: 401 });
      expect((await activity())[0]).toEqual(['REVOKED_TOKEN_USED', 'leaked', 'ACCESS_TOKEN', 'leaked', 'ci/2']);
      await withPat(kept.secret).verifySession();
      for (const secrets of [[], Array<string>(REVOKE_MAX_SECRETS + 1).fill(madeUp)]) {
        expect(await failure(stranger.revokeAccessTokens(secrets))).toMatchObject({ errorType: 'ValidationException', status: 400 });
      }
    });

    it('keeps where notices go: no address to confirm without a mail server, a switch for expiry e-mail, and none of it with a PAT (our extension)', async () => {
      expect(await client.getNotificationSettings()).toEqual({ emailState: 'NONE', expiryEmails: true, expiryNoticeDays: DEFAULT_EXPIRY_NOTICE_DAYS, emailAvailable: false });
      expect(await client.updateNotificationSettings({ expiryEmails: false })).toMatchObject({ expiryEmails: false });
      expect((await client.getNotificationSettings()).expiryEmails).toBe(false);
      for (const email of ['mary@home.example', 'not an address']) {
        expect(await failure(client.updateNotificationSettings({ email }))).toMatchObject({ errorType: 'ValidationException', status: 400 });
      }
      expect(await failure(client.confirmNotificationEmail('made-up'))).toMatchObject({ errorType: 'ValidationException', status: 400 });
      const { secret } = await client.createAccessToken({ name: 'ci' });
      expect(await failure(withPat(secret).getNotificationSettings())).toMatchObject({ errorType: 'AccessDeniedException', status: 403 });
      expect(await failure(withPat(secret).updateNotificationSettings({ expiryEmails: true }))).toMatchObject({ errorType: 'AccessDeniedException', status: 403 });
    });

    it('pages the log through nextToken, and refuses a bad page request (our extension)', async () => {
      for (const name of ['a', 'b', 'c', 'd', 'e']) await client.createAccessToken({ name });
      const first = await client.listAccessTokenEvents({ maxResults: 2 });
      expect(first.items.map((event) => event.accessTokenName)).toEqual(['e', 'd']);
      const second = await client.listAccessTokenEvents({ maxResults: 2, nextToken: first.nextToken });
      expect(second.items.map((event) => event.accessTokenName)).toEqual(['c', 'b']);
      const third = await client.listAccessTokenEvents({ maxResults: 2, nextToken: second.nextToken });
      expect(third).toEqual({ items: [expect.objectContaining({ accessTokenName: 'a' })] });
      const { nextToken: listToken } = await client.listAccessTokens({ maxResults: 1 });
      for (const request of [{ maxResults: EVENTS_MAX_RESULTS + 1 }, { maxResults: 0 }, { nextToken: 'forged' }, { nextToken: listToken }]) {
        const error = await failure(client.listAccessTokenEvents(request));
        expect(error).toMatchObject({ errorType: 'ValidationException', status: 400 });
      }
    });

    it('tells what it allows (our extension)', async () => {
      expect(await client.getAccessTokenLimits()).toEqual({
        maxTokenLifetimeYears: 1,
        maxLiveTokens: MAX_LIVE_TOKENS_PER_USER,
        activityRetentionDays: DEFAULT_ACTIVITY_RETENTION_DAYS,
        forbidFullAccess: false,
        forbidManageAccessTokens: false,
        forbidAccessTokenCreatedTokens: false,
      });
    });

    it('lists the caller’s Git repositories, none at first (our extension)', async () => {
      expect(await client.listRepositories()).toEqual({ items: [] });
      await target.seedRepository('notes');
      await target.seedRepository('infrastructure');
      const { items } = await client.listRepositories();
      expect(items).toEqual([
        { name: 'infrastructure', sizeBytes: expect.any(Number) },
        { name: 'notes', sizeBytes: expect.any(Number) },
      ]);
      expect(items.every((item) => item.sizeBytes > 0)).toBe(true);
    });
  });
}
