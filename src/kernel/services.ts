/**
 * What a guest thread's personality stub may ask of the runtime: process
 * creation, waiting, signals between processes, timers, exit. In a worker
 * these are calls to the supervisor (processes and signals servers); the
 * personality never sees workers or messages.
 */
import type { ChildEvent, WaitRequest, WaitResult } from '../../servers/processes/process-table.js';
import type { ExitReason } from './exit.js';
import type { ProcessBlock, ThreadBlock } from './shared.js';

export type { ChildEvent, WaitRequest, WaitResult };

/** Everything a new worker needs to continue a forked process or start a thread. */
export interface SpawnImage {
  memory: WebAssembly.Memory;
  regions: import('../memory/regions.js').SharedRegions;
  files: unknown;
  processBlock: SharedArrayBuffer;
  /** Register-file slot of the new thread (registers already written there). */
  slot: number;
  isa: string;
  endian: 'little' | 'big';
  personality: string;
  /** Personality-private state (structured-cloneable). */
  state: unknown;
}

export interface SignalMap {
  /** name → this process's signal number */
  byName: Record<string, number>;
}

export interface KernelServices {
  readonly pid: number;
  readonly tid: number;
  readonly thread: ThreadBlock;
  readonly process: ProcessBlock;
  /** Host eventfd poked with every queued signal (for poll-based waits). */
  readonly wakeFd: number;
  /** Empties `wakeFd` (before a poll-based wait asks whether a signal is deliverable, so a later poke wakes it again). */
  clearWake(): void;

  ppid(): number;
  /** fork: starts a new process from `image`; returns its pid. With `vfork`, returns only once the child has exec'd or ended. */
  spawnProcess(image: SpawnImage, opts?: { vfork?: boolean }): number;
  /** PR_SET_CHILD_SUBREAPER. */
  setSubreaper(on: boolean): void;
  /** clone(CLONE_VM|CLONE_THREAD): starts a thread; returns its tid. The slot is reserved by the caller. */
  spawnThread(image: SpawnImage, tid: number): void;
  /** Reserves a tid for a new thread before it starts (so the parent can publish it). */
  allocTid(): number;
  /** The calling thread ends; the process ends with it if it was the last. */
  exitThread(code: number): never;
  /** The whole process ends. */
  exitGroup(reason: ExitReason): never;
  /** wait4/waitid. null: nothing yet (WNOHANG). Throws EINTR when a signal interrupts a block. */
  wait(req: WaitRequest, block: boolean): WaitResult | null;
  /** kill(pid, sig): `signal` is a neutral name; 0-signal checks existence. */
  kill(pid: number, signal: string | null, info: Record<string, unknown>): void;
  tgkill(tgid: number, tid: number, signal: string | null, info: Record<string, unknown>): void;
  setpgid(pid: number, pgid: number): void;
  getpgid(pid: number): number;
  setsid(): number;
  getsid(pid: number): number;
  /** ITIMER_REAL: arm (ms > 0) or disarm; returns the previous remaining/interval ms. */
  setAlarm(valueMs: number, intervalMs: number): { valueMs: number; intervalMs: number };
  getAlarm(): { valueMs: number; intervalMs: number };
  /** Called after exec replaced the image: new memory, signal numbering, exe path. */
  execDone(info: { memory: WebAssembly.Memory; signals: SignalMap; exe: string }): void;
  /**
   * The process stops (SIGSTOP etc.): blocks until continued. `continued`:
   * the process block's SIGCONT count when the stop signal was taken; a
   * SIGCONT sent since then cancels the stop, as it cancels a pending one.
   */
  stop(signal: string, continued?: number): void;
  /** The thread's mask changed: claim process-directed signals it can now take. */
  maskChanged(): void;
  /** Blocks until woken (signal/notice) or `timeoutMs` passes. Returns true if woken. */
  sleep(timeoutMs: number): boolean;
  /** Supervisor notices (queued signal infos) received since the last call. */
  takeNotices(): Array<{ signo: number; info: unknown }>;
  /**
   * execve: loads `hostPath` (any ISA, any personality) as this process's new
   * image, keeping its fd table (close-on-exec applied), signal mask and
   * ignored dispositions. Throws ServerError (ENOENT, EACCES, ENOEXEC...) and
   * leaves the old image untouched when the new one cannot be loaded.
   */
  execImage(req: ExecImageRequest): { core: import('../plugin/contracts.js').IsaCore; trap: import('../plugin/contracts.js').TrapHandler };
}

export interface ExecImageRequest {
  hostPath: string;
  guestPath: string;
  argv: string[];
  envp: string[];
  files: import('../../servers/files/files-server.js').FilesServer;
  sigmask: bigint;
  /** The old process block: ignored dispositions survive exec. */
  actions: ProcessBlock;
}
