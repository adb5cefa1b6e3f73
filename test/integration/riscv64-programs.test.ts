// End-to-end: real riscv64 Linux programs (test/fixtures/src/riscv64/*.c,
// built static by scripts/build-fixtures.sh) run under `compat exec` must print
// exactly what they print under qemu-riscv64 and exit the same way.
//
// Reference: qemu-riscv64 run live when it is on PATH, otherwise the outputs
// recorded by scripts/record-expected.sh in test/fixtures/expected/riscv64/.
// The cases (arguments, environment, timeouts) live in
// test/fixtures/expected/riscv64/cases.json, shared with the recorder.
//
// COMPAT_TEST_UNDER=qemu runs the guests under qemu instead of compat and
// compares them with the recorded files: a check of the tests themselves.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectMatchesReference, formatStatus, qemuPath, REPO_ROOT, runCompat, runQemu, testedRunner, type RunResult } from './helpers.js';

interface Case {
  name: string;
  bin: string;
  args: string[];
  env?: Record<string, string>;
  input?: string;
  timeoutMs?: number;
  stderrIncludes?: string;
}
interface CaseFile {
  defaultEnv: Record<string, string>;
  cases: Case[];
}

const BIN_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'bin', 'riscv64');
const EXPECTED_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'expected', 'riscv64');
const spec: CaseFile = JSON.parse(readFileSync(path.join(EXPECTED_DIR, 'cases.json'), 'utf8'));

const DEFAULT_TIMEOUT_MS = 120_000;
const timeoutOverride = Number(process.env.COMPAT_TEST_TIMEOUT_MS) || undefined;

const runner = testedRunner();
// Under COMPAT_TEST_UNDER=qemu the live reference would be qemu against itself,
// so the recorded files are the reference instead.
const liveQemu = runner === 'compat' && qemuPath() !== null;

function makeScratch(): string {
  return mkdtempSync(path.join(tmpdir(), 'compat-rv64-'));
}

/** Runs the case (under compat, or qemu for the reference) in its own scratch dir. */
async function runCase(
  c: Case,
  via: (args: string[], opts: Parameters<typeof runCompat>[1]) => Promise<RunResult | null>,
  timeoutMs: number,
): Promise<{ result: RunResult | null; scratch: string | null; scratchLeft: string[] }> {
  const usesScratch = c.args.some((a) => a.includes('{tmpdir}'));
  const scratch = usesScratch ? makeScratch() : null;
  try {
    const args = c.args.map((a) => (scratch ? a.split('{tmpdir}').join(scratch) : a));
    // a relative program path, as a user would type it from the repo root
    const prog = path.relative(REPO_ROOT, path.join(BIN_DIR, c.bin));
    const result = await via(['exec', prog, ...args], {
      env: c.env ?? spec.defaultEnv,
      cwd: REPO_ROOT,
      input: c.input,
      timeoutMs,
    });
    const scratchLeft = scratch ? readdirSync(scratch) : [];
    return { result, scratch, scratchLeft };
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

const viaQemu = (args: string[], opts: Parameters<typeof runCompat>[1]) => runQemu(args.slice(1), opts);

async function reference(c: Case, timeoutMs: number): Promise<{ stdout: Buffer; status: string; source: string }> {
  if (liveQemu) {
    const { result } = await runCase(c, viaQemu, timeoutMs);
    if (result) return { stdout: result.stdout, status: formatStatus(result), source: 'qemu-riscv64 (live)' };
  }
  const base = path.join(EXPECTED_DIR, c.name);
  if (!existsSync(`${base}.stdout`) || !existsSync(`${base}.status`)) {
    throw new Error(`no qemu-riscv64 on PATH and no recorded expectation ${base}.stdout/.status (run scripts/record-expected.sh)`);
  }
  return {
    stdout: readFileSync(`${base}.stdout`),
    status: readFileSync(`${base}.status`, 'utf8').trim(),
    source: `recorded ${path.relative(REPO_ROOT, base)}.{stdout,status}`,
  };
}

describe(`riscv64 programs under ${runner === 'qemu' ? 'qemu-riscv64 (COMPAT_TEST_UNDER=qemu)' : 'compat exec'}`, () => {
  it('has every fixture binary and a recorded expectation for every case', () => {
    for (const c of spec.cases) {
      expect(existsSync(path.join(BIN_DIR, c.bin)), `missing binary ${c.bin} (run npm run fixtures)`).toBe(true);
      expect(existsSync(path.join(EXPECTED_DIR, `${c.name}.stdout`)), `missing ${c.name}.stdout`).toBe(true);
      expect(existsSync(path.join(EXPECTED_DIR, `${c.name}.status`)), `missing ${c.name}.status`).toBe(true);
    }
  });

  for (const c of spec.cases) {
    const timeoutMs = timeoutOverride ?? c.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    it(
      `${c.name}: ${c.bin} ${c.args.map((a) => JSON.stringify(a)).join(' ')}`,
      async () => {
        // compat and the live reference run concurrently, each in its own scratch dir
        const [mine, ref] = await Promise.all([runCase(c, runCompat, timeoutMs), reference(c, timeoutMs)]);
        expectMatchesReference({ ...mine, result: mine.result! }, ref, c);
      },
      // compat and the reference run in parallel; leave room for setup
      timeoutMs + 30_000,
    );
  }
});
