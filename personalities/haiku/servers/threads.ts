/**
 * The team's threads as Haiku sees them: id, name, priority, state
 * (suspended until resume_thread, running, exited with a return value), so
 * wait_for_thread, resume_thread and get_thread_info work across workers.
 */
import { B_BAD_THREAD_ID, B_BAD_THREAD_STATE, B_NO_MORE_THREADS, B_OK } from '../abi/errors.js';
import { SharedTable, type TableHandle } from './shared-table.js';

const F = { ID: 0, STATE: 1, EXIT: 2, SEQ: 3, PRIORITY: 4, STACK_LO: 5, STACK_HI: 6 } as const;
export const TS = { SUSPENDED: 1, RUNNING: 2, EXITED: 3 } as const;
export const MAX_THREADS = 64;

export class ThreadServer {
  readonly t: SharedTable;
  constructor(handle: TableHandle) { this.t = new SharedTable(handle, MAX_THREADS, 7, 32); }
  static create(): TableHandle { return SharedTable.create(MAX_THREADS, 7, 32, 1); }

  get used(): number { let n = 0; for (let i = 0; i < MAX_THREADS; i++) if (this.t.get(i, F.ID) && this.t.get(i, F.STATE) !== TS.EXITED) n++; return n; }

  add(tid: number, name: string, priority: number, state: number, stack: [number, number] = [0, 0]): number {
    return this.t.locked(() => {
      const i = this.t.free();
      if (i < 0) return B_NO_MORE_THREADS;
      this.t.setName(i, name);
      this.t.set(i, F.STATE, state);
      this.t.set(i, F.PRIORITY, priority);
      this.t.set(i, F.EXIT, 0);
      this.t.set(i, F.STACK_LO, stack[0]);
      this.t.set(i, F.STACK_HI, stack[1]);
      this.t.set(i, F.ID, tid);
      return B_OK;
    });
  }

  info(tid: number): { name: string; state: number; priority: number; stack: [number, number] } | null {
    const i = this.t.find(tid);
    if (i < 0) return null;
    return { name: this.t.name(i), state: this.t.get(i, F.STATE), priority: this.t.get(i, F.PRIORITY), stack: [this.t.get(i, F.STACK_LO) >>> 0, this.t.get(i, F.STACK_HI) >>> 0] };
  }

  findByName(name: string): number | null {
    for (let i = 0; i < MAX_THREADS; i++) {
      const id = this.t.get(i, F.ID);
      if (id && this.t.get(i, F.STATE) !== TS.EXITED && this.t.name(i) === name) return id;
    }
    return null;
  }

  resume(tid: number): number {
    const i = this.t.find(tid);
    if (i < 0) return B_BAD_THREAD_ID;
    if (this.t.get(i, F.STATE) !== TS.SUSPENDED) return B_BAD_THREAD_STATE;
    this.t.set(i, F.STATE, TS.RUNNING);
    this.t.wake(i, F.SEQ);
    return B_OK;
  }

  /** A new thread's worker waits here until resume_thread. */
  waitResumed(tid: number): void {
    const i = this.t.find(tid);
    if (i < 0) return;
    for (;;) {
      const seq = this.t.get(i, F.SEQ);
      if (this.t.get(i, F.STATE) !== TS.SUSPENDED) return;
      this.t.waitSeq(i, F.SEQ, seq, Infinity);
    }
  }

  exited(tid: number, value: number): void {
    const i = this.t.find(tid);
    if (i < 0) return;
    this.t.set(i, F.EXIT, value);
    this.t.set(i, F.STATE, TS.EXITED);
    this.t.wake(i, F.SEQ);
  }

  /** wait_for_thread: the return value, or a status code in `status`. */
  waitExit(tid: number, poll?: () => void): { status: number; value: number } {
    const i = this.t.find(tid);
    if (i < 0) return { status: B_BAD_THREAD_ID, value: 0 };
    for (;;) {
      const seq = this.t.get(i, F.SEQ);
      if (this.t.get(i, F.ID) !== tid) return { status: B_BAD_THREAD_ID, value: 0 };
      if (this.t.get(i, F.STATE) === TS.SUSPENDED) this.resume(tid); // Haiku resumes a suspended thread it waits for
      if (this.t.get(i, F.STATE) === TS.EXITED) {
        const value = this.t.get(i, F.EXIT);
        this.t.locked(() => this.t.set(i, F.ID, 0)); // reaped
        return { status: B_OK, value };
      }
      this.t.waitSeq(i, F.SEQ, seq, Infinity, poll);
    }
  }
}
