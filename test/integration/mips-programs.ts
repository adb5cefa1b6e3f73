// The MIPS programs suite, one byte order per test file (mipsel-programs.test.ts,
// mips-programs.test.ts) so the two run in parallel.
//
// End-to-end: the ordinary C test programs (the riscv64 sources, built for
// MIPS32 o32 by scripts/build-mips-fixtures.sh, static, for little-endian
// mipsel and big-endian mips) run under `compat exec` must print exactly what
// they print under the reference and exit the same way. Programs, processes,
// threads and signals, for both byte orders.
//
// Cases: test/fixtures/expected/<target>/prog/cases.json (shared with
// scripts/record-expected.sh --mips). Reference, per case:
//   - live qemu-mipsel / qemu-mips when on PATH, except
//       * "qemuDiffers" cases, where qemu 7.2 is known to behave unlike the
//         MIPS Linux kernel: the recorded <case>.stdout/.status (the kernel's
//         behaviour, copied from the riscv64 kernel recording or written by
//         hand; the case's "why" explains) are the reference;
//         ("qemuHostDependent" ones: qemu's answer depends on the host, so
//         it is neither recorded nor required to differ);
//       * "needsBinfmt" cases when qemu-<target> is not registered in
//         binfmt_misc (qemu cannot execve a MIPS program without it);
//   - otherwise the recorded <case>.stdout/.status.
// The test name says which reference a case uses.
//
// COMPAT_TEST_UNDER=qemu runs the guests under qemu-<target> instead of compat
// to check the tests and recordings themselves: "qemuDiffers" cases are then
// compared with qemu's own recorded output (<case>.qemu.stdout/.status) and
// "needsBinfmt" cases are skipped without a binfmt_misc entry.
// COMPAT_QEMU_MIPSEL / COMPAT_QEMU_MIPS override the qemu binaries.
import { accessSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectMatchesReference, formatStatus, REPO_ROOT, runCompat, runProcess, testedRunner, type RunOptions, type RunResult } from './helpers.js';

interface Case {
  name: string;
  bin: string;
  args: string[];
  env?: Record<string, string>;
  input?: string;
  timeoutMs?: number;
  stderrIncludes?: string;
  qemuDiffers?: boolean;
  qemuHostDependent?: boolean;
  kernelFrom?: string;
  kernelByHand?: boolean;
  why?: string;
  needsBinfmt?: boolean;
  fallbackFrom?: string;
  /** x86_64: variables added to the environment of the host (native) reference run only (GLIBC_TUNABLES masking CPU features compat's CPU lacks). */
  hostEnv?: Record<string, string>;
}
interface CaseFile {
  defaultEnv: Record<string, string>;
  cases: Case[];
}

/**
 * A MIPS byte order, or aarch64 / x86_64: the same programs, cases and references
 * (test/integration/aarch64-programs.test.ts, x86_64-programs.test.ts). For x86_64 on an
 * x86-64 Linux host the live reference is the binary run directly on the host (the kernel's
 * and the CPU's own answer) instead of qemu.
 */
export type Target = 'mipsel' | 'mips' | 'aarch64' | 'x86_64';

/** True when `target` binaries run natively here: the host is their reference. */
function hostRuns(target: Target): boolean {
  return target === 'x86_64' && process.platform === 'linux' && process.arch === 'x64';
}

const DEFAULT_TIMEOUT_MS = 120_000;
const timeoutOverride = Number(process.env.COMPAT_TEST_TIMEOUT_MS) || undefined;
const runner = testedRunner();

function findOnPath(name: string): string | null {
  const candidates = name.includes('/') ? [name] : (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((d) => path.join(d, name));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return path.resolve(c);
    } catch {
      /* keep looking */
    }
  }
  return null;
}
function qemuFor(target: Target): string | null {
  return findOnPath(process.env[`COMPAT_QEMU_${target.toUpperCase()}`] || `qemu-${target}`);
}

// binfmt_misc magic of a 32-bit MIPS ELF (class 1, data 1 = LE / 2 = BE, e_machine 8)
const MAGIC: Record<Target, RegExp> = {
  mipsel: /^magic 7f454c46010101[0-9a-f]{22}0800/m,
  mips: /^magic 7f454c46010201[0-9a-f]{22}0008/m,
  // a 64-bit little-endian AArch64 ELF (class 2, data 1, e_machine 183)
  aarch64: /^magic 7f454c46020101[0-9a-f]{22}b700/m,
  x86_64: /^magic 7f454c46020101[0-9a-f]{22}3e00/m,
};
const FIXTURE_SCRIPT: Record<Target, string> = { mipsel: 'mips', mips: 'mips', aarch64: 'aarch64', x86_64: 'x86' };
const KERNEL_NAME: Record<Target, string> = { mipsel: 'MIPS', mips: 'MIPS', aarch64: 'arm64', x86_64: 'x86-64' };
function binfmtRegistered(target: Target): boolean {
  const dir = '/proc/sys/fs/binfmt_misc';
  try {
    for (const f of readdirSync(dir)) {
      if (f === 'register' || f === 'status') continue;
      const t = readFileSync(path.join(dir, f), 'utf8');
      if (/^enabled/m.test(t) && MAGIC[target].test(t)) return true;
    }
  } catch {
    /* binfmt_misc not mounted */
  }
  return false;
}

type Via = (args: string[], opts: RunOptions) => Promise<RunResult>;

function recorded(base: string, what: string) {
  if (!existsSync(`${base}.stdout`) || !existsSync(`${base}.status`)) {
    throw new Error(`no recorded expectation ${base}.stdout/.status (${what}; run scripts/record-expected.sh --mips, --aarch64 or --x86_64)`);
  }
  return {
    stdout: readFileSync(`${base}.stdout`),
    status: readFileSync(`${base}.status`, 'utf8').trim(),
    source: `${what} ${path.relative(REPO_ROOT, base)}.{stdout,status}`,
  };
}

/** The suite for one byte order; test/integration/{mipsel,mips}-programs.test.ts each run one, in parallel files. */
export function mipsProgramsSuite(target: Target): void {
  const BIN_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'bin', target, 'prog');
  const EXPECTED_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'expected', target, 'prog');
  const spec: CaseFile = JSON.parse(readFileSync(path.join(EXPECTED_DIR, 'cases.json'), 'utf8'));
  const native = hostRuns(target);
  const qemu = native ? 'host' : qemuFor(target);
  const haveBinfmt = native || binfmtRegistered(target);
  const live = native ? 'the host (native run)' : `qemu-${target}`;

  const viaQemu: Via = (args, opts) => {
    if (native) return runProcess(path.resolve(REPO_ROOT, args[1]), args.slice(2), opts);
    if (!qemu) return Promise.reject(new Error(`qemu-${target} is not on PATH`));
    return runProcess(qemu, args.slice(1), opts);
  };
  // the runner under test: compat, or qemu-<target> under COMPAT_TEST_UNDER=qemu
  // (helpers.runCompat's qemu mode only knows qemu-riscv64)
  const viaTested: Via = runner === 'qemu' ? viaQemu : (args, opts) => runCompat(args, opts);

  async function runCase(c: Case, via: Via, timeoutMs: number) {
    const scratch = c.args.some((a) => a.includes('{tmpdir}')) ? mkdtempSync(path.join(tmpdir(), `compat-${target}-`)) : null;
    try {
      const args = c.args.map((a) => (scratch ? a.split('{tmpdir}').join(scratch) : a));
      // a relative program path, as a user would type it from the repo root
      const prog = path.relative(REPO_ROOT, path.join(BIN_DIR, c.bin));
      const result = await via(['exec', prog, ...args], { env: c.env ?? spec.defaultEnv, cwd: REPO_ROOT, input: c.input, timeoutMs });
      return { result, scratch, scratchLeft: scratch ? readdirSync(scratch) : [] };
    } finally {
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    }
  }

  /** Which reference a case is compared with, decided up front so the test name can say it. */
  function plan(c: Case): { kind: 'live' | 'kernel' | 'qemu-recorded' | 'recorded' | 'skip'; why: string } {
    if (runner === 'qemu') {
      if (!qemu) return { kind: 'skip', why: `COMPAT_TEST_UNDER=qemu but qemu-${target} is not on PATH` };
      if (c.needsBinfmt && !haveBinfmt) return { kind: 'skip', why: `qemu-${target} is not registered in binfmt_misc, so qemu cannot execve MIPS programs` };
      if (c.qemuHostDependent) return { kind: 'skip', why: "qemuHostDependent: qemu's output depends on the host, so there is no recording of it to compare with" };
      if (c.qemuDiffers) return { kind: 'qemu-recorded', why: "qemuDiffers: compared with qemu's own recorded output (.qemu.stdout), not the kernel's" };
      return { kind: 'recorded', why: 'recorded qemu output' };
    }
    if (c.qemuDiffers) return { kind: 'kernel', why: `qemuDiffers: reference = recorded ${KERNEL_NAME[target]} kernel behaviour (${c.kernelByHand ? 'written by hand' : `from ${c.kernelFrom}`})` };
    if (c.needsBinfmt && !haveBinfmt) {
      return { kind: 'recorded', why: `recorded (qemu-${target} not in binfmt_misc${c.fallbackFrom ? `; may be the ${c.fallbackFrom} recording` : ''})` };
    }
    if (qemu === null) return { kind: 'recorded', why: `recorded (no qemu-${target} on PATH)` };
    return { kind: 'live', why: `live ${live}` };
  }

  describe(`${target}${target === 'aarch64' || target === 'x86_64' ? '' : ' (MIPS o32)'} programs under ${runner === 'qemu' ? `qemu-${target} (COMPAT_TEST_UNDER=qemu)` : 'compat exec'}`, () => {
    it('has every fixture binary and recorded expectation', () => {
      for (const c of spec.cases) {
        expect(existsSync(path.join(BIN_DIR, c.bin)), `missing binary ${target}/prog/${c.bin} (run scripts/build-${FIXTURE_SCRIPT[target]}-fixtures.sh)`).toBe(true);
        expect(existsSync(path.join(EXPECTED_DIR, `${c.name}.stdout`)), `missing ${c.name}.stdout`).toBe(true);
        expect(existsSync(path.join(EXPECTED_DIR, `${c.name}.status`)), `missing ${c.name}.status`).toBe(true);
        // qemu's output of a qemuDiffers case that execs MIPS programs can only be recorded with binfmt_misc
        if (c.qemuDiffers && !c.needsBinfmt && !c.qemuHostDependent) {
          expect(existsSync(path.join(EXPECTED_DIR, `${c.name}.qemu.stdout`)), `missing ${c.name}.qemu.stdout`).toBe(true);
          expect(existsSync(path.join(EXPECTED_DIR, `${c.name}.qemu.status`)), `missing ${c.name}.qemu.status`).toBe(true);
        }
      }
    });

    it('qemuDiffers cases really differ between the kernel expectation and the qemu recording', () => {
      for (const c of spec.cases.filter((x) => x.qemuDiffers)) {
        expect(c.why, `${c.name}: a qemuDiffers case must say why`).toBeTruthy();
        expect(Boolean(c.kernelByHand) !== Boolean(c.kernelFrom), `${c.name}: exactly one of kernelByHand / kernelFrom`).toBe(true);
        expect(!c.qemuHostDependent || !existsSync(path.join(EXPECTED_DIR, `${c.name}.qemu.stdout`)), `${c.name}: qemuHostDependent keeps no qemu recording`).toBe(true);
        if (c.qemuHostDependent) continue; // qemu equals the kernel on some hosts
        const qbase = path.join(EXPECTED_DIR, `${c.name}.qemu`);
        if (!existsSync(`${qbase}.stdout`)) continue; // needsBinfmt, never run under qemu here
        const k = recorded(path.join(EXPECTED_DIR, c.name), 'kernel');
        const q = recorded(qbase, 'qemu');
        expect(k.stdout.equals(q.stdout) && k.status === q.status, `${c.name}: qemu agrees with the kernel expectation; drop qemuDiffers`).toBe(false);
      }
    });

    for (const c of spec.cases) {
      const timeoutMs = timeoutOverride ?? c.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const p = plan(c);
      const title = `${target} ${c.name}: ${c.bin} ${c.args.map((a) => JSON.stringify(a)).join(' ')} [reference: ${p.why}]`;
      if (p.kind === 'skip') {
        it.skip(title, () => {});
        continue;
      }
      it(
        title,
        async () => {
          const refPromise =
            p.kind === 'live'
              ? runCase(native && c.hostEnv ? { ...c, env: { ...(c.env ?? spec.defaultEnv), ...c.hostEnv } } : c, viaQemu, timeoutMs).then(({ result }) => ({ stdout: result.stdout, status: formatStatus(result), source: `${live} (live)` }))
              : Promise.resolve(
                  p.kind === 'qemu-recorded'
                    ? recorded(path.join(EXPECTED_DIR, `${c.name}.qemu`), 'recorded qemu output')
                    : recorded(path.join(EXPECTED_DIR, c.name), p.kind === 'kernel' ? 'recorded kernel behaviour' : 'recorded'),
                );
          // the tested run and the live reference run concurrently, each in its own scratch dir
          const [mine, ref] = await Promise.all([runCase(c, viaTested, timeoutMs), refPromise]);
          expectMatchesReference(mine, ref, c);
        },
        // the tested run and the reference run in parallel; leave room for setup
        timeoutMs + 30_000,
      );
    }
  });
}
