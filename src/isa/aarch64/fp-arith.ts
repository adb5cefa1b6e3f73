/**
 * ARM floating-point semantics over the shared softfloat (src/isa/softfloat):
 * FPCR (rounding mode, FZ flush-to-zero, DN default NaN, AHP), ARM's NaN
 * rules (FPProcessNaNs: the first signaling NaN, else the first quiet one,
 * quietened), tininess before rounding, and FPSR's cumulative flags.
 *
 * binary32 values are raw uint32 bit patterns, binary64 values JS numbers
 * (bit-exact, NaN payloads included), binary16 raw uint16 bit patterns.
 *
 * Call loadFpcr() before an instruction and fpsrBits() after it: the
 * softfloat flags plus ARM's own (IDC for flushed inputs, UFC for flushed
 * outputs) as FPSR bits.
 */
import {
  fpStatus, setNanPolicy, ARM_NAN_POLICY, ARM_DN_NAN_POLICY, FLAG_NV, FLAG_DZ, FLAG_OF, FLAG_UF, FLAG_NX,
  RNE, RTZ, RDN, RUP, RMM, hiOf, loOf, fromWords, f32ToNum, numToF32, f16ToNum,
  f32_add, f32_sub, f32_mul, f32_div, f32_sqrt, f32_fma,
  f64_add, f64_sub, f64_mul, f64_div, f64_sqrt, f64_fma,
  roundToIntegral, roundExactTo32, roundToFormat, decode32, decode64, exactAdd, round32, round64,
  intToF32, intToF64, INT_W, INT_WU, INT_L, INT_LU, BINARY16, type FloatFormat,
} from '../softfloat/index.js';
import { FPSR_IOC, FPSR_DZC, FPSR_OFC, FPSR_UFC, FPSR_IXC, FPSR_IDC, FPCR_FZ, FPCR_DN, FPCR_AHP, FPCR_RMODE_SHIFT } from './state.js';

export { RNE, RTZ, RDN, RUP, RMM };

/** FPCR.RMode (RN, RP, RM, RZ) as a softfloat rounding mode. */
const RMODE = [RNE, RUP, RDN, RTZ];
/** softfloat flag set (NX=1 UF=2 OF=4 DZ=8 NV=16) -> FPSR bits. */
const FLAG_TO_FPSR = new Int32Array(32);
for (let f = 0; f < 32; f++) {
  FLAG_TO_FPSR[f] = (f & FLAG_NX ? FPSR_IXC : 0) | (f & FLAG_UF ? FPSR_UFC : 0) | (f & FLAG_OF ? FPSR_OFC : 0) |
    (f & FLAG_DZ ? FPSR_DZC : 0) | (f & FLAG_NV ? FPSR_IOC : 0);
}

/** The current instruction's FPCR: rounding mode (softfloat encoding), FZ, DN, AHP. */
export let rm = RNE;
export let fz = false;
export let dn = false;
export let ahp = false;
/** FPSR bits softfloat does not know: IDC, and UFC from flushed results. */
let extra = 0;

export function loadFpcr(fpcr: number): void {
  rm = RMODE[(fpcr >>> FPCR_RMODE_SHIFT) & 3];
  fz = (fpcr & FPCR_FZ) !== 0;
  dn = (fpcr & FPCR_DN) !== 0;
  ahp = (fpcr & FPCR_AHP) !== 0;
  setNanPolicy(dn ? ARM_DN_NAN_POLICY : ARM_NAN_POLICY);
  fpStatus.flags = 0;
  extra = 0;
}
/** The FPSR bits the instruction raised. */
export function fpsrBits(): number { return FLAG_TO_FPSR[fpStatus.flags & 31] | extra; }
export function raise(fpsr: number): void { extra |= fpsr; }

const MIN_NORMAL64 = 2 ** -1022;
export const DEFAULT_NAN32 = 0x7fc00000;
export const DEFAULT_NAN64 = fromWords(0x7ff80000, 0);

// ---------------------------------------------------------------------------
// Classification, flush-to-zero, NaN processing
// ---------------------------------------------------------------------------
export function isNaN32(a: number): boolean { return (a & 0x7fffffff) > 0x7f800000; }
function isSNaN32(a: number): boolean { return (a & 0x7fffffff) > 0x7f800000 && (a & 0x00400000) === 0; }
function isSNaN64(x: number): boolean { return x !== x && (hiOf(x) & 0x00080000) === 0; }
export function signOf64(x: number): number { return hiOf(x) >>> 31; }
export function neg32(a: number): number { return (a ^ 0x80000000) >>> 0; }
export function abs32(a: number): number { return (a & 0x7fffffff) >>> 0; }
export function neg64(x: number): number { return fromWords(hiOf(x) ^ 0x80000000, loOf(x)); }
export function abs64(x: number): number { return fromWords(hiOf(x) & 0x7fffffff, loOf(x)); }

/** FPUnpack's flush of a denormal input under FPCR.FZ (raises IDC). */
export function in32(a: number): number {
  if (fz && (a & 0x7f800000) === 0 && (a & 0x007fffff) !== 0) { extra |= FPSR_IDC; return (a & 0x80000000) >>> 0; }
  return a >>> 0;
}
export function in64(x: number): number {
  if (fz && x !== 0 && x < MIN_NORMAL64 && x > -MIN_NORMAL64) { extra |= FPSR_IDC; return x < 0 ? -0 : 0; }
  return x;
}

/** A quietened NaN operand, or the default NaN under FPCR.DN; raises IOC for a signaling one. */
export function nan32(a: number): number {
  if ((a & 0x00400000) === 0) fpStatus.flags |= FLAG_NV;
  return dn ? DEFAULT_NAN32 : (a | 0x00400000) >>> 0;
}
export function nan64(x: number): number {
  const hi = hiOf(x);
  if ((hi & 0x00080000) === 0) fpStatus.flags |= FLAG_NV;
  return dn ? DEFAULT_NAN64 : fromWords(hi | 0x00080000, loOf(x));
}
/** FPProcessNaNs: the NaN result of a two-operand op, or -1 when neither operand is a NaN. */
export function nans32(a: number, b: number): number {
  if (isSNaN32(a)) return nan32(a);
  if (isSNaN32(b)) return nan32(b);
  if (isNaN32(a)) return nan32(a);
  if (isNaN32(b)) return nan32(b);
  return -1;
}
/** FPProcessNaNs3, or -1. */
export function nans32x3(a: number, b: number, c: number): number {
  if (isSNaN32(a)) return nan32(a);
  if (isSNaN32(b)) return nan32(b);
  if (isSNaN32(c)) return nan32(c);
  if (isNaN32(a)) return nan32(a);
  if (isNaN32(b)) return nan32(b);
  if (isNaN32(c)) return nan32(c);
  return -1;
}
/** FPProcessNaNs for binary64: the NaN result, or a non-NaN (0) when neither operand is a NaN. */
export function nans64(a: number, b: number): number {
  if (isSNaN64(a)) return nan64(a);
  if (isSNaN64(b)) return nan64(b);
  if (a !== a) return nan64(a);
  if (b !== b) return nan64(b);
  return 0;
}
export function nans64x3(a: number, b: number, c: number): number {
  if (isSNaN64(a)) return nan64(a);
  if (isSNaN64(b)) return nan64(b);
  if (isSNaN64(c)) return nan64(c);
  if (a !== a) return nan64(a);
  if (b !== b) return nan64(b);
  if (c !== c) return nan64(c);
  return 0;
}

/**
 * Finish a rounded result: under FZ a result whose exact value is below the
 * normal range (the op raised UF — tininess is detected before rounding — or
 * the result is subnormal) becomes a signed zero with only UFC raised.
 * `f0` is the flag set from before the op (fpStatus.flags was cleared for it).
 */
function fin32(r: number, f0: number): number {
  if (fz && ((fpStatus.flags & FLAG_UF) !== 0 || ((r & 0x7f800000) === 0 && (r & 0x007fffff) !== 0))) {
    fpStatus.flags = f0; extra |= FPSR_UFC;
    return (r & 0x80000000) >>> 0;
  }
  fpStatus.flags |= f0;
  return r >>> 0;
}
function fin64(r: number, f0: number): number {
  if (fz && ((fpStatus.flags & FLAG_UF) !== 0 || (r !== 0 && r < MIN_NORMAL64 && r > -MIN_NORMAL64))) {
    fpStatus.flags = f0; extra |= FPSR_UFC;
    return signOf64(r) ? -0 : 0;
  }
  fpStatus.flags |= f0;
  return r;
}

// ---------------------------------------------------------------------------
// Arithmetic (binary32 bits / binary64 numbers)
// ---------------------------------------------------------------------------
type Op32 = (a: number, b: number, rm: number) => number;
const EXP32 = 0x7f800000;
function bin32(op: Op32, a: number, b: number): number {
  if ((a & EXP32) === EXP32 || (b & EXP32) === EXP32) {
    const n = nans32(in32(a), in32(b));
    if (n >= 0) return n;
  }
  if (!fz) return op(a, b, rm);
  a = in32(a); b = in32(b);
  const f0 = fpStatus.flags; fpStatus.flags = 0;
  return fin32(op(a, b, rm), f0);
}
function bin64(op: Op32, a: number, b: number): number {
  if (a !== a || b !== b) return nans64(in64(a), in64(b));
  if (!fz) return op(a, b, rm);
  a = in64(a); b = in64(b);
  const f0 = fpStatus.flags; fpStatus.flags = 0;
  return fin64(op(a, b, rm), f0);
}
export const add32 = (a: number, b: number): number => bin32(f32_add, a, b);
export const sub32 = (a: number, b: number): number => bin32(f32_sub, a, b);
export const mul32 = (a: number, b: number): number => bin32(f32_mul, a, b);
export const div32 = (a: number, b: number): number => bin32(f32_div, a, b);
export const add64 = (a: number, b: number): number => bin64(f64_add, a, b);
export const sub64 = (a: number, b: number): number => bin64(f64_sub, a, b);
export const mul64 = (a: number, b: number): number => bin64(f64_mul, a, b);
export const div64 = (a: number, b: number): number => bin64(f64_div, a, b);

function isInf32(a: number): boolean { return (a & 0x7fffffff) === 0x7f800000; }
function isZero32(a: number): boolean { return (a & 0x7fffffff) === 0; }

/** FMULX: FMUL except that infinity times zero is 2.0 with the sign of the product. */
export function mulx32(a: number, b: number): number {
  a = in32(a); b = in32(b);
  const n = nans32(a, b);
  if (n >= 0) return n;
  if ((isInf32(a) && isZero32(b)) || (isZero32(a) && isInf32(b))) return (((a ^ b) & 0x80000000) | 0x40000000) >>> 0;
  const f0 = fpStatus.flags; fpStatus.flags = 0;
  return fin32(f32_mul(a, b, rm), f0);
}
export function mulx64(a: number, b: number): number {
  a = in64(a); b = in64(b);
  if (a !== a || b !== b) return nans64(a, b);
  if ((Math.abs(a) === Infinity && b === 0) || (a === 0 && Math.abs(b) === Infinity)) return signOf64(a) ^ signOf64(b) ? -2 : 2;
  const f0 = fpStatus.flags; fpStatus.flags = 0;
  return fin64(f64_mul(a, b, rm), f0);
}

export function sqrt32(a: number): number {
  a = in32(a);
  if (isNaN32(a)) return nan32(a);
  const f0 = fpStatus.flags; fpStatus.flags = 0;
  return fin32(f32_sqrt(a, rm), f0);
}
export function sqrt64(a: number): number {
  a = in64(a);
  if (a !== a) return nan64(a);
  const f0 = fpStatus.flags; fpStatus.flags = 0;
  return fin64(f64_sqrt(a, rm), f0);
}

/** FPMulAdd: addend + op1*op2 with one rounding (callers negate operands first for the subtracting forms). */
export function fma32(addend: number, op1: number, op2: number): number {
  if (!fz && (addend & EXP32) !== EXP32 && (op1 & EXP32) !== EXP32 && (op2 & EXP32) !== EXP32) return f32_fma(op1, op2, addend, rm);
  addend = in32(addend); op1 = in32(op1); op2 = in32(op2);
  const n = nans32x3(addend, op1, op2);
  if (n >= 0) {
    if (isNaN32(addend) && !isSNaN32(addend) && ((isInf32(op1) && isZero32(op2)) || (isZero32(op1) && isInf32(op2)))) {
      fpStatus.flags |= FLAG_NV; return DEFAULT_NAN32;
    }
    return n;
  }
  const f0 = fpStatus.flags; fpStatus.flags = 0;
  return fin32(f32_fma(op1, op2, addend, rm), f0);
}
export function fma64(addend: number, op1: number, op2: number): number {
  const anyNaN = addend !== addend || op1 !== op1 || op2 !== op2;
  if (!fz && !anyNaN) return f64_fma(op1, op2, addend, rm);
  addend = in64(addend); op1 = in64(op1); op2 = in64(op2);
  if (anyNaN) {
    const n = nans64x3(addend, op1, op2);
    if (!isSNaN64(addend) && addend !== addend &&
        ((Math.abs(op1) === Infinity && op2 === 0) || (op1 === 0 && Math.abs(op2) === Infinity))) {
      fpStatus.flags |= FLAG_NV; return DEFAULT_NAN64;
    }
    return n;
  }
  const f0 = fpStatus.flags; fpStatus.flags = 0;
  return fin64(f64_fma(op1, op2, addend, rm), f0);
}

/** FRECPS: 2 - op1*op2, fused (infinity times zero gives 2). */
export function recps32(a: number, b: number): number {
  a = in32(a); b = in32(b);
  a = neg32(a);
  const n = nans32(a, b);
  if (n >= 0) return n;
  if ((isInf32(a) && isZero32(b)) || (isZero32(a) && isInf32(b))) return 0x40000000;
  const f0 = fpStatus.flags; fpStatus.flags = 0;
  return fin32(f32_fma(a, b, 0x40000000, rm), f0);
}
export function recps64(a: number, b: number): number {
  a = in64(a); b = in64(b);
  a = neg64(a);
  if (a !== a || b !== b) return nans64(a, b);
  if ((Math.abs(a) === Infinity && b === 0) || (a === 0 && Math.abs(b) === Infinity)) return 2;
  const f0 = fpStatus.flags; fpStatus.flags = 0;
  return fin64(f64_fma(a, b, 2, rm), f0);
}
/** FRSQRTS: (3 - op1*op2) / 2 with one rounding (infinity times zero gives 1.5). */
export function rsqrts32(a: number, b: number): number {
  a = in32(a); b = in32(b);
  a = neg32(a);
  const n = nans32(a, b);
  if (n >= 0) return n;
  if ((isInf32(a) && isZero32(b)) || (isZero32(a) && isInf32(b))) return 0x3fc00000;
  if (isInf32(a) || isInf32(b)) return (((a ^ b) & 0x80000000) | 0x7f800000) >>> 0;
  const f0 = fpStatus.flags; fpStatus.flags = 0;
  let r: number;
  if (isZero32(a) || isZero32(b)) r = 0x3fc00000;
  else {
    const A = decode32(a), B = decode32(b);
    const s = exactAdd(A.sign ^ B.sign, A.sig * B.sig, A.exp + B.exp, 0, 3n, 0);
    r = s.v === 0n ? (rm === RDN ? 0x80000000 : 0) : s.v < 0n ? round32(1, -s.v, s.e - 1, rm) : round32(0, s.v, s.e - 1, rm);
  }
  return fin32(r, f0);
}
export function rsqrts64(a: number, b: number): number {
  a = in64(a); b = in64(b);
  a = neg64(a);
  if (a !== a || b !== b) return nans64(a, b);
  const ia = Math.abs(a) === Infinity, ib = Math.abs(b) === Infinity;
  if ((ia && b === 0) || (a === 0 && ib)) return 1.5;
  if (ia || ib) return signOf64(a) ^ signOf64(b) ? -Infinity : Infinity;
  const f0 = fpStatus.flags; fpStatus.flags = 0;
  let r: number;
  if (a === 0 || b === 0) r = 1.5;
  else {
    const A = decode64(a), B = decode64(b);
    const s = exactAdd(A.sign ^ B.sign, A.sig * B.sig, A.exp + B.exp, 0, 3n, 0);
    r = s.v === 0n ? (rm === RDN ? -0 : 0) : s.v < 0n ? round64(1, -s.v, s.e - 1, rm) : round64(0, s.v, s.e - 1, rm);
  }
  return fin64(r, f0);
}

// ---------------------------------------------------------------------------
// Minimum / maximum
// ---------------------------------------------------------------------------
/** FPMax / FPMin (max = true / false): any NaN propagates. */
export function minmax32(a: number, b: number, max: boolean): number {
  a = in32(a); b = in32(b);
  const n = nans32(a, b);
  if (n >= 0) return n;
  if (isZero32(a) && isZero32(b)) return (max ? a & b : a | b) >>> 0;
  const x = f32ToNum(a), y = f32ToNum(b);
  return (max ? (x > y ? a : b) : (x < y ? a : b)) >>> 0;
}
/** FPMaxNum / FPMinNum: one quiet NaN gives the other operand. */
export function minmaxnm32(a: number, b: number, max: boolean): number {
  a = in32(a); b = in32(b);
  const qa = isNaN32(a) && !isSNaN32(a), qb = isNaN32(b) && !isSNaN32(b);
  if (qa && !qb) a = max ? 0xff800000 : 0x7f800000;
  else if (qb && !qa) b = max ? 0xff800000 : 0x7f800000;
  return minmax32(a, b, max);
}
export function minmax64(a: number, b: number, max: boolean): number {
  a = in64(a); b = in64(b);
  if (a !== a || b !== b) return nans64(a, b);
  if (a === 0 && b === 0) return (max ? signOf64(a) & signOf64(b) : signOf64(a) | signOf64(b)) ? -0 : 0;
  return max ? (a > b ? a : b) : (a < b ? a : b);
}
export function minmaxnm64(a: number, b: number, max: boolean): number {
  a = in64(a); b = in64(b);
  const qa = a !== a && !isSNaN64(a), qb = b !== b && !isSNaN64(b);
  if (qa && !qb) a = max ? -Infinity : Infinity;
  else if (qb && !qa) b = max ? -Infinity : Infinity;
  return minmax64(a, b, max);
}

// ---------------------------------------------------------------------------
// Comparisons
// ---------------------------------------------------------------------------
/** FPCompare as NZCV (bits 31..28): unordered 0011, equal 0110, less 1000, greater 0010. */
export function cmp32(a: number, b: number, signalAll: boolean): number {
  a = in32(a); b = in32(b);
  if (isNaN32(a) || isNaN32(b)) {
    if (signalAll || isSNaN32(a) || isSNaN32(b)) fpStatus.flags |= FLAG_NV;
    return 0x30000000;
  }
  const x = f32ToNum(a), y = f32ToNum(b);
  return x === y ? 0x60000000 : x < y ? 0x80000000 | 0 : 0x20000000;
}
export function cmp64(a: number, b: number, signalAll: boolean): number {
  a = in64(a); b = in64(b);
  if (a !== a || b !== b) {
    if (signalAll || isSNaN64(a) || isSNaN64(b)) fpStatus.flags |= FLAG_NV;
    return 0x30000000;
  }
  return a === b ? 0x60000000 : a < b ? 0x80000000 | 0 : 0x20000000;
}
/** Vector compares: cond 0 EQ (quiet), 1 GE, 2 GT (signaling); abs compares the magnitudes. */
export function cmpMask32(a: number, b: number, cond: number, abs: boolean): boolean {
  a = in32(a); b = in32(b);
  if (abs) { a = abs32(a); b = abs32(b); }
  if (isNaN32(a) || isNaN32(b)) {
    if (cond !== 0 || isSNaN32(a) || isSNaN32(b)) fpStatus.flags |= FLAG_NV;
    return false;
  }
  const x = f32ToNum(a), y = f32ToNum(b);
  return cond === 0 ? x === y : cond === 1 ? x >= y : x > y;
}
export function cmpMask64(a: number, b: number, cond: number, abs: boolean): boolean {
  a = in64(a); b = in64(b);
  if (abs) { a = Math.abs(a); b = Math.abs(b); }
  if (a !== a || b !== b) {
    if (cond !== 0 || isSNaN64(a) || isSNaN64(b)) fpStatus.flags |= FLAG_NV;
    return false;
  }
  return cond === 0 ? a === b : cond === 1 ? a >= b : a > b;
}

// ---------------------------------------------------------------------------
// Rounding to integral, conversions
// ---------------------------------------------------------------------------
/** FPRoundInt under mode `mode`; exact = FRINTX (raises IXC when the value changes). */
export function rint32(a: number, mode: number, exact: boolean): number {
  a = in32(a);
  if (isNaN32(a)) return nan32(a);
  const f0 = fpStatus.flags;
  const r = roundToIntegral(f32ToNum(a), mode);
  if (!exact) fpStatus.flags = f0;
  return r === 0 ? (a & 0x80000000) >>> 0 : numToF32(r);
}
export function rint64(a: number, mode: number, exact: boolean): number {
  a = in64(a);
  if (a !== a) return nan64(a);
  const f0 = fpStatus.flags;
  const r = roundToIntegral(a, mode);
  if (!exact) fpStatus.flags = f0;
  return r === 0 ? (signOf64(a) ? -0 : 0) : r;
}

/** Result of toFixed: [lo, hi] words of the integer. */
export const fixOut = new Int32Array(2);
const TWO31 = 2 ** 31, TWO32 = 2 ** 32, TWO63 = 2 ** 63, TWO64 = 2 ** 64;
/** 2^i for i in 0..64. */
const POW2 = new Float64Array(65).map((_, i) => 2 ** i);

/**
 * FPToFixed of an (already unpacked, flushed) value `v` — a double holding a
 * binary32 or binary64 value, NaN for any NaN — to a `bits`-wide (32/64)
 * signed or unsigned integer with `fbits` fraction bits under `mode`.
 * NaN gives 0, out-of-range values saturate; both raise IOC only.
 */
export function toFixed(v: number, fbits: number, unsigned: boolean, bits: number, mode: number): void {
  if (v !== v) { fpStatus.flags |= FLAG_NV; fixOut[0] = 0; fixOut[1] = 0; return; }
  const x = fbits ? v * POW2[fbits] : v;
  const f0 = fpStatus.flags;
  const r = roundToIntegral(x, mode);
  if (bits === 32) {
    if (unsigned ? r >= 0 && r < TWO32 : r >= -TWO31 && r < TWO31) { fixOut[0] = r | 0; fixOut[1] = 0; return; }
  } else if (unsigned ? r >= 0 && r < TWO64 : r >= -TWO63 && r < TWO63) {
    const hi = Math.floor(r / TWO32);
    fixOut[0] = (r - hi * TWO32) | 0; fixOut[1] = hi | 0;
    return;
  }
  fpStatus.flags = f0 | FLAG_NV;
  const neg = r < 0;
  if (bits === 32) { fixOut[0] = unsigned ? (neg ? 0 : -1) : neg ? -0x80000000 : 0x7fffffff; fixOut[1] = 0; }
  else if (unsigned) fixOut[0] = fixOut[1] = neg ? 0 : -1;
  else { fixOut[0] = neg ? 0 : -1; fixOut[1] = neg ? -0x80000000 : 0x7fffffff; }
}
/** Unpack a binary32 for conversion: flushed, NaN as NaN. */
export function val32(a: number): number { a = in32(a); return isNaN32(a) ? NaN : f32ToNum(a); }

/** FixedToFP: the integer in words lo/hi (`bits` wide, signed or not) / 2^fbits, rounded to binary32 bits / binary64. */
export function fixedTo32(lo: number, hi: number, bits: number, unsigned: boolean, fbits: number): number {
  const kind = bits === 32 ? (unsigned ? INT_WU : INT_W) : unsigned ? INT_LU : INT_L;
  const r = intToF32(lo, hi, kind, rm);
  return fbits ? numToF32(f32ToNum(r) / POW2[fbits]) : r >>> 0;
}
export function fixedTo64(lo: number, hi: number, bits: number, unsigned: boolean, fbits: number): number {
  const kind = bits === 32 ? (unsigned ? INT_WU : INT_W) : unsigned ? INT_LU : INT_L;
  const r = intToF64(lo, hi, kind, rm);
  return fbits ? r / POW2[fbits] : r;
}

/** FCVT binary32 -> binary64. */
export function cvt32to64(a: number): number {
  a = in32(a);
  if (isNaN32(a)) {
    if ((a & 0x00400000) === 0) fpStatus.flags |= FLAG_NV;
    if (dn) return DEFAULT_NAN64;
    return fromWords((a & 0x80000000) | 0x7ff80000 | ((a & 0x3fffff) >>> 3), (a << 29) >>> 0);
  }
  return f32ToNum(a);
}
/** FCVT binary64 -> binary32 (FCVTXN's round-to-odd is `odd`). */
export function cvt64to32(x: number, odd = false): number {
  x = in64(x);
  if (x !== x) {
    const hi = hiOf(x);
    if ((hi & 0x00080000) === 0) fpStatus.flags |= FLAG_NV;
    if (dn) return DEFAULT_NAN32;
    return ((hi & 0x80000000) | 0x7fc00000 | ((hi & 0x7ffff) << 3) | (loOf(x) >>> 29)) >>> 0;
  }
  const f0 = fpStatus.flags; fpStatus.flags = 0;
  if (odd) {
    let r = roundExactTo32(x, RTZ);
    if (fpStatus.flags & FLAG_NX) r |= 1;
    return fin32(r, f0);
  }
  return fin32(roundExactTo32(x, rm), f0);
}

/** binary16 with ARM's alternative half precision (no infinities or NaNs: exponent 31 is normal). */
const AHP16: FloatFormat = { p: 11, emin: -14, emax: 16, bias: 15, width: 16 };

/**
 * FCVT binary64 (or an exactly widened binary32) -> binary16, for a flushed
 * operand; for a NaN, `nanHi` is its binary64 high word (sign, quiet bit 19,
 * payload from bit 18 down).
 */
export function cvtTo16(x: number, nanHi: number): number {
  if (x !== x) {
    const sign = (nanHi >>> 16) & 0x8000;
    if ((nanHi & 0x00080000) === 0 || ahp) fpStatus.flags |= FLAG_NV;
    if (ahp) return sign;
    if (dn) return 0x7e00;
    return sign | 0x7e00 | ((nanHi >>> 10) & 0x1ff);
  }
  const sign = signOf64(x);
  if (Math.abs(x) === Infinity) {
    if (ahp) { fpStatus.flags |= FLAG_NV; return (sign << 15) | 0x7fff; }
    return (sign << 15) | 0x7c00;
  }
  if (x === 0) return sign << 15;
  if (!ahp) { // round to 11 bits on numbers: x / ulp is exact, roundToIntegral rounds it (and raises NX)
    const ax = Math.abs(x), e = ((hiOf(ax) >>> 20) & 0x7ff) - 1023;
    if (e < 16) {
      const f0 = fpStatus.flags;
      fpStatus.flags = 0;
      const tiny = e < -14, ulpExp = tiny ? -24 : e - 10;
      const r = roundToIntegral(x < 0 ? -ax * POW2[-ulpExp] : ax * POW2[-ulpExp], rm);
      const mag = Math.abs(r);
      const bits = tiny ? mag : ((e + 15) << 10) + mag - 1024;
      if (bits < 0x7c00) {
        fpStatus.flags = tiny && fpStatus.flags ? f0 | FLAG_NX | FLAG_UF : f0 | fpStatus.flags;
        return (sign << 15) | bits;
      }
      fpStatus.flags = f0; // overflow: the exact path below
    }
  }
  const D = decode64(x);
  if (ahp) {
    const f0 = fpStatus.flags;
    const r = Number(roundToFormat(D.sign, D.sig, D.exp, AHP16, rm));
    if (fpStatus.flags & FLAG_OF) { fpStatus.flags = f0 | FLAG_NV; return (sign << 15) | 0x7fff; }
    return r;
  }
  return Number(roundToFormat(D.sign, D.sig, D.exp, BINARY16, rm));
}
/** FCVT binary16 -> binary64 (exact, so binary32 results narrow exactly). */
export function cvt16(h: number): number {
  if (!ahp && (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0) {
    if ((h & 0x200) === 0) fpStatus.flags |= FLAG_NV;
    if (dn) return DEFAULT_NAN64;
    return fromWords(((h & 0x8000) << 16) | 0x7ff80000 | ((h & 0x1ff) << 10), 0);
  }
  return f16ToNum(h, ahp);
}
/** The binary32 form of cvt16's result (NaNs keep their payload). */
export function cvt16to32(h: number): number {
  const x = cvt16(h);
  if (x !== x) return dn ? DEFAULT_NAN32 : (((h & 0x8000) << 16) | 0x7fc00000 | ((h & 0x1ff) << 13)) >>> 0;
  return numToF32(x);
}
