/**
 * Linux x86-64 signal frames (arch/x86/kernel/signal_64.c layout, from the
 * UAPI headers asm/sigcontext.h, asm/ucontext.h, asm/signal.h):
 *
 *      0  char *pretcode                 the handler's return address: sa_restorer
 *      8  struct ucontext uc             304 bytes
 *      8    uc_flags                     UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS (6)
 *     16    uc_link                      0
 *     24    stack_t uc_stack: ss_sp @24, ss_flags @32, ss_size @40
 *     48    struct sigcontext uc_mcontext (256 bytes):
 *             r8 r9 r10 r11 r12 r13 r14 r15 rdi rsi rbp rbx rdx rax rcx rsp rip
 *             eflags (8 bytes each from 48), cs/gs/fs/ss (u16 @184..190),
 *             err @192, trapno @200, oldmask @208, cr2 @216, fpstate @224,
 *             reserved1[8] @232..295
 *    296    sigset_t uc_sigmask          8 bytes
 *    312  siginfo_t info                 128 bytes
 *    440  end of struct rt_sigframe
 *
 * The FP state (fxsave image, 512 bytes, 64-byte aligned: no XSAVE is
 * reported, so no extended area and no FP_XSTATE magic) sits above the frame:
 * fpstate = round_down(sp - 128 (red zone) - 512, 64); frame =
 * round_down(fpstate - 440, 16) - 8, so the handler sees rsp + 8 16-aligned
 * as after a call. Then rdi = signo, rsi = &info, rdx = &uc, rax = 0,
 * rip = handler, DF and TF cleared. x86-64 requires SA_RESTORER (glibc always
 * sets it); without one the frame returns to the runtime's trampoline.
 */
import { GuestFault } from '../../../src/memory/fault.js';
import type { AddressSpace } from '../../../src/memory/address-space.js';
import type { IsaCore } from '../../../src/plugin/contracts.js';
import type { X86Core } from '../../../src/isa/x86/core.js';
import { encodeSiginfo } from './siginfo.js';
import { onSigStack } from './riscv64-signal.js';
import type { AltStack, FrameRequest, SigInfo, SignalFrameAbi } from './signal-frame.js';

export const X64_FRAME = {
  size: 440,
  uc: 8,
  ucFlags: 8,
  ssSp: 24,
  ssFlags: 32,
  ssSize: 40,
  mcontext: 48,
  eflags: 48 + 136,
  csgsfs: 48 + 144,
  err: 48 + 152,
  trapno: 48 + 160,
  oldmask: 48 + 168,
  cr2: 48 + 176,
  fpstate: 48 + 184,
  sigmask: 296,
  info: 312,
} as const;

/** sigcontext register order → encoding register numbers (r8..r15, rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp). */
const SC_REGS = [8, 9, 10, 11, 12, 13, 14, 15, 7, 6, 5, 3, 2, 0, 1, 4];
const FXSAVE_SIZE = 512;
export const X64_MINSIGSTKSZ = 2048;
const LIMIT = 0x1_0000_0000;
const DF = 1 << 10, TF = 1 << 8;
/** The user-changeable RFLAGS bits sigreturn takes from the frame (FIX_EFLAGS). */
const FIX_EFLAGS = 0x1 | 0x4 | 0x10 | 0x40 | 0x80 | 0x100 | 0x400 | 0x800 | 0x40000 | 0x10000;

/** `mov eax, 15; syscall` — the trampoline used when a handler has no restorer. */
const TRAMPOLINE = new Uint8Array([0xb8, 0x0f, 0x00, 0x00, 0x00, 0x0f, 0x05]);

function x86(core: IsaCore): X86Core {
  if (core.isa !== 'x86_64' && core.isa !== 'i386') throw new Error(`x86 signal frames need an x86 core, got ${core.isa}`);
  return core as X86Core;
}

function encode(info: SigInfo): Uint8Array {
  return encodeSiginfo(info, { wordSize: 64, endian: 'little' });
}

/** trap number and cr2 the kernel reports for a fault signal. */
export function trapOf(info: SigInfo): { trapno: number; cr2: number; err: number } {
  if (info.code.startsWith('SEGV_')) return { trapno: 14, cr2: info.addr ?? 0, err: 4 | (info.code === 'SEGV_ACCERR' ? 1 : 0) };
  if (info.code.startsWith('ILL_')) return { trapno: 6, cr2: 0, err: 0 };
  if (info.code.startsWith('FPE_')) return { trapno: 0, cr2: 0, err: 0 };
  if (info.code.startsWith('TRAP_') || (info.code === 'SI_KERNEL' && info.signo === 5)) return { trapno: 3, cr2: 0, err: 0 };
  if (info.code === 'SI_KERNEL' && info.signo === 11) return { trapno: 13, cr2: 0, err: 0 };
  return { trapno: 0, cr2: 0, err: 0 };
}

/** The 512-byte fxsave image of the core's FP/SSE state. */
export function fxImage(c: X86Core, nXmm: number): Uint8Array {
  const b = new Uint8Array(FXSAVE_SIZE);
  const dv = new DataView(b.buffer);
  dv.setUint16(0, c.s.fcw, true);
  dv.setUint32(24, c.s.mxcsr >>> 0, true);
  dv.setUint32(28, 0xffff, true);
  b.set(c.s.xb.subarray(0, 16 * nXmm), 160);
  return b;
}

export function loadFxImage(c: X86Core, b: Uint8Array, nXmm: number): void {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  c.s.fcw = dv.getUint16(0, true);
  c.s.mxcsr = dv.getUint32(24, true) & 0xffff;
  c.s.xb.set(b.subarray(160, 160 + 16 * nXmm));
}

function setup(core: IsaCore, mem: AddressSpace, req: FrameRequest): void {
  const c = x86(core);
  const rsp = c.regNum(4);
  let sp = req.altstack ? req.altstack.sp + req.altstack.size : rsp - 128;
  const fpstate = Math.floor((sp - FXSAVE_SIZE) / 64) * 64;
  sp = Math.floor((fpstate - X64_FRAME.size) / 16) * 16 - 8;
  if (req.altstack === null && onSigStack(rsp, req.currentAltstack) && !onSigStack(sp, req.currentAltstack)) throw new GuestFault(Math.max(0, sp), 'write', 'maperr');
  if (sp < 0 || fpstate + FXSAVE_SIZE > LIMIT) throw new GuestFault(Math.max(0, sp), 'write', 'maperr');
  const frame = sp;
  const buf = new Uint8Array(fpstate + FXSAVE_SIZE - frame);
  const dv = new DataView(buf.buffer);
  dv.setBigUint64(0, BigInt(req.restorer !== 0 ? req.restorer : req.trampoline), true);
  dv.setBigUint64(X64_FRAME.ucFlags, 6n, true);
  const cur = req.currentAltstack;
  dv.setBigUint64(X64_FRAME.ssSp, BigInt.asUintN(64, BigInt(cur.sp)), true);
  dv.setUint32(X64_FRAME.ssFlags, cur.flags >>> 0, true);
  dv.setBigUint64(X64_FRAME.ssSize, BigInt.asUintN(64, BigInt(cur.size)), true);
  for (let i = 0; i < 16; i++) dv.setBigUint64(X64_FRAME.mcontext + 8 * i, c.getReg(SC_REGS[i]), true);
  dv.setBigUint64(X64_FRAME.mcontext + 128, BigInt(c.pc), true);
  dv.setBigUint64(X64_FRAME.eflags, BigInt(c.s.flags >>> 0), true);
  dv.setUint16(X64_FRAME.csgsfs, 0x33, true);
  dv.setUint16(X64_FRAME.csgsfs + 6, 0x2b, true);
  const t = trapOf(req.info);
  dv.setBigUint64(X64_FRAME.err, BigInt(t.err), true);
  dv.setBigUint64(X64_FRAME.trapno, BigInt(t.trapno), true);
  dv.setBigUint64(X64_FRAME.oldmask, BigInt.asUintN(64, req.savedMask), true);
  dv.setBigUint64(X64_FRAME.cr2, BigInt.asUintN(64, BigInt(t.cr2)), true);
  dv.setBigUint64(X64_FRAME.fpstate, BigInt(fpstate), true);
  dv.setBigUint64(X64_FRAME.sigmask, BigInt.asUintN(64, req.savedMask), true);
  buf.set(encode(req.info), X64_FRAME.info);
  buf.set(fxImage(c, 16), fpstate - frame);
  mem.writeBytes(frame, buf);

  c.pc = req.handler;
  c.setReg(7, BigInt(req.info.signo));
  c.setReg(6, BigInt(frame + X64_FRAME.info));
  c.setReg(2, BigInt(frame + X64_FRAME.uc));
  c.setReg(0, 0n);
  c.setReg(4, BigInt(frame));
  c.s.flags &= ~(DF | TF);
}

function restore(core: IsaCore, mem: AddressSpace): { mask: bigint; altstack: AltStack } {
  const c = x86(core);
  const frame = c.regNum(4) - 8; // the restorer's ret popped pretcode
  if (frame < 0 || frame + X64_FRAME.size > LIMIT) throw new GuestFault(Math.max(0, frame), 'read', 'maperr');
  const buf = mem.readBytes(frame, X64_FRAME.size);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let i = 0; i < 16; i++) c.setReg(SC_REGS[i], dv.getBigUint64(X64_FRAME.mcontext + 8 * i, true));
  c.s.rip = Number(dv.getBigUint64(X64_FRAME.mcontext + 128, true));
  const fl = Number(dv.getBigUint64(X64_FRAME.eflags, true) & 0xffffffffn);
  c.s.flags = (c.s.flags & ~FIX_EFLAGS) | (fl & FIX_EFLAGS) | 2;
  const fp = Number(dv.getBigUint64(X64_FRAME.fpstate, true));
  if (fp !== 0) loadFxImage(c, mem.readBytes(fp, FXSAVE_SIZE), 16);
  return {
    mask: dv.getBigUint64(X64_FRAME.sigmask, true),
    altstack: { sp: Number(dv.getBigUint64(X64_FRAME.ssSp, true)), flags: dv.getUint32(X64_FRAME.ssFlags, true), size: Number(dv.getBigUint64(X64_FRAME.ssSize, true)) },
  };
}

export const x86_64SignalFrames: SignalFrameAbi = {
  setup,
  restore,
  trampolineCode: TRAMPOLINE,
  encodeSiginfo: encode,
  minSigStackSize: X64_MINSIGSTKSZ,
};
