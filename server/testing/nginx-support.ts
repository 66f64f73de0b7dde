import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The binary, or a failure that names the Debian package to install. */
export function requireBinary(name: string, debianPackage: string): string {
  for (const dir of ['/usr/sbin', '/usr/bin', '/sbin', '/bin']) {
    if (existsSync(join(dir, name))) return join(dir, name);
  }
  throw new Error(`This test runs the real ${name}: install it (Debian: apt-get install ${debianPackage}).`);
}

export async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000) {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Runs Debian's nginx with one of our recipes (a `server` block) in `dir`; resolves once it listens. */
export async function startNginx(dir: string, serverBlock: string): Promise<ChildProcess> {
  const nginx = requireBinary('nginx', 'nginx');
  // nginx's workers may run as another user than the tests (nobody, when started as root).
  chmodSync(dir, 0o711);
  for (const temp of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, temp), { recursive: true });
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
${serverBlock}
}
`,
  );
  const server = spawn(nginx, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  await waitFor(() => existsSync(join(dir, 'nginx.pid')), `nginx (see ${dir}/error.log)`);
  return server;
}
