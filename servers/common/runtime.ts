/**
 * What the processes and signals servers need of the runtime that runs guest
 * threads (the supervisor, src/kernel/supervisor.ts): the live threads of a
 * process, a way to start and end one, and a way to hand one a queued
 * signal. The servers decide; the runtime only carries out and moves
 * messages. A call a server cannot answer at once (wait4 with nothing to
 * report, a stopped thread, a vfork parent) is kept as a PendingCall and
 * answered later.
 */
import type { Errno } from './errno.js';
import type { ThreadBlock } from '../../src/kernel/shared.js';
import type { SpawnImage } from '../../src/kernel/services.js';

/** One guest thread as the servers see it. */
export interface GuestThread {
  readonly tid: number;
  readonly pid: number;
  /** Its shared block: signal mask and pending set, wake cell. */
  readonly block: ThreadBlock;
  /** True once the thread has ended (or is being ended). */
  readonly ended: boolean;
}

/** A guest thread's call that waits for its answer. */
export interface PendingCall {
  readonly thread: GuestThread;
  resolve(value: unknown): void;
  reject(errno: Errno): void;
}

/** Returned by a server operation that keeps its PendingCall to answer later. */
export const PARKED: unique symbol = Symbol('parked');
export type Parked = typeof PARKED;

export interface ThreadRuntime {
  /** The live (not ended) threads of process `pid`. */
  threadsOf(pid: number): GuestThread[];
  /** Thread `tid`, if it is live. */
  thread(tid: number): GuestThread | undefined;
  /** Starts thread `tid` of process `pid` from a fork/clone image. */
  startThread(pid: number, tid: number, image: SpawnImage): void;
  /** Ends a thread's worker at once (wherever it is waiting). */
  terminate(t: GuestThread): void;
  /** Hands thread `t` a signal it now has pending: its siginfo, then a wake-up from any wait. */
  notifySignal(t: GuestThread, signo: number, info: Record<string, unknown>): void;
  /**
   * Wakes thread `t` from any wait with no signal of its own: its process
   * has a signal pending that every thread blocks, which a sigwait may take.
   */
  wake(t: GuestThread): void;
}
