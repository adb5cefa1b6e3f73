import { describe, expect, it } from 'vitest';
import { div32, div64, mul64, mulh, mulhu32 } from '../../../src/isa/riscv64/muldiv.js';

const M64 = (1n << 64n) - 1n;
const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);
const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);
const lo = (v: bigint): number => Number(BigInt.asIntN(32, v));
const hi = (v: bigint): number => Number(BigInt.asIntN(32, v >> 32n));
const pair = (r: Int32Array): bigint => u64((BigInt(r[1]) << 32n) | BigInt(r[0] >>> 0));

// deterministic xorshift so failures reproduce
let seed = 0x9e3779b97f4a7c15n;
function rnd(): bigint {
  seed ^= (seed << 13n) & M64; seed ^= seed >> 7n; seed ^= (seed << 17n) & M64;
  return seed;
}
const SPECIAL = [0n, 1n, 2n, 3n, 7n, M64, M64 - 1n, 1n << 63n, (1n << 63n) - 1n, (1n << 63n) + 1n, 0xffffffffn,
  0x100000000n, 0x80000000n, 0x7fffffffn, 0xffffffff80000000n, 1n << 53n, (1n << 53n) - 1n, (1n << 53n) + 1n,
  0x1fffffn << 32n, 0x200000n << 32n, u64(-(1n << 53n)), u64(-(0x200000n << 32n)), 10n, u64(-10n)];
function operands(): [bigint, bigint][] {
  const out: [bigint, bigint][] = [];
  for (const a of SPECIAL) for (const b of SPECIAL) out.push([a, b]);
  for (let k = 0; k < 3000; k++) {
    const shiftA = rnd() % 64n, shiftB = rnd() % 64n;
    out.push([rnd() >> shiftA, rnd() >> shiftB]);
    out.push([u64(-(rnd() >> shiftA)), rnd() >> shiftB]);
  }
  return out;
}
const OPS = operands();

describe('riscv64 mul/div helpers', () => {
  it('mulhu32 is exact', () => {
    for (const [a, b] of OPS) {
      const x = Number(a & 0xffffffffn), y = Number(b & 0xffffffffn);
      expect(mulhu32(x | 0, y | 0) >>> 0).toBe(Number(((a & 0xffffffffn) * (b & 0xffffffffn)) >> 32n));
    }
  });

  it('MUL / MULH / MULHSU / MULHU match 128-bit products', () => {
    const r = new Int32Array(2);
    for (const [a, b] of OPS) {
      mul64(r, lo(a), hi(a), lo(b), hi(b));
      expect(pair(r)).toBe(u64(a * b));
      mulh(r, 0, lo(a), hi(a), lo(b), hi(b));
      expect(pair(r), `mulh ${a} ${b}`).toBe(u64((s64(a) * s64(b)) >> 64n));
      mulh(r, 1, lo(a), hi(a), lo(b), hi(b));
      expect(pair(r), `mulhsu ${a} ${b}`).toBe(u64((s64(a) * b) >> 64n));
      mulh(r, 2, lo(a), hi(a), lo(b), hi(b));
      expect(pair(r), `mulhu ${a} ${b}`).toBe(u64((a * b) >> 64n));
    }
  });

  it('DIV / DIVU / REM / REMU follow the RISC-V table (incl. /0 and overflow)', () => {
    const r = new Int32Array(2);
    for (const [a, b] of OPS) {
      const sa = s64(a), sb = s64(b);
      const expDiv = b === 0n ? M64 : sa === -(1n << 63n) && sb === -1n ? a : u64(sa / sb);
      const expRem = b === 0n ? a : sa === -(1n << 63n) && sb === -1n ? 0n : u64(sa % sb);
      const expDivu = b === 0n ? M64 : a / b;
      const expRemu = b === 0n ? a : a % b;
      div64(r, 0, lo(a), hi(a), lo(b), hi(b)); expect(pair(r), `div ${a} ${b}`).toBe(expDiv);
      div64(r, 1, lo(a), hi(a), lo(b), hi(b)); expect(pair(r), `divu ${a} ${b}`).toBe(expDivu);
      div64(r, 2, lo(a), hi(a), lo(b), hi(b)); expect(pair(r), `rem ${a} ${b}`).toBe(expRem);
      div64(r, 3, lo(a), hi(a), lo(b), hi(b)); expect(pair(r), `remu ${a} ${b}`).toBe(expRemu);
    }
  });

  it('DIVW / DIVUW / REMW / REMUW', () => {
    for (const [a0, b0] of OPS) {
      const a = lo(a0), b = lo(b0);
      const sa = BigInt(a), sb = BigInt(b), ua = BigInt(a >>> 0), ub = BigInt(b >>> 0);
      const i32 = (v: bigint): number => Number(BigInt.asIntN(32, v));
      expect(div32(0, a, b)).toBe(b === 0 ? -1 : a === -0x80000000 && b === -1 ? a : i32(sa / sb));
      expect(div32(1, a, b)).toBe(b === 0 ? -1 : i32(ua / ub));
      expect(div32(2, a, b)).toBe(b === 0 ? a : a === -0x80000000 && b === -1 ? 0 : i32(sa % sb));
      expect(div32(3, a, b)).toBe(b === 0 ? a : i32(ua % ub));
    }
  });
});
