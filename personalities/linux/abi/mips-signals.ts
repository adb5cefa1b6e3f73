/**
 * Linux MIPS signal facts as data (arch/mips/include/uapi/asm/signal.h and
 * asm/mman.h; checked against test/fixtures/bin/mipsel/probes/layout.stdout):
 *
 * - Numbers: SVR4 order past 9. SIGBUS 10, SIGSYS 12, SIGUSR1 16, SIGUSR2 17,
 *   SIGCHLD 18, SIGPWR 19, SIGWINCH 20, SIGURG 21, SIGIO 22, SIGSTOP 23,
 *   SIGTSTP 24, SIGCONT 25, SIGTTIN 26, SIGTTOU 27, SIGVTALRM 28, SIGPROF 29,
 *   SIGXCPU 30, SIGXFSZ 31; SIGEMT 7 exists (no SIGSTKFLT). _NSIG is 128 and
 *   SIGRTMAX = _NSIG: signals are 1..128 (valid_signal: sig <= _NSIG), so a
 *   sigset_t is 128 bits (16 bytes, four 32-bit words on o32).
 * - sigaction flags: SA_NOCLDSTOP 1, SA_SIGINFO 8, SA_NOCLDWAIT 0x10000; the
 *   high bits (ONSTACK, RESTART, NODEFER, RESETHAND) are the generic ones.
 *   There is no SA_RESTORER: the kernel struct sigaction has no sa_restorer
 *   field, and the handler returns through the kernel's own trampoline.
 * - struct sigaction (kernel view, rt_sigaction): unsigned int sa_flags @0,
 *   sa_handler @4, sigset_t sa_mask @8 (16 bytes); 24 bytes.
 * - stack_t: ss_sp @0, ss_size @4, ss_flags @8 (size before flags); 12 bytes.
 * - sigprocmask how: SIG_BLOCK 1, SIG_UNBLOCK 2, SIG_SETMASK 3 (generic: 0/1/2).
 * - mmap flags: MAP_NORESERVE 0x400, MAP_ANONYMOUS 0x800, MAP_GROWSDOWN 0x1000,
 *   MAP_POPULATE 0x10000, MAP_STACK 0x40000; SHARED/PRIVATE/FIXED and
 *   FIXED_NOREPLACE are the generic values.
 */
import type { MmanFlags } from './mman.js';
import { signalTable, type SaFlags } from './signals.js';

/** _NSIG on MIPS: signals 1..128. */
export const MIPS_NSIG = 128;

export const mipsSignals = signalTable({
  1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 4: 'SIGILL', 5: 'SIGTRAP', 6: 'SIGABRT', 7: 'SIGEMT',
  8: 'SIGFPE', 9: 'SIGKILL', 10: 'SIGBUS', 11: 'SIGSEGV', 12: 'SIGSYS', 13: 'SIGPIPE',
  14: 'SIGALRM', 15: 'SIGTERM', 16: 'SIGUSR1', 17: 'SIGUSR2', 18: 'SIGCHLD', 19: 'SIGPWR',
  20: 'SIGWINCH', 21: 'SIGURG', 22: 'SIGIO', 23: 'SIGSTOP', 24: 'SIGTSTP', 25: 'SIGCONT',
  26: 'SIGTTIN', 27: 'SIGTTOU', 28: 'SIGVTALRM', 29: 'SIGPROF', 30: 'SIGXCPU', 31: 'SIGXFSZ',
}, MIPS_NSIG);

/**
 * sa_flags values. SA_RESTORER is 0: MIPS has none, so `flags & SA_RESTORER`
 * is never set and the runtime's own trampoline is always used.
 */
export const mipsSaFlags: SaFlags = {
  SA_NOCLDSTOP: 0x1n,
  SA_NOCLDWAIT: 0x1_0000n,
  SA_SIGINFO: 0x8n,
  SA_ONSTACK: 0x0800_0000n,
  SA_RESTART: 0x1000_0000n,
  SA_NODEFER: 0x4000_0000n,
  SA_RESETHAND: 0x8000_0000n,
  SA_RESTORER: 0n,
};

export const mipsMman: MmanFlags = {
  MAP_SHARED: 0x01,
  MAP_PRIVATE: 0x02,
  MAP_SHARED_VALIDATE: 0x03,
  MAP_FIXED: 0x10,
  MAP_ANONYMOUS: 0x800,
  MAP_GROWSDOWN: 0x1000,
  MAP_NORESERVE: 0x400,
  MAP_POPULATE: 0x1_0000,
  MAP_STACK: 0x4_0000,
  MAP_FIXED_NOREPLACE: 0x10_0000,
};

/** rt_sigprocmask `how` values on MIPS. */
export const MIPS_SIG_HOW = { SIG_BLOCK: 1, SIG_UNBLOCK: 2, SIG_SETMASK: 3 } as const;

/**
 * Kernel struct sigaction on o32 (byte offsets; restorer -1 = absent). The
 * shape is the one personalities/linux/syscalls/signals.ts reads from
 * `arch.sigactionLayout`.
 */
export const MIPS_O32_SIGACTION = { flags: 0, flagsSize: 4, handler: 4, restorer: -1, mask: 8, size: 24 } as const;

/** stack_t on o32, in the shape signals.ts reads from `arch.stackTLayout`. */
export const MIPS_O32_STACK_T = { sp: 0, size: 4, flags: 8, total: 12 } as const;

/** MINSIGSTKSZ / SIGSTKSZ (asm/signal.h). */
export const MIPS_MINSIGSTKSZ = 2048;
export const MIPS_SIGSTKSZ = 8192;
