/**
 * wait4/waitid that block: the call parks until a child of the caller
 * changes state (exit, stop, continue) or a signal the thread does not block
 * arrives (EINTR; the personality's restart table decides what the guest
 * sees). The matching rules are the process table's.
 */
import { fail, isServerError } from '../common/errno.js';
import { PARKED, type GuestThread, type Parked, type PendingCall } from '../common/runtime.js';
import type { ProcessRecord, ProcessTable, WaitRequest, WaitResult } from './process-table.js';

export class ParkedWaits {
  private readonly parked = new Map<number, { call: PendingCall; req: WaitRequest }>();

  constructor(private readonly table: ProcessTable, private readonly deliverable: (t: GuestThread) => boolean) {}

  /** wait: an answer now, null (WNOHANG, nothing yet), or parked until there is one. */
  wait(call: PendingCall, req: WaitRequest, block: boolean): WaitResult | null | Parked {
    const r = this.table.wait(call.thread.pid, req);
    if (r || !block) return r;
    if (this.deliverable(call.thread)) throw fail('EINTR');
    this.parked.set(call.thread.tid, { call, req });
    return PARKED;
  }

  /** A child of `parent` changed state: answer the waits it now satisfies. */
  childChanged(parent: ProcessRecord): void {
    for (const [tid, { call, req }] of this.parked) {
      if (call.thread.pid !== parent.pid) continue;
      try {
        const r = this.table.wait(parent.pid, req);
        if (!r) continue;
        this.parked.delete(tid);
        call.resolve(r);
      } catch (e) {
        this.parked.delete(tid);
        call.reject(isServerError(e) ? e.errno : 'EIO');
      }
    }
  }

  /** A signal thread `t` can take arrived: its wait ends with EINTR. */
  interrupt(t: GuestThread): void {
    const w = this.parked.get(t.tid);
    if (!w) return;
    this.parked.delete(t.tid);
    w.call.reject('EINTR');
  }

  forgetThread(tid: number): void {
    this.parked.delete(tid);
  }
}
