/**
 * Stopping and continuing a process, and what its parent hears of it. A
 * thread that takes a stop signal (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU by
 * default) parks until a SIGCONT; the process is marked stopped, its parent
 * gets SIGCHLD (CLD_STOPPED) and a WUNTRACED wait report. SIGCONT releases
 * every parked thread and reports CLD_CONTINUED (WCONTINUED).
 */
import type { PendingCall } from '../common/runtime.js';
import { PARKED, type Parked } from '../common/runtime.js';
import type { ProcessRecord, ProcessTable } from '../processes/process-table.js';
import { childSignalInfo } from './child-signal.js';

interface Sender {
  sendToProcess(p: ProcessRecord, name: string, info: Record<string, unknown>): void;
  continuedCount(pid: number): number | undefined;
}

interface Reports {
  childChanged(parent: ProcessRecord): void;
}

export class JobControl {
  /** Threads parked in a stop, by tid. */
  private readonly parked = new Map<number, PendingCall>();

  constructor(private readonly table: ProcessTable, private readonly signals: Sender, private readonly reports: Reports) {}

  /**
   * Thread `call.thread` took stop signal `signal`: the process stops and the
   * thread waits for SIGCONT. `continued` is the process's SIGCONT count when
   * the thread took the signal: a SIGCONT since then cancels the stop (Linux's
   * JOBCTL_STOP_DEQUEUED).
   */
  stop(call: PendingCall, signal: string, continued: number | undefined): null | Parked {
    const p = this.table.get(call.thread.pid);
    if (!p) return null;
    if (typeof continued === 'number' && this.signals.continuedCount(p.pid) !== continued) return null;
    this.stopProcess(p, signal);
    this.parked.set(call.thread.tid, call);
    return PARKED;
  }

  private stopProcess(p: ProcessRecord, signal: string): void {
    if (p.stopped) return;
    p.stopped = true;
    p.pendingStateChange = { kind: 'stopped', signal };
    this.tellParent(p, childSignalInfo(p.pid, p.pendingStateChange));
  }

  continueProcess(p: ProcessRecord): void {
    if (!p.stopped) return;
    p.stopped = false;
    p.pendingStateChange = { kind: 'continued' };
    for (const [tid, call] of this.parked) {
      if (call.thread.pid !== p.pid) continue;
      this.parked.delete(tid);
      call.resolve(null);
    }
    this.tellParent(p, childSignalInfo(p.pid, p.pendingStateChange));
  }

  /** A thread that ended while stopped (killed) waits no more. */
  forgetThread(tid: number): void {
    this.parked.delete(tid);
  }

  private tellParent(p: ProcessRecord, info: Record<string, unknown>): void {
    const parent = this.table.get(p.ppid);
    if (!parent || parent.zombie) return;
    this.signals.sendToProcess(parent, 'SIGCHLD', info);
    this.reports.childChanged(parent);
  }
}
