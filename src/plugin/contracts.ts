/**
 * The public plugin API: the contracts every ISA core, personality and sniffer
 * implements. Built-in plugins use exactly these types; so do third-party ones.
 * Types only — implementations live in src/isa, personalities/ and servers/.
 */
import type { AddressSpace } from '../memory/address-space.js';

// ---------------------------------------------------------------- sniffing

export type Endian = 'little' | 'big';

/** ISA names as compat spells them (also the folder names under src/isa). */
export type IsaName =
  | 'riscv64' | 'riscv32' | 'mips' | 'mips64' | 'i386' | 'x86_64' | 'ppc' | 'ppc64'
  | 'aarch64' | 'arm' | 'sparc' | 'sparc64' | 's390x' | 'm68k' | 'loongarch64' | 'alpha'
  | 'sh' | 'ia64' | 'hppa' | 'microblaze' | 'xtensa' | 'other';

/** What a sniffer says about a file. */
export interface Claim {
  /** Container format: 'ELF', 'PEF', 'script', ... */
  format: string;
  isa: IsaName | null;
  /** Human name of the machine, e.g. "RISC-V" or "MIPS", even when `isa` is 'other'. */
  machineName: string;
  endian: Endian;
  wordSize: 32 | 64;
  /** Personality name that should run it ('linux', 'haiku', ...) or null if unknown. */
  personality: string | null;
  /** ABI details for `compat sniff` and the loader (osabi, interp, needed, pie, static ...). */
  abi: Record<string, unknown>;
  /** 0..100: the best claim wins. */
  confidence: number;
}

/** The head of a file plus a way to read more of it. */
export interface SniffInput {
  path: string;
  head: Uint8Array;
  size: number;
  /** Reads `len` bytes at `offset` (short at EOF). */
  read(offset: number, len: number): Uint8Array;
}

export interface Sniffer {
  readonly name: string;
  sniff(input: SniffInput): Claim | null;
}

// ---------------------------------------------------------------- ISA cores

/** Why `IsaCore.run` returned. */
export const enum StopKind {
  /** The budget of instructions ran out; call run() again. */
  Budget = 0,
  /** The guest asked the kernel for a service (ecall / syscall / sc / int). */
  Syscall = 1,
  /** The guest faulted; details in `core.fault`. */
  Fault = 2,
  /** A breakpoint instruction (ebreak / break). */
  Breakpoint = 3,
}

export type FaultSignal = 'SIGSEGV' | 'SIGBUS' | 'SIGILL' | 'SIGFPE' | 'SIGTRAP';

export interface CoreFault {
  signal: FaultSignal;
  /** Neutral si_code name: 'SEGV_MAPERR', 'SEGV_ACCERR', 'ILL_ILLOPC', 'BUS_ADRALN', 'FPE_INTDIV', 'TRAP_BRKPT' ... */
  code: string;
  /** si_addr: faulting data address, or the instruction address. */
  addr: number;
  /** PC of the faulting instruction. */
  pc: number;
}

export interface IsaCore {
  readonly isa: IsaName;
  readonly mem: AddressSpace;
  /** Runs at most `budget` instructions. */
  run(budget: number): StopKind;
  /** Set when run() returned StopKind.Fault. */
  fault: CoreFault | null;
  /** Instructions retired so far (for --stats and the benchmark). */
  readonly instret: number;
  pc: number;
  /** Integer register i as an unsigned 64-bit (or 32-bit) value. */
  getReg(i: number): bigint;
  setReg(i: number, v: bigint): void;
  /** Fast 32-bit views for syscall glue: low 32 bits (signed int32). */
  getRegLo(i: number): number;
  /** Drop any cached decoded code in [start, end). */
  invalidateCode(start: number, end: number): void;
  /** Copies architectural state (registers, fp, csrs) from another core of the same ISA (fork, clone). */
  copyStateFrom(other: IsaCore): void;
  /** Thread pointer register value (TLS), for clone(SETTLS) and signal frames. */
  setThreadPointer(v: bigint): void;
  /** Adapts the core to the image it will run (e.g. MIPS FPU mode from the ELF's ABI flags). */
  configureForImage?(elf: { flags: number; mipsAbiFlags: { fpAbiCode: number } | null }): void;
}

export interface IsaCoreFactory {
  readonly isa: IsaName;
  /** The ISA this factory serves, with the endianness it was built for. */
  readonly endian: Endian;
  create(mem: AddressSpace, slot: number): IsaCore;
}

// ---------------------------------------------------------------- syscall ABI

/** Where a syscall's number and arguments live and how results go back. */
export interface SyscallAbi {
  number(core: IsaCore): number;
  /** Argument i as a signed 64-bit integer (bigint keeps the full width). */
  arg(core: IsaCore, i: number): bigint;
  /** Writes a successful result. */
  setResult(core: IsaCore, value: bigint): void;
  /** Writes a failure with the personality's own positive errno value. */
  setError(core: IsaCore, errno: number): void;
  /** Moves the PC past the trapping instruction. */
  advance(core: IsaCore): void;
  /**
   * Moves the PC back to the trapping instruction, with the call's number
   * and arguments as they were, so the call runs again; with `asNumber`, the
   * call that runs is that one instead (Linux's restart_syscall).
   */
  restart(core: IsaCore, asNumber?: number): void;
}

// ---------------------------------------------------------------- plugins

export interface PluginManifest {
  name: string;
  version: string;
  description?: string;
  /** What the plugin contributes, e.g. { isa: ['riscv64'], personality: ['linux'] } */
  provides: { isa?: string[]; personality?: string[]; sniffer?: string[] };
}

/** DI tokens: every plugin binds its contributions under these. */
export const TOKENS = {
  Sniffer: Symbol.for('compat.Sniffer'),
  IsaCoreFactory: Symbol.for('compat.IsaCoreFactory'),
  Personality: Symbol.for('compat.Personality'),
  Manifest: Symbol.for('compat.PluginManifest'),
  FilesServer: Symbol.for('compat.FilesServer'),
  Logger: Symbol.for('compat.Logger'),
} as const;

// ---------------------------------------------------------------- personalities

/** Where a personality wants things in a fresh address space. */
export interface AddressLayout {
  /** Top of the initial stack (exclusive) and its reserved size. */
  stackTop: number;
  stackSize: number;
  /** Load address for position-independent executables. */
  pieBase: number;
  /** mmap placement window (top-down). */
  mmapTop: number;
  mmapBottom: number;
}

/** A program image loaded into memory, ready for its personality to start it. */
export interface GuestImage {
  readonly mem: AddressSpace;
  readonly regions: import('../memory/regions.js').RegionMap;
  readonly core: IsaCore;
  readonly claim: Claim;
  /** The path the guest named (argv[0] unless --argv0), AT_EXECFN. */
  readonly execPath: string;
  /** Host path of the file actually loaded. */
  readonly hostPath: string;
  readonly argv: readonly string[];
  readonly envp: readonly string[];
  /** Program entry (after load bias) and where its program headers are in memory. */
  readonly entry: number;
  readonly phdr: number;
  readonly phent: number;
  readonly phnum: number;
  /** Load bias of the program; interpreter base (AT_BASE) or 0. */
  readonly bias: number;
  readonly interpBase: number;
  /** Where execution starts: the interpreter's entry when there is one. */
  readonly startPc: number;
  /** Highest address of the program's segments (initial program break). */
  readonly end: number;
}

/** What a running guest thread's traps are routed to. */
export interface TrapHandler {
  syscall(): void;
  fault(f: CoreFault): void;
  /** Called between instruction slices when the runtime flagged a possible signal. */
  safePoint(): void;
  /** Signal name → this process's number, for the runtime's routing between processes. */
  signalNumbers(): Record<string, number>;
  /** The image is being left (exit or exec): write back shared mappings, drop caches. */
  dispose(lastThread: boolean): void;
  /** Optional: nanoseconds the thread just spent running guest code (RLIMIT_CPU accounting). */
  chargeCpu?(ns: number): void;
}

export interface StubSettings {
  trace: boolean;
  stats: import('../kernel/stats.js').SyscallStats | null;
  log: import('../kernel/log.js').Logger;
  /** The runtime's services for this thread (process table, signals, timers). */
  kernel?: import('../kernel/services.js').KernelServices;
  /** The process's files server when it already exists (exec keeps the fd table). */
  files?: unknown;
  /** The first guest process's pid (trace lines of others are prefixed). */
  initPid?: number;
  /** The run's jail (src/jail/settings.ts JailSettings): limits, syscall policy, identity. */
  jail?: import('../jail/settings.js').JailSettings | null;
}

export interface Personality {
  readonly name: string;
  readonly sniffers: readonly Sniffer[];
  /** ISAs this personality has a syscall ABI for. */
  supports(isa: IsaName): boolean;
  layout(isa: IsaName): AddressLayout;
  /** Builds the initial stack/registers (auxv for Linux, ...). */
  setupProcess(img: GuestImage): void;
  /** The per-process stub that decodes traps. */
  createStub(img: GuestImage, settings: StubSettings): TrapHandler;
  /** Continues a forked process or starts a new thread in a fresh worker. */
  resume(image: import('../kernel/services.js').SpawnImage, core: IsaCore, mem: AddressSpace, settings: StubSettings): TrapHandler;
}
