/**
 * The signals residual server: where a signal sent by kill, tgkill, the
 * kernel (SIGCHLD, SIGALRM, SIGPIPE's peers) or the host (Ctrl-C) goes.
 * It chooses the target (the processes a kill pid reaches; one thread of a
 * process that does not block the signal, else the process-wide pending
 * set), applies what generation does at once (SIGKILL ends the process,
 * stop and continue signals cancel each other, an ignored signal is
 * dropped), and queues the rest on a thread with its siginfo. The thread's
 * personality takes it at its next safe point (handler frame or default
 * action), with its own numbers.
 *
 * Signals are neutral names here; each process registers the name → number
 * map of its personality and arch, and its process block (dispositions,
 * process-pending set), which the server reads to know what is ignored or
 * handled. A Haiku team and a Linux process signal each other through it.
 */
import { fail } from '../common/errno.js';
import type { GuestThread, ThreadRuntime } from '../common/runtime.js';
import type { ChildEvent, ProcessRecord, ProcessTable } from '../processes/process-table.js';
import type { PidNamespace } from '../processes/pid-namespace.js';
import type { ProcessBlock } from '../../src/kernel/shared.js';
import type { SignalMap } from '../../src/kernel/services.js';
import { actionFor, runsHandler } from './disposition.js';
import { signalBit as bitOf } from './pending.js';
import { discardedBy } from './stop-continue.js';
import { JobControl } from './job-control.js';
import { IntervalTimers } from './interval-timers.js';
import type { HostSignalTarget } from './host-forwarding.js';

/** What the signals server asks of the processes server. */
export interface ProcessHooks {
  /** The process ends now (SIGKILL). */
  end(p: ProcessRecord, ev: ChildEvent): void;
  /** A child of `parent` changed state: its parked waits may now have an answer. */
  childChanged(parent: ProcessRecord): void;
  /** Thread `t` has a signal it does not block: a parked wait of its ends with EINTR. */
  interrupted(t: GuestThread): void;
}

/** A process's signal state as the server reads it. */
interface ProcessSignals {
  map: SignalMap | null;
  block: ProcessBlock | null;
}

export class SignalsServer {
  private readonly procs = new Map<number, ProcessSignals>();
  /** siginfo of process-directed signals that wait in the process-pending set, by `pid:signo`. */
  private readonly queuedInfo = new Map<string, Record<string, unknown>>();
  readonly jobs: JobControl;
  readonly timers: IntervalTimers;

  constructor(
    private readonly table: ProcessTable,
    private readonly runtime: ThreadRuntime,
    private readonly pids: PidNamespace,
    private readonly hooks: ProcessHooks,
  ) {
    this.jobs = new JobControl(table, this, hooks);
    this.timers = new IntervalTimers((pid) => {
      const p = this.table.get(pid);
      if (p && !p.zombie) this.sendToProcess(p, 'SIGALRM', { code: 'SI_KERNEL' });
    });
  }

  // ---- per-process state ---------------------------------------------------------

  /** A process's signal numbering and block (at start, fork, exec). Either may be left as it was (undefined). */
  register(pid: number, map: SignalMap | null | undefined, block: ProcessBlock | null | undefined): void {
    const s = this.procs.get(pid) ?? { map: null, block: null };
    if (map !== undefined) s.map = map;
    if (block !== undefined) s.block = block;
    this.procs.set(pid, s);
  }

  /** A forked child starts with its parent's numbering and its own copy of the dispositions. */
  inherit(childPid: number, parentPid: number, block: ProcessBlock): void {
    this.register(childPid, this.procs.get(parentPid)?.map ?? null, block);
  }

  /** The process has ended: its timers stop and its state goes. */
  forget(pid: number): void {
    this.timers.clear(pid);
    this.procs.delete(pid);
    for (const k of [...this.queuedInfo.keys()]) if (k.startsWith(`${pid}:`)) this.queuedInfo.delete(k);
  }

  private signum(pid: number, name: string): number {
    return this.procs.get(pid)?.map?.byName[name] ?? 0;
  }

  private nameOf(pid: number, n: number): string {
    return Object.entries(this.procs.get(pid)?.map?.byName ?? {}).find(([, v]) => v === n)?.[0] ?? '';
  }

  /** Is `name` ignored in process `pid` (SIG_IGN, or a default of "ignore")? */
  private ignored(pid: number, name: string): boolean {
    const s = this.procs.get(pid);
    const n = this.signum(pid, name);
    if (!s?.block || !n) return false;
    return actionFor(s.block.action(n).handler, name) === 'ignore';
  }

  private hasHandler(pid: number, name: string): boolean {
    const s = this.procs.get(pid);
    const n = this.signum(pid, name);
    return !!s?.block && !!n && runsHandler(s.block.action(n).handler);
  }

  /** The SIGCONT count of a process (see JobControl.stop). */
  continuedCount(pid: number): number | undefined {
    return this.procs.get(pid)?.block?.continued;
  }

  // ---- sending ---------------------------------------------------------------------

  /** kill(pid, sig) from `senderPid`; `signal` null only checks that the targets exist. */
  kill(senderPid: number, pid: number, signal: string | null, info: Record<string, unknown>): void {
    const targets = this.table.targets(senderPid, pid);
    if (targets.length === 0) throw fail('ESRCH');
    if (!signal) return;
    for (const p of targets) {
      if (this.pids.shieldsInit(p.pid) && !this.hasHandler(p.pid, signal)) continue;
      this.sendToProcess(p, signal, { ...info, pid: senderPid });
    }
  }

  /** tgkill(tgid, tid, sig): to one thread (tgid ≤ 0: any process's). */
  tgkill(senderPid: number, tgid: number, tid: number, signal: string | null, info: Record<string, unknown>): void {
    const target = this.runtime.thread(tid);
    if (!target || (tgid > 0 && target.pid !== tgid)) throw fail('ESRCH');
    if (signal) this.sendToThread(target, signal, { ...info, pid: senderPid });
  }

  /** A process-directed signal: one thread that does not block it takes it; else it stays pending. */
  sendToProcess(p: ProcessRecord, name: string, info: Record<string, unknown>): void {
    if (!this.generate(p, name)) return;
    const n = this.signum(p.pid, name);
    const s = this.procs.get(p.pid);
    if (!n || !s?.block) return;
    const taker = this.runtime.threadsOf(p.pid).find((t) => (t.block.mask & bitOf(n)) === 0n);
    if (taker) { this.queueOn(taker, n, name, info); return; }
    s.block.setProcSender(n, { pid: typeof info.pid === 'number' ? info.pid : 0, uid: typeof info.uid === 'number' ? info.uid : 0, code: typeof info.code === 'string' ? info.code : 'SI_USER' });
    s.block.addProcPending(bitOf(n));
    this.queuedInfo.set(`${p.pid}:${n}`, info);
    // every thread blocks it: one of them may be waiting for it (sigwait, sigtimedwait)
    for (const t of this.runtime.threadsOf(p.pid)) this.runtime.wake(t);
  }

  /** A thread-directed signal. */
  sendToThread(t: GuestThread, name: string, info: Record<string, unknown>): void {
    const p = this.table.get(t.pid);
    if (!p || !this.generate(p, name)) return;
    const n = this.signum(t.pid, name);
    if (n) this.queueOn(t, n, name, info);
  }

  /**
   * What generating `name` for process `p` does before it is queued:
   * SIGKILL ends it, stop and continue signals discard each other and
   * SIGCONT continues a stopped process. False when nothing is left to queue.
   */
  private generate(p: ProcessRecord, name: string): boolean {
    if (name === 'SIGKILL') {
      if (!p.zombie) this.hooks.end(p, { kind: 'killed', signal: 'SIGKILL', core: false });
      return false;
    }
    this.discardPending(p, discardedBy(name));
    if (name === 'SIGCONT') {
      this.procs.get(p.pid)?.block?.bumpContinued();
      this.jobs.continueProcess(p);
    }
    return !this.ignored(p.pid, name);
  }

  /** Takes `names` out of the pending sets of process `p` and of each of its threads. */
  private discardPending(p: ProcessRecord, names: readonly string[]): void {
    let bits = 0n;
    for (const name of names) {
      const n = this.signum(p.pid, name);
      if (n) bits |= bitOf(n);
    }
    if (!bits) return;
    this.procs.get(p.pid)?.block?.takeProcPending(bits);
    for (const t of this.runtime.threadsOf(p.pid)) t.block.clearPending(bits);
  }

  private queueOn(t: GuestThread, n: number, name: string, info: Record<string, unknown>): void {
    t.block.addPending(bitOf(n));
    this.runtime.notifySignal(t, n, { ...info, name });
    if ((t.block.mask & bitOf(n)) === 0n) this.hooks.interrupted(t);
  }

  /** A signal compat itself got from the host (see host-forwarding.ts). */
  fromHost(name: string, target: HostSignalTarget): void {
    const init = this.table.get(this.pids.initPid);
    if (!init) return;
    if (target === 'group') {
      for (const p of this.table.targets(init.pid, -init.pgid)) this.sendToProcess(p, name, { code: 'SI_KERNEL' });
    } else if (!init.zombie) {
      this.sendToProcess(init, name, { code: 'SI_USER' });
    }
  }

  /** Does thread `t` have a pending signal it does not block? */
  deliverableTo(t: GuestThread): boolean {
    return (t.block.pending & ~t.block.mask) !== 0n;
  }

  /** A thread of `pid` changed its mask: hand it the process-pending signals it now accepts. */
  maskChanged(pid: number): void {
    const s = this.procs.get(pid);
    if (!s?.block || !s.block.procPending) return;
    for (const t of this.runtime.threadsOf(pid)) {
      const take = s.block.takeProcPending(s.block.procPending & ~t.block.mask);
      for (let n = 1; n <= 64; n++) {
        if (!((take >> BigInt(n - 1)) & 1n)) continue;
        const key = `${pid}:${n}`;
        this.queueOn(t, n, this.nameOf(pid, n), this.queuedInfo.get(key) ?? { code: 'SI_USER' });
        this.queuedInfo.delete(key);
      }
    }
  }
}
