/**
 * AdvSIMD floating point, lane by lane (single and double precision): the
 * FP "three same", "two-register miscellaneous", across-lanes, by-element
 * and fixed-point shift forms, for vectors and for the scalar AdvSIMD forms
 * (one lane). Lanes are binary32 bits (u32) or binary64 numbers (f64).
 */
import {
  add32, sub32, mul32, div32, add64, sub64, mul64, div64, mulx32, mulx64, fma32, fma64, sqrt32, sqrt64,
  minmax32, minmaxnm32, minmax64, minmaxnm64, recps32, recps64, rsqrts32, rsqrts64, cmpMask32, cmpMask64,
  rint32, rint64, toFixed, fixOut, val32, in64, fixedTo32, fixedTo64, cvt32to64, cvt64to32, cvtTo16, cvt16to32,
  neg32, abs32, neg64, abs64, in32, rm as fpcrRm, RMM, RTZ,
} from './fp-arith.js';
import { f32ToNum } from '../softfloat/index.js';
import { recpe32, recpe64, rsqrte32, rsqrte64, recpx32, recpx64, urecpe, ursqrte } from './fp-estimate.js';
import { RMODE_INSN } from './fp-scalar.js';
import { u32, u16, w, f64, t32, tf64, t16, commit, commitUpper } from './simd-lanes.js';

function lane(r: number, i: number, sz: number): number { return sz ? f64[2 * r + i] : u32[4 * r + i]; }
function putLane(i: number, sz: number, v: number): void { if (sz) tf64[i] = v; else t32[i] = v; }
function putMask(i: number, sz: number, c: boolean): void {
  const m = c ? -1 : 0;
  if (sz) { t32[2 * i] = m; t32[2 * i + 1] = m; } else t32[i] = m;
}

/** One lane of an FP "three same" op (opcode 15..11 with U, a; isValid3 says which exist). */
function op3(U: number, op: number, a: number, sz: number, x: number, y: number, acc: number): number {
  const D = sz === 1;
  switch ((U << 6) | (op << 1) | a) {
    case (24 << 1): return D ? minmaxnm64(x, y, true) : minmaxnm32(x, y, true);
    case (24 << 1) | 1: return D ? minmaxnm64(x, y, false) : minmaxnm32(x, y, false);
    case (25 << 1): return D ? fma64(acc, x, y) : fma32(acc, x, y);
    case (25 << 1) | 1: return D ? fma64(acc, neg64(x), y) : fma32(acc, neg32(x), y);
    case (26 << 1): return D ? add64(x, y) : add32(x, y);
    case (26 << 1) | 1: return D ? sub64(x, y) : sub32(x, y);
    case (27 << 1): return D ? mulx64(x, y) : mulx32(x, y);
    case (30 << 1): return D ? minmax64(x, y, true) : minmax32(x, y, true);
    case (30 << 1) | 1: return D ? minmax64(x, y, false) : minmax32(x, y, false);
    case (31 << 1): return D ? recps64(x, y) : recps32(x, y);
    case (31 << 1) | 1: return D ? rsqrts64(x, y) : rsqrts32(x, y);
    case 64 | (26 << 1) | 1: return D ? abs64(sub64(x, y)) : abs32(sub32(x, y));
    case 64 | (27 << 1): return D ? mul64(x, y) : mul32(x, y);
    case 64 | (31 << 1): return D ? div64(x, y) : div32(x, y);
  }
  return 0;
}

/** FP three same (vector: nelem lanes; scalar: nelem 1); pairwise ops read the concatenation n:m. */
export function threeSameFp(U: number, op: number, a: number, sz: number, d: number, n: number, m: number, nelem: number, bytes: number): boolean {
  const key = (U << 6) | (op << 1) | a;
  // compares
  if (key === (28 << 1) || key === (64 | (28 << 1)) || key === (64 | (28 << 1) | 1) || key === (64 | (29 << 1)) || key === (64 | (29 << 1) | 1)) {
    const cond = U === 0 ? 0 : a ? 2 : 1, absCmp = op === 29;
    for (let i = 0; i < nelem; i++) {
      const x = lane(n, i, sz), y = lane(m, i, sz);
      putMask(i, sz, sz ? cmpMask64(x, y, cond, absCmp) : cmpMask32(x, y, cond, absCmp));
    }
    commit(d, bytes);
    return true;
  }
  if (U === 1 && (op === 24 || op === 30 || (op === 26 && a === 0))) { // FMAXNMP FMINNMP FMAXP FMINP FADDP
    const half = nelem >> 1;
    for (let i = 0; i < nelem; i++) {
      const src = i < half ? n : m, k = 2 * (i < half ? i : i - half);
      const x = lane(src, k, sz), y = lane(src, k + 1, sz);
      putLane(i, sz, pairOp(op, a, sz, x, y));
    }
    commit(d, bytes);
    return true;
  }
  if (!isValid3(key)) return false;
  for (let i = 0; i < nelem; i++) {
    const acc = op === 25 ? lane(d, i, sz) : 0;
    putLane(i, sz, op3(U, op, a, sz, lane(n, i, sz), lane(m, i, sz), acc));
  }
  commit(d, bytes);
  return true;
}
function isValid3(key: number): boolean {
  switch (key) {
    case 48: case 49: case 50: case 51: case 52: case 53: case 54: case 60: case 61: case 62: case 63:
    case 64 | 53: case 64 | 54: case 64 | 62: return true;
  }
  return false;
}
/** The op of a pairwise FP form (U = 1, opcode 24/26/30) on one pair. */
export function pairOp(op: number, a: number, sz: number, x: number, y: number): number {
  if (op === 26) return sz ? add64(x, y) : add32(x, y);
  if (op === 24) return sz ? minmaxnm64(x, y, !a) : minmaxnm32(x, y, !a);
  return sz ? minmax64(x, y, !a) : minmax32(x, y, !a);
}

/** FP to integer of one lane under `mode` with fbits fraction bits: the result in fixOut. */
function cvtLane(x: number, sz: number, fbits: number, unsigned: boolean, mode: number): void {
  toFixed(sz ? in64(x) : val32(x), fbits, unsigned, sz ? 64 : 32, mode);
}
function putFix(i: number, sz: number): void {
  if (sz) { t32[2 * i] = fixOut[0]; t32[2 * i + 1] = fixOut[1]; } else t32[i] = fixOut[0];
}
function intToFpLane(r: number, i: number, sz: number, unsigned: boolean, fbits: number): number {
  if (sz) return fixedTo64(w[4 * r + 2 * i], w[4 * r + 2 * i + 1], 64, unsigned, fbits);
  return fixedTo32(w[4 * r + i], 0, 32, unsigned, fbits);
}

/** FP two-register miscellaneous (opcode 16..12 with U, a); `part` = Q for the narrowing / lengthening forms. */
export function twoMiscFp(U: number, op: number, a: number, sz: number, d: number, n: number, nelem: number, bytes: number, part: number): boolean {
  const key = (U << 6) | (op << 1) | a;
  switch (key) {
    case (22 << 1): { // FCVTN: sz 0 S -> H, 1 D -> S
      const cnt = sz ? 2 : 4;
      for (let i = 0; i < cnt; i++) {
        if (sz) t32[i] = cvt64to32(f64[2 * n + i]);
        else { const f = in32(u32[4 * n + i]); t16[i] = cvtTo16((f & 0x7fffffff) > 0x7f800000 ? NaN : f32ToNum(f), nanHi32(f)); }
      }
      if (part) commitUpper(d); else commit(d, 8);
      return true;
    }
    case 64 | (22 << 1): { // FCVTXN
      if (!sz) return false;
      for (let i = 0; i < 2; i++) t32[i] = cvt64to32(f64[2 * n + i], true);
      if (part) commitUpper(d); else commit(d, 8);
      return true;
    }
    case (23 << 1): { // FCVTL: sz 0 H -> S, 1 S -> D
      const cnt = sz ? 2 : 4;
      for (let i = 0; i < cnt; i++) {
        if (sz) tf64[i] = cvt32to64(u32[4 * n + 2 * part + i]);
        else t32[i] = cvt16to32(u16[8 * n + 4 * part + i]);
      }
      commit(d, 16);
      return true;
    }
  }
  if (op === 22 || op === 23) return false;
  for (let i = 0; i < nelem; i++) {
    const x = lane(n, i, sz);
    switch (key) {
      case (12 << 1) | 1: case (13 << 1) | 1: case (14 << 1) | 1: case 64 | (12 << 1) | 1: case 64 | (13 << 1) | 1: {
        // FCMGT FCMEQ FCMLT FCMGE FCMLE against zero
        let c: boolean;
        if (op === 14 || (U && op === 13)) c = sz ? cmpMask64(0, x, op === 14 ? 2 : 1, false) : cmpMask32(0, x, op === 14 ? 2 : 1, false);
        else c = sz ? cmpMask64(x, 0, op === 13 ? 0 : U ? 1 : 2, false) : cmpMask32(x, 0, op === 13 ? 0 : U ? 1 : 2, false);
        putMask(i, sz, c);
        break;
      }
      case (15 << 1) | 1: putLane(i, sz, sz ? abs64(x) : abs32(x)); break;
      case 64 | (15 << 1) | 1: putLane(i, sz, sz ? neg64(x) : neg32(x)); break;
      case 64 | (31 << 1) | 1: putLane(i, sz, sz ? sqrt64(x) : sqrt32(x)); break;
      case (24 << 1): case (24 << 1) | 1: case (25 << 1): case (25 << 1) | 1: case 64 | (24 << 1): case 64 | (25 << 1): case 64 | (25 << 1) | 1: {
        // FRINTN FRINTP FRINTM FRINTZ FRINTA FRINTX FRINTI
        const mode = U ? (op === 24 ? RMM : fpcrRm) : RMODE_INSN[((op & 1) << 1) | a];
        const exact = U === 1 && op === 25 && a === 0;
        putLane(i, sz, sz ? rint64(x, mode, exact) : rint32(x, mode, exact));
        break;
      }
      case (26 << 1): case (26 << 1) | 1: case (27 << 1): case (27 << 1) | 1: case (28 << 1):
      case 64 | (26 << 1): case 64 | (26 << 1) | 1: case 64 | (27 << 1): case 64 | (27 << 1) | 1: case 64 | (28 << 1): {
        // FCVT[NPMZA][SU]
        const mode = op === 28 ? RMM : RMODE_INSN[((op & 1) << 1) | a];
        cvtLane(x, sz, 0, U === 1, mode);
        putFix(i, sz);
        break;
      }
      case (29 << 1): case 64 | (29 << 1): putLane(i, sz, intToFpLane(n, i, sz, U === 1, 0)); break; // SCVTF UCVTF
      case (29 << 1) | 1: putLane(i, sz, sz ? recpe64(x) : recpe32(x)); break;
      case 64 | (29 << 1) | 1: putLane(i, sz, sz ? rsqrte64(x) : rsqrte32(x)); break;
      case (28 << 1) | 1: if (sz) return false; t32[i] = urecpe(x); break;
      case 64 | (28 << 1) | 1: if (sz) return false; t32[i] = ursqrte(x); break;
      case (31 << 1) | 1: putLane(i, sz, sz ? recpx64(x) : recpx32(x)); break; // FRECPX (scalar only)
      default: return false;
    }
  }
  commit(d, bytes);
  return true;
}
function nanHi32(f: number): number { return (f & 0x80000000) | 0x7ff00000 | ((f & 0x7fffff) >>> 3); }

function reduceOp(nm: boolean, max: boolean, x: number, y: number): number {
  return nm ? minmaxnm32(x, y, max) : minmax32(x, y, max);
}

/** FMAXNMV FMINNMV FMAXV FMINV (4S): the ARM Reduce tree ((e0, e1), (e2, e3)). */
export function acrossFp(op: number, o1: number, d: number, n: number): boolean {
  const nm = op === 12;
  if (!nm && op !== 15) return false;
  const b = 4 * n, max = !o1;
  const r = reduceOp(nm, max, reduceOp(nm, max, u32[b], u32[b + 1]), reduceOp(nm, max, u32[b + 2], u32[b + 3]));
  t32[0] = r; t32[1] = 0;
  commit(d, 4);
  return true;
}

/** FMLA FMLS FMUL FMULX by element (opcode 1, 5, 9 with U). */
export function byElementFp(U: number, op: number, sz: number, d: number, n: number, m: number, idx: number, nelem: number, bytes: number): boolean {
  if ((U && op !== 9) || (op !== 1 && op !== 5 && op !== 9)) return false;
  const e = lane(m, idx, sz);
  for (let i = 0; i < nelem; i++) {
    const x = lane(n, i, sz);
    let r: number;
    if (op === 9) r = U ? (sz ? mulx64(x, e) : mulx32(x, e)) : sz ? mul64(x, e) : mul32(x, e);
    else {
      const acc = lane(d, i, sz);
      r = sz ? fma64(acc, op === 5 ? neg64(x) : x, e) : fma32(acc, op === 5 ? neg32(x) : x, e);
    }
    putLane(i, sz, r);
  }
  commit(d, bytes);
  return true;
}

/** SCVTF/UCVTF (opcode 28) and FCVTZS/FCVTZU (31) with fbits fraction bits, by lane; sz 0 = 32-bit, 1 = 64-bit. */
export function fixedFp(U: number, op: number, sz: number, fbits: number, d: number, n: number, nelem: number, bytes: number): boolean {
  for (let i = 0; i < nelem; i++) {
    if (op === 28) putLane(i, sz, intToFpLane(n, i, sz, U === 1, fbits));
    else { cvtLane(lane(n, i, sz), sz, fbits, U === 1, RTZ); putFix(i, sz); }
  }
  commit(d, bytes);
  return true;
}
