/**
 * ISA-neutral IEEE 754 binary32/binary64 core: exception flags, rounding
 * modes, NaN policy, bit <-> value scratch conversions, and the exact
 * BigInt-based rounding routine that every slow path (and the tests) use.
 *
 * Conventions used throughout src/isa/softfloat:
 *   - binary64 values travel as JS numbers (bit-exact, including NaN payloads
 *     when loaded from a Float64Array);
 *   - binary32 values travel as raw uint32 bit patterns (JS numbers), because
 *     a float32 -> double conversion quiets signaling NaNs;
 *   - every operation ORs the IEEE exceptions it raises into `fpStatus.flags`.
 */

/** Exception flag bits (same values as RISC-V fflags). */
export const FLAG_NX = 1;  // inexact
export const FLAG_UF = 2;  // underflow
export const FLAG_OF = 4;  // overflow
export const FLAG_DZ = 8;  // divide by zero
export const FLAG_NV = 16; // invalid

/** Rounding modes (same encoding as RISC-V rm). */
export const RNE = 0; // to nearest, ties to even
export const RTZ = 1; // toward zero
export const RDN = 2; // toward -inf
export const RUP = 3; // toward +inf
export const RMM = 4; // to nearest, ties away from zero

/** Accrued exception flags; callers clear/read it around operations. */
export const fpStatus = { flags: 0 };

/**
 * NaN policy. ISAs differ in how a NaN result is produced and in which
 * quiet-bit convention marks a signaling NaN.
 */
export interface NanPolicy {
  /** true: every NaN result is the default NaN (RISC-V). false: propagate the first NaN operand, quieted. */
  canonical: boolean;
  /** true: quiet bit (fraction MSB) set means *signaling* (MIPS legacy). */
  snanQuietBitSet: boolean;
  /** true: a signaling NaN operand wins over an earlier quiet one when propagating (ARM FPProcessNaNs). */
  snanFirst?: boolean;
  /** true: underflow is tininess *before* rounding (ARM); default after rounding (RISC-V, MIPS). */
  tininessBefore?: boolean;
  /** default NaN bit patterns */
  default32: number;
  default64Hi: number;
  default64Lo: number;
}

export const RISCV_NAN_POLICY: NanPolicy = {
  canonical: true, snanQuietBitSet: false,
  default32: 0x7fc00000, default64Hi: 0x7ff80000, default64Lo: 0,
};

export const MIPS_LEGACY_NAN_POLICY: NanPolicy = {
  canonical: false, snanQuietBitSet: true,
  default32: 0x7fbfffff, default64Hi: 0x7ff7ffff, default64Lo: 0xffffffff | 0,
};

/** AArch64 with FPCR.DN = 0: propagate the first signaling NaN, else the first quiet one, quieted. */
export const ARM_NAN_POLICY: NanPolicy = {
  canonical: false, snanQuietBitSet: false, snanFirst: true, tininessBefore: true,
  default32: 0x7fc00000, default64Hi: 0x7ff80000, default64Lo: 0,
};
/**
 * x86 SSE: a NaN operand propagates quieted, the first source (the destination
 * register) before the second whether signaling or not; the default NaN
 * ("QNaN floating-point indefinite") has the sign bit set. Tininess after rounding.
 */
export const X86_NAN_POLICY: NanPolicy = {
  canonical: false, snanQuietBitSet: false,
  default32: 0xffc00000 | 0, default64Hi: 0xfff80000 | 0, default64Lo: 0,
};
/** AArch64 with FPCR.DN = 1: every NaN result is the default NaN. */
export const ARM_DN_NAN_POLICY: NanPolicy = { ...ARM_NAN_POLICY, canonical: true };

export let nanPolicy: NanPolicy = RISCV_NAN_POLICY;
export function setNanPolicy(p: NanPolicy): void { nanPolicy = p; }

// ---------------------------------------------------------------------------
// Scratch conversions
// ---------------------------------------------------------------------------
const sf64 = new Float64Array(1);
const su32x2 = new Uint32Array(sf64.buffer); // [lo, hi] (little-endian hosts)
const sf32 = new Float32Array(1);
const su32 = new Uint32Array(sf32.buffer);

/** Raw high word of a double. */
export function hiOf(x: number): number { sf64[0] = x; return su32x2[1]; }
/** Raw low word of a double. */
export function loOf(x: number): number { sf64[0] = x; return su32x2[0]; }
/** Build a double from raw words. */
export function fromWords(hi: number, lo: number): number {
  su32x2[1] = hi >>> 0; su32x2[0] = lo >>> 0; return sf64[0];
}
/** binary16 bits -> double (exact for non-NaN; with ahp the IEEE NaN/infinity exponent is ARM's alternative half precision, a normal one). */
export function f16ToNum(h: number, ahp = false): number {
  const e = (h >>> 10) & 0x1f, f = h & 0x3ff;
  const v = e === 0 ? f * 2 ** -24 : e === 31 && !ahp ? (f ? NaN : Infinity) : (f + 1024) * 2 ** (e - 25);
  return h & 0x8000 ? -v : v;
}
/** float32 bits -> double (exact for non-NaN). */
export function f32ToNum(bits: number): number { su32[0] = bits; return sf32[0]; }
/** double (already representable in binary32, or NaN/inf) -> float32 bits. */
export function numToF32(x: number): number { sf32[0] = x; return su32[0]; }

export function f64ToBits(x: number): bigint {
  sf64[0] = x;
  return (BigInt(su32x2[1]) << 32n) | BigInt(su32x2[0]);
}
export function bitsToF64(b: bigint): number {
  su32x2[0] = Number(b & 0xffffffffn); su32x2[1] = Number((b >> 32n) & 0xffffffffn);
  return sf64[0];
}

// ---------------------------------------------------------------------------
// NaN helpers
// ---------------------------------------------------------------------------
export function isNaN32(b: number): boolean { return (b & 0x7fffffff) > 0x7f800000; }
export function isSNaN32(b: number): boolean {
  if ((b & 0x7fffffff) <= 0x7f800000) return false;
  return ((b & 0x00400000) !== 0) === nanPolicy.snanQuietBitSet;
}
export function isSNaN64(x: number): boolean {
  if (x === x) return false;
  sf64[0] = x;
  return ((su32x2[1] & 0x00080000) !== 0) === nanPolicy.snanQuietBitSet;
}

export const DEFAULT_NAN64 = (): number => fromWords(nanPolicy.default64Hi, nanPolicy.default64Lo);

/** NaN result of a binary32 op whose operands include a NaN (call after NV accounting). */
export function nanResult32(a: number, b: number, c: number): number {
  const p = nanPolicy;
  if (p.canonical) return p.default32;
  if (p.snanFirst) {
    if (isSNaN32(a)) return (a | 0x00400000) >>> 0;
    if (isSNaN32(b)) return (b | 0x00400000) >>> 0;
    if (isSNaN32(c)) return (c | 0x00400000) >>> 0;
  }
  for (const v of [a, b, c]) {
    if (isNaN32(v)) {
      if (isSNaN32(v)) return p.snanQuietBitSet ? p.default32 : (v | 0x00400000) >>> 0;
      return v >>> 0;
    }
  }
  return p.default32;
}
export function nanResult64(a: number, b: number, c: number): number {
  const p = nanPolicy;
  if (p.canonical) return DEFAULT_NAN64();
  if (p.snanFirst) {
    if (isSNaN64(a)) return fromWords(hiOf(a) | 0x00080000, loOf(a));
    if (isSNaN64(b)) return fromWords(hiOf(b) | 0x00080000, loOf(b));
    if (isSNaN64(c)) return fromWords(hiOf(c) | 0x00080000, loOf(c));
  }
  for (const v of [a, b, c]) {
    if (v !== v) {
      if (isSNaN64(v)) {
        if (p.snanQuietBitSet) return DEFAULT_NAN64();
        return fromWords(hiOf(v) | 0x00080000, loOf(v));
      }
      return v;
    }
  }
  return DEFAULT_NAN64();
}

// ---------------------------------------------------------------------------
// nextUp / nextDown
// ---------------------------------------------------------------------------
export function nextUp64(x: number): number {
  if (x !== x || x === Infinity) return x;
  if (x === 0) return 5e-324;
  sf64[0] = x;
  let lo = su32x2[0], hi = su32x2[1];
  if (x > 0) { lo = (lo + 1) >>> 0; if (lo === 0) hi++; }
  else { if (lo === 0) hi--; lo = (lo - 1) >>> 0; }
  su32x2[0] = lo; su32x2[1] = hi >>> 0;
  return sf64[0];
}
export function nextDown64(x: number): number { return -nextUp64(-x); }

// ---------------------------------------------------------------------------
// Formats and exact rounding
// ---------------------------------------------------------------------------
export interface FloatFormat {
  /** precision in bits including the hidden bit */
  p: number;
  emin: number;
  emax: number;
  /** exponent bias */
  bias: number;
  /** total width */
  width: number;
}
export const BINARY32: FloatFormat = { p: 24, emin: -126, emax: 127, bias: 127, width: 32 };
export const BINARY64: FloatFormat = { p: 53, emin: -1022, emax: 1023, bias: 1023, width: 64 };
export const BINARY16: FloatFormat = { p: 11, emin: -14, emax: 15, bias: 15, width: 16 };

export function bitLength(n: bigint): number {
  // n > 0
  if (n < 0x20000000000000n) return bitLenNum(Number(n));
  const h = n.toString(16);
  return (h.length - 1) * 4 + (32 - Math.clz32(parseInt(h[0], 16)));
}
function bitLenNum(x: number): number {
  // x is a non-negative integer < 2^53
  if (x < 4294967296) return 32 - Math.clz32(x);
  return 32 + 32 - Math.clz32(Math.floor(x / 4294967296));
}

let roundInexact = false;
/** Round sig / 2^shift to an integer under rm (sign gives direction); sets roundInexact. */
function roundShift(sig: bigint, shift: number, sign: number, rm: number): bigint {
  if (shift <= 0) { roundInexact = false; return sig << BigInt(-shift); }
  const sh = BigInt(shift);
  const val = sig >> sh;
  const rem = sig - (val << sh);
  if (rem === 0n) { roundInexact = false; return val; }
  roundInexact = true;
  const half = 1n << (sh - 1n);
  let up: boolean;
  switch (rm) {
    case RNE: up = rem > half || (rem === half && (val & 1n) === 1n); break;
    case RTZ: up = false; break;
    case RDN: up = sign !== 0; break;
    case RUP: up = sign === 0; break;
    default: up = rem >= half; break; // RMM
  }
  return up ? val + 1n : val;
}

/**
 * Correctly round (-1)^sign * sig * 2^exp to `fmt` under rounding mode rm,
 * raising NX/UF/OF in fpStatus (tininess detected after rounding).
 * Returns the encoded bit pattern. sig must be >= 0; sig == 0 gives a signed
 * zero. Callers computing a truncated quotient/root must supply at least
 * p+2 significant bits with a sticky bit ORed into the LSB.
 */
export function roundToFormat(sign: number, sig: bigint, exp: number, fmt: FloatFormat, rm: number): bigint {
  const signBit = sign ? 1n << BigInt(fmt.width - 1) : 0n;
  if (sig === 0n) return signBit;
  const p = fmt.p;
  const E = exp + bitLength(sig) - 1;
  let q = (E > fmt.emin ? E : fmt.emin) - (p - 1);
  let val = roundShift(sig, q - exp, sign, rm);
  const inexact = roundInexact;
  if (inexact) {
    let flags = FLAG_NX;
    if (E < fmt.emin) {
      // tininess after rounding (unless the policy says before): round with unbounded exponent range
      let tiny = true;
      if (E === fmt.emin - 1 && !nanPolicy.tininessBefore) {
        const u = roundShift(sig, E - (p - 1) - exp, sign, rm);
        if (u >= 1n << BigInt(p)) tiny = false;
      }
      if (tiny) flags |= FLAG_UF;
    }
    fpStatus.flags |= flags;
  }
  const pmax = 1n << BigInt(p);
  if (val >= pmax) { val >>= 1n; q += 1; }
  const hidden = 1n << BigInt(p - 1);
  if (val >= hidden) {
    const e = q + p - 1;
    if (e > fmt.emax) return overflowResult(sign, fmt, rm);
    return signBit | (BigInt(e + fmt.bias) << BigInt(p - 1)) | (val - hidden);
  }
  return signBit | val; // subnormal or zero
}

export function overflowResult(sign: number, fmt: FloatFormat, rm: number): bigint {
  fpStatus.flags |= FLAG_OF | FLAG_NX;
  const signBit = sign ? 1n << BigInt(fmt.width - 1) : 0n;
  const expAll = BigInt((1 << (fmt.width - fmt.p)) - 1) << BigInt(fmt.p - 1); // exponent field all ones
  const inf = signBit | expAll;
  const max = signBit | (expAll - 1n);
  switch (rm) {
    case RTZ: return max;
    case RDN: return sign ? inf : max;
    case RUP: return sign ? max : inf;
    default: return inf;
  }
}

/** Exact decomposition of a finite nonzero value: |x| = sig * 2^exp. */
export interface Decoded { sign: number; sig: bigint; exp: number }

export function decode64(x: number): Decoded {
  sf64[0] = x;
  const hi = su32x2[1], lo = su32x2[0];
  const sign = hi >>> 31;
  const e = (hi >>> 20) & 0x7ff;
  const fhi = hi & 0xfffff;
  let sig = (BigInt(fhi) << 32n) | BigInt(lo);
  if (e === 0) return { sign, sig, exp: -1074 };
  sig |= 1n << 52n;
  return { sign, sig, exp: e - 1075 };
}
export function decode32(b: number): Decoded {
  const sign = b >>> 31;
  const e = (b >>> 23) & 0xff;
  const f = b & 0x7fffff;
  if (e === 0) return { sign, sig: BigInt(f), exp: -149 };
  return { sign, sig: BigInt(f | 0x800000), exp: e - 150 };
}

export function round64(sign: number, sig: bigint, exp: number, rm: number): number {
  return bitsToF64(roundToFormat(sign, sig, exp, BINARY64, rm));
}
export function round32(sign: number, sig: bigint, exp: number, rm: number): number {
  return Number(roundToFormat(sign, sig, exp, BINARY32, rm));
}

// ---------------------------------------------------------------------------
// Exact slow-path arithmetic on decoded operands (finite, nonzero handled too)
// ---------------------------------------------------------------------------

/** Exact sum of two signed terms sig*2^exp; returns the signed integer and exponent. */
export function exactAdd(sa: number, ma: bigint, ea: number, sb: number, mb: bigint, eb: number): { v: bigint; e: number } {
  const e = ea < eb ? ea : eb;
  let A = ma << BigInt(ea - e);
  let B = mb << BigInt(eb - e);
  if (sa) A = -A;
  if (sb) B = -B;
  return { v: A + B, e };
}

/** Integer square root (floor). */
export function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt((bitLength(n) + 1) >> 1); // >= sqrt(n)
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** Exact quotient ma*2^ea / mb*2^eb to p+3 bits with sticky; returns sig/exp for roundToFormat. */
export function divSig(ma: bigint, ea: number, mb: bigint, eb: number, p: number): { sig: bigint; exp: number } {
  let k = p + 3 + bitLength(mb) - bitLength(ma);
  if (k < 0) k = 0;
  const num = ma << BigInt(k);
  const q = num / mb;
  const r = num - q * mb;
  return { sig: (q << 1n) | (r !== 0n ? 1n : 0n), exp: ea - eb - k - 1 };
}

/** Exact square root of m*2^e to p+3 bits with sticky. */
export function sqrtSig(m: bigint, e: number, p: number): { sig: bigint; exp: number } {
  if (e & 1) { m <<= 1n; e -= 1; }
  let k = p + 3 - (bitLength(m) >> 1) + 1;
  if (k < 0) k = 0;
  const n = m << BigInt(2 * k);
  const r = isqrt(n);
  const rem = n - r * r;
  return { sig: (r << 1n) | (rem !== 0n ? 1n : 0n), exp: (e - 2 * k) / 2 - 1 };
}
