/**
 * The o32 SyscallAbi (personalities/linux/abi/mips-o32.ts) on real MIPS
 * cores of both byte orders: number in v0, arguments in a0..a3 and on the
 * user stack, the a3 error flag, restart putting v0/a3 back, the `syscall`
 * (4000) indirection, and pc handling on a running core (delay slots too).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { AddressSpace, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../../src/memory/address-space.js';
import { MipsCore, mipsCoreFactory, mipselCoreFactory } from '../../../src/isa/mips/core.js';
import { StopKind, type Endian } from '../../../src/plugin/contracts.js';
import {
  mipsO32InitialRegisters, mipsO32SyscallAbi as ABI, NR_O32_SYSCALL, setSecondResult,
} from '../../../personalities/linux/abi/mips-o32.js';

const CODE = 0x10000000;
const STACK = 0x40000000;
const SP = STACK + 0x8000;

const V0 = 2, V1 = 3, A0 = 4, A3 = 7;

// MIPS32 encodings used by the little programs below
const addiu = (rt: number, rs: number, imm: number): number => ((9 << 26) | (rs << 21) | (rt << 16) | (imm & 0xffff)) >>> 0;
const beq = (rs: number, rt: number, off: number): number => ((4 << 26) | (rs << 21) | (rt << 16) | (off & 0xffff)) >>> 0;
const SYSCALL = 0x0000000c;
const NOP = 0;

let mem: AddressSpace;

function core(endian: Endian): MipsCore {
  return (endian === 'little' ? mipselCoreFactory : mipsCoreFactory).create(mem, 1) as MipsCore;
}

function put(endian: Endian, addr: number, words: number[]): void {
  const b = new Uint8Array(4 * words.length);
  const dv = new DataView(b.buffer);
  words.forEach((w, i) => dv.setUint32(4 * i, w, endian === 'little'));
  mem.poke(addr, b);
}

beforeEach(() => {
  mem ??= new AddressSpace();
  mem.unmapPages(0x10000, 0x60000000 - 0x10000);
  mem.mapPages(CODE, 0x1000, PROT_READ | PROT_EXEC);
  mem.mapPages(STACK, 0x10000, PROT_READ | PROT_WRITE);
});

for (const endian of ['little', 'big'] as const) {
  describe(`o32 syscall ABI (${endian}-endian)`, () => {
    it('number in v0, arguments 1..4 in a0..a3, 5..8 from sp+16..sp+28', () => {
      const c = core(endian);
      c.setReg(V0, 4003n);
      for (let i = 0; i < 4; i++) c.setReg(A0 + i, BigInt(0x1000 + i));
      c.setReg(29, BigInt(SP));
      put(endian, SP + 16, [0xaaaa0005, 0xbbbb0006, 0xcccc0007, 0xdddd0008]);
      expect(ABI.number(c)).toBe(4003);
      expect([0, 1, 2, 3, 4, 5, 6, 7].map((i) => ABI.arg(c, i))).toEqual(
        [0x1000n, 0x1001n, 0x1002n, 0x1003n, 0xaaaa0005n, 0xbbbb0006n, 0xcccc0007n, 0xdddd0008n]);
    });

    it('arguments are unsigned 32-bit values', () => {
      const c = core(endian);
      c.setReg(A0, 0xffff_ff9cn); // AT_FDCWD
      expect(ABI.arg(c, 0)).toBe(0xffff_ff9cn);
    });

    it('stack words the kernel cannot read come back as 0', () => {
      const c = core(endian);
      c.setReg(29, BigInt(STACK + 0x10000 - 20)); // sp+16 readable, sp+20.. past the mapping
      put(endian, STACK + 0x10000 - 4, [0x11223344]);
      expect(ABI.arg(c, 4)).toBe(0x11223344n);
      expect(ABI.arg(c, 5)).toBe(0n);
      expect(ABI.arg(c, 7)).toBe(0n);
      c.setReg(29, 0x7ffffff0n); // sp+32 in kernel space
      expect(ABI.arg(c, 4)).toBe(0n);
    });

    it('64-bit arguments in an aligned pair: the word order is the byte order', () => {
      // pread64(fd, buf, count, pad, off_lo/off_hi): offset 0x1_0000_0002 in slots 4-5
      const c = core(endian);
      c.setReg(29, BigInt(SP));
      put(endian, SP + 16, endian === 'little' ? [2, 1] : [1, 2]);
      const [a, b] = [ABI.arg(c, 4), ABI.arg(c, 5)];
      const [lo, hi] = endian === 'little' ? [a, b] : [b, a];
      expect((hi << 32n) | lo).toBe(0x1_0000_0002n);
    });

    it('success: v0 = result, a3 = 0', () => {
      const c = core(endian);
      c.setReg(A3, 0x1234n);
      ABI.setResult(c, 42n);
      expect([c.getReg(V0), c.getReg(A3)]).toEqual([42n, 0n]);
      ABI.setResult(c, 0xb7ff_f000n); // mmap addresses above 2 GiB are results too
      expect([c.getReg(V0), c.getReg(A3)]).toEqual([0xb7ff_f000n, 0n]);
      ABI.setResult(c, -1n);
      expect(c.getReg(V0)).toBe(0xffff_ffffn);
    });

    it('failure: v0 = positive errno, a3 = 1', () => {
      const c = core(endian);
      ABI.setError(c, 89); // ENOSYS on MIPS
      expect([c.getReg(V0), c.getReg(A3)]).toEqual([89n, 1n]);
      ABI.setError(c, 1133); // EDQUOT, the largest
      expect([c.getReg(V0), c.getReg(A3)]).toEqual([1133n, 1n]);
    });

    it('pipe: the second descriptor in v1', () => {
      const c = core(endian);
      ABI.setResult(c, 3n);
      setSecondResult(c, 4);
      expect([c.getReg(V0), c.getReg(V1), c.getReg(A3)]).toEqual([3n, 4n, 0n]);
    });

    it('the `syscall` (4000) indirection: number from a0, arguments shifted by one', () => {
      const c = core(endian);
      c.setReg(V0, BigInt(NR_O32_SYSCALL));
      c.setReg(A0, 4004n);
      c.setReg(A0 + 1, 1n);
      c.setReg(A0 + 2, 0x2000n);
      c.setReg(A0 + 3, 5n);
      c.setReg(29, BigInt(SP));
      put(endian, SP + 16, [0x44, 0x55, 0x66, 0x77]);
      expect(ABI.number(c)).toBe(4004);
      expect([0, 1, 2, 3, 4, 5, 6].map((i) => ABI.arg(c, i))).toEqual([1n, 0x2000n, 5n, 0x44n, 0x55n, 0x66n, 0x77n]);
      expect(ABI.arg(c, 7)).toBe(0n); // an eighth argument does not exist through the indirection
      // syscall(4000, 4000, ...) is not resolved
      c.setReg(A0, 4000n);
      expect(ABI.number(c)).toBe(4000);
      expect(ABI.arg(c, 0)).toBe(4000n);
    });

    it('on a running core: stops at the syscall, advance continues after it, restart re-executes it', () => {
      const c = core(endian);
      put(endian, CODE, [addiu(V0, 0, 4004), addiu(A0, 0, 1), addiu(A3, 0, 77), SYSCALL, addiu(8, 0, 9), SYSCALL]);
      c.pc = CODE;
      expect(c.run(100)).toBe(StopKind.Syscall);
      expect(c.pc).toBe(CODE + 12);
      expect(ABI.number(c)).toBe(4004);
      expect(ABI.arg(c, 3)).toBe(77n);
      ABI.advance(c);
      expect(c.pc).toBe(CODE + 16);
      // the call fails with EINTR and is to be restarted: v0 and a3 were overwritten by the error
      ABI.setError(c, 4);
      ABI.restart(c);
      expect(c.pc).toBe(CODE + 12);
      expect([c.getReg(V0), c.getReg(A3)]).toEqual([4004n, 77n]);
      expect(c.run(100)).toBe(StopKind.Syscall);
      expect(c.pc).toBe(CODE + 12);
      expect(ABI.number(c)).toBe(4004);
      ABI.advance(c);
      ABI.setResult(c, 1n);
      expect(c.run(100)).toBe(StopKind.Syscall);
      expect(c.pc).toBe(CODE + 20);
      expect(c.getReg(8)).toBe(9n);
    });

    it('restart also restores the indirection number (v0 = 4000)', () => {
      const c = core(endian);
      c.setReg(V0, 4000n);
      c.setReg(A0, 4003n);
      c.setReg(A3, 9n);
      c.pc = CODE + 12;
      expect(ABI.number(c)).toBe(4003);
      ABI.advance(c);
      ABI.setError(c, 4);
      ABI.restart(c);
      expect([c.getReg(V0), c.getReg(A0), c.getReg(A3), c.pc]).toEqual([4000n, 4003n, 9n, CODE + 12]);
    });

    it('a syscall in a taken branch\'s delay slot: advance continues at the branch target', () => {
      const c = core(endian);
      put(endian, CODE, [addiu(V0, 0, 4020), beq(0, 0, 3), SYSCALL, addiu(8, 0, 1), NOP, addiu(9, 0, 2), SYSCALL]);
      c.setReg(8, 0n); // registers live in the shared slot: clear what earlier tests left
      c.pc = CODE;
      expect(c.run(100)).toBe(StopKind.Syscall);
      expect(c.pc).toBe(CODE + 8);
      ABI.number(c);
      ABI.advance(c);
      ABI.setResult(c, 5n);
      expect(c.pc).toBe(CODE + 20);
      expect(c.run(100)).toBe(StopKind.Syscall);
      expect([c.getReg(8), c.getReg(9)]).toEqual([0n, 2n]);
    });

    it('initial registers: all zero but sp, pc at the entry', () => {
      const c = core(endian);
      for (let i = 1; i < 32; i++) c.setReg(i, BigInt(i * 3));
      c.hi = 5; c.lo = 6;
      mipsO32InitialRegisters(c, SP, CODE);
      for (let i = 1; i < 32; i++) expect(c.getReg(i), `$${i}`).toBe(i === 29 ? BigInt(SP) : 0n);
      expect([c.hi, c.lo, c.pc]).toEqual([0, 0, CODE]);
    });
  });
}
