/**
 * What Haiku syscall handlers see: the calling thread's core and memory, the
 * team's servers (files from servers/files; areas, sems, ports, threads from
 * the personality's own servers), the runtime's kernel services.
 */
import type { FilesServer } from '../../../servers/files/files-server.js';
import type { KernelServices } from '../../../src/kernel/services.js';
import type { AddressSpace } from '../../../src/memory/address-space.js';
import type { RegionMap } from '../../../src/memory/regions.js';
import type { IsaCore } from '../../../src/plugin/contracts.js';
import type { Numbering } from '../abi/numbering.js';
import type { AreaServer } from '../servers/areas.js';
import type { PortServer } from '../servers/ports.js';
import type { SemServer } from '../servers/sems.js';
import type { TableHandle } from '../servers/shared-table.js';
import type { ThreadServer } from '../servers/threads.js';

/** Everything of a team that all its threads share (structured-cloneable handles). */
export interface HaikuTeamHandle {
  areas: TableHandle;
  sems: TableHandle;
  ports: TableHandle;
  threads: TableHandle;
  numbering: { name: string; entries: Array<[number, string]>; source: string };
  execPath: string;
  argv: string[];
  /** Address of the code page holding the thread-exit stub. */
  exitStub: number;
  /** Guest address of the team's commpage (0 if none). */
  commpage: number;
}

export interface HaikuTeam {
  handle: HaikuTeamHandle;
  areas: AreaServer;
  sems: SemServer;
  ports: PortServer;
  threads: ThreadServer;
  regions: RegionMap;
  numbering: Numbering;
}

export interface HaikuThread {
  readonly core: IsaCore;
  readonly mem: AddressSpace;
  readonly files: FilesServer;
  readonly kernel: KernelServices;
  readonly team: HaikuTeam;
  readonly tid: number;
  readonly slot: number;
  /** Argument i beyond a0..a7: the 8-byte stack slot (i-8) at sp. */
  stackArg(i: number): bigint;
  warnOnce(key: string, message: string): void;
  /** An info line in compat's log. */
  info(message: string): void;
  /** Applies pending signals' default actions (may end the team); blocking waits call it when woken. */
  checkSignals(): void;
  /**
   * A point in a blocking wait that a caught signal may end (B_CAN_INTERRUPT):
   * takes what must happen now (stop, death) and fails with EINTR
   * (B_INTERRUPTED) when a handler is waiting to run.
   */
  interruptPoint(): void;
  /** How an interrupted call continues when it runs again (personalities/haiku/syscalls/restartable.ts); saved in a handler's frame. */
  restartBlock: { call: string; resume: () => number | bigint } | null;
  /** Restart blocks of the interrupted calls whose handlers are running, innermost last. */
  readonly frameRestartBlocks: ({ call: string; resume: () => number | bigint } | null)[];
  /** Starts a Haiku thread (suspended until resume_thread); returns its id. */
  spawnThread(attrs: ThreadAttributes): number;
  /** fork: a new team (copy of memory, areas and fds; no ports/sems); returns the child's team id. */
  forkTeam(exec?: PendingExec): number;
}

/** The program a load_image child runs (resolved by the parent, loaded by the child before any guest code). */
export interface PendingExec {
  hostPath: string; guestPath: string; argv: string[]; envp: string[];
  /** load_image: the new team's main thread waits until this cell is set (resume_thread / wait_for_thread). */
  gate?: SharedArrayBuffer;
}

export interface ThreadAttributes {
  entry: number; name: string; priority: number; args1: bigint; args2: bigint;
  stackAddress: number; stackSize: number;
}

export const NO_RESULT = Symbol('no result');
export type Handler = (t: HaikuThread, a: readonly bigint[]) => number | bigint | typeof NO_RESULT;

export interface HaikuSyscallDef {
  fn: Handler;
  /** Argument kinds for --trace: 'int' | 'ptr' | 'str' | 'u64' */
  args: readonly string[];
  /** The answer cannot change within the process (result cache). */
  cacheable?: boolean;
}

export type HaikuSyscallGroup = Record<string, HaikuSyscallDef>;

export const int = (v: bigint): number => Number(BigInt.asIntN(32, v));
export const u32 = (v: bigint): number => Number(BigInt.asUintN(32, v));
export const ptr = (v: bigint): number => Number(BigInt.asUintN(64, v));
export const size = (v: bigint): number => Number(BigInt.asUintN(64, v) > 0xffffffffn ? 0xffffffffn : BigInt.asUintN(64, v));
export const i64 = (v: bigint): bigint => BigInt.asIntN(64, v);

/** Reads a NUL-terminated guest string (B_PATH_NAME_LENGTH limit). */
export function cstr(t: HaikuThread, addr: number, max = 1024): string {
  const s = t.mem.readCString(addr, max);
  return Buffer.from(s.bytes).toString('latin1');
}
