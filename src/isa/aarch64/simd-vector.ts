/**
 * Decoder of the AdvSIMD vector forms (insn bit 28 = 0, bits 27..25 = 111):
 * picks the encoding class and hands the fields to the integer, FP and
 * data-movement units.
 */
import type { A64State } from './state.js';
import { bind, applyQc } from './simd-lanes.js';
import { threeSameInt, logic, threeDiff, twoMiscInt, acrossInt, byElementInt, threeSameExtra } from './simd-int.js';
import { shiftImm } from './simd-shift.js';
import { threeSameFp, twoMiscFp, acrossFp, byElementFp, fixedFp } from './simd-fpvec.js';
import { copy, modImm, permute, ext, tbl } from './simd-move.js';

export function execSimdVector(s: A64State, insn: number): boolean {
  if (insn & 0x80000000) return false;
  bind(s);
  const ok = dispatch(s, insn);
  applyQc(s);
  return ok;
}

function dispatch(s: A64State, insn: number): boolean {
  const Q = (insn >>> 30) & 1, U = (insn >>> 29) & 1;
  const rd = insn & 31, rn = (insn >>> 5) & 31, rm = (insn >>> 16) & 31;
  const bytes = Q ? 16 : 8;
  if ((insn & 0x01000000) === 0) {
    if (insn & 0x00200000) {
      const size = (insn >>> 22) & 3;
      if (insn & 0x400) { // three same
        const op = (insn >>> 11) & 31;
        if (op === 3) { logic(U, size, rd, rn, rm, bytes >> 2); return true; }
        if (op >= 24) {
          const sz = size & 1, a = size >>> 1;
          if (sz && !Q) return false;
          return threeSameFp(U, op, a, sz, rd, rn, rm, bytes >> (2 + sz), bytes);
        }
        if (size === 3 && !Q) return false;
        return threeSameInt(U, op, size, rd, rn, rm, bytes >> size, bytes);
      }
      if (((insn >>> 10) & 3) === 0) return threeDiff(U, (insn >>> 12) & 15, size, rd, rn, rm, Q);
      if (((insn >>> 10) & 3) !== 2) return false;
      const op = (insn >>> 12) & 31, sel = (insn >>> 17) & 15;
      if (sel === 0) { // two-register miscellaneous
        if ((op >= 12 && op <= 15) || op >= 22) {
          const sz = size & 1, a = size >>> 1;
          if (op === 22 || op === 23) return twoMiscFp(U, op, a, sz, rd, rn, 0, 0, Q);
          if (op === 31 && !U) return false; // FRECPX has only the scalar form
          if (op === 28 && a === 1) return twoMiscFp(U, op, a, sz, rd, rn, bytes >> 2, bytes, Q);
          if (sz && !Q) return false;
          return twoMiscFp(U, op, a, sz, rd, rn, bytes >> (2 + sz), bytes, Q);
        }
        if (op === 18 || op === 20) return twoMiscInt(U, op, size, rd, rn, 8 >> size, 8, Q);
        if (size === 3 && !Q && op !== 19) return false;
        return twoMiscInt(U, op, size, rd, rn, bytes >> size, bytes, Q);
      }
      if (sel === 8) { // across lanes
        if (op === 12 || op === 15) {
          if (!U || !Q || (size & 1)) return false;
          return acrossFp(op, size >>> 1, rd, rn);
        }
        return acrossInt(U, op, size, rd, rn, bytes >> size);
      }
      return false;
    }
    // bit 21 = 0
    if ((insn & 0x9f208400) === 0x0e008400) { // three same (extra)
      const sz = (insn >>> 22) & 3, op = (insn >>> 11) & 15;
      if (sz === 3 && !Q) return false;
      return threeSameExtra(U, op, sz, rd, rn, rm, bytes >> sz, bytes, false);
    }
    if ((insn & 0x9fe08400) === 0x0e000400) return copy(s, insn, false);
    if ((insn & 0xbf208c00) === 0x0e000800) return permute(insn);
    if ((insn & 0xbfe08c00) === 0x0e000000) return tbl(insn);
    if ((insn & 0xbfe08400) === 0x2e000000) return ext(insn);
    return false;
  }
  // bit 24 = 1: modified immediate, shift by immediate, by element
  if (insn & 0x400) {
    if (insn & 0x00800000) return false;
    const immh = (insn >>> 19) & 15;
    if (immh === 0) return modImm(insn);
    const immhb = (insn >>> 16) & 127, op = (insn >>> 11) & 31;
    const sz = 31 - Math.clz32(immh);
    if (op === 28 || op === 31) {
      if (sz < 2 || (sz === 3 && !Q)) return false;
      const fsz = sz - 2, fbits = (16 << sz) - immhb;
      return fixedFp(U, op, fsz, fbits, rd, rn, bytes >> sz, bytes);
    }
    if (op >= 16 && op <= 20) return shiftImm(U, op, sz, immhb, rd, rn, 0, 0, Q);
    if (sz === 3 && !Q) return false;
    return shiftImm(U, op, sz, immhb, rd, rn, bytes >> sz, bytes, Q);
  }
  return byElement(insn, false);
}

/** By element (vector, or scalar when `scalar`): 0 Q U 01111 size L M Rm opcode H 0 Rn Rd. */
export function byElement(insn: number, scalar: boolean): boolean {
  const Q = (insn >>> 30) & 1, U = (insn >>> 29) & 1, size = (insn >>> 22) & 3;
  const L = (insn >>> 21) & 1, M = (insn >>> 20) & 1, H = (insn >>> 11) & 1;
  const op = (insn >>> 12) & 15, rd = insn & 31, rn = (insn >>> 5) & 31;
  const bytes = Q ? 16 : 8;
  if (op === 1 || op === 5 || (op === 9)) {
    if (size < 2) return false; // FP16 forms
    const sz = size & 1;
    if (sz && L) return false;
    if (sz && !Q && !scalar) return false;
    const idx = sz ? H : (H << 1) | L;
    const m = (M << 4) | ((insn >>> 16) & 15);
    return scalar ? byElementFp(U, op, sz, rd, rn, m, idx, 1, 4 << sz) : byElementFp(U, op, sz, rd, rn, m, idx, bytes >> (2 + sz), bytes);
  }
  const idx = size === 1 ? (H << 2) | (L << 1) | M : (H << 1) | L;
  const m = size === 1 ? (insn >>> 16) & 15 : (M << 4) | ((insn >>> 16) & 15);
  if (scalar) return byElementInt(U, op, size, rd, rn, m, idx, 1, 1 << size, 0, true);
  return byElementInt(U, op, size, rd, rn, m, idx, bytes >> size, bytes, Q);
}
