/** Focused executeFp tests: encodings, illegal forms, NaN-boxing, register/flag side effects. */
import { describe, it, expect, beforeEach } from 'vitest';
import { AddressSpace } from '../../../src/memory/address-space.js';
import { Rv64State } from '../../../src/isa/riscv64/state.js';
import { executeFp } from '../../../src/isa/riscv64/fpu.js';

const s = new Rv64State(new AddressSpace(), 1);

const opfp = (f7: number, rs2: number, rs1: number, f3: number, rd: number) =>
  ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | 0x53) >>> 0;
const r4 = (opc: number, fmt: number, rs3: number, rs2: number, rs1: number, rm: number, rd: number) =>
  ((rs3 << 27) | (fmt << 25) | (rs2 << 20) | (rs1 << 15) | (rm << 12) | (rd << 7) | opc) >>> 0;

function setS(r: number, bits: number) { s.fbits[2 * r] = bits | 0; s.fbits[2 * r + 1] = -1; }
function setRaw(r: number, hi: number, lo: number) { s.fbits[2 * r] = lo | 0; s.fbits[2 * r + 1] = hi | 0; }
function getRaw(r: number): [number, number] { return [s.fbits[2 * r + 1] >>> 0, s.fbits[2 * r] >>> 0]; }
function getX(r: number): [number, number] { return [s.x[2 * r + 1] >>> 0, s.x[2 * r] >>> 0]; }

beforeEach(() => {
  s.fflags = 0; s.frm = 0;
  s.fbits.fill(0); s.x.fill(0);
});

describe('executeFp encodings', () => {
  it('fadd.s with static and dynamic rounding', () => {
    setS(1, 0x3f800000); setS(2, 0x33800001); // 1 + (2^-24 + tiny): above the tie
    expect(executeFp(s, opfp(0x00, 2, 1, 1, 3))).toBe(true); // RTZ
    expect(getRaw(3)).toEqual([0xffffffff, 0x3f800000]);
    expect(s.fflags).toBe(1);
    s.frm = 3; // RUP via rm=7
    expect(executeFp(s, opfp(0x00, 2, 1, 7, 3))).toBe(true);
    expect(getRaw(3)).toEqual([0xffffffff, 0x3f800001]);
  });

  it('rejects reserved rounding modes', () => {
    setS(1, 0x3f800000); setS(2, 0x3f800000);
    for (const rm of [5, 6]) {
      expect(executeFp(s, opfp(0x00, 2, 1, rm, 3))).toBe(false);
      expect(executeFp(s, opfp(0x01, 2, 1, rm, 3))).toBe(false);
      expect(executeFp(s, r4(0x43, 1, 2, 2, 1, rm, 3))).toBe(false);
      expect(executeFp(s, opfp(0x60, 0, 1, rm, 5))).toBe(false); // fcvt.w.s
      expect(executeFp(s, opfp(0x69, 2, 1, rm, 3))).toBe(false); // fcvt.d.l
      expect(executeFp(s, opfp(0x21, 0, 1, rm, 3))).toBe(false); // fcvt.d.s
    }
    for (const frm of [5, 6, 7]) {
      s.frm = frm;
      expect(executeFp(s, opfp(0x00, 2, 1, 7, 3))).toBe(false);
      expect(executeFp(s, opfp(0x2d, 0, 1, 7, 3))).toBe(false);
    }
    // funct3-as-function ops do not consult frm
    s.frm = 6;
    expect(executeFp(s, opfp(0x10, 2, 1, 0, 3))).toBe(true);
    expect(executeFp(s, opfp(0x14, 2, 1, 1, 3))).toBe(true);
    expect(executeFp(s, opfp(0x51, 2, 1, 2, 5))).toBe(true);
    expect(s.fflags).toBe(0);
  });

  it('rejects other illegal encodings', () => {
    const bad = [
      opfp(0x02, 2, 1, 0, 3),      // fadd.h (fmt=2)
      opfp(0x03, 2, 1, 0, 3),      // fadd.q
      opfp(0x2c, 1, 1, 0, 3),      // fsqrt.s rs2 != 0
      opfp(0x10, 2, 1, 3, 3),      // fsgnj funct3 = 3
      opfp(0x14, 2, 1, 2, 3),      // fmin/fmax funct3 = 2
      opfp(0x50, 2, 1, 3, 5),      // compare funct3 = 3
      opfp(0x60, 4, 1, 0, 5),      // fcvt.?.s rs2 = 4
      opfp(0x68, 5, 1, 0, 3),
      opfp(0x70, 0, 1, 2, 5),      // fmv.x.w/fclass funct3 = 2
      opfp(0x70, 1, 1, 0, 5),
      opfp(0x78, 0, 1, 1, 3),      // fmv.w.x funct3 != 0
      opfp(0x20, 0, 1, 0, 3),      // fcvt.s.s
      opfp(0x21, 1, 1, 0, 3),      // fcvt.d.d
      opfp(0x7f, 0, 1, 0, 3),
      r4(0x43, 2, 3, 2, 1, 0, 4),  // fmadd.h
      r4(0x4f, 3, 3, 2, 1, 0, 4),  // fnmadd.q
      0x00000013,                  // not an FP opcode
    ];
    for (const insn of bad) expect(executeFp(s, insn), insn.toString(16)).toBe(false);
  });

  it('never writes x0', () => {
    setS(1, 0x40400000);
    expect(executeFp(s, opfp(0x60, 0, 1, 0, 0))).toBe(true); // fcvt.w.s x0
    expect(executeFp(s, opfp(0x70, 0, 1, 0, 0))).toBe(true); // fmv.x.w x0
    expect(executeFp(s, opfp(0x70, 0, 1, 1, 0))).toBe(true); // fclass.s x0
    expect(executeFp(s, opfp(0x50, 1, 1, 2, 0))).toBe(true); // feq.s x0
    expect(getX(0)).toEqual([0, 0]);
  });

  it('does not touch the PC and accrues flags', () => {
    s.pc = 0x1234;
    s.fflags = 0x10;
    setS(1, 0x3f800000); setS(2, 0x40400000);
    expect(executeFp(s, opfp(0x0c, 2, 1, 0, 3))).toBe(true); // 1/3: NX
    expect(s.fflags).toBe(0x11);
    expect(s.pc).toBe(0x1234);
  });
});

describe('NaN boxing', () => {
  it('improperly boxed single operands read as the canonical NaN', () => {
    setRaw(1, 0x00000000, 0x3f800000); // not boxed
    setS(2, 0x3f800000);
    expect(executeFp(s, opfp(0x00, 2, 1, 0, 3))).toBe(true);
    expect(getRaw(3)).toEqual([0xffffffff, 0x7fc00000]);
    expect(s.fflags).toBe(0);
    // fsgnjn.s: canonical NaN with the sign of ~rs2
    expect(executeFp(s, opfp(0x10, 2, 1, 1, 3))).toBe(true);
    expect(getRaw(3)).toEqual([0xffffffff, 0xffc00000]);
    // fclass.s: quiet NaN
    expect(executeFp(s, opfp(0x70, 0, 1, 1, 5))).toBe(true);
    expect(getX(5)).toEqual([0, 0x200]);
    // fcvt.d.s: canonical double NaN, no NV
    expect(executeFp(s, opfp(0x21, 0, 1, 0, 3))).toBe(true);
    expect(getRaw(3)).toEqual([0x7ff80000, 0]);
    expect(s.fflags).toBe(0);
    // fmin.s(unboxed, 1.0) -> 1.0
    expect(executeFp(s, opfp(0x14, 2, 1, 0, 3))).toBe(true);
    expect(getRaw(3)).toEqual([0xffffffff, 0x3f800000]);
  });

  it('fmv.x.w ignores boxing and sign-extends; fmv.w.x boxes', () => {
    setRaw(1, 0x12345678, 0x80000001);
    expect(executeFp(s, opfp(0x70, 0, 1, 0, 5))).toBe(true);
    expect(getX(5)).toEqual([0xffffffff, 0x80000001]);
    s.x[12] = 0x7f800001; s.x[13] = 0x55555555;
    expect(executeFp(s, opfp(0x78, 0, 6, 0, 3))).toBe(true);
    expect(getRaw(3)).toEqual([0xffffffff, 0x7f800001]);
  });

  it('fmv.d.x / fmv.x.d move raw bits (sNaN payload preserved)', () => {
    s.x[12] = 1; s.x[13] = 0x7ff00000;
    expect(executeFp(s, opfp(0x79, 0, 6, 0, 3))).toBe(true);
    expect(getRaw(3)).toEqual([0x7ff00000, 1]);
    expect(executeFp(s, opfp(0x71, 0, 3, 0, 7))).toBe(true);
    expect(getX(7)).toEqual([0x7ff00000, 1]);
    // fsgnj.d keeps the payload too (no canonicalisation)
    expect(executeFp(s, opfp(0x11, 3, 3, 1, 4))).toBe(true);
    expect(getRaw(4)).toEqual([0xfff00000, 1]);
    expect(s.fflags).toBe(0);
  });

  it('single results are always boxed, double NaN results canonical', () => {
    setRaw(1, 0x7ff00000, 1); // sNaN
    expect(executeFp(s, opfp(0x20, 1, 1, 0, 3))).toBe(true); // fcvt.s.d
    expect(getRaw(3)).toEqual([0xffffffff, 0x7fc00000]);
    expect(s.fflags).toBe(0x10);
    setRaw(2, 0xfff80000, 0x1234); // negative qNaN with payload
    expect(executeFp(s, opfp(0x01, 2, 2, 0, 4))).toBe(true);
    expect(getRaw(4)).toEqual([0x7ff80000, 0]);
  });
});

describe('fused multiply-add variants', () => {
  it('fmsub/fnmsub/fnmadd signs', () => {
    const D = (r: number, v: number) => { s.fd[r] = v; };
    D(1, 2); D(2, 3); D(3, 1);
    const run = (opc: number) => { expect(executeFp(s, r4(opc, 1, 3, 2, 1, 0, 4))).toBe(true); return s.fd[4]; };
    expect(run(0x43)).toBe(7);
    expect(run(0x47)).toBe(5);
    expect(run(0x4b)).toBe(-5);
    expect(run(0x4f)).toBe(-7);
    // fnmadd(+0, x, +0) = -(0) - 0 = -0
    D(1, 0); D(3, 0);
    expect(Object.is(run(0x4f), -0)).toBe(true);
    expect(Object.is(run(0x4b), 0)).toBe(true);
  });
});
