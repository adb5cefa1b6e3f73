/**
 * 64-bit integer helpers for the A64 interpreter on int32 lo/hi pairs (no
 * BigInt on the hot paths). Results come back in the module-level pair
 * `out` (out.lo, out.hi); flag-setting forms also return the NZCV word.
 * Multiply and divide reuse src/isa/riscv64/muldiv.ts (same int32-pair
 * arithmetic; only the divide-by-zero rule differs and is handled here).
 */
import { div64, mul64, mulh } from '../riscv64/muldiv.js';
import { FLAG_C, FLAG_N, FLAG_V, FLAG_Z } from './state.js';

export const out = { lo: 0, hi: 0 };
const tmp = new Int32Array(2);

/** Add with carry, 64-bit: out = a + b + cin; returns NZCV. */
export function adc64(alo: number, ahi: number, blo: number, bhi: number, cin: number): number {
  const l = (alo >>> 0) + (blo >>> 0) + cin;
  const c0 = l > 0xffffffff ? 1 : 0;
  const h = (ahi >>> 0) + (bhi >>> 0) + c0;
  const rl = l | 0, rh = h | 0;
  out.lo = rl; out.hi = rh;
  let f = 0;
  if (rh < 0) f |= FLAG_N;
  if ((rl | rh) === 0) f |= FLAG_Z;
  if (h > 0xffffffff) f |= FLAG_C;
  if (((ahi ^ rh) & (bhi ^ rh)) < 0) f |= FLAG_V;
  return f;
}

/** Add with carry, 32-bit: returns the int32 result in out.lo (out.hi = 0) and NZCV. */
export function adc32(a: number, b: number, cin: number): number {
  const s = (a >>> 0) + (b >>> 0) + cin;
  const r = s | 0;
  out.lo = r; out.hi = 0;
  let f = 0;
  if (r < 0) f |= FLAG_N;
  if (r === 0) f |= FLAG_Z;
  if (s > 0xffffffff) f |= FLAG_C;
  if (((a ^ r) & (b ^ r)) < 0) f |= FLAG_V;
  return f;
}

/** NZ flags of a logical result (C = V = 0). */
export function nz64(lo: number, hi: number): number {
  return (hi < 0 ? FLAG_N : 0) | ((lo | hi) === 0 ? FLAG_Z : 0);
}
export function nz32(v: number): number {
  return (v < 0 ? FLAG_N : 0) | (v === 0 ? FLAG_Z : 0);
}

/** 64-bit shift by n (0..63): type 0 LSL, 1 LSR, 2 ASR, 3 ROR. */
export function shift64(lo: number, hi: number, type: number, n: number): void {
  if (n === 0) { out.lo = lo; out.hi = hi; return; }
  switch (type) {
    case 0:
      if (n < 32) { out.hi = (hi << n) | (lo >>> (32 - n)); out.lo = lo << n; } else { out.hi = lo << (n - 32); out.lo = 0; }
      return;
    case 1:
      if (n < 32) { out.lo = (lo >>> n) | (hi << (32 - n)); out.hi = hi >>> n; } else { out.lo = hi >>> (n - 32); out.hi = 0; }
      return;
    case 2:
      if (n < 32) { out.lo = (lo >>> n) | (hi << (32 - n)); out.hi = hi >> n; } else { out.lo = hi >> (n - 32); out.hi = hi >> 31; }
      return;
    default:
      if (n === 32) { out.lo = hi; out.hi = lo; return; }
      if (n < 32) { out.lo = (lo >>> n) | (hi << (32 - n)); out.hi = (hi >>> n) | (lo << (32 - n)); } else {
        const m = n - 32;
        out.lo = (hi >>> m) | (lo << (32 - m)); out.hi = (lo >>> m) | (hi << (32 - m));
      }
  }
}

/** 32-bit shift by n (0..31); returns int32. */
export function shift32(v: number, type: number, n: number): number {
  switch (type) {
    case 0: return v << n;
    case 1: return v >>> n | 0;
    case 2: return v >> n;
    default: return n === 0 ? v : (v >>> n) | (v << (32 - n));
  }
}

/** Ones(k) as a pair (k in 0..64). */
function onesLo(k: number): number { return k >= 32 ? -1 : k === 0 ? 0 : ((1 << k) - 1) | 0; }
function onesHi(k: number): number { return k <= 32 ? 0 : k >= 64 ? -1 : ((1 << (k - 32)) - 1) | 0; }

/**
 * SBFM / BFM / UBFM (opc 0, 1, 2) on `size`-bit registers (32 or 64), as the
 * ARM ARM writes them with DecodeBitMasks(N, imms, immr, FALSE); `dlo/dhi`
 * is the destination's old value (BFM only).
 */
export function bitfield(opc: number, size: number, slo: number, shi: number, dlo: number, dhi: number, immr: number, imms: number): void {
  const R = immr, S = imms, d = (S - R) & (size - 1);
  let rl: number, rh: number, wl: number, wh: number;
  if (size === 64) {
    shift64(slo, shi, 3, R); rl = out.lo; rh = out.hi;
    shift64(onesLo(S + 1), onesHi(S + 1), 3, R); wl = out.lo; wh = out.hi;
  } else {
    rl = shift32(slo, 3, R); rh = 0;
    wl = shift32(onesLo(S + 1), 3, R); wh = 0;
  }
  const tl = onesLo(d + 1), th = size === 64 ? onesHi(d + 1) : 0;
  let bl = rl & wl, bh = rh & wh;
  if (opc === 1) { bl |= dlo & ~wl; bh |= dhi & ~wh; }
  let resL: number, resH: number;
  if (opc === 0) {
    const sbit = S < 32 ? (slo >>> S) & 1 : (shi >>> (S - 32)) & 1;
    const top = -sbit;
    resL = (top & ~tl) | (bl & tl); resH = (top & ~th) | (bh & th);
  } else if (opc === 1) {
    resL = (dlo & ~tl) | (bl & tl); resH = (dhi & ~th) | (bh & th);
  } else {
    resL = bl & tl; resH = bh & th;
  }
  if (size === 32) resH = 0;
  out.lo = resL; out.hi = resH;
}

/** DecodeBitMasks(N, imms, immr, TRUE) for logical immediates: the 64-bit mask, or null when reserved. Cached. */
const bmCache = new Int32Array(8192 * 2);
const bmState = new Uint8Array(8192); // 0 unknown, 1 valid, 2 reserved
export function bitmaskImm(n: number, immr: number, imms: number): boolean {
  const key = (n << 12) | (immr << 6) | imms;
  let st = bmState[key];
  if (st === 0) {
    const v = computeBitmask(n, immr, imms);
    if (v === null) st = 2; else { st = 1; bmCache[2 * key] = Number(v & 0xffffffffn) | 0; bmCache[2 * key + 1] = Number(v >> 32n) | 0; }
    bmState[key] = st;
  }
  if (st === 2) return false;
  out.lo = bmCache[2 * key]; out.hi = bmCache[2 * key + 1];
  return true;
}

function computeBitmask(n: number, immr: number, imms: number): bigint | null {
  const combined = (n << 6) | (~imms & 63);
  if (combined === 0) return null;
  const len = 31 - Math.clz32(combined);
  if (len < 1) return null;
  const levels = (1 << len) - 1;
  if ((imms & levels) === levels) return null;
  const S = imms & levels, R = immr & levels, esize = 1 << len;
  const emask = esize === 64 ? (1n << 64n) - 1n : (1n << BigInt(esize)) - 1n;
  const welem = (1n << BigInt(S + 1)) - 1n;
  const rot = R === 0 ? welem : ((welem >> BigInt(R)) | (welem << BigInt(esize - R))) & emask;
  let v = 0n;
  for (let i = 0; i < 64; i += esize) v |= rot << BigInt(i);
  return v & ((1n << 64n) - 1n);
}

/** 64-bit product low half into out. */
export function mulLo64(alo: number, ahi: number, blo: number, bhi: number): void {
  mul64(tmp, alo, ahi, blo, bhi);
  out.lo = tmp[0]; out.hi = tmp[1];
}
/** High 64 bits of the 128-bit product: signed (SMULH) or unsigned (UMULH). */
export function mulHi64(signed: boolean, alo: number, ahi: number, blo: number, bhi: number): void {
  mulh(tmp, signed ? 0 : 2, alo, ahi, blo, bhi);
  out.lo = tmp[0]; out.hi = tmp[1];
}
/** SDIV / UDIV 64-bit with the A64 rules: x / 0 = 0, MIN / -1 = MIN. */
export function div64a(signed: boolean, alo: number, ahi: number, blo: number, bhi: number): void {
  if ((blo | bhi) === 0) { out.lo = 0; out.hi = 0; return; }
  div64(tmp, signed ? 0 : 1, alo, ahi, blo, bhi);
  out.lo = tmp[0]; out.hi = tmp[1];
}
export function div32a(signed: boolean, a: number, b: number): number {
  if (b === 0) return 0;
  if (signed) return a === -0x80000000 && b === -1 ? a : (a / b) | 0;
  return ((a >>> 0) / (b >>> 0)) | 0;
}

/** Bit reversal of a 32-bit word. */
export function rbit32(v: number): number {
  v = ((v >>> 1) & 0x55555555) | ((v & 0x55555555) << 1);
  v = ((v >>> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >>> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4);
  v = ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8);
  return (v >>> 16) | (v << 16);
}
export function bswap32(v: number): number {
  return (v << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
}
export function rev16(v: number): number {
  return ((v & 0x00ff00ff) << 8) | ((v >>> 8) & 0x00ff00ff);
}
/** Count leading sign bits (CLS) of a 32-bit value. */
export function cls32(v: number): number {
  return Math.clz32(((v >>> 1) ^ v) & 0x7fffffff) - 1;
}
/** CLS of a 64-bit pair. */
export function cls64(lo: number, hi: number): number {
  const yhi = ((hi >>> 1) ^ hi) & 0x7fffffff;
  const ylo = (((lo >>> 1) | (hi << 31)) ^ lo) | 0;
  return (yhi !== 0 ? Math.clz32(yhi) : 32 + Math.clz32(ylo)) - 1;
}

/** Condition code (0..15) holds for NZCV. */
export function condHolds(nzcv: number, cond: number): boolean {
  let r: boolean;
  switch (cond >>> 1) {
    case 0: r = (nzcv & FLAG_Z) !== 0; break;
    case 1: r = (nzcv & FLAG_C) !== 0; break;
    case 2: r = (nzcv & FLAG_N) !== 0; break;
    case 3: r = (nzcv & FLAG_V) !== 0; break;
    case 4: r = (nzcv & FLAG_C) !== 0 && (nzcv & FLAG_Z) === 0; break;
    case 5: r = ((nzcv >>> 31) & 1) === ((nzcv >>> 28) & 1); break;
    case 6: r = ((nzcv >>> 31) & 1) === ((nzcv >>> 28) & 1) && (nzcv & FLAG_Z) === 0; break;
    default: return true;
  }
  return (cond & 1) !== 0 ? !r : r;
}

/** CRC-32 (polynomial 0x04C11DB7 reflected) or CRC-32C (0x1EDC6F41 reflected) tables. */
function crcTable(poly: number): Int32Array {
  const t = new Int32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = (c & 1) ? (c >>> 1) ^ poly : c >>> 1;
    t[i] = c;
  }
  return t;
}
let crcT: Int32Array | null = null, crcCT: Int32Array | null = null;
/** CRC32{B,H,W,X} / CRC32C*: `bytes` of (lo, hi) folded into acc. */
export function crc32(c: boolean, acc: number, lo: number, hi: number, bytes: number): number {
  const t = c ? (crcCT ??= crcTable(0x82f63b78)) : (crcT ??= crcTable(0xedb88320));
  for (let i = 0; i < bytes; i++) {
    const b = i < 4 ? (lo >>> (8 * i)) & 0xff : (hi >>> (8 * (i - 4))) & 0xff;
    acc = t[(acc ^ b) & 0xff] ^ (acc >>> 8);
  }
  return acc | 0;
}
