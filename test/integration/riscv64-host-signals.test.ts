// Host signals sent to the compat process itself (what a shell's Ctrl-C or
// `kill` does) must act on the guest as the kernel would act on a native
// process:
//   - busyloop (spins, default SIGINT action): SIGINT to compat ends it and
//     compat dies of SIGINT itself, so a shell reports 130 (how fast is the
//     benchmark's business: `npm run bench` prints the Ctrl-C latency; the
//     time is only printed here);
//   - termhandler (SIGTERM handler printing "got SIGTERM", exit 3): SIGTERM to
//     compat runs the guest's handler: stdout "ready\ngot SIGTERM\n", status 3.
// COMPAT_TEST_UNDER=qemu sends the signals to qemu-riscv64 instead.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPAT_JS, qemuPath, REPO_ROOT, testedRunner } from './helpers.js';

const BIN_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'bin', 'riscv64', 'proc');
const runner = testedRunner();

interface Outcome {
  stdout: string;
  stderr: string;
  status: number | null;
  signal: NodeJS.Signals | null;
  /** ms from the kill() call to the 'exit' event */
  exitAfterKillMs: number;
}

/** Starts the guest, waits for "ready\n" on stdout, sends `sig` to the runner's own pid, waits for exit. */
function startAndSignal(bin: string, sig: NodeJS.Signals, timeoutMs = 30_000): Promise<Outcome> {
  const prog = path.relative(REPO_ROOT, path.join(BIN_DIR, bin));
  let cmd: string, args: string[];
  if (runner === 'qemu') {
    const q = qemuPath();
    if (!q) return Promise.reject(new Error('COMPAT_TEST_UNDER=qemu but qemu-riscv64 is not on PATH'));
    [cmd, args] = [q, [prog]];
  } else {
    [cmd, args] = [process.execPath, [COMPAT_JS, 'exec', prog]];
  }
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: REPO_ROOT, env: { HOME: '/tmp', LANG: 'C' }, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let out = '';
    let err = '';
    let killedAt = 0;
    let exitAt = 0;
    let done = false;
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
      reject(new Error(`timed out after ${timeoutMs} ms (${killedAt ? 'after' : 'before'} sending ${sig}); stdout: ${JSON.stringify(out)}; stderr: ${err.slice(-2000)}`));
    }, timeoutMs);
    child.stdout!.setEncoding('latin1');
    child.stdout!.on('data', (d: string) => {
      out += d;
      if (!killedAt && out.includes('ready\n')) {
        killedAt = performance.now();
        child.kill(sig); // the runner's own pid only, as `kill -INT <pid>` would
      }
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', () => {
      exitAt = performance.now();
    });
    child.on('close', (status, signal) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (!killedAt) {
        reject(new Error(`exited (${status ?? signal}) before printing "ready"; stdout: ${JSON.stringify(out)}; stderr: ${err.slice(-2000)}`));
        return;
      }
      resolve({ stdout: out, stderr: err, status, signal, exitAfterKillMs: exitAt - killedAt });
    });
  });
}

/** What a POSIX shell shows in $? for this outcome. */
function shellStatus(o: { status: number | null; signal: NodeJS.Signals | null }): number {
  if (o.signal) {
    const n = { SIGINT: 2, SIGTERM: 15, SIGKILL: 9 }[o.signal as string];
    return 128 + (n ?? 0);
  }
  return o.status ?? -1;
}

describe(`host signals sent to ${runner === 'qemu' ? 'qemu-riscv64 (COMPAT_TEST_UNDER=qemu)' : 'compat exec'}`, () => {
  it('SIGINT ends a busy-looping guest; compat dies of SIGINT, shell status 130', async () => {
    const o = await startAndSignal('busyloop', 'SIGINT');
    console.log(`busyloop: SIGINT to exit took ${Math.round(o.exitAfterKillMs * 10) / 10} ms`);
    expect(o.stdout).toBe('ready\n');
    expect(o.signal, `must die of SIGINT itself (status ${o.status}); stderr: ${o.stderr.slice(-2000)}`).toBe('SIGINT');
    expect(shellStatus(o)).toBe(130);
  });

  it('SIGTERM runs the guest\'s SIGTERM handler: "got SIGTERM", status 3', async (ctx) => {
    const o = await startAndSignal('termhandler', 'SIGTERM');
    const ms = Math.round(o.exitAfterKillMs * 10) / 10;
    ctx.task.name += ` -- measured ${ms} ms`;
    expect(o.stdout).toBe('ready\ngot SIGTERM\n');
    expect(o.signal, `must exit normally; stderr: ${o.stderr.slice(-2000)}`).toBe(null);
    expect(o.status).toBe(3);
  });
});
