/**
 * binary32 arithmetic with all rounding modes and IEEE exception flags.
 * Operands and results are raw uint32 bit patterns.
 *
 * Products of two binary32 values are exact in binary64, and for + - * / sqrt
 * a binary64 round-to-nearest intermediate followed by a round-to-nearest to
 * binary32 is innocuous (53 >= 2*24 + 2), so RNE fast paths use host doubles.
 * Directed modes are derived from an exactly known value or the exact sign
 * of the residual; a fused multiply-add rounds the exact double-double sum
 * to odd first; everything else goes through the exact BigInt path.
 */
import {
  fpStatus, FLAG_NX, FLAG_NV, FLAG_DZ, RNE, RTZ, RDN, RUP, RMM,
  isNaN32, isSNaN32, nanResult32, decode32, decode64, round32, exactAdd, divSig, sqrtSig,
  f32ToNum, numToF32, nanPolicy, nextUp64, nextDown64, hiOf, loOf, fromWords,
} from './core.js';

const MIN_NORMAL32 = 2 ** -126;
const MAX32 = 3.4028234663852886e38;
const EXP_MASK = 0x7f800000;

/** Step a nonzero finite binary32 (bits) one ulp up/down in value. */
function nextUp32(b: number): number { return (b >>> 31 ? b - 1 : b + 1) >>> 0; }
function nextDown32(b: number): number { return (b >>> 31 ? b + 1 : b - 1) >>> 0; }

function dir32(f: number, fb: number, errPos: boolean, rm: number): number {
  switch (rm) {
    case RTZ:
      if (f > 0) return errPos ? fb : nextDown32(fb);
      return errPos ? nextUp32(fb) : fb;
    case RDN: return errPos ? fb : nextDown32(fb);
    case RUP: return errPos ? nextUp32(fb) : fb;
    default: return fb;
  }
}

/**
 * Round an exactly known finite double r to binary32 under rm, with flags.
 * (Also the implementation of binary64 -> binary32 conversion.)
 */
export function roundExactTo32(r: number, rm: number): number {
  const f = Math.fround(r);
  if (f === r) return numToF32(f);
  const af = Math.abs(f);
  if (af > MIN_NORMAL32 && af < MAX32) {
    fpStatus.flags |= FLAG_NX;
    const fb = numToF32(f);
    if (rm === RNE) return fb;
    if (rm === RMM) {
      const ob = f > r ? nextDown32(fb) : nextUp32(fb);
      const o = f32ToNum(ob);
      if ((f + o) * 0.5 === r) return Math.abs(o) > af ? ob : fb;
      return fb;
    }
    return dir32(f, fb, f < r, rm);
  }
  const D = decode64(r);
  return round32(D.sign, D.sig, D.exp, rm);
}

function isPosZero(x: number): boolean { return x === 0 && 1 / x > 0; }
function zeroSum32(x: number, y: number, rm: number): number {
  if (rm === RDN) return isPosZero(x) && isPosZero(y) ? 0 : 0x80000000;
  return numToF32(x + y);
}

function nanIn2(a: number, b: number): number {
  if (isSNaN32(a) || isSNaN32(b)) fpStatus.flags |= FLAG_NV;
  return nanResult32(a, b, 0);
}

function slowAdd32(a: number, b: number, x: number, y: number, rm: number): number {
  const A = decode32(a), B = decode32(b);
  const s = exactAdd(A.sign, A.sig, A.exp, B.sign, B.sig, B.exp);
  if (s.v === 0n) return zeroSum32(x, y, rm);
  return s.v < 0n ? round32(1, -s.v, s.e, rm) : round32(0, s.v, s.e, rm);
}

export function f32_add(a: number, b: number, rm: number): number {
  if ((a & EXP_MASK) === EXP_MASK || (b & EXP_MASK) === EXP_MASK) {
    if (isNaN32(a) || isNaN32(b)) return nanIn2(a, b);
    if ((a & EXP_MASK) === EXP_MASK && (b & EXP_MASK) === EXP_MASK && ((a ^ b) >>> 31) !== 0) {
      fpStatus.flags |= FLAG_NV;
      return nanPolicy.default32;
    }
    return ((a & EXP_MASK) === EXP_MASK ? a : b) >>> 0;
  }
  const x = f32ToNum(a), y = f32ToNum(b);
  const r = x + y;
  const bb = r - x;
  const err = (x - (r - bb)) + (y - bb);
  if (err === 0) {
    if (r === 0) return zeroSum32(x, y, rm);
    return roundExactTo32(r, rm);
  }
  if (rm === RNE) {
    const f = Math.fround(r);
    const af = Math.abs(f);
    if (af >= MIN_NORMAL32 && af <= MAX32) { fpStatus.flags |= FLAG_NX; return numToF32(f); }
  }
  return slowAdd32(a, b, x, y, rm);
}

export function f32_sub(a: number, b: number, rm: number): number {
  return f32_add(a, (b ^ 0x80000000) >>> 0, rm);
}

export function f32_mul(a: number, b: number, rm: number): number {
  if ((a & EXP_MASK) === EXP_MASK || (b & EXP_MASK) === EXP_MASK) {
    if (isNaN32(a) || isNaN32(b)) return nanIn2(a, b);
    if ((a & 0x7fffffff) === 0 || (b & 0x7fffffff) === 0) { fpStatus.flags |= FLAG_NV; return nanPolicy.default32; }
    return (((a ^ b) & 0x80000000) | EXP_MASK) >>> 0;
  }
  const r = f32ToNum(a) * f32ToNum(b); // exact
  if (r === 0) return numToF32(r);
  return roundExactTo32(r, rm);
}

export function f32_div(a: number, b: number, rm: number): number {
  const sign = ((a ^ b) & 0x80000000) >>> 0;
  if ((a & EXP_MASK) === EXP_MASK || (b & EXP_MASK) === EXP_MASK) {
    if (isNaN32(a) || isNaN32(b)) return nanIn2(a, b);
    if ((a & EXP_MASK) === EXP_MASK) {
      if ((b & EXP_MASK) === EXP_MASK) { fpStatus.flags |= FLAG_NV; return nanPolicy.default32; }
      return (sign | EXP_MASK) >>> 0;
    }
    return sign; // finite / inf
  }
  if ((b & 0x7fffffff) === 0) {
    if ((a & 0x7fffffff) === 0) { fpStatus.flags |= FLAG_NV; return nanPolicy.default32; }
    fpStatus.flags |= FLAG_DZ;
    return (sign | EXP_MASK) >>> 0;
  }
  if ((a & 0x7fffffff) === 0) return sign;
  const x = f32ToNum(a), y = f32ToNum(b);
  const f = Math.fround(x / y);
  const fy = f * y; // exact
  if (fy === x) return numToF32(f);
  const af = Math.abs(f);
  if (af > MIN_NORMAL32 && af < MAX32) {
    fpStatus.flags |= FLAG_NX;
    const fb = numToF32(f);
    if (rm === RNE || rm === RMM) return fb;
    return dir32(f, fb, (x - fy > 0) === (y > 0), rm);
  }
  const A = decode32(a), B = decode32(b);
  const d = divSig(A.sig, A.exp, B.sig, B.exp, 24);
  return round32(sign >>> 31, d.sig, d.exp, rm);
}

export function f32_sqrt(a: number, rm: number): number {
  if (isNaN32(a)) {
    if (isSNaN32(a)) fpStatus.flags |= FLAG_NV;
    return nanResult32(a, 0, 0);
  }
  if ((a & 0x7fffffff) === 0) return a >>> 0;
  if (a >>> 31) { fpStatus.flags |= FLAG_NV; return nanPolicy.default32; }
  if (a === EXP_MASK) return a;
  const x = f32ToNum(a);
  const f = Math.fround(Math.sqrt(x));
  const ff = f * f; // exact
  if (ff === x) return numToF32(f);
  fpStatus.flags |= FLAG_NX;
  const fb = numToF32(f);
  if (rm === RNE || rm === RMM) return fb;
  return dir32(f, fb, x > ff, rm);
}

/** Fused multiply-add a*b + c, single rounding (operands already negated as needed). */
export function f32_fma(a: number, b: number, c: number, rm: number): number {
  const ea = (a & EXP_MASK) === EXP_MASK, eb = (b & EXP_MASK) === EXP_MASK, ec = (c & EXP_MASK) === EXP_MASK;
  if (ea || eb || ec) {
    const az = (a & 0x7fffffff) === 0, bz = (b & 0x7fffffff) === 0;
    const ainf = (a & 0x7fffffff) === EXP_MASK, binf = (b & 0x7fffffff) === EXP_MASK;
    if (isNaN32(a) || isNaN32(b) || isNaN32(c)) {
      if (isSNaN32(a) || isSNaN32(b) || isSNaN32(c) || (ainf && bz) || (binf && az)) fpStatus.flags |= FLAG_NV;
      return nanResult32(a, b, c);
    }
    if (ainf || binf) {
      if (az || bz) { fpStatus.flags |= FLAG_NV; return nanPolicy.default32; }
      const ps = (a ^ b) & 0x80000000;
      if (ec && ((c & 0x80000000) !== ps)) { fpStatus.flags |= FLAG_NV; return nanPolicy.default32; }
      return (ps | EXP_MASK) >>> 0;
    }
    return c >>> 0; // c infinite, product finite
  }
  const x = f32ToNum(a), y = f32ToNum(b), z = f32ToNum(c);
  const p = x * y; // exact
  const r = p + z;
  const bb = r - p;
  const err = (p - (r - bb)) + (z - bb);
  if (err === 0) {
    if (r === 0) return zeroSum32(p, z, rm);
    return roundExactTo32(r, rm);
  }
  // a*b + c = r + err exactly (r != 0): round it to odd at binary64 precision
  // (truncate, then set the last bit), which then rounds once to binary32
  // correctly in every mode (53 >= 24 + 2) and keeps the binade for tininess
  let t = r;
  if ((err < 0) !== (r < 0)) t = r > 0 ? nextDown64(r) : nextUp64(r);
  const lo = loOf(t);
  if ((lo & 1) === 0) t = fromWords(hiOf(t), lo | 1);
  return roundExactTo32(t, rm);
}

function lt32(a: number, b: number): boolean { return f32ToNum(a) < f32ToNum(b); }

export function f32_min(a: number, b: number): number {
  if (isNaN32(a) || isNaN32(b)) {
    if (isSNaN32(a) || isSNaN32(b)) fpStatus.flags |= FLAG_NV;
    if (isNaN32(a) && isNaN32(b)) return nanPolicy.default32;
    return (isNaN32(a) ? b : a) >>> 0;
  }
  if (((a | b) & 0x7fffffff) === 0) return (a | b) >>> 0; // zeros: -0 wins
  return (lt32(b, a) ? b : a) >>> 0;
}
export function f32_max(a: number, b: number): number {
  if (isNaN32(a) || isNaN32(b)) {
    if (isSNaN32(a) || isSNaN32(b)) fpStatus.flags |= FLAG_NV;
    if (isNaN32(a) && isNaN32(b)) return nanPolicy.default32;
    return (isNaN32(a) ? b : a) >>> 0;
  }
  if (((a | b) & 0x7fffffff) === 0) return (a & b) >>> 0; // zeros: +0 wins
  return (lt32(a, b) ? b : a) >>> 0;
}

export function f32_eq(a: number, b: number): boolean {
  if (isNaN32(a) || isNaN32(b)) {
    if (isSNaN32(a) || isSNaN32(b)) fpStatus.flags |= FLAG_NV;
    return false;
  }
  return f32ToNum(a) === f32ToNum(b);
}
export function f32_lt(a: number, b: number): boolean {
  if (isNaN32(a) || isNaN32(b)) { fpStatus.flags |= FLAG_NV; return false; }
  return f32ToNum(a) < f32ToNum(b);
}
export function f32_le(a: number, b: number): boolean {
  if (isNaN32(a) || isNaN32(b)) { fpStatus.flags |= FLAG_NV; return false; }
  return f32ToNum(a) <= f32ToNum(b);
}

export function f32_class(a: number): number {
  const neg = a >>> 31;
  const e = (a >>> 23) & 0xff;
  const f = a & 0x7fffff;
  if (e === 0xff) {
    if (f === 0) return neg ? 1 : 1 << 7;
    return isSNaN32(a) ? 1 << 8 : 1 << 9;
  }
  if (e === 0) {
    if (f === 0) return neg ? 1 << 3 : 1 << 4;
    return neg ? 1 << 2 : 1 << 5;
  }
  return neg ? 1 << 1 : 1 << 6;
}

