/**
 * AdvSIMD data movement: copy (DUP, INS, UMOV, SMOV), modified immediate
 * (MOVI, MVNI, ORR, BIC, FMOV vector), permutes (UZP, TRN, ZIP), EXT and
 * table lookups (TBL, TBX).
 */
import type { A64State } from './state.js';
import { t8, t32, u8, i8, i16, u16, w, commit, load } from './simd-lanes.js';
import { xlo, xhi, setX, setW } from './simd-regs.js';
import { expandImm32, expandImm64Hi } from './fp-scalar.js';

/** Copy lane si of V src into lane di of the scratch register (element size sz). */
function copyLane(di: number, src: number, si: number, sz: number): void {
  const eb = 1 << sz, so = 16 * src + si * eb, dd = di * eb;
  for (let b = 0; b < eb; b++) t8[dd + b] = u8[so + b];
}

/** AdvSIMD copy: 0 Q op 01110000 imm5 0 imm4 1 Rn Rd (and the scalar DUP when `scalar`). */
export function copy(s: A64State, insn: number, scalar: boolean): boolean {
  const Q = (insn >>> 30) & 1, op = (insn >>> 29) & 1;
  const imm5 = (insn >>> 16) & 31, imm4 = (insn >>> 11) & 15;
  const rd = insn & 31, rn = (insn >>> 5) & 31;
  if ((imm5 & 15) === 0) return false;
  const sz = 31 - Math.clz32(imm5 & -imm5);
  const idx = imm5 >>> (sz + 1);
  if (scalar) {
    if (op || imm4 !== 0) return false;
    t32[0] = 0; t32[1] = 0;
    copyLane(0, rn, idx, sz);
    commit(rd, 1 << sz);
    return true;
  }
  if (op === 1) { // INS (element)
    if (!Q) return false;
    load(rd);
    copyLane(idx, rn, imm4 >>> sz, sz);
    commit(rd, 16);
    return true;
  }
  const bytes = Q ? 16 : 8, nelem = bytes >> sz;
  switch (imm4) {
    case 0: // DUP (element)
      if (sz === 3 && !Q) return false;
      for (let i = 0; i < nelem; i++) copyLane(i, rn, idx, sz);
      commit(rd, bytes);
      return true;
    case 1: { // DUP (general)
      if (sz === 3 && !Q) return false;
      const lo = xlo(s, rn), hi = xhi(s, rn);
      for (let i = 0; i < (bytes >> 2); i++) {
        switch (sz) {
          case 0: t32[i] = (lo & 0xff) * 0x01010101; break;
          case 1: t32[i] = (lo & 0xffff) * 0x10001; break;
          case 2: t32[i] = lo; break;
          default: t32[i] = i & 1 ? hi : lo; break;
        }
      }
      commit(rd, bytes);
      return true;
    }
    case 3: { // INS (general)
      if (!Q) return false;
      load(rd);
      const lo = xlo(s, rn), hi = xhi(s, rn);
      switch (sz) {
        case 0: t8[idx] = lo; break;
        case 1: t8[2 * idx] = lo; t8[2 * idx + 1] = lo >>> 8; break;
        case 2: t32[idx] = lo; break;
        default: t32[2 * idx] = lo; t32[2 * idx + 1] = hi; break;
      }
      commit(rd, 16);
      return true;
    }
    case 5: { // SMOV
      if (sz === 3 || (sz === 2 && !Q)) return false;
      const v = sz === 0 ? i8[16 * rn + idx] : sz === 1 ? i16[8 * rn + idx] : w[4 * rn + idx];
      if (Q) setX(s, rd, v, v >> 31); else setW(s, rd, v);
      return true;
    }
    case 7: { // UMOV
      if (Q ? sz !== 3 : sz === 3) return false;
      if (sz === 3) setX(s, rd, w[4 * rn + 2 * idx], w[4 * rn + 2 * idx + 1]);
      else setW(s, rd, sz === 0 ? u8[16 * rn + idx] : sz === 1 ? u16[8 * rn + idx] : w[4 * rn + idx]);
      return true;
    }
  }
  return false;
}

/** AdvSIMD modified immediate: 0 Q op 0111100000 abc cmode o2 1 defgh Rd. */
export function modImm(insn: number): boolean {
  const Q = (insn >>> 30) & 1, op = (insn >>> 29) & 1, cmode = (insn >>> 12) & 15;
  const rd = insn & 31;
  if (insn & 0x800) return false; // o2 (FMOV half precision)
  const imm8 = (((insn >>> 16) & 7) << 5) | ((insn >>> 5) & 31);
  let lo: number, hi: number;
  let kind = 0; // 0 move, 1 ORR, 2 BIC
  switch (cmode >>> 1) {
    case 0: case 1: case 2: case 3: lo = hi = imm8 << (8 * (cmode >>> 1)); break;
    case 4: case 5: lo = hi = ((imm8 << (8 * ((cmode >>> 1) & 1))) & 0xffff) * 0x10001; break;
    case 6: lo = hi = cmode & 1 ? (imm8 << 16) | 0xffff : (imm8 << 8) | 0xff; break;
    default:
      if ((cmode & 1) === 0) {
        if (op === 0) lo = hi = imm8 * 0x01010101;
        else {
          lo = 0; hi = 0;
          for (let b = 0; b < 4; b++) { if ((imm8 >>> b) & 1) lo |= 0xff << (8 * b); if ((imm8 >>> (b + 4)) & 1) hi |= 0xff << (8 * b); }
        }
      } else if (op === 0) lo = hi = expandImm32(imm8) | 0;
      else { if (!Q) return false; lo = 0; hi = expandImm64Hi(imm8); }
      break;
  }
  const orrBic = (cmode < 8 && (cmode & 1) === 1) || (cmode >= 8 && cmode < 12 && (cmode & 1) === 1);
  if (orrBic) kind = op ? 2 : 1;
  else if (op && cmode < 14) { lo = ~lo; hi = ~hi; }
  const bytes = Q ? 16 : 8;
  for (let k = 0; k < bytes >> 2; k++) {
    const v = k & 1 ? hi : lo, old = w[4 * rd + k];
    t32[k] = kind === 0 ? v : kind === 1 ? old | v : old & ~v;
  }
  commit(rd, bytes);
  return true;
}

/** UZP1/2, TRN1/2, ZIP1/2: 0 Q 001110 size 0 Rm 0 opcode 10 Rn Rd. */
export function permute(insn: number): boolean {
  const Q = (insn >>> 30) & 1, sz = (insn >>> 22) & 3, op = (insn >>> 12) & 7;
  const rd = insn & 31, rn = (insn >>> 5) & 31, rm = (insn >>> 16) & 31;
  if ((sz === 3 && !Q) || (op & 3) === 0) return false;
  const bytes = Q ? 16 : 8, nelem = bytes >> sz, half = nelem >> 1, part = op >>> 2;
  for (let i = 0; i < nelem; i++) {
    switch (op & 3) {
      case 1: { const k = 2 * i + part; copyLane(i, k < nelem ? rn : rm, k < nelem ? k : k - nelem, sz); break; }
      case 2: copyLane(i, i & 1 ? rm : rn, (i & ~1) + part, sz); break;
      default: copyLane(i, i & 1 ? rm : rn, part * half + (i >> 1), sz); break;
    }
  }
  commit(rd, bytes);
  return true;
}

/** EXT: 0 Q 101110 00 0 Rm 0 imm4 0 Rn Rd. */
export function ext(insn: number): boolean {
  const Q = (insn >>> 30) & 1, imm4 = (insn >>> 11) & 15;
  const rd = insn & 31, rn = (insn >>> 5) & 31, rm = (insn >>> 16) & 31;
  if (!Q && imm4 >= 8) return false;
  const bytes = Q ? 16 : 8;
  for (let i = 0; i < bytes; i++) {
    const p = imm4 + i;
    t8[i] = p < bytes ? u8[16 * rn + p] : u8[16 * rm + p - bytes];
  }
  commit(rd, bytes);
  return true;
}

/** TBL/TBX: 0 Q 001110 00 0 Rm 0 len op 00 Rn Rd. */
export function tbl(insn: number): boolean {
  const Q = (insn >>> 30) & 1, len = (insn >>> 13) & 3, tbx = (insn >>> 12) & 1;
  const rd = insn & 31, rn = (insn >>> 5) & 31, rm = (insn >>> 16) & 31;
  const bytes = Q ? 16 : 8, limit = 16 * (len + 1);
  for (let i = 0; i < bytes; i++) {
    const x = u8[16 * rm + i];
    t8[i] = x < limit ? u8[16 * ((rn + (x >>> 4)) & 31) + (x & 15)] : tbx ? u8[16 * rd + i] : 0;
  }
  commit(rd, bytes);
  return true;
}
