/**
 * AdvSIMD integer arithmetic, element by element: the "three same", "three
 * different", "two-register miscellaneous", "across lanes" and "by element"
 * integer operations (shifts by immediate are simd-shift.ts), for vector
 * forms (nelem lanes, committed as `bytes` bytes) and the scalar forms (one
 * lane).
 *
 * The generic paths compute each lane exactly as a BigInt and truncate or
 * saturate (FPSR.QC) at the end; the common operations of string and memory
 * routines (compares, add/sub, min/max, pairwise) have number fast paths.
 */
import { get, getB, put, putB, commit, commitUpper, satB, sat, shiftB, shiftN, t8, t16, t32, u8, i8, w } from './simd-lanes.js';

const ONES = -1n;
function bitsOf(sz: number): number { return 8 << sz; }
function absB(v: bigint): bigint { return v < 0n ? -v : v; }
/** Polynomial (carry-less) product of two small unsigned integers. */
export function pmulB(a: bigint, b: bigint, bits: number): bigint {
  let r = 0n;
  for (let i = 0; i < bits; i++) if ((b >> BigInt(i)) & 1n) r ^= a << BigInt(i);
  return r;
}

/**
 * The integer "three same" op (U, opcode 15..11, opcode 00011 excluded)
 * on lane values a, b with accumulator d; returns null when unallocated.
 */
function same(U: number, op: number, sz: number, a: bigint, b: bigint, d: bigint): bigint | null {
  const bits = bitsOf(sz), signed = U === 0;
  switch (op) {
    case 0: return (a + b) >> 1n;
    case 1: return satB(a + b, bits, signed);
    case 2: return (a + b + 1n) >> 1n;
    case 4: return (a - b) >> 1n;
    case 5: return satB(a - b, bits, signed);
    case 6: return a > b ? ONES : 0n;
    case 7: return a >= b ? ONES : 0n;
    case 8: case 9: case 10: case 11: {
      const sh = Number(BigInt.asIntN(8, b));
      const r = shiftB(a, sh, (op & 2) !== 0);
      return op & 1 ? satB(r, bits, signed) : r;
    }
    case 12: return a > b ? a : b;
    case 13: return a < b ? a : b;
    case 14: return absB(a - b);
    case 15: return d + absB(a - b);
    case 16: return U ? a - b : a + b;
    case 17: return U ? (a === b ? ONES : 0n) : (a & b) !== 0n ? ONES : 0n;
    case 18: return U ? d - a * b : d + a * b;
    case 19: return U ? (sz === 0 ? pmulB(a, b, 8) : null) : a * b;
    case 22: {
      if (sz === 0 || sz === 3) return null;
      const p = 2n * a * b + (U ? 1n << BigInt(bits - 1) : 0n);
      return satB(p >> BigInt(bits), bits, true);
    }
  }
  return null;
}

/** The integer three-same ops that have 64-bit lanes. */
const OK64 = new Set([1, 5, 6, 7, 8, 9, 10, 11, 16, 17]);

/** Three same, integer (opcode 15..11 without the logic ops and FP), vector or scalar. */
export function threeSameInt(U: number, op: number, sz: number, d: number, n: number, m: number, nelem: number, bytes: number): boolean {
  if (op >= 20 && op <= 23 && op !== 22) return pairwise(U, op, sz, d, n, m, nelem, bytes);
  if (sz === 3 && !OK64.has(op)) return false;
  // unsigned compares and the unsigned family read unsigned lanes; CMTST/ADD/SUB/MUL any
  const signed = U === 0 || op === 22;
  const uns = op === 6 || op === 7 ? U === 1 : !signed;
  if (sz === 0 && same8(U, op, n, m, nelem)) { commit(d, bytes); return true; }
  if (sz < 2 || (sz === 2 && op !== 18 && op !== 19 && op !== 22)) {
    if (op === 19 && U && sz !== 0) return false;
    if (op === 22) return sameBig(U, op, sz, d, n, m, nelem, bytes, uns);
    for (let i = 0; i < nelem; i++) {
      const acc = op === 15 || op === 18 ? get(d, i, sz, false) : 0;
      const r = sameNum(U, op, sz, get(n, i, sz, !uns), get(m, i, sz, !uns), acc);
      put(i, sz, r);
    }
    commit(d, bytes);
    return true;
  }
  if (sz === 3 && same64(U, op, n, m, nelem)) { commit(d, bytes); return true; }
  return sameBig(U, op, sz, d, n, m, nelem, bytes, uns);
}

function sameBig(U: number, op: number, sz: number, d: number, n: number, m: number, nelem: number, bytes: number, uns: boolean): boolean {
  for (let i = 0; i < nelem; i++) {
    const a = getB(n, i, sz, !uns), b = getB(m, i, sz, !uns);
    const acc = op === 15 || op === 18 ? getB(d, i, sz, false) : 0n;
    const r = same(U, op, sz, a, b, acc);
    if (r === null) return false;
    putB(i, sz, r);
  }
  commit(d, bytes);
  return true;
}


/**
 * `same` on numbers, for lanes where every intermediate is exact: 8- and
 * 16-bit lanes, and 32-bit lanes except the multiplying ops.
 */
function sameNum(U: number, op: number, sz: number, a: number, b: number, d: number): number {
  const bits = 8 << sz, signed = U === 0;
  switch (op) {
    case 0: return Math.floor((a + b) / 2);
    case 1: return sat(a + b, bits, signed);
    case 2: return Math.floor((a + b + 1) / 2);
    case 4: return Math.floor((a - b) / 2);
    case 5: return sat(a - b, bits, signed);
    case 6: return a > b ? -1 : 0;
    case 7: return a >= b ? -1 : 0;
    case 8: case 9: case 10: case 11: {
      const r = shiftN(a, ((b & 0xff) << 24) >> 24, (op & 2) !== 0);
      return op & 1 ? sat(r, bits, signed) : r;
    }
    case 12: return a > b ? a : b;
    case 13: return a < b ? a : b;
    case 14: return Math.abs(a - b);
    case 15: return d + Math.abs(a - b);
    case 16: return U ? a - b : a + b;
    case 17: return U ? (a === b ? -1 : 0) : (a & b) !== 0 ? -1 : 0;
    case 18: return U ? d - a * b : d + a * b;
    default: return U ? Number(pmulB(BigInt(a), BigInt(b), 8)) : a * b; // 19
  }
}

/** The byte-lane compares, ADD/SUB and MAX/MIN of string and memory routines, straight on the views; false = other paths. */
function same8(U: number, op: number, n: number, m: number, nelem: number): boolean {
  const a = 16 * n, b = 16 * m, V = u8, S = i8, T = t8;
  switch ((U << 5) | op) {
    case 32 | 17: for (let i = 0; i < nelem; i++) T[i] = V[a + i] === V[b + i] ? 0xff : 0; return true;
    case 32 | 6: for (let i = 0; i < nelem; i++) T[i] = V[a + i] > V[b + i] ? 0xff : 0; return true;
    case 32 | 7: for (let i = 0; i < nelem; i++) T[i] = V[a + i] >= V[b + i] ? 0xff : 0; return true;
    case 6: for (let i = 0; i < nelem; i++) T[i] = S[a + i] > S[b + i] ? 0xff : 0; return true;
    case 7: for (let i = 0; i < nelem; i++) T[i] = S[a + i] >= S[b + i] ? 0xff : 0; return true;
    case 17: for (let i = 0; i < nelem; i++) T[i] = (V[a + i] & V[b + i]) !== 0 ? 0xff : 0; return true;
    case 16: for (let i = 0; i < nelem; i++) T[i] = V[a + i] + V[b + i]; return true;
    case 32 | 16: for (let i = 0; i < nelem; i++) T[i] = V[a + i] - V[b + i]; return true;
    case 32 | 12: for (let i = 0; i < nelem; i++) { const x = V[a + i], y = V[b + i]; T[i] = x > y ? x : y; } return true;
    case 32 | 13: for (let i = 0; i < nelem; i++) { const x = V[a + i], y = V[b + i]; T[i] = x < y ? x : y; } return true;
  }
  return false;
}

/** 64-bit lanes as int32 word pairs: ADD SUB CMEQ CMTST CMGT CMGE CMHI CMHS; false = generic path. */
function same64(U: number, op: number, n: number, m: number, nelem: number): boolean {
  if (op !== 6 && op !== 7 && op !== 16 && op !== 17) return false;
  for (let i = 0; i < nelem; i++) {
    const alo = w[4 * n + 2 * i], ahi = w[4 * n + 2 * i + 1], blo = w[4 * m + 2 * i], bhi = w[4 * m + 2 * i + 1];
    let lo: number, hi: number;
    if (op === 16) {
      if (U) { const l = (alo >>> 0) - (blo >>> 0); lo = l | 0; hi = (ahi - bhi - (l < 0 ? 1 : 0)) | 0; }
      else { const l = (alo >>> 0) + (blo >>> 0); lo = l | 0; hi = (ahi + bhi + (l > 0xffffffff ? 1 : 0)) | 0; }
    } else {
      let c: boolean;
      if (op === 17) c = U ? alo === blo && ahi === bhi : (alo & blo) !== 0 || (ahi & bhi) !== 0;
      else {
        const ah = U ? ahi >>> 0 : ahi, bh = U ? bhi >>> 0 : bhi;
        const gt = ah > bh || (ah === bh && (alo >>> 0) > (blo >>> 0));
        c = op === 6 ? gt : gt || (ah === bh && alo === blo);
      }
      lo = hi = c ? -1 : 0;
    }
    t32[2 * i] = lo; t32[2 * i + 1] = hi;
  }
  return true;
}

/** Scratch 64-bit lane i = lane j + lane k of V r, as word pairs. */
export function add64w(i: number, r: number, j: number, k: number): void {
  const o = 4 * r;
  const l = (w[o + 2 * j] >>> 0) + (w[o + 2 * k] >>> 0);
  t32[2 * i] = l | 0;
  t32[2 * i + 1] = (w[o + 2 * j + 1] + w[o + 2 * k + 1] + (l > 0xffffffff ? 1 : 0)) | 0;
}

/** ADDP, SMAXP/UMAXP, SMINP/UMINP: pairs of the concatenation n:m. */
function pairwise(U: number, op: number, sz: number, d: number, n: number, m: number, nelem: number, bytes: number): boolean {
  if (op === 23 && U === 1) return false;
  if (sz === 3 && op !== 23) return false;
  const half = nelem >> 1;
  if (sz === 3) {
    for (let i = 0; i < nelem; i++) add64w(i, i ? m : n, 0, 1);
    commit(d, bytes);
    return true;
  }
  if (sz === 0 && U === 1 && op !== 23) { // UMAXP / UMINP on bytes
    const V = u8, T = t8, max = op === 20;
    for (let i = 0; i < nelem; i++) {
      const o = 16 * (i < half ? n : m) + 2 * (i < half ? i : i - half), x = V[o], y = V[o + 1];
      T[i] = max === (x > y) ? x : y;
    }
    commit(d, bytes);
    return true;
  }
  const signed = U === 0;
  let a0 = 0, b0 = 0;
  for (let i = 0; i < nelem; i++) {
    const src = i < half ? n : m, k = 2 * (i < half ? i : i - half);
    a0 = get(src, k, sz, signed); b0 = get(src, k + 1, sz, signed);
    let r: number;
    switch (op) {
      case 20: r = a0 > b0 ? a0 : b0; break;
      case 21: r = a0 < b0 ? a0 : b0; break;
      default: r = a0 + b0; break;
    }
    put(i, sz, r);
  }
  commit(d, bytes);
  return true;
}

/** Bitwise "three same" (opcode 00011): AND BIC ORR ORN / EOR BSL BIT BIF by size field. */
export function logic(U: number, opc: number, d: number, n: number, m: number, words: number): void {
  const on = 4 * n, om = 4 * m, od = 4 * d;
  for (let k = 0; k < words; k++) {
    const a = w[on + k], b = w[om + k], c = w[od + k];
    let r: number;
    switch ((U << 2) | opc) {
      case 0: r = a & b; break;
      case 1: r = a & ~b; break;
      case 2: r = a | b; break;
      case 3: r = a | ~b; break;
      case 4: r = a ^ b; break;
      case 5: r = (a & c) | (b & ~c); break;
      case 6: r = (a & b) | (c & ~b); break;
      default: r = (a & ~b) | (c & b); break;
    }
    t32[k] = r;
  }
  commit(d, words * 4);
}

/** SQRDMLAH / SQRDMLSH (`sub`) of one lane: saturate((acc << esize) +- 2ab + round) >> esize). */
function rdmlah(sub: boolean, acc: bigint, a: bigint, b: bigint, bits: number): bigint {
  const p = 2n * a * b;
  const v = (acc << BigInt(bits)) + (sub ? -p : p) + (1n << BigInt(bits - 1));
  return satB(v >> BigInt(bits), bits, true);
}

/**
 * SDOT / UDOT: each 32-bit lane of Vd accumulates the four byte products of
 * its group; the second operand is V m's groups (mo < 0) or one group at
 * byte offset mo (by element).
 */
function dot(U: number, d: number, n: number, m: number, mo: number, nelem: number): void {
  for (let i = 0; i < nelem; i++) {
    let acc = t32[i] = w[4 * d + i];
    const bn = 16 * n + 4 * i, bm = mo >= 0 ? mo : 16 * m + 4 * i;
    for (let k = 0; k < 4; k++) acc += U ? u8[bn + k] * u8[bm + k] : i8[bn + k] * i8[bm + k];
    t32[i] = acc;
  }
}

/**
 * Three same (extra): SQRDMLAH/SQRDMLSH (opcode 0, 1 with U = 1; vector
 * and scalar) and SDOT/UDOT (opcode 2, vector, 32-bit lanes).
 */
export function threeSameExtra(U: number, op: number, sz: number, d: number, n: number, m: number, nelem: number, bytes: number, scalar: boolean): boolean {
  if (op === 2) {
    if (sz !== 2 || scalar) return false;
    dot(U, d, n, m, -1, nelem);
    commit(d, bytes);
    return true;
  }
  if (!U || op > 1 || sz === 0 || sz === 3) return false;
  const bits = bitsOf(sz);
  for (let i = 0; i < nelem; i++) putB(i, sz, rdmlah(op === 1, getB(d, i, sz, true), getB(n, i, sz, true), getB(m, i, sz, true), bits));
  commit(d, bytes);
  return true;
}

/** SQDMULL (kind 0), SQDMLAL (1), SQDMLSL (2) of one lane pair of `bits` into a lane of 2 * bits. */
function sqdml(kind: number, a: bigint, b: bigint, acc: bigint, bits: number): bigint {
  const p = satB(2n * a * b, 2 * bits, true);
  return kind === 0 ? p : satB(kind === 1 ? acc + p : acc - p, 2 * bits, true);
}

/**
 * Three different (opcode 15..12): long, wide and narrowing forms. `part` is
 * Q (the "2" forms take the upper half of the narrow operands / write the
 * upper half of Vd).
 */
export function threeDiff(U: number, op: number, sz: number, d: number, n: number, m: number, part: number, scalar = false): boolean {
  if (sz === 3 && op !== 14) return false;
  if (scalar && op !== 9 && op !== 11 && op !== 13) return false;
  if (op === 15 || (U && (op === 9 || op === 11 || op >= 13))) return false;
  const nn = 8 >> sz; // narrow lanes in 64 bits
  const signed = U === 0, wide = sz + 1;
  switch (op) {
    case 4: case 6: { // ADDHN/RADDHN, SUBHN/RSUBHN
      for (let i = 0; i < nn; i++) {
        let v = op === 4 ? getB(n, i, wide, false) + getB(m, i, wide, false) : getB(n, i, wide, false) - getB(m, i, wide, false);
        if (U) v += 1n << BigInt(bitsOf(sz) - 1);
        putB(i, sz, v >> BigInt(bitsOf(sz)));
      }
      if (part) commitUpper(d); else commit(d, 8);
      return true;
    }
    case 9: case 11: case 13: { // SQDMLAL SQDMLSL SQDMULL
      if (U || sz === 0) return false;
      const cnt = scalar ? 1 : nn, off = part * nn, kind = op === 13 ? 0 : op === 9 ? 1 : 2;
      for (let i = 0; i < cnt; i++) {
        putB(i, wide, sqdml(kind, getB(n, i + off, sz, true), getB(m, i + off, sz, true), getB(d, i, wide, true), bitsOf(sz)));
      }
      commit(d, scalar ? 2 << sz : 16);
      return true;
    }
    case 14: {
      if (U || (sz !== 0 && sz !== 3)) return false;
      if (sz === 3) {
        const p = pmulB(getB(n, part, 3, false), getB(m, part, 3, false), 64);
        putB(0, 3, p); putB(1, 3, p >> 64n);
        commit(d, 16);
        return true;
      }
      for (let i = 0; i < 8; i++) putB(i, 1, pmulB(getB(n, i + 8 * part, 0, false), getB(m, i + 8 * part, 0, false), 8));
      commit(d, 16);
      return true;
    }
  }
  const off = part * nn;
  if (sz < 2) { // lanes of up to 16 bits: every result is exact as a number
    for (let i = 0; i < nn; i++) {
      const a = op === 1 || op === 3 ? get(n, i, wide, signed) : get(n, i + off, sz, signed);
      const b = get(m, i + off, sz, signed), acc = get(d, i, wide, false);
      let r: number;
      switch (op) {
        case 0: case 1: r = a + b; break;
        case 2: case 3: r = a - b; break;
        case 5: r = acc + Math.abs(a - b); break;
        case 7: r = Math.abs(a - b); break;
        case 8: r = acc + a * b; break;
        case 10: r = acc - a * b; break;
        default: r = a * b; break;
      }
      put(i, wide, r);
    }
    commit(d, 16);
    return true;
  }
  for (let i = 0; i < nn; i++) {
    const a = op === 1 || op === 3 ? getB(n, i, wide, signed) : getB(n, i + off, sz, signed);
    const b = getB(m, i + off, sz, signed);
    const acc = getB(d, i, wide, false);
    let r: bigint;
    switch (op) {
      case 0: case 1: r = a + b; break;
      case 2: case 3: r = a - b; break;
      case 5: r = acc + absB(a - b); break;
      case 7: r = absB(a - b); break;
      case 8: r = acc + a * b; break;
      case 10: r = acc - a * b; break;
      default: r = a * b; break; // 12 MULL
    }
    putB(i, wide, r);
  }
  commit(d, 16);
  return true;
}

/** By element (integer): MUL MLA MLS, [SU]MULL [SU]MLAL [SU]MLSL, SQDMULH SQRDMULH. */
export function byElementInt(U: number, op: number, sz: number, d: number, n: number, m: number, idx: number, nelem: number, bytes: number, part: number, scalar = false): boolean {
  if (sz === 0 || sz === 3) return false;
  const e = op === 14 ? 0n : getB(m, idx, sz, U === 0 || op === 12 || op === 13 || op === 15);
  if (op === 3 || op === 7 || op === 11) { // SQDMLAL SQDMLSL SQDMULL
    if (U) return false;
    const nn = 8 >> sz, cnt = scalar ? 1 : nn, off = part * nn, kind = op === 11 ? 0 : op === 3 ? 1 : 2;
    for (let i = 0; i < cnt; i++) putB(i, sz + 1, sqdml(kind, getB(n, i + off, sz, true), e, getB(d, i, sz + 1, true), bitsOf(sz)));
    commit(d, scalar ? 2 << sz : 16);
    return true;
  }
  if (scalar && op !== 12 && op !== 13 && op !== 15) return false;
  switch (op) {
    case 0: case 4: case 8: { // MLA MLS (U=1), MUL (U=0)
      if ((op === 8) !== (U === 0)) return false;
      for (let i = 0; i < nelem; i++) {
        const p = getB(n, i, sz, false) * e;
        put(i, sz, 0);
        putB(i, sz, op === 8 ? p : op === 0 ? getB(d, i, sz, false) + p : getB(d, i, sz, false) - p);
      }
      commit(d, bytes);
      return true;
    }
    case 14: { // SDOT / UDOT by element (the element is a group of four bytes)
      if (sz !== 2 || scalar) return false;
      const o = 16 * m + 4 * idx;
      dot(U, d, n, -1, o, nelem);
      commit(d, bytes);
      return true;
    }
    case 15: if (!U) return false; // SQRDMLSH
    // falls through
    case 12: case 13: {
      if (U && op === 12) return false;
      const bits = bitsOf(sz);
      if (U) { // SQRDMLAH (13) / SQRDMLSH (15)
        for (let i = 0; i < nelem; i++) putB(i, sz, rdmlah(op === 15, getB(d, i, sz, true), getB(n, i, sz, true), e, bits));
        commit(d, bytes);
        return true;
      }
      for (let i = 0; i < nelem; i++) {
        const p = 2n * getB(n, i, sz, true) * e + (op === 13 ? 1n << BigInt(bits - 1) : 0n);
        putB(i, sz, satB(p >> BigInt(bits), bits, true));
      }
      commit(d, bytes);
      return true;
    }
    case 2: case 6: case 10: { // [SU]MLAL, [SU]MLSL, [SU]MULL
      const signed = U === 0, nn = 8 >> sz, off = part * nn;
      for (let i = 0; i < nn; i++) {
        const p = getB(n, i + off, sz, signed) * e;
        putB(i, sz + 1, op === 10 ? p : op === 2 ? getB(d, i, sz + 1, false) + p : getB(d, i, sz + 1, false) - p);
      }
      commit(d, 16);
      return true;
    }
  }
  return false;
}

function clz(v: bigint, bits: number): number {
  let c = 0;
  for (let i = bits - 1; i >= 0 && ((v >> BigInt(i)) & 1n) === 0n; i--) c++;
  return c;
}

/** REV*, CLZ, compares with zero, ABS, NEG and XTN on lanes of up to 32 bits, as numbers; false = generic path. */
function twoMiscNum(U: number, op: number, sz: number, n: number, nelem: number): boolean {
  switch (op) {
    case 0: case 1: {
      const container = op === 1 ? 1 : U ? 2 : 3;
      if (sz >= container) return false;
      const per = 1 << (container - sz);
      for (let i = 0; i < nelem; i++) put(i, sz, get(n, (i & ~(per - 1)) + (per - 1 - (i & (per - 1))), sz, false));
      return true;
    }
    case 4:
      if (!U) return false;
      for (let i = 0; i < nelem; i++) put(i, sz, Math.clz32(get(n, i, sz, false)) - (32 - (8 << sz)));
      return true;
    case 8: case 9: case 10: {
      if (op === 10 && U) return false;
      for (let i = 0; i < nelem; i++) {
        const v = get(n, i, sz, true);
        put(i, sz, (op === 8 ? (U ? v >= 0 : v > 0) : op === 9 ? (U ? v <= 0 : v === 0) : v < 0) ? -1 : 0);
      }
      return true;
    }
    case 11:
      for (let i = 0; i < nelem; i++) { const v = get(n, i, sz, true); put(i, sz, U ? -v : Math.abs(v)); }
      return true;
    case 18:
      if (U) return false;
      for (let i = 0; i < nelem; i++) put(i, sz, sz === 2 ? w[4 * n + 2 * i] : get(n, i, sz + 1, false));
      return true;
  }
  return false;
}

/**
 * Two-register miscellaneous, integer (opcode 16..12). For the narrowing
 * forms `part` is Q (write the upper half, keep the lower).
 */
export function twoMiscInt(U: number, op: number, sz: number, d: number, n: number, nelem: number, bytes: number, part: number): boolean {
  const bits = bitsOf(sz);
  if (sz < 3 && twoMiscNum(U, op, sz, n, nelem)) {
    if (op === 18 && part) commitUpper(d); else commit(d, bytes);
    return true;
  }
  switch (op) {
    case 0: case 1: { // REV64 / REV32 (U=1) / REV16
      const container = op === 1 ? 1 : U ? 2 : 3; // log2 bytes of the reversed container
      if (sz >= container) return false;
      const per = 1 << (container - sz);
      for (let i = 0; i < nelem; i++) putB(i, sz, getB(n, (i & ~(per - 1)) + (per - 1 - (i & (per - 1))), sz, false));
      commit(d, bytes);
      return true;
    }
    case 2: case 6: { // [SU]ADDLP, [SU]ADALP
      if (sz === 3) return false;
      const half = nelem >> 1, signed = U === 0;
      for (let i = 0; i < half; i++) {
        let v = getB(n, 2 * i, sz, signed) + getB(n, 2 * i + 1, sz, signed);
        if (op === 6) v += getB(d, i, sz + 1, false);
        putB(i, sz + 1, v);
      }
      commit(d, bytes);
      return true;
    }
    case 3: { // SUQADD / USQADD
      for (let i = 0; i < nelem; i++) {
        const a = getB(n, i, sz, U === 1), acc = getB(d, i, sz, U === 0);
        putB(i, sz, satB(acc + a, bits, U === 0));
      }
      commit(d, bytes);
      return true;
    }
    case 4: { // CLS / CLZ
      if (sz === 3) return false;
      for (let i = 0; i < nelem; i++) {
        const v = getB(n, i, sz, false);
        put(i, sz, U ? clz(v, bits) : clz(BigInt.asUintN(bits, v ^ (v >> 1n)) & ((1n << BigInt(bits - 1)) - 1n), bits - 1));
      }
      commit(d, bytes);
      return true;
    }
    case 5: { // CNT / NOT / RBIT (on bytes whatever the size field says)
      nelem = bytes;
      if (U === 0) {
        if (sz !== 0) return false;
        for (let i = 0; i < nelem; i++) { let v = u8[16 * n + i], c = 0; while (v) { c += v & 1; v >>= 1; } t8[i] = c; }
      } else if (sz === 0) {
        for (let i = 0; i < nelem; i++) t8[i] = ~u8[16 * n + i];
      } else if (sz === 1) {
        for (let i = 0; i < nelem; i++) {
          let v = u8[16 * n + i], r = 0;
          for (let k = 0; k < 8; k++) { r = (r << 1) | (v & 1); v >>= 1; }
          t8[i] = r;
        }
      } else return false;
      commit(d, bytes);
      return true;
    }
    case 7: { // SQABS / SQNEG
      for (let i = 0; i < nelem; i++) {
        const v = getB(n, i, sz, true);
        putB(i, sz, satB(U ? -v : absB(v), bits, true));
      }
      commit(d, bytes);
      return true;
    }
    case 8: case 9: case 10: { // CMGT/CMGE #0, CMEQ/CMLE #0, CMLT #0
      if (op === 10 && U) return false;
      for (let i = 0; i < nelem; i++) {
        const v = getB(n, i, sz, true);
        const c = op === 8 ? (U ? v >= 0n : v > 0n) : op === 9 ? (U ? v <= 0n : v === 0n) : v < 0n;
        putB(i, sz, c ? ONES : 0n);
      }
      commit(d, bytes);
      return true;
    }
    case 11: { // ABS / NEG
      for (let i = 0; i < nelem; i++) { const v = getB(n, i, sz, true); putB(i, sz, U ? -v : absB(v)); }
      commit(d, bytes);
      return true;
    }
    case 18: case 20: { // XTN / SQXTUN (U=1, 18), SQXTN / UQXTN (20)
      if (sz === 3) return false;
      const nn = nelem; // narrow lanes written
      for (let i = 0; i < nn; i++) {
        const v = getB(n, i, sz + 1, op === 20 ? U === 0 : true);
        putB(i, sz, op === 18 && !U ? v : satB(v, bits, op === 20 && U === 0));
      }
      if (part) commitUpper(d); else commit(d, bytes);
      return true;
    }
    case 19: { // SHLL
      if (!U || sz === 3) return false;
      const nn = 8 >> sz;
      for (let i = 0; i < nn; i++) putB(i, sz + 1, getB(n, i + part * nn, sz, false) << BigInt(bits));
      commit(d, 16);
      return true;
    }
  }
  return false;
}

/** Across lanes: [SU]ADDLV, [SU]MAXV, [SU]MINV, ADDV (opcode 16..12). */
export function acrossInt(U: number, op: number, sz: number, d: number, n: number, nelem: number): boolean {
  if (sz === 3 || (sz === 2 && nelem < 4)) return false;
  const signed = U === 0;
  let acc = get(n, 0, sz, signed);
  if (sz === 0 && U === 1 && (op === 10 || op === 26 || op === 3)) { // UMAXV UMINV UADDLV on bytes
    const o = 16 * n;
    for (let i = 1; i < nelem; i++) { const v = u8[o + i]; acc = op === 3 ? acc + v : (op === 10) === (v > acc) ? v : acc; }
    t32[0] = 0; t32[1] = 0;
    if (op === 3) { t16[0] = acc; commit(d, 2); } else { t8[0] = acc; commit(d, 1); }
    return true;
  }
  for (let i = 1; i < nelem; i++) {
    const v = get(n, i, sz, signed);
    switch (op) {
      case 3: case 27: acc += v; break;
      case 10: if (v > acc) acc = v; break;
      case 26: if (v < acc) acc = v; break;
      default: return false;
    }
  }
  if (op === 27 && U) return false;
  t32[0] = 0; t32[1] = 0;
  if (op === 3) { // the long sum: up to 16 * 2^16 fits in a number
    if (sz === 2) { const b = BigInt(acc); putB(0, 3, b); commit(d, 8); return true; }
    put(0, sz + 1, acc); commit(d, 2 << sz); return true;
  }
  put(0, sz, acc);
  commit(d, 1 << sz);
  return true;
}

