#!/usr/bin/env node
// Revokes the pat-console PATs in a secret scanner's report, read from standard input: gitleaks'
// JSON, TruffleHog's JSON lines, or any text. A look-alike whose checksum fails is dropped here,
// offline, and never sent. The rest go to pat-console's RevokeAccessTokens, 1,000 a request; its
// answer is the same whatever they were, so this says how many were sent, never which were live.
// Node.js 20.19 or later, nothing else.
//   node revoke-found.mjs <pat-console URL> [--prefix=acme_pat_] < report
// --prefix: the instance's PAT_CONSOLE_TOKEN_PREFIX, when it has one (secrets with `pat_` are found too).
import { crc32 } from 'node:zlib';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BATCH = 1000;
const ATTEMPTS = 5;

/** The CRC32 of the random part, as 6 base62 digits, most significant first. */
function checksum(body) {
  let out = '';
  let rest = crc32(body);
  for (let index = 0; index < 6; index += 1) {
    out = ALPHABET[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function report(url, secrets) {
  for (let attempt = 1; ; attempt += 1) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'pat-console-revoke-found/1' },
      body: JSON.stringify({ secrets }),
    });
    if (response.status === 202) return;
    // Rate-limited per address: wait as told, then again.
    if (response.status === 429 && attempt < ATTEMPTS) {
      await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after') || 60) * 1000));
      continue;
    }
    throw new Error(`pat-console answered ${response.status}: ${await response.text()}`);
  }
}

const base = process.argv.slice(2).find((arg) => !arg.startsWith('--'));
const prefix = process.argv.slice(2).find((arg) => arg.startsWith('--prefix='))?.slice('--prefix='.length) ?? 'pat_';
if (!base || !/^[a-z][a-z0-9_]*_$/.test(prefix)) {
  console.error('Usage: node revoke-found.mjs <pat-console URL> [--prefix=acme_pat_] < report');
  process.exit(2);
}
const PAT = new RegExp(`\\b(?:${[...new Set([prefix, 'pat_'])].join('|')})([0-9A-Za-z]{43})([0-9A-Za-z]{6})\\b`, 'g');
const found = new Set();
const lookAlikes = new Set();
for (const match of (await readStdin()).matchAll(PAT)) {
  (checksum(match[1]) === match[2] ? found : lookAlikes).add(match[0]);
}
const secrets = [...found];
try {
  for (let start = 0; start < secrets.length; start += BATCH) {
    await report(new URL('/v1/accessTokens/revoke', base), secrets.slice(start, start + BATCH));
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
process.stdout.write(`${secrets.length} PAT(s) sent for revocation; ${lookAlikes.size} look-alike(s) failed the checksum and were not sent.\n`);
