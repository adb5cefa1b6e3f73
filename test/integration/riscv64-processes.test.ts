// End-to-end: riscv64 programs that fork, exec, wait, use pipes, threads and
// signals (test/fixtures/src/riscv64/proc/*.c, built static by
// scripts/build-fixtures.sh) run under `compat exec` must print exactly what
// they print under the reference and exit the same way.
//
// Cases: test/fixtures/expected/riscv64/proc/cases.json (shared with
// scripts/record-expected.sh). Reference, per case:
//   - live qemu-riscv64 when it is on PATH, except
//       * "qemuDiffers" cases, where qemu 7.2 is known to behave unlike the
//         Linux kernel: the recorded <case>.stdout/.status (recorded from the
//         kernel itself, see record-expected.sh) are the reference;
//       * "needsBinfmt" cases when qemu-riscv64 is not registered in
//         binfmt_misc (qemu cannot execve a riscv64 program without it);
//   - otherwise the recorded <case>.stdout/.status.
// The test name says which reference a case uses.
//
// COMPAT_TEST_UNDER=qemu runs the guests under qemu instead of compat, to
// check the tests themselves: "qemuDiffers" cases are then compared with
// qemu's own recorded output (<case>.qemu.stdout/.status), and "needsBinfmt"
// cases are skipped when binfmt_misc has no qemu-riscv64 entry.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatStatus, qemuPath, REPO_ROOT, runCompat, runQemu, testedRunner, type RunOptions, type RunResult } from './helpers.js';

interface Case {
  name: string;
  bin: string;
  args: string[];
  env?: Record<string, string>;
  input?: string;
  timeoutMs?: number;
  qemuDiffers?: boolean;
  needsBinfmt?: boolean;
}
interface CaseFile {
  defaultEnv: Record<string, string>;
  cases: Case[];
}

const BIN_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'bin', 'riscv64', 'proc');
const EXPECTED_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'expected', 'riscv64', 'proc');
const spec: CaseFile = JSON.parse(readFileSync(path.join(EXPECTED_DIR, 'cases.json'), 'utf8'));

const DEFAULT_TIMEOUT_MS = 120_000;
const timeoutOverride = Number(process.env.COMPAT_TEST_TIMEOUT_MS) || undefined;
const runner = testedRunner();

/** Is an enabled binfmt_misc entry handing riscv64 ELF files to an interpreter (qemu)? */
function binfmtRiscv64(): boolean {
  const dir = '/proc/sys/fs/binfmt_misc';
  try {
    for (const f of readdirSync(dir)) {
      if (f === 'register' || f === 'status') continue;
      const t = readFileSync(path.join(dir, f), 'utf8');
      if (/^enabled/m.test(t) && /^magic 7f454c46020101.*f300/m.test(t)) return true;
    }
  } catch {
    /* binfmt_misc not mounted */
  }
  return false;
}
const haveBinfmt = binfmtRiscv64();

type Via = (args: string[], opts: RunOptions) => Promise<RunResult | null>;
const viaQemu: Via = (args, opts) => runQemu(args.slice(1), opts);

async function runCase(c: Case, via: Via, timeoutMs: number) {
  const scratch = c.args.some((a) => a.includes('{tmpdir}')) ? mkdtempSync(path.join(tmpdir(), 'compat-rv64-')) : null;
  try {
    const args = c.args.map((a) => (scratch ? a.split('{tmpdir}').join(scratch) : a));
    const prog = path.relative(REPO_ROOT, path.join(BIN_DIR, c.bin));
    const result = await via(['exec', prog, ...args], { env: c.env ?? spec.defaultEnv, cwd: REPO_ROOT, input: c.input, timeoutMs });
    return { result, scratch, scratchLeft: scratch ? readdirSync(scratch) : [] };
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

function recorded(base: string, what: string) {
  if (!existsSync(`${base}.stdout`) || !existsSync(`${base}.status`)) {
    throw new Error(`no recorded expectation ${base}.stdout/.status (run scripts/record-expected.sh)`);
  }
  return {
    stdout: readFileSync(`${base}.stdout`),
    status: readFileSync(`${base}.status`, 'utf8').trim(),
    source: `${what} ${path.relative(REPO_ROOT, base)}.{stdout,status}`,
  };
}

/** Which reference a case is compared with, decided up front so the test name can say it. */
function plan(c: Case): { kind: 'live' | 'kernel' | 'qemu-recorded' | 'recorded' | 'skip'; why: string } {
  if (runner === 'qemu') {
    if (c.needsBinfmt && !haveBinfmt) return { kind: 'skip', why: 'qemu-riscv64 is not registered in binfmt_misc, so qemu cannot execve riscv64 programs' };
    if (c.qemuDiffers) return { kind: 'qemu-recorded', why: 'qemuDiffers: compared with qemu\'s own recorded output (.qemu.stdout), not the kernel\'s' };
    return { kind: 'recorded', why: 'recorded qemu output' };
  }
  if (c.qemuDiffers) return { kind: 'kernel', why: 'qemuDiffers: live qemu comparison skipped, reference = recorded Linux kernel output' };
  if (qemuPath() === null) return { kind: 'recorded', why: 'recorded (no qemu-riscv64 on PATH)' };
  if (c.needsBinfmt && !haveBinfmt) return { kind: 'recorded', why: 'recorded (qemu-riscv64 not in binfmt_misc, qemu cannot exec)' };
  return { kind: 'live', why: 'live qemu-riscv64' };
}

describe(`riscv64 process/thread/signal programs under ${runner === 'qemu' ? 'qemu-riscv64 (COMPAT_TEST_UNDER=qemu)' : 'compat exec'}`, () => {
  it('has every fixture binary and recorded expectation', () => {
    for (const c of spec.cases) {
      expect(existsSync(path.join(BIN_DIR, c.bin)), `missing binary proc/${c.bin} (run npm run fixtures)`).toBe(true);
      for (const suffix of c.qemuDiffers ? ['', '.qemu'] : ['']) {
        expect(existsSync(path.join(EXPECTED_DIR, `${c.name}${suffix}.stdout`)), `missing ${c.name}${suffix}.stdout`).toBe(true);
        expect(existsSync(path.join(EXPECTED_DIR, `${c.name}${suffix}.status`)), `missing ${c.name}${suffix}.status`).toBe(true);
      }
    }
  });

  it('qemuDiffers cases really differ between the kernel and qemu recordings', () => {
    for (const c of spec.cases.filter((x) => x.qemuDiffers)) {
      const k = recorded(path.join(EXPECTED_DIR, c.name), 'kernel');
      const q = recorded(path.join(EXPECTED_DIR, `${c.name}.qemu`), 'qemu');
      expect(k.stdout.equals(q.stdout) && k.status === q.status, `${c.name}: qemu agrees with the kernel now; drop qemuDiffers`).toBe(false);
    }
  });

  for (const c of spec.cases) {
    const timeoutMs = timeoutOverride ?? c.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const p = plan(c);
    const title = `${c.name}: ${c.bin} ${c.args.map((a) => JSON.stringify(a)).join(' ')} [reference: ${p.why}]`;
    if (p.kind === 'skip') {
      it.skip(`${title}`, () => {});
      continue;
    }
    it(
      title,
      async () => {
        if (p.kind === 'kernel' || p.kind === 'qemu-recorded') console.log(`${c.name}: ${p.why}`);
        const refPromise =
          p.kind === 'live'
            ? runCase(c, viaQemu, timeoutMs).then(({ result }) => ({ stdout: result!.stdout, status: formatStatus(result!), source: 'qemu-riscv64 (live)' }))
            : Promise.resolve(
                p.kind === 'qemu-recorded'
                  ? recorded(path.join(EXPECTED_DIR, `${c.name}.qemu`), 'recorded qemu output')
                  : recorded(path.join(EXPECTED_DIR, c.name), p.kind === 'kernel' ? 'recorded kernel output' : 'recorded'),
              );
        const [mine, ref] = await Promise.all([runCase(c, runCompat, timeoutMs), refPromise]);
        const got = mine.result!;
        const context = `reference: ${ref.source}; ran: ${got.command.join(' ')} (${got.durationMs} ms)\nstderr (last 4000 chars):\n${got.stderr.slice(-4000)}`;
        expect(got.stdout.toString('latin1'), `stdout differs. ${context}`).toBe(ref.stdout.toString('latin1'));
        expect(formatStatus(got), `exit status differs. ${context}`).toBe(ref.status);
        if (mine.scratch) {
          expect(got.stdout.includes(mine.scratch), 'stdout must not contain the scratch path').toBe(false);
          expect(mine.scratchLeft, 'program must leave its scratch dir empty').toEqual([]);
        }
      },
      timeoutMs + 30_000,
    );
  }
});
