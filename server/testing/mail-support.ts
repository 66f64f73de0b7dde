import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { freePort } from '../../scripts/spawn-server';
import { waitFor } from './nginx-support';

const PYTHON = '/usr/bin/python3';

export interface SmtpServer {
  url: string;
  /** Every mail received so far, parsed, oldest first (within a second, in any order). */
  messages(): Promise<ParsedMail[]>;
  /** Resolves with the mails once at least `count` have arrived. */
  waitForMessages(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
  stop(): void;
}

/** The files of a Maildir's new mail, by name: the delivery second first, so mails of one second come in any order. */
function maildirFiles(maildir: string): string[] {
  const fresh = join(maildir, 'new');
  return existsSync(fresh) ? readdirSync(fresh).sort().map((name) => join(fresh, name)) : [];
}

/** Every mail an SMTP server kept in `maildir`, parsed, oldest first. */
export const readMaildir = (maildir: string): Promise<ParsedMail[]> => Promise.all(maildirFiles(maildir).map((file) => simpleParser(readFileSync(file))));

/** Whether the port takes connections yet. */
const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/**
 * A real SMTP server: Debian's aiosmtpd (python3-aiosmtpd), run by Debian's Python, keeping each mail
 * it accepts in a Maildir, which the test reads back and parses with mailparser.
 */
export async function startSmtpServer(): Promise<SmtpServer> {
  if (!existsSync(PYTHON) || spawnSync(PYTHON, ['-c', 'import aiosmtpd']).status !== 0) {
    throw new Error('This test sends mail to a real SMTP server: install it (Debian: apt-get install python3-aiosmtpd).');
  }
  const dir = mkdtempSync(join(tmpdir(), 'pat-console-smtp-'));
  const maildir = join(dir, 'mail');
  const port = await freePort();
  const server: ChildProcess = spawn(PYTHON, ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'aiosmtpd.handlers.Mailbox', maildir], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let up = false;
  const started = Date.now();
  while (!up) {
    if (Date.now() - started > 10_000 || server.exitCode !== null) throw new Error('aiosmtpd did not start');
    up = await listening(port);
    if (!up) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const files = () => maildirFiles(maildir);
  const messages = () => readMaildir(maildir);
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    async waitForMessages(count, timeoutMs = 15_000) {
      await waitFor(() => files().length >= count, `${count} mail(s) at the SMTP server`, timeoutMs);
      return messages();
    },
    stop() {
      server.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
