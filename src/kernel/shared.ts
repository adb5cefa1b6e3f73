/**
 * State shared between the workers of one guest process and the supervisor,
 * kept in SharedArrayBuffers so every thread sees it without messages.
 *
 * ThreadBlock (one per guest thread):
 *   i32[WAKE]        bumped + notified to wake the thread (signal, RPC reply, child event)
 *   i32[RPC]         RPC reply flag
 *   i32[SIGFLAG]     non-zero when a signal may be deliverable (checked at safe points)
 *   i32[STATE]       ThreadState
 *   i32[FUTEX]       guest address the thread is futex-waiting on (0 = none)
 *   i32[TID]         guest tid
 *   i64[MASK]        blocked signals (bit n-1 = signal n, the arch's own numbering)
 *   i64[PENDING]     thread-directed pending signals
 *
 * ProcessBlock (one per guest process):
 *   i64[PROC_PENDING] process-directed signals pending because every thread blocks them
 *   i64[ACTIONS + 4n .. +3] sigaction of signal n (0..128): handler, flags, restorer, mask
 *   i64[RLIMITS + 2r, +1]   rlimit r: cur, max
 *   i64[CPU_TIMERS .. +3]   CPU-time interval timers: left and interval (ns)
 *   i32[...] brk, personality, live thread count, exit flag, slots, SIGCONT count
 */

export const TB = {
  WAKE: 0,
  RPC: 1,
  SIGFLAG: 2,
  STATE: 3,
  FUTEX: 4,
  TID: 5,
  /** Set while the thread is inside a blocking wait that a signal may end. */
  INTERRUPTIBLE: 6,
  INTS: 8,
  // BigInt64 indices (after the ints)
  MASK: 0,
  PENDING: 1,
  LONGS: 2,
} as const;

export const enum ThreadState { Running = 0, Exited = 1, Stopped = 2 }

export class ThreadBlock {
  readonly i32: Int32Array;
  readonly i64: BigInt64Array;
  constructor(readonly sab: SharedArrayBuffer = new SharedArrayBuffer(TB.INTS * 4 + TB.LONGS * 8)) {
    this.i32 = new Int32Array(sab, 0, TB.INTS);
    this.i64 = new BigInt64Array(sab, TB.INTS * 4, TB.LONGS);
  }
  get mask(): bigint { return BigInt.asUintN(64, Atomics.load(this.i64, TB.MASK)); }
  set mask(v: bigint) { Atomics.store(this.i64, TB.MASK, BigInt.asIntN(64, v)); }
  get pending(): bigint { return BigInt.asUintN(64, Atomics.load(this.i64, TB.PENDING)); }
  addPending(bit: bigint): void { Atomics.or(this.i64, TB.PENDING, BigInt.asIntN(64, bit)); }
  clearPending(bit: bigint): void { Atomics.and(this.i64, TB.PENDING, BigInt.asIntN(64, ~bit)); }
  /** Wakes the thread from any Atomics-based wait. */
  poke(): void {
    Atomics.store(this.i32, TB.SIGFLAG, 1);
    Atomics.add(this.i32, TB.WAKE, 1);
    Atomics.notify(this.i32, TB.WAKE);
  }
}

export const PB = {
  // BigInt64 layout
  PROC_PENDING: 0,
  ACTIONS: 1, // signals 0..128 (MIPS has 128) × 4
  RLIMITS: 1 + 129 * 4, // 16 × 2
  /** ITIMER_VIRTUAL then ITIMER_PROF: ns left, interval ns (servers/signals/cpu-timers.ts). */
  CPU_TIMERS: 1 + 129 * 4 + 32,
  LONGS: 1 + 129 * 4 + 32 + 4,
  // Int32 layout (after the longs)
  BRK_START: 0,
  BRK_CUR: 1,
  BRK_LIMIT: 2,
  PERSONALITY: 3,
  THREADS: 4,
  EXITING: 5,
  /** Register-file slots in use (bitmap over 2 words: slots 0..63). */
  SLOTS: 6,
  /** Bumped at every SIGCONT sent to the process: a stop signal taken before it does not stop it. */
  CONTINUED: 8,
  /**
   * Who sent each process-pending signal (one every thread blocks, taken by
   * sigwait or a signalfd): signals 1..64 × [set, pid, uid, code] (code: an
   * index into PROC_SENDER_CODES).
   */
  PROC_SENDERS: 9,
  INTS: 9 + 64 * 4,
} as const;

/** The si_codes a process-directed signal can carry, by their index in PB.PROC_SENDERS. */
export const PROC_SENDER_CODES = ['SI_USER', 'SI_QUEUE', 'SI_KERNEL', 'SI_TKILL', 'SI_TIMER', 'SI_ASYNCIO', 'SI_MESGQ', 'SI_SIGIO'] as const;

/** The sender of a process-pending signal, as PB.PROC_SENDERS keeps it. */
export interface ProcSender { pid: number; uid: number; code: string }

export interface SigActionRecord { handler: bigint; flags: bigint; restorer: bigint; mask: bigint }

export class ProcessBlock {
  readonly i64: BigInt64Array;
  readonly i32: Int32Array;
  constructor(readonly sab: SharedArrayBuffer = new SharedArrayBuffer(PB.LONGS * 8 + PB.INTS * 4)) {
    this.i64 = new BigInt64Array(sab, 0, PB.LONGS);
    this.i32 = new Int32Array(sab, PB.LONGS * 8, PB.INTS);
  }

  action(sig: number): SigActionRecord {
    const b = PB.ACTIONS + sig * 4;
    const u = (i: number): bigint => BigInt.asUintN(64, Atomics.load(this.i64, b + i));
    return { handler: u(0), flags: u(1), restorer: u(2), mask: u(3) };
  }
  setAction(sig: number, a: SigActionRecord): void {
    const b = PB.ACTIONS + sig * 4;
    Atomics.store(this.i64, b, BigInt.asIntN(64, a.handler));
    Atomics.store(this.i64, b + 1, BigInt.asIntN(64, a.flags));
    Atomics.store(this.i64, b + 2, BigInt.asIntN(64, a.restorer));
    Atomics.store(this.i64, b + 3, BigInt.asIntN(64, a.mask));
  }
  rlimit(r: number): { cur: bigint; max: bigint } {
    return {
      cur: BigInt.asUintN(64, Atomics.load(this.i64, PB.RLIMITS + 2 * r)),
      max: BigInt.asUintN(64, Atomics.load(this.i64, PB.RLIMITS + 2 * r + 1)),
    };
  }
  setRlimit(r: number, cur: bigint, max: bigint): void {
    Atomics.store(this.i64, PB.RLIMITS + 2 * r, BigInt.asIntN(64, cur));
    Atomics.store(this.i64, PB.RLIMITS + 2 * r + 1, BigInt.asIntN(64, max));
  }
  get procPending(): bigint { return BigInt.asUintN(64, Atomics.load(this.i64, PB.PROC_PENDING)); }
  /** Records who sent process-pending signal `sig` (1..64). */
  setProcSender(sig: number, s: ProcSender): void {
    if (sig < 1 || sig > 64) return;
    const at = PB.PROC_SENDERS + (sig - 1) * 4;
    const code = PROC_SENDER_CODES.indexOf(s.code as (typeof PROC_SENDER_CODES)[number]);
    Atomics.store(this.i32, at + 1, s.pid | 0);
    Atomics.store(this.i32, at + 2, s.uid | 0);
    Atomics.store(this.i32, at + 3, code < 0 ? 0 : code);
    Atomics.store(this.i32, at, 1);
  }
  /** Who sent process-pending signal `sig`, once (null when nobody recorded it). */
  takeProcSender(sig: number): ProcSender | null {
    if (sig < 1 || sig > 64) return null;
    const at = PB.PROC_SENDERS + (sig - 1) * 4;
    if (Atomics.exchange(this.i32, at, 0) !== 1) return null;
    return { pid: Atomics.load(this.i32, at + 1), uid: Atomics.load(this.i32, at + 2) >>> 0, code: PROC_SENDER_CODES[Atomics.load(this.i32, at + 3)] ?? 'SI_USER' };
  }
  addProcPending(bit: bigint): void { Atomics.or(this.i64, PB.PROC_PENDING, BigInt.asIntN(64, bit)); }
  /** Atomically takes `bits` out of the process-pending set; returns the ones that were there. */
  takeProcPending(bits: bigint): bigint {
    const before = BigInt.asUintN(64, Atomics.and(this.i64, PB.PROC_PENDING, BigInt.asIntN(64, ~bits)));
    return before & bits;
  }
  /** How many SIGCONTs the process has been sent (servers/signals/stop-continue.ts). */
  get continued(): number { return Atomics.load(this.i32, PB.CONTINUED); }
  bumpContinued(): void { Atomics.add(this.i32, PB.CONTINUED, 1); }
  int(i: number): number { return Atomics.load(this.i32, i); }
  setInt(i: number, v: number): void { Atomics.store(this.i32, i, v | 0); }

  /**
   * A copy for a forked child (sigactions, rlimits, brk are inherited; CPU
   * timers are not) or, with `exec`, for the new image of an execve (which
   * keeps the CPU timers).
   */
  fork(opts: { exec?: boolean } = {}): ProcessBlock {
    const sab = new SharedArrayBuffer(this.sab.byteLength);
    new Uint8Array(sab).set(new Uint8Array(this.sab));
    const c = new ProcessBlock(sab);
    Atomics.store(c.i64, PB.PROC_PENDING, 0n);
    if (!opts.exec) for (let i = 0; i < 4; i++) Atomics.store(c.i64, PB.CPU_TIMERS + i, 0n);
    c.setInt(PB.THREADS, 1);
    c.setInt(PB.EXITING, 0);
    // the child keeps only the forking thread's slot
    return c;
  }

  /** Marks `slot` as the only register-file slot in use. */
  claimOnlySlot(slot: number): void {
    Atomics.store(this.i32, PB.SLOTS, slot < 32 ? 1 << slot : 0);
    Atomics.store(this.i32, PB.SLOTS + 1, slot >= 32 ? 1 << (slot - 32) : 0);
  }

  /** Frees a slot when its thread ends. */
  releaseSlot(slot: number): void {
    Atomics.and(this.i32, PB.SLOTS + (slot >> 5), ~(1 << (slot & 31)));
  }
}
