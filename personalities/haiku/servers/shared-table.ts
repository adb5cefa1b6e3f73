/**
 * The Haiku personality's residual-server storage: fixed tables in
 * SharedArrayBuffers, so every thread (worker) of a guest team sees the same
 * semaphores, ports, threads and areas. One short lock per table; blocking
 * waits are Atomics.wait on a per-object sequence cell (never a spin).
 */
export interface TableHandle {
  ints: SharedArrayBuffer;
  bytes: SharedArrayBuffer;
}

export class SharedTable {
  readonly i32: Int32Array;
  readonly u8: Uint8Array;
  /** Cells: [0] lock, [1] next id; entries from HEADER on. */
  static readonly HEADER = 4;

  constructor(readonly handle: TableHandle, readonly entries: number, readonly width: number, readonly bytesPerEntry: number) {
    this.i32 = new Int32Array(handle.ints);
    this.u8 = new Uint8Array(handle.bytes);
  }

  static create(entries: number, width: number, bytesPerEntry: number, firstId: number): TableHandle {
    const ints = new SharedArrayBuffer((SharedTable.HEADER + entries * width) * 4);
    const bytes = new SharedArrayBuffer(Math.max(8, entries * bytesPerEntry));
    new Int32Array(ints)[1] = firstId;
    return { ints, bytes };
  }

  lock(): void {
    while (Atomics.compareExchange(this.i32, 0, 0, 1) !== 0) Atomics.wait(this.i32, 0, 1, 1);
  }

  unlock(): void {
    Atomics.store(this.i32, 0, 0);
    Atomics.notify(this.i32, 0, 1);
  }

  locked<T>(f: () => T): T {
    this.lock();
    try { return f(); } finally { this.unlock(); }
  }

  nextId(): number {
    return this.i32[1]++;
  }

  /** Index of cell `field` of entry `i`. */
  cell(i: number, field: number): number {
    return SharedTable.HEADER + i * this.width + field;
  }

  get(i: number, field: number): number { return Atomics.load(this.i32, this.cell(i, field)); }
  set(i: number, field: number, v: number): void { Atomics.store(this.i32, this.cell(i, field), v | 0); }

  /** Entry whose field 0 (the id) is `id`, or -1. */
  find(id: number): number {
    if (id <= 0) return -1;
    for (let i = 0; i < this.entries; i++) if (this.get(i, 0) === id) return i;
    return -1;
  }

  /** A free entry (id 0), or -1. */
  free(): number {
    for (let i = 0; i < this.entries; i++) if (this.get(i, 0) === 0) return i;
    return -1;
  }

  bytesOf(i: number): Uint8Array {
    return this.u8.subarray(i * this.bytesPerEntry, (i + 1) * this.bytesPerEntry);
  }

  setName(i: number, name: string, offset = 0, max = 32): void {
    const b = this.bytesOf(i).subarray(offset, offset + max);
    b.fill(0);
    b.set(Buffer.from(name, 'latin1').subarray(0, max - 1));
  }

  name(i: number, offset = 0, max = 32): string {
    const b = this.bytesOf(i).subarray(offset, offset + max);
    const end = b.indexOf(0);
    return Buffer.from(b.subarray(0, end < 0 ? max : end)).toString('latin1');
  }

  /** Bumps entry i's sequence cell and wakes its waiters. */
  wake(i: number, seqField: number): void {
    Atomics.add(this.i32, this.cell(i, seqField), 1);
    Atomics.notify(this.i32, this.cell(i, seqField));
  }

  /**
   * Waits until entry i's sequence cell moves past `seen` or `ms` passes
   * (Infinity: forever), in slices of at most 100 ms so `poll` (signal
   * checks of the waiting thread) runs while it waits.
   */
  waitSeq(i: number, seqField: number, seen: number, ms: number, poll?: () => void): void {
    const end = ms === Infinity ? Infinity : performance.now() + ms;
    for (;;) {
      const left = end - performance.now();
      if (left <= 0) return;
      const r = Atomics.wait(this.i32, this.cell(i, seqField), seen, poll ? Math.min(left, 100) : left);
      if (r !== 'timed-out') return;
      if (poll) poll();
    }
  }
}

/** A deadline in host milliseconds from Haiku's timeout flags (microseconds; absolute = system_time base). */
export interface Deadline { /** ms remaining or Infinity */ remaining(): number; expired(): boolean; poll: boolean }

export const B_CAN_INTERRUPT = 0x1;
export const B_RELATIVE_TIMEOUT = 0x8;
export const B_ABSOLUTE_TIMEOUT = 0x10;

/** system_time(): microseconds of the host's monotonic clock (the same in every worker). */
export function systemTimeUs(): bigint {
  return process.hrtime.bigint() / 1000n;
}

export function deadlineOf(flags: number, timeoutUs: bigint): Deadline {
  let end: number;
  if (flags & B_RELATIVE_TIMEOUT) end = timeoutUs >= BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : performance.now() + Number(timeoutUs) / 1000;
  else if (flags & B_ABSOLUTE_TIMEOUT) end = timeoutUs >= BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : performance.now() + Number(timeoutUs - systemTimeUs()) / 1000;
  else end = Infinity;
  const poll = ((flags & (B_RELATIVE_TIMEOUT | B_ABSOLUTE_TIMEOUT)) !== 0) && end <= performance.now();
  return {
    poll,
    remaining: () => (end === Infinity ? Infinity : Math.max(0, end - performance.now())),
    expired: () => end !== Infinity && performance.now() >= end,
  };
}
