// Interrupted calls as Linux restarts them (personalities/linux/restart-table.ts):
// test/fixtures/src/riscv64/proc/interrupt.c blocks in every call of the table,
// takes a handled SIGALRM with and without SA_RESTART, a stop/continue and an
// ignored signal, and prints each call's result and errno. The reference is
// the same program built natively for this host and run on the host kernel
// (its output is architecture-neutral), not qemu: the test checks Linux, not
// a recording. The native build is made here with the host's C compiler;
// test/fixtures/expected/interrupt/native.stdout keeps its output for
// machines without one, and the test checks that recording against the live
// run whenever it can.
//
// read on a tty needs a terminal: that row runs under script(1), which gives
// the program a pseudo-terminal, for the native build and under compat alike.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPAT_JS, formatStatus, REPO_ROOT, runCompat, runProcess } from './helpers.js';

const SOURCE = path.join(REPO_ROOT, 'test/fixtures/src/riscv64/proc/interrupt.c');
const RECORDED = path.join(REPO_ROOT, 'test/fixtures/expected/interrupt/native.stdout');
const GUESTS: Record<string, string> = {
  riscv64: 'test/fixtures/bin/riscv64/proc/interrupt',
  mipsel: 'test/fixtures/bin/mipsel/prog/proc/interrupt',
  mips: 'test/fixtures/bin/mips/prog/proc/interrupt',
};
const ENV = { HOME: '/tmp', LANG: 'C', PATH: '/usr/bin:/bin' };
const TIMEOUT_MS = 180_000;
/** A run gives up (killed, its output so far in the failure) before the test's own timeout would hide that output. */
const RUN_TIMEOUT_MS = 150_000;

let scratch = '';
let native: string | null = null;
let nativeOut: Promise<string> | null = null;

function haveCompiler(): string | null {
  for (const cc of ['cc', 'gcc']) if (spawnSync(cc, ['--version']).status === 0) return cc;
  return null;
}

/** Runs `argv` under script(1) (a pseudo-terminal), stdin kept open so the tty sees no end of file. */
function underTerminal(argv: string[]): Promise<string> {
  const cmd = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', cmd, '/dev/null'], { cwd: REPO_ROOT, env: ENV, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`timed out: ${cmd}; output so far:\n${Buffer.concat(out).toString()}`)); }, RUN_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      child.stdin.destroy();
      if (status !== 0) reject(new Error(`script ${cmd} exited ${status}: ${Buffer.concat(out).toString()}`));
      else resolve(Buffer.concat(out).toString('latin1').replace(/\r\n/g, '\n'));
    });
  });
}

beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'compat-interrupt-'));
  const cc = haveCompiler();
  if (!cc) return;
  native = path.join(scratch, 'interrupt');
  const r = spawnSync(cc, ['-O2', '-Wall', '-pthread', '-o', native, SOURCE], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`native build of ${SOURCE} failed: ${r.stderr}`);
  // started once, shared by every comparison below (it runs while the guests do)
  nativeOut = runProcess(native, [], { env: ENV, timeoutMs: RUN_TIMEOUT_MS }).then((x) => {
    if (x.status !== 0) throw new Error(`native interrupt exited ${formatStatus(x)}: ${x.stderr}`);
    return x.stdout.toString('latin1');
  });
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** The host kernel's answer: the live native run, or the recording when there is no C compiler. */
function reference(): Promise<string> {
  return nativeOut ?? Promise.resolve(readFileSync(RECORDED, 'latin1'));
}

describe('interrupted calls as the Linux kernel handles them (reference: the native build on the host kernel)', () => {
  it('the recorded native output is what the native build prints now', async () => {
    expect(existsSync(RECORDED), `missing ${RECORDED}`).toBe(true);
    if (!nativeOut) return; // no compiler here: the recording is the reference
    expect(await nativeOut).toBe(readFileSync(RECORDED, 'latin1'));
  }, TIMEOUT_MS);

  it('the native output has a line for every row, each saying what Linux does', async () => {
    const out = await reference();
    // the issue's own case, and rows that separate the rules (restart-table.ts)
    expect(out).toContain('alarm-pause          handler       ret -1 errno EINTR signals 1');
    expect(out).toContain('read-pipe            SA_RESTART    ret -1 errno EINTR signals 2'); // ERESTARTSYS: restarted once
    expect(out).toContain('ppoll                SA_RESTART    ret -1 errno EINTR signals 1'); // ERESTARTNOHAND: not restarted
    expect(out).toContain('stop-sigtimedwait    no handler    ret -1 errno EINTR'); // plain EINTR even with no handler
    expect(out.trim().split('\n').length).toBeGreaterThanOrEqual(50);
  }, TIMEOUT_MS);

  for (const [isa, bin] of Object.entries(GUESTS)) {
    it.concurrent(`${isa}: every row prints what the native build prints`, async () => {
      const [mine, ref] = await Promise.all([runCompat(['exec', bin], { env: ENV, timeoutMs: RUN_TIMEOUT_MS }), reference()]);
      expect(mine.stderr).toBe('');
      expect(formatStatus(mine)).toBe('0');
      expect(mine.stdout.toString('latin1')).toBe(ref);
    }, TIMEOUT_MS);
  }

  it.concurrent('riscv64 --trace: pause() is ppoll, interrupted once (ERESTARTNOHAND), the handler returns, no second ppoll', async () => {
    const r = await runCompat(['exec', '--trace', GUESTS.riscv64, 'alarm-pause'], { env: ENV, timeoutMs: RUN_TIMEOUT_MS });
    expect(r.stdout.toString()).toBe('alarm-pause          handler       ret -1 errno EINTR signals 1\n');
    const lines = r.stderr.split('\n');
    const at = lines.findIndex((l) => l.startsWith('ppoll(NULL, 0, NULL, NULL'));
    expect(lines[at], r.stderr).toMatch(/ = \? ERESTARTNOHAND \(To be restarted if no handler\)$/);
    expect(lines[at + 1]).toMatch(/^rt_sigreturn\(/);
    expect(lines.filter((l) => l.startsWith('ppoll('))).toHaveLength(1);
  }, TIMEOUT_MS);

  for (const isa of ['riscv64', 'mipsel']) {
    it.concurrent(`${isa}: read on a terminal, under script(1), prints what the native build prints`, async () => {
      if (!native) throw new Error('no C compiler (cc) on this machine to build the native reference of the tty row');
      const [mine, ref] = await Promise.all([
        underTerminal([process.execPath, COMPAT_JS, 'exec', GUESTS[isa], 'read-tty']),
        underTerminal([native, 'read-tty']),
      ]);
      expect(ref).toContain('read-tty             SA_RESTART    ret -1 errno EINTR signals 2');
      expect(mine).toBe(ref);
    }, TIMEOUT_MS);
  }
});
