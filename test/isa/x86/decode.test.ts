// x86 decoder edge cases on hand-encoded instructions (Intel SDM vol. 2 encodings):
// prefixes, REX (and a REX that is not last), byte registers with and without REX,
// 32-bit writes zero-extending, ModRM/SIB forms, RIP-relative addressing relative
// to the end of the instruction (after its immediate), exact 64-bit LEA, LOCK, and
// the faults Linux turns into signals (UD2 -> SIGILL at the instruction, HLT -> SIGSEGV,
// INT3 -> SIGTRAP after it, fetch from an unmapped page -> SEGV_MAPERR).
// The ALU flags of every operation are checked against the host CPU by the aluflags
// fixture (test/integration/x86_64-programs.test.ts).
import { describe, expect, it } from 'vitest';
import { AddressSpace, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../../src/memory/address-space.js';
import { StopKind } from '../../../src/plugin/contracts.js';
import { X86Core } from '../../../src/isa/x86/core.js';

const CODE = 0x400000;
const DATA = 0x500000;

function setup(bytes: number[], isa: 'x86_64' | 'i386' = 'x86_64'): X86Core {
  const mem = new AddressSpace();
  mem.mapPages(CODE, 4096, PROT_READ | PROT_WRITE);
  mem.u8.set(bytes, CODE);
  mem.protectPages(CODE, 4096, PROT_READ | PROT_EXEC);
  mem.mapPages(DATA, 4096, PROT_READ | PROT_WRITE);
  const core = new X86Core(mem, 1, isa);
  core.pc = CODE;
  return core;
}
const le32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
const le64 = (v: bigint): number[] => [...le32(Number(v & 0xffffffffn)), ...le32(Number(v >> 32n))];

describe('x86 decoder', () => {
  it('REX.W MOV imm64, and a 32-bit write zero-extends into the full register', () => {
    const c = setup([0x48, 0xb8, ...le64(0x1122334455667788n), 0x48, 0xc7, 0xc1, 0xff, 0xff, 0xff, 0xff, 0xb9, 1, 0, 0, 0]);
    c.run(2);
    expect(c.getReg(0)).toBe(0x1122334455667788n);
    expect(c.getReg(1)).toBe(0xffffffffffffffffn); // imm32 sign-extended to 64 bits
    c.run(1);
    expect(c.getReg(1)).toBe(1n);
  });

  it('byte registers: AH without REX, SPL with REX; 66 makes a 16-bit write that keeps the rest', () => {
    const c = setup([0xb4, 0x12, 0x40, 0xb4, 0x34, 0x66, 0xbb, 0xcd, 0xab]);
    c.setReg(0, 0xffffffffffffffffn);
    c.setReg(4, 0x1000n);
    c.setReg(3, 0x1111111111111111n);
    c.run(3);
    expect(c.getReg(0)).toBe(0xffffffffffff12ffn);
    expect(c.getReg(4)).toBe(0x1034n);
    expect(c.getReg(3)).toBe(0x111111111111abcdn);
  });

  it('a REX followed by another prefix is ignored (66 then decides the size)', () => {
    const c = setup([0x48, 0x66, 0xb8, 0x34, 0x12]);
    c.setReg(0, 0xffffffffffffffffn);
    c.run(1);
    expect(c.getReg(0)).toBe(0xffffffffffff1234n);
    expect(c.pc).toBe(CODE + 5);
  });

  it('RIP-relative operands are relative to the end of the instruction, immediate included', () => {
    // mov qword [rip+d], 0x7f  (48 c7 05 d32 imm32: 11 bytes), then mov rax, [rip+d2] (48 8b 05 d32: 7 bytes)
    const d1 = DATA - (CODE + 11);
    const d2 = DATA - (CODE + 11 + 7);
    const c = setup([0x48, 0xc7, 0x05, ...le32(d1), ...le32(0x7f), 0x48, 0x8b, 0x05, ...le32(d2)]);
    c.run(2);
    expect(c.mem.dv.getBigUint64(DATA, true)).toBe(0x7fn);
    expect(c.getReg(0)).toBe(0x7fn);
  });

  it('SIB without a base (mod 00, base 101): index*scale + disp32; REX.X and REX.B extend index and base', () => {
    const c = setup([0x8b, 0x04, 0x8d, ...le32(DATA), 0x43, 0x8b, 0x04, 0x80]);
    c.mem.dv.setUint32(DATA + 8, 0xdeadbeef, true);
    c.setReg(1, 2n);
    c.run(1);
    expect(c.getReg(0)).toBe(0xdeadbeefn);
    c.setReg(8, 1n); // r8 = index (REX.X), r8 = base (REX.B): [r8 + r8*4] = 5
    c.mem.dv.setUint32(5, 0, true); // unmapped: expect a fault at the address
    const stop = c.run(1);
    expect(stop).toBe(StopKind.Fault);
    expect(c.fault).toMatchObject({ signal: 'SIGSEGV', code: 'SEGV_MAPERR', addr: 5, pc: CODE + 7 });
  });

  it('LEA computes on full 64-bit values', () => {
    const c = setup([0x48, 0x8d, 0x04, 0x46]); // lea rax, [rsi + rax*2]
    c.setReg(6, 0x8000000000000123n);
    c.setReg(0, 0x4000000000000001n);
    c.run(1);
    expect(c.getReg(0)).toBe((0x8000000000000123n + 0x4000000000000001n * 2n) & 0xffffffffffffffffn);
  });

  it('LOCK CMPXCHG on memory: equal stores and sets ZF, different loads rax', () => {
    const c = setup([0xf0, 0x48, 0x0f, 0xb1, 0x0c, 0x25, ...le32(DATA), 0xf0, 0x48, 0x0f, 0xb1, 0x0c, 0x25, ...le32(DATA)]);
    c.mem.dv.setBigUint64(DATA, 5n, true);
    c.setReg(0, 5n);
    c.setReg(1, 9n);
    c.run(1);
    expect(c.mem.dv.getBigUint64(DATA, true)).toBe(9n);
    expect(c.s.flags & 0x40).toBe(0x40);
    c.run(1);
    expect(c.getReg(0)).toBe(9n);
    expect(c.s.flags & 0x40).toBe(0);
  });

  it('UD2 is SIGILL at the instruction; HLT is SIGSEGV; INT3 is SIGTRAP after it; an unmapped fetch is SEGV_MAPERR', () => {
    let c = setup([0x90, 0x0f, 0x0b]);
    expect(c.run(10)).toBe(StopKind.Fault);
    expect(c.fault).toMatchObject({ signal: 'SIGILL', code: 'ILL_ILLOPN', addr: CODE + 1, pc: CODE + 1 });
    c = setup([0xf4]);
    c.run(1);
    expect(c.fault?.signal).toBe('SIGSEGV');
    expect(c.pc).toBe(CODE);
    c = setup([0xcc]);
    c.run(1);
    expect(c.fault?.signal).toBe('SIGTRAP');
    expect(c.pc).toBe(CODE + 1);
    c = setup([0xe9, ...le32(0x200000)]); // jmp to an unmapped page
    c.run(2);
    expect(c.fault).toMatchObject({ signal: 'SIGSEGV', code: 'SEGV_MAPERR', addr: CODE + 5 + 0x200000 });
  });

  it('SYSCALL stops at the instruction with rcx = the next rip and r11 = rflags', () => {
    const c = setup([0x0f, 0x05]);
    expect(c.run(1)).toBe(StopKind.Syscall);
    expect(c.pc).toBe(CODE);
    expect(c.getReg(1)).toBe(BigInt(CODE + 2));
    expect(c.getReg(11)).toBe(BigInt(c.s.flags));
  });

  it('i386 mode: 40..4F are INC/DEC, not REX', () => {
    const c = setup([0x40, 0x48, 0x48], 'i386');
    c.setReg(0, 5n);
    c.run(3);
    expect(c.getReg(0)).toBe(4n);
  });
});
