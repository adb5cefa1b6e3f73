/**
 * Conversions between binary32, binary64 and 32/64-bit integers, with
 * rounding modes, flags and RISC-V style saturation of out-of-range
 * float -> integer results.
 */
import {
  fpStatus, FLAG_NX, FLAG_NV, RNE, RTZ, RDN, RUP,
  isSNaN32, isSNaN64, nanResult32, nanResult64, f32ToNum, round32, round64,
  nanPolicy, hiOf, loOf, fromWords,
} from './core.js';
import { roundExactTo32 } from './f32.js';

/** Integer kinds, in RISC-V rs2 order for fcvt: W, WU, L, LU. */
export const INT_W = 0;
export const INT_WU = 1;
export const INT_L = 2;
export const INT_LU = 3;

/**
 * Result of the float -> integer conversions: [lo, hi] int32 words of the
 * 64-bit value (32-bit kinds are sign-extended to 64 bits, as RV64 does).
 */
export const intOut = new Int32Array(2);

const TWO32 = 4294967296;
const TWO52 = 2 ** 52;

/** Round a finite double to an integral double under rm; sets NX if inexact. */
export function roundToIntegral(v: number, rm: number): number {
  if (!(Math.abs(v) < TWO52)) return v;
  const t = Math.trunc(v);
  const frac = v - t; // exact
  if (frac === 0) return v;
  fpStatus.flags |= FLAG_NX;
  const af = Math.abs(frac);
  const away = v < 0 ? t - 1 : t + 1;
  switch (rm) {
    case RTZ: return t;
    case RDN: return v < 0 ? t - 1 : t;
    case RUP: return v > 0 ? t + 1 : t;
    case RNE: return af > 0.5 || (af === 0.5 && (t % 2) !== 0) ? away : t;
    default: return af >= 0.5 ? away : t; // RMM
  }
}

function saturate(kind: number, negative: boolean): void {
  fpStatus.flags |= FLAG_NV;
  switch (kind) {
    case INT_W: intOut[0] = negative ? -0x80000000 : 0x7fffffff; intOut[1] = negative ? -1 : 0; break;
    case INT_WU: intOut[0] = negative ? 0 : -1; intOut[1] = negative ? 0 : -1; break;
    case INT_L: intOut[0] = negative ? 0 : -1; intOut[1] = negative ? -0x80000000 : 0x7fffffff; break;
    default: intOut[0] = negative ? 0 : -1; intOut[1] = negative ? 0 : -1; break;
  }
}

/**
 * Convert a double (binary32 sources are widened exactly first) to an integer
 * of `kind`, result in intOut. NaN saturates to the maximum; out-of-range
 * raises NV (and not NX).
 */
export function floatToInt(v: number, kind: number, rm: number): void {
  if (v !== v) { saturate(kind, false); return; }
  const saved = fpStatus.flags;
  const r = roundToIntegral(v, rm);
  let ok: boolean;
  switch (kind) {
    case INT_W: ok = r >= -2147483648 && r <= 2147483647; break;
    case INT_WU: ok = r >= 0 && r <= 4294967295; break;
    case INT_L: ok = r >= -9223372036854775808 && r < 9223372036854775808; break;
    default: ok = r >= 0 && r < 18446744073709551616; break;
  }
  if (!ok) { fpStatus.flags = saved; saturate(kind, v < 0); return; }
  if (kind <= INT_WU) {
    const lo = kind === INT_W ? r | 0 : (r >>> 0) | 0;
    intOut[0] = lo; intOut[1] = lo >> 31;
  } else {
    const hi = Math.floor(r / TWO32);
    intOut[0] = (r - hi * TWO32) | 0;
    intOut[1] = hi | 0;
  }
}

export function f64ToInt(v: number, kind: number, rm: number): void { floatToInt(v, kind, rm); }
export function f32ToInt(bits: number, kind: number, rm: number): void {
  floatToInt((bits & 0x7fffffff) > 0x7f800000 ? NaN : f32ToNum(bits), kind, rm);
}

/** Exact value of an integer operand (lo/hi words) as a double if |v| < 2^53, else NaN. */
function intValue(lo: number, hi: number, kind: number): number {
  switch (kind) {
    case INT_W: return lo | 0;
    case INT_WU: return lo >>> 0;
    case INT_L: return hi >= -0x200000 && hi < 0x200000 ? (hi | 0) * TWO32 + (lo >>> 0) : NaN;
    default: return (hi >>> 0) < 0x200000 ? (hi >>> 0) * TWO32 + (lo >>> 0) : NaN;
  }
}
function bigValue(lo: number, hi: number, kind: number): bigint {
  const h = kind === INT_L ? BigInt(hi | 0) : BigInt(hi >>> 0);
  return (h << 32n) + BigInt(lo >>> 0);
}

export function intToF64(lo: number, hi: number, kind: number, rm: number): number {
  const v = intValue(lo, hi, kind);
  if (v === v) return v;
  const b = bigValue(lo, hi, kind);
  return b < 0n ? round64(1, -b, 0, rm) : round64(0, b, 0, rm);
}
export function intToF32(lo: number, hi: number, kind: number, rm: number): number {
  const v = intValue(lo, hi, kind);
  if (v === v) return v === 0 ? 0 : roundExactTo32(v, rm);
  const b = bigValue(lo, hi, kind);
  return b < 0n ? round32(1, -b, 0, rm) : round32(0, b, 0, rm);
}

/** binary64 -> binary32 (fcvt.s.d). */
export function f64ToF32(v: number, rm: number): number {
  if (v !== v) {
    const sn = isSNaN64(v);
    if (sn) fpStatus.flags |= FLAG_NV;
    if (nanPolicy.canonical || (sn && nanPolicy.snanQuietBitSet)) return nanResult32(0, 0, 0);
    // propagate sign and the top fraction bits, quieted (IEEE quiet-bit convention)
    const hi = hiOf(v);
    const frac = (((hi & 0xfffff) << 3) | (loOf(v) >>> 29)) | (nanPolicy.snanQuietBitSet ? 0 : 0x400000);
    return frac === 0 ? nanPolicy.default32 : ((hi & 0x80000000) | 0x7f800000 | frac) >>> 0;
  }
  return roundExactTo32(v, rm);
}
/** binary32 -> binary64 (fcvt.d.s), exact. */
export function f32ToF64(bits: number): number {
  if ((bits & 0x7fffffff) > 0x7f800000) {
    const sn = isSNaN32(bits);
    if (sn) fpStatus.flags |= FLAG_NV;
    if (nanPolicy.canonical || (sn && nanPolicy.snanQuietBitSet)) return nanResult64(0, 0, 0);
    const frac = bits & 0x7fffff;
    const q = nanPolicy.snanQuietBitSet ? 0 : 0x80000;
    return fromWords((bits & 0x80000000) | 0x7ff00000 | (frac >>> 3) | q, (frac << 29) >>> 0);
  }
  return f32ToNum(bits);
}
