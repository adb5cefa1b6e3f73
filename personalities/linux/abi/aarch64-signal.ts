/**
 * Linux arm64 signal frames: `struct rt_sigframe { siginfo_t info; struct
 * ucontext uc; }` plus the frame record {fp, lr} the kernel pushes above it,
 * and rt_sigreturn.
 *
 * Layout (byte offsets from the frame address; arch/arm64/include/uapi/asm/
 * ucontext.h, sigcontext.h, asm-generic/signal.h):
 *
 *      0  siginfo_t info                          128 bytes
 *    128  struct ucontext uc
 *    128    unsigned long uc_flags                (0)
 *    136    struct ucontext *uc_link              (0)
 *    144    stack_t uc_stack: ss_sp @144, int ss_flags @152, size_t ss_size @160
 *    168    sigset_t uc_sigmask                   8 bytes
 *    176    __u8 __unused[120]                    (glibc's 1024-bit sigset_t)
 *    304    struct sigcontext uc_mcontext         (16-aligned)
 *    304      __u64 fault_address
 *    312      __u64 regs[31]                      x0 .. x30
 *    560      __u64 sp
 *    568      __u64 pc
 *    576      __u64 pstate                        NZCV in bits 31..28 (EL0t)
 *    592      __u8 __reserved[4096]               16-aligned; a list of records:
 *    592        struct fpsimd_context             magic 0x46508001, size 528,
 *               { head, __u32 fpsr @600, __u32 fpcr @604, __uint128_t vregs[32] @608 }
 *   1120        terminating null record           magic 0, size 0
 *   4688  end (sizeof(struct rt_sigframe))
 *
 * Placement (arch/arm64/kernel/signal.c, get_sigframe / setup_return):
 * from the interrupted sp, or the top of the alternate stack, the frame
 * record goes at round_down(top - 16, 16) and the rt_sigframe 4688 bytes
 * below it. Then x0 = signo, x1 = &info, x2 = &uc, sp = frame, x29 = the
 * frame record (holding the old x29, x30), x30 = sa_restorer when
 * SA_RESTORER was given, else compat's trampoline (`mov x8, #139; svc #0`,
 * what the kernel's vDSO sigtramp holds), pc = handler.
 *
 * rt_sigreturn: sp must be 16-aligned; the record list must hold exactly one
 * fpsimd_context of size 528 (an esr_context is accepted and ignored) and end
 * with the null record, else the frame is refused (SIGSEGV).
 */
import { GuestFault } from '../../../src/memory/fault.js';
import type { AddressSpace } from '../../../src/memory/address-space.js';
import type { IsaCore } from '../../../src/plugin/contracts.js';
import { encodeSiginfo, SIGINFO_SIZE } from './siginfo.js';
import type { AltStack, FrameRequest, SigInfo, SignalFrameAbi } from './signal-frame.js';
import { BadSigframe, onSigStack } from './riscv64-signal.js';

export const A64_FRAME = {
  size: 4688,
  info: 0,
  uc: SIGINFO_SIZE,
  ssSp: 144,
  ssFlags: 152,
  ssSize: 160,
  sigmask: 168,
  faultAddress: 304,
  regs: 312,
  sp: 560,
  pc: 568,
  pstate: 576,
  reserved: 592,
  reservedSize: 4096,
} as const;

export const FPSIMD_MAGIC = 0x46508001;
export const FPSIMD_SIZE = 528;
export const ESR_MAGIC = 0x45535201;

/** MINSIGSTKSZ and SIGSTKSZ of arm64 (arch/arm64/include/uapi/asm/signal.h). */
export const A64_MINSIGSTKSZ = 5120;
export const A64_SIGSTKSZ = 16384;

const SP = 31, FP = 29, LR = 30;
const LIMIT = 0x1_0000_0000;

/** `mov x8, #139` (movz) and `svc #0`, little-endian. */
const TRAMPOLINE = new Uint8Array([0x68, 0x11, 0x80, 0xd2, 0x01, 0x00, 0x00, 0xd4]);

/** What a frame needs from the aarch64 core beyond IsaCore (src/isa/aarch64/state.ts A64State as `core.s`). */
interface A64FrameState {
  vb: Uint8Array;
  nzcv: number;
  fpsr: number;
  fpcr: number;
  exclAddr: number;
}

function a64State(core: IsaCore): A64FrameState {
  const s = (core as { s?: Partial<A64FrameState> }).s;
  if (core.isa !== 'aarch64' || s === undefined || !(s.vb instanceof Uint8Array) || typeof s.nzcv !== 'number') {
    throw new Error(`aarch64 signal frames need an aarch64 core exposing its state (core.s), got ${core.isa}`);
  }
  return s as A64FrameState;
}

function encode(info: SigInfo): Uint8Array {
  return encodeSiginfo(info, { wordSize: 64, endian: 'little' });
}

const FAULT_SIGNALS = new Set(['SEGV_', 'BUS_', 'ILL_', 'FPE_', 'TRAP_']);
function isFault(code: string): boolean {
  for (const p of FAULT_SIGNALS) if (code.startsWith(p)) return true;
  return false;
}

function setup(core: IsaCore, mem: AddressSpace, req: FrameRequest): void {
  const st = a64State(core);
  const sp = core.getReg(SP);
  const top = req.altstack ? BigInt(req.altstack.sp) + BigInt(req.altstack.size) : sp;
  const record = (top - 16n) & ~15n;
  const frameBig = record - BigInt(A64_FRAME.size);
  const need = BigInt(A64_FRAME.size + 16);
  if (req.altstack === null && onSigStack(sp, req.currentAltstack) && !onSigStack(sp - need, req.currentAltstack)) {
    throw new GuestFault(Number(BigInt.asUintN(64, frameBig)), 'write', 'maperr');
  }
  if (frameBig < 0n || record + 16n > BigInt(LIMIT)) throw new GuestFault(Number(BigInt.asUintN(64, frameBig)), 'write', 'maperr');
  const frame = Number(frameBig);

  const buf = new Uint8Array(A64_FRAME.size + 16);
  const dv = new DataView(buf.buffer);
  buf.set(encode(req.info), A64_FRAME.info);
  const cur = req.currentAltstack;
  dv.setBigUint64(A64_FRAME.ssSp, BigInt.asUintN(64, BigInt(cur.sp)), true);
  dv.setUint32(A64_FRAME.ssFlags, cur.flags >>> 0, true);
  dv.setBigUint64(A64_FRAME.ssSize, BigInt.asUintN(64, BigInt(cur.size)), true);
  dv.setBigUint64(A64_FRAME.sigmask, BigInt.asUintN(64, req.savedMask), true);
  if (req.info.addr !== undefined && isFault(req.info.code)) dv.setBigUint64(A64_FRAME.faultAddress, BigInt.asUintN(64, BigInt(req.info.addr)), true);
  for (let i = 0; i < 31; i++) dv.setBigUint64(A64_FRAME.regs + 8 * i, core.getReg(i), true);
  dv.setBigUint64(A64_FRAME.sp, sp, true);
  dv.setBigUint64(A64_FRAME.pc, BigInt(core.pc >>> 0), true);
  dv.setBigUint64(A64_FRAME.pstate, BigInt(st.nzcv >>> 0), true);
  const fp = A64_FRAME.reserved;
  dv.setUint32(fp, FPSIMD_MAGIC, true);
  dv.setUint32(fp + 4, FPSIMD_SIZE, true);
  dv.setUint32(fp + 8, st.fpsr >>> 0, true);
  dv.setUint32(fp + 12, st.fpcr >>> 0, true);
  buf.set(st.vb.subarray(0, 512), fp + 16);
  // the null record after it is already zero; the frame record {fp, lr} above the frame:
  dv.setBigUint64(A64_FRAME.size, core.getReg(FP), true);
  dv.setBigUint64(A64_FRAME.size + 8, core.getReg(LR), true);

  mem.writeBytes(frame, buf); // GuestFault when the stack is unmapped or read-only

  core.pc = req.handler;
  core.setReg(0, BigInt(req.info.signo));
  core.setReg(1, BigInt(frame + A64_FRAME.info));
  core.setReg(2, BigInt(frame + A64_FRAME.uc));
  core.setReg(SP, BigInt(frame));
  core.setReg(FP, BigInt(frame + A64_FRAME.size));
  core.setReg(LR, BigInt(req.restorer !== 0 ? req.restorer : req.trampoline));
  st.exclAddr = -1;
}

function restore(core: IsaCore, mem: AddressSpace): { mask: bigint; altstack: AltStack } {
  const st = a64State(core);
  const sp = core.getReg(SP);
  if ((sp & 15n) !== 0n) throw new BadSigframe(Number(BigInt.asUintN(32, sp)), 'sp is not 16-byte aligned');
  if (sp + BigInt(A64_FRAME.size) > BigInt(LIMIT)) throw new GuestFault(Number(BigInt.asUintN(32, sp)), 'read', 'maperr');
  const frame = Number(sp);
  const buf = mem.readBytes(frame, A64_FRAME.size); // GuestFault when unreadable
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  // the record list: one fpsimd_context, an optional esr_context, the null terminator
  let off = A64_FRAME.reserved, fpsimd = -1;
  const end = A64_FRAME.reserved + A64_FRAME.reservedSize;
  for (;;) {
    if (off + 8 > end) throw new BadSigframe(frame + off, 'no terminating record in __reserved');
    const magic = dv.getUint32(off, true), size = dv.getUint32(off + 4, true);
    if (magic === 0) { if (size !== 0) throw new BadSigframe(frame + off, 'bad terminator size'); break; }
    if (magic === FPSIMD_MAGIC) {
      if (size !== FPSIMD_SIZE || fpsimd >= 0) throw new BadSigframe(frame + off, 'bad fpsimd_context');
      fpsimd = off;
    } else if (magic !== ESR_MAGIC || size !== 16) {
      throw new BadSigframe(frame + off, `unknown record 0x${magic.toString(16)} in __reserved`);
    }
    if (size < 8 || size % 16 !== 0 || off + size > end) throw new BadSigframe(frame + off, 'bad record size');
    off += size;
  }
  if (fpsimd < 0) throw new BadSigframe(frame + A64_FRAME.reserved, 'no fpsimd_context');
  const mask = dv.getBigUint64(A64_FRAME.sigmask, true);
  const altstack: AltStack = {
    sp: Number(dv.getBigUint64(A64_FRAME.ssSp, true)),
    flags: dv.getUint32(A64_FRAME.ssFlags, true),
    size: Number(dv.getBigUint64(A64_FRAME.ssSize, true)),
  };
  for (let i = 0; i < 31; i++) core.setReg(i, dv.getBigUint64(A64_FRAME.regs + 8 * i, true));
  core.setReg(SP, dv.getBigUint64(A64_FRAME.sp, true));
  core.pc = Number(BigInt.asUintN(32, dv.getBigUint64(A64_FRAME.pc, true)));
  st.nzcv = Number(dv.getBigUint64(A64_FRAME.pstate, true) & 0xf0000000n) | 0;
  st.fpsr = dv.getUint32(fpsimd + 8, true) | 0;
  st.fpcr = dv.getUint32(fpsimd + 12, true) | 0;
  st.vb.set(buf.subarray(fpsimd + 16, fpsimd + 16 + 512));
  st.exclAddr = -1;
  return { mask, altstack };
}

export const aarch64SignalFrames: SignalFrameAbi = {
  setup,
  restore,
  trampolineCode: TRAMPOLINE,
  encodeSiginfo: encode,
  minSigStackSize: A64_MINSIGSTKSZ,
};
