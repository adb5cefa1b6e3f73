/**
 * MIPS32 Release 2 decoder (user-mode subset, FPU included), written from the
 * MIPS32 architecture manual's opcode tables (Vol. II, A.2). Produces the
 * plain-data records described in ops.ts.
 */
import { Op } from './ops.js';
import { SINK } from './state.js';

const xd = (r: number): number => (r === 0 ? SINK : r);

function put(out: Int32Array, i: number, op: number, rd: number, rs: number, rt: number, x: number, imm: number, imm2 = 0): number {
  out[i] = op;
  out[i + 1] = rd | (rs << 8) | (rt << 16) | (x << 24);
  out[i + 2] = imm;
  out[i + 3] = imm2;
  return op;
}

const ri = (out: Int32Array, i: number): number => put(out, i, Op.RI, 0, 0, 0, 0, 0);
const nop = (out: Int32Array, i: number): number => put(out, i, Op.NOP, 0, 0, 0, 0, 0);

/*
 * Op tables are functions, not top-level objects: the Op enum lives in
 * core.ts (see ops.ts), which imports this module, so nothing here may use
 * Op while modules are still being evaluated.
 */

/** SPECIAL (opcode 0) funct -> op for the plain three-register ALU group, or -1. */
function alu3(fn: number): number {
  switch (fn) {
    case 33: return Op.ADDU; case 32: return Op.ADD; case 35: return Op.SUBU; case 34: return Op.SUB;
    case 36: return Op.AND; case 37: return Op.OR; case 38: return Op.XOR; case 39: return Op.NOR;
    case 42: return Op.SLT; case 43: return Op.SLTU; case 10: return Op.MOVZ; case 11: return Op.MOVN;
    case 4: return Op.SLLV; case 7: return Op.SRAV;
    default: return -1;
  }
}
/** opcodes 4..7 and their likely forms 20..23 */
function branch2(opc: number): number {
  switch (opc) {
    case 4: return Op.BEQ; case 5: return Op.BNE; case 6: return Op.BLEZ; case 7: return Op.BGTZ;
    case 20: return Op.BEQL; case 21: return Op.BNEL; case 22: return Op.BLEZL; default: return Op.BGTZL;
  }
}
function loadOp(opc: number): number {
  switch (opc) {
    case 32: return Op.LB; case 33: return Op.LH; case 34: return Op.LWL; case 35: return Op.LW;
    case 36: return Op.LBU; case 37: return Op.LHU; case 38: return Op.LWR; default: return Op.LL;
  }
}
function storeOp(opc: number): number {
  switch (opc) {
    case 40: return Op.SB; case 41: return Op.SH; case 42: return Op.SWL; case 43: return Op.SW; default: return Op.SWR;
  }
}

/** Break code as Linux's do_bp computes it from the instruction word. */
export function breakCode(insn: number): number {
  let code = (insn >>> 6) & 0xfffff;
  if (code >= 1 << 10) code = ((code & 0x3ff) << 10) | (code >>> 10);
  return code;
}

/** True when the word is a branch or jump (has a delay slot). */
export function isBranch(insn: number): boolean {
  const opc = insn >>> 26;
  if (opc === 0) { const f = insn & 63; return f === 8 || f === 9; }
  if (opc === 1) { const rt = (insn >>> 16) & 31; return rt <= 3 || (rt >= 16 && rt <= 19); }
  if (opc >= 2 && opc <= 7) return true;
  if (opc >= 20 && opc <= 23) return true;
  if (opc === 17 && ((insn >>> 21) & 31) === 8) return true;
  return false;
}

/**
 * Decodes the instruction word `insn` (already in host order) located at
 * `pc` into `out[i..i+3]`; returns the op.
 */
export function decode(insn: number, pc: number, out: Int32Array, i: number): number {
  const opc = insn >>> 26;
  const rs = (insn >>> 21) & 31;
  const rt = (insn >>> 16) & 31;
  const rd = (insn >>> 11) & 31;
  const sa = (insn >>> 6) & 31;
  const simm = (insn << 16) >> 16;
  const uimm = insn & 0xffff;
  const btarget = (pc + 4 + (simm << 2)) | 0;
  switch (opc) {
    case 0: { // SPECIAL
      const fn = insn & 63;
      switch (fn) {
        case 0: // sll (nop, ssnop, ehb when rd = 0)
          if (rd === 0) return nop(out, i);
          if (rs !== 0) return ri(out, i);
          return sa === 0 ? put(out, i, Op.MOVE, rd, rt, 0, 0, 0) : put(out, i, Op.SLL, rd, 0, rt, sa, 0);
        case 2:
          if (rs > 1) return ri(out, i);
          if (rd === 0) return nop(out, i);
          return put(out, i, rs === 1 ? Op.ROTR : Op.SRL, rd, 0, rt, sa, 0);
        case 3:
          if (rs !== 0) return ri(out, i);
          if (rd === 0) return nop(out, i);
          return put(out, i, Op.SRA, rd, 0, rt, sa, 0);
        case 6:
          if (sa > 1) return ri(out, i);
          return put(out, i, sa === 1 ? Op.ROTRV : Op.SRLV, xd(rd), rs, rt, 0, 0);
        case 1: // movf / movt
          if ((insn >>> 17) & 1 || sa !== 0) return ri(out, i);
          return put(out, i, Op.MOVCI, xd(rd), rs, 0, (insn >>> 18) & 7, (insn >>> 16) & 1);
        case 8: return rt === 0 && rd === 0 ? put(out, i, Op.JR, 0, rs, 0, 0, 0) : ri(out, i);
        case 9: return rt === 0 ? put(out, i, Op.JALR, xd(rd), rs, 0, 0, 0) : ri(out, i);
        case 12: return put(out, i, Op.SYSCALL, 0, 0, 0, 0, (insn >>> 6) & 0xfffff);
        case 13: return put(out, i, Op.BREAK, 0, 0, 0, 0, breakCode(insn));
        case 15: return nop(out, i); // sync
        case 16: return put(out, i, Op.MFHI, xd(rd), 0, 0, 0, 0);
        case 17: return put(out, i, Op.MTHI, 0, rs, 0, 0, 0);
        case 18: return put(out, i, Op.MFLO, xd(rd), 0, 0, 0, 0);
        case 19: return put(out, i, Op.MTLO, 0, rs, 0, 0, 0);
        case 24: return put(out, i, Op.MULT, 0, rs, rt, 0, 0);
        case 25: return put(out, i, Op.MULTU, 0, rs, rt, 0, 0);
        case 26: return put(out, i, Op.DIV, 0, rs, rt, 0, 0);
        case 27: return put(out, i, Op.DIVU, 0, rs, rt, 0, 0);
        case 48: case 49: case 50: case 51: case 52: case 54:
          return put(out, i, Op.TRAP, 0, rs, rt, fn - 48, (insn >>> 6) & 0x3ff);
        case 33: case 37: // addu / or with $0 -> move
          if (rd === 0) return nop(out, i);
          if (rt === 0) return put(out, i, Op.MOVE, rd, rs, 0, 0, 0);
          if (rs === 0) return put(out, i, Op.MOVE, rd, rt, 0, 0, 0);
          return put(out, i, alu3(fn), rd, rs, rt, 0, 0);
        default: {
          const op = alu3(fn);
          if (op < 0) return ri(out, i);
          if (rd === 0 && op !== Op.ADD && op !== Op.SUB) return nop(out, i);
          return put(out, i, op, xd(rd), rs, rt, 0, 0);
        }
      }
    }
    case 1: { // REGIMM
      switch (rt) {
        case 0: return put(out, i, Op.BLTZ, 0, rs, 0, 0, btarget);
        case 1: return put(out, i, Op.BGEZ, 0, rs, 0, 0, btarget);
        case 2: return put(out, i, Op.BLTZL, 0, rs, 0, 0, btarget);
        case 3: return put(out, i, Op.BGEZL, 0, rs, 0, 0, btarget);
        case 16: return put(out, i, Op.BLTZAL, 31, rs, 0, 0, btarget);
        case 17: return put(out, i, Op.BGEZAL, 31, rs, 0, 0, btarget);
        case 18: return put(out, i, Op.BLTZALL, 31, rs, 0, 0, btarget);
        case 19: return put(out, i, Op.BGEZALL, 31, rs, 0, 0, btarget);
        case 8: case 9: case 10: case 11: case 12: case 14:
          return put(out, i, Op.TRAPI, 0, rs, 0, rt - 8, simm);
        case 31: return put(out, i, Op.SYNCI, 0, rs, 0, 0, simm);
        default: return ri(out, i);
      }
    }
    case 2: return put(out, i, Op.J, 0, 0, 0, 0, ((pc + 4) & 0xf0000000) | ((insn & 0x3ffffff) << 2));
    case 3: return put(out, i, Op.JAL, 31, 0, 0, 0, ((pc + 4) & 0xf0000000) | ((insn & 0x3ffffff) << 2));
    case 4: case 5: case 6: case 7:
      if (opc >= 6 && rt !== 0) return ri(out, i);
      return put(out, i, branch2(opc), 0, rs, rt, 0, btarget);
    case 20: case 21: case 22: case 23:
      if (opc >= 22 && rt !== 0) return ri(out, i);
      return put(out, i, branch2(opc), 0, rs, rt, 0, btarget);
    case 8: return put(out, i, Op.ADDI, xd(rt), rs, 0, 0, simm);
    case 9:
      if (rt === 0) return nop(out, i);
      return rs === 0 ? put(out, i, Op.LI, rt, 0, 0, 0, simm) : put(out, i, Op.ADDIU, rt, rs, 0, 0, simm);
    case 10: return rt === 0 ? nop(out, i) : put(out, i, Op.SLTI, rt, rs, 0, 0, simm);
    case 11: return rt === 0 ? nop(out, i) : put(out, i, Op.SLTIU, rt, rs, 0, 0, simm);
    case 12: return rt === 0 ? nop(out, i) : put(out, i, Op.ANDI, rt, rs, 0, 0, uimm);
    case 13:
      if (rt === 0) return nop(out, i);
      return rs === 0 ? put(out, i, Op.LI, rt, 0, 0, 0, uimm) : put(out, i, Op.ORI, rt, rs, 0, 0, uimm);
    case 14: return rt === 0 ? nop(out, i) : put(out, i, Op.XORI, rt, rs, 0, 0, uimm);
    case 15: return rt === 0 || rs !== 0 ? (rs !== 0 ? ri(out, i) : nop(out, i)) : put(out, i, Op.LI, rt, 0, 0, 0, uimm << 16);
    case 17: { // COP1
      if (rs === 8) { // BC1
        const nd = (insn >>> 17) & 1, tf = (insn >>> 16) & 1, cc = (insn >>> 18) & 7;
        const mask = cc === 0 ? 1 << 23 : 1 << (24 + cc);
        const op = nd ? (tf ? Op.BC1TL : Op.BC1FL) : (tf ? Op.BC1T : Op.BC1F);
        return put(out, i, op, 0, 0, 0, cc, btarget, mask);
      }
      return put(out, i, Op.FPU, 0, 0, 0, 0, insn);
    }
    case 19: { // COP1X
      const fn = insn & 63;
      switch (fn) {
        case 0: return put(out, i, Op.LWXC1, 0, rs, rt, sa, 0);
        case 1: return put(out, i, Op.LDXC1, 0, rs, rt, sa, 0);
        case 5: return put(out, i, Op.LUXC1, 0, rs, rt, sa, 0);
        case 8: return put(out, i, Op.SWXC1, 0, rs, rt, rd, 0);
        case 9: return put(out, i, Op.SDXC1, 0, rs, rt, rd, 0);
        case 13: return put(out, i, Op.SUXC1, 0, rs, rt, rd, 0);
        case 15: return nop(out, i); // prefx
        case 32: case 33: case 40: case 41: case 48: case 49: case 56: case 57:
          return put(out, i, Op.FPU, 0, 0, 0, 0, insn);
        default: return ri(out, i);
      }
    }
    case 28: { // SPECIAL2
      const fn = insn & 63;
      switch (fn) {
        case 0: return put(out, i, Op.MADD, 0, rs, rt, 0, 0);
        case 1: return put(out, i, Op.MADDU, 0, rs, rt, 0, 0);
        case 4: return put(out, i, Op.MSUB, 0, rs, rt, 0, 0);
        case 5: return put(out, i, Op.MSUBU, 0, rs, rt, 0, 0);
        case 2: return put(out, i, Op.MUL, xd(rd), rs, rt, 0, 0);
        case 32: return put(out, i, Op.CLZ, xd(rd), rs, 0, 0, 0);
        case 33: return put(out, i, Op.CLO, xd(rd), rs, 0, 0, 0);
        default: return ri(out, i);
      }
    }
    case 31: { // SPECIAL3
      const fn = insn & 63;
      switch (fn) {
        case 0: { // ext rt, rs, pos(sa), size = msbd(rd)+1
          const size = rd + 1;
          if (sa + size > 32) return ri(out, i); // UNPREDICTABLE: refuse
          return put(out, i, Op.EXT, xd(rt), rs, 0, sa, 0, size === 32 ? -1 : (1 << size) - 1);
        }
        case 4: { // ins rt, rs, pos(sa), size = msb(rd) - pos + 1
          const size = rd - sa + 1;
          if (size < 1) return ri(out, i);
          return put(out, i, Op.INS, xd(rt), rs, rt, sa, 0, (size === 32 ? -1 : (1 << size) - 1) << sa);
        }
        case 32:
          if (rs !== 0) return ri(out, i);
          switch (sa) {
            case 2: return put(out, i, Op.WSBH, xd(rd), 0, rt, 0, 0);
            case 16: return put(out, i, Op.SEB, xd(rd), 0, rt, 0, 0);
            case 24: return put(out, i, Op.SEH, xd(rd), 0, rt, 0, 0);
            default: return ri(out, i);
          }
        case 59: return rs === 0 ? put(out, i, Op.RDHWR, xd(rt), 0, 0, 0, rd) : ri(out, i);
        default: return ri(out, i);
      }
    }
    case 32: case 33: case 34: case 35: case 36: case 37: case 38: case 48: {
      // lwl/lwr merge with the old rt value: read it from rt, write to xd(rt)
      return put(out, i, loadOp(opc), xd(rt), rs, rt, 0, simm);
    }
    case 40: case 41: case 42: case 43: case 46:
      return put(out, i, storeOp(opc), 0, rs, rt, 0, simm);
    case 56: return put(out, i, Op.SC, xd(rt), rs, rt, 0, simm);
    case 49: return put(out, i, Op.LWC1, 0, rs, rt, 0, simm);
    case 53: return put(out, i, Op.LDC1, 0, rs, rt, 0, simm);
    case 57: return put(out, i, Op.SWC1, 0, rs, rt, 0, simm);
    case 61: return put(out, i, Op.SDC1, 0, rs, rt, 0, simm);
    case 51: return nop(out, i); // pref
    default: return ri(out, i); // COP0, COP2, cache, lwc2/ldc2/swc2/sdc2, MIPS64 opcodes ...
  }
}
