/**
 * Decoded-instruction format of the RV64 tier-0 interpreter.
 *
 * Every instruction (32-bit or compressed) decodes to one record of four
 * int32 words, kept in a per-4KiB-page Int32Array with one record per
 * halfword offset (2048 records, record i at index 4*i):
 *
 *   [0] op    Op id below (0 = not decoded yet)
 *   [1] regs  rd | rs1 << 8 | rs2 << 16 | len << 24
 *             rd/rs1/rs2 are int32 indices into the register slot (2*reg for x,
 *             2*reg for f when the op works on f registers); rd of x0 is
 *             X_SINK so the interpreter never needs an `rd !== 0` test;
 *             len = 2 or 4 (instruction length in bytes)
 *   [2] imm   sign-extended immediate, absolute target for branches/JAL,
 *             CSR number for CSR ops, raw instruction word for FP_OP
 *   [3] imm2  extra: high word for LI (LUI/AUIPC result), uimm for CSR*I
 *
 * The format is plain data so that a later block translator can walk it.
 */

/** Int32 index of the write-only sink register (slot bytes 1016..1023). */
export const X_SINK = 254;

export const enum Op {
  UNDECODED = 0,
  ILLEGAL,
  NOP,
  LI, // rd = imm2:imm (LUI, AUIPC, C.LI, C.LUI)
  JAL, // rd = pc+len, pc = imm
  JALR,
  BEQ, BNE, BLT, BGE, BLTU, BGEU,
  LB, LH, LW, LD, LBU, LHU, LWU,
  SB, SH, SW, SD,
  ADDI, SLTI, SLTIU, XORI, ORI, ANDI,
  SLLI_S, SLLI_L, SRLI_S, SRLI_L, SRAI_S, SRAI_L, // _S: shamt 1..31, _L: 32..63
  ADD, SUB, SLL, SLT, SLTU, XOR, SRL, SRA, OR, AND,
  ADDIW, SLLIW, SRLIW, SRAIW,
  ADDW, SUBW, SLLW, SRLW, SRAW,
  MUL, MULH, MULHSU, MULHU, DIV, DIVU, REM, REMU,
  MULW, DIVW, DIVUW, REMW, REMUW,
  FENCE_I, ECALL, EBREAK,
  CSR, // imm = csr number, rs2 = funct3, imm2 = uimm for the I forms
  ATOMIC, // imm = funct5 | width << 5 (width 0 = W, 1 = D)
  FLW, FLD, FSW, FSD,
  FP_OP, // delegated to fpu.executeFp with imm = raw instruction
  MV, // rd = rs1
  ADDI_Z, // rd = sext(imm) (addi rd, x0, imm)
  SEXT_W, // addiw rd, rs, 0
}

/** Record stride in int32 words. */
export const REC = 4;
