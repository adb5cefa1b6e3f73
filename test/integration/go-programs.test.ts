// Static Go programs, built by scripts/build-go-fixtures.sh with Debian's
// golang-go from test/fixtures/src/go/<name>/, run under compat on every
// guest arch they were built for. The Go runtime is the Go project's code:
// threads, futexes, its epoll netpoller for timers, signals (os/signal,
// SIGURG preemption), os/exec of itself. The reference is the native build
// of the same source on the host kernel (its output is arch-neutral),
// recorded in test/fixtures/expected/go/; with a Go toolchain on PATH the
// test checks the recording against a fresh native build too.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatStatus, REPO_ROOT, runCompat } from './helpers.js';

const SRC = path.join(REPO_ROOT, 'test/fixtures/src/go');
const BIN = path.join(REPO_ROOT, 'test/fixtures/bin/go');
const EXPECTED = path.join(REPO_ROOT, 'test/fixtures/expected/go');
const TARGETS = ['riscv64', 'mipsle-softfloat', 'mipsle-hardfloat', 'mips-softfloat', 'arm64'];
const PROGRAMS = ['runtime'];
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
