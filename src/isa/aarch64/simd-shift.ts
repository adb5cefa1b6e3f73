/**
 * AdvSIMD shifts by immediate (vector and scalar): SSHR USHR SSRA USRA SRSHR
 * URSHR SRSRA URSRA SHL SLI SRI, the saturating SQSHL UQSHL SQSHLU, the
 * narrowing [R]SHRN and SQ[R]SHR[U]N / UQ[R]SHRN, and [SU]SHLL. Lanes of up
 * to 32 bits work on numbers, 64-bit lanes on int32 word pairs where that is
 * simple and BigInt otherwise.
 */
import { get, getB, put, putB, commit, commitUpper, satB, shiftB, shiftN, P2, t8, t16, t32, u16, u32, w } from './simd-lanes.js';

function bitsOf(sz: number): number { return 8 << sz; }

/** Scratch 64-bit lane i = lane j of V r shifted by sh (negative = right; arithmetic when `signed`). */
function shift64w(i: number, r: number, j: number, sh: number, signed: boolean): void {
  let lo = w[4 * r + 2 * j], hi = w[4 * r + 2 * j + 1];
  if (sh > 0) {
    if (sh >= 64) { lo = 0; hi = 0; }
    else if (sh >= 32) { hi = lo << (sh - 32); lo = 0; }
    else { hi = (hi << sh) | (lo >>> (32 - sh)); lo <<= sh; }
  } else if (sh < 0) {
    const r2 = -sh, fill = signed ? hi >> 31 : 0;
    if (r2 >= 64) { lo = fill; hi = fill; }
    else if (r2 >= 32) { lo = r2 === 32 ? hi : signed ? hi >> (r2 - 32) : hi >>> (r2 - 32); hi = fill; }
    else { lo = (lo >>> r2) | (hi << (32 - r2)); hi = signed ? hi >> r2 : hi >>> r2; }
  }
  t32[2 * i] = lo; t32[2 * i + 1] = hi;
}

/** The shifts by immediate with lanes of up to 32 bits (ops 0..10), as numbers; false = generic path. */
function shiftImmNum(U: number, op: number, sz: number, right: number, left: number, d: number, n: number, nelem: number): boolean {
  const bits = bitsOf(sz);
  switch (op) {
    case 0: case 2: case 4: case 6: {
      const signed = U === 0, round = (op & 4) !== 0, acc = (op & 2) !== 0;
      for (let i = 0; i < nelem; i++) {
        let v = shiftN(get(n, i, sz, signed), -right, round);
        if (acc) v += get(d, i, sz, false);
        put(i, sz, v);
      }
      return true;
    }
    case 8: {
      if (!U) return false;
      const mask = right >= bits ? 0 : Math.floor((P2[160 + bits] - 1) / P2[160 + right]);
      for (let i = 0; i < nelem; i++) {
        const v = right >= bits ? 0 : Math.floor(get(n, i, sz, false) / P2[160 + right]);
        put(i, sz, (get(d, i, sz, false) & ~mask) | v);
      }
      return true;
    }
    case 10: {
      const mask = P2[160 + left] - 1;
      for (let i = 0; i < nelem; i++) {
        const v = get(n, i, sz, false) * P2[160 + left];
        put(i, sz, U ? (get(d, i, sz, false) & mask) + (v % P2[160 + bits]) : v);
      }
      return true;
    }
  }
  return false;
}

/**
 * Shift by immediate, integer: SSHR USHR SSRA USRA SRSHR URSHR SRSRA URSRA
 * SHL SRI SLI SQSHL UQSHL SQSHLU and the narrowing and long forms. `sz` is
 * the highest set bit of immh (the narrow size for the narrowing and long
 * forms); the right shift is 2*esize - immh:immb, the left one
 * immh:immb - esize.
 */
export function shiftImm(U: number, op: number, sz: number, immhb: number, d: number, n: number, nelem: number, bytes: number, part: number): boolean {
  const bits = bitsOf(sz);
  const right = 2 * bits - immhb, left = immhb - bits;
  if (sz < 3 && op <= 10 && shiftImmNum(U, op, sz, right, left, d, n, nelem)) { commit(d, bytes); return true; }
  if (sz === 3 && (op === 0 || op === 10) && (op === 10 ? U === 0 : true)) {
    for (let i = 0; i < nelem; i++) shift64w(i, n, i, op === 0 ? -right : left, U === 0);
    commit(d, bytes);
    return true;
  }
  if ((op === 16 || op === 17) && !U && sz < 2 && !nelem) { // SHRN RSHRN with lanes of up to 32 bits
    const half = op === 17 ? P2[159 + right] : 0, div = P2[160 + right];
    if (sz === 0) for (let i = 0; i < 8; i++) t8[i] = (u16[8 * n + i] + half) >>> right;
    else for (let i = 0; i < 4; i++) t16[i] = (u32[4 * n + i] + half) / div; // the store truncates
    if (part) commitUpper(d); else commit(d, 8);
    return true;
  }
  switch (op) {
    case 0: case 2: case 4: case 6: { // [SU]SHR, [SU]SRA, [SU]RSHR, [SU]RSRA
      const signed = U === 0, round = (op & 4) !== 0, acc = (op & 2) !== 0;
      for (let i = 0; i < nelem; i++) {
        let v = shiftB(getB(n, i, sz, signed), -right, round);
        if (acc) v += getB(d, i, sz, false);
        putB(i, sz, v);
      }
      commit(d, bytes);
      return true;
    }
    case 8: { // SRI
      if (!U) return false;
      const mask = right >= bits ? 0n : (((1n << BigInt(bits)) - 1n) >> BigInt(right));
      for (let i = 0; i < nelem; i++) {
        const v = right >= bits ? 0n : getB(n, i, sz, false) >> BigInt(right);
        putB(i, sz, (getB(d, i, sz, false) & ~mask) | v);
      }
      commit(d, bytes);
      return true;
    }
    case 10: { // SHL / SLI
      const mask = ((1n << BigInt(left)) - 1n);
      for (let i = 0; i < nelem; i++) {
        const v = getB(n, i, sz, false) << BigInt(left);
        putB(i, sz, U ? (getB(d, i, sz, false) & mask) | v : v);
      }
      commit(d, bytes);
      return true;
    }
    case 12: case 14: { // SQSHLU (U=1, 12), SQSHL / UQSHL (14)
      if (op === 12 && !U) return false;
      const srcSigned = op === 12 ? true : U === 0, dstSigned = op === 12 ? false : U === 0;
      for (let i = 0; i < nelem; i++) putB(i, sz, satB(getB(n, i, sz, srcSigned) << BigInt(left), bits, dstSigned));
      commit(d, bytes);
      return true;
    }
    case 16: case 17: case 18: case 19: { // SHRN RSHRN / SQSHRUN SQRSHRUN (U=1); SQSHRN SQRSHRN / UQSHRN UQRSHRN
      if (sz === 3) return false;
      const round = (op & 1) !== 0, srcSigned = op >= 18 ? U === 0 : U === 1;
      const cnt = nelem || 8 >> sz; // nelem 1: the scalar form
      for (let i = 0; i < cnt; i++) {
        const x = shiftB(getB(n, i, sz + 1, srcSigned), -right, round);
        putB(i, sz, op <= 17 && !U ? x : satB(x, bits, op >= 18 && U === 0));
      }
      if (part) commitUpper(d); else commit(d, nelem ? bytes : 8);
      return true;
    }
    case 20: { // [SU]SHLL
      if (sz === 3) return false;
      const nn = 8 >> sz;
      for (let i = 0; i < nn; i++) putB(i, sz + 1, getB(n, i + part * nn, sz, U === 0) << BigInt(left));
      commit(d, 16);
      return true;
    }
  }
  return false;
}
