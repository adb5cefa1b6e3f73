/**
 * Haiku ports (create/write_port_etc/read_port_etc/port_count/delete/find/
 * close, port_buffer_size_etc) for one team, shared by all its threads.
 * Each port queues up to PORT_SLOTS messages of at most PORT_MESSAGE_MAX bytes.
 */
import {
  B_BAD_PORT_ID, B_BAD_VALUE, B_NAME_NOT_FOUND, B_NO_MORE_PORTS, B_OK, B_TIMED_OUT, B_WOULD_BLOCK,
} from '../abi/errors.js';
import { deadlineOf, SharedTable, type TableHandle } from './shared-table.js';

const F = { ID: 0, CAPACITY: 1, QUEUED: 2, HEAD: 3, SEQ: 4, CLOSED: 5 } as const;
export const MAX_PORTS = 64;
export const PORT_SLOTS = 16;
export const PORT_MESSAGE_MAX = 4096;
const SLOT_BYTES = 8 + PORT_MESSAGE_MAX;
const NAME_BYTES = 32;

export class PortServer {
  readonly t: SharedTable;
  constructor(handle: TableHandle) { this.t = new SharedTable(handle, MAX_PORTS, 6, NAME_BYTES + PORT_SLOTS * SLOT_BYTES); }
  static create(): TableHandle { return SharedTable.create(MAX_PORTS, 6, NAME_BYTES + PORT_SLOTS * SLOT_BYTES, 200); }

  get used(): number { let n = 0; for (let i = 0; i < MAX_PORTS; i++) if (this.t.get(i, F.ID)) n++; return n; }

  createPort(capacity: number, name: string): number {
    if (capacity <= 0 || capacity > 4096) return B_BAD_VALUE;
    return this.t.locked(() => {
      const i = this.t.free();
      if (i < 0) return B_NO_MORE_PORTS;
      const id = this.t.nextId();
      this.t.set(i, F.CAPACITY, Math.min(capacity, PORT_SLOTS));
      this.t.set(i, F.QUEUED, 0);
      this.t.set(i, F.HEAD, 0);
      this.t.set(i, F.CLOSED, 0);
      this.t.setName(i, name || 'unnamed port');
      this.t.set(i, F.ID, id);
      return id;
    });
  }

  deletePort(id: number): number {
    return this.t.locked(() => {
      const i = this.t.find(id);
      if (i < 0) return B_BAD_PORT_ID;
      this.t.set(i, F.ID, 0);
      this.t.wake(i, F.SEQ);
      return B_OK;
    });
  }

  closePort(id: number): number {
    return this.t.locked(() => {
      const i = this.t.find(id);
      if (i < 0) return B_BAD_PORT_ID;
      this.t.set(i, F.CLOSED, 1);
      this.t.wake(i, F.SEQ);
      return B_OK;
    });
  }

  findPort(name: string): number {
    return this.t.locked(() => {
      for (let i = 0; i < MAX_PORTS; i++) if (this.t.get(i, F.ID) && this.t.name(i, 0, NAME_BYTES) === name) return this.t.get(i, F.ID);
      return B_NAME_NOT_FOUND;
    });
  }

  count(id: number): number {
    const i = this.t.find(id);
    return i < 0 ? B_BAD_PORT_ID : this.t.get(i, F.QUEUED);
  }

  private slot(i: number, k: number): Uint8Array {
    const off = NAME_BYTES + k * SLOT_BYTES;
    return this.t.bytesOf(i).subarray(off, off + SLOT_BYTES);
  }

  /** Waits until `ready(i)` holds under the lock; returns the entry index locked, or a status code (unlocked). */
  private waitFor(id: number, flags: number, timeoutUs: bigint, ready: (i: number) => boolean, failIfClosed: boolean, poll?: () => void): { i: number } | { status: number } {
    const dl = deadlineOf(flags, timeoutUs);
    for (;;) {
      this.t.lock();
      const i = this.t.find(id);
      if (i < 0) { this.t.unlock(); return { status: B_BAD_PORT_ID }; }
      if (ready(i)) return { i };
      if (failIfClosed && this.t.get(i, F.CLOSED)) { this.t.unlock(); return { status: B_BAD_PORT_ID }; }
      const seq = this.t.get(i, F.SEQ);
      this.t.unlock();
      if (dl.poll) return { status: B_WOULD_BLOCK };
      if (dl.expired()) return { status: B_TIMED_OUT };
      this.t.waitSeq(i, F.SEQ, seq, dl.remaining(), poll);
    }
  }

  write(id: number, code: number, data: Uint8Array, flags: number, timeoutUs: bigint, poll?: () => void): number {
    if (data.length > PORT_MESSAGE_MAX) return B_BAD_VALUE;
    {
      const i0 = this.t.find(id);
      if (i0 >= 0 && this.t.get(i0, F.CLOSED)) return B_BAD_PORT_ID;
    }
    const w = this.waitFor(id, flags, timeoutUs, (k) => this.t.get(k, F.QUEUED) < this.t.get(k, F.CAPACITY), true, poll);
    if ('status' in w) return w.status;
    const i = w.i;
    try {
      const cap = this.t.get(i, F.CAPACITY);
      const q = this.t.get(i, F.QUEUED);
      const s = this.slot(i, (this.t.get(i, F.HEAD) + q) % cap);
      const dv = new DataView(s.buffer, s.byteOffset, 8);
      dv.setInt32(0, code, true);
      dv.setInt32(4, data.length, true);
      s.set(data, 8);
      this.t.set(i, F.QUEUED, q + 1);
      this.t.wake(i, F.SEQ);
      return B_OK;
    } finally { this.t.unlock(); }
  }

  /** Reads (or with `peek`, only sizes) the next message: returns its size or a status; `out` gets code+bytes. */
  read(id: number, flags: number, timeoutUs: bigint, out: ((code: number, bytes: Uint8Array) => void) | null, poll?: () => void): number {
    const w = this.waitFor(id, flags, timeoutUs, (k) => this.t.get(k, F.QUEUED) > 0, true, poll);
    if ('status' in w) return w.status;
    const i = w.i;
    try {
      const head = this.t.get(i, F.HEAD);
      const s = this.slot(i, head);
      const dv = new DataView(s.buffer, s.byteOffset, 8);
      const code = dv.getInt32(0, true);
      const size = dv.getInt32(4, true);
      if (out) {
        out(code, s.subarray(8, 8 + size));
        this.t.set(i, F.HEAD, (head + 1) % this.t.get(i, F.CAPACITY));
        this.t.set(i, F.QUEUED, this.t.get(i, F.QUEUED) - 1);
        this.t.wake(i, F.SEQ);
      }
      return size;
    } finally { this.t.unlock(); }
  }
}
