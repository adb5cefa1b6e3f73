/**
 * Scalar floating point (insn bits 30 = 0, 28..24 = 1111x): data processing
 * with one, two and three sources, compares, conditional compare and select,
 * immediates, and the conversions to and from general registers and fixed
 * point. Single and double precision; half precision only in FCVT.
 */
import type { A64State } from './state.js';
import { fpStatus, FLAG_NV, FLAG_NX, hiOf, f32ToNum } from '../softfloat/index.js';
import {
  rm as fpcrRm, RNE, RUP, RDN, RTZ, RMM,
  add32, sub32, mul32, div32, add64, sub64, mul64, div64, sqrt32, sqrt64, fma32, fma64,
  minmax32, minmaxnm32, minmax64, minmaxnm64, cmp32, cmp64, rint32, rint64,
  toFixed, fixOut, val32, in64, fixedTo32, fixedTo64, cvt32to64, cvt64to32, cvtTo16, cvt16, cvt16to32,
  neg32, abs32, neg64, in32, signOf64,
} from './fp-arith.js';
import { readS, readD, readH, writeS, writeD, writeDw, writeH, xlo, xhi, setX, setW, condHolds } from './simd-regs.js';

/** The rounding mode of FCVT[NPMZ] (rmode field) and FRINT[NPMZ]. */
export const RMODE_INSN = [RNE, RUP, RDN, RTZ];

/** VFPExpandImm: the 8-bit FP immediate as binary32 bits. */
export function expandImm32(imm8: number): number {
  const b6 = (imm8 >>> 6) & 1;
  const exp = ((b6 ^ 1) << 7) | (b6 ? 0x7c : 0) | ((imm8 >>> 4) & 3);
  return (((imm8 >>> 7) << 31) | (exp << 23) | ((imm8 & 15) << 19)) >>> 0;
}
/** VFPExpandImm as the high word of a binary64 (the low word is zero). */
export function expandImm64Hi(imm8: number): number {
  const b6 = (imm8 >>> 6) & 1;
  const exp = ((b6 ^ 1) << 10) | (b6 ? 0x3fc : 0) | ((imm8 >>> 4) & 3);
  return ((imm8 >>> 7) << 31) | (exp << 20) | ((imm8 & 15) << 16);
}

export function execScalarFp(s: A64State, insn: number): boolean {
  if (insn & 0x20000000) return false; // S
  const type = (insn >>> 22) & 3;
  const rd = insn & 31, rn = (insn >>> 5) & 31, rmr = (insn >>> 16) & 31;
  if (insn & 0x01000000) return threeSource(s, insn, type, rd, rn, rmr);
  if ((insn & 0x00200000) === 0) return fixedConvert(s, insn, type, rd, rn);
  switch ((insn >>> 10) & 3) {
    case 1: return condCompare(s, insn, type, rn, rmr);
    case 2: return twoSource(s, insn, type, rd, rn, rmr);
    case 3: return condSelect(s, insn, type, rd, rn, rmr);
  }
  if (insn & 0x1000) { // immediate
    if (insn & 0x80000000 || ((insn >>> 5) & 31) !== 0 || type > 1) return false;
    const imm8 = (insn >>> 13) & 0xff;
    if (type === 0) writeS(s, rd, expandImm32(imm8));
    else writeDw(s, rd, 0, expandImm64Hi(imm8));
    return true;
  }
  if (((insn >>> 10) & 15) === 8) return compare(s, insn, type, rn, rmr);
  if (((insn >>> 10) & 31) === 16) return oneSource(s, insn, type, rd, rn);
  if (((insn >>> 10) & 63) === 0) return intConvert(s, insn, type, rd, rn);
  return false;
}

function threeSource(s: A64State, insn: number, type: number, rd: number, rn: number, rmr: number): boolean {
  if (insn & 0x80000000 || type > 1) return false;
  const ra = (insn >>> 10) & 31;
  const o1 = (insn >>> 21) & 1, o0 = (insn >>> 15) & 1;
  if (type === 0) {
    let a = readS(s, ra), n = readS(s, rn);
    if (o1) a = neg32(a);
    if (o0 !== o1) n = neg32(n);
    writeS(s, rd, fma32(a, n, readS(s, rmr)));
  } else {
    let a = readD(s, ra), n = readD(s, rn);
    if (o1) a = neg64(a);
    if (o0 !== o1) n = neg64(n);
    writeD(s, rd, fma64(a, n, readD(s, rmr)));
  }
  return true;
}

function twoSource(s: A64State, insn: number, type: number, rd: number, rn: number, rmr: number): boolean {
  if (insn & 0x80000000 || type > 1) return false;
  const op = (insn >>> 12) & 15;
  if (op > 8) return false;
  if (type === 0) {
    const a = readS(s, rn), b = readS(s, rmr);
    let r: number;
    switch (op) {
      case 0: r = mul32(a, b); break;
      case 1: r = div32(a, b); break;
      case 2: r = add32(a, b); break;
      case 3: r = sub32(a, b); break;
      case 4: r = minmax32(a, b, true); break;
      case 5: r = minmax32(a, b, false); break;
      case 6: r = minmaxnm32(a, b, true); break;
      case 7: r = minmaxnm32(a, b, false); break;
      default: r = neg32(mul32(a, b)); break;
    }
    writeS(s, rd, r);
  } else {
    const a = readD(s, rn), b = readD(s, rmr);
    let r: number;
    switch (op) {
      case 0: r = mul64(a, b); break;
      case 1: r = div64(a, b); break;
      case 2: r = add64(a, b); break;
      case 3: r = sub64(a, b); break;
      case 4: r = minmax64(a, b, true); break;
      case 5: r = minmax64(a, b, false); break;
      case 6: r = minmaxnm64(a, b, true); break;
      case 7: r = minmaxnm64(a, b, false); break;
      default: r = neg64(mul64(a, b)); break;
    }
    writeD(s, rd, r);
  }
  return true;
}

function compare(s: A64State, insn: number, type: number, rn: number, rmr: number): boolean {
  if (insn & 0x80000000 || type > 1 || (insn & 0xc000) !== 0) return false;
  const opc = insn & 31;
  if ((opc & 7) !== 0) return false;
  const zero = (opc & 8) !== 0, signal = (opc & 16) !== 0;
  s.nzcv = type === 0
    ? cmp32(readS(s, rn), zero ? 0 : readS(s, rmr), signal)
    : cmp64(readD(s, rn), zero ? 0 : readD(s, rmr), signal);
  return true;
}

function condCompare(s: A64State, insn: number, type: number, rn: number, rmr: number): boolean {
  if (insn & 0x80000000 || type > 1) return false;
  const cond = (insn >>> 12) & 15, signal = (insn & 16) !== 0;
  if (!condHolds(s.nzcv, cond)) { s.nzcv = (insn & 15) << 28; return true; }
  s.nzcv = type === 0 ? cmp32(readS(s, rn), readS(s, rmr), signal) : cmp64(readD(s, rn), readD(s, rmr), signal);
  return true;
}

function condSelect(s: A64State, insn: number, type: number, rd: number, rn: number, rmr: number): boolean {
  if (insn & 0x80000000 || type > 1) return false;
  const src = condHolds(s.nzcv, (insn >>> 12) & 15) ? rn : rmr;
  if (type === 0) writeS(s, rd, readS(s, src));
  else writeDw(s, rd, s.vw[4 * src], s.vw[4 * src + 1]);
  return true;
}

function oneSource(s: A64State, insn: number, type: number, rd: number, rn: number): boolean {
  if (insn & 0x80000000) return false;
  const op = (insn >>> 15) & 63;
  if (op >= 4 && op <= 7) return convertFp(s, type, op & 3, rd, rn);
  if (type > 1) return false;
  const S = type === 0;
  switch (op) {
    case 0:
      if (S) writeS(s, rd, readS(s, rn)); else writeDw(s, rd, s.vw[4 * rn], s.vw[4 * rn + 1]);
      return true;
    case 1:
      if (S) writeS(s, rd, abs32(readS(s, rn))); else writeDw(s, rd, s.vw[4 * rn], s.vw[4 * rn + 1] & 0x7fffffff);
      return true;
    case 2:
      if (S) writeS(s, rd, neg32(readS(s, rn))); else writeDw(s, rd, s.vw[4 * rn], s.vw[4 * rn + 1] ^ 0x80000000);
      return true;
    case 3:
      if (S) writeS(s, rd, sqrt32(readS(s, rn))); else writeD(s, rd, sqrt64(readD(s, rn)));
      return true;
  }
  let mode: number;
  switch (op) {
    case 8: case 9: case 10: case 11: mode = RMODE_INSN[op - 8]; break;
    case 12: mode = RMM; break;
    case 14: case 15: mode = fpcrRm; break;
    default: return false;
  }
  if (S) writeS(s, rd, rint32(readS(s, rn), mode, op === 14));
  else writeD(s, rd, rint64(readD(s, rn), mode, op === 14));
  return true;
}

/** FCVT between precisions: from `src` to `dst` (0 S, 1 D, 3 H). */
function convertFp(s: A64State, src: number, dst: number, rd: number, rn: number): boolean {
  if (src === dst || src === 2 || dst === 2) return false;
  if (src === 0) {
    const a = readS(s, rn);
    if (dst === 1) writeD(s, rd, cvt32to64(a));
    else {
      const f = in32(a);
      const nanHi = (f & 0x80000000) | 0x7ff00000 | ((f & 0x7fffff) >>> 3);
      writeH(s, rd, cvtTo16((f & 0x7fffffff) > 0x7f800000 ? NaN : f32ToNum(f), nanHi));
    }
  } else if (src === 1) {
    const x = readD(s, rn);
    if (dst === 0) writeS(s, rd, cvt64to32(x));
    else { const f = in64(x); writeH(s, rd, cvtTo16(f, hiOf(f))); }
  } else {
    const h = readH(s, rn);
    if (dst === 0) writeS(s, rd, cvt16to32(h));
    else writeD(s, rd, cvt16(h));
  }
  return true;
}

/** Convert the S/D value in V rn to an integer (result in fixOut). */
function fpToInt(s: A64State, type: number, rn: number, fbits: number, unsigned: boolean, bits: number, mode: number): void {
  const v = type === 0 ? val32(readS(s, rn)) : in64(readD(s, rn));
  toFixed(v, fbits, unsigned, bits, mode);
}

function intConvert(s: A64State, insn: number, type: number, rd: number, rn: number): boolean {
  const sf = insn >>> 31, rmode = (insn >>> 19) & 3, opcode = (insn >>> 16) & 7;
  const bits = sf ? 64 : 32;
  if (opcode >= 6) { // FMOV and FJCVTZS
    if (rmode === 3 && sf === 0 && type === 1 && opcode === 6) return jcvt(s, rd, rn);
    if (sf === 0 && type === 0 && rmode === 0) {
      if (opcode === 6) setW(s, rd, s.vw[4 * rn]); else writeS(s, rd, xlo(s, rn));
      return true;
    }
    if (sf === 1 && type === 1 && rmode === 0) {
      if (opcode === 6) setX(s, rd, s.vw[4 * rn], s.vw[4 * rn + 1]);
      else writeDw(s, rd, xlo(s, rn), xhi(s, rn));
      return true;
    }
    if (sf === 1 && type === 2 && rmode === 1) {
      if (opcode === 6) setX(s, rd, s.vw[4 * rn + 2], s.vw[4 * rn + 3]);
      else { s.vw[4 * rd + 2] = xlo(s, rn); s.vw[4 * rd + 3] = xhi(s, rn); }
      return true;
    }
    return false;
  }
  if (type > 1) return false;
  let mode: number;
  if (opcode <= 1) mode = RMODE_INSN[rmode];
  else if (rmode !== 0) return false;
  else if (opcode <= 3) return intToFp(s, type, rd, rn, bits, opcode === 3, 0);
  else mode = RMM;
  fpToInt(s, type, rn, 0, (opcode & 1) === 1, bits, mode);
  if (sf) setX(s, rd, fixOut[0], fixOut[1]); else setW(s, rd, fixOut[0]);
  return true;
}

function intToFp(s: A64State, type: number, rd: number, rn: number, bits: number, unsigned: boolean, fbits: number): boolean {
  const lo = xlo(s, rn), hi = bits === 64 ? xhi(s, rn) : 0;
  if (type === 0) writeS(s, rd, fixedTo32(lo, hi, bits, unsigned, fbits));
  else writeD(s, rd, fixedTo64(lo, hi, bits, unsigned, fbits));
  return true;
}

function fixedConvert(s: A64State, insn: number, type: number, rd: number, rn: number): boolean {
  const sf = insn >>> 31, rmode = (insn >>> 19) & 3, opcode = (insn >>> 16) & 7, scale = (insn >>> 10) & 63;
  if (type > 1 || (sf === 0 && scale < 32)) return false;
  const bits = sf ? 64 : 32, fbits = 64 - scale;
  if (rmode === 0 && (opcode === 2 || opcode === 3)) return intToFp(s, type, rd, rn, bits, opcode === 3, fbits);
  if (rmode === 3 && opcode <= 1) {
    fpToInt(s, type, rn, fbits, opcode === 1, bits, RTZ);
    if (sf) setX(s, rd, fixOut[0], fixOut[1]); else setW(s, rd, fixOut[0]);
    return true;
  }
  return false;
}

/**
 * FJCVTZS: JavaScript ToInt32 of a double (round toward zero, modulo 2^32);
 * Z is set when the conversion was exact and in range.
 */
function jcvt(s: A64State, rd: number, rn: number): boolean {
  const x = in64(readD(s, rn));
  let r = 0, exact = false;
  if (x !== x) fpStatus.flags |= FLAG_NV;
  else if (Math.abs(x) === Infinity) fpStatus.flags |= FLAG_NV;
  else {
    const t = Math.trunc(x);
    r = t | 0; // ToInt32: modulo 2^32, exact for every finite double
    const inRange = t >= -2147483648 && t <= 2147483647;
    exact = t === x && inRange && !(x === 0 && signOf64(x));
    if (!inRange) fpStatus.flags |= FLAG_NV;
    else if (t !== x) fpStatus.flags |= FLAG_NX;
  }
  setW(s, rd, r | 0);
  s.nzcv = exact ? 0x40000000 : 0;
  return true;
}
