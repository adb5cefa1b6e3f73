/**
 * Linux on MIPS32 (o32 ABI), either byte order: the arch record and the
 * syscall calling convention.
 *
 * Calling convention (arch/mips/kernel/scall32-o32.S; man 2 syscall):
 * - `syscall`; number in v0 ($2), o32 numbers are 4000 + n.
 * - Arguments 1..4 in a0..a3 ($4..$7); 5..8 on the user stack at sp+16,
 *   sp+20, sp+24, sp+28 (the caller's o32 argument area). The kernel reads
 *   those four words for every call; one it cannot read becomes 0, and a
 *   stack pointer whose sp+32 lies in kernel space fails the call with EFAULT.
 * - Result in v0 with a3 = 0; failure: v0 = positive errno, a3 = 1. The
 *   kernel calls a raw result in [-1133, -1] (EDQUOT is 1133 on MIPS) an error.
 * - 64-bit arguments (loff_t) take an aligned register pair: the next even
 *   argument slot, low word first on little-endian, high word first on
 *   big-endian (pread64: fd, buf, count, pad, offset in slots 4-5).
 * - On restart (ERESTARTSYS etc.) the kernel rewinds epc by 4 and puts back
 *   v0 = the syscall number and a3 = the original 4th argument (saved at
 *   entry), since both were overwritten by the result. `number()` records
 *   them per core so `restart()` can do the same.
 * - Syscall 4000 (`syscall`) is the o32 indirection: the real number in a0
 *   and the arguments shifted by one (a1..a3, then the stack words). This
 *   ABI resolves it: number() answers the real number, arg(i) reads slot i+1.
 *   An indirect call of 4000 itself is not resolved (the kernel refuses it).
 * - pipe (4042) returns the two descriptors in v0 and v1 (`setSecondResult`).
 *
 * Process start (start_thread, ELF_PLAT_INIT in arch/mips): every GPR and
 * HI/LO is zero except sp ($29) = the initial stack (argc); pc = entry. v0
 * ($2) is the rtld_fini pointer glibc's __start passes on (0 from the
 * kernel). The FPU mode (FR) comes from the ELF's FP ABI (src/isa/mips/state.ts).
 *
 * Auxiliary vector: a MIPS32r2 CPU without DSP/MSA gets AT_HWCAP 0 and no
 * AT_PLATFORM (the kernel sets __elf_platform only for Octeon/Loongson
 * parts); AT_BASE_PLATFORM is "mips32r2" (probe output under qemu-mipsel,
 * which follows the kernel's set_elf_base_platform).
 */
import type { Endian, IsaCore, SyscallAbi } from '../../../src/plugin/contracts.js';
import type { LinuxArch } from './arch.js';
import { mipsErrno, MIPS_MAX_ERRNO } from './mips-errno.js';
import { mipsO32FileAbiFor, type MipsFileAbi } from './mips-o32-files.js';
import { mipsO32SignalFramesFor } from './mips-o32-signal.js';
import { mipsO32Syscalls, O32_BASE } from './mips-o32-tables.js';
import { mipsSockets } from './sockets.js';
import {
  MIPS_O32_SIGACTION, MIPS_O32_STACK_T, MIPS_SIG_HOW, mipsMman, mipsSaFlags, mipsSignals,
} from './mips-signals.js';

const V0 = 2, V1 = 3, A0 = 4, A3 = 7, SP = 29;

/** The o32 `syscall` indirection (4000). */
export const NR_O32_SYSCALL = O32_BASE;
/** AT_BASE_PLATFORM for a MIPS32r2 CPU. */
export const MIPS32R2_BASE_PLATFORM = 'mips32r2';

/** What the o32 arch record says beyond LinuxArch; the generic handlers look these up by name. */
export interface MipsO32ArchExtras {
  readonly file: MipsFileAbi;
  /** Kernel struct sigaction: sa_flags first, no restorer (signals.ts reads `sigactionLayout`). */
  readonly sigactionLayout: { handler: number; flags: number; restorer: number; mask: number; flagsSize: number };
  /** stack_t with ss_size before ss_flags (signals.ts reads `stackTLayout`). */
  readonly stackTLayout: { sp: number; flags: number; size: number; total: number };
  /** clone argument order: MIPS selects CLONE_BACKWARDS (process.ts reads `cloneArgs`). */
  readonly cloneArgs: 'flags-stack-ptid-tls-ctid';
  /** rt_sigprocmask `how` values (1/2/3 on MIPS). */
  readonly sigHow: typeof MIPS_SIG_HOW;
  /** AT_BASE_PLATFORM string. */
  readonly basePlatform: string;
  /** mmap2's offset unit in bytes (4096 whatever the page size). */
  readonly mmap2Unit: number;
  /** Largest errno: raw results in [-maxErrno, -1] are errors. */
  readonly maxErrno: number;
  /** Register of the stack pointer. */
  readonly stackRegister: number;
}

export type MipsO32Arch = LinuxArch & MipsO32ArchExtras;

function build(endian: Endian): MipsO32Arch {
  return {
    machine: 'mips',
    isa: 'mips',
    endian,
    wordSize: 32,
    syscalls: mipsO32Syscalls,
    errno: mipsErrno,
    file: mipsO32FileAbiFor(endian),
    sockets: mipsSockets,
    mman: mipsMman,
    signals: mipsSignals,
    sa: mipsSaFlags,
    signalFrames: mipsO32SignalFramesFor(endian),
    platform: null,
    hwcap: 0n,
    pageSize: 4096,
    sigactionLayout: {
      handler: MIPS_O32_SIGACTION.handler, flags: MIPS_O32_SIGACTION.flags, restorer: MIPS_O32_SIGACTION.restorer,
      mask: MIPS_O32_SIGACTION.mask, flagsSize: MIPS_O32_SIGACTION.flagsSize,
    },
    stackTLayout: { ...MIPS_O32_STACK_T },
    cloneArgs: 'flags-stack-ptid-tls-ctid',
    sigHow: MIPS_SIG_HOW,
    basePlatform: MIPS32R2_BASE_PLATFORM,
    mmap2Unit: 4096,
    maxErrno: MIPS_MAX_ERRNO,
    stackRegister: SP,
    // MIPS numbers resources NOFILE 5, AS 6, RSS 7, NPROC 8, MEMLOCK 9 (asm/resource.h)
    rlimitToGeneric: [0, 1, 2, 3, 4, 7, 9, 5, 6, 8, 10, 11, 12, 13, 14, 15],
  };
}

const archLe = build('little');
const archBe = build('big');

/** The o32 arch record for one byte order. */
export function mipsO32ArchFor(endian: Endian): MipsO32Arch {
  return endian === 'little' ? archLe : archBe;
}

/** mipsel (little-endian), what Debian's mipsel port runs. */
export const mipsO32Arch = archLe;
export const mipsebO32Arch = archBe;

// ---- the syscall ABI ---------------------------------------------------------------

/** v0 and a3 as they were when the current syscall trapped (for restart). */
interface Entry { v0: number; a3: number }
const entries = new WeakMap<IsaCore, Entry>();

/** True when the trapping call is the o32 `syscall` indirection with a real number in a0. */
function indirect(core: IsaCore): boolean {
  return core.getRegLo(V0) === NR_O32_SYSCALL && core.getRegLo(A0) !== NR_O32_SYSCALL;
}

/** Argument slot `slot` (0..7) as the kernel fetches it: a0..a3, then sp+16.. (0 when unreadable). */
function rawArg(core: IsaCore, slot: number): number {
  if (slot < 4) return core.getRegLo(A0 + slot) >>> 0;
  if (slot > 7) return 0;
  const sp = core.getRegLo(SP) >>> 0;
  const addr = sp + 16 + 4 * (slot - 4);
  if (sp + 32 > 0x8000_0000 || !core.mem.check(addr, 4, 1)) return 0;
  const le = (core as { endian?: Endian }).endian !== 'big';
  return core.mem.readU32(addr, le);
}

export const mipsO32SyscallAbi: SyscallAbi = {
  number(core: IsaCore): number {
    const v0 = core.getRegLo(V0);
    entries.set(core, { v0, a3: core.getRegLo(A3) });
    return indirect(core) ? core.getRegLo(A0) : v0;
  },
  /** Argument i (0-based) as an unsigned 32-bit value. */
  arg(core: IsaCore, i: number): bigint {
    return BigInt(rawArg(core, indirect(core) ? i + 1 : i));
  },
  setResult(core: IsaCore, v: bigint): void {
    core.setReg(V0, BigInt.asUintN(32, v));
    core.setReg(A3, 0n);
  },
  setError(core: IsaCore, errno: number): void {
    core.setReg(V0, BigInt(errno >>> 0));
    core.setReg(A3, 1n);
  },
  advance(core: IsaCore): void { core.pc += 4; },
  restart(core: IsaCore, asNumber?: number): void {
    const e = entries.get(core);
    if (e) {
      core.setReg(V0, BigInt(e.v0 >>> 0));
      core.setReg(A3, BigInt(e.a3 >>> 0));
    }
    if (asNumber !== undefined) core.setReg(V0, BigInt(asNumber)); // the kernel's regs[2] = abi->restart
    core.pc -= 4;
  },
};

/** The second result register (v1) of pipe(2) on MIPS: fd[1]; fd[0] goes through setResult. */
export function setSecondResult(core: IsaCore, v: number | bigint): void {
  core.setReg(V1, BigInt.asUintN(32, BigInt(v)));
}

/**
 * Registers at process start (o32 start-up ABI): everything zero, sp = the
 * initial stack pointer, pc = the entry point. `core` is a fresh core, so
 * only sp, v0 (rtld_fini = 0) and pc need writing.
 */
export function mipsO32InitialRegisters(core: IsaCore, sp: number, entry: number): void {
  for (let i = 1; i < 32; i++) core.setReg(i, 0n);
  const c = core as { hi?: number; lo?: number };
  if (typeof c.hi === 'number') { c.hi = 0; c.lo = 0; }
  core.setReg(SP, BigInt(sp >>> 0));
  core.setReg(V0, 0n); // rtld_fini
  core.pc = entry;
}
