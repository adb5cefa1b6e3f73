/**
 * Unit tests for the ISA-neutral softfloat layer, plus a randomized
 * cross-check of every host-double fast path against the exact BigInt
 * reference (decode -> exact arithmetic -> roundToFormat).
 */
import { describe, it, expect, beforeEach } from 'vitest';
import {
  fpStatus, FLAG_NX, FLAG_UF, FLAG_OF, FLAG_DZ, FLAG_NV, RNE, RTZ, RDN, RUP, RMM,
  BINARY32, BINARY64, roundToFormat, decode64, decode32, exactAdd, divSig, sqrtSig,
  round64, round32, fromWords, hiOf, loOf, f32ToNum, numToF32, bitLength, isqrt,
  f64_add, f64_sub, f64_mul, f64_div, f64_sqrt, f64_fma, f64_min, f64_max, f64_eq, f64_lt, f64_le, f64_class,
  f32_add, f32_sub, f32_mul, f32_div, f32_sqrt, f32_fma, f32_min, f32_max, f32_class,
  floatToInt, intOut, intToF64, intToF32, f64ToF32, f32ToF64, roundExactTo32,
  INT_W, INT_WU, INT_L, INT_LU, setNanPolicy, RISCV_NAN_POLICY, MIPS_LEGACY_NAN_POLICY, isSNaN32,
  ARM_NAN_POLICY, ARM_DN_NAN_POLICY, BINARY16, f16ToNum,
} from '../../../src/isa/softfloat/index.js';

const RMS = [RNE, RTZ, RDN, RUP, RMM];
const bits64 = (x: number) => ((BigInt(hiOf(x)) << 32n) | BigInt(loOf(x))).toString(16).padStart(16, '0');
const d = (hi: number, lo = 0) => fromWords(hi, lo);

function flagsOf(fn: () => unknown): [unknown, number] {
  fpStatus.flags = 0;
  const r = fn();
  return [r, fpStatus.flags];
}

beforeEach(() => { setNanPolicy(RISCV_NAN_POLICY); fpStatus.flags = 0; });

describe('roundToFormat', () => {
  it('rounds 1 + 2^-53 in every mode', () => {
    const sig = (1n << 53n) + 1n; // (2^53 + 1) * 2^-53
    const want: Record<number, string> = {
      [RNE]: '3ff0000000000000', [RTZ]: '3ff0000000000000', [RDN]: '3ff0000000000000',
      [RUP]: '3ff0000000000001', [RMM]: '3ff0000000000001',
    };
    for (const rm of RMS) {
      const [r, fl] = flagsOf(() => roundToFormat(0, sig, -53, BINARY64, rm));
      expect((r as bigint).toString(16).padStart(16, '0')).toBe(want[rm]);
      expect(fl).toBe(FLAG_NX);
    }
    // negative: RDN moves away from zero, RUP toward
    expect(roundToFormat(1, sig, -53, BINARY64, RDN).toString(16)).toBe('bff0000000000001');
    expect(roundToFormat(1, sig, -53, BINARY64, RUP).toString(16)).toBe('bff0000000000000');
  });

  it('detects tininess after rounding (binary32)', () => {
    // 2^-126 * (1 - 2^-25): rounds (unbounded exponent) to 2^-126 in RNE -> not tiny: NX only
    const sig = (1n << 25n) - 1n; // * 2^-151
    let [r, fl] = flagsOf(() => roundToFormat(0, sig, -151, BINARY32, RNE));
    expect(Number(r)).toBe(0x00800000);
    expect(fl).toBe(FLAG_NX);
    // RTZ: stays below 2^-126 -> tiny and inexact -> UF|NX
    [r, fl] = flagsOf(() => roundToFormat(0, sig, -151, BINARY32, RTZ));
    expect(Number(r)).toBe(0x007fffff);
    expect(fl).toBe(FLAG_NX | FLAG_UF);
    // 2^-126 * (1 - 2^-24) rounds to 2^-126 in the subnormal grid but is tiny (unbounded rounding keeps it)
    [r, fl] = flagsOf(() => roundToFormat(0, (1n << 24n) - 1n, -150, BINARY32, RNE));
    expect(Number(r)).toBe(0x00800000);
    expect(fl).toBe(FLAG_NX | FLAG_UF);
    // exact subnormal: no flags
    [r, fl] = flagsOf(() => roundToFormat(0, 3n, -149, BINARY32, RNE));
    expect(Number(r)).toBe(3);
    expect(fl).toBe(0);
    // underflow to zero
    [r, fl] = flagsOf(() => roundToFormat(1, 1n, -151, BINARY32, RNE));
    expect(Number(r)).toBe(0x80000000);
    expect(fl).toBe(FLAG_NX | FLAG_UF);
    [r, fl] = flagsOf(() => roundToFormat(0, 1n, -151, BINARY32, RUP));
    expect(Number(r)).toBe(1);
  });

  it('overflows to inf or max-finite by mode', () => {
    const big = 1n << 200n;
    const want: Record<number, [number, number]> = {
      [RNE]: [0x7f800000, 0xff800000], [RTZ]: [0x7f7fffff, 0xff7fffff],
      [RDN]: [0x7f7fffff, 0xff800000], [RUP]: [0x7f800000, 0xff7fffff], [RMM]: [0x7f800000, 0xff800000],
    };
    for (const rm of RMS) {
      for (const sign of [0, 1]) {
        const [r, fl] = flagsOf(() => roundToFormat(sign, big, 0, BINARY32, rm));
        expect(Number(r)).toBe(want[rm][sign]);
        expect(fl).toBe(FLAG_OF | FLAG_NX);
      }
    }
    // carry out of the largest binade: max + half ulp (RNE tie to even -> inf)
    const [r] = flagsOf(() => roundToFormat(0, (1n << 25n) - 1n, 104, BINARY32, RNE));
    expect(Number(r)).toBe(0x7f800000);
  });

  it('helpers: bitLength, isqrt, exact division/sqrt significands', () => {
    expect(bitLength(1n)).toBe(1);
    expect(bitLength((1n << 53n) - 1n)).toBe(53);
    expect(bitLength(1n << 53n)).toBe(54);
    expect(bitLength((1n << 300n) + 5n)).toBe(301);
    expect(isqrt(99n)).toBe(9n);
    expect(isqrt(100n)).toBe(10n);
    expect(isqrt((1n << 200n) - 1n)).toBe((1n << 100n) - 1n);
    const q = divSig(1n, 0, 3n, 0, 24);
    expect(round32(0, q.sig, q.exp, RNE)).toBe(numToF32(1 / 3));
    const s = sqrtSig(2n, 0, 53);
    expect(round64(0, s.sig, s.exp, RNE)).toBe(Math.SQRT2);
  });
});

describe('binary64 special cases', () => {
  const qnan = d(0x7ff80000), snan = d(0x7ff00000, 1);
  it('NaN handling and canonical results', () => {
    let [r, fl] = flagsOf(() => f64_add(snan, 1, RNE));
    expect(bits64(r as number)).toBe('7ff8000000000000');
    expect(fl).toBe(FLAG_NV);
    [r, fl] = flagsOf(() => f64_add(d(0xfff80000, 123), 1, RNE));
    expect(bits64(r as number)).toBe('7ff8000000000000');
    expect(fl).toBe(0);
    [r, fl] = flagsOf(() => f64_sub(Infinity, Infinity, RNE));
    expect(fl).toBe(FLAG_NV);
    [r, fl] = flagsOf(() => f64_mul(Infinity, 0, RNE));
    expect(fl).toBe(FLAG_NV);
    [r, fl] = flagsOf(() => f64_div(0, 0, RNE));
    expect(fl).toBe(FLAG_NV);
    [r, fl] = flagsOf(() => f64_div(-1, 0, RNE));
    expect(r).toBe(-Infinity);
    expect(fl).toBe(FLAG_DZ);
    [r, fl] = flagsOf(() => f64_sqrt(-1, RNE));
    expect(fl).toBe(FLAG_NV);
    [r, fl] = flagsOf(() => f64_sqrt(-0, RNE));
    expect(Object.is(r, -0)).toBe(true);
    expect(fl).toBe(0);
  });
  it('fma: inf*0 + qNaN raises NV; single rounding', () => {
    const [, fl] = flagsOf(() => f64_fma(Infinity, 0, qnan, RNE));
    expect(fl).toBe(FLAG_NV);
    const [, fl2] = flagsOf(() => f64_fma(1, 2, qnan, RNE));
    expect(fl2).toBe(0);
    // (1 + 2^-52)^2 - (1 + 2^-51) = 2^-104 exactly, only visible with a single rounding
    const a = 1 + 2 ** -52;
    const [r, fl3] = flagsOf(() => f64_fma(a, a, -(1 + 2 ** -51), RNE));
    expect(r).toBe(2 ** -104);
    expect(fl3).toBe(0);
  });
  it('signed zeros: x - x is -0 only in RDN', () => {
    for (const rm of RMS) {
      const r = f64_sub(1.5, 1.5, rm);
      expect(Object.is(r, rm === RDN ? -0 : 0)).toBe(true);
      expect(Object.is(f64_add(0, -0, rm), rm === RDN ? -0 : 0)).toBe(true);
      expect(Object.is(f64_add(-0, -0, rm), -0)).toBe(true);
      expect(Object.is(f64_fma(1, 1, -1, rm), rm === RDN ? -0 : 0)).toBe(true);
    }
  });
  it('min/max/compare/class', () => {
    expect(Object.is(f64_min(0, -0), -0)).toBe(true);
    expect(Object.is(f64_max(-0, 0), 0)).toBe(true);
    expect(flagsOf(() => f64_min(qnan, 3))).toEqual([3, 0]);
    expect(flagsOf(() => f64_max(snan, 3))).toEqual([3, FLAG_NV]);
    expect(bits64(f64_min(qnan, snan))).toBe('7ff8000000000000');
    expect(flagsOf(() => f64_eq(qnan, 1))).toEqual([false, 0]);
    expect(flagsOf(() => f64_eq(snan, 1))).toEqual([false, FLAG_NV]);
    expect(flagsOf(() => f64_lt(qnan, 1))).toEqual([false, FLAG_NV]);
    expect(flagsOf(() => f64_le(-0, 0))).toEqual([true, 0]);
    expect([-Infinity, -1, -5e-324, -0, 0, 5e-324, 1, Infinity].map(f64_class))
      .toEqual([1, 2, 4, 8, 16, 32, 64, 128]);
    // (not through a JS array: V8 canonicalises NaNs stored in double arrays)
    expect(f64_class(snan)).toBe(256);
    expect(f64_class(qnan)).toBe(512);
  });
});

describe('binary32 special cases', () => {
  it('NaN, zero signs, class, min/max', () => {
    expect(flagsOf(() => f32_add(0x7f800001, 0x3f800000, RNE))).toEqual([0x7fc00000, FLAG_NV]);
    expect(flagsOf(() => f32_mul(0x7f800000, 0x80000000, RNE))).toEqual([0x7fc00000, FLAG_NV]);
    expect(flagsOf(() => f32_div(0x3f800000, 0x80000000, RNE))).toEqual([0xff800000, FLAG_DZ]);
    expect(f32_sub(0x3f800000, 0x3f800000, RDN)).toBe(0x80000000);
    expect(f32_sub(0x3f800000, 0x3f800000, RUP)).toBe(0);
    expect(f32_min(0, 0x80000000)).toBe(0x80000000);
    expect(f32_max(0, 0x80000000)).toBe(0);
    expect(flagsOf(() => f32_min(0x7fc00000, 0x7f800001))).toEqual([0x7fc00000, FLAG_NV]);
    expect(f32_class(0x7f800001)).toBe(256);
    expect(f32_class(0x807fffff)).toBe(4);
    expect(flagsOf(() => f32_fma(0x7f800000, 0, 0x7fc00000, RNE))).toEqual([0x7fc00000, FLAG_NV]);
    expect(flagsOf(() => f32_sqrt(0x40800000, RNE))).toEqual([0x40000000, 0]);
  });
  it('NaN policy is a parameter (MIPS legacy quiet-bit convention)', () => {
    setNanPolicy(MIPS_LEGACY_NAN_POLICY);
    expect(isSNaN32(0x7fc00000)).toBe(true);
    expect(isSNaN32(0x7f800001)).toBe(false);
    expect(flagsOf(() => f32_add(0x7f800001, 0x3f800000, RNE))).toEqual([0x7f800001, 0]);
    expect(flagsOf(() => f32_add(0x7fc00000, 0x3f800000, RNE))).toEqual([0x7fbfffff, FLAG_NV]);
    const [w, wf] = flagsOf(() => f32ToF64(0xff800001)); // legacy quiet NaN: propagated, widened
    expect(bits64(w as number)).toBe('fff0000020000000');
    expect(wf).toBe(0);
    expect(flagsOf(() => f64ToF32(d(0x7ff00000, 0x20000000), RNE))).toEqual([0x7f800001, 0]);
    setNanPolicy(RISCV_NAN_POLICY);
  });
});

describe('conversions', () => {
  const cvt = (v: number, kind: number, rm: number): [string, number] => {
    fpStatus.flags = 0;
    floatToInt(v, kind, rm);
    return [((BigInt(intOut[1] >>> 0) << 32n) | BigInt(intOut[0] >>> 0)).toString(16), fpStatus.flags];
  };
  it('float -> int saturates and flags', () => {
    expect(cvt(NaN, INT_W, RNE)).toEqual(['7fffffff', FLAG_NV]);
    expect(cvt(NaN, INT_WU, RNE)).toEqual(['ffffffffffffffff', FLAG_NV]);
    expect(cvt(-Infinity, INT_L, RNE)).toEqual(['8000000000000000', FLAG_NV]);
    expect(cvt(Infinity, INT_LU, RNE)).toEqual(['ffffffffffffffff', FLAG_NV]);
    expect(cvt(-1, INT_LU, RNE)).toEqual(['0', FLAG_NV]);
    expect(cvt(-0.4, INT_WU, RNE)).toEqual(['0', FLAG_NX]);
    expect(cvt(2.5, INT_W, RNE)).toEqual(['2', FLAG_NX]);
    expect(cvt(2.5, INT_W, RMM)).toEqual(['3', FLAG_NX]);
    expect(cvt(-2.5, INT_W, RDN)).toEqual(['fffffffffffffffd', FLAG_NX]);
    expect(cvt(3e9, INT_WU, RNE)).toEqual(['ffffffffb2d05e00', 0]); // sign-extended 32-bit result
    expect(cvt(2147483647.5, INT_W, RTZ)).toEqual(['7fffffff', FLAG_NX]);
    expect(cvt(2147483647.5, INT_W, RUP)).toEqual(['7fffffff', FLAG_NV]);
    expect(cvt(2 ** 63, INT_L, RNE)).toEqual(['7fffffffffffffff', FLAG_NV]);
    expect(cvt(-(2 ** 63), INT_L, RNE)).toEqual(['8000000000000000', 0]);
    expect(cvt(2 ** 64 - 2048, INT_LU, RNE)).toEqual(['fffffffffffff800', 0]);
  });
  it('int -> float rounds', () => {
    fpStatus.flags = 0;
    expect(intToF64(-1, -1, INT_LU, RNE)).toBe(2 ** 64);
    expect(fpStatus.flags).toBe(FLAG_NX);
    expect(intToF64(-1, -1, INT_LU, RTZ)).toBe(2 ** 64 - 2048);
    expect(intToF64(-1, -1, INT_L, RNE)).toBe(-1);
    expect(intToF64(0, -0x80000000, INT_L, RNE)).toBe(-(2 ** 63));
    fpStatus.flags = 0;
    expect(intToF32(0x1000001, 0, INT_W, RNE)).toBe(numToF32(16777216));
    expect(intToF32(0x1000001, 0, INT_W, RUP)).toBe(numToF32(16777218));
    expect(fpStatus.flags).toBe(FLAG_NX);
    expect(intToF32(-1, 0, INT_WU, RNE)).toBe(0x4f800000);
  });
  it('f64 <-> f32', () => {
    expect(flagsOf(() => f64ToF32(d(0x7ff00000, 1), RNE))).toEqual([0x7fc00000, FLAG_NV]);
    expect(flagsOf(() => f64ToF32(1e300, RTZ))).toEqual([0x7f7fffff, FLAG_OF | FLAG_NX]);
    expect(flagsOf(() => f64ToF32(1e-50, RUP))).toEqual([1, FLAG_UF | FLAG_NX]);
    const [r, fl] = flagsOf(() => f32ToF64(0xff800001));
    expect(bits64(r as number)).toBe('7ff8000000000000');
    expect(fl).toBe(FLAG_NV);
    expect(f32ToF64(0x00000001)).toBe(2 ** -149);
  });
});

// ---------------------------------------------------------------------------
// Randomized fast-path vs exact reference
// ---------------------------------------------------------------------------
let seed = 0x243f6a8885a308d3n;
function rnd32(): number {
  seed ^= seed << 13n; seed &= 0xffffffffffffffffn;
  seed ^= seed >> 7n;
  seed ^= seed << 17n; seed &= 0xffffffffffffffffn;
  return Number(seed >> 32n) >>> 0;
}
function rndRange(n: number): number { return rnd32() % n; }
/** finite nonzero double with exponent biased toward the interesting ranges */
function rndF64(): number {
  const k = rndRange(5);
  let e: number;
  if (k === 0) e = 1 + rndRange(2046);
  else if (k === 1) e = 1023 + rndRange(60) - 30;
  else if (k === 2) e = rndRange(60);
  else if (k === 3) e = 1990 + rndRange(57);
  else e = 1023 + rndRange(4);
  let lo = rnd32(), fhi = rnd32() & 0xfffff;
  if (rndRange(3) === 0) { lo = lo & (-1 << rndRange(32)); fhi &= -1 << rndRange(20); }
  const x = fromWords((rnd32() & 0x80000000) | (e << 20) | fhi, lo);
  return x === 0 ? 1 : x;
}
function rndF32(): number {
  const k = rndRange(4);
  const e = k === 0 ? 1 + rndRange(254) : k === 1 ? 127 + rndRange(40) - 20 : k === 2 ? rndRange(30) : 220 + rndRange(35);
  let m = rnd32() & 0x7fffff;
  if (rndRange(3) === 0) m &= -1 << rndRange(23);
  const b = ((rnd32() & 0x80000000) | (e << 23) | m) >>> 0;
  return (b & 0x7fffffff) === 0 ? 0x3f800000 : b;
}

function ref64(op: string, a: number, b: number, c: number, rm: number): number {
  const A = decode64(a), B = decode64(b), C = decode64(c);
  switch (op) {
    case 'add': case 'sub': {
      const s = exactAdd(A.sign, A.sig, A.exp, op === 'sub' ? B.sign ^ 1 : B.sign, B.sig, B.exp);
      if (s.v === 0n) return rm === RDN ? -0 : 0;
      return s.v < 0n ? round64(1, -s.v, s.e, rm) : round64(0, s.v, s.e, rm);
    }
    case 'mul': return round64(A.sign ^ B.sign, A.sig * B.sig, A.exp + B.exp, rm);
    case 'div': { const q = divSig(A.sig, A.exp, B.sig, B.exp, 53); return round64(A.sign ^ B.sign, q.sig, q.exp, rm); }
    case 'sqrt': { const q = sqrtSig(A.sig, A.exp, 53); return round64(0, q.sig, q.exp, rm); }
    default: {
      const s = exactAdd(A.sign ^ B.sign, A.sig * B.sig, A.exp + B.exp, C.sign, C.sig, C.exp);
      if (s.v === 0n) return rm === RDN ? -0 : 0;
      return s.v < 0n ? round64(1, -s.v, s.e, rm) : round64(0, s.v, s.e, rm);
    }
  }
}
function ref32(op: string, a: number, b: number, c: number, rm: number): number {
  const A = decode32(a), B = decode32(b), C = decode32(c);
  switch (op) {
    case 'add': case 'sub': {
      const s = exactAdd(A.sign, A.sig, A.exp, op === 'sub' ? B.sign ^ 1 : B.sign, B.sig, B.exp);
      if (s.v === 0n) return rm === RDN ? 0x80000000 : 0;
      return s.v < 0n ? round32(1, -s.v, s.e, rm) : round32(0, s.v, s.e, rm);
    }
    case 'mul': return round32(A.sign ^ B.sign, A.sig * B.sig, A.exp + B.exp, rm);
    case 'div': { const q = divSig(A.sig, A.exp, B.sig, B.exp, 24); return round32(A.sign ^ B.sign, q.sig, q.exp, rm); }
    case 'sqrt': { const q = sqrtSig(A.sig, A.exp, 24); return round32(0, q.sig, q.exp, rm); }
    default: {
      const s = exactAdd(A.sign ^ B.sign, A.sig * B.sig, A.exp + B.exp, C.sign, C.sig, C.exp);
      if (s.v === 0n) return rm === RDN ? 0x80000000 : 0;
      return s.v < 0n ? round32(1, -s.v, s.e, rm) : round32(0, s.v, s.e, rm);
    }
  }
}

describe('fast paths agree with the exact reference', () => {
  const N = Number(process.env.SOFTFLOAT_FUZZ_N ?? 6000);
  const ops64: Record<string, (a: number, b: number, c: number, rm: number) => number> = {
    add: (a, b, _c, rm) => f64_add(a, b, rm),
    sub: (a, b, _c, rm) => f64_sub(a, b, rm),
    mul: (a, b, _c, rm) => f64_mul(a, b, rm),
    div: (a, b, _c, rm) => f64_div(a, b, rm),
    sqrt: (a, _b, _c, rm) => f64_sqrt(Math.abs(a), rm),
    fma: (a, b, c, rm) => f64_fma(a, b, c, rm),
  };
  for (const [op, fn] of Object.entries(ops64)) {
    it(`binary64 ${op}`, () => {
      const bad: string[] = [];
      for (let i = 0; i < N; i++) {
        let a = rndF64(), b = rndF64(), c = rndF64();
        if (op === 'sqrt') a = Math.abs(a);
        if ((op === 'add' || op === 'sub') && i % 2) b = a * (1 + (rndRange(64) - 32) * 2 ** -50) * (rndRange(2) ? -1 : 1);
        if (op === 'fma' && i % 2) { c = -(a * b); if (c === 0 || !isFinite(c)) c = rndF64(); else c = fromWords(hiOf(c), loOf(c) ^ rndRange(256)); }
        if (op === 'mul' && i % 3 === 0) b = fromWords(hiOf(b) & 0xfff00000 | (rnd32() & 0xff), 0) || 1;
        for (const rm of RMS) {
          fpStatus.flags = 0;
          const got = fn(a, b, c, rm);
          const gf = fpStatus.flags;
          fpStatus.flags = 0;
          const want = ref64(op, a, b, c, rm);
          const wf = fpStatus.flags;
          if (bits64(got) !== bits64(want) || gf !== wf) {
            bad.push(`${op} rm${rm} ${bits64(a)} ${bits64(b)} ${bits64(c)}: got ${bits64(got)}/${gf} want ${bits64(want)}/${wf}`);
          }
        }
      }
      expect(bad.slice(0, 10)).toEqual([]);
    });
  }
  it('binary64 fma near midpoints (sparse significands)', () => {
    const sparse = (bitsN: number, e: number) => {
      let m = 1;
      for (let i = 1; i < bitsN; i++) m = m * 2 + (rndRange(4) === 0 ? 1 : 0);
      return m * 2 ** (e - bitsN) * (rndRange(2) ? -1 : 1);
    };
    const bad: string[] = [];
    let midpointish = 0;
    for (let i = 0; i < N; i++) {
      const a = sparse(27 + rndRange(4), rndRange(40) - 20);
      const b = sparse(27 + rndRange(4), rndRange(40) - 20);
      const p = a * b;
      // c: -(p truncated to fewer bits) plus a sparse perturbation around the product's low bits
      const k = 2 ** (Math.floor(Math.log2(Math.abs(p))) - rndRange(60));
      const c = -Math.trunc(p / k) * k + sparse(8, Math.floor(Math.log2(Math.abs(p))) - 50 - rndRange(10));
      for (const rm of RMS) {
        fpStatus.flags = 0;
        const got = f64_fma(a, b, c, rm);
        const gf = fpStatus.flags;
        fpStatus.flags = 0;
        const want = ref64('fma', a, b, c, rm);
        const wf = fpStatus.flags;
        if (got !== want && !(got !== got && want !== want)) bad.push(`fma rm${rm} ${a} ${b} ${c}: got ${got}/${gf} want ${want}/${wf}`);
        else if (bits64(got) !== bits64(want) || gf !== wf) bad.push(`fma rm${rm} ${bits64(a)} ${bits64(b)} ${bits64(c)}: got ${bits64(got)}/${gf} want ${bits64(want)}/${wf}`);
        if (wf === FLAG_NX && rm === RNE && ref64('fma', a, b, c, RMM) !== want) midpointish++;
      }
    }
    expect(bad.slice(0, 10)).toEqual([]);
    expect(midpointish).toBeGreaterThan(0); // the generator really produces exact ties
  });
  const ops32: Record<string, (a: number, b: number, c: number, rm: number) => number> = {
    add: (a, b, _c, rm) => f32_add(a, b, rm),
    sub: (a, b, _c, rm) => f32_sub(a, b, rm),
    mul: (a, b, _c, rm) => f32_mul(a, b, rm),
    div: (a, b, _c, rm) => f32_div(a, b, rm),
    sqrt: (a, _b, _c, rm) => f32_sqrt(a & 0x7fffffff, rm),
    fma: (a, b, c, rm) => f32_fma(a, b, c, rm),
  };
  for (const [op, fn] of Object.entries(ops32)) {
    it(`binary32 ${op}`, () => {
      const bad: string[] = [];
      for (let i = 0; i < N; i++) {
        let a = rndF32(), b = rndF32(), c = rndF32();
        if (op === 'sqrt') a &= 0x7fffffff;
        if (op === 'fma' && i % 2) {
          const p = f32ToNum(a) * f32ToNum(b);
          const cb = numToF32(Math.fround(-p));
          if ((cb & 0x7fffffff) !== 0 && (cb & 0x7f800000) !== 0x7f800000) c = (cb ^ rndRange(16)) >>> 0;
        }
        for (const rm of RMS) {
          fpStatus.flags = 0;
          const got = fn(a, b, c, rm);
          const gf = fpStatus.flags;
          fpStatus.flags = 0;
          const want = ref32(op, op === 'sqrt' ? a & 0x7fffffff : a, b, c, rm);
          const wf = fpStatus.flags;
          if (got !== want || gf !== wf) {
            bad.push(`${op} rm${rm} ${a.toString(16)} ${b.toString(16)} ${c.toString(16)}: got ${got.toString(16)}/${gf} want ${want.toString(16)}/${wf}`);
          }
        }
      }
      expect(bad.slice(0, 10)).toEqual([]);
    });
  }
  it('binary64 -> binary32 narrowing', () => {
    const bad: string[] = [];
    for (let i = 0; i < N; i++) {
      const x = rndF64() * (rndRange(2) ? 1 : 2 ** (rndRange(200) - 100));
      if (!isFinite(x) || x === 0) continue;
      for (const rm of RMS) {
        fpStatus.flags = 0;
        const got = roundExactTo32(x, rm);
        const gf = fpStatus.flags;
        fpStatus.flags = 0;
        const D = decode64(x);
        const want = round32(D.sign, D.sig, D.exp, rm);
        if (got !== want || gf !== fpStatus.flags) bad.push(`${bits64(x)} rm${rm}: ${got.toString(16)}/${gf} want ${want.toString(16)}/${fpStatus.flags}`);
      }
    }
    expect(bad.slice(0, 10)).toEqual([]);
  });
});

// silence unused-import lints for flags used only in some branches
void FLAG_UF;

describe('ARM policy: NaN priority, tininess before rounding, binary16', () => {
  it('propagates the first signaling NaN ahead of an earlier quiet one', () => {
    setNanPolicy(ARM_NAN_POLICY);
    expect(f32_add(0x7fc00001, 0x7f800002, RNE)).toBe(0x7fc00002);
    const [r, fl] = flagsOf(() => f64_mul(d(0x7ff80000, 1), d(0x7ff00000, 2), RNE));
    expect(bits64(r as number)).toBe('7ff8000000000002');
    expect(fl).toBe(FLAG_NV);
    expect(f32_add(0x7fc00001, 0x7fc00002, RNE)).toBe(0x7fc00001);
    setNanPolicy(ARM_DN_NAN_POLICY);
    expect(f32_add(0x7fc00001, 0x7f800002, RNE)).toBe(0x7fc00000);
  });
  it('detects tininess before rounding under the ARM policy', () => {
    // 2^-1022 - 2^-1080 lies just below the normal range and rounds up to 2^-1022
    const op = () => f64_fma(-(2 ** -540), 2 ** -540, 2 ** -1022, RNE);
    setNanPolicy(RISCV_NAN_POLICY);
    const [r1, f1] = flagsOf(op);
    expect(bits64(r1 as number)).toBe('0010000000000000');
    expect(f1).toBe(FLAG_NX);
    setNanPolicy(ARM_NAN_POLICY);
    const [r2, f2] = flagsOf(op);
    expect(bits64(r2 as number)).toBe('0010000000000000');
    expect(f2).toBe(FLAG_NX | FLAG_UF);
  });
  it('rounds to binary16 and reads it back', () => {
    const D = decode64(1 / 3);
    expect(Number(roundToFormat(D.sign, D.sig, D.exp, BINARY16, RNE)).toString(16)).toBe('3555');
    expect(Number(roundToFormat(0, 1n, 16, BINARY16, RNE)).toString(16)).toBe('7c00'); // 65536 overflows
    expect(f16ToNum(0x3c00)).toBe(1);
    expect(f16ToNum(0x0001)).toBe(2 ** -24);
    expect(f16ToNum(0xfc00)).toBe(-Infinity);
    expect(f16ToNum(0x7c00, true)).toBe(65536);
  });
});

describe('binary32 fma whose double sum is inexact', () => {
  it('rounds a value just below a midpoint correctly (no double rounding)', () => {
    // (1 + 2^-22)(1 - 2^-24) + 2^-46 (1 - 2^-24) = 1 + 3 * 2^-24 - 2^-70: in binary64 it
    // rounds to the binary32 midpoint 1 + 3 * 2^-24, whose tie would go up to 1 + 2^-22
    const a = 0x3f800002, b = 0x3f7fffff, c = numToF32(2 ** -46 * (1 - 2 ** -24));
    const want: Record<number, number> = { [RNE]: 0x3f800001, [RTZ]: 0x3f800001, [RDN]: 0x3f800001, [RUP]: 0x3f800002, [RMM]: 0x3f800001 };
    for (const rm of RMS) expect(flagsOf(() => f32_fma(a, b, c, rm))).toEqual([want[rm], FLAG_NX]);
  });
});
