/**
 * Decoder of the AdvSIMD scalar forms (insn bits 31..30 = 01, 28..24 =
 * 1111x): one lane of the vector operations, the rest of Vd cleared.
 */
import type { A64State } from './state.js';
import { bind, applyQc, t32, tf64, f64, commit } from './simd-lanes.js';
import { threeSameInt, twoMiscInt, threeDiff, threeSameExtra } from './simd-int.js';
import { shiftImm } from './simd-shift.js';
import { threeSameFp, twoMiscFp, fixedFp, pairOp } from './simd-fpvec.js';
import { copy } from './simd-move.js';
import { byElement } from './simd-vector.js';
import { cvt64to32 } from './fp-arith.js';
import { getB, putB } from './simd-lanes.js';

export function execSimdScalar(s: A64State, insn: number): boolean {
  if ((insn >>> 30) !== 1) return false;
  bind(s);
  const ok = dispatch(s, insn);
  applyQc(s);
  return ok;
}

/** Scalar integer three-same ops that exist only for 64-bit lanes. */
const ONLY64 = new Set([6, 7, 8, 10, 16, 17]);
/** Scalar integer three-same ops that exist at all. */
const SAME_OK = new Set([1, 5, 6, 7, 8, 9, 10, 11, 16, 17, 22]);

function dispatch(s: A64State, insn: number): boolean {
  const U = (insn >>> 29) & 1, size = (insn >>> 22) & 3;
  const rd = insn & 31, rn = (insn >>> 5) & 31, rm = (insn >>> 16) & 31;
  if ((insn & 0x01000000) === 0) {
    if ((insn & 0x00200000) === 0) {
      if ((insn & 0x8400) === 0x8400) return threeSameExtra(U, (insn >>> 11) & 15, size, rd, rn, rm, 1, 1 << size, true);
      return (insn & 0xdfe08400) === 0x5e000400 && copy(s, insn, true);
    }
    if (insn & 0x400) { // three same
      const op = (insn >>> 11) & 31;
      if (op >= 24) {
        const sz = size & 1, a = size >>> 1;
        if (!(U ? op === 28 || op === 29 || (op === 26 && a) : op === 31 || (!a && (op === 27 || op === 28)))) return false;
        return threeSameFp(U, op, a, sz, rd, rn, rm, 1, 4 << sz);
      }
      if (!SAME_OK.has(op) || (ONLY64.has(op) && size !== 3)) return false;
      if (op === 22 && (size === 0 || size === 3)) return false;
      return threeSameInt(U, op, size, rd, rn, rm, 1, 1 << size);
    }
    if (((insn >>> 10) & 3) === 0) return threeDiff(U, (insn >>> 12) & 15, size, rd, rn, rm, 0, true);
    if (((insn >>> 10) & 3) !== 2) return false;
    const op = (insn >>> 12) & 31, sel = (insn >>> 17) & 15;
    if (sel === 8) { // pairwise
      if (U === 0) {
        if (op !== 27 || size !== 3) return false;
        putB(0, 3, getB(rn, 0, 3, false) + getB(rn, 1, 3, false));
        commit(rd, 8);
        return true;
      }
      const map = op === 12 ? 24 : op === 13 ? 26 : op === 15 ? 30 : 0;
      if (!map || (op === 13 && size >>> 1)) return false;
      const sz = size & 1;
      const x = sz ? f64[2 * rn] : s.vw[4 * rn] >>> 0, y = sz ? f64[2 * rn + 1] : s.vw[4 * rn + 1] >>> 0;
      const r = pairOp(map, size >>> 1, sz, x, y);
      if (sz) tf64[0] = r; else { t32[0] = r; t32[1] = 0; }
      commit(rd, 4 << sz);
      return true;
    }
    if (sel !== 0) return false;
    // two-register miscellaneous
    if ((op >= 12 && op <= 15) || op >= 22) {
      const sz = size & 1, a = size >>> 1;
      if (op === 22) {
        if (!U || !sz || a) return false;
        t32[0] = cvt64to32(f64[2 * rn], true); t32[1] = 0;
        commit(rd, 4);
        return true;
      }
      const allowed = op === 26 || op === 27 || op === 29 || (op === 28 && !a) ||
        (a === 1 && (op === 12 || op === 13 || (op === 14 && !U) || (op === 31 && !U)));
      if (!allowed) return false;
      return twoMiscFp(U, op, a, sz, rd, rn, 1, 4 << sz, 0);
    }
    switch (op) {
      case 3: case 7: break;
      case 8: case 9: case 10: case 11: if (size !== 3) return false; break;
      case 18: if (!U || size === 3) return false; return twoMiscInt(U, op, size, rd, rn, 1, 1 << size, 0);
      case 20: if (size === 3) return false; return twoMiscInt(U, op, size, rd, rn, 1, 1 << size, 0);
      default: return false;
    }
    return twoMiscInt(U, op, size, rd, rn, 1, 1 << size, 0);
  }
  if (insn & 0x400) { // shift by immediate
    if (insn & 0x00800000) return false;
    const immh = (insn >>> 19) & 15;
    if (immh === 0) return false;
    const immhb = (insn >>> 16) & 127, op = (insn >>> 11) & 31;
    const sz = 31 - Math.clz32(immh);
    if (op === 28 || op === 31) {
      if (sz < 2) return false;
      return fixedFp(U, op, sz - 2, (16 << sz) - immhb, rd, rn, 1, 1 << sz);
    }
    if (op >= 16 && op <= 19) {
      if (op <= 17 && !U) return false; // SHRN/RSHRN have no scalar form
      if (sz === 3) return false;
      return shiftImm(U, op, sz, immhb, rd, rn, 1, 1 << sz, 0);
    }
    if (op === 12 || op === 14) return shiftImm(U, op, sz, immhb, rd, rn, 1, 1 << sz, 0);
    if (sz !== 3 || op === 20) return false;
    return shiftImm(U, op, sz, immhb, rd, rn, 1, 8, 0);
  }
  return byElement(insn, true);
}
