/**
 * riscv64 Linux signal frames (personalities/linux/abi/riscv64-signal.ts):
 * layout against the UAPI-derived constants and the committed probe output,
 * setup → restore round trips with a real riscv64 core, faults, alternate
 * stacks, and a handler that returns through the trampoline on the core.
 */
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { AddressSpace, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../../src/memory/address-space.js';
import { GuestFault } from '../../../src/memory/fault.js';
import { StopKind, type IsaCore } from '../../../src/plugin/contracts.js';
import { Rv64Core, rv64CoreFactory } from '../../../src/isa/riscv64/core.js';
import {
  BadSigframe, onSigStack, riscv64SignalFrames as F, RV64_FRAME as O, SS_AUTODISARM, SS_DISABLE, SS_ONSTACK,
} from '../../../personalities/linux/abi/riscv64-signal.js';
import { riscv64Arch } from '../../../personalities/linux/abi/riscv64.js';
import type { AltStack, FrameRequest } from '../../../personalities/linux/abi/signal-frame.js';

const STACK = 0x40000000; // [STACK, STACK + 64 KiB) read/write
const STACK_TOP = STACK + 0x10000;
const ALT = 0x50000000; // 32 KiB alternate stack
const ALT_SIZE = 0x8000;
const CODE = 0x10000000;
const HANDLER = CODE + 0x100;
const TRAMP = CODE + 0x800;

const NO_ALT: AltStack = { sp: 0, size: 0, flags: 0 };

let mem: AddressSpace;
let core: Rv64Core;

/** Deterministic 64-bit pseudo-random values (xorshift64*). */
function rng(seed: bigint): () => bigint {
  let x = seed;
  return () => {
    x ^= x >> 12n; x ^= (x << 25n) & 0xffffffffffffffffn; x ^= x >> 27n;
    return (x * 0x2545f4914f6cdd1dn) & 0xffffffffffffffffn;
  };
}

interface Snapshot { pc: number; x: bigint[]; f: bigint[]; fflags: number; frm: number }

function fbitsOf(c: Rv64Core, i: number): bigint {
  return (BigInt(c.s.fbits[2 * i + 1] >>> 0) << 32n) | BigInt(c.s.fbits[2 * i] >>> 0);
}
function setF(c: Rv64Core, i: number, v: bigint): void {
  c.s.fbits[2 * i] = Number(BigInt.asIntN(32, v));
  c.s.fbits[2 * i + 1] = Number(BigInt.asIntN(32, v >> 32n));
}
function snapshot(c: Rv64Core): Snapshot {
  return {
    pc: c.pc,
    x: Array.from({ length: 32 }, (_, i) => c.getReg(i)),
    f: Array.from({ length: 32 }, (_, i) => fbitsOf(c, i)),
    fflags: c.s.fflags, frm: c.s.frm,
  };
}

/** Fills every register with distinct values; sp is set separately. */
function scramble(c: Rv64Core, seed: bigint, sp: number): void {
  const next = rng(seed);
  for (let i = 1; i < 32; i++) c.setReg(i, next());
  c.setReg(2, BigInt(sp));
  const specials = [0x7ff8000000000001n, 0xfff0000000000000n, 0x8000000000000000n, 0xffffffff3fc00000n /* NaN-boxed 1.5f */];
  for (let i = 0; i < 32; i++) setF(c, i, i < specials.length ? specials[i] : next());
  c.s.fflags = Number(next() & 31n);
  c.s.frm = Number(next() % 5n);
  c.pc = 0x12345678;
}

function request(over: Partial<FrameRequest> = {}): FrameRequest {
  return {
    info: { signo: 10, code: 'SI_USER', pid: 4321, uid: 1000 },
    handler: HANDLER,
    flags: 4n, // SA_SIGINFO
    restorer: 0,
    trampoline: TRAMP,
    savedMask: (1n << 0n) | (1n << 62n),
    altstack: null,
    currentAltstack: NO_ALT,
    ...over,
  };
}

const u64 = (a: number): bigint => mem.readU64(a);
const u32 = (a: number): number => mem.readU32(a);

beforeEach(() => {
  mem ??= new AddressSpace();
  mem.unmapPages(0x10000, 0x60000000 - 0x10000);
  mem.mapPages(STACK, 0x10000, PROT_READ | PROT_WRITE);
  mem.mapPages(ALT, ALT_SIZE, PROT_READ | PROT_WRITE);
  mem.mapPages(CODE, 0x1000, PROT_READ | PROT_EXEC);
  core?.dispose();
  core = rv64CoreFactory.create(mem, 1) as Rv64Core;
});

describe('riscv64 rt_sigframe layout', () => {
  it('offsets follow the UAPI headers', () => {
    // siginfo_t 128; ucontext: flags 8, link 8, stack_t 24, sigset 8, __unused 120,
    // pad to 16 for the sigcontext (its FP union has a 16-aligned member)
    expect(O.uc).toBe(128);
    expect(O.ucFlags).toBe(O.uc + 0);
    expect(O.ucLink).toBe(O.uc + 8);
    expect([O.ssSp, O.ssFlags, O.ssSize]).toEqual([O.uc + 16, O.uc + 24, O.uc + 32]);
    expect(O.sigmask).toBe(O.uc + 40);
    expect(O.mcontext).toBe(O.uc + 176);
    expect(O.regs).toBe(O.mcontext);
    expect(O.fpregs).toBe(O.mcontext + 32 * 8);
    expect(O.fcsr).toBe(O.fpregs + 32 * 8);
    // union __riscv_fp_state is 528 bytes (its Q view): f[64] 512, fcsr 4, reserved[3] 12
    expect(O.fpReserved).toBe(O.fpregs + 512 + 4);
    expect(O.size).toBe(O.fpregs + 528);
    expect(O.size % 16).toBe(0);
  });

  it('agrees with the probe run on riscv64 (committed expected output)', () => {
    const text = readFileSync(new URL('../../fixtures/expected/riscv64/sigprobe-frame.stdout', import.meta.url), 'utf8');
    const v = new Map(text.trim().split('\n').map((l) => {
      const i = l.indexOf(' ');
      return [l.slice(0, i), l.slice(i + 1)] as [string, string];
    }));
    const n = (k: string): number => Number(v.get(k));
    expect(n('layout.siginfo')).toBe(O.uc);
    expect(n('kill.uc_minus_info')).toBe(O.uc);
    expect(O.uc + n('layout.uc_stack')).toBe(O.ssSp);
    expect(O.uc + n('layout.uc_sigmask')).toBe(O.sigmask);
    expect(O.uc + n('layout.uc_mcontext')).toBe(O.mcontext);
    expect(O.mcontext + n('layout.fpregs')).toBe(O.fpregs);
    expect(O.mcontext + n('layout.fcsr')).toBe(O.fcsr);
    expect(O.uc + n('layout.ucontext')).toBe(O.size);
    expect(n('kill.sp_minus_info')).toBe(O.size);
    expect(n('alt.top_minus_info')).toBe(O.size);
    expect(v.get('kill.handler_ra_code')).toBe('0x08b00893 0x00000073');
  });

  it('the arch record carries the frames; MINSIGSTKSZ is 2048', () => {
    expect(riscv64Arch.signalFrames).toBe(F);
    expect(F.minSigStackSize).toBe(2048);
  });

  it('trampoline is li a7, 139; ecall', () => {
    const w = new DataView(F.trampolineCode.buffer, F.trampolineCode.byteOffset, 8);
    expect(w.getUint32(0, true)).toBe(0x08b00893);
    expect(w.getUint32(4, true)).toBe(0x00000073);
  });
});

describe('setup', () => {
  it('writes every field and points the registers at the handler', () => {
    const sp = STACK_TOP - 0x100;
    scramble(core, 1n, sp);
    const before = snapshot(core);
    const cur: AltStack = { sp: ALT, size: ALT_SIZE, flags: 0 };
    F.setup(core, mem, request({ currentAltstack: cur }));
    const fr = (sp - O.size) & ~15;

    // siginfo
    expect(mem.readI32(fr + 0)).toBe(10);
    expect(mem.readI32(fr + 4)).toBe(0);
    expect(mem.readI32(fr + 8)).toBe(0); // SI_USER
    expect(mem.readI32(fr + 16)).toBe(4321);
    expect(u32(fr + 20)).toBe(1000);
    // ucontext header
    expect(u64(fr + O.ucFlags)).toBe(0n);
    expect(u64(fr + O.ucLink)).toBe(0n);
    expect(u64(fr + O.ssSp)).toBe(BigInt(ALT));
    expect(u32(fr + O.ssFlags)).toBe(0);
    expect(u64(fr + O.ssSize)).toBe(BigInt(ALT_SIZE));
    expect(u64(fr + O.sigmask)).toBe((1n << 0n) | (1n << 62n));
    expect(mem.readBytes(fr + O.sigmask + 8, O.mcontext - O.sigmask - 8).every((b) => b === 0)).toBe(true);
    // sc_regs
    expect(u64(fr + O.regs)).toBe(BigInt(before.pc));
    for (let i = 1; i < 32; i++) expect([i, u64(fr + O.regs + 8 * i)]).toEqual([i, before.x[i]]);
    // sc_fpregs
    for (let i = 0; i < 32; i++) expect([i, u64(fr + O.fpregs + 8 * i)]).toEqual([i, before.f[i]]);
    expect(u32(fr + O.fcsr)).toBe((before.frm << 5) | before.fflags);
    expect(mem.readBytes(fr + O.fcsr + 4, O.size - O.fcsr - 4).every((b) => b === 0)).toBe(true);

    // registers for the handler
    expect(core.pc).toBe(HANDLER);
    expect(core.getReg(10)).toBe(10n);
    expect(core.getReg(11)).toBe(BigInt(fr));
    expect(core.getReg(12)).toBe(BigInt(fr + 128));
    expect(core.getReg(2)).toBe(BigInt(fr));
    expect(core.getReg(1)).toBe(BigInt(TRAMP));
    // everything else, FP state included, is left as it was
    const after = snapshot(core);
    for (const i of [3, 4, 5, 8, 9, 13, 17, 31]) expect(after.x[i]).toBe(before.x[i]);
    expect(after.f).toEqual(before.f);
    expect([after.fflags, after.frm]).toEqual([before.fflags, before.frm]);
  });

  it('aligns the frame down to 16 bytes below the interrupted sp', () => {
    for (const sp of [STACK_TOP, STACK_TOP - 8, STACK_TOP - 0x333, STACK_TOP - 0x1001]) {
      core.setReg(2, BigInt(sp));
      F.setup(core, mem, request());
      const fr = Number(core.getReg(2));
      expect(fr % 16).toBe(0);
      expect(fr).toBe(Math.floor((sp - O.size) / 16) * 16);
      expect(sp - fr).toBeGreaterThanOrEqual(O.size);
      expect(sp - fr).toBeLessThan(O.size + 16);
    }
  });

  it('uses sa_restorer for ra when one is given', () => {
    core.setReg(2, BigInt(STACK_TOP));
    F.setup(core, mem, request({ restorer: CODE + 0x40 }));
    expect(core.getReg(1)).toBe(BigInt(CODE + 0x40));
  });

  it('an unmapped or read-only stack throws GuestFault and changes no register', () => {
    for (const [sp, reason] of [[0x30000000, 'maperr'], [CODE + 0x1000, 'accerr']] as const) {
      scramble(core, 2n, sp);
      const before = snapshot(core);
      let err: unknown;
      try { F.setup(core, mem, request()); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(GuestFault);
      expect((err as GuestFault).access).toBe('write');
      expect((err as GuestFault).reason).toBe(reason);
      expect(snapshot(core)).toEqual(before);
    }
  });

  it('a stack pointer beyond 4 GiB or below the frame size faults', () => {
    core.setReg(2, 0x1_0000_0010n);
    expect(() => F.setup(core, mem, request())).toThrow(GuestFault);
    core.setReg(2, 0x100n);
    expect(() => F.setup(core, mem, request())).toThrow(GuestFault);
  });

  it('a stack that ends inside the frame faults (frame partly unmapped)', () => {
    core.setReg(2, BigInt(STACK + 0x200)); // frame would start below STACK
    expect(() => F.setup(core, mem, request())).toThrow(GuestFault);
  });
});

describe('alternate stack', () => {
  const alt: AltStack = { sp: ALT, size: ALT_SIZE, flags: 0 };

  it('places the frame at the top of the alternate stack and saves uc_stack verbatim', () => {
    core.setReg(2, BigInt(STACK_TOP - 0x40));
    F.setup(core, mem, request({ altstack: alt, currentAltstack: alt }));
    const fr = Number(core.getReg(2));
    expect(fr).toBe(ALT + ALT_SIZE - O.size);
    expect(u64(fr + O.ssSp)).toBe(BigInt(ALT));
    expect(u32(fr + O.ssFlags)).toBe(0);
    expect(u64(fr + O.ssSize)).toBe(BigInt(ALT_SIZE));
    expect(u64(fr + O.regs + 16)).toBe(BigInt(STACK_TOP - 0x40)); // the interrupted sp
  });

  it('an unaligned alternate stack top is aligned down', () => {
    const odd: AltStack = { sp: ALT + 3, size: ALT_SIZE - 0x105, flags: 0 };
    core.setReg(2, BigInt(STACK_TOP));
    F.setup(core, mem, request({ altstack: odd, currentAltstack: odd }));
    const fr = Number(core.getReg(2));
    expect(fr % 16).toBe(0);
    expect(fr).toBe(Math.floor((odd.sp + odd.size - O.size) / 16) * 16);
  });

  it('a nested signal on the alternate stack goes below the interrupted sp; the flags stay as stored', () => {
    const sp = ALT + 0x4000;
    core.setReg(2, BigInt(sp));
    F.setup(core, mem, request({ altstack: null, currentAltstack: alt }));
    const fr = Number(core.getReg(2));
    expect(fr).toBe(sp - O.size);
    expect(u32(fr + O.ssFlags)).toBe(0); // the kernel does not add SS_ONSTACK
  });

  it('SS_AUTODISARM is saved as an unsigned flag and comes back unchanged', () => {
    const ad: AltStack = { sp: ALT, size: ALT_SIZE, flags: SS_AUTODISARM };
    core.setReg(2, BigInt(STACK_TOP));
    F.setup(core, mem, request({ altstack: ad, currentAltstack: ad }));
    const fr = Number(core.getReg(2));
    expect(u32(fr + O.ssFlags)).toBe(0x80000000);
    expect(F.restore(core, mem).altstack).toEqual(ad);
  });

  it('overflowing the alternate stack while on it faults', () => {
    core.setReg(2, BigInt(ALT + 0x200));
    expect(() => F.setup(core, mem, request({ currentAltstack: alt }))).toThrow(GuestFault);
  });

  it('onSigStack: the top counts, the base does not; disabled and autodisarm stacks never', () => {
    expect(onSigStack(ALT + ALT_SIZE, alt)).toBe(true);
    expect(onSigStack(ALT + 1, alt)).toBe(true);
    expect(onSigStack(ALT, alt)).toBe(false);
    expect(onSigStack(ALT + ALT_SIZE + 1, alt)).toBe(false);
    expect(onSigStack(ALT + 8, { ...alt, flags: SS_DISABLE })).toBe(false);
    expect(onSigStack(ALT + 8, { ...alt, flags: SS_AUTODISARM })).toBe(false);
    expect(onSigStack(ALT + 8, { ...alt, flags: SS_ONSTACK })).toBe(true);
    expect(onSigStack(8, NO_ALT)).toBe(false);
  });
});

describe('restore (rt_sigreturn)', () => {
  it('round trip restores pc, x1..x31, f0..f31 and fcsr bit-exactly and returns mask/altstack', () => {
    for (const seed of [3n, 4n, 5n]) {
      const sp = STACK_TOP - 0x80 - Number(seed) * 8;
      scramble(core, seed, sp);
      const before = snapshot(core);
      const cur: AltStack = { sp: ALT, size: ALT_SIZE, flags: SS_DISABLE };
      const mask = 0xfffffffe_7ffffeffn ^ seed;
      F.setup(core, mem, request({ savedMask: mask, currentAltstack: cur }));
      const fr = Number(core.getReg(2));
      // the handler clobbers everything, then returns to the trampoline with sp == frame
      scramble(core, seed + 100n, fr);
      const got = F.restore(core, mem);
      expect(snapshot(core)).toEqual(before);
      expect(got.mask).toBe(mask);
      expect(got.altstack).toEqual(cur);
    }
  });

  it('restores what the handler changed in the frame', () => {
    core.setReg(2, BigInt(STACK_TOP));
    core.setReg(6, 0x77n);
    core.pc = CODE + 0x20;
    F.setup(core, mem, request());
    const fr = Number(core.getReg(2));
    mem.writeU64(fr + O.regs, BigInt(CODE + 0x24)); // pc += 4
    mem.writeU64(fr + O.regs + 6 * 8, 0xfeedfacen); // t1
    mem.writeU64(fr + O.fpregs + 9 * 8, 0x4002000000000000n); // fs1 = 2.25
    mem.writeU32(fr + O.fcsr, 0x40 | 0x13); // frm = RDN, flags NV|OF|NX
    mem.writeU64(fr + O.sigmask, 0x105n);
    const got = F.restore(core, mem);
    expect(core.pc).toBe(CODE + 0x24);
    expect(core.getReg(6)).toBe(0xfeedfacen);
    expect(fbitsOf(core, 9)).toBe(0x4002000000000000n);
    expect([core.s.frm, core.s.fflags]).toEqual([2, 0x13]);
    expect(got.mask).toBe(0x105n); // dropping SIGKILL/SIGSTOP is the runtime's job
    expect(core.getReg(2)).toBe(BigInt(STACK_TOP));
  });

  it('nonzero reserved words after fcsr are refused (BadSigframe, a GuestFault) before any register changes', () => {
    core.setReg(2, BigInt(STACK_TOP));
    F.setup(core, mem, request());
    const fr = Number(core.getReg(2));
    mem.writeU32(fr + O.fpReserved + 8, 1);
    const before = snapshot(core);
    expect(() => F.restore(core, mem)).toThrow(BadSigframe);
    expect(() => F.restore(core, mem)).toThrow(GuestFault);
    expect(snapshot(core)).toEqual(before);
  });

  it('an unreadable frame throws GuestFault', () => {
    core.setReg(2, 0x30000000n);
    expect(() => F.restore(core, mem)).toThrow(GuestFault);
    core.setReg(2, BigInt(STACK_TOP - 0x100)); // frame runs past the end of the stack mapping
    expect(() => F.restore(core, mem)).toThrow(GuestFault);
    core.setReg(2, 0xffff_ffff_ffff_f000n);
    expect(() => F.restore(core, mem)).toThrow(GuestFault);
  });
});

describe('delivery on a running core', () => {
  it('handler returns through the trampoline; rt_sigreturn resumes the interrupted code', () => {
    // interrupted code: addi t0, t0, 1 ; ebreak
    const code = new Uint32Array([0x00128293, 0x00100073]);
    mem.poke(CODE, new Uint8Array(code.buffer));
    // handler: addi s0, a0, 0 (s0 = signo) ; ld s1, 0x10(a1) (s1 = si_pid) ; addi t0, zero, 99 ; ret
    const handler = new Uint32Array([0x00050413, 0x0105b483, 0x06300293, 0x00008067]);
    mem.poke(HANDLER, new Uint8Array(handler.buffer));
    mem.poke(TRAMP, F.trampolineCode);

    core.pc = CODE;
    core.setReg(2, BigInt(STACK_TOP - 0x10));
    core.setReg(5, 41n);
    core.setReg(8, 0x8888n);
    F.setup(core, mem, request());
    expect(core.run(100)).toBe(StopKind.Syscall);
    expect(core.pc).toBe(TRAMP + 4);
    expect(core.getReg(17)).toBe(139n);
    expect(core.getReg(8)).toBe(10n);
    expect(core.getReg(9) & 0xffffffffn).toBe(4321n);
    // the runtime's rt_sigreturn: restore, and neither advance pc nor write a0
    const { mask } = F.restore(core, mem as AddressSpace);
    expect(mask).toBe((1n << 0n) | (1n << 62n));
    expect(core.pc).toBe(CODE);
    expect(core.getReg(8)).toBe(0x8888n);
    expect(core.run(100)).toBe(StopKind.Breakpoint);
    expect(core.getReg(5)).toBe(42n);
    expect(core.getReg(2)).toBe(BigInt(STACK_TOP - 0x10));
  });

  it('refuses a core of another ISA', () => {
    const fake = { isa: 'mips', getReg: () => 0n } as unknown as IsaCore;
    expect(() => F.setup(fake, mem, request())).toThrow(/riscv64 core/);
  });
});
