/**
 * Linux MIPS o32 signal frames: `struct rt_sigframe` as the kernel pushes it
 * (arch/mips/kernel/signal.c) and rt_sigreturn, for either byte order.
 *
 * Layout (byte offsets from the frame address; sizes and offsets from the
 * UAPI headers asm/sigcontext.h, asm/ucontext.h, asm/signal.h, checked
 * against test/fixtures/bin/mipsel/probes/layout.stdout):
 *
 *      0  u32 rs_ass[4]                 argument save area of the o32 calling convention
 *     16  u32 rs_pad[2]                 once the sigreturn trampoline; compat writes it
 *                                       there (li v0, 4193; syscall), as qemu-user does
 *     24  siginfo_t rs_info             128 bytes, si_signo, si_code, si_errno order
 *    152  struct ucontext rs_uc         632 bytes
 *    152    unsigned long uc_flags      (0)
 *    156    struct ucontext *uc_link    (0)
 *    160    stack_t uc_stack: ss_sp @160, ss_size @164, ss_flags @168
 *    176    struct sigcontext uc_mcontext (592 bytes, 8-aligned):
 *    176      u32 sc_regmask, 180 u32 sc_status (unused: 0)
 *    184      u64 sc_pc
 *    192      u64 sc_regs[32]           $0 saved as 0; 32-bit values zero-extended
 *    448      u64 sc_fpregs[32]         raw FPR bits (see below)
 *    704      u32 sc_acx, 708 u32 sc_fpc_csr, 712 u32 sc_fpc_eir, 716 u32 sc_used_math,
 *    720      u32 sc_dsp
 *    728      u64 sc_mdhi, 736 u64 sc_mdlo  HI and LO
 *    744      u32 sc_hi1..sc_lo3       DSP accumulators (no DSP: 0)
 *    768    sigset_t uc_sigmask         128 bits: four 32-bit words
 *    784  end (sizeof(struct rt_sigframe))
 * 64-bit fields are stored in the guest's byte order (big-endian: high word first).
 *
 * Placement (get_sigframe): the frame goes at ((sp - 32) - 784) & ~7, the 32
 * bytes left for an FPU-emulator trampoline above the user stack; on an
 * alternate stack at (top - 784) & ~7 (no gap). No extended (MSA) context:
 * the core has no MSA. Then a0 = signo, a1 = &rs_info, a2 = &rs_uc, sp =
 * frame, ra = the sigreturn trampoline, and pc = t9 ($25) = the handler (PIC
 * code finds its GOT through t9). MIPS has no SA_RESTORER; a nonzero
 * `restorer` is honoured anyway; without a runtime trampoline ra points at
 * the words in rs_pad (this needs an executable stack).
 *
 * FP state (protected_save_fp_context): sc_used_math = USED_FP, plus
 * USED_FR1 when the thread runs with FR=1. FR=1: sc_fpregs[i] = the 64 bits
 * of FPR i for every i. FR=0: only even slots are written, each holding the
 * pair (low word = f[i], high word = f[i+1]); odd slots are left as they
 * were (zero here). sc_fpc_csr = FCSR. The kernel writes no FP state for a
 * thread that never used the FPU; compat does not track that and always
 * saves it, so restoring gives back the same values.
 *
 * rt_sigreturn reads the frame at the current sp: pc, $1..$31 (low words),
 * HI/LO, FP registers and FCSR when sc_used_math has USED_FP, the 128-bit
 * mask, and uc_stack. It does not touch v0/a3 itself (the stub writes no
 * result for it).
 */
import { GuestFault } from '../../../src/memory/fault.js';
import type { AddressSpace } from '../../../src/memory/address-space.js';
import type { Endian, IsaCore } from '../../../src/plugin/contracts.js';
import { encodeSiginfo, MIPS_SI_CODES, SIGINFO_SIZE } from './siginfo.js';
import type { AltStack, FrameRequest, SigInfo, SignalFrameAbi } from './signal-frame.js';
import { MIPS_MINSIGSTKSZ } from './mips-signals.js';

/** Byte offsets inside the o32 rt_sigframe (see the header comment). */
export const O32_FRAME = {
  size: 784,
  ass: 0,
  pad: 16,
  info: 24,
  uc: 24 + SIGINFO_SIZE,
  ucFlags: 152,
  ucLink: 156,
  ssSp: 160,
  ssSize: 164,
  ssFlags: 168,
  mcontext: 176,
  regmask: 176,
  status: 180,
  pc: 184,
  regs: 192,
  fpregs: 448,
  acx: 704,
  fpcCsr: 708,
  fpcEir: 712,
  usedMath: 716,
  dsp: 720,
  mdhi: 728,
  mdlo: 736,
  hi1: 744,
  sigmask: 768,
} as const;

/** sc_used_math bits (asm/sigcontext.h). */
export const USED_FP = 1;
export const USED_FR1 = 2;
export const USED_HYBRID_FPRS = 4;
export const USED_EXTCONTEXT = 8;

/** Gap get_sigframe leaves below the interrupted sp; o32 stack alignment. */
const SIGFRAME_GAP = 32;
const FRAME_ALIGN = 8;

/** `li v0, 4193` (addiu $2, $0, __NR_rt_sigreturn) and `syscall`. */
export const O32_SIGRETURN_WORDS = [0x24021061, 0x0000000c] as const;

const SP = 29, A0 = 4, T9 = 25, RA = 31;
const SS_DISABLE = 2;
const SS_AUTODISARM = 0x8000_0000;

/** What a frame needs from the MIPS core beyond IsaCore (MipsCore has all of it). */
interface MipsFrameCore extends IsaCore {
  hi: number;
  lo: number;
  fcsr: number;
  getFprWords(i: number): { lo: number; hi: number };
  setFprWords(i: number, lo: number, hi: number): void;
  getFpuMode(): { fr: 0 | 1 };
  readonly s?: { llAddr: number };
}

function mipsCore(core: IsaCore): MipsFrameCore {
  const c = core as Partial<MipsFrameCore>;
  if (core.isa !== 'mips' || typeof c.getFprWords !== 'function' || typeof c.setFprWords !== 'function'
    || typeof c.getFpuMode !== 'function' || typeof c.fcsr !== 'number' || typeof c.hi !== 'number') {
    throw new Error(`MIPS o32 signal frames need a mips core exposing HI/LO and the FPU, got ${core.isa}`);
  }
  return core as MipsFrameCore;
}

/** True when `sp` is on the alternate stack `st` (SS_AUTODISARM stacks never count, as in the kernel). */
function onSigStack(sp: number, st: AltStack): boolean {
  if (st.size === 0 || (st.flags & SS_DISABLE) !== 0 || (st.flags & SS_AUTODISARM) !== 0) return false;
  return sp > st.sp && sp - st.sp <= st.size;
}

function makeFrames(endian: Endian): SignalFrameAbi {
  const le = endian === 'little';
  const siginfoLayout = { wordSize: 32, endian, swappedErrnoCode: true, codes: MIPS_SI_CODES } as const;
  const encode = (info: SigInfo): Uint8Array => encodeSiginfo(info, siginfoLayout);

  const tramp = new Uint8Array(8);
  const tdv = new DataView(tramp.buffer);
  tdv.setUint32(0, O32_SIGRETURN_WORDS[0], le);
  tdv.setUint32(4, O32_SIGRETURN_WORDS[1], le);

  /** A u64 field from two 32-bit halves, in the guest's byte order. */
  const put64 = (dv: DataView, off: number, lo: number, hi: number): void => {
    dv.setUint32(le ? off : off + 4, lo >>> 0, le);
    dv.setUint32(le ? off + 4 : off, hi >>> 0, le);
  };
  const lo64 = (dv: DataView, off: number): number => dv.getUint32(le ? off : off + 4, le);
  const hi64 = (dv: DataView, off: number): number => dv.getUint32(le ? off + 4 : off, le);

  function setup(core: IsaCore, mem: AddressSpace, req: FrameRequest): void {
    const c = mipsCore(core);
    const F = O32_FRAME;
    const sp = c.getRegLo(SP) >>> 0;
    // Already on the alternate stack and the frame would run off its bottom: the kernel refuses.
    if (req.altstack === null && onSigStack(sp, req.currentAltstack) && !onSigStack(sp - F.size, req.currentAltstack)) {
      throw new GuestFault((sp - F.size) >>> 0, 'write', 'maperr');
    }
    const top = req.altstack ? req.altstack.sp + req.altstack.size : sp - SIGFRAME_GAP;
    const frame = Math.floor((top - F.size) / FRAME_ALIGN) * FRAME_ALIGN;
    if (frame < 0 || frame + F.size > 0x8000_0000) throw new GuestFault(frame >>> 0, 'write', 'maperr');

    const buf = new Uint8Array(F.size);
    const dv = new DataView(buf.buffer);
    buf.set(tramp, F.pad);
    buf.set(encode(req.info), F.info);
    // uc_flags, uc_link: 0
    const cur = req.currentAltstack;
    dv.setUint32(F.ssSp, cur.sp >>> 0, le);
    dv.setUint32(F.ssSize, cur.size >>> 0, le);
    dv.setUint32(F.ssFlags, cur.flags >>> 0, le);
    put64(dv, F.pc, c.pc, 0);
    for (let i = 1; i < 32; i++) put64(dv, F.regs + 8 * i, c.getRegLo(i), 0);
    const fr = c.getFpuMode().fr;
    for (let i = 0; i < 32; i += fr ? 1 : 2) {
      const w = c.getFprWords(i);
      put64(dv, F.fpregs + 8 * i, w.lo, w.hi);
    }
    dv.setUint32(F.fpcCsr, c.fcsr >>> 0, le);
    dv.setUint32(F.usedMath, USED_FP | (fr ? USED_FR1 : 0), le);
    put64(dv, F.mdhi, c.hi, 0);
    put64(dv, F.mdlo, c.lo, 0);
    for (let w = 0; w < 4; w++) {
      dv.setUint32(F.sigmask + 4 * w, Number((req.savedMask >> BigInt(32 * w)) & 0xffff_ffffn), le);
    }

    mem.writeBytes(frame, buf); // GuestFault when the stack is unmapped or read-only

    const ra = req.restorer !== 0 ? req.restorer : req.trampoline !== 0 ? req.trampoline : frame + F.pad;
    c.setReg(A0, BigInt(req.info.signo));
    c.setReg(A0 + 1, BigInt(frame + F.info));
    c.setReg(A0 + 2, BigInt(frame + F.uc));
    c.setReg(SP, BigInt(frame));
    c.setReg(RA, BigInt(ra >>> 0));
    c.setReg(T9, BigInt(req.handler >>> 0));
    c.pc = req.handler;
    if (c.s) c.s.llAddr = -1;
  }

  function restore(core: IsaCore, mem: AddressSpace): { mask: bigint; altstack: AltStack } {
    const c = mipsCore(core);
    const F = O32_FRAME;
    const frame = c.getRegLo(SP) >>> 0;
    if (frame + F.size > 0x8000_0000) throw new GuestFault(frame, 'read', 'maperr');
    const buf = mem.readBytes(frame, F.size); // GuestFault when unreadable
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    let mask = 0n;
    for (let w = 0; w < 4; w++) mask |= BigInt(dv.getUint32(F.sigmask + 4 * w, le)) << BigInt(32 * w);
    const altstack: AltStack = {
      sp: dv.getUint32(F.ssSp, le),
      size: dv.getUint32(F.ssSize, le),
      flags: dv.getUint32(F.ssFlags, le),
    };
    for (let i = 1; i < 32; i++) c.setReg(i, BigInt(lo64(dv, F.regs + 8 * i)));
    c.hi = lo64(dv, F.mdhi);
    c.lo = lo64(dv, F.mdlo);
    const used = dv.getUint32(F.usedMath, le);
    if (used & USED_FP) {
      const fr = c.getFpuMode().fr;
      for (let i = 0; i < 32; i += fr ? 1 : 2) c.setFprWords(i, lo64(dv, F.fpregs + 8 * i), hi64(dv, F.fpregs + 8 * i));
      c.fcsr = dv.getUint32(F.fpcCsr, le);
    }
    c.pc = lo64(dv, F.pc);
    if (c.s) c.s.llAddr = -1;
    return { mask, altstack };
  }

  return {
    setup,
    restore,
    trampolineCode: tramp,
    encodeSiginfo: encode,
    siCodes: MIPS_SI_CODES,
    minSigStackSize: MIPS_MINSIGSTKSZ,
  };
}

const framesLe = makeFrames('little');
const framesBe = makeFrames('big');

/** The o32 SignalFrameAbi for one byte order (trampolineCode is in that order). */
export function mipsO32SignalFramesFor(endian: Endian): SignalFrameAbi {
  return endian === 'little' ? framesLe : framesBe;
}
