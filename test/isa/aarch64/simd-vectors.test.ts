/**
 * Replays the qemu-recorded AArch64 SIMD&FP vectors
 * (test/fixtures/expected/aarch64/simd-vectors.txt.gz, produced by
 * scripts/build-aarch64-simd-vectors.sh from test/fixtures/src/aarch64/simdvectors/)
 * through executeSimdFp and requires bit-identical V0, X0, NZCV and FPSR, and
 * V1..V3 / X1..X3 untouched.
 *
 * Groups listed in UNIMPLEMENTED must be refused (executeSimdFp returns false,
 * the core raises SIGILL) on every record, so the list stays honest.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { AddressSpace } from '../../../src/memory/address-space.js';
import { A64State } from '../../../src/isa/aarch64/state.js';
import { executeSimdFp } from '../../../src/isa/aarch64/simd.js';

const FILE = fileURLToPath(new URL('../../fixtures/expected/aarch64/simd-vectors.txt.gz', import.meta.url));
const RANDOM = fileURLToPath(new URL('../../fixtures/expected/aarch64/simd-random.txt.gz', import.meta.url));

/**
 * Random and mutant words qemu (cpu max) runs that the unit refuses: all of them are
 * extensions compat does not claim in HWCAP (disassembled: FP16 arithmetic
 * and conversions, SHA1/SHA2/SHA3/SM3/SM4, the mixed-sign dot products and
 * I8MM, BF16, FCMA, FHM's FMLAL, FRINTTS). A ratchet: this may only go down.
 */
const MAX_REFUSED_RANDOM = 3347;

/** Instruction groups the unit does not implement yet. */
const UNIMPLEMENTED = new Set<string>([
]);

const s = new A64State(new AddressSpace(), 1);

function setV(r: number, hex: string): void {
  for (let k = 0; k < 4; k++) s.vw[4 * r + k] = parseInt(hex.slice(24 - 8 * k, 32 - 8 * k), 16) | 0;
}
function getV(r: number): string {
  let h = '';
  for (let k = 3; k >= 0; k--) h += (s.vw[4 * r + k] >>> 0).toString(16).padStart(8, '0');
  return h;
}
function setX(r: number, hex: string): void {
  s.x[2 * r] = parseInt(hex.slice(8), 16) | 0;
  s.x[2 * r + 1] = parseInt(hex.slice(0, 8), 16) | 0;
}
function getX(r: number): string {
  return (s.x[2 * r + 1] >>> 0).toString(16).padStart(8, '0') + (s.x[2 * r] >>> 0).toString(16).padStart(8, '0');
}
const h8 = (v: number) => (v >>> 0).toString(16).padStart(8, '0');

interface Tally { n: number; refused: number; failures: string[] }

function replay(line: string, t: Tally): void {
  const f = line.split(' ');
  const insn = parseInt(f[1], 16) >>> 0;
  s.fpcr = parseInt(f[2], 16) | 0;
  s.nzcv = parseInt(f[3], 16) | 0;
  s.fpsr = 0;
  for (let r = 0; r < 4; r++) setV(r, f[4 + r]);
  for (let r = 0; r < 4; r++) setX(r, f[8 + r]);
  const [ev0, ex0, enzcv, efpsr] = f.slice(13);
  t.n++;
  if (!executeSimdFp(s, insn)) { t.refused++; return; }
  const got = `${getV(0)} ${getX(0)} ${h8(s.nzcv)} ${h8(s.fpsr)}`;
  let bad = got !== `${ev0} ${ex0} ${enzcv} ${efpsr}`;
  for (let r = 1; r < 4; r++) if (getV(r) !== f[4 + r] || getX(r) !== f[8 + r]) bad = true;
  if (bad && t.failures.length < 6) t.failures.push(`${line}\n      GOT ${got}`);
  else if (bad) t.failures.push('');
}

describe('AArch64 SIMD&FP vs qemu-recorded vectors', () => {
  const lines = gunzipSync(readFileSync(FILE)).toString('utf8').split('\n').filter((l) => l);
  const groups = new Map<string, string[]>();
  for (const l of lines) {
    const g = l.slice(0, l.indexOf(' '));
    let a = groups.get(g);
    if (!a) groups.set(g, (a = []));
    a.push(l);
  }

  it('general register 31 is XZR, never SP', () => {
    s.x[62] = 0x12345678; s.x[63] = 0x9abcdef | 0;
    s.fpcr = 0;
    for (let k = 0; k < 4; k++) s.vw[4 + k] = 0x3f800000 + k; // V1
    for (const insn of [
      0x4e183c3f, // umov (mov) x31, v1.d[1]
      0x9e66003f, // fmov xzr, d1
      0x1e38003f, // fcvtzs wzr, s1
      0x0e0c3c3f, // mov w31, v1.s[1]
    ]) {
      expect(executeSimdFp(s, insn)).toBe(true);
      expect([s.x[62], s.x[63]]).toEqual([0x12345678, 0x9abcdef]);
    }
    expect(executeSimdFp(s, 0x4e080fe0)).toBe(true); // dup v0.2d, xzr
    expect(Array.from(s.vw.subarray(0, 4))).toEqual([0, 0, 0, 0]);
    expect(executeSimdFp(s, 0x9e6703e0)).toBe(true); // fmov d0, xzr
    expect(Array.from(s.vw.subarray(0, 4))).toEqual([0, 0, 0, 0]);
  });

  it('has the vectors', () => {
    expect(lines.length).toBeGreaterThan(30000);
  });

  it('random words of the group and mutants of the table forms: refused where qemu refuses, else bit-exact', () => {
    const recs = gunzipSync(readFileSync(RANDOM)).toString('utf8').split('\n').filter((l) => l);
    const pat = (j: number) => Math.imul(j, 0x9e3779b1);
    let accepted = 0, refusedOnly = 0;
    const bad: string[] = [], refusedWords: string[] = [];
    for (const l of recs) {
      const f = l.split(' ');
      const insn = parseInt(f[1], 16) >>> 0;
      for (let i = 0; i < 32; i++) for (let k = 0; k < 4; k++) s.vw[4 * i + k] = pat(4 * i + k + 1);
      for (let i = 0; i < 31; i++) { s.x[2 * i] = pat(2 * i + 129); s.x[2 * i + 1] = pat(2 * i + 130); }
      s.fpcr = parseInt(f[2], 16) | 0;
      s.nzcv = parseInt(f[3], 16) | 0;
      s.fpsr = 0;
      const ok = executeSimdFp(s, insn);
      if (f[5] === 'ill') {
        if (ok) bad.push(`${f[1]}: qemu raises SIGILL, executeSimdFp ran it`);
        else if (!untouched(pat) || s.nzcv !== (parseInt(f[3], 16) | 0) || s.fpsr !== 0) bad.push(`${f[1]}: refused but changed the registers`);
        continue;
      }
      accepted++;
      if (!ok) {
        refusedOnly++; refusedWords.push(f[1]);
        if (!untouched(pat)) bad.push(`${f[1]}: refused but changed the registers`);
        continue;
      }
      const got = [0, 1, 2, 3].map(getV).concat([0, 1, 2, 3].map(getX), [h8(s.nzcv), h8(s.fpsr)]).join(' ');
      let same = got === f.slice(5).join(' ');
      for (let i = 4; i < 32 && same; i++) for (let k = 0; k < 4; k++) if (s.vw[4 * i + k] !== pat(4 * i + k + 1)) same = false;
      if (!same) bad.push(`${l}\n      GOT ${got}`);
    }
    console.log(`random words: ${recs.length}, qemu ran ${accepted}, refused here ${refusedOnly}: ${refusedWords.slice(0, 60).join(' ')}`);
    if (bad.length) console.log(`${bad.length} wrong:\n` + bad.slice(0, 30).join('\n'));
    expect(accepted).toBeGreaterThan(20000);
    expect(bad.length).toBe(0);
    expect(refusedOnly).toBeLessThanOrEqual(MAX_REFUSED_RANDOM);
  });

  /** Every V and X register still holds its pattern. */
  function untouched(pat: (j: number) => number): boolean {
    for (let i = 0; i < 32; i++) for (let k = 0; k < 4; k++) if (s.vw[4 * i + k] !== pat(4 * i + k + 1)) return false;
    for (let i = 0; i < 31; i++) if (s.x[2 * i] !== pat(2 * i + 129) || s.x[2 * i + 1] !== pat(2 * i + 130)) return false;
    return true;
  }

  const report: string[] = [];
  it('every implemented group is bit-exact, every unimplemented one is refused', () => {
    let bad = 0, done = 0, refusedGroups = 0;
    for (const [g, ls] of groups) {
      const t: Tally = { n: 0, refused: 0, failures: [] };
      for (const l of ls) replay(l, t);
      if (UNIMPLEMENTED.has(g)) {
        refusedGroups++;
        if (t.refused !== t.n) { bad++; report.push(`${g}: listed as unimplemented but ${t.n - t.refused} records were executed`); }
        continue;
      }
      if (t.refused) { bad++; report.push(`${g}: ${t.refused}/${t.n} refused (not listed as unimplemented)`); }
      if (t.failures.length) { bad++; report.push(`${g}: ${t.failures.length}/${t.n} wrong\n    ${t.failures.filter((x) => x).join('\n    ')}`); }
      if (!t.refused && !t.failures.length) done++;
    }
    console.log(`simd vectors: ${groups.size} groups, ${done} bit-exact, ${refusedGroups} unimplemented, ${bad} failing`);
    if (report.length) console.log(report.join('\n'));
    expect(bad).toBe(0);
  });
});
