/**
 * MIPS o32 signal frames (personalities/linux/abi/mips-o32-signal.ts) on real
 * MIPS cores of both byte orders: field placement, frame placement as the
 * probe measured it under qemu-mipsel (test/fixtures/bin/mipsel/probes/
 * sigframe.stdout), setup → restore round trips in FR=1 and FR=0, and a
 * handler that returns through the trampoline on the core.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { AddressSpace, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../../src/memory/address-space.js';
import { GuestFault } from '../../../src/memory/fault.js';
import { MipsCore, mipsCoreFactory, mipselCoreFactory } from '../../../src/isa/mips/core.js';
import { rv64CoreFactory } from '../../../src/isa/riscv64/core.js';
import { StopKind, type Endian } from '../../../src/plugin/contracts.js';
import {
  mipsO32SignalFramesFor, O32_FRAME as O, O32_SIGRETURN_WORDS, USED_FP, USED_FR1,
} from '../../../personalities/linux/abi/mips-o32-signal.js';
import { mipsO32ArchFor, mipsO32SyscallAbi } from '../../../personalities/linux/abi/mips-o32.js';
import type { AltStack, FrameRequest } from '../../../personalities/linux/abi/signal-frame.js';

const STACK = 0x40000000; // 64 KiB read/write
const STACK_TOP = STACK + 0x10000;
const ALT = 0x50000000;
const ALT_SIZE = 0x8000;
const CODE = 0x10000000;
const HANDLER = CODE + 0x100;
const TRAMP = CODE + 0x800;
const NO_ALT: AltStack = { sp: 0, size: 0, flags: 2 /* SS_DISABLE */ };

const PROBES = fileURLToPath(new URL('../../fixtures/bin/mipsel/probes/', import.meta.url));
const committed = readFileSync(PROBES + 'sigframe.stdout', 'utf8');
const probe = new Map(committed.trim().split('\n').map((l) => {
  const i = l.indexOf(' ');
  return [l.slice(0, i), l.slice(i + 1)] as [string, string];
}));
const hasQemu = (() => { try { execFileSync('qemu-mipsel', ['-version'], { stdio: 'ignore' }); return true; } catch { return false; } })();

let mem: AddressSpace;

function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
}

interface Snap { pc: number; r: number[]; hi: number; lo: number; f: number[]; fcsr: number }

function snap(c: MipsCore): Snap {
  const fr = c.getFpuMode().fr;
  const f: number[] = [];
  for (let i = 0; i < 32; i++) {
    if (fr) { const w = c.getFprWords(i); f.push(w.lo >>> 0, w.hi >>> 0); } else f.push(c.getFpr32(i) >>> 0);
  }
  return { pc: c.pc, r: Array.from({ length: 32 }, (_, i) => c.getRegLo(i) >>> 0), hi: c.hi >>> 0, lo: c.lo >>> 0, f, fcsr: c.fcsr >>> 0 };
}

function scramble(c: MipsCore, seed: number, sp: number): void {
  const next = rng(seed);
  for (let i = 1; i < 32; i++) c.setReg(i, BigInt(next()));
  c.setReg(29, BigInt(sp));
  c.hi = next(); c.lo = next();
  for (let i = 0; i < 32; i++) {
    if (c.getFpuMode().fr) c.setFprWords(i, next(), next()); else c.setFpr32(i, next());
  }
  c.fcsr = next() & 0x0183_ffff; // FCC, flags, enables, cause, rounding
  c.pc = 0x00401234;
}

function request(over: Partial<FrameRequest> = {}): FrameRequest {
  return {
    info: { signo: 16, code: 'SI_TKILL', pid: 4321, uid: 1000 },
    handler: HANDLER,
    flags: 8n, // SA_SIGINFO
    restorer: 0,
    trampoline: TRAMP,
    savedMask: (1n << 0n) | (1n << 39n) | (1n << 119n) | (1n << 127n),
    altstack: null,
    currentAltstack: NO_ALT,
    ...over,
  };
}

function makeCore(endian: Endian, fr: 0 | 1 = 1): MipsCore {
  const c = (endian === 'little' ? mipselCoreFactory : mipsCoreFactory).create(mem, 1) as MipsCore;
  c.setFpuMode({ fr });
  return c;
}

function putWords(endian: Endian, addr: number, words: readonly number[]): void {
  const b = new Uint8Array(4 * words.length);
  const dv = new DataView(b.buffer);
  words.forEach((w, i) => dv.setUint32(4 * i, w >>> 0, endian === 'little'));
  mem.poke(addr, b);
}

beforeEach(() => {
  mem ??= new AddressSpace();
  mem.unmapPages(0x10000, 0x60000000 - 0x10000);
  mem.mapPages(STACK, 0x10000, PROT_READ | PROT_WRITE);
  mem.mapPages(ALT, ALT_SIZE, PROT_READ | PROT_WRITE);
  mem.mapPages(CODE, 0x1000, PROT_READ | PROT_EXEC);
});

describe('the probe (qemu-mipsel)', () => {
  it.skipIf(!hasQemu)('prints the committed output', () => {
    expect(execFileSync('qemu-mipsel', [PROBES + 'sigframe'], { encoding: 'utf8' })).toBe(committed);
  });
  it('measured what the frame code does', () => {
    expect(Number(probe.get('uc_minus_info'))).toBe(O.uc - O.info);
    expect(-Number(probe.get('frame_minus_info'))).toBe(O.info);
    expect(Number(probe.get('sp_minus_frame'))).toBe(32 + O.size); // 8-aligned sp: gap 32, then the frame
    expect(Number(probe.get('alt_top_minus_frame'))).toBe(O.size); // no gap on the alternate stack
    expect([Number(probe.get('ra_word0')), Number(probe.get('ra_word1'))]).toEqual([...O32_SIGRETURN_WORDS]);
    expect(Number(probe.get('raise_raw_word1'))).toBe(-6); // si_code (SI_TKILL) in the second word
    expect(probe.get('s7_after')).toBe('0x5eed1234'); // sigreturn restores registers from the (edited) frame
    expect(probe.get('mask')).toBe('0x00000000 0x00000080 0x00000000 0x00000000'); // signal 40 blocked
    expect(probe.get('uc_stack')).toBe('0 0 2');
  });
});

for (const endian of ['little', 'big'] as const) {
  const F = mipsO32SignalFramesFor(endian);
  const le = endian === 'little';
  const u32 = (a: number): number => mem.readU32(a, le);
  /** A u64 field of the frame as [low word, high word]. */
  const u64 = (a: number): [number, number] => (le ? [u32(a), u32(a + 4)] : [u32(a + 4), u32(a)]);

  describe(`o32 rt_sigframe (${endian}-endian)`, () => {
    it('the arch record carries these frames; trampoline is li v0, 4193; syscall in guest byte order', () => {
      expect(mipsO32ArchFor(endian).signalFrames).toBe(F);
      const dv = new DataView(F.trampolineCode.buffer, F.trampolineCode.byteOffset, 8);
      expect([dv.getUint32(0, le), dv.getUint32(4, le)]).toEqual([0x24021061, 0x0000000c]);
      expect(F.minSigStackSize).toBe(2048);
    });

    it('setup writes every field and points the registers at the handler', () => {
      const c = makeCore(endian);
      scramble(c, 7, STACK_TOP - 0x100);
      const before = snap(c);
      F.setup(c, mem, request({ currentAltstack: { sp: ALT, size: ALT_SIZE, flags: 0 } }));
      const frame = ((STACK_TOP - 0x100 - 32 - O.size) & ~7) >>> 0;
      expect(c.getRegLo(29) >>> 0).toBe(frame);
      expect(c.pc).toBe(HANDLER);
      expect(c.getRegLo(25) >>> 0).toBe(HANDLER); // t9
      expect(c.getRegLo(31) >>> 0).toBe(TRAMP);
      expect([c.getRegLo(4), c.getRegLo(5) >>> 0, c.getRegLo(6) >>> 0]).toEqual([16, frame + O.info, frame + O.uc]);
      // trampoline words in rs_pad, siginfo (swapped code/errno), uc
      expect([u32(frame + O.pad), u32(frame + O.pad + 4)]).toEqual([0x24021061, 0x0000000c]);
      expect([u32(frame + O.info), mem.readI32(frame + O.info + 4, le), u32(frame + O.info + 8), u32(frame + O.info + 12), u32(frame + O.info + 16)])
        .toEqual([16, -6, 0, 4321, 1000]);
      expect([u32(frame + O.ucFlags), u32(frame + O.ucLink)]).toEqual([0, 0]);
      expect([u32(frame + O.ssSp), u32(frame + O.ssSize), u32(frame + O.ssFlags)]).toEqual([ALT, ALT_SIZE, 0]);
      expect(u64(frame + O.pc)).toEqual([before.pc, 0]);
      expect(u64(frame + O.regs)).toEqual([0, 0]);
      for (let i = 1; i < 32; i++) expect(u64(frame + O.regs + 8 * i), `$${i}`).toEqual([before.r[i], 0]);
      expect(u64(frame + O.mdhi)).toEqual([before.hi, 0]);
      expect(u64(frame + O.mdlo)).toEqual([before.lo, 0]);
      for (let i = 0; i < 32; i++) expect(u64(frame + O.fpregs + 8 * i), `$f${i}`).toEqual([before.f[2 * i], before.f[2 * i + 1]]);
      expect(u32(frame + O.fpcCsr)).toBe(before.fcsr);
      expect(u32(frame + O.usedMath)).toBe(USED_FP | USED_FR1);
      expect([0, 1, 2, 3].map((w) => u32(frame + O.sigmask + 4 * w))).toEqual([0x1, 0x80, 0, 0x8080_0000]);
    });

    it('FR=0: even sc_fpregs slots hold the even/odd pair, odd slots are not written; no USED_FR1', () => {
      const c = makeCore(endian, 0);
      mem.writeBytes(STACK, new Uint8Array(0x10000));
      scramble(c, 11, STACK_TOP - 0x40);
      const before = snap(c);
      F.setup(c, mem, request());
      const frame = c.getRegLo(29) >>> 0;
      for (let i = 0; i < 32; i += 2) expect(u64(frame + O.fpregs + 8 * i), `$f${i}`).toEqual([before.f[i], before.f[i + 1]]);
      for (let i = 1; i < 32; i += 2) expect(u64(frame + O.fpregs + 8 * i), `$f${i}`).toEqual([0, 0]);
      expect(u32(frame + O.usedMath)).toBe(USED_FP);
    });

    it('a restorer is honoured; without any trampoline ra points at the words in the frame', () => {
      const c = makeCore(endian);
      scramble(c, 3, STACK_TOP - 0x100);
      F.setup(c, mem, request({ restorer: 0x00400abc }));
      expect(c.getRegLo(31) >>> 0).toBe(0x00400abc);
      scramble(c, 3, STACK_TOP - 0x100);
      F.setup(c, mem, request({ trampoline: 0 }));
      expect(c.getRegLo(31) >>> 0).toBe((c.getRegLo(29) >>> 0) + O.pad);
    });

    it('frame placement: 32 bytes below sp, aligned down to 8', () => {
      const c = makeCore(endian);
      for (const sp of [STACK_TOP - 0x100, STACK_TOP - 0x103, STACK_TOP - 0x10c]) {
        scramble(c, 5, sp);
        F.setup(c, mem, request());
        expect(c.getRegLo(29) >>> 0, `sp ${sp.toString(16)}`).toBe(Math.floor((sp - 32 - O.size) / 8) * 8);
      }
    });

    it('on the alternate stack: at its top, no gap; uc_stack saved as given', () => {
      const c = makeCore(endian);
      scramble(c, 9, STACK_TOP - 0x100);
      const alt = { sp: ALT, size: ALT_SIZE - 4, flags: 0 };
      F.setup(c, mem, request({ altstack: alt, currentAltstack: alt }));
      const frame = c.getRegLo(29) >>> 0;
      expect(frame).toBe((ALT + ALT_SIZE - 4 - O.size) & ~7);
      expect([u32(frame + O.ssSp), u32(frame + O.ssSize), u32(frame + O.ssFlags)]).toEqual([ALT, ALT_SIZE - 4, 0]);
    });

    it('overflowing the alternate stack while on it faults; so does an unmapped stack', () => {
      const c = makeCore(endian);
      scramble(c, 9, ALT + 0x100);
      expect(() => F.setup(c, mem, request({ currentAltstack: { sp: ALT, size: ALT_SIZE, flags: 0 } }))).toThrow(GuestFault);
      scramble(c, 9, 0x30000000);
      const before = snap(c);
      expect(() => F.setup(c, mem, request())).toThrow(GuestFault);
      expect(snap(c)).toEqual(before);
    });

    for (const fr of [1, 0] as const) {
      it(`round trip (FR=${fr}) restores pc, $1..$31, HI/LO, FPRs and FCSR; returns the 128-bit mask and uc_stack`, () => {
        const c = makeCore(endian, fr);
        scramble(c, 100 + fr, STACK_TOP - 0x200);
        const before = snap(c);
        const req = request({ currentAltstack: { sp: ALT, size: ALT_SIZE, flags: 0 } });
        F.setup(c, mem, req);
        scramble(c, 200 + fr, c.getRegLo(29) >>> 0); // the handler clobbers everything but sp
        const r = F.restore(c, mem);
        expect(snap(c)).toEqual(before);
        expect(r.mask).toBe(req.savedMask);
        expect(r.altstack).toEqual({ sp: ALT, size: ALT_SIZE, flags: 0 });
      });
    }

    it('restore applies what the handler changed in the frame', () => {
      const c = makeCore(endian);
      scramble(c, 21, STACK_TOP - 0x200);
      F.setup(c, mem, request());
      const frame = c.getRegLo(29) >>> 0;
      const w64 = (off: number, lo: number, hi = 0): void => {
        mem.writeU32(frame + off + (le ? 0 : 4), lo, le);
        mem.writeU32(frame + off + (le ? 4 : 0), hi, le);
      };
      w64(O.pc, 0x00402000);
      w64(O.regs + 8 * 23, 0x5eed1234, 0xffffffff); // only the low word counts
      w64(O.mdlo, 77);
      w64(O.fpregs + 8 * 3, 0x11111111, 0x22222222);
      mem.writeU32(frame + O.sigmask + 12, 0x4000_0000, le);
      const r = F.restore(c, mem);
      expect(c.pc).toBe(0x00402000);
      expect(c.getRegLo(23) >>> 0).toBe(0x5eed1234);
      expect(c.lo).toBe(77);
      expect(c.getFprWords(3)).toEqual({ lo: 0x11111111, hi: 0x22222222 });
      expect(r.mask >> 96n).toBe(0x4000_0000n);
    });

    it('without USED_FP in sc_used_math the FP state is left alone', () => {
      const c = makeCore(endian);
      scramble(c, 31, STACK_TOP - 0x200);
      F.setup(c, mem, request());
      const frame = c.getRegLo(29) >>> 0;
      mem.writeU32(frame + O.usedMath, 0, le);
      c.setFprWords(5, 1, 2);
      c.fcsr = 0x3;
      F.restore(c, mem);
      expect(c.getFprWords(5)).toEqual({ lo: 1, hi: 2 });
      expect(c.fcsr).toBe(3);
    });

    it('an unreadable frame throws GuestFault', () => {
      const c = makeCore(endian);
      c.setReg(29, 0x30000000n);
      expect(() => F.restore(c, mem)).toThrow(GuestFault);
    });

    it('delivery on a running core: the handler returns through the trampoline, rt_sigreturn resumes', () => {
      const c = makeCore(endian);
      const addiu = (rt: number, rs: number, imm: number): number => ((9 << 26) | (rs << 21) | (rt << 16) | (imm & 0xffff)) >>> 0;
      const mthi = (rs: number): number => ((rs << 21) | 0x11) >>> 0;
      const jr = (rs: number): number => ((rs << 21) | 0x8) >>> 0;
      // interrupted code: getpid; handler: s0 = 0x77, s1 = a0 (signo), hi = s0, return
      putWords(endian, CODE, [addiu(2, 0, 4020), 0x0000000c, addiu(8, 0, 1)]);
      putWords(endian, HANDLER, [addiu(16, 0, 0x77), addiu(17, 4, 0), mthi(16), jr(31), 0]);
      mem.poke(TRAMP, F.trampolineCode);
      scramble(c, 41, STACK_TOP - 0x300);
      c.pc = CODE;
      expect(c.run(100)).toBe(StopKind.Syscall);
      expect(mipsO32SyscallAbi.number(c)).toBe(4020);
      mipsO32SyscallAbi.advance(c);
      mipsO32SyscallAbi.setResult(c, 1234n);
      const interrupted = snap(c);
      F.setup(c, mem, request());
      const frame = c.getRegLo(29) >>> 0;
      expect(c.run(100)).toBe(StopKind.Syscall);
      expect(c.pc).toBe(TRAMP + 4);
      expect(mipsO32SyscallAbi.number(c)).toBe(4193); // rt_sigreturn
      expect(c.getRegLo(17)).toBe(16);
      expect(c.getRegLo(29) >>> 0).toBe(frame);
      F.restore(c, mem);
      expect(snap(c)).toEqual(interrupted);
      expect(c.run(1)).toBe(StopKind.Budget);
      expect(c.getRegLo(8)).toBe(1);
    });

    it('refuses a core of another ISA', () => {
      const rv = rv64CoreFactory.create(mem, 2);
      expect(() => F.setup(rv, mem, request())).toThrow(/mips core/);
      (rv as { dispose?: () => void }).dispose?.();
    });
  });
}
