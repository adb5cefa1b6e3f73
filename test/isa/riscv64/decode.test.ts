import { describe, expect, it } from 'vitest';
import { decode } from '../../../src/isa/riscv64/decode.js';
import { X_SINK } from '../../../src/isa/riscv64/ops.js';
import { Op } from '../../../src/isa/riscv64/interp.js';

const PC = 0x10000;
type Row = [hex: number, asm: string, op: Op, rd: number, rs1: number, rs2: number, imm: number, imm2?: number];
// Encodings produced by riscv64-linux-gnu-as for the shown instruction.
const ROWS: Row[] = [
  // quadrant 0
  [0x1fe8, 'c.addi4spn a0,sp,1020', Op.ADDI, 10, 2, 0, 1020],
  [0x3ffc, 'c.fld fa5,248(a5)', Op.FLD, 15, 15, 0, 248],
  [0x5d64, 'c.lw s1,124(a0)', Op.LW, 9, 10, 0, 124],
  [0x7c70, 'c.ld a2,248(s0)', Op.LD, 12, 8, 0, 248],
  [0xa780, 'c.fsd fs0,8(a5)', Op.FSD, 0, 15, 8, 8],
  [0xc0bc, 'c.sw a5,64(s1)', Op.SW, 0, 9, 15, 64],
  [0xe2d8, 'c.sd a4,128(a3)', Op.SD, 0, 13, 14, 128],
  // quadrant 1
  [0x0001, 'c.nop', Op.NOP, 0, 0, 0, 0],
  [0x1301, 'c.addi t1,-32', Op.ADDI, 6, 6, 0, -32],
  [0x257d, 'c.addiw a0,31', Op.ADDIW, 10, 10, 0, 31],
  [0x597d, 'c.li s2,-1', Op.ADDI_Z, 18, 0, 0, -1],
  [0x7101, 'c.addi16sp sp,-512', Op.ADDI, 2, 2, 0, -512],
  [0x617d, 'c.addi16sp sp,496', Op.ADDI, 2, 2, 0, 496],
  [0x7281, 'c.lui t0,0xfffe0', Op.LI, 5, 0, 0, -131072, -1],
  [0x6285, 'c.lui t0,0x1', Op.LI, 5, 0, 0, 4096, 0],
  [0x93fd, 'c.srli a5,63', Op.SRLI_L, 15, 15, 0, 31],
  [0x8405, 'c.srai s0,1', Op.SRAI_S, 8, 8, 0, 1],
  [0x9981, 'c.andi a1,-32', Op.ANDI, 11, 11, 0, -32],
  [0x8c1d, 'c.sub s0,a5', Op.SUB, 8, 8, 15, 0],
  [0x8cb9, 'c.xor s1,a4', Op.XOR, 9, 9, 14, 0],
  [0x8d4d, 'c.or a0,a1', Op.OR, 10, 10, 11, 0],
  [0x8e75, 'c.and a2,a3', Op.AND, 12, 12, 13, 0],
  [0x9f1d, 'c.subw a4,a5', Op.SUBW, 14, 14, 15, 0],
  [0x9c25, 'c.addw s0,s1', Op.ADDW, 8, 8, 9, 0],
  [0xaffd, 'c.j .+2046', Op.JAL, -1, 0, 0, PC + 2046, PC + 2],
  [0xb001, 'c.j .-2048', Op.JAL, -1, 0, 0, PC - 2048, PC + 2],
  [0xcc7d, 'c.beqz s0,.+254', Op.BEQ, 0, 8, 0, PC + 254],
  [0xf381, 'c.bnez a5,.-256', Op.BNE, 0, 15, 0, PC - 256],
  // quadrant 2
  [0x1e7e, 'c.slli t3,63', Op.SLLI_L, 28, 28, 0, 31],
  [0x34fe, 'c.fldsp fs1,504(sp)', Op.FLD, 9, 2, 0, 504],
  [0x50fe, 'c.lwsp ra,252(sp)', Op.LW, 1, 2, 0, 252],
  [0x7ffe, 'c.ldsp t6,504(sp)', Op.LD, 31, 2, 0, 504],
  [0x8282, 'c.jr t0', Op.JALR, -1, 5, 0, 0],
  [0x857e, 'c.mv a0,t6', Op.MV, 10, 31, 0, 0],
  [0x9002, 'c.ebreak', Op.EBREAK, 0, 0, 0, 0],
  [0x9882, 'c.jalr a7', Op.JALR, 1, 17, 0, 0],
  [0x99d2, 'c.add s3,s4', Op.ADD, 19, 19, 20, 0],
  [0xbf86, 'c.fsdsp ft1,504(sp)', Op.FSD, 0, 2, 1, 504],
  [0xdf9e, 'c.swsp t2,252(sp)', Op.SW, 0, 2, 7, 252],
  [0xffd6, 'c.sdsp s5,504(sp)', Op.SD, 0, 2, 21, 504],
];

const ILLEGAL_C: [number, string][] = [
  [0x0000, 'all-zero parcel'], [0x0004, 'c.addi4spn with nzuimm=0'], [0x8000, 'quadrant 0 funct3=100'],
  [0x2001, 'c.addiw rd=x0'], [0x6101, 'c.addi16sp imm=0'], [0x6081, 'c.lui imm=0'], [0x4002, 'c.lwsp rd=x0'],
  [0x6002, 'c.ldsp rd=x0'], [0x8002, 'c.jr x0'], [0x9c41, 'reserved CA (funct2=10, bit12=1)'],
  [0x9c61, 'reserved CA (funct2=11, bit12=1)'],
];

const ILLEGAL_32: [number, string][] = [
  [0xffffffff, 'all ones'], [0x0000707f & ~0x70 | 0x3, 'LOAD funct3=7'], [0x00004023 | 0x4000, 'STORE funct3=4'],
  [0x00002063, 'BRANCH funct3=2'], [0x00001067, 'JALR funct3=1'], [0x40001013, 'SLLI with funct6=0x10'],
  [0x02000033 | (0x03 << 25), 'OP funct7=3'], [0x10500073, 'wfi (privileged)'], [0x30200073, 'mret'],
  [0x0000400f, 'MISC-MEM funct3=4'], [0x1010202f, 'lr.w with rs2!=0'], [0x2800202f, 'AMO funct5=0x05'],
  [0x0000102f, 'AMO funct3=1'], [0x00004007, 'LOAD-FP funct3=4'], [0x0000407b, 'custom-3'],
  [0x02001013 | (1 << 26) | (1 << 30), 'SRAI-ish with bad funct6'], [0x0200101b, 'SLLIW with shamt[5] set'],
];

describe('riscv64 decoder', () => {
  it.each(ROWS)('%s: %s', (hex, _asm, op, rd, rs1, rs2, imm, imm2) => {
    const out = new Int32Array(4);
    expect(decode(hex, PC, out, 0)).toBe(op);
    const f = out[1];
    const fp = op === Op.FLD || op === Op.FSD;
    const expRd = rd === -1 ? X_SINK : rd === 0 && !fp ? 0 : rd << 1;
    expect(f & 255).toBe(op === Op.NOP || op === Op.EBREAK || op === Op.BEQ || op === Op.BNE
      || op === Op.SD || op === Op.SW || op === Op.FSD ? 0 : expRd);
    if (op !== Op.NOP && op !== Op.LI && op !== Op.ADDI_Z && op !== Op.JAL) expect((f >>> 8) & 255).toBe(rs1 << 1);
    expect((f >>> 16) & 255).toBe(rs2 << 1);
    expect(f >>> 24).toBe(2);
    if (op !== Op.NOP) expect(out[2]).toBe(imm | 0);
    if (imm2 !== undefined) expect(out[3]).toBe(imm2 | 0);
  });

  it.each(ILLEGAL_C)('0x%s illegal: %s', (hex) => {
    const out = new Int32Array(4);
    expect(decode(hex, PC, out, 0)).toBe(Op.ILLEGAL);
    expect(out[1] >>> 24).toBe(2);
  });

  it.each(ILLEGAL_32)('0x%s illegal: %s', (hex) => {
    const out = new Int32Array(4);
    expect(decode(hex | 0, PC, out, 0)).toBe(Op.ILLEGAL);
    expect(out[1] >>> 24).toBe(4);
  });

  it('every compressed parcel decodes to a 2-byte record without throwing', () => {
    const out = new Int32Array(4);
    for (let h = 0; h < 0x10000; h++) {
      if ((h & 3) === 3) continue;
      const op = decode(h, PC, out, 0);
      expect(op).toBeGreaterThan(0);
      if ((out[1] >>> 24) !== 2) throw new Error(`bad len for 0x${h.toString(16)}`);
    }
  });

  it('x0 destinations never target register 0', () => {
    const out = new Int32Array(4);
    // add x0, a0, a1 ; jal x0 ; lw x0, 0(a0) ; csrrs x0, fflags, a0 ; amoadd.w x0, a1, (a0)
    for (const insn of [0x00b50033, 0x0000006f, 0x00052003, 0x00152073, 0x00b5202f]) {
      decode(insn, PC, out, 0);
      expect(out[1] & 255).not.toBe(0);
    }
  });
});
