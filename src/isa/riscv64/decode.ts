/**
 * RV64IMAC + Zicsr + Zifencei (+ F/D loads/stores, other FP delegated) decoder.
 * Written from the RISC-V unprivileged ISA manual: base opcode map, RVC
 * quadrant tables. Produces the plain-data records described in ops.ts.
 */
import { X_SINK } from './ops.js';
import { Op } from './interp.js';

const xd = (r: number): number => (r === 0 ? X_SINK : r << 1);

function put(out: Int32Array, i: number, op: number, rd: number, rs1: number, rs2: number, len: number, imm: number, imm2 = 0): number {
  out[i] = op;
  out[i + 1] = rd | (rs1 << 8) | (rs2 << 16) | (len << 24);
  out[i + 2] = imm;
  out[i + 3] = imm2;
  return op;
}

function illegal(out: Int32Array, i: number, len: number): number {
  return put(out, i, Op.ILLEGAL, 0, 0, 0, len, 0);
}

/** Writes a 64-bit constant load (value = pc-relative or absolute, as a JS number). */
function li64(out: Int32Array, i: number, rd: number, len: number, value: number): number {
  if (rd === 0) return put(out, i, Op.NOP, 0, 0, 0, len, 0);
  return put(out, i, Op.LI, rd << 1, 0, 0, len, value | 0, Math.floor(value / 4294967296) | 0);
}

function addi(out: Int32Array, i: number, rd: number, rs1: number, imm: number, len: number): number {
  if (rd === 0) return put(out, i, Op.NOP, 0, 0, 0, len, 0);
  if (rs1 === 0) return put(out, i, Op.ADDI_Z, rd << 1, 0, 0, len, imm, imm >> 31);
  if (imm === 0) return put(out, i, Op.MV, rd << 1, rs1 << 1, 0, len, 0);
  return put(out, i, Op.ADDI, rd << 1, rs1 << 1, 0, len, imm);
}

function shiftImm(out: Int32Array, i: number, kind: 0 | 1 | 2, rd: number, rs1: number, sh: number, len: number): number {
  if (rd === 0) return put(out, i, Op.NOP, 0, 0, 0, len, 0);
  if (sh === 0) return put(out, i, Op.MV, rd << 1, rs1 << 1, 0, len, 0);
  const base = kind === 0 ? Op.SLLI_S : kind === 1 ? Op.SRLI_S : Op.SRAI_S;
  const op = sh < 32 ? base : base + 1;
  return put(out, i, op, rd << 1, rs1 << 1, 0, len, sh & 31);
}

const OP_R: Record<number, Op> = {
  // key: funct7 << 3 | funct3
  [0x00 << 3 | 0]: Op.ADD, [0x20 << 3 | 0]: Op.SUB, [0x00 << 3 | 1]: Op.SLL, [0x00 << 3 | 2]: Op.SLT,
  [0x00 << 3 | 3]: Op.SLTU, [0x00 << 3 | 4]: Op.XOR, [0x00 << 3 | 5]: Op.SRL, [0x20 << 3 | 5]: Op.SRA,
  [0x00 << 3 | 6]: Op.OR, [0x00 << 3 | 7]: Op.AND,
  [0x01 << 3 | 0]: Op.MUL, [0x01 << 3 | 1]: Op.MULH, [0x01 << 3 | 2]: Op.MULHSU, [0x01 << 3 | 3]: Op.MULHU,
  [0x01 << 3 | 4]: Op.DIV, [0x01 << 3 | 5]: Op.DIVU, [0x01 << 3 | 6]: Op.REM, [0x01 << 3 | 7]: Op.REMU,
};
const OP_R32: Record<number, Op> = {
  [0x00 << 3 | 0]: Op.ADDW, [0x20 << 3 | 0]: Op.SUBW, [0x00 << 3 | 1]: Op.SLLW,
  [0x00 << 3 | 5]: Op.SRLW, [0x20 << 3 | 5]: Op.SRAW,
  [0x01 << 3 | 0]: Op.MULW, [0x01 << 3 | 4]: Op.DIVW, [0x01 << 3 | 5]: Op.DIVUW,
  [0x01 << 3 | 6]: Op.REMW, [0x01 << 3 | 7]: Op.REMUW,
};
const BRANCH = [Op.BEQ, Op.BNE, -1, -1, Op.BLT, Op.BGE, Op.BLTU, Op.BGEU];
const LOAD = [Op.LB, Op.LH, Op.LW, Op.LD, Op.LBU, Op.LHU, Op.LWU, -1];
const STORE = [Op.SB, Op.SH, Op.SW, Op.SD];
const OPIMM = [Op.ADDI, -1, Op.SLTI, Op.SLTIU, Op.XORI, -1, Op.ORI, Op.ANDI];
/** Valid AMO funct5 values. */
const AMO_OK = new Set([0x00, 0x01, 0x02, 0x03, 0x04, 0x08, 0x0c, 0x10, 0x14, 0x18, 0x1c]);

/**
 * Decodes the instruction `insn` (a 32-bit word, or a 16-bit parcel when its
 * low two bits are not 11) located at `pc` into `out[i..i+3]`; returns the op.
 */
export function decode(insn: number, pc: number, out: Int32Array, i: number): number {
  if ((insn & 3) !== 3) return decodeC(insn & 0xffff, pc, out, i);
  const opc = insn & 0x7f;
  const rd = (insn >>> 7) & 31;
  const f3 = (insn >>> 12) & 7;
  const rs1 = (insn >>> 15) & 31;
  const rs2 = (insn >>> 20) & 31;
  const f7 = insn >>> 25;
  const immI = insn >> 20;
  switch (opc) {
    case 0x37: return li64(out, i, rd, 4, insn & -4096);
    case 0x17: return li64(out, i, rd, 4, pc + (insn & -4096));
    case 0x6f: {
      const imm = ((insn >> 31) << 20) | (((insn >>> 12) & 255) << 12) | (((insn >>> 20) & 1) << 11) | (((insn >>> 21) & 1023) << 1);
      return put(out, i, Op.JAL, xd(rd), 0, 0, 4, (pc + imm) | 0, pc + 4);
    }
    case 0x67:
      if (f3 !== 0) return illegal(out, i, 4);
      return put(out, i, Op.JALR, xd(rd), rs1 << 1, 0, 4, immI);
    case 0x63: {
      const op = BRANCH[f3];
      if (op < 0) return illegal(out, i, 4);
      const imm = ((insn >> 31) << 12) | (((insn >>> 7) & 1) << 11) | (((insn >>> 25) & 63) << 5) | (((insn >>> 8) & 15) << 1);
      return put(out, i, op, 0, rs1 << 1, rs2 << 1, 4, (pc + imm) | 0);
    }
    case 0x03: {
      const op = LOAD[f3];
      if (op < 0) return illegal(out, i, 4);
      return put(out, i, op, xd(rd), rs1 << 1, 0, 4, immI);
    }
    case 0x23: {
      if (f3 > 3) return illegal(out, i, 4);
      const imm = ((insn >> 25) << 5) | ((insn >>> 7) & 31);
      return put(out, i, STORE[f3], 0, rs1 << 1, rs2 << 1, 4, imm);
    }
    case 0x13: {
      if (f3 === 1 || f3 === 5) {
        const f6 = insn >>> 26;
        const sh = (insn >>> 20) & 63;
        if (f3 === 1 && f6 !== 0) return illegal(out, i, 4);
        if (f3 === 5 && f6 !== 0 && f6 !== 0x10) return illegal(out, i, 4);
        return shiftImm(out, i, f3 === 1 ? 0 : f6 === 0 ? 1 : 2, rd, rs1, sh, 4);
      }
      if (f3 === 0) return addi(out, i, rd, rs1, immI, 4);
      if (rd === 0) return put(out, i, Op.NOP, 0, 0, 0, 4, 0);
      return put(out, i, OPIMM[f3], rd << 1, rs1 << 1, 0, 4, immI);
    }
    case 0x1b: {
      if (f3 === 0) {
        if (rd === 0) return put(out, i, Op.NOP, 0, 0, 0, 4, 0);
        if (immI === 0) return put(out, i, Op.SEXT_W, rd << 1, rs1 << 1, 0, 4, 0);
        return put(out, i, Op.ADDIW, rd << 1, rs1 << 1, 0, 4, immI);
      }
      const sh = (insn >>> 20) & 31;
      if (f3 === 1 && f7 === 0) return put(out, i, Op.SLLIW, xd(rd), rs1 << 1, 0, 4, sh);
      if (f3 === 5 && f7 === 0) return put(out, i, Op.SRLIW, xd(rd), rs1 << 1, 0, 4, sh);
      if (f3 === 5 && f7 === 0x20) return put(out, i, Op.SRAIW, xd(rd), rs1 << 1, 0, 4, sh);
      return illegal(out, i, 4);
    }
    case 0x33: {
      const op = OP_R[(f7 << 3) | f3];
      if (op === undefined) return illegal(out, i, 4);
      return put(out, i, op, xd(rd), rs1 << 1, rs2 << 1, 4, 0);
    }
    case 0x3b: {
      const op = OP_R32[(f7 << 3) | f3];
      if (op === undefined) return illegal(out, i, 4);
      return put(out, i, op, xd(rd), rs1 << 1, rs2 << 1, 4, 0);
    }
    case 0x0f:
      if (f3 === 0) return put(out, i, Op.NOP, 0, 0, 0, 4, 0);
      if (f3 === 1) return put(out, i, Op.FENCE_I, 0, 0, 0, 4, 0);
      return illegal(out, i, 4);
    case 0x73:
      if (f3 === 0) {
        if (insn === 0x00000073) return put(out, i, Op.ECALL, 0, 0, 0, 4, 0);
        if (insn === 0x00100073) return put(out, i, Op.EBREAK, 0, 0, 0, 4, 0);
        return illegal(out, i, 4);
      }
      if (f3 === 4) return illegal(out, i, 4);
      return put(out, i, Op.CSR, xd(rd), rs1 << 1, f3, 4, insn >>> 20, rs1);
    case 0x2f: {
      const f5 = insn >>> 27;
      if ((f3 !== 2 && f3 !== 3) || !AMO_OK.has(f5)) return illegal(out, i, 4);
      if (f5 === 0x02 && rs2 !== 0) return illegal(out, i, 4);
      return put(out, i, Op.ATOMIC, xd(rd), rs1 << 1, rs2 << 1, 4, f5 | ((f3 - 2) << 5));
    }
    case 0x07:
      if (f3 === 2) return put(out, i, Op.FLW, rd << 1, rs1 << 1, 0, 4, immI);
      if (f3 === 3) return put(out, i, Op.FLD, rd << 1, rs1 << 1, 0, 4, immI);
      return illegal(out, i, 4);
    case 0x27: {
      const imm = ((insn >> 25) << 5) | ((insn >>> 7) & 31);
      if (f3 === 2) return put(out, i, Op.FSW, 0, rs1 << 1, rs2 << 1, 4, imm);
      if (f3 === 3) return put(out, i, Op.FSD, 0, rs1 << 1, rs2 << 1, 4, imm);
      return illegal(out, i, 4);
    }
    case 0x53: case 0x43: case 0x47: case 0x4b: case 0x4f:
      return put(out, i, Op.FP_OP, 0, 0, 0, 4, insn | 0);
    default:
      return illegal(out, i, 4);
  }
}

const bit = (v: number, b: number): number => (v >>> b) & 1;

function decodeC(h: number, pc: number, out: Int32Array, i: number): number {
  const q = h & 3;
  const f3 = h >>> 13;
  const rdp = ((h >>> 2) & 7) + 8; // rd' / rs2'
  const rs1p = ((h >>> 7) & 7) + 8; // rs1' / rd'
  const rd = (h >>> 7) & 31;
  const rs2 = (h >>> 2) & 31;
  // CI-format 6-bit signed immediate: imm[5] = bit 12, imm[4:0] = bits 6:2
  const imm6 = ((bit(h, 12) << 31) >> 26) | ((h >>> 2) & 31);
  if (q === 0) {
    switch (f3) {
      case 0: {
        const nzuimm = (((h >>> 11) & 3) << 4) | (((h >>> 7) & 15) << 6) | (bit(h, 6) << 2) | (bit(h, 5) << 3);
        if (nzuimm === 0) return illegal(out, i, 2);
        return put(out, i, Op.ADDI, rdp << 1, 2 << 1, 0, 2, nzuimm);
      }
      case 1: case 3: case 5: case 7: {
        const uimm = (((h >>> 10) & 7) << 3) | (((h >>> 5) & 3) << 6);
        const op = f3 === 1 ? Op.FLD : f3 === 3 ? Op.LD : f3 === 5 ? Op.FSD : Op.SD;
        if (f3 === 1 || f3 === 3) return put(out, i, op, f3 === 3 ? rdp << 1 : rdp << 1, rs1p << 1, 0, 2, uimm);
        return put(out, i, op, 0, rs1p << 1, rdp << 1, 2, uimm);
      }
      case 2: case 6: {
        const uimm = (((h >>> 10) & 7) << 3) | (bit(h, 6) << 2) | (bit(h, 5) << 6);
        if (f3 === 2) return put(out, i, Op.LW, rdp << 1, rs1p << 1, 0, 2, uimm);
        return put(out, i, Op.SW, 0, rs1p << 1, rdp << 1, 2, uimm);
      }
      default:
        return illegal(out, i, 2);
    }
  }
  if (q === 1) {
    switch (f3) {
      case 0: return addi(out, i, rd, rd, imm6, 2); // C.NOP / C.ADDI (hints are no-ops)
      case 1:
        if (rd === 0) return illegal(out, i, 2);
        if (imm6 === 0) return put(out, i, Op.SEXT_W, rd << 1, rd << 1, 0, 2, 0);
        return put(out, i, Op.ADDIW, rd << 1, rd << 1, 0, 2, imm6);
      case 2: return addi(out, i, rd, 0, imm6, 2); // C.LI
      case 3:
        if (rd === 2) {
          const nz = ((bit(h, 12) << 31) >> 22) | (bit(h, 6) << 4) | (bit(h, 5) << 6) | (((h >>> 3) & 3) << 7) | (bit(h, 2) << 5);
          if (nz === 0) return illegal(out, i, 2);
          return put(out, i, Op.ADDI, 2 << 1, 2 << 1, 0, 2, nz);
        } else {
          if (imm6 === 0) return illegal(out, i, 2);
          return li64(out, i, rd, 2, imm6 << 12);
        }
      case 4: {
        const sub = (h >>> 10) & 3;
        if (sub === 0 || sub === 1) {
          const sh = (bit(h, 12) << 5) | ((h >>> 2) & 31);
          return shiftImm(out, i, sub === 0 ? 1 : 2, rs1p, rs1p, sh, 2);
        }
        if (sub === 2) return put(out, i, Op.ANDI, rs1p << 1, rs1p << 1, 0, 2, imm6);
        const f2 = (h >>> 5) & 3;
        let op: Op;
        if (bit(h, 12) === 0) op = [Op.SUB, Op.XOR, Op.OR, Op.AND][f2];
        else if (f2 === 0) op = Op.SUBW;
        else if (f2 === 1) op = Op.ADDW;
        else return illegal(out, i, 2);
        return put(out, i, op, rs1p << 1, rs1p << 1, rdp << 1, 2, 0);
      }
      case 5: {
        const off = ((bit(h, 12) << 31) >> 20) | (bit(h, 11) << 4) | (((h >>> 9) & 3) << 8) | (bit(h, 8) << 10)
          | (bit(h, 7) << 6) | (bit(h, 6) << 7) | (((h >>> 3) & 7) << 1) | (bit(h, 2) << 5);
        return put(out, i, Op.JAL, X_SINK, 0, 0, 2, (pc + off) | 0, pc + 2);
      }
      default: { // 6: C.BEQZ, 7: C.BNEZ
        const off = ((bit(h, 12) << 31) >> 23) | (((h >>> 10) & 3) << 3) | (((h >>> 5) & 3) << 6)
          | (((h >>> 3) & 3) << 1) | (bit(h, 2) << 5);
        return put(out, i, f3 === 6 ? Op.BEQ : Op.BNE, 0, rs1p << 1, 0, 2, (pc + off) | 0);
      }
    }
  }
  if (q === 2) {
    switch (f3) {
      case 0: {
        const sh = (bit(h, 12) << 5) | rs2;
        return shiftImm(out, i, 0, rd, rd, sh, 2);
      }
      case 1: case 3: {
        const uimm = (bit(h, 12) << 5) | (((h >>> 5) & 3) << 3) | (((h >>> 2) & 7) << 6);
        if (f3 === 1) return put(out, i, Op.FLD, rd << 1, 2 << 1, 0, 2, uimm);
        if (rd === 0) return illegal(out, i, 2);
        return put(out, i, Op.LD, rd << 1, 2 << 1, 0, 2, uimm);
      }
      case 2: {
        const uimm = (bit(h, 12) << 5) | (((h >>> 4) & 7) << 2) | (((h >>> 2) & 3) << 6);
        if (rd === 0) return illegal(out, i, 2);
        return put(out, i, Op.LW, rd << 1, 2 << 1, 0, 2, uimm);
      }
      case 4:
        if (bit(h, 12) === 0) {
          if (rs2 === 0) {
            if (rd === 0) return illegal(out, i, 2);
            return put(out, i, Op.JALR, X_SINK, rd << 1, 0, 2, 0); // C.JR
          }
          if (rd === 0) return put(out, i, Op.NOP, 0, 0, 0, 2, 0);
          return put(out, i, Op.MV, rd << 1, rs2 << 1, 0, 2, 0); // C.MV
        }
        if (rs2 === 0) {
          if (rd === 0) return put(out, i, Op.EBREAK, 0, 0, 0, 2, 0);
          return put(out, i, Op.JALR, 1 << 1, rd << 1, 0, 2, 0); // C.JALR
        }
        if (rd === 0) return put(out, i, Op.NOP, 0, 0, 0, 2, 0);
        return put(out, i, Op.ADD, rd << 1, rd << 1, rs2 << 1, 2, 0); // C.ADD
      case 5: case 7: {
        const uimm = (((h >>> 10) & 7) << 3) | (((h >>> 7) & 7) << 6);
        return put(out, i, f3 === 5 ? Op.FSD : Op.SD, 0, 2 << 1, rs2 << 1, 2, uimm);
      }
      default: { // 6: C.SWSP
        const uimm = (((h >>> 9) & 15) << 2) | (((h >>> 7) & 3) << 6);
        return put(out, i, Op.SW, 0, 2 << 1, rs2 << 1, 2, uimm);
      }
    }
  }
  return illegal(out, i, 2); // q === 3 never reaches here
}
