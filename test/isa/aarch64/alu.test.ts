/**
 * The A64 integer helpers (src/isa/aarch64/alu.ts) against BigInt models of
 * the ARM ARM pseudocode: AddWithCarry and its flags, the shifts,
 * DecodeBitMasks for logical immediates, the bitfield moves, CLS, REV/RBIT,
 * the condition codes and the divide rules.
 */
import { describe, expect, it } from 'vitest';
import {
  adc32, adc64, bitfield, bitmaskImm, cls32, cls64, condHolds, div32a, div64a, mulHi64, out, rbit32, shift64,
} from '../../../src/isa/aarch64/alu.js';

const M64 = (1n << 64n) - 1n;
const V = [0n, 1n, 2n, 0x7fn, 0x80n, 0xffffn, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, 0x7fffffffffffffffn,
  0x8000000000000000n, M64, 0x123456789abcdef0n, 0xfedcba9876543210n, 0xdeadbeefn];
const lo = (v: bigint): number => Number(BigInt.asIntN(32, v));
const hi = (v: bigint): number => Number(BigInt.asIntN(32, v >> 32n));
const pair = (): bigint => (BigInt(out.hi >>> 0) << 32n) | BigInt(out.lo >>> 0);

/** AddWithCarry(x, y, carry) for N bits: result and NZCV (bits 31..28). */
function addWithCarry(x: bigint, y: bigint, c: bigint, n: number): [bigint, number] {
  const mask = (1n << BigInt(n)) - 1n;
  const usum = (x & mask) + (y & mask) + c;
  const ssum = BigInt.asIntN(n, x) + BigInt.asIntN(n, y) + c;
  const r = usum & mask;
  const N = (r >> BigInt(n - 1)) & 1n, Z = r === 0n ? 1 : 0;
  const C = usum === r ? 0 : 1, Vf = BigInt.asIntN(n, r) === ssum ? 0 : 1;
  return [r, ((Number(N) << 3 | Z << 2 | C << 1 | Vf) << 28) | 0];
}

describe('AArch64 ALU helpers', () => {
  it('adc64 / adc32 give AddWithCarry results and NZCV', () => {
    for (const a of V) for (const b of V) for (const c of [0n, 1n]) {
      const [r, f] = addWithCarry(a, b, c, 64);
      expect(adc64(lo(a), hi(a), lo(b), hi(b), Number(c))).toBe(f);
      expect(pair()).toBe(r);
      const [r32, f32] = addWithCarry(a, b, c, 32);
      expect(adc32(lo(a), lo(b), Number(c))).toBe(f32);
      expect(BigInt(out.lo >>> 0)).toBe(r32);
    }
  });

  it('shift64 matches LSL / LSR / ASR / ROR for every amount', () => {
    for (const a of V) for (let n = 0; n < 64; n++) {
      const N = BigInt(n);
      const model = [(a << N) & M64, a >> N, BigInt.asUintN(64, BigInt.asIntN(64, a) >> N), n === 0 ? a : ((a >> N) | (a << (64n - N))) & M64];
      for (let t = 0; t < 4; t++) { shift64(lo(a), hi(a), t, n); expect(pair()).toBe(model[t]); }
    }
  });

  it('DecodeBitMasks: every valid logical immediate is a rotated run of ones, replicated', () => {
    let valid = 0;
    const values = new Set<bigint>();
    for (let n = 0; n < 2; n++) for (let immr = 0; immr < 64; immr++) for (let imms = 0; imms < 64; imms++) {
      const ok = bitmaskImm(n, immr, imms);
      const len = 31 - Math.clz32((n << 6) | (~imms & 63));
      const levels = (1 << len) - 1;
      expect(ok).toBe(len >= 1 && (imms & levels) !== levels);
      if (!ok) continue;
      valid++;
      const esize = 1 << len, S = imms & levels, R = immr & levels;
      const emask = (1n << BigInt(esize)) - 1n;
      const welem = (1n << BigInt(S + 1)) - 1n;
      const elem = R === 0 ? welem : ((welem >> BigInt(R)) | (welem << BigInt(esize - R))) & emask;
      let want = 0n;
      for (let i = 0; i < 64; i += esize) want |= elem << BigInt(i);
      expect(pair()).toBe(want);
      values.add(want);
    }
    expect(valid).toBe(7680); // valid N:immr:imms encodings: 64 rotations x (e - 1) runs per element size e
    expect(values.size).toBe(5334); // distinct 64-bit logical immediates
  });

  it('bitfield: UBFX/SBFX/UBFIZ/BFI/BFXIL forms', () => {
    const a = 0xfedcba9876543210n;
    // ubfx x, a, #8, #16 = UBFM immr=8, imms=23
    bitfield(2, 64, lo(a), hi(a), 0, 0, 8, 23); expect(pair()).toBe((a >> 8n) & 0xffffn);
    // sbfx x, a, #60, #4 = SBFM immr=60 imms=63 (0xf sign-extended)
    bitfield(0, 64, lo(a), hi(a), 0, 0, 60, 63); expect(pair()).toBe(M64);
    // ubfiz x, a, #40, #8 = UBFM immr=24 imms=7
    bitfield(2, 64, lo(a), hi(a), 0, 0, 24, 7); expect(pair()).toBe(0x10n << 40n);
    // bfi x(d = all ones), a, #4, #8 = BFM immr=60 imms=7
    bitfield(1, 64, lo(a), hi(a), -1, -1, 60, 7); expect(pair()).toBe((M64 & ~0xff0n) | (0x10n << 4n));
    // bfxil x(d = 0), a, #32, #16 = BFM immr=32 imms=47
    bitfield(1, 64, lo(a), hi(a), 0, 0, 32, 47); expect(pair()).toBe(0xba98n);
    // sxtw = SBFM immr=0 imms=31 on 0x80000000
    bitfield(0, 64, 0x80000000 | 0, 0, 0, 0, 0, 31); expect(pair()).toBe(0xffffffff80000000n);
    // 32-bit lsl w, w, #3 = UBFM immr=29 imms=28
    bitfield(2, 32, 0x12345678, 0, 0, 0, 29, 28); expect(pair()).toBe(BigInt((0x12345678 << 3) >>> 0));
  });

  it('CLS, RBIT, the condition codes, divide and multiply-high', () => {
    expect(cls32(0)).toBe(31); expect(cls32(-1)).toBe(31); expect(cls32(1)).toBe(30); expect(cls32(0x40000000)).toBe(0);
    expect(cls64(0, 0)).toBe(63); expect(cls64(-1, -1)).toBe(63); expect(cls64(1, 0)).toBe(62); expect(cls64(0, -0x80000000 | 0)).toBe(0);
    expect(rbit32(1) >>> 0).toBe(0x80000000); expect(rbit32(0x12345678) >>> 0).toBe(0x1e6a2c48);
    // EQ NE CS CC MI PL VS VC HI LS GE LT GT LE AL NV with Z=1 C=1 (0x6)
    const f = 0x60000000;
    expect([...Array(16).keys()].map((c) => condHolds(f, c))).toEqual([true, false, true, false, false, true, false, true, false, true, true, false, false, true, true, true]);
    div64a(true, 5, 0, 0, 0); expect(pair()).toBe(0n); // x / 0 = 0
    div64a(true, 0, -0x80000000 | 0, -1, -1); expect(pair()).toBe(0x8000000000000000n); // MIN / -1 = MIN
    expect(div32a(false, -1, 0)).toBe(0); expect(div32a(true, -7, 2)).toBe(-3);
    mulHi64(false, -1, -1, -1, -1); expect(pair()).toBe(M64 - 1n);
    mulHi64(true, -1, -1, -1, -1); expect(pair()).toBe(0n);
  });
});
