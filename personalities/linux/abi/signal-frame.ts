/**
 * How a Linux arch delivers a signal to a guest handler: the frame it pushes
 * on the (alternate) stack, the registers it sets, and how rt_sigreturn
 * restores the interrupted state. One implementation per arch
 * (riscv64-signal.ts, mips-o32-signal.ts, ...); the delivery logic that
 * decides *when* and *which* signal is written once in the runtime.
 */
import type { AddressSpace } from '../../../src/memory/address-space.js';
import type { IsaCore } from '../../../src/plugin/contracts.js';

/** Neutral description of a signal's siginfo (Linux field names). */
export interface SigInfo {
  /** The arch's own signal number. */
  signo: number;
  /** si_code as a neutral name: 'SI_USER', 'SI_TKILL', 'SI_KERNEL', 'SI_QUEUE', 'SI_TIMER', 'SEGV_MAPERR', 'CLD_EXITED', ... */
  code: string;
  errno?: number;
  /** kill/tkill/sigqueue, SIGCHLD: sender pid and uid. */
  pid?: number;
  uid?: number;
  /** SIGCHLD: child status (exit code or signal number) and times. */
  status?: number;
  utime?: bigint;
  stime?: bigint;
  /** Faults: the faulting address. */
  addr?: number;
  /** sigqueue / timers: the value. */
  value?: bigint;
  /** POSIX timers. */
  timerId?: number;
  overrun?: number;
}

export interface AltStack {
  sp: number;
  size: number;
  /** SS_DISABLE / SS_ONSTACK / SS_AUTODISARM as Linux values. */
  flags: number;
}

export interface FrameRequest {
  info: SigInfo;
  /** Guest address of the handler. */
  handler: number;
  /** SA_SIGINFO etc. as the arch's raw sa_flags. */
  flags: bigint;
  /** sa_restorer if SA_RESTORER was given, else 0. */
  restorer: number;
  /** Address of the runtime's own sigreturn trampoline (used when the arch has no restorer). */
  trampoline: number;
  /** The mask to save in the frame (the thread's mask before delivery). */
  savedMask: bigint;
  /** The alternate stack, if the handler runs on it (SA_ONSTACK and not already on it). */
  altstack: AltStack | null;
  /** The thread's current sigaltstack setting, saved into uc_stack. */
  currentAltstack: AltStack;
}

export interface SignalFrameAbi {
  /** Pushes the frame and points the registers at the handler. Throws GuestFault if the stack is unusable. */
  setup(core: IsaCore, mem: AddressSpace, req: FrameRequest): void;
  /**
   * rt_sigreturn: restores registers from the frame at the current stack
   * pointer; returns the signal mask and alternate stack saved in it.
   */
  restore(core: IsaCore, mem: AddressSpace): { mask: bigint; altstack: AltStack };
  /** Machine code of the sigreturn trampoline (`li a7, 139; ecall` on riscv64). */
  readonly trampolineCode: Uint8Array;
  /** Encodes a siginfo in this arch's layout (128 bytes). */
  encodeSiginfo(info: SigInfo): Uint8Array;
  /** si_code numbers where the arch renumbers some (MIPS); asm-generic's when absent. */
  readonly siCodes?: Readonly<Record<string, number>>;
  /** MINSIGSTKSZ for the arch. */
  readonly minSigStackSize: number;
}
