/**
 * Tier 1 against tier 0: random straight-line programs (integer, M, loads and
 * stores that may fault, forward branches, binary64 ops) run once by the
 * interpreter and once translated (threshold 1); registers, fflags, memory,
 * pc, instret and faults must agree exactly.
 */
import { describe, expect, it } from 'vitest';
import { AddressSpace, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../../src/memory/address-space.js';
import { Rv64Core } from '../../../src/isa/riscv64/core.js';

const CODE = 0x10000, DATA = 0x20000, RO = 0x21000, HOLE = 0x22000;

let seed = 12345;
const rnd = (): number => { seed = (Math.imul(seed, 1103515245) + 12345) | 0; return (seed >>> 8) & 0xffffff; };
const pick = <T>(a: readonly T[]): T => a[rnd() % a.length];

const R = (f7: number, rs2: number, rs1: number, f3: number, rd: number, opc: number): number =>
  ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc) >>> 0;
const I = (imm: number, rs1: number, f3: number, rd: number, opc: number): number =>
  (((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc) >>> 0;
const S = (imm: number, rs2: number, rs1: number, f3: number): number =>
  ((((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 31) << 7) | 0x23) >>> 0;
const B = (off: number, rs2: number, rs1: number, f3: number): number =>
  ((((off >> 12) & 1) << 31) | (((off >> 5) & 63) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12)
    | (((off >> 1) & 15) << 8) | (((off >> 11) & 1) << 7) | 0x63) >>> 0;

const J = (off: number, rd: number): number =>
  ((((off >> 20) & 1) << 31) | (((off >> 1) & 0x3ff) << 21) | (((off >> 11) & 1) << 20) | (((off >> 12) & 0xff) << 12)
    | (rd << 7) | 0x6f) >>> 0;

const ADDR_REGS = [20, 21, 22, 23];
const dst = (): number => pick([1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 24, 25, 26, 27, 28, 29, 30, 31, 0]);
const src = (): number => rnd() % 32;
const fr = (): number => rnd() % 8;
const simm = (): number => pick([0, 1, -1, 2047, -2048, 5, -7, 31, 63, 100]) ;

function randomInsn(k: number, n: number): number {
  switch (rnd() % 14) {
    case 0: case 1: {
      const [f7, f3] = pick([[0, 0], [0x20, 0], [0, 1], [0, 2], [0, 3], [0, 4], [0, 5], [0x20, 5], [0, 6], [0, 7],
        [1, 0], [1, 1], [1, 2], [1, 3], [1, 4], [1, 5], [1, 6], [1, 7]]);
      return R(f7, src(), src(), f3, dst(), 0x33);
    }
    case 2: {
      const [f7, f3] = pick([[0, 0], [0x20, 0], [0, 1], [0, 5], [0x20, 5], [1, 0], [1, 4], [1, 5], [1, 6], [1, 7]]);
      return R(f7, src(), src(), f3, dst(), 0x3b);
    }
    case 3: {
      const f3 = pick([0, 2, 3, 4, 6, 7]);
      return I(simm(), src(), f3, dst(), 0x13);
    }
    case 4: {
      const sh = rnd() % 64;
      return pick([I(sh, src(), 1, dst(), 0x13), I(sh, src(), 5, dst(), 0x13), I(0x400 | sh, src(), 5, dst(), 0x13)]);
    }
    case 5: {
      const sh = rnd() % 32;
      return pick([I(simm(), src(), 0, dst(), 0x1b), I(sh, src(), 1, dst(), 0x1b), I(sh, src(), 5, dst(), 0x1b), I(0x400 | sh, src(), 5, dst(), 0x1b)]);
    }
    case 6: return ((rnd() << 12) | (dst() << 7) | pick([0x37, 0x17])) >>> 0;
    case 7: { // load
      const f3 = pick([0, 1, 2, 3, 4, 5, 6]);
      return I(pick([0, 1, 3, 4, 8, -8, -1, 2044]), pick(ADDR_REGS), f3, dst(), 0x03);
    }
    case 8: // store
      return S(pick([0, 1, 3, 4, 8, -8, -1, 2044]), src(), pick(ADDR_REGS), pick([0, 1, 2, 3]));
    case 9: // forward branch over 1..2 instructions, staying inside the program
      if (k + 3 >= n) return I(1, src(), 0, dst(), 0x13);
      return B(pick([8, 12]), src(), src(), pick([0, 1, 4, 5, 6, 7]));
    case 10: case 11: { // binary64 arithmetic
      const f7 = pick([0x01, 0x05, 0x09, 0x0d, 0x2d]);
      return R(f7, f7 === 0x2d ? 0 : fr(), fr(), pick([0, 7, 7, 1]), fr(), 0x53);
    }
    case 12: return pick([
      R(0x51, fr(), fr(), pick([0, 1, 2]), dst(), 0x53), R(0x11, fr(), fr(), pick([0, 1, 2]), fr(), 0x53),
      R(0x69, pick([0, 1]), src(), pick([0, 7]), fr(), 0x53), R(0x71, 0, fr(), 0, dst(), 0x53),
    ]);
    default: return R(0x79, 0, src(), 0, fr(), 0x53);
  }
}

const SPECIAL = [0n, 1n, -1n, 2n, -2n, 0x7fffffffn, -0x80000000n, 0xffffffffn, (1n << 63n) - 1n, -(1n << 63n), 63n, 64n, 31n, 32n];
const FVALS = [0, -0, 1, -1, 1.5, 3, 1e300, -1e300, 2.2250738585072014e-308, 5e-324, 1e-310, Infinity, -Infinity, NaN, 0.1, 7, 1e-200];

function rand64(): bigint {
  if (rnd() % 3 === 0) return pick(SPECIAL);
  return BigInt.asIntN(64, (BigInt(rnd()) << 40n) ^ (BigInt(rnd()) << 20n) ^ BigInt(rnd()));
}

function setup(): { mem: AddressSpace; core: Rv64Core } {
  const mem = new AddressSpace();
  mem.mapPages(CODE, 0x1000, PROT_READ | PROT_EXEC);
  mem.mapPages(DATA, 0x1000, PROT_READ | PROT_WRITE);
  mem.mapPages(RO, 0x1000, PROT_READ);
  return { mem, core: new Rv64Core(mem, 1) };
}

describe('riscv64 tier 1 vs interpreter on random programs', () => {
  const a = setup(), b = setup();
  a.core.setJit(false);
  b.core.setJit(true, 1);
  it('agree on 400 programs', () => {
    for (let t = 0; t < 400; t++) {
      const n = 20 + (rnd() % 30);
      const words = new Uint32Array(n + 1);
      for (let k = 0; k < n; k++) words[k] = randomInsn(k, n);
      words[n] = 0x00000073; // ecall
      const regs = Array.from({ length: 32 }, () => rand64());
      regs[20] = BigInt(DATA + (rnd() % 4096));
      regs[21] = BigInt(pick([DATA + 4092, DATA + 4095, RO + 8, RO + 4092]));
      regs[22] = BigInt(pick([HOLE - 2, HOLE + 8, DATA + 16, 0x1_0000_0000 + DATA]));
      regs[23] = BigInt(pick([DATA + 2048, RO + 100]));
      const fbits = Array.from({ length: 8 }, () => pick(FVALS));
      const nx = rnd() % 2;
      const data = new Uint8Array(0x1000);
      for (let k = 0; k < data.length; k++) data[k] = rnd() & 255;
      const runs = [a, b].map(({ mem, core }) => {
        mem.poke(CODE, new Uint8Array(words.buffer));
        mem.codeChanged(CODE, CODE + 0x1000);
        mem.poke(DATA, data);
        mem.poke(RO, data);
        for (let k = 1; k < 32; k++) core.setReg(k, regs[k]);
        for (let k = 0; k < 32; k++) core.s.fd[k] = fbits[k % 8];
        core.s.fflags = nx;
        core.s.frm = 0;
        core.pc = CODE;
        const before = core.instret;
        const stop = core.run(1000);
        return {
          stop, pc: core.pc, n: core.instret - before, fault: core.fault,
          x: Array.from({ length: 32 }, (_, k) => core.getReg(k)),
          f: Array.from(core.s.fbits), fflags: core.s.fflags,
          mem: Buffer.from(mem.u8.subarray(DATA, DATA + 0x1000)).toString('hex'),
        };
      });
      const ctx = `program ${t}: ${Array.from(words, (w) => w.toString(16).padStart(8, '0')).join(' ')}`;
      expect(runs[1], ctx).toEqual(runs[0]);
    }
    expect(b.core.jit!.stats.retired).toBeGreaterThan(1000);
  });

  it('a hot loop that walks into an unmapped page faults precisely from translated code', () => {
    // x20 = DATA; loop: ld x5, 0(x20); add x6, x6, x5; addi x20, x20, 8; addi x7, x7, 1; j loop
    const words = new Uint32Array([
      I(0, 20, 3, 5, 0x03), R(0, 5, 6, 0, 6, 0x33), I(8, 20, 0, 20, 0x13), I(1, 7, 0, 7, 0x13),
      J(-16, 0), // jal x0, -16
    ]);
    const runs = [[a, null], [b, 32]].map(([m, th]) => {
      const { mem, core } = m as { mem: AddressSpace; core: Rv64Core };
      if (th !== null) core.setJit(true, th as number);
      mem.poke(CODE, new Uint8Array(words.buffer));
      mem.codeChanged(CODE, CODE + 0x1000);
      mem.poke(RO, new Uint8Array(0x1000).fill(3));
      for (let k = 1; k < 32; k++) core.setReg(k, 0n);
      core.setReg(20, BigInt(DATA + 8));
      core.pc = CODE;
      const before = core.instret;
      const stops: number[] = [];
      for (let k = 0; k < 1000; k++) { const st = core.run(37); stops.push(st); if (st !== 0) break; }
      return { stops, pc: core.pc, n: core.instret - before, fault: core.fault, x: Array.from({ length: 32 }, (_, k) => core.getReg(k)) };
    });
    expect(runs[0].fault).toEqual({ signal: 'SIGSEGV', code: 'SEGV_MAPERR', addr: HOLE, pc: CODE });
    expect(runs[1]).toEqual(runs[0]);
    expect(b.core.jit!.stats.retired).toBeGreaterThan(1000);
  });
});

