/** Direct unit tests of the MIPS core: faults, signals, delay slots, LL/SC, FPU corner cases. */
import { describe, expect, it } from 'vitest';
import { AddressSpace, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../../src/memory/address-space.js';
import { MipsCore, mipsCoreFactory, mipselCoreFactory } from '../../../src/isa/mips/core.js';
import { breakCode, isBranch } from '../../../src/isa/mips/decode.js';
import { StopKind, type Endian } from '../../../src/plugin/contracts.js';

const CODE = 0x400000, DATA = 0x500000, RO = 0x510000;

// ---- a tiny encoder -------------------------------------------------------
const R = (rs: number, rt: number, rd: number, sa: number, fn: number): number =>
  ((rs << 21) | (rt << 16) | (rd << 11) | (sa << 6) | fn) >>> 0;
const I = (op: number, rs: number, rt: number, imm: number): number => ((op << 26) | (rs << 21) | (rt << 16) | (imm & 0xffff)) >>> 0;
const nop = 0;
const add = (rd: number, rs: number, rt: number): number => R(rs, rt, rd, 0, 32);
const addu = (rd: number, rs: number, rt: number): number => R(rs, rt, rd, 0, 33);
const sub = (rd: number, rs: number, rt: number): number => R(rs, rt, rd, 0, 34);
const addi = (rt: number, rs: number, imm: number): number => I(8, rs, rt, imm);
const addiu = (rt: number, rs: number, imm: number): number => I(9, rs, rt, imm);
const lui = (rt: number, imm: number): number => I(15, 0, rt, imm);
const ori = (rt: number, rs: number, imm: number): number => I(13, rs, rt, imm);
const lw = (rt: number, base: number, off: number): number => I(35, base, rt, off);
const sw = (rt: number, base: number, off: number): number => I(43, base, rt, off);
const ll = (rt: number, base: number, off: number): number => I(48, base, rt, off);
const sc = (rt: number, base: number, off: number): number => I(56, base, rt, off);
const beq = (rs: number, rt: number, off: number): number => I(4, rs, rt, off);
const jr = (rs: number): number => R(rs, 0, 0, 0, 8);
const syscall = 0x0000000c;
const brk = (code: number): number => ((code << 16) | 13) >>> 0;
const teq = (rs: number, rt: number, code: number): number => R(rs, rt, 0, 0, 52) | (code << 6);
const teqi = (rs: number, imm: number): number => I(1, rs, 12, imm);
const div = (rs: number, rt: number): number => R(rs, rt, 0, 0, 26);
const divu = (rs: number, rt: number): number => R(rs, rt, 0, 0, 27);
const mfhi = (rd: number): number => R(0, 0, rd, 0, 16);
const mflo = (rd: number): number => R(0, 0, rd, 0, 18);
const rdhwr = (rt: number, rd: number): number => ((31 << 26) | (rt << 16) | (rd << 11) | 59) >>> 0;
const mtc1 = (rt: number, fs: number): number => ((17 << 26) | (4 << 21) | (rt << 16) | (fs << 11)) >>> 0;
const mfc1 = (rt: number, fs: number): number => ((17 << 26) | (0 << 21) | (rt << 16) | (fs << 11)) >>> 0;
const ctc1 = (rt: number, fs: number): number => ((17 << 26) | (6 << 21) | (rt << 16) | (fs << 11)) >>> 0;
const fop = (fmt: number, ft: number, fs: number, fd: number, fn: number): number =>
  ((17 << 26) | (fmt << 21) | (ft << 16) | (fs << 11) | (fd << 6) | fn) >>> 0;
const msubS = (fd: number, fr: number, fs: number, ft: number): number =>
  ((19 << 26) | (fr << 21) | (ft << 16) | (fs << 11) | (fd << 6) | 40) >>> 0;

function setup(words: number[], endian: Endian = 'little'): { mem: AddressSpace; core: MipsCore } {
  const mem = new AddressSpace();
  mem.mapPages(CODE, 0x1000, PROT_READ | PROT_EXEC);
  mem.mapPages(DATA, 0x2000, PROT_READ | PROT_WRITE);
  mem.mapPages(RO, 0x1000, PROT_READ);
  words.forEach((w, k) => mem.dv.setUint32(CODE + 4 * k, w, endian === 'little'));
  const core = (endian === 'little' ? mipselCoreFactory : mipsCoreFactory).create(mem, 1) as MipsCore;
  core.pc = CODE;
  return { mem, core };
}

describe('mips core: integer exceptions', () => {
  it('add/addi/sub overflow -> SIGFPE FPE_INTOVF, destination untouched', () => {
    for (const insn of [add(3, 1, 2), addi(3, 1, 1), sub(3, 4, 2)]) {
      const { core } = setup([insn]);
      core.setRegNum(1, 0x7fffffff); core.setRegNum(2, -1); core.setRegNum(4, 0x7fffffff); core.setRegNum(3, 55);
      if (insn === add(3, 1, 2)) core.setRegNum(2, 1);
      expect(core.run(10)).toBe(StopKind.Fault);
      expect(core.fault).toEqual({ signal: 'SIGFPE', code: 'FPE_INTOVF', addr: CODE, pc: CODE });
      expect(core.getRegLo(3)).toBe(55);
      expect(core.pc).toBe(CODE);
    }
  });
  it('break codes: 7 -> FPE_INTDIV, 6 -> FPE_INTOVF, others -> Breakpoint/TRAP_BRKPT', () => {
    let { core } = setup([brk(7)]);
    expect(core.run(10)).toBe(StopKind.Fault);
    expect(core.fault?.signal).toBe('SIGFPE'); expect(core.fault?.code).toBe('FPE_INTDIV');
    ({ core } = setup([brk(6)]));
    expect(core.run(10)).toBe(StopKind.Fault);
    expect(core.fault?.code).toBe('FPE_INTOVF');
    ({ core } = setup([nop, brk(0)]));
    expect(core.run(10)).toBe(StopKind.Breakpoint);
    expect(core.fault).toEqual({ signal: 'SIGTRAP', code: 'TRAP_BRKPT', addr: CODE + 4, pc: CODE + 4 });
    expect(core.pc).toBe(CODE + 4);
    expect(breakCode(brk(7))).toBe(7);
    expect(breakCode(0x0000000d | (5 << 6))).toBe(5);
  });
  it('traps: code 7 -> SIGFPE FPE_INTDIV, other codes and immediate forms -> SIGTRAP', () => {
    let { core } = setup([teq(0, 0, 7)]);
    expect(core.run(10)).toBe(StopKind.Fault);
    expect(core.fault?.code).toBe('FPE_INTDIV');
    ({ core } = setup([teq(1, 1, 0)]));
    expect(core.run(10)).toBe(StopKind.Fault);
    expect(core.fault?.signal).toBe('SIGTRAP');
    ({ core } = setup([teqi(0, 0)]));
    expect(core.run(10)).toBe(StopKind.Fault);
    expect(core.fault?.signal).toBe('SIGTRAP');
  });
  it('reserved instructions, COP0 and unknown rdhwr -> SIGILL SI_KERNEL without an address (as Linux do_ri)', () => {
    for (const insn of [0xfc000000, 0x40026000 /* mfc0 $2, $12 */, rdhwr(2, 5), 0x7c000000 | (31 << 11) | (4 << 6) /* ext size overflow */]) {
      const { core } = setup([insn]);
      expect(core.run(10)).toBe(StopKind.Fault);
      expect(core.fault).toEqual({ signal: 'SIGILL', code: 'SI_KERNEL', addr: 0, pc: CODE });
    }
  });
  it('div/divu by zero and INT_MIN/-1 leave LO = rs, HI = 0 (as qemu)', () => {
    const { core } = setup([div(1, 0), mfhi(3), mflo(4), div(2, 5), mfhi(6), mflo(7), divu(1, 0), mflo(8), mfhi(9)]);
    core.setRegNum(1, 1234); core.setRegNum(2, -0x80000000); core.setRegNum(5, -1); core.setRegNum(9, 77);
    core.run(9);
    expect([core.getRegLo(3), core.getRegLo(4), core.getRegLo(6), core.getRegLo(7), core.getRegLo(8), core.getRegLo(9)])
      .toEqual([0, 1234, 0, -0x80000000, 1234, 0]);
  });
});

describe('mips core: memory faults', () => {
  it('unmapped load -> SEGV_MAPERR with the data address; store to read-only -> SEGV_ACCERR', () => {
    let { core } = setup([lw(2, 1, 8)]);
    core.setRegNum(1, 0x600000);
    expect(core.run(10)).toBe(StopKind.Fault);
    expect(core.fault).toEqual({ signal: 'SIGSEGV', code: 'SEGV_MAPERR', addr: 0x600008, pc: CODE });
    ({ core } = setup([sw(2, 1, 0)]));
    core.setRegNum(1, RO);
    expect(core.run(10)).toBe(StopKind.Fault);
    expect(core.fault).toEqual({ signal: 'SIGSEGV', code: 'SEGV_ACCERR', addr: RO, pc: CODE });
  });
  it('kernel addresses (>= 0x80000000) -> SIGSEGV', () => {
    const { core } = setup([lw(2, 1, 0)]);
    core.setRegNum(1, 0x80001000);
    expect(core.run(10)).toBe(StopKind.Fault);
    expect(core.fault?.signal).toBe('SIGSEGV');
    expect(core.fault?.addr).toBe(0x80001000);
  });
  it('misaligned store straddling into an unmapped page faults at the second page', () => {
    const { core } = setup([sw(2, 1, 0)]);
    core.setRegNum(1, DATA + 0x2000 - 2);
    expect(core.run(10)).toBe(StopKind.Fault);
    expect(core.fault?.addr).toBe(DATA + 0x2000);
  });
  it('jump to a misaligned address -> SIGBUS BUS_ADRALN after the delay slot', () => {
    const { core } = setup([jr(1), addiu(2, 0, 9)]);
    core.setRegNum(1, CODE + 0x102);
    expect(core.run(10)).toBe(StopKind.Fault);
    expect(core.fault).toEqual({ signal: 'SIGBUS', code: 'BUS_ADRALN', addr: CODE + 0x102, pc: CODE + 0x102 });
    expect(core.getRegLo(2)).toBe(9);
  });
  it('fetch from a non-executable page -> SIGSEGV at the pc', () => {
    const { core } = setup([jr(1), nop]);
    core.setRegNum(1, DATA);
    expect(core.run(10)).toBe(StopKind.Fault);
    expect(core.fault).toEqual({ signal: 'SIGSEGV', code: 'SEGV_ACCERR', addr: DATA, pc: DATA });
  });
});

describe('mips core: delay slots', () => {
  it('a fault in a taken branch delay slot leaves pc at the branch (Cause.BD)', () => {
    const { core } = setup([nop, beq(0, 0, 10), lw(2, 1, 0)]);
    core.setRegNum(1, 0x600000);
    expect(core.run(10)).toBe(StopKind.Fault);
    expect(core.fault?.pc).toBe(CODE + 8);
    expect(core.pc).toBe(CODE + 4);
    // restart after fixing the base: the branch and its slot run again
    core.setRegNum(1, DATA);
    core.mem.dv.setInt32(DATA, 42, true);
    expect(core.run(2)).toBe(StopKind.Budget);
    expect(core.getRegLo(2)).toBe(42);
    expect(core.pc).toBe(CODE + 4 + 4 + 40);
  });
  it('run() never stops on the budget between a branch and its slot', () => {
    const { core } = setup([beq(0, 0, 10), addiu(2, 0, 5)]);
    expect(core.run(1)).toBe(StopKind.Budget);
    expect(core.getRegLo(2)).toBe(5);
    expect(core.pc).toBe(CODE + 4 + 40);
    expect(core.instret).toBe(2);
  });
  it('syscall stops at the instruction; pc += 4 continues; in a delay slot it continues at the target', () => {
    let { core } = setup([syscall, addiu(2, 0, 1)]);
    expect(core.run(10)).toBe(StopKind.Syscall);
    expect(core.pc).toBe(CODE);
    core.pc += 4;
    core.run(1);
    expect(core.getRegLo(2)).toBe(1);
    ({ core } = setup([beq(0, 0, 10), syscall]));
    expect(core.run(10)).toBe(StopKind.Syscall);
    expect(core.pc).toBe(CODE + 4);
    core.pc += 4;
    expect(core.pc).toBe(CODE + 4 + 40);
  });
});

describe('mips core: LL/SC', () => {
  it('sc fails after a syscall or an intervening store, succeeds otherwise', () => {
    const { core, mem } = setup([ll(2, 1, 0), sc(3, 1, 0), ll(2, 1, 0), syscall, sc(4, 1, 0), ll(2, 1, 0), sw(0, 1, 0), sc(5, 1, 0)]);
    core.setRegNum(1, DATA); core.setRegNum(3, 11); core.setRegNum(4, 22); core.setRegNum(5, 33);
    expect(core.run(100)).toBe(StopKind.Syscall);
    expect(core.getRegLo(3)).toBe(1);
    expect(mem.dv.getInt32(DATA, true)).toBe(11);
    core.pc += 4;
    core.run(5);
    expect(core.getRegLo(4)).toBe(0);
    expect(core.getRegLo(5)).toBe(0);
    expect(mem.dv.getInt32(DATA, true)).toBe(0);
  });
  it('sc fails when another thread changed the word', () => {
    const { core, mem } = setup([ll(2, 1, 0), nop, sc(3, 1, 0)]);
    core.setRegNum(1, DATA); core.setRegNum(3, 5);
    core.run(1);
    mem.dv.setInt32(DATA, 99, true);
    core.run(2);
    expect(core.getRegLo(3)).toBe(0);
  });
});

describe('mips core: big-endian memory', () => {
  it('lw/sw use guest byte order', () => {
    const { core, mem } = setup([lw(2, 1, 0), sw(2, 1, 4), addiu(3, 0, 0x1234), sw(3, 1, 8)], 'big');
    core.setRegNum(1, DATA);
    mem.u8.set([0x11, 0x22, 0x33, 0x44], DATA);
    core.run(4);
    expect(core.getRegLo(2)).toBe(0x11223344);
    expect([...mem.u8.subarray(DATA + 4, DATA + 12)]).toEqual([0x11, 0x22, 0x33, 0x44, 0, 0, 0x12, 0x34]);
  });
});

describe('mips core: FPU', () => {
  it('msub.s is not fused (two roundings)', () => {
    // a = 1 + 2^-12: a*a = 1 + 2^-11 + 2^-24 rounds (tie to even) to 1 + 2^-11; minus that = 0
    const a = 0x3f800800, c = 0x3f801000;
    const { core } = setup([lui(1, a >>> 16), ori(1, 1, a & 0xffff), mtc1(1, 2), lui(1, c >>> 16), ori(1, 1, c & 0xffff), mtc1(1, 4),
      msubS(6, 4, 2, 2), mfc1(5, 6)]);
    core.run(8);
    expect(core.getRegLo(5)).toBe(0);
  });
  it('an enabled FP exception traps with SIGFPE and leaves fd alone', () => {
    const { core } = setup([addiu(1, 0, 1 << 11) /* enable V */, ctc1(1, 31), mtc1(0, 2), addiu(3, 0, 7), mtc1(3, 6),
      fop(16, 2, 2, 6, 3) /* div.s $f6, $f2, $f2 */]);
    expect(core.run(10)).toBe(StopKind.Fault);
    expect(core.fault).toEqual({ signal: 'SIGFPE', code: 'FPE_FLTINV', addr: CODE + 20, pc: CODE + 20 });
    expect(core.getFpr32(6)).toBe(7);
    expect((core.fcsr >>> 12) & 63).toBe(16); // cause V
  });
  it('cvt.l.d is reserved in FR=0; setFpuMode moves registers between layouts', () => {
    const { core } = setup([fop(17, 0, 2, 4, 37)]);
    core.setFprWords(2, 0, 0x40000000);
    core.setFpuMode({ fr: 0 });
    expect(core.getFprWords(2)).toEqual({ lo: 0, hi: 0 });
    core.setFpr32(2, 5); core.setFpr32(3, 6);
    expect(core.getFprWords(2)).toEqual({ lo: 5, hi: 6 });
    expect(core.run(1)).toBe(StopKind.Fault);
    expect(core.fault?.signal).toBe('SIGILL');
    core.setFpuMode({ fr: 1 });
    expect(core.getFpr32(2)).toBe(5);
    expect(core.getFpr32(3)).toBe(6);
    expect(core.getFpuMode()).toEqual({ fr: 1, nan2008: false });
  });
  it('NaN2008 mode: FCSR shows NAN2008/ABS2008 and invalid cvt.w of NaN gives 0', () => {
    const { core } = setup([lui(1, 0x7fc0), mtc1(1, 2), fop(16, 0, 2, 4, 36) /* cvt.w.s */, mfc1(5, 4)]);
    core.setFpuMode({ nan2008: true });
    expect((core.fcsr >>> 18) & 3).toBe(3);
    core.run(4);
    expect(core.getRegLo(5)).toBe(0);
  });
});

describe('mips core: misc', () => {
  it('rdhwr $29 returns the thread pointer; HI/LO and copyStateFrom', () => {
    const { core, mem } = setup([rdhwr(3, 29)]);
    core.setThreadPointer(0x7ff01234n);
    core.run(1);
    expect(core.getRegLo(3)).toBe(0x7ff01234);
    core.hi = 5; core.lo = -6;
    const other = new MipsCore(mem, 2, { endian: 'little' });
    other.copyStateFrom(core);
    expect([other.hi, other.lo, other.pc, other.getRegLo(3), other.threadPointer]).toEqual([5, -6, CODE + 4, 0x7ff01234, 0x7ff01234]);
    expect(core.getReg(3)).toBe(0x7ff01234n);
  });
  it('isBranch recognises control-transfer instructions', () => {
    expect(isBranch(beq(0, 0, 1))).toBe(true);
    expect(isBranch(jr(31))).toBe(true);
    expect(isBranch(0x04110000)).toBe(true); // bal
    expect(isBranch(addu(1, 2, 3))).toBe(false);
    expect(isBranch(teqi(0, 0))).toBe(false);
  });
  it('invalidateCode drops decoded instructions', () => {
    const { core, mem } = setup([addiu(2, 0, 1), jr(31), nop]);
    core.setRegNum(31, CODE);
    core.run(3);
    expect(core.getRegLo(2)).toBe(1);
    mem.dv.setUint32(CODE, addiu(2, 0, 2), true);
    core.invalidateCode(CODE, CODE + 4);
    core.run(1);
    expect(core.getRegLo(2)).toBe(2);
  });
});
