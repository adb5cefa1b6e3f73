/**
 * FRECPE, FRSQRTE, FRECPX and URECPE/URSQRTE: ARM's reciprocal and
 * reciprocal square root estimates (the ARM ARM's RecipEstimate and
 * RecipSqrtEstimate, 8-bit results, built once into tables).
 */
import { fpStatus, FLAG_NV, FLAG_DZ, FLAG_OF, FLAG_NX, hiOf, loOf, fromWords } from '../softfloat/index.js';
import { FPSR_UFC } from './state.js';
import { in32, in64, nan32, nan64, isNaN32, fz, rm, raise, RNE, RUP, RDN, DEFAULT_NAN32, DEFAULT_NAN64 } from './fp-arith.js';

/** RecipEstimate(a) for a in 256..511 (index a - 256): a 9-bit result 256..511. */
const RECIP = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  const a = (i + 256) * 2 + 1;
  const b = Math.floor((1 << 19) / a);
  RECIP[i] = (b + 1) >> 1;
}
/** RecipSqrtEstimate(a) for a in 128..511 (index a). */
const RSQRT = new Uint16Array(512);
for (let a0 = 128; a0 < 512; a0++) {
  const a = a0 < 256 ? a0 * 2 + 1 : (((a0 >> 1) << 1) + 1) * 2;
  let b = 512;
  while (a * (b + 1) * (b + 1) < 2 ** 28) b++;
  RSQRT[a0] = (b + 1) >> 1;
}

function overflowToInf(sign: number): boolean {
  return rm === RNE ? true : rm === RUP ? sign === 0 : rm === RDN ? sign !== 0 : false;
}

/** FRECPE binary32. */
export function recpe32(a: number): number {
  a = in32(a);
  const sign = (a & 0x80000000) >>> 0;
  if (isNaN32(a)) return nan32(a);
  const mag = a & 0x7fffffff;
  if (mag === 0x7f800000) return sign;
  if (mag === 0) { fpStatus.flags |= FLAG_DZ; return (sign | 0x7f800000) >>> 0; }
  if (mag < 0x00200000) { // |a| < 2^-128
    fpStatus.flags |= FLAG_OF | FLAG_NX;
    return (sign | (overflowToInf(sign) ? 0x7f800000 : 0x7f7fffff)) >>> 0;
  }
  if (fz && mag >= 0x7e800000) { raise(FPSR_UFC); return sign; } // |a| >= 2^126
  let exp = mag >>> 23;
  let frac = (a & 0x7fffff) << 1; // 24-bit fraction aligned so bit 23 is the top
  if (exp === 0) {
    if ((frac & 0x800000) === 0) { exp = -1; frac = (frac << 2) & 0xffffff; }
    else frac = (frac << 1) & 0xffffff;
  }
  const est = RECIP[(frac >>> 16) & 0xff];
  let rexp = 253 - exp;
  let rfrac = (est & 0xff) << 15; // 23-bit fraction
  if (rexp === 0) rfrac = (rfrac >>> 1) | 0x400000;
  else if (rexp === -1) { rfrac = (rfrac >>> 2) | 0x200000; rexp = 0; }
  return (sign | (rexp << 23) | rfrac) >>> 0;
}
/** FRECPE binary64. */
export function recpe64(x: number): number {
  x = in64(x);
  if (x !== x) return nan64(x);
  const hi = hiOf(x), sign = hi >>> 31;
  if (x === Infinity || x === -Infinity) return sign ? -0 : 0;
  if (x === 0) { fpStatus.flags |= FLAG_DZ; return sign ? -Infinity : Infinity; }
  const mag = hi & 0x7fffffff;
  if (mag < 0x00040000) { // |x| < 2^-1024
    fpStatus.flags |= FLAG_OF | FLAG_NX;
    return overflowToInf(sign) ? (sign ? -Infinity : Infinity) : fromWords((sign << 31) | 0x7fefffff, 0xffffffff);
  }
  if (fz && mag >= 0x7fd00000) { raise(FPSR_UFC); return sign ? -0 : 0; } // |x| >= 2^1022
  let exp = mag >>> 20;
  // the top 8 fraction bits after normalisation (bits 51..44 of the fraction)
  let top = (hi >>> 12) & 0xff;
  if (exp === 0) {
    const f = ((hi & 0xfffff) * 4096) + (loOf(x) >>> 20); // top 32 fraction bits
    if ((hi & 0x80000) === 0) { exp = -1; top = Math.floor(f / 2 ** 22) & 0xff; }
    else top = Math.floor(f / 2 ** 23) & 0xff;
  }
  const est = RECIP[top];
  let rexp = 2045 - exp;
  let rhi = (est & 0xff) << 12; // fraction bits 51..32
  if (rexp === 0) rhi = (rhi >>> 1) | 0x80000;
  else if (rexp === -1) { rhi = (rhi >>> 2) | 0x40000; rexp = 0; }
  return fromWords((sign << 31) | (rexp << 20) | rhi, 0);
}

/** FRSQRTE binary32. */
export function rsqrte32(a: number): number {
  a = in32(a);
  if (isNaN32(a)) return nan32(a);
  const mag = a & 0x7fffffff;
  if (mag === 0) { fpStatus.flags |= FLAG_DZ; return ((a & 0x80000000) | 0x7f800000) >>> 0; }
  if (a >>> 31) { fpStatus.flags |= FLAG_NV; return DEFAULT_NAN32; }
  if (mag === 0x7f800000) return 0;
  let exp = mag >>> 23;
  let frac = (a & 0x7fffff) << 9; // fraction bits 22..0 at 31..9 (as uint32)
  if (exp === 0) {
    while ((frac & 0x80000000) === 0) { frac = frac << 1; exp--; }
    frac = frac << 1;
  }
  frac >>>= 0;
  const scaled = (exp & 1) === 0 ? 0x100 | (frac >>> 24) : 0x80 | (frac >>> 25);
  const rexp = Math.floor((380 - exp) / 2);
  return ((rexp << 23) | ((RSQRT[scaled] & 0xff) << 15)) >>> 0;
}
/** FRSQRTE binary64. */
export function rsqrte64(x: number): number {
  x = in64(x);
  if (x !== x) return nan64(x);
  const hi = hiOf(x);
  if (x === 0) { fpStatus.flags |= FLAG_DZ; return hi >>> 31 ? -Infinity : Infinity; }
  if (hi >>> 31) { fpStatus.flags |= FLAG_NV; return DEFAULT_NAN64; }
  if (x === Infinity) return 0;
  let exp = (hi >>> 20) & 0x7ff;
  // top 32 bits of the 52-bit fraction
  let f = (((hi & 0xfffff) << 12) | (loOf(x) >>> 20)) >>> 0;
  let rest = (loOf(x) << 12) >>> 0;
  if (exp === 0) {
    while ((f & 0x80000000) === 0) { f = ((f << 1) | (rest >>> 31)) >>> 0; rest = (rest << 1) >>> 0; exp--; }
    f = ((f << 1) | (rest >>> 31)) >>> 0;
  }
  const scaled = (exp & 1) === 0 ? 0x100 | (f >>> 24) : 0x80 | (f >>> 25);
  const rexp = Math.floor((3068 - exp) / 2);
  return fromWords((rexp << 20) | ((RSQRT[scaled] & 0xff) << 12), 0);
}

/** FRECPX: the exponent of the reciprocal, no fraction. */
export function recpx32(a: number): number {
  a = in32(a);
  if (isNaN32(a)) return nan32(a);
  const e = (a >>> 23) & 0xff;
  return ((a & 0x80000000) | ((e === 0 ? 0xfe : ~e & 0xff) << 23)) >>> 0;
}
export function recpx64(x: number): number {
  x = in64(x);
  if (x !== x) return nan64(x);
  const hi = hiOf(x);
  const e = (hi >>> 20) & 0x7ff;
  return fromWords((hi & 0x80000000) | ((e === 0 ? 0x7fe : ~e & 0x7ff) << 20), 0);
}

/** URECPE on a 32-bit lane. */
export function urecpe(v: number): number {
  v >>>= 0;
  if (v < 0x80000000) return -1;
  return (RECIP[(v >>> 23) & 0xff] << 23) | 0;
}
/** URSQRTE on a 32-bit lane. */
export function ursqrte(v: number): number {
  v >>>= 0;
  if (v < 0x40000000) return -1;
  return (RSQRT[v >>> 23] << 23) | 0;
}
