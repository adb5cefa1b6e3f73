/**
 * binary64 arithmetic with all rounding modes and IEEE exception flags.
 *
 * Values are JS numbers (bit-exact). Fast paths compute the round-to-nearest
 * result with host doubles and recover the exact error with error-free
 * transformations (TwoSum, Dekker/Veltkamp TwoProduct, exact residuals for
 * division and square root); directed modes step with nextUp/nextDown from
 * the sign of that error. Anything outside the proven-safe ranges (overflow,
 * underflow, RMM ties, fused multiply-add with an inexact product) takes the
 * exact BigInt path through roundToFormat.
 */
import {
  fpStatus, FLAG_NX, FLAG_NV, FLAG_DZ, RNE, RTZ, RDN, RUP, RMM,
  isSNaN64, nanResult64, DEFAULT_NAN64, nextUp64, nextDown64, decode64, round64,
  exactAdd, divSig, sqrtSig, hiOf, loOf, fromWords,
} from './core.js';

const MIN_NORMAL = 2 ** -1022;
const LO_SAFE = 2 ** -968;
const HI_SAFE = 2 ** 1000;
const SPLIT_MAX = 2 ** 995;
const SPLITTER = 134217729; // 2^27 + 1
const TAIL_LIMIT = 0.5 * (1 - 2 ** -50);

/** Exact error of the product: a*b - p, where p = fl(a*b). Caller guarantees range safety. */
function twoProdErr(a: number, b: number, p: number): number {
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/** Directed-mode correction of a round-to-nearest result r whose exact error is nonzero. */
function directed(r: number, errPos: boolean, rm: number): number {
  switch (rm) {
    case RTZ:
      if (r > 0) return errPos ? r : nextDown64(r);
      return errPos ? nextUp64(r) : r;
    case RDN: return errPos ? r : nextDown64(r);
    case RUP: return errPos ? nextUp64(r) : r;
    default: return r;
  }
}

function isPosZero(x: number): boolean { return x === 0 && 1 / x > 0; }

/** Sign of an exact zero sum x + y (IEEE 754 6.3). */
function zeroSum(x: number, y: number, rm: number): number {
  if (rm === RDN) return isPosZero(x) && isPosZero(y) ? 0 : -0;
  return x + y;
}

function nanIn2(a: number, b: number): number {
  if (isSNaN64(a) || isSNaN64(b)) fpStatus.flags |= FLAG_NV;
  return nanResult64(a, b, 0);
}

function slowAdd(a: number, b: number, rm: number): number {
  const A = decode64(a), B = decode64(b);
  const s = exactAdd(A.sign, A.sig, A.exp, B.sign, B.sig, B.exp);
  if (s.v === 0n) return zeroSum(a, b, rm);
  return s.v < 0n ? round64(1, -s.v, s.e, rm) : round64(0, s.v, s.e, rm);
}

export function f64_add(a: number, b: number, rm: number): number {
  const r = a + b;
  if (r - r === 0) {
    const bb = r - a;
    const err = (a - (r - bb)) + (b - bb);
    if (err === 0) {
      if (r === 0 && rm === RDN) return zeroSum(a, b, rm);
      return r;
    }
    if (rm === RNE) { fpStatus.flags |= FLAG_NX; return r; }
    if (rm !== RMM) {
      const d = directed(r, err > 0, rm);
      if (d - d === 0) { fpStatus.flags |= FLAG_NX; return d; }
    }
    return slowAdd(a, b, rm);
  }
  if (a !== a || b !== b) return nanIn2(a, b);
  if (a - a !== 0 || b - b !== 0) {
    if (r !== r) { fpStatus.flags |= FLAG_NV; return DEFAULT_NAN64(); }
    return r;
  }
  return slowAdd(a, b, rm); // finite operands, overflow
}

export function f64_sub(a: number, b: number, rm: number): number {
  // (a NaN is passed through untouched: host negation might quiet a signaling NaN)
  return f64_add(a, b === b ? -b : b, rm);
}

export function f64_mul(a: number, b: number, rm: number): number {
  const r = a * b;
  const ar = Math.abs(r);
  if (ar >= LO_SAFE && ar < HI_SAFE) {
    const aa = Math.abs(a), ab = Math.abs(b);
    if (aa < SPLIT_MAX && ab < SPLIT_MAX && aa >= MIN_NORMAL && ab >= MIN_NORMAL) {
      const err = twoProdErr(a, b, r);
      if (err === 0) return r;
      if (rm === RNE) { fpStatus.flags |= FLAG_NX; return r; }
      if (rm !== RMM) { fpStatus.flags |= FLAG_NX; return directed(r, err > 0, rm); }
    }
  }
  if (a !== a || b !== b) return nanIn2(a, b);
  if (a - a !== 0 || b - b !== 0) {
    if (r !== r) { fpStatus.flags |= FLAG_NV; return DEFAULT_NAN64(); } // inf * 0
    return r;
  }
  if (a === 0 || b === 0) return r;
  const A = decode64(a), B = decode64(b);
  return round64(A.sign ^ B.sign, A.sig * B.sig, A.exp + B.exp, rm);
}

export function f64_div(a: number, b: number, rm: number): number {
  const q = a / b;
  const aq = Math.abs(q), ab = Math.abs(b), aa = Math.abs(a);
  if (aq > MIN_NORMAL && aq < SPLIT_MAX && ab >= MIN_NORMAL && ab < SPLIT_MAX && aa >= LO_SAFE && aa < HI_SAFE) {
    const p = q * b;
    const e = twoProdErr(q, b, p);
    if (p === a && e === 0) return q;
    fpStatus.flags |= FLAG_NX;
    if (rm === RNE || rm === RMM) return q; // quotients never hit an exact midpoint
    const resid = (a - p) - e; // sign of a - q*b (exact difference, monotonic rounding)
    return directed(q, (resid > 0) === (b > 0), rm);
  }
  if (a !== a || b !== b) return nanIn2(a, b);
  const ainf = a - a !== 0, binf = b - b !== 0;
  if (ainf) {
    if (binf) { fpStatus.flags |= FLAG_NV; return DEFAULT_NAN64(); }
    return q; // inf / finite (including zero) = signed inf
  }
  if (binf) return q; // finite / inf = signed zero
  if (b === 0) {
    if (a === 0) { fpStatus.flags |= FLAG_NV; return DEFAULT_NAN64(); }
    fpStatus.flags |= FLAG_DZ;
    return q;
  }
  if (a === 0) return q;
  const A = decode64(a), B = decode64(b);
  const d = divSig(A.sig, A.exp, B.sig, B.exp, 53);
  return round64(A.sign ^ B.sign, d.sig, d.exp, rm);
}

export function f64_sqrt(a: number, rm: number): number {
  if (a > 0 && a < Infinity) {
    const r = Math.sqrt(a);
    if (a >= LO_SAFE && a < HI_SAFE) {
      const p = r * r;
      const e = twoProdErr(r, r, p);
      if (p === a && e === 0) return r;
      fpStatus.flags |= FLAG_NX;
      if (rm === RNE || rm === RMM) return r; // square roots never hit an exact midpoint
      return directed(r, (a - p) - e > 0, rm);
    }
    const A = decode64(a);
    const s = sqrtSig(A.sig, A.exp, 53);
    return round64(0, s.sig, s.exp, rm);
  }
  if (a === 0 || a === Infinity) return a;
  if (a !== a) {
    if (isSNaN64(a)) fpStatus.flags |= FLAG_NV;
    return nanResult64(a, 0, 0);
  }
  fpStatus.flags |= FLAG_NV; // negative
  return DEFAULT_NAN64();
}

/**
 * Fused multiply-add a*b + c with a single rounding. The caller applies the
 * negations for the fmsub/fnmadd/fnmsub variants to the operands.
 */
export function f64_fma(a: number, b: number, c: number, rm: number): number {
  const aa = Math.abs(a), ab = Math.abs(b);
  if (a !== a || b !== b || c !== c) {
    if (isSNaN64(a) || isSNaN64(b) || isSNaN64(c) ||
        (aa === Infinity && b === 0) || (ab === Infinity && a === 0)) fpStatus.flags |= FLAG_NV;
    return nanResult64(a, b, c);
  }
  if (aa === Infinity || ab === Infinity) {
    const p = a * b;
    if (p !== p || (c - c !== 0 && c !== p)) { fpStatus.flags |= FLAG_NV; return DEFAULT_NAN64(); }
    return p;
  }
  if (c - c !== 0) return c;
  const p = a * b;
  const ap = Math.abs(p);
  if (a === 0 || b === 0) return f64_add(p, c, rm);
  if (ap >= LO_SAFE && ap < HI_SAFE && aa < SPLIT_MAX && ab < SPLIT_MAX && aa >= MIN_NORMAL && ab >= MIN_NORMAL) {
    const e = twoProdErr(a, b, p); // a*b = p + e exactly
    if (e === 0) return f64_add(p, c, rm);
    // p + c = s + t, t + e = z + zerr, s + z = r + rerr (all exact): a*b + c = r + (rerr + zerr)
    const s = p + c;
    let bb = s - p;
    const t = (p - (s - bb)) + (c - bb);
    const z = t + e;
    bb = z - t;
    const zerr = (t - (z - bb)) + (e - bb);
    const r = s + z;
    bb = r - s;
    const rerr = (s - (r - bb)) + (z - bb);
    const ar = Math.abs(r);
    if (ar >= LO_SAFE && ar < HI_SAFE) {
      const tail = rerr + zerr; // zero iff exact; sign always exact
      if (tail === 0) return r;
      // half the gap from r to its neighbour on the tail's side; r is the correctly
      // rounded result when |exact tail| is safely below it (not near a midpoint)
      const hi = hiOf(r);
      let gap = fromWords((((hi >>> 20) & 0x7ff) - 52) << 20, 0);
      if ((tail > 0) !== (r > 0) && (hi & 0xfffff) === 0 && loOf(r) === 0) gap *= 0.5;
      if (Math.abs(tail) < gap * TAIL_LIMIT) {
        fpStatus.flags |= FLAG_NX;
        if (rm === RNE || rm === RMM) return r;
        return directed(r, tail > 0, rm);
      }
    }
  }
  const A = decode64(a), B = decode64(b), C = decode64(c);
  const s = exactAdd(A.sign ^ B.sign, A.sig * B.sig, A.exp + B.exp, C.sign, C.sig, C.exp);
  if (s.v === 0n) {
    const sp = A.sign ^ B.sign;
    return sp === C.sign ? (sp ? -0 : 0) : (rm === RDN ? -0 : 0);
  }
  return s.v < 0n ? round64(1, -s.v, s.e, rm) : round64(0, s.v, s.e, rm);
}

function signOf(x: number): number { return hiOf(x) >>> 31; }

/** IEEE 754-2019 minimumNumber (RISC-V fmin): -0 < +0; one NaN -> the other; sNaN raises NV. */
export function f64_min(a: number, b: number): number {
  if (a !== a || b !== b) {
    if (isSNaN64(a) || isSNaN64(b)) fpStatus.flags |= FLAG_NV;
    if (a !== a && b !== b) return DEFAULT_NAN64();
    return a !== a ? b : a;
  }
  if (a === b) return signOf(a) ? a : b;
  return a < b ? a : b;
}
/** IEEE 754-2019 maximumNumber (RISC-V fmax). */
export function f64_max(a: number, b: number): number {
  if (a !== a || b !== b) {
    if (isSNaN64(a) || isSNaN64(b)) fpStatus.flags |= FLAG_NV;
    if (a !== a && b !== b) return DEFAULT_NAN64();
    return a !== a ? b : a;
  }
  if (a === b) return signOf(a) ? b : a;
  return a > b ? a : b;
}

/** Quiet equality: NV only for signaling NaNs. */
export function f64_eq(a: number, b: number): boolean {
  if (a !== a || b !== b) {
    if (isSNaN64(a) || isSNaN64(b)) fpStatus.flags |= FLAG_NV;
    return false;
  }
  return a === b;
}
/** Signaling less-than: NV on any NaN. */
export function f64_lt(a: number, b: number): boolean {
  if (a !== a || b !== b) { fpStatus.flags |= FLAG_NV; return false; }
  return a < b;
}
/** Signaling less-or-equal: NV on any NaN. */
export function f64_le(a: number, b: number): boolean {
  if (a !== a || b !== b) { fpStatus.flags |= FLAG_NV; return false; }
  return a <= b;
}

/** RISC-V style 10-bit class mask. */
export function f64_class(a: number): number {
  const hi = hiOf(a), lo = loOf(a);
  const neg = hi >>> 31;
  const e = (hi >>> 20) & 0x7ff;
  const fracZero = (hi & 0xfffff) === 0 && lo === 0;
  if (e === 0x7ff) {
    if (fracZero) return neg ? 1 : 1 << 7;
    return isSNaN64(a) ? 1 << 8 : 1 << 9;
  }
  if (e === 0) {
    if (fracZero) return neg ? 1 << 3 : 1 << 4;
    return neg ? 1 << 2 : 1 << 5;
  }
  return neg ? 1 << 1 : 1 << 6;
}
