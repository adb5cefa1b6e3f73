// Helpers for integration tests that run guest programs end to end.
//
//   runCompat(args, opts)  spawns `node bin/compat.js ...args` from the repo root
//   runQemu(args, opts)    spawns `qemu-riscv64 ...args`, or resolves null when
//                          qemu-riscv64 is not on PATH
//
// Both collect stdout as raw bytes, stderr as text, and resolve with the exit
// status / terminating signal. A run that exceeds timeoutMs is killed (its
// whole process group) and the promise REJECTS, so the calling test fails.
//
// COMPAT_TEST_UNDER=qemu makes runCompat run the guest under qemu-riscv64
// instead of compat (args must then start with 'exec'): useful to check that
// the tests and the recorded expectations are right before the emulator exists.
// COMPAT_QEMU overrides the qemu binary (default: qemu-riscv64 on PATH).
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const COMPAT_JS = path.join(REPO_ROOT, 'bin', 'compat.js');

export interface RunOptions {
  /** Complete environment of the child; default: {} (nothing inherited). */
  env?: Record<string, string>;
  /** Working directory; default: the repository root. */
  cwd?: string;
  /** Bytes written to the child's stdin, which is then closed (always closed). */
  input?: string | Buffer;
  /** Kill the child and reject after this long; default 60 s. */
  timeoutMs?: number;
}

export interface RunResult {
  stdout: Buffer;
  stderr: string;
  status: number | null;
  signal: NodeJS.Signals | null;
  /** What was actually spawned, for failure messages. */
  command: string[];
  durationMs: number;
}

export class RunTimeoutError extends Error {
  constructor(
    readonly command: string[],
    readonly timeoutMs: number,
    readonly partial: { stdout: Buffer; stderr: string },
  ) {
    super(
      `timed out after ${timeoutMs} ms (killed): ${command.join(' ')}\n` +
        `--- stdout so far (${partial.stdout.length} bytes, last 2000 shown) ---\n` +
        partial.stdout.subarray(-2000).toString('latin1') +
        `\n--- stderr so far (last 2000 chars) ---\n${partial.stderr.slice(-2000)}`,
    );
    this.name = 'RunTimeoutError';
  }
}

/** Which runner stands in for compat: 'compat' (default) or 'qemu'. */
export function testedRunner(): 'compat' | 'qemu' {
  const v = process.env.COMPAT_TEST_UNDER;
  if (v === undefined || v === '' || v === 'compat') return 'compat';
  if (v === 'qemu') return 'qemu';
  throw new Error(`COMPAT_TEST_UNDER must be 'compat' or 'qemu', not '${v}'`);
}

function findOnPath(name: string): string | null {
  if (name.includes('/')) {
    try {
      accessSync(name, constants.X_OK);
      return path.resolve(name);
    } catch {
      return null;
    }
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* keep looking */
    }
  }
  return null;
}

let qemuCache: string | null | undefined;
/** Absolute path of qemu-riscv64 (or $COMPAT_QEMU), or null when not installed. */
export function qemuPath(): string | null {
  if (qemuCache === undefined) qemuCache = findOnPath(process.env.COMPAT_QEMU || 'qemu-riscv64');
  return qemuCache;
}

/** Spawn a command and collect its output; rejects (after killing) on timeout. */
export function runProcess(command: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const argv = [command, ...args];
  const started = Date.now();
  return new Promise<RunResult>((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: opts.cwd ?? REPO_ROOT,
      env: opts.env ?? {},
      stdio: ['pipe', 'pipe', 'pipe'],
      // own process group, so a timeout can kill anything the child started
      detached: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    let settled = false;
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.stdin!.on('error', () => {
      /* child may exit without reading stdin (EPIPE) */
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
    else child.stdin!.end();

    const killTree = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        try {
          child.kill('SIGKILL');
        } catch {
          /* already gone */
        }
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killTree();
    }, timeoutMs);

    child.on('error', (e) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(new Error(`failed to spawn ${argv.join(' ')}: ${e.message}`));
    });
    // 'close' waits for the stdio streams to drain as well as for exit
    child.on('close', (status, signal) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const stdout = Buffer.concat(out);
      const stderr = Buffer.concat(err).toString('utf8');
      if (timedOut) {
        reject(new RunTimeoutError(argv, timeoutMs, { stdout, stderr }));
        return;
      }
      resolve({ stdout, stderr, status, signal, command: argv, durationMs: Date.now() - started });
    });
  });
}

/**
 * Run the compat CLI: `node bin/compat.js ...args`, e.g. runCompat(['exec', prog, 'a1']).
 * Under COMPAT_TEST_UNDER=qemu, runs `qemu-riscv64 prog a1` instead.
 */
export function runCompat(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  if (testedRunner() === 'qemu') {
    if (args[0] !== 'exec') {
      return Promise.reject(new Error(`COMPAT_TEST_UNDER=qemu only supports 'exec' invocations, got: ${args.join(' ')}`));
    }
    const qemu = qemuPath();
    if (!qemu) return Promise.reject(new Error('COMPAT_TEST_UNDER=qemu but qemu-riscv64 is not on PATH'));
    return runProcess(qemu, args.slice(1), opts);
  }
  return runProcess(process.execPath, [COMPAT_JS, ...args], opts);
}

/** Run `qemu-riscv64 ...args`; resolves null when qemu-riscv64 is not installed. */
export function runQemu(args: string[], opts: RunOptions = {}): Promise<RunResult | null> {
  const qemu = qemuPath();
  if (!qemu) return Promise.resolve(null);
  return runProcess(qemu, args, opts);
}

/** '<code>' or 'signal <NAME>': the form used in test/fixtures/expected/*.status. */
export function formatStatus(r: { status: number | null; signal: NodeJS.Signals | null }): string {
  return r.signal ? `signal ${r.signal}` : String(r.status);
}

/** The architectures scripts/fetch-debian-fixtures.sh fetches busybox-static for. */
export type DebianArch = 'mipsel' | 'arm64';

/** Where scripts/fetch-debian-fixtures.sh puts Debian's busybox-static for `arch`. */
export function debianBusyboxPath(arch: DebianArch = 'mipsel'): string {
  return path.join(REPO_ROOT, 'test/fixtures/debian', arch, 'busybox');
}

/** Debian's busybox-static for mipsel, fetched by scripts/fetch-debian-fixtures.sh when missing. */
export const DEBIAN_BUSYBOX = debianBusyboxPath('mipsel');

/**
 * Makes sure Debian's busybox-static for `arch` (default mipsel) exists, fetching it once with
 * scripts/fetch-debian-fixtures.sh; returns its path, throws the script's message when it cannot.
 */
export function ensureDebianBusybox(arch: DebianArch = 'mipsel'): string {
  const file = debianBusyboxPath(arch);
  if (!existsSync(file)) {
    const r = spawnSync('bash', [path.join(REPO_ROOT, 'scripts/fetch-debian-fixtures.sh'), arch], { encoding: 'utf8' });
    if (r.status !== 0 || !existsSync(file)) throw new Error(`fetching busybox for ${arch} failed: ${(r.stderr || r.stdout).trim()}`);
  }
  return file;
}

/** A guest run beside the reference it must match (the programs suites of every ISA). */
export interface CaseRun { result: RunResult; scratch: string | null; scratchLeft: string[] }

/**
 * The tested run matches its reference: stdout byte for byte, the exit status,
 * the guest's own stderr line when the case names one, and a scratch folder
 * left empty and never printed.
 */
export function expectMatchesReference(
  mine: CaseRun, ref: { stdout: Buffer; status: string; source: string }, c: { stderrIncludes?: string; why?: string },
): void {
  const got = mine.result;
  const context =
    `reference: ${ref.source}${c.why ? ` (${c.why})` : ''}; ran: ${got.command.join(' ')} (${got.durationMs} ms)\n` +
    `stderr (last 4000 chars):\n${got.stderr.slice(-4000)}`;
  // compare as latin1 text: byte-exact, but vitest can show a readable diff
  expect(got.stdout.toString('latin1'), `stdout differs. ${context}`).toBe(ref.stdout.toString('latin1'));
  expect(formatStatus(got), `exit status differs. ${context}`).toBe(ref.status);
  if (c.stderrIncludes !== undefined) {
    expect(got.stderr, "stderr must contain the guest's stderr output").toContain(c.stderrIncludes);
  }
  if (mine.scratch) {
    expect(got.stdout.includes(mine.scratch), 'stdout must not contain the scratch path').toBe(false);
    expect(mine.scratchLeft, 'program must leave its scratch dir empty').toEqual([]);
  }
}
