import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CreateAccessTokenResponse, ListAccessTokenEventsResponse } from '../contract/schemas';
import { createTestApp, json, type TestApp } from './testing/test-support';
import { generateSecret } from './tokens/secret';

const folder = join(import.meta.dirname, '..', 'deploy', 'secret-scanning');
const recipe = (name: string) => readFileSync(join(folder, name), 'utf8');

/** The rule's regex as the scanner reads it: gitleaks' TOML literal string, TruffleHog's YAML one. */
const gitleaksRegex = () => new RegExp(/^regex = '''(.+)'''$/m.exec(recipe('gitleaks.toml'))?.[1] ?? 'missing', 'g');
const truffleHogRegex = () => new RegExp(/^ {6}secret: '(.+)'$/m.exec(recipe('trufflehog.yaml'))?.[1] ?? 'missing', 'g');

/** Runs revoke-found.mjs as a team would, with `report` on its standard input. */
function revokeFound(url: string, report: string, ...options: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(folder, 'revoke-found.mjs'), url, ...options], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(report);
  });
}

/** The same secret with its last character changed: the checksum no longer matches. */
const tampered = (secret: string) => secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');

let testApp: TestApp | undefined;
afterEach(async () => {
  await testApp?.app.close();
  await testApp?.store.close();
  testApp = undefined;
});

describe('the secret-scanning recipes', () => {
  it.each([
    ['gitleaks', gitleaksRegex],
    ['TruffleHog', truffleHogRegex],
  ])('%s finds a PAT wherever it is written, and not inside a longer word', (_scanner, regex) => {
    for (let round = 0; round < 100; round += 1) {
      const secret = generateSecret();
      for (const line of [secret, `export PAT=${secret}`, `"password": "${secret}"`, `https://x:${secret}@git.example.com/a.git`]) {
        expect([...line.matchAll(regex())].map((match) => match[1])).toEqual([secret]);
      }
      expect([...`xpat_${secret.slice(4)}`.matchAll(regex())]).toEqual([]);
      expect([...`${secret}0`.matchAll(regex())]).toEqual([]);
    }
  });

  it("revokes what gitleaks' and TruffleHog's reports found, and never sends a look-alike", async () => {
    testApp = await createTestApp({ createsPerMinute: 0 });
    const create = async (name: string) =>
      (await testApp!.app.inject({ method: 'PUT', url: '/v1/accessTokens', headers: json, payload: JSON.stringify({ name }) })).json<CreateAccessTokenResponse>();
    const [inCode, inChat, kept] = [await create('in-code'), await create('in-chat'), await create('kept')];
    const url = await testApp.app.listen({ host: '127.0.0.1', port: 0 });
    const gitleaks = JSON.stringify([
      { RuleID: 'pat-console-pat', Secret: inCode.secret, Match: `token = "${inCode.secret}"`, File: 'ci.env' },
      { RuleID: 'pat-console-pat', Secret: tampered(kept.secret), Match: tampered(kept.secret), File: 'notes.md' },
    ]);
    expect(await revokeFound(url, gitleaks)).toEqual({
      code: 0,
      stdout: '1 PAT(s) sent for revocation; 1 look-alike(s) failed the checksum and were not sent.\n',
      stderr: '',
    });
    const truffleHog = `${JSON.stringify({ DetectorName: 'pat-console-pat', Raw: inChat.secret, Verified: false })}\n`;
    expect((await revokeFound(url, truffleHog)).stdout).toMatch(/^1 PAT\(s\) sent/);
    const events = (await testApp.app.inject({ method: 'POST', url: '/v1/accessTokenEvents', headers: json, payload: '{}' })).json<ListAccessTokenEventsResponse>();
    const revoked = events.items.filter((event) => event.eventType === 'REVOKED_AS_EXPOSED');
    expect(revoked.map((event) => [event.accessTokenName, event.userAgent])).toEqual([
      ['in-chat', 'pat-console-revoke-found/1'],
      ['in-code', 'pat-console-revoke-found/1'],
    ]);
    const session = await testApp.app.inject({ url: '/session', headers: { authorization: `Bearer ${kept.secret}` } });
    expect(session.statusCode).toBe(200);
  });

  it("finds an instance's own prefix when told it, and the PATs made before it", async () => {
    testApp = await createTestApp({ createsPerMinute: 0, tokenPrefix: 'acme_pat_' });
    const create = async (name: string) =>
      (await testApp!.app.inject({ method: 'PUT', url: '/v1/accessTokens', headers: json, payload: JSON.stringify({ name }) })).json<CreateAccessTokenResponse>();
    const prefixed = await create('prefixed');
    expect(prefixed.secret).toMatch(/^acme_pat_/);
    const url = await testApp.app.listen({ host: '127.0.0.1', port: 0 });
    const report = `${prefixed.secret}\n${generateSecret()}\nnotacme_pat_${prefixed.secret.slice('acme_pat_'.length)}\n`;
    expect((await revokeFound(url, report)).stdout).toMatch(/^1 PAT\(s\) sent/);
    expect((await testApp.app.inject({ url: '/session', headers: { authorization: `Bearer ${prefixed.secret}` } })).statusCode).toBe(200);
    expect((await revokeFound(url, report, '--prefix=acme_pat_')).stdout).toMatch(/^2 PAT\(s\) sent/);
    expect((await testApp.app.inject({ url: '/session', headers: { authorization: `Bearer ${prefixed.secret}` } })).statusCode).toBe(401);
  });
});
