import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { FIXTURES_EB, FIXTURES_EL, runElf } from './harness.js';

for (const [label, dir] of [['mipsel', FIXTURES_EL], ['mips (big-endian)', FIXTURES_EB]] as const) {
  describe(`${label} self-checking ISA programs`, () => {
    for (const name of readdirSync(dir).sort()) {
      it(name, () => {
        const r = runElf(dir + name);
        expect(r.fault).toBeNull();
        expect(r.stderr).toBe('');
        expect(r.exitCode).toBe(0);
      });
    }
  });
}
