/**
 * Decoded-instruction format of the MIPS32r2 tier-0 interpreter.
 *
 * Every instruction word decodes to one record of four int32 words, kept in a
 * per-4KiB-page Int32Array (1024 records, record of the word at page offset
 * `off` at index `off` — i.e. 4 int32 per 4-byte instruction):
 *
 *   [0] op    Op id below (0 = not decoded yet)
 *   [1] regs  rd | rs << 8 | rt << 16 | x << 24
 *             rd is an int32 index into the register slot: the destination
 *             (SINK when the destination is $0, so the interpreter never tests
 *             for $0); rs/rt are source GPR numbers (or FPR numbers for FP
 *             memory ops); x is an extra 8-bit field (shift amount, trap
 *             condition, FP condition-code number...)
 *   [2] imm   sign-extended immediate, absolute target for branches/jumps,
 *             raw instruction word for FPU
 *   [3] imm2  extra (EXT/INS size, trap immediate, FP cc mask)
 *
 * The format is plain data so that a later block translator (JS `new
 * Function`) can walk a page's records and emit straight-line code: every
 * branch/jump op is followed by its delay slot record.
 */

export const enum Op {
  UNDECODED = 0,
  RI, // reserved instruction -> SIGILL
  NOP,
  // ---- ALU immediate
  LI, // rd = imm (lui, addiu rd,$0,imm, ori rd,$0,imm)
  ADDIU, ADDI, SLTI, SLTIU, ANDI, ORI, XORI,
  // ---- ALU register
  MOVE, // rd = rs
  ADDU, ADD, SUBU, SUB, AND, OR, XOR, NOR, SLT, SLTU,
  SLL, SRL, SRA, ROTR, SLLV, SRLV, SRAV, ROTRV,
  MOVZ, MOVN, MOVCI, // movci: x = cc number, imm = 1 for movt, 0 for movf
  // ---- HI/LO and SPECIAL2
  MFHI, MTHI, MFLO, MTLO, MULT, MULTU, DIV, DIVU,
  MADD, MADDU, MSUB, MSUBU, MUL, CLZ, CLO,
  // ---- SPECIAL3
  EXT, INS, WSBH, SEB, SEH, RDHWR, // EXT/INS: x = pos, imm2 = field mask (EXT: unshifted, INS: shifted by pos); RDHWR: imm = hw reg
  // ---- control transfer (imm = absolute target; rd = link register for AL forms)
  J, JAL, JR, JALR,
  BEQ, BNE, BLEZ, BGTZ, BLTZ, BGEZ, BLTZAL, BGEZAL,
  BEQL, BNEL, BLEZL, BGTZL, BLTZL, BGEZL, BLTZALL, BGEZALL,
  BC1F, BC1T, BC1FL, BC1TL, // imm2 = FCSR bit mask of the condition code
  // ---- system
  SYSCALL, BREAK, // imm = break code as Linux computes it
  TRAP, // register compare; x = condition (TGE..TNE funct - 48), imm = code
  TRAPI, // immediate compare; x = condition (0 ge,1 geu,2 lt,3 ltu,4 eq,6 ne), imm = immediate
  SYNCI,
  // ---- memory
  LB, LBU, LH, LHU, LW, LWL, LWR, LL,
  SB, SH, SW, SWL, SWR, SC,
  LWC1, SWC1, LDC1, SDC1, // rt = FPR number
  LWXC1, SWXC1, LDXC1, SDXC1, LUXC1, SUXC1, // rs = base, rt = index, x = FPR number
  // ---- COP1 (everything else: moves, arithmetic, compares, conversions)
  FPU, // imm = raw instruction word, delegated to fpu.execCop1
}

/** Record stride in int32 words (one record per 4-byte instruction). */
export const REC = 4;
