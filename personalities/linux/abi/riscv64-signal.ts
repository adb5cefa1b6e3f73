/**
 * Linux riscv64 signal frames: `struct rt_sigframe { siginfo_t info; struct
 * ucontext uc; }` as the kernel pushes it, and rt_sigreturn.
 *
 * Layout (byte offsets from the frame address, from the UAPI headers
 * asm/ucontext.h, asm/sigcontext.h, asm/ptrace.h, asm-generic/signal.h;
 * checked against test/fixtures/src/riscv64/sigprobe/frame.c):
 *
 *      0  siginfo_t info                          128 bytes
 *    128  struct ucontext uc                      960 bytes, 16-aligned
 *    128    unsigned long uc_flags                (0)
 *    136    struct ucontext *uc_link              (0)
 *    144    stack_t uc_stack: void *ss_sp @144, int ss_flags @152, size_t ss_size @160
 *    168    sigset_t uc_sigmask                   8 bytes (64 signals)
 *    176    __u8 __unused[120]                    then 8 bytes of padding: the
 *                                                 union below is 16-aligned
 *    304    struct sigcontext uc_mcontext         784 bytes
 *    304      sc_regs: pc, then x1 (ra) .. x31 (t6), 8 bytes each
 *    560      sc_fpregs (union __riscv_fp_state, 528 bytes; the D view is used):
 *    560        __u64 f[32]                       raw bits of f0..f31
 *    816        __u32 fcsr                        frm << 5 | fflags
 *   1076        __u32 reserved[3]                 (the Q view's) zero on delivery, and
 *                                                 rt_sigreturn refuses a frame where they are not
 *   1088  end (sizeof(struct rt_sigframe))
 *
 * Placement: frame = (sp - 1088) & ~15, where sp is the interrupted sp, or the
 * top of the alternate stack when the handler runs on it. Then pc = handler,
 * a0 = signo, a1 = &info, a2 = &uc, sp = frame, ra = the sigreturn trampoline
 * (`li a7, 139; ecall`, what the kernel's vDSO holds). riscv has no
 * SA_RESTORER; a nonzero `restorer` in the request is honoured anyway.
 * The FP registers and fcsr stay as they were: the kernel does not reset them
 * for the handler.
 *
 * uc_stack saves the thread's sigaltstack setting as it is stored: ss_flags is
 * the value sigaltstack(2) last accepted (0 when never set, SS_DISABLE after a
 * disable, SS_AUTODISARM ...); the kernel does not add SS_ONSTACK for a nested
 * signal (verified on a Linux host; qemu-user does add it).
 */
import { GuestFault } from '../../../src/memory/fault.js';
import type { AddressSpace } from '../../../src/memory/address-space.js';
import type { IsaCore } from '../../../src/plugin/contracts.js';
import { encodeSiginfo, SIGINFO_SIZE } from './siginfo.js';
import type { AltStack, FrameRequest, SigInfo, SignalFrameAbi } from './signal-frame.js';

/** Byte offsets inside the riscv64 rt_sigframe (see the header comment). */
export const RV64_FRAME = {
  size: 1088,
  info: 0,
  uc: SIGINFO_SIZE,
  ucFlags: 128,
  ucLink: 136,
  ssSp: 144,
  ssFlags: 152,
  ssSize: 160,
  sigmask: 168,
  mcontext: 304,
  /** sc_regs[0] = pc, sc_regs[i] = x_i. */
  regs: 304,
  fpregs: 560,
  fcsr: 816,
  fpReserved: 1076,
} as const;

/** MINSIGSTKSZ (asm-generic/signal.h) and SIGSTKSZ. */
export const RV64_MINSIGSTKSZ = 2048;
export const RV64_SIGSTKSZ = 8192;

/** sigaltstack flags (linux/signal.h). */
export const SS_ONSTACK = 1;
export const SS_DISABLE = 2;
export const SS_AUTODISARM = 0x80000000;

const SP = 2;
const A0 = 10;
const RA = 1;
const STACK_ALIGN = 16;
const LIMIT = 0x1_0000_0000;

/** `li a7, 139` (addi a7, zero, 139) and `ecall`, little-endian. */
const TRAMPOLINE = new Uint8Array([0x93, 0x08, 0xb0, 0x08, 0x73, 0x00, 0x00, 0x00]);

/** A frame rt_sigreturn refuses (nonzero reserved words): the kernel answers with SIGSEGV. */
export class BadSigframe extends GuestFault {
  constructor(addr: number, why: string) {
    super(addr, 'read', 'accerr');
    this.message = `rt_sigreturn: bad signal frame at 0x${addr.toString(16)}: ${why}`;
    this.name = 'BadSigframe';
  }
}

/**
 * The parts of the riscv64 core's state a frame needs beyond IsaCore: the FP
 * register bits (int32 lo/hi pairs), fcsr fields and the LR/SC reservation.
 * Rv64Core exposes them as `core.s` (src/isa/riscv64/state.ts).
 */
interface Rv64FrameState {
  fbits: Int32Array;
  fflags: number;
  frm: number;
  reservation: number;
}

function rvState(core: IsaCore): Rv64FrameState {
  const s = (core as { s?: Partial<Rv64FrameState> }).s;
  if (core.isa !== 'riscv64' || s === undefined || !(s.fbits instanceof Int32Array) || s.fbits.length < 64
    || typeof s.fflags !== 'number' || typeof s.frm !== 'number') {
    throw new Error(`riscv64 signal frames need a riscv64 core exposing its FP state (core.s), got ${core.isa}`);
  }
  return s as Rv64FrameState;
}

/**
 * True when `sp` is on the alternate stack `st` (the stack grows down, so its
 * top address counts and its lowest does not). An SS_AUTODISARM stack counts
 * as never occupied, as in the kernel.
 */
export function onSigStack(sp: bigint | number, st: AltStack): boolean {
  if (st.size === 0 || (st.flags & SS_DISABLE) !== 0 || (st.flags & SS_AUTODISARM) !== 0) return false;
  const s = BigInt(sp), base = BigInt(st.sp);
  return s > base && s - base <= BigInt(st.size);
}

function encode(info: SigInfo): Uint8Array {
  return encodeSiginfo(info, { wordSize: 64, endian: 'little' });
}

function setup(core: IsaCore, mem: AddressSpace, req: FrameRequest): void {
  const st = rvState(core);
  const sp = core.getReg(SP);
  const top = req.altstack ? BigInt(req.altstack.sp) + BigInt(req.altstack.size) : sp;
  const frameBig = (top - BigInt(RV64_FRAME.size)) & ~BigInt(STACK_ALIGN - 1);
  // Already on the alternate stack and the frame would run off its bottom: the kernel refuses.
  if (req.altstack === null && onSigStack(sp, req.currentAltstack) && !onSigStack(sp - BigInt(RV64_FRAME.size), req.currentAltstack)) {
    throw new GuestFault(Number(BigInt.asUintN(64, frameBig)), 'write', 'maperr');
  }
  if (frameBig < 0n || frameBig + BigInt(RV64_FRAME.size) > BigInt(LIMIT)) {
    throw new GuestFault(Number(BigInt.asUintN(64, frameBig)), 'write', 'maperr');
  }
  const frame = Number(frameBig);

  const buf = new Uint8Array(RV64_FRAME.size);
  const dv = new DataView(buf.buffer);
  buf.set(encode(req.info), RV64_FRAME.info);
  // uc_flags, uc_link: 0 (buffer is zeroed)
  const cur = req.currentAltstack;
  dv.setBigUint64(RV64_FRAME.ssSp, BigInt.asUintN(64, BigInt(cur.sp)), true);
  dv.setUint32(RV64_FRAME.ssFlags, cur.flags >>> 0, true);
  dv.setBigUint64(RV64_FRAME.ssSize, BigInt.asUintN(64, BigInt(cur.size)), true);
  dv.setBigUint64(RV64_FRAME.sigmask, BigInt.asUintN(64, req.savedMask), true);
  dv.setBigUint64(RV64_FRAME.regs, BigInt(core.pc >>> 0), true);
  for (let i = 1; i < 32; i++) dv.setBigUint64(RV64_FRAME.regs + 8 * i, core.getReg(i), true);
  const fb = st.fbits;
  for (let i = 0; i < 32; i++) {
    dv.setInt32(RV64_FRAME.fpregs + 8 * i, fb[2 * i], true);
    dv.setInt32(RV64_FRAME.fpregs + 8 * i + 4, fb[2 * i + 1], true);
  }
  dv.setUint32(RV64_FRAME.fcsr, ((st.frm & 7) << 5) | (st.fflags & 31), true);
  // fpReserved: zero

  mem.writeBytes(frame, buf); // GuestFault when the stack is unmapped or read-only

  core.pc = req.handler;
  core.setReg(A0, BigInt(req.info.signo));
  core.setReg(A0 + 1, BigInt(frame + RV64_FRAME.info));
  core.setReg(A0 + 2, BigInt(frame + RV64_FRAME.uc));
  core.setReg(SP, BigInt(frame));
  core.setReg(RA, BigInt(req.restorer !== 0 ? req.restorer : req.trampoline));
  st.reservation = -1;
}

function restore(core: IsaCore, mem: AddressSpace): { mask: bigint; altstack: AltStack } {
  const st = rvState(core);
  const sp = core.getReg(SP);
  if (sp + BigInt(RV64_FRAME.size) > BigInt(LIMIT)) throw new GuestFault(Number(sp), 'read', 'maperr');
  const frame = Number(sp);
  const buf = mem.readBytes(frame, RV64_FRAME.size); // GuestFault when unreadable
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let i = 0; i < 3; i++) {
    const off = RV64_FRAME.fpReserved + 4 * i;
    if (dv.getUint32(off, true) !== 0) throw new BadSigframe(frame + off, `sc_fpregs.q.reserved[${i}] is not zero`);
  }
  const mask = dv.getBigUint64(RV64_FRAME.sigmask, true);
  const altstack: AltStack = {
    sp: Number(dv.getBigUint64(RV64_FRAME.ssSp, true)),
    flags: dv.getUint32(RV64_FRAME.ssFlags, true),
    size: Number(dv.getBigUint64(RV64_FRAME.ssSize, true)),
  };
  // pc: compat guests live below 4 GiB; the core keeps a 32-bit pc.
  core.pc = Number(BigInt.asUintN(32, dv.getBigUint64(RV64_FRAME.regs, true)));
  for (let i = 1; i < 32; i++) core.setReg(i, dv.getBigUint64(RV64_FRAME.regs + 8 * i, true));
  const fb = st.fbits;
  for (let i = 0; i < 32; i++) {
    fb[2 * i] = dv.getInt32(RV64_FRAME.fpregs + 8 * i, true);
    fb[2 * i + 1] = dv.getInt32(RV64_FRAME.fpregs + 8 * i + 4, true);
  }
  const fcsr = dv.getUint32(RV64_FRAME.fcsr, true);
  st.fflags = fcsr & 31;
  st.frm = (fcsr >>> 5) & 7;
  st.reservation = -1;
  return { mask, altstack };
}

export const riscv64SignalFrames: SignalFrameAbi = {
  setup,
  restore,
  trampolineCode: TRAMPOLINE,
  encodeSiginfo: encode,
  minSigStackSize: RV64_MINSIGSTKSZ,
};
