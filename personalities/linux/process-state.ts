/**
 * Process-wide state the Linux personality keeps for one guest process:
 * the program break, the region map, signal dispositions and mask
 * (bookkeeping until the signals server lands), resource limits and the
 * addresses the kernel writes on thread exit.
 */
import type { RegionMap } from '../../src/memory/regions.js';

export interface SigAction {
  handler: bigint;
  flags: bigint;
  restorer: bigint;
  mask: bigint;
}

export interface Rlimit { cur: bigint; max: bigint }
export const RLIM_INFINITY = 0xffff_ffff_ffff_ffffn;

/** Linux resource numbers (same on every arch except MIPS/SPARC, which reorder a few: arch data later). */
export const RLIMIT = {
  CPU: 0, FSIZE: 1, DATA: 2, STACK: 3, CORE: 4, RSS: 5, NPROC: 6, NOFILE: 7, MEMLOCK: 8, AS: 9,
  LOCKS: 10, SIGPENDING: 11, MSGQUEUE: 12, NICE: 13, RTPRIO: 14, RTTIME: 15,
} as const;

export class LinuxProcessState {
  brkStart = 0;
  brkCur = 0;
  /** Highest address brk may reach (start of the mmap area). */
  brkLimit = 0;
  sigactions = new Map<number, SigAction>();
  sigmask = 0n;
  /** Signals sent while blocked, waiting for unblock or sigwait. */
  pending = 0n;
  /** set_tid_address / CLONE_CHILD_CLEARTID word. */
  clearChildTid = 0;
  robustList = 0n;
  rlimits = new Map<number, Rlimit>();
  /** The path the guest was exec'd as (AT_EXECFN, /proc/self/exe). */
  execPath = '';
  /** Host path of the running image. */
  hostExePath = '';
  personality = 0;
  /** PR_SET_NAME / comm. */
  threadName = '';

  constructor(readonly regions: RegionMap) {
    const mk = (cur: bigint, max: bigint = cur): Rlimit => ({ cur, max });
    this.rlimits.set(RLIMIT.STACK, mk(8n << 20n, RLIM_INFINITY));
    this.rlimits.set(RLIMIT.NOFILE, mk(1024n, 1048576n));
    this.rlimits.set(RLIMIT.CORE, mk(0n, RLIM_INFINITY));
    this.rlimits.set(RLIMIT.NPROC, mk(63_000n, 63_000n));
    this.rlimits.set(RLIMIT.MEMLOCK, mk(8n << 20n, 8n << 20n));
    this.rlimits.set(RLIMIT.SIGPENDING, mk(63_000n, 63_000n));
    this.rlimits.set(RLIMIT.MSGQUEUE, mk(819200n, 819200n));
    this.rlimits.set(RLIMIT.NICE, mk(0n, 0n));
    this.rlimits.set(RLIMIT.RTPRIO, mk(0n, 0n));
  }

  rlimit(resource: number): Rlimit {
    return this.rlimits.get(resource) ?? { cur: RLIM_INFINITY, max: RLIM_INFINITY };
  }
}
