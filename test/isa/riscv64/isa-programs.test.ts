import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { FIXTURES, runElf } from './harness.js';

describe('riscv64 self-checking ISA programs', () => {
  for (const name of readdirSync(FIXTURES).sort()) {
    it(name, () => {
      const r = runElf(name);
      expect(r.stderr).toBe('');
      expect(r.fault).toBeNull();
      expect(r.exitCode).toBe(0);
    });
  }
});
