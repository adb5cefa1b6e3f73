/**
 * RV64F / RV64D execution: OP-FP (0x53) and the fused multiply-add opcodes
 * (0x43 FMADD, 0x47 FMSUB, 0x4B FNMSUB, 0x4F FNMADD).
 *
 * executeFp() performs the instruction on the register file and fflags; it
 * does not touch the PC. It returns false for an illegal encoding (unknown
 * function, unsupported format, or a reserved rounding mode, including rm=7
 * while frm holds 5..7).
 *
 * binary32 operands are read NaN-boxed: an f register whose upper 32 bits are
 * not all ones reads as the canonical NaN (except for the fmv.x.w transfer).
 */
import type { Rv64State } from './state.js';
import {
  fpStatus, setNanPolicy, RISCV_NAN_POLICY,
  f64_add, f64_sub, f64_mul, f64_div, f64_sqrt, f64_fma, f64_min, f64_max, f64_eq, f64_lt, f64_le, f64_class,
  f32_add, f32_sub, f32_mul, f32_div, f32_sqrt, f32_fma, f32_min, f32_max, f32_eq, f32_lt, f32_le, f32_class,
  f64ToInt, f32ToInt, intOut, intToF64, intToF32, f64ToF32, f32ToF64,
} from '../softfloat/index.js';

const CANON32 = 0x7fc00000;

function readS(s: Rv64State, r: number): number {
  return s.fbits[2 * r + 1] === -1 ? s.fbits[2 * r] >>> 0 : CANON32;
}
function writeS(s: Rv64State, r: number, bits: number): void {
  s.fbits[2 * r] = bits | 0;
  s.fbits[2 * r + 1] = -1;
}
function writeD(s: Rv64State, r: number, v: number): void {
  if (v !== v) { // canonical NaN, independent of how the host materialised it
    s.fbits[2 * r] = 0;
    s.fbits[2 * r + 1] = 0x7ff80000;
  } else {
    s.fd[r] = v;
  }
}
function writeX(s: Rv64State, r: number, lo: number, hi: number): void {
  if (r !== 0) { s.x[2 * r] = lo; s.x[2 * r + 1] = hi; }
}
function writeXBool(s: Rv64State, r: number, v: boolean): void {
  if (r !== 0) { s.x[2 * r] = v ? 1 : 0; s.x[2 * r + 1] = 0; }
}

/** Resolve the instruction's rm field; -1 if reserved. */
function resolveRm(s: Rv64State, insn: number): number {
  let rm = (insn >>> 12) & 7;
  if (rm === 7) rm = s.frm;
  return rm <= 4 ? rm : -1;
}

export function executeFp(s: Rv64State, insn: number): boolean {
  setNanPolicy(RISCV_NAN_POLICY);
  fpStatus.flags = 0;
  const ok = exec(s, insn);
  if (ok) s.fflags |= fpStatus.flags;
  return ok;
}

function exec(s: Rv64State, insn: number): boolean {
  const opcode = insn & 0x7f;
  const rd = (insn >>> 7) & 31;
  const rs1 = (insn >>> 15) & 31;
  const rs2 = (insn >>> 20) & 31;
  const funct3 = (insn >>> 12) & 7;

  if (opcode !== 0x53) {
    if (opcode !== 0x43 && opcode !== 0x47 && opcode !== 0x4b && opcode !== 0x4f) return false;
    const fmt = (insn >>> 25) & 3;
    if (fmt > 1) return false;
    const rm = resolveRm(s, insn);
    if (rm < 0) return false;
    const rs3 = insn >>> 27;
    const negProd = opcode === 0x4b || opcode === 0x4f; // fnmsub, fnmadd
    const negAdd = opcode === 0x47 || opcode === 0x4f;  // fmsub, fnmadd
    if (fmt === 0) {
      let a = readS(s, rs1);
      let c = readS(s, rs3);
      if (negProd) a = (a ^ 0x80000000) >>> 0;
      if (negAdd) c = (c ^ 0x80000000) >>> 0;
      writeS(s, rd, f32_fma(a, readS(s, rs2), c, rm));
    } else {
      let a = s.fd[rs1];
      let c = s.fd[rs3];
      // NaNs are left as they are (host negation might quiet a signaling NaN)
      if (negProd && a === a) a = -a;
      if (negAdd && c === c) c = -c;
      writeD(s, rd, f64_fma(a, s.fd[rs2], c, rm));
    }
    return true;
  }

  const funct7 = insn >>> 25;
  let rm: number;
  switch (funct7) {
    // ---------------- binary32 ----------------
    case 0x00: case 0x04: case 0x08: case 0x0c: {
      if ((rm = resolveRm(s, insn)) < 0) return false;
      const a = readS(s, rs1), b = readS(s, rs2);
      let r: number;
      switch (funct7) {
        case 0x00: r = f32_add(a, b, rm); break;
        case 0x04: r = f32_sub(a, b, rm); break;
        case 0x08: r = f32_mul(a, b, rm); break;
        default: r = f32_div(a, b, rm); break;
      }
      writeS(s, rd, r);
      return true;
    }
    case 0x2c:
      if (rs2 !== 0 || (rm = resolveRm(s, insn)) < 0) return false;
      writeS(s, rd, f32_sqrt(readS(s, rs1), rm));
      return true;
    case 0x10: {
      const a = readS(s, rs1), b = readS(s, rs2);
      let r: number;
      if (funct3 === 0) r = (a & 0x7fffffff) | (b & 0x80000000);
      else if (funct3 === 1) r = (a & 0x7fffffff) | (~b & 0x80000000);
      else if (funct3 === 2) r = a ^ (b & 0x80000000);
      else return false;
      writeS(s, rd, r);
      return true;
    }
    case 0x14:
      if (funct3 > 1) return false;
      writeS(s, rd, funct3 === 0 ? f32_min(readS(s, rs1), readS(s, rs2)) : f32_max(readS(s, rs1), readS(s, rs2)));
      return true;
    case 0x50: {
      const a = readS(s, rs1), b = readS(s, rs2);
      if (funct3 === 2) writeXBool(s, rd, f32_eq(a, b));
      else if (funct3 === 1) writeXBool(s, rd, f32_lt(a, b));
      else if (funct3 === 0) writeXBool(s, rd, f32_le(a, b));
      else return false;
      return true;
    }
    case 0x60:
      if (rs2 > 3 || (rm = resolveRm(s, insn)) < 0) return false;
      f32ToInt(readS(s, rs1), rs2, rm);
      writeX(s, rd, intOut[0], intOut[1]);
      return true;
    case 0x68:
      if (rs2 > 3 || (rm = resolveRm(s, insn)) < 0) return false;
      writeS(s, rd, intToF32(s.x[2 * rs1], s.x[2 * rs1 + 1], rs2, rm));
      return true;
    case 0x70:
      if (rs2 !== 0) return false;
      if (funct3 === 0) { const lo = s.fbits[2 * rs1]; writeX(s, rd, lo, lo >> 31); return true; }
      if (funct3 === 1) { writeX(s, rd, f32_class(readS(s, rs1)), 0); return true; }
      return false;
    case 0x78:
      if (rs2 !== 0 || funct3 !== 0) return false;
      writeS(s, rd, s.x[2 * rs1]);
      return true;
    case 0x20:
      if (rs2 !== 1 || (rm = resolveRm(s, insn)) < 0) return false;
      writeS(s, rd, f64ToF32(s.fd[rs1], rm));
      return true;

    // ---------------- binary64 ----------------
    case 0x01: case 0x05: case 0x09: case 0x0d: {
      if ((rm = resolveRm(s, insn)) < 0) return false;
      const a = s.fd[rs1], b = s.fd[rs2];
      let r: number;
      switch (funct7) {
        case 0x01: r = f64_add(a, b, rm); break;
        case 0x05: r = f64_sub(a, b, rm); break;
        case 0x09: r = f64_mul(a, b, rm); break;
        default: r = f64_div(a, b, rm); break;
      }
      writeD(s, rd, r);
      return true;
    }
    case 0x2d:
      if (rs2 !== 0 || (rm = resolveRm(s, insn)) < 0) return false;
      writeD(s, rd, f64_sqrt(s.fd[rs1], rm));
      return true;
    case 0x11: {
      const f = s.fbits;
      const ahi = f[2 * rs1 + 1], alo = f[2 * rs1], bhi = f[2 * rs2 + 1];
      let hi: number;
      if (funct3 === 0) hi = (ahi & 0x7fffffff) | (bhi & 0x80000000);
      else if (funct3 === 1) hi = (ahi & 0x7fffffff) | (~bhi & 0x80000000);
      else if (funct3 === 2) hi = ahi ^ (bhi & 0x80000000);
      else return false;
      f[2 * rd] = alo;
      f[2 * rd + 1] = hi;
      return true;
    }
    case 0x15:
      if (funct3 > 1) return false;
      writeD(s, rd, funct3 === 0 ? f64_min(s.fd[rs1], s.fd[rs2]) : f64_max(s.fd[rs1], s.fd[rs2]));
      return true;
    case 0x51: {
      const a = s.fd[rs1], b = s.fd[rs2];
      if (funct3 === 2) writeXBool(s, rd, f64_eq(a, b));
      else if (funct3 === 1) writeXBool(s, rd, f64_lt(a, b));
      else if (funct3 === 0) writeXBool(s, rd, f64_le(a, b));
      else return false;
      return true;
    }
    case 0x61:
      if (rs2 > 3 || (rm = resolveRm(s, insn)) < 0) return false;
      f64ToInt(s.fd[rs1], rs2, rm);
      writeX(s, rd, intOut[0], intOut[1]);
      return true;
    case 0x69:
      if (rs2 > 3 || (rm = resolveRm(s, insn)) < 0) return false;
      writeD(s, rd, intToF64(s.x[2 * rs1], s.x[2 * rs1 + 1], rs2, rm));
      return true;
    case 0x71:
      if (rs2 !== 0) return false;
      if (funct3 === 0) { writeX(s, rd, s.fbits[2 * rs1], s.fbits[2 * rs1 + 1]); return true; }
      if (funct3 === 1) { writeX(s, rd, f64_class(s.fd[rs1]), 0); return true; }
      return false;
    case 0x79:
      if (rs2 !== 0 || funct3 !== 0) return false;
      s.fbits[2 * rd] = s.x[2 * rs1];
      s.fbits[2 * rd + 1] = s.x[2 * rs1 + 1];
      return true;
    case 0x21:
      if (rs2 !== 0 || (rm = resolveRm(s, insn)) < 0) return false;
      writeD(s, rd, f32ToF64(readS(s, rs1)));
      return true;
    default:
      return false;
  }
}
