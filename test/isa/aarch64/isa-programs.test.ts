/**
 * The freestanding AArch64 ISA probes (test/fixtures/src/aarch64/isa/*.c,
 * built by scripts/build-aarch64-isa-fixtures.sh) run directly on the core:
 * their output must equal qemu-aarch64's — live when qemu-aarch64 is on PATH,
 * and always the recording made under it (expected/aarch64/isa/<name>.stdout).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXPECTED, FIXTURES, runElf } from './harness.js';

function qemu(path: string): string | null {
  try {
    return execFileSync('qemu-aarch64', [path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

describe('AArch64 ISA probes on the core', () => {
  for (const name of readdirSync(FIXTURES).sort()) {
    it(`${name}: same lines as qemu-aarch64`, () => {
      const r = runElf(name);
      expect(r.fault).toBeNull();
      expect(r.exitCode).toBe(0);
      const recorded = readFileSync(`${EXPECTED}${name}.stdout`, 'utf8');
      expect(r.stdout.split('\n')).toEqual(recorded.split('\n'));
      const live = qemu(FIXTURES + name);
      if (live !== null) expect(r.stdout.split('\n')).toEqual(live.split('\n'));
    });
  }
});
