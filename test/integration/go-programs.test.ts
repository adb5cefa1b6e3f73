// Static Go programs, built by scripts/build-go-fixtures.sh with Debian's
// golang-go from test/fixtures/src/go/<name>/, run under compat on every
// guest arch they were built for. The Go runtime is the Go project's code:
// threads, futexes, its epoll netpoller for timers, signals (os/signal,
// SIGURG preemption), os/exec of itself. The reference is the native build
// of the same source on the host kernel (its output is arch-neutral),
// recorded in test/fixtures/expected/go/; with a Go toolchain on PATH the
// test checks the recording against a fresh native build too. nethttp is
// Go's net/http over loopback; it also serves a host curl (the guest as
// server, inside a `loopback` jail too) and fetches from a host server.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatStatus, REPO_ROOT, runCompat } from './helpers.js';

const SRC = path.join(REPO_ROOT, 'test/fixtures/src/go');
const BIN = path.join(REPO_ROOT, 'test/fixtures/bin/go');
const EXPECTED = path.join(REPO_ROOT, 'test/fixtures/expected/go');
const TARGETS = ['riscv64', 'mipsle-softfloat', 'mipsle-hardfloat', 'mips-softfloat', 'arm64'];
const PROGRAMS = ['runtime', 'nethttp'];
const TIMEOUT_MS = 120_000;

const hasGo = spawnSync('sh', ['-c', 'command -v go'], { encoding: 'utf8' }).status === 0;

describe('static Go programs under compat exec (reference: the native build on the host kernel)', () => {
  for (const name of PROGRAMS) {
    const want = readFileSync(path.join(EXPECTED, `${name}.stdout`), 'latin1');
    const wantStatus = readFileSync(path.join(EXPECTED, `${name}.status`), 'utf8').trim();

    it.runIf(hasGo)(`${name}: the recorded output is what a native build prints now`, () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'compat-go-'));
      try {
        const exe = path.join(dir, name);
        const build = spawnSync('go', ['build', '-o', exe, '.'], {
          cwd: path.join(SRC, name), encoding: 'utf8',
          env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-trimpath', GOCACHE: path.join(dir, 'cache'), GOPATH: path.join(dir, 'gopath') },
        });
        expect(build.status, build.stderr).toBe(0);
        const run = spawnSync(exe, [], { encoding: 'latin1', env: { PATH: '/usr/bin:/bin', HOME: dir } });
        expect(run.stdout).toBe(want);
        expect(String(run.status)).toBe(wantStatus);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, TIMEOUT_MS);

    for (const target of TARGETS) {
      const bin = path.join(BIN, `${name}-${target}`);
      it(`${name} for ${target}: prints what the native build prints`, async () => {
        expect(existsSync(bin), `${bin} is missing: run scripts/build-go-fixtures.sh`).toBe(true);
        const r = await runCompat(['exec', bin], { env: { PATH: '/usr/bin:/bin', HOME: '/tmp' }, timeoutMs: TIMEOUT_MS });
        expect(r.stderr).toBe('');
        expect(r.stdout.toString('latin1')).toBe(want);
        expect(formatStatus(r)).toBe(wantStatus);
      }, TIMEOUT_MS + 10_000);
    }
  }
});

const CURL = spawnSync('sh', ['-c', 'command -v curl'], { encoding: 'utf8' }).stdout.trim();

/** Starts `compat exec [opts] nethttp-<target> serve`; resolves with its port once it listens. */
function serveGuest(target: string, opts: string[]): Promise<{ port: number; done: Promise<{ status: number | null; stdout: string; stderr: string }> }> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/compat.js'), 'exec', ...opts, path.join(BIN, `nethttp-${target}`), 'serve'], {
      env: { PATH: '/usr/bin:/bin', HOME: '/tmp' },
    });
    let stdout = '', stderr = '', told = false;
    const done = new Promise<{ status: number | null; stdout: string; stderr: string }>((res) => c.on('close', (status) => res({ status, stdout, stderr })));
    c.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /^listening (\d+)$/m.exec(stdout);
      if (m && !told) { told = true; resolve({ port: Number(m[1]), done }); }
    });
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    void done.then((r) => { if (!told) reject(new Error(`the guest server ended before listening: ${JSON.stringify(r)}`)); });
  });
}

const curl = (args: string[]): Promise<{ status: number | null; stdout: string }> => new Promise((res) => {
  const c = spawn(CURL, ['-sS', '--max-time', '60', ...args]);
  let stdout = '';
  c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  c.on('close', (status) => res({ status, stdout }));
});

describe('Go net/http and the host', () => {
  for (const [target, opts] of [['riscv64', []], ['mipsle-hardfloat', ['--network', 'loopback']]] as const) {
    it(`a guest server (${target}${opts.length ? ', --network loopback' : ''}) answers the host's curl`, async () => {
      expect(CURL, 'the host client is curl: apt-get install curl').not.toBe('');
      const g = await serveGuest(target, [...opts]);
      const base = `http://127.0.0.1:${g.port}`;
      const hello = await curl([`${base}/hello`]);
      expect(hello.stdout).toBe('hello from the guest, GET /hello\n');
      const body = 'x'.repeat(100_000);
      const echo = await curl(['--data-binary', body, `${base}/echo`]);
      const { createHash } = await import('node:crypto');
      expect(echo.stdout).toBe(`100000 bytes, sha256 ${createHash('sha256').update(body).digest('hex')}\n`);
      const quit = await curl([`${base}/quit`]);
      expect(quit.stdout).toBe('bye\n');
      const r = await g.done;
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(`listening ${g.port}\nserved\n`);
      expect(r.status).toBe(0);
    }, TIMEOUT_MS);
  }

  it('a guest client (riscv64) fetches from a host server', async () => {
    const server = createServer((req, res) => { res.end(`host says hi to ${req.method} ${req.url}`); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (server.address() as { port: number }).port;
      const r = await runCompat(['exec', path.join(BIN, 'nethttp-riscv64'), 'fetch', `http://127.0.0.1:${port}/from-guest`], {
        env: { PATH: '/usr/bin:/bin', HOME: '/tmp' }, timeoutMs: TIMEOUT_MS,
      });
      expect(r.stderr).toBe('');
      expect(r.stdout.toString('latin1')).toBe('200 OK "host says hi to GET /from-guest"\n');
      expect(formatStatus(r)).toBe('0');
    } finally {
      server.close();
    }
  }, TIMEOUT_MS);
});
