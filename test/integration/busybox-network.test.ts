// Debian's busybox-static for mipsel as network tools under compat, against
// each other and against host programs, all on this machine's loopback:
// httpd serving a folder to busybox wget and to the host's curl, wget fetching
// from a host server, nc listening and nc connecting (two compat processes,
// and both inside one guest shell), and wget inside a `network: none` jail.
// The reference is what the tools must do: the bytes served are the files'
// bytes, a missing page is a 404 and wget's exit status 1.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttp } from 'node:http';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPAT_JS, ensureDebianBusybox } from './helpers.js';

const TIMEOUT_MS = 60_000;
let busybox: string;
let dir: string;
const data = randomBytes(200_000);

beforeAll(() => {
  busybox = ensureDebianBusybox();
  dir = mkdtempSync(path.join(tmpdir(), 'compat-bbnet-'));
  writeFileSync(path.join(dir, 'index.html'), '<h1>from busybox httpd</h1>\n');
  writeFileSync(path.join(dir, 'data.bin'), data);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Done { status: number | null; signal: NodeJS.Signals | null; stdout: Buffer; stderr: string }

/** `compat exec [opts] busybox ARGS`, asynchronous (host servers live in this event loop); `input` goes to its stdin. */
function bb(args: string[], opts: { compat?: string[]; input?: string } = {}): { done: Promise<Done>; kill: () => void } {
  const c = spawn(process.execPath, [COMPAT_JS, 'exec', ...(opts.compat ?? []), busybox, ...args], {
    cwd: dir, env: { PATH: '/usr/bin:/bin', HOME: '/tmp', LANG: 'C' },
  });
  const out: Buffer[] = [];
  let stderr = '';
  c.stdout.on('data', (d: Buffer) => out.push(d));
  c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  c.stdin.end(opts.input ?? '');
  const done = new Promise<Done>((res) => c.on('close', (status, signal) => res({ status, signal, stdout: Buffer.concat(out), stderr })));
  return { done, kill: () => c.kill('SIGTERM') };
}

/** A loopback port nobody listens on now. */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Waits until something accepts connections on 127.0.0.1:port. */
async function listening(port: number, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((res) => {
      const s = new Socket();
      s.once('connect', () => { s.destroy(); res(true); });
      s.once('error', () => res(false));
      s.connect(port, '127.0.0.1');
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nothing listens on 127.0.0.1:${port} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const CURL = spawnSync('sh', ['-c', 'command -v curl'], { encoding: 'utf8' }).stdout.trim();

describe('busybox (mipsel) network tools under compat', () => {
  it('httpd serves a folder to busybox wget and to the host\'s curl; a missing page is a 404', async () => {
    const port = await freePort();
    const httpd = bb(['httpd', '-f', '-p', `127.0.0.1:${port}`, '-h', dir]);
    try {
      await listening(port);
      const got = await bb(['wget', '-q', '-O', '-', `http://127.0.0.1:${port}/data.bin`]).done;
      expect(got.stderr).toBe('');
      expect(got.status).toBe(0);
      expect(got.stdout.equals(data), 'wget got the file\'s bytes').toBe(true);
      const missing = await bb(['wget', '-q', '-O', '-', `http://127.0.0.1:${port}/missing`]).done;
      expect(missing.status).toBe(1);
      expect(missing.stderr).toContain('404 Not Found');
      expect(CURL, 'the host client is curl: apt-get install curl').not.toBe('');
      const c = spawnSync(CURL, ['-sS', '--max-time', '30', `http://127.0.0.1:${port}/index.html`], { encoding: 'utf8' });
      expect(c.stdout).toBe('<h1>from busybox httpd</h1>\n');
    } finally {
      httpd.kill();
    }
    const end = await httpd.done;
    expect(end.signal ?? end.status, 'httpd ends by the SIGTERM it was sent').toBe('SIGTERM');
  }, TIMEOUT_MS);

  it('wget fetches from a host server; inside a `network: none` jail it cannot', async () => {
    const server = createHttp((req, res) => res.end(`host answer to ${req.url}\n`));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (server.address() as { port: number }).port;
      const ok = await bb(['wget', '-q', '-O', '-', `http://127.0.0.1:${port}/hello`]).done;
      expect(ok.stdout.toString()).toBe('host answer to /hello\n');
      expect(ok.status).toBe(0);
      const none = await bb(['wget', '-q', '-O', '-', `http://127.0.0.1:${port}/hello`], { compat: ['--network', 'none'] }).done;
      expect(none.stdout.toString()).toBe('');
      expect(none.status).toBe(1);
      expect(none.stderr).toContain('wget: socket: Permission denied');
    } finally {
      server.close();
    }
  }, TIMEOUT_MS);

  it('nc -l in one compat process receives what nc sends from another', async () => {
    const port = await freePort();
    const server = bb(['nc', '-l', '-p', String(port)]);
    // no probe connection: nc -l takes the first one that comes; the client tries until the listener is there
    let client: Done;
    const until = Date.now() + 30_000;
    do client = await bb(['nc', '127.0.0.1', String(port)], { input: 'over the wire\n' }).done;
    while (client.status !== 0 && Date.now() < until);
    expect(client.status, client.stderr).toBe(0);
    const got = await server.done;
    expect(got.stdout.toString()).toBe('over the wire\n');
    expect(got.status).toBe(0);
  }, TIMEOUT_MS);

  it('nc -l and nc inside one guest shell (two guest processes)', async () => {
    const port = await freePort();
    const r = await bb(['sh', '-c', `nc -l -p ${port} > got & until echo inside | nc 127.0.0.1 ${port} 2>/dev/null; do sleep 0.1; done; wait; cat got`]).done;
    expect(r.stderr).toBe('');
    expect(r.stdout.toString()).toBe('inside\n');
    expect(r.status).toBe(0);
  }, TIMEOUT_MS);
});
