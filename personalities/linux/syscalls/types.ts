/**
 * How Linux syscall handlers are written.
 *
 * A handler receives the calling thread's context and the raw argument
 * registers (unsigned 64-bit bigints, as the ABI fetched them) and either
 * returns a non-negative result or throws a ServerError (neutral errno), which
 * the stub turns into the arch's error convention (-errno in a0, MIPS a3 flag...).
 *
 * Handlers are written once for every Linux arch; what differs between arches
 * (struct layouts, O_* values, errno numbers) comes from `t.arch`.
 */
import type { AddressSpace } from '../../../src/memory/address-space.js';
import type { IsaCore } from '../../../src/plugin/contracts.js';
import type { LinuxArch } from '../abi/arch.js';

/** Argument formats for --trace (strace-style rendering). */
export type ArgFormat =
  | 'int'      // signed 32-bit decimal
  | 'long'     // signed 64-bit decimal
  | 'uint'     // unsigned decimal
  | 'hex'      // 0x...
  | 'ptr'      // pointer: NULL or 0x...
  | 'fd'       // file descriptor
  | 'dirfd'    // AT_FDCWD or fd
  | 'path'     // NUL-terminated string read from guest memory, quoted
  | 'oflags'   // open flags, symbolic
  | 'mode'     // octal
  | 'atflags'  // AT_* flags, symbolic
  | 'buf'      // input buffer: the next argument is its length; shows a quoted prefix
  | 'obuf'     // output buffer: shown after the call, length = result
  | 'signal'   // signal number, symbolic
  | 'skip';    // not shown

export interface ProcessIdentity {
  pid: number;
  ppid: number;
  tid: number;
  pgid: number;
  sid: number;
  uid: number; euid: number; suid: number;
  gid: number; egid: number; sgid: number;
  groups: number[];
}

/** What a handler may touch. One per guest thread. */
export interface LinuxThread {
  readonly mem: AddressSpace;
  readonly core: IsaCore;
  readonly arch: LinuxArch;
  /** The arch's syscall calling convention (results, second result registers...). */
  readonly abi: import('../../../src/plugin/contracts.js').SyscallAbi;
  /** The files server instance (fd table) of this process. Typed by servers/files. */
  readonly files: import('../../../servers/files/files-server.js').FilesServer;
  readonly id: ProcessIdentity;
  /** Process-wide state owned by the Linux personality (brk, signal handlers, limits...). */
  readonly proc: import('../process-state.js').LinuxProcessState;
  /** This thread's own state (signal mask and pending set, altstack, clear-child-tid). */
  readonly thread: import('../process-state.js').LinuxThreadState;
  /** The runtime: other processes, waiting, signals between processes, timers. */
  readonly kernel: import('../../../src/kernel/services.js').KernelServices;
  /** When and which signals this thread takes. */
  readonly signals: import('../signal-delivery.js').SignalEngine;
  /** Register-file slot of this thread's core. */
  readonly slot: number;
  /** Index of the stack-pointer register. */
  readonly stackRegister: number;
  /** Saves/restores what of the CPU state is not in the register file (pc, fcsr ...), for fork and clone. */
  readonly cpu: { save(): unknown; load(state: unknown): void };
  /** Queues a signal (neutral name) for this thread, e.g. SIGPIPE after EPIPE. */
  sendSelf(name: string): void;
  /** Ends the process as killed by signal `name`. */
  die(name: string, core: boolean): never;
  /** Logs one warning line (through pino) at most once per key. */
  warnOnce(key: string, message: string): void;
  /** Drops the stub's cached answers (identity changed). */
  invalidateCache(): void;
  /**
   * The kernel's restart block: how an interrupted call that resumes
   * (personalities/linux/restart-table.ts, ERESTART_RESTARTBLOCK) carries
   * on with what is left of it when restart_syscall runs. A handler sets it
   * before failing with EINTR; a signal handler's frame clears it.
   */
  restartBlock: { call: string; resume: () => number | bigint } | null;
  /**
   * ppoll, pselect6, sigsuspend: `mask` is the signal mask until the call
   * returns; the old one comes back then, or when the handler of the signal
   * that interrupted the call returns.
   */
  setTemporaryMask(mask: bigint): void;
}

/**
 * Returned by handlers that set the registers themselves (rt_sigreturn,
 * execve): the stub writes no result.
 */
export const NO_RESULT: unique symbol = Symbol('NO_RESULT');

export type SyscallFn = (t: LinuxThread, a: readonly bigint[]) => number | bigint | typeof NO_RESULT;

export interface SyscallDef {
  name: string;
  fn: SyscallFn;
  /** Argument formats for --trace; omitted arguments are not shown. */
  args?: ArgFormat[];
  /** Result is fixed for the life of the process: the stub answers from its cache. */
  cacheable?: boolean;
  /**
   * For calls whose whole effect is copying fixed bytes to the buffer in
   * argument 0 (uname): computes those bytes once; the stub then serves every
   * later call from its cache by copying them, returning 0.
   */
  cacheOut?: (t: LinuxThread) => Uint8Array;
  /** Result format for --trace (default: decimal, hex for pointers). */
  ret?: 'int' | 'hex' | 'none';
}

/** A group of handlers by name: files.ts, memory.ts, ... each export one. */
export type SyscallGroup = Record<string, SyscallDef>;

// ---- argument decoding helpers (written once, used by every handler) -------

/** Signed 32-bit int (C `int`): fds, flags, modes. */
export const int = (v: bigint): number => Number(BigInt.asIntN(32, v));
/** Unsigned 32-bit. */
export const u32 = (v: bigint): number => Number(BigInt.asUintN(32, v));
/** Signed 64-bit as a JS number (offsets, lengths; exact up to 2^53). */
export const long = (v: bigint): number => Number(BigInt.asIntN(64, v));
/** Unsigned 64-bit as a JS number (sizes). */
export const ulong = (v: bigint): number => Number(BigInt.asUintN(64, v));
/**
 * A guest pointer. Guest memory is below 4 GiB; any other value becomes an
 * address that faults (EFAULT) when used.
 */
export const ptr = (v: bigint): number => {
  const u = BigInt.asUintN(64, v);
  return u >= 0x1_0000_0000n ? 0xffff_ffff : Number(u);
};
