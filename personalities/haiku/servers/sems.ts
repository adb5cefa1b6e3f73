/**
 * Haiku semaphores (create/delete/acquire(_etc)/release(_etc)/get_sem_count)
 * for one team, shared by all its threads. Status codes are Haiku's.
 */
import { B_BAD_SEM_ID, B_BAD_VALUE, B_NO_MORE_SEMS, B_OK, B_TIMED_OUT, B_WOULD_BLOCK } from '../abi/errors.js';
import { deadlineOf, SharedTable, type TableHandle } from './shared-table.js';

const F = { ID: 0, COUNT: 1, SEQ: 2, WAITERS: 3 } as const;
export const MAX_SEMS = 1024;

export class SemServer {
  readonly t: SharedTable;
  constructor(handle: TableHandle) { this.t = new SharedTable(handle, MAX_SEMS, 4, 32); }
  static create(): TableHandle { return SharedTable.create(MAX_SEMS, 4, 32, 100); }

  get used(): number { let n = 0; for (let i = 0; i < MAX_SEMS; i++) if (this.t.get(i, F.ID)) n++; return n; }

  createSem(count: number, name: string): number {
    if (count < 0) return B_BAD_VALUE;
    return this.t.locked(() => {
      const i = this.t.free();
      if (i < 0) return B_NO_MORE_SEMS;
      const id = this.t.nextId();
      this.t.set(i, F.COUNT, count);
      this.t.set(i, F.WAITERS, 0);
      this.t.setName(i, name || 'unnamed semaphore');
      this.t.set(i, F.ID, id);
      return id;
    });
  }

  deleteSem(id: number): number {
    return this.t.locked(() => {
      const i = this.t.find(id);
      if (i < 0) return B_BAD_SEM_ID;
      this.t.set(i, F.ID, 0);
      this.t.wake(i, F.SEQ);
      return B_OK;
    });
  }

  acquire(id: number, count: number, flags: number, timeoutUs: bigint, poll?: () => void): number {
    if (count <= 0) return B_BAD_VALUE;
    const dl = deadlineOf(flags, timeoutUs);
    for (;;) {
      this.t.lock();
      const i = this.t.find(id);
      if (i < 0) { this.t.unlock(); return B_BAD_SEM_ID; }
      const c = this.t.get(i, F.COUNT);
      if (c >= count) {
        this.t.set(i, F.COUNT, c - count);
        this.t.unlock();
        return B_OK;
      }
      const seq = this.t.get(i, F.SEQ);
      this.t.unlock();
      if (dl.poll) return B_WOULD_BLOCK;
      if (dl.expired()) return B_TIMED_OUT;
      this.t.waitSeq(i, F.SEQ, seq, dl.remaining(), poll);
    }
  }

  release(id: number, count: number): number {
    if (count <= 0) return B_BAD_VALUE;
    return this.t.locked(() => {
      const i = this.t.find(id);
      if (i < 0) return B_BAD_SEM_ID;
      this.t.set(i, F.COUNT, this.t.get(i, F.COUNT) + count);
      this.t.wake(i, F.SEQ);
      return B_OK;
    });
  }

  count(id: number): number | null {
    const i = this.t.find(id);
    return i < 0 ? null : this.t.get(i, F.COUNT);
  }
}
