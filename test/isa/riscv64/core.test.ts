import { describe, expect, it } from 'vitest';
import { PROT_EXEC, PROT_READ, PROT_WRITE } from '../../../src/memory/address-space.js';
import { StopKind } from '../../../src/plugin/contracts.js';
import { Rv64Core, rv64CoreFactory } from '../../../src/isa/riscv64/core.js';
import { makeCore } from './harness.js';

// ---- tiny encoders (RISC-V base formats)
const I = (opc: number, rd: number, f3: number, rs1: number, imm: number): number =>
  (((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc) | 0;
const S = (opc: number, f3: number, rs1: number, rs2: number, imm: number): number =>
  ((((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 31) << 7) | opc) | 0;
const Rr = (opc: number, rd: number, f3: number, rs1: number, rs2: number, f7: number): number =>
  ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc) | 0;
const ADDI = (rd: number, rs1: number, imm: number): number => I(0x13, rd, 0, rs1, imm);
const LD = (rd: number, rs1: number, imm: number): number => I(0x03, rd, 3, rs1, imm);
const LW = (rd: number, rs1: number, imm: number): number => I(0x03, rd, 2, rs1, imm);
const SD = (rs1: number, rs2: number, imm: number): number => S(0x23, 3, rs1, rs2, imm);
const SB = (rs1: number, rs2: number, imm: number): number => S(0x23, 0, rs1, rs2, imm);
const ECALL = 0x00000073, EBREAK = 0x00100073;
const CSRRS = (rd: number, csr: number, rs1: number): number => I(0x73, rd, 2, rs1, csr);
const CSRRW = (rd: number, csr: number, rs1: number): number => I(0x73, rd, 1, rs1, csr);
const JAL0 = 0x0000006f; // j .
const A0 = 10, A1 = 11, A2 = 12;

const CODE = 0x10000;
const DATA = 0x20000;

function setup(insns: number[], extra?: (c: ReturnType<typeof makeCore>) => void) {
  const env = makeCore();
  env.mem.mapPages(CODE, 0x2000, PROT_READ | PROT_EXEC);
  env.mem.mapPages(DATA, 0x1000, PROT_READ | PROT_WRITE);
  const bytes = new Uint8Array(new Int32Array(insns).buffer);
  env.mem.poke(CODE, bytes);
  env.core.pc = CODE;
  extra?.(env);
  return env;
}

describe('Rv64Core contract', () => {
  it('factory creates riscv64 little-endian cores', () => {
    expect(rv64CoreFactory.isa).toBe('riscv64');
    expect(rv64CoreFactory.endian).toBe('little');
    const { mem } = makeCore();
    const c = rv64CoreFactory.create(mem, 3);
    expect(c).toBeInstanceOf(Rv64Core);
    expect(c.isa).toBe('riscv64');
  });

  it('getReg/setReg are unsigned 64-bit; x0 ignores writes', () => {
    const { core } = makeCore();
    core.setReg(5, -1n);
    expect(core.getReg(5)).toBe(0xffffffffffffffffn);
    expect(core.getRegLo(5)).toBe(-1);
    core.setReg(6, 0x123456789abcdef0n);
    expect(core.getReg(6)).toBe(0x123456789abcdef0n);
    core.setReg(0, 5n);
    expect(core.getReg(0)).toBe(0n);
    core.setThreadPointer(0xdeadbeefn);
    expect(core.getReg(4)).toBe(0xdeadbeefn);
  });

  it('ecall stops with Syscall, pc left at the ecall, instret counted', () => {
    const { core } = setup([ADDI(17, 0, 93), ADDI(A0, 0, 7), ECALL]);
    expect(core.run(100)).toBe(StopKind.Syscall);
    expect(core.pc).toBe(CODE + 8);
    expect(core.getRegLo(17)).toBe(93);
    expect(core.instret).toBe(3);
  });

  it('budget exhaustion returns Budget and resumes', () => {
    const { core } = setup([JAL0]);
    expect(core.run(1000)).toBe(StopKind.Budget);
    expect(core.instret).toBe(1000);
    expect(core.pc).toBe(CODE);
    expect(core.run(5)).toBe(StopKind.Budget);
    expect(core.instret).toBe(1005);
  });

  it('ebreak: Breakpoint with SIGTRAP/TRAP_BRKPT', () => {
    const { core } = setup([ADDI(A0, 0, 1), EBREAK]);
    expect(core.run(100)).toBe(StopKind.Breakpoint);
    expect(core.fault).toEqual({ signal: 'SIGTRAP', code: 'TRAP_BRKPT', addr: CODE + 4, pc: CODE + 4 });
  });

  it('c.ebreak too', () => {
    const { core } = setup([0x00019002 | 0]); // c.ebreak ; c.nop
    expect(core.run(10)).toBe(StopKind.Breakpoint);
    expect(core.fault?.pc).toBe(CODE);
  });

  it('copyStateFrom copies registers, fp registers, pc and fcsr', () => {
    const a = setup([ADDI(A0, 0, 42), ECALL]);
    a.core.run(10);
    a.core.s.fd[3] = 1.5;
    a.core.s.frm = 2; a.core.s.fflags = 5;
    const { core: b } = makeCore(2);
    b.copyStateFrom(a.core);
    expect(b.getReg(A0)).toBe(42n);
    expect(b.pc).toBe(a.core.pc);
    expect(b.s.fd[3]).toBe(1.5);
    expect(b.s.frm).toBe(2);
    expect(b.s.fflags).toBe(5);
  });
});

describe('Rv64Core faults', () => {
  it('load from an unmapped page: SIGSEGV SEGV_MAPERR at the data address', () => {
    const { core } = setup([LD(A0, A1, 8)], ({ core }) => core.setReg(A1, 0x500000n));
    expect(core.run(10)).toBe(StopKind.Fault);
    expect(core.fault).toEqual({ signal: 'SIGSEGV', code: 'SEGV_MAPERR', addr: 0x500008, pc: CODE });
    expect(core.pc).toBe(CODE);
    expect(core.instret).toBe(0);
  });

  it('store to a read-only page: SEGV_ACCERR', () => {
    const { core } = setup([SD(A1, A0, 0)], ({ core }) => core.setReg(A1, BigInt(CODE)));
    expect(core.run(10)).toBe(StopKind.Fault);
    expect(core.fault).toMatchObject({ signal: 'SIGSEGV', code: 'SEGV_ACCERR', addr: CODE });
  });

  it('load from a PROT_NONE page: SEGV_ACCERR', () => {
    const { core } = setup([LW(A0, A1, 0)], ({ core, mem }) => {
      mem.mapPages(0x30000, 0x1000, 0);
      core.setReg(A1, 0x30010n);
    });
    expect(core.run(10)).toBe(StopKind.Fault);
    expect(core.fault).toMatchObject({ code: 'SEGV_ACCERR', addr: 0x30010 });
  });

  it('misaligned access straddling into an unmapped page faults at the second page', () => {
    const { core, mem } = setup([LD(A0, A1, 0)], ({ core }) => core.setReg(A1, BigInt(DATA + 0xffc)));
    expect(core.run(10)).toBe(StopKind.Fault);
    expect(core.fault).toMatchObject({ code: 'SEGV_MAPERR', addr: DATA + 0x1000 });
    // nothing was written by a refused straddling store either
    mem.u8.fill(0xaa, DATA + 0xff8, DATA + 0x1000);
    const s = setup([SD(A1, A0, 0)], ({ core: c }) => { c.setReg(A1, BigInt(DATA + 0xffc)); c.setReg(A0, -1n); });
    expect(s.core.run(10)).toBe(StopKind.Fault);
    expect(s.mem.u8[DATA + 0xffc]).toBe(0);
  });

  it('addresses >= 2^32 (or negative) fault with SEGV_MAPERR', () => {
    const { core } = setup([LW(A0, A1, 0)], ({ core }) => core.setReg(A1, 0x100000000n));
    expect(core.run(10)).toBe(StopKind.Fault);
    expect(core.fault).toMatchObject({ signal: 'SIGSEGV', code: 'SEGV_MAPERR', addr: 0x100000000 });
    const n = setup([SB(A1, A0, -1)], ({ core: c }) => c.setReg(A1, 0n));
    expect(n.core.run(10)).toBe(StopKind.Fault);
    expect(n.core.fault).toMatchObject({ code: 'SEGV_MAPERR', addr: -1 });
  });

  it('64-bit address arithmetic is exact near the top of guest memory (0xfff00000 - 8 is valid)', () => {
    // the top 1 MiB holds the page-protection table and is never guest-mappable
    const { core } = setup([LD(A0, A1, -8), ECALL], ({ core, mem }) => {
      mem.mapPages(0xffeff000, 0x1000, PROT_READ);
      mem.u8[0xffeffff8] = 0x5a;
      core.setReg(A1, 0xfff00000n);
    });
    expect(core.run(10)).toBe(StopKind.Syscall);
    expect(core.getReg(A0)).toBe(0x5an);
  });

  it('fetch from a non-executable page: SIGSEGV at pc', () => {
    const { core } = setup([], ({ core }) => { core.pc = DATA; });
    expect(core.run(10)).toBe(StopKind.Fault);
    expect(core.fault).toEqual({ signal: 'SIGSEGV', code: 'SEGV_ACCERR', addr: DATA, pc: DATA });
    const u = setup([], ({ core: c }) => { c.pc = 0x900000; });
    expect(u.core.run(10)).toBe(StopKind.Fault);
    expect(u.core.fault).toMatchObject({ code: 'SEGV_MAPERR', addr: 0x900000 });
  });

  it('a 32-bit instruction straddling into a non-executable page faults', () => {
    const { core, mem } = setup([]);
    mem.poke(CODE + 0x1ffe, new Uint8Array([0x13, 0x05])); // low half of addi a0, ...
    core.pc = CODE + 0x1ffe;
    expect(core.run(10)).toBe(StopKind.Fault);
    expect(core.fault).toMatchObject({ signal: 'SIGSEGV', addr: CODE + 0x2000, pc: CODE + 0x1ffe });
  });

  it('a 32-bit instruction straddling two executable pages runs', () => {
    const { core, mem } = setup([]);
    mem.mapPages(CODE + 0x2000, 0x1000, PROT_READ | PROT_EXEC);
    mem.poke(CODE + 0x1ffe, new Uint8Array(new Int32Array([ADDI(A0, 0, 99), ECALL]).buffer));
    core.pc = CODE + 0x1ffe;
    expect(core.run(10)).toBe(StopKind.Syscall);
    expect(core.getReg(A0)).toBe(99n);
  });

  it('jalr to an address >= 2^32 faults', () => {
    const { core } = setup([I(0x67, 1, 0, A1, 0)], ({ core }) => core.setReg(A1, 0x100000000n));
    expect(core.run(10)).toBe(StopKind.Fault);
    expect(core.fault).toEqual({ signal: 'SIGSEGV', code: 'SEGV_MAPERR', addr: 0x100000000, pc: CODE });
    expect(core.getReg(1)).toBe(0n); // the jump did not retire
    expect(core.pc).toBe(CODE);
  });

  it('illegal instructions: SIGILL ILL_ILLOPC at pc', () => {
    for (const bad of [0, -1, 0x30200073 /* mret */]) {
      const { core } = setup([ADDI(A0, 0, 1), bad]);
      expect(core.run(10)).toBe(StopKind.Fault);
      expect(core.fault).toEqual({ signal: 'SIGILL', code: 'ILL_ILLOPC', addr: CODE + 4, pc: CODE + 4 });
      expect(core.instret).toBe(1);
    }
  });

  it('unknown CSR and writes to read-only counters: SIGILL', () => {
    for (const insn of [CSRRS(A0, 0x300, 0), CSRRW(0, 0xc00, A0), CSRRS(A0, 0xc02, A1), CSRRS(A0, 0x7c0, 0)]) {
      const { core } = setup([insn]);
      expect(core.run(10)).toBe(StopKind.Fault);
      expect(core.fault).toMatchObject({ signal: 'SIGILL', code: 'ILL_ILLOPC' });
    }
  });

  it('rdtime counts a 10 MHz timebase', async () => {
    const { core } = setup([CSRRS(A0, 0xc01, 0), ECALL, CSRRS(A1, 0xc01, 0), ECALL]);
    core.run(10);
    await new Promise((r) => setTimeout(r, 50));
    core.pc += 4;
    core.run(10);
    const dt = Number(core.getReg(A1) - core.getReg(A0));
    expect(dt).toBeGreaterThan(400_000);
    expect(dt).toBeLessThan(5_000_000);
  });

  it('LR/SC/AMO on a misaligned address: SIGBUS BUS_ADRALN', () => {
    const lr = Rr(0x2f, A0, 2, A1, 0, 0x02 << 2);
    const amo = Rr(0x2f, A0, 3, A1, A2, 0x00);
    const sc = Rr(0x2f, A0, 3, A1, A2, 0x03 << 2);
    for (const [insn, addr] of [[lr, DATA + 2], [amo, DATA + 4], [sc, DATA + 1]]) {
      const { core } = setup([insn], ({ core: c }) => c.setReg(A1, BigInt(addr)));
      expect(core.run(10)).toBe(StopKind.Fault);
      expect(core.fault).toEqual({ signal: 'SIGBUS', code: 'BUS_ADRALN', addr, pc: CODE });
    }
  });

  it('AMO on a read-only page: SEGV_ACCERR', () => {
    const amo = Rr(0x2f, A0, 2, A1, A2, 0x01 << 2);
    const { core } = setup([amo], ({ core: c }) => c.setReg(A1, BigInt(CODE)));
    expect(core.run(10)).toBe(StopKind.Fault);
    expect(core.fault).toMatchObject({ signal: 'SIGSEGV', code: 'SEGV_ACCERR', addr: CODE });
  });
});

describe('Rv64Core decoded-code cache', () => {
  it('mem.codeChanged drops decoded code', () => {
    const { core, mem } = setup([ADDI(A0, 0, 1), ECALL]);
    core.run(10);
    expect(core.getReg(A0)).toBe(1n);
    mem.poke(CODE, new Uint8Array(new Int32Array([ADDI(A0, 0, 2)]).buffer));
    core.pc = CODE;
    core.run(10);
    expect(core.getReg(A0)).toBe(1n); // stale decoded copy: no coherence without a code change
    mem.codeChanged(CODE, CODE + 4);
    core.pc = CODE;
    core.run(10);
    expect(core.getReg(A0)).toBe(2n);
  });

  it('removing PROT_EXEC (mprotect) makes fetch fault even after the page was cached', () => {
    const { core, mem } = setup([ADDI(A0, 0, 1), ECALL]);
    core.run(10);
    mem.protectPages(CODE, 0x1000, PROT_READ);
    core.pc = CODE;
    expect(core.run(10)).toBe(StopKind.Fault);
    expect(core.fault).toMatchObject({ code: 'SEGV_ACCERR', addr: CODE });
  });

  it('every core of an address space sees code changes; dispose() unhooks a core', () => {
    const { mem, core: a } = setup([ADDI(A0, 0, 1), ECALL]);
    const b = new Rv64Core(mem, 2);
    b.pc = CODE;
    a.run(10); b.run(10);
    mem.poke(CODE, new Uint8Array(new Int32Array([ADDI(A0, 0, 2)]).buffer));
    b.dispose();
    mem.codeChanged(CODE, CODE + 4);
    a.pc = CODE; a.run(10);
    expect(a.getReg(A0)).toBe(2n);
    b.pc = CODE; b.run(10);
    expect(b.getReg(A0)).toBe(2n); // dispose() also dropped b's cache
  });

  it('chains a previous onCodeChange handler', () => {
    const { mem } = makeCore();
    const seen: number[] = [];
    mem.onCodeChange = (s) => { seen.push(s); };
    const c = new Rv64Core(mem, 4);
    mem.mapPages(0x40000, 0x1000, PROT_READ | PROT_EXEC);
    expect(seen).toEqual([0x40000]);
    // and the core still sees the change
    mem.poke(0x40000, new Uint8Array(new Int32Array([ADDI(A0, 0, 5), ECALL]).buffer));
    c.pc = 0x40000; c.run(10);
    mem.poke(0x40000, new Uint8Array(new Int32Array([ADDI(A0, 0, 6)]).buffer));
    mem.codeChanged(0x40000, 0x40004);
    c.pc = 0x40000; c.run(10);
    expect(c.getReg(A0)).toBe(6n);
  });
});

describe('Rv64Core FP delegation', () => {
  it('OP-FP goes to fpu.executeFp (fadd.d)', () => {
    // fadd.d fa0, fa1, fa2, dyn
    const fadd = Rr(0x53, 10, 7, 11, 12, 0x01);
    const { core } = setup([fadd, ECALL], ({ core: c }) => { c.s.fd[11] = 1.25; c.s.fd[12] = 2; });
    expect(core.run(10)).toBe(StopKind.Syscall);
    expect(core.s.fd[10]).toBe(3.25);
  });

  it('an FP instruction the FPU rejects raises SIGILL (rm=5)', () => {
    const bad = Rr(0x53, 10, 5, 11, 12, 0x01);
    const { core } = setup([bad]);
    expect(core.run(10)).toBe(StopKind.Fault);
    expect(core.fault).toMatchObject({ signal: 'SIGILL', code: 'ILL_ILLOPC', pc: CODE });
  });
});
