/**
 * AArch64 core: traps and faults as Linux reports them to EL0, on
 * hand-encoded instruction words (encodings checked with binutils), and the
 * decoded-code cache following code changes.
 */
import { describe, expect, it } from 'vitest';
import { StopKind } from '../../../src/plugin/contracts.js';
import { PROT_EXEC, PROT_READ, PROT_WRITE } from '../../../src/memory/address-space.js';
import { decode, undefinedInsn } from '../../../src/isa/aarch64/decode.js';
import { asm, CODE, DATA, runCore, STACK_TOP } from './harness.js';

const MOV_X1_DATA = 0xd2a40001; // movz x1, #0x2000, lsl #16  (x1 = DATA)
const MOV_X1_CODE = 0xd2a20001; // movz x1, #0x1000, lsl #16  (x1 = CODE)

describe('AArch64 traps and faults', () => {
  it('UDF #0 is SIGILL ILL_ILLOPC at the instruction', () => {
    const { core } = asm([0xd503201f, 0x00000000]);
    expect(core.run(100)).toBe(StopKind.Fault);
    expect(core.fault).toEqual({ signal: 'SIGILL', code: 'ILL_ILLOPC', addr: CODE + 4, pc: CODE + 4 });
    expect(core.pc).toBe(CODE + 4);
  });

  it('an SVE encoding (unallocated here) is SIGILL too', () => {
    const { core } = asm([0x04200000]);
    expect(core.run(100)).toBe(StopKind.Fault);
    expect(core.fault?.signal).toBe('SIGILL');
  });

  it('BRK is a breakpoint stop: SIGTRAP TRAP_BRKPT with pc at the brk', () => {
    const { core } = asm([0xd503201f, 0xd4200000]);
    expect(core.run(100)).toBe(StopKind.Breakpoint);
    expect(core.fault).toEqual({ signal: 'SIGTRAP', code: 'TRAP_BRKPT', addr: CODE + 4, pc: CODE + 4 });
  });

  it('SVC #0 stops with the pc at the svc', () => {
    const { core } = asm([0xd2800020, 0xd4000001]); // mov x0, #1; svc #0
    expect(core.run(100)).toBe(StopKind.Syscall);
    expect(core.pc).toBe(CODE + 4);
    expect(core.getReg(0)).toBe(1n);
  });

  it('a load based on a misaligned SP is SIGBUS BUS_ADRALN at sp', () => {
    const { core } = asm([0xd10023ff, 0xf94003e0]); // sub sp, sp, #8; ldr x0, [sp]
    expect(core.run(100)).toBe(StopKind.Fault);
    expect(core.fault).toEqual({ signal: 'SIGBUS', code: 'BUS_ADRALN', addr: STACK_TOP - 0x1000 - 8, pc: CODE + 4 });
  });

  it('a load from an unmapped page is SIGSEGV SEGV_MAPERR at the address', () => {
    const { core } = asm([0xd2820001, 0xf9400020]); // mov x1, #0x1000; ldr x0, [x1]
    expect(core.run(100)).toBe(StopKind.Fault);
    expect(core.fault).toEqual({ signal: 'SIGSEGV', code: 'SEGV_MAPERR', addr: 0x1000, pc: CODE + 4 });
  });

  it('a store into read-only code is SIGSEGV SEGV_ACCERR', () => {
    const { core } = asm([MOV_X1_CODE, 0xf9000020]); // str x0, [x1]
    expect(core.run(100)).toBe(StopKind.Fault);
    expect(core.fault).toEqual({ signal: 'SIGSEGV', code: 'SEGV_ACCERR', addr: CODE, pc: CODE + 4 });
  });

  it('an exclusive load from a misaligned address is SIGBUS BUS_ADRALN', () => {
    const { core } = asm([MOV_X1_DATA, 0x91001021, 0xc85f7c20]); // add x1, x1, #4; ldxr x0, [x1]
    expect(core.run(100)).toBe(StopKind.Fault);
    expect(core.fault).toEqual({ signal: 'SIGBUS', code: 'BUS_ADRALN', addr: DATA + 4, pc: CODE + 8 });
  });

  it('an LSE CASAL on a misaligned address is SIGBUS too', () => {
    const { core } = asm([MOV_X1_DATA, 0x91000821, 0xc8e0fc21]); // add x1, x1, #2; casal x0, x1, [x1]
    expect(core.run(100)).toBe(StopKind.Fault);
    expect(core.fault).toMatchObject({ signal: 'SIGBUS', code: 'BUS_ADRALN', addr: DATA + 2 });
  });

  it('a branch to a misaligned target is SIGBUS BUS_ADRALN at the target', () => {
    const { core } = asm([MOV_X1_CODE, 0x91000821, 0xd61f0020]); // add x1, x1, #2; br x1
    expect(core.run(100)).toBe(StopKind.Fault);
    expect(core.fault).toEqual({ signal: 'SIGBUS', code: 'BUS_ADRALN', addr: CODE + 2, pc: CODE + 2 });
  });

  it('a branch into a non-executable page is SIGSEGV at the target', () => {
    const { core } = asm([MOV_X1_DATA, 0xd61f0020]);
    expect(core.run(100)).toBe(StopKind.Fault);
    expect(core.fault).toEqual({ signal: 'SIGSEGV', code: 'SEGV_ACCERR', addr: DATA, pc: DATA });
  });

  it('runs changed code after the page is written and made executable again', () => {
    const { mem, core } = asm([0xd28000a0]); // mov x0, #5; then exit
    expect(runCore(core).exitCode).toBe(5);
    mem.protectPages(CODE, 4096, PROT_READ | PROT_WRITE);
    mem.poke(CODE, new Uint8Array(new Uint32Array([0xd28000e0]).buffer)); // mov x0, #7
    mem.protectPages(CODE, 4096, PROT_READ | PROT_EXEC);
    core.pc = CODE;
    expect(runCore(core).exitCode).toBe(7);
  });

  it('counts retired instructions and stops for the budget', () => {
    const { core } = asm([0x14000000]); // b . (forever)
    expect(core.run(1000)).toBe(StopKind.Budget);
    expect(core.instret).toBe(1000);
    expect(core.pc).toBe(CODE);
  });

  it('the decoder refuses unallocated words in every group', () => {
    // UDF decodes to the refusal; EXTR with N != sf and MRS of an unknown register are refused when they run
    expect(decode(0x00000000)).toBe(undefinedInsn);
    expect(decode(0x1e000000 | 0x01000000)).not.toBe(undefinedInsn); // SIMD&FP: routed to the SIMD&FP unit
    for (const w of [0x93800000 /* extr x0, x0, x0, #0 with sf=1, N=0 */, 0xd5380000 | (7 << 16) /* mrs of op1=7 */]) {
      const { core } = asm([w >>> 0]);
      expect(core.run(10)).toBe(StopKind.Fault);
      expect(core.fault?.signal).toBe('SIGILL');
    }
  });
});

describe('AArch64 core on random words', () => {
  it('every non-SIMD&FP word either runs or stops with a fault/trap: no host exception escapes', () => {
    const { mem, core } = asm([0xd503201f]);
    let seed = 0x12345678;
    const rnd = (): number => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return seed >>> 0; };
    const kinds = new Map<string, number>();
    for (let i = 0; i < 30000; i++) {
      let w = rnd();
      if (((w >>> 25) & 7) === 7) w ^= 1 << 27; // leave the SIMD&FP data-processing group to its own tests
      mem.protectPages(CODE, 4096, PROT_READ | PROT_WRITE);
      mem.poke(CODE, new Uint8Array(new Uint32Array([w, 0xd503201f]).buffer));
      mem.protectPages(CODE, 4096, PROT_READ | PROT_EXEC);
      for (let r = 0; r < 31; r++) core.setReg(r, BigInt(DATA + (rnd() & 0xff0)));
      core.setReg(31, BigInt(STACK_TOP - 0x1000));
      core.pc = CODE;
      const stop = core.run(1);
      const k = stop === StopKind.Budget ? 'ran' : `${stop}:${core.fault?.signal ?? ''}`;
      kinds.set(k, (kinds.get(k) ?? 0) + 1);
    }
    expect(kinds.get('ran')).toBeGreaterThan(5000);
    expect(kinds.get(`${StopKind.Fault}:SIGILL`)).toBeGreaterThan(1000);
    for (const k of kinds.keys()) expect(['ran', '1:', '2:SIGILL', '2:SIGSEGV', '2:SIGBUS', '3:SIGTRAP']).toContain(k);
  });
});
