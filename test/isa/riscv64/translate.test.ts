import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { FIXTURES, loadElf, makeCore, runCore, type RunResult } from './harness.js';

/** Runs an ISA program with tier 1 off, or on with the given threshold. */
function run(name: string, threshold: number | null, budget?: number): RunResult {
  const { mem, core } = makeCore();
  core.setJit(threshold !== null, threshold ?? 1);
  core.pc = loadElf(mem, readFileSync(FIXTURES + name));
  return runCore(core, 5e9, budget);
}

describe('riscv64 tier 1: ISA programs with every block translated (threshold 1)', () => {
  for (const name of readdirSync(FIXTURES).sort()) {
    it(name, () => {
      const ref = run(name, null);
      const r = run(name, 1);
      expect(r.stderr).toBe('');
      expect(r.fault).toBeNull();
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toBe(ref.stdout);
      expect(r.instret).toBe(ref.instret);
      expect(r.core.jit!.stats.modules).toBeGreaterThan(0);
      expect(r.core.jit!.stats.retired).toBeGreaterThan(ref.instret / 3);
      // small budgets: block-entry budget checks and interpreter hand-over
      const small = run(name, 1, 7);
      expect(small.exitCode).toBe(0);
      expect(small.instret).toBe(ref.instret);
    });
  }
});
