/**
 * Starts a server script as its own process (TypeScript through tsx, or built JavaScript as it is);
 * used by the bench and the tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** SIGTERM, resolved once the process has exited. */
  stop(): Promise<void>;
}

/**
 * Its standard output goes to a file, as a deployment's log goes to a file or the journal: a pipe
 * drained by this process (autocannon's, in the bench) would slow the server whenever this process
 * is busy, and the logging reference with it.
 */
export function spawnServer(script: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const logDir = mkdtempSync(join(tmpdir(), 'pat-console-server-log-'));
  const logFile = join(logDir, 'stdout.log');
  const log = openSync(logFile, 'w');
  const child = spawn(process.execPath, script.endsWith('.ts') ? ['--import', 'tsx', script] : [script], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', log, 'inherit'],
  });
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let done = false;
    const poll = setInterval(() => {
      const output = readFileSync(logFile, 'utf8');
      // Both servers announce themselves with this line once they listen.
      const match = /running at (http:\/\/\S+?)\/?\s/.exec(output);
      if (!match?.[1] || done) return;
      done = true;
      clearInterval(poll);
      resolve({
        child,
        url: match[1],
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
          rmSync(logDir, { recursive: true, force: true });
        },
      });
    }, 25);
    child.once('exit', (code) => {
      clearInterval(poll);
      if (done) return;
      done = true;
      const output = readFileSync(logFile, 'utf8');
      rmSync(logDir, { recursive: true, force: true });
      reject(new Error(`${script} exited with ${code}: ${output}`));
    });
  });
}

/** A port nobody listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
