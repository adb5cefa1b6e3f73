/**
 * State the Linux personality keeps for one guest process and one guest
 * thread. Process-wide values that every thread must see (program break,
 * signal dispositions, resource limits) live in the runtime's shared
 * ProcessBlock; the region map is shared the same way. Thread values (signal
 * mask and pending set) live in the thread's ThreadBlock.
 */
import type { RegionMap } from '../../src/memory/regions.js';
import { PB, type ProcessBlock, type SigActionRecord, type ThreadBlock } from '../../src/kernel/shared.js';
import type { AltStack } from './abi/signal-frame.js';

export type SigAction = SigActionRecord;

export interface Rlimit { cur: bigint; max: bigint }
export const RLIM_INFINITY = 0xffff_ffff_ffff_ffffn;

/** Linux resource numbers (generic order; MIPS reorders a few — arch data when it lands). */
export const RLIMIT = {
  CPU: 0, FSIZE: 1, DATA: 2, STACK: 3, CORE: 4, RSS: 5, NPROC: 6, NOFILE: 7, MEMLOCK: 8, AS: 9,
  LOCKS: 10, SIGPENDING: 11, MSGQUEUE: 12, NICE: 13, RTPRIO: 14, RTTIME: 15,
} as const;

/** The limits a new process starts with (those not listed are unlimited). */
export function initialRlimits(block: ProcessBlock): void {
  for (let r = 0; r < 16; r++) block.setRlimit(r, RLIM_INFINITY, RLIM_INFINITY);
  block.setRlimit(RLIMIT.STACK, 8n << 20n, RLIM_INFINITY);
  block.setRlimit(RLIMIT.NOFILE, 1024n, 1048576n);
  block.setRlimit(RLIMIT.CORE, 0n, RLIM_INFINITY);
  block.setRlimit(RLIMIT.NPROC, 63_000n, 63_000n);
  block.setRlimit(RLIMIT.MEMLOCK, 8n << 20n, 8n << 20n);
  block.setRlimit(RLIMIT.SIGPENDING, 63_000n, 63_000n);
  block.setRlimit(RLIMIT.MSGQUEUE, 819200n, 819200n);
  block.setRlimit(RLIMIT.NICE, 0n, 0n);
  block.setRlimit(RLIMIT.RTPRIO, 0n, 0n);
}

/** Values of a process that travel to a forked child or a new thread (structured-cloneable). */
export interface ProcessCarry {
  execPath: string;
  hostExePath: string;
  personality: number;
  threadName: string;
  altstack: AltStack;
  /** Address of compat's sigreturn trampoline page in this image. */
  trampoline: number;
}

export class LinuxProcessState {
  /** The path the guest was exec'd as (AT_EXECFN, /proc/self/exe). */
  execPath = '';
  /** Host path of the running image. */
  hostExePath = '';
  /** Where compat mapped its sigreturn trampoline (0: none). */
  trampoline = 0;

  constructor(readonly regions: RegionMap, readonly block: ProcessBlock) {}

  get brkStart(): number { return this.block.int(PB.BRK_START) >>> 0; }
  set brkStart(v: number) { this.block.setInt(PB.BRK_START, v); }
  get brkCur(): number { return this.block.int(PB.BRK_CUR) >>> 0; }
  set brkCur(v: number) { this.block.setInt(PB.BRK_CUR, v); }
  get brkLimit(): number { return this.block.int(PB.BRK_LIMIT) >>> 0; }
  set brkLimit(v: number) { this.block.setInt(PB.BRK_LIMIT, v); }
  get personality(): number { return this.block.int(PB.PERSONALITY) >>> 0; }
  set personality(v: number) { this.block.setInt(PB.PERSONALITY, v); }

  action(sig: number): SigAction { return this.block.action(sig); }
  setAction(sig: number, a: SigAction): void { this.block.setAction(sig, a); }

  rlimit(resource: number): Rlimit { return this.block.rlimit(resource); }
  setRlimit(resource: number, r: Rlimit): void { this.block.setRlimit(resource, r.cur, r.max); }
}

export const SS_ONSTACK = 1;
export const SS_DISABLE = 2;

export class LinuxThreadState {
  /** set_tid_address / CLONE_CHILD_CLEARTID word. */
  clearChildTid = 0;
  robustList = 0n;
  /** PR_SET_NAME / comm. */
  threadName = '';
  /** As sigaltstack last stored it (a fresh thread: all zero, as the kernel keeps it). */
  altstack: AltStack = { sp: 0, size: 0, flags: 0 };
  /** PR_SET_CHILD_SUBREAPER as last set by this process. */
  subreaper = false;
  /** rt_sigsuspend / ppoll / pselect: the mask to put back once a handler has run. */
  savedMask: bigint | null = null;

  constructor(readonly block: ThreadBlock) {}

  get sigmask(): bigint { return this.block.mask; }
  set sigmask(v: bigint) { this.block.mask = v; }
  get pending(): bigint { return this.block.pending; }
}
