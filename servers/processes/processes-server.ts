/**
 * The processes residual server: the life of a guest process. It creates
 * processes (the first one, fork, vfork) and threads, takes exec's new
 * image, ends them (the last thread's exit, exit_group, a fatal signal),
 * reparents orphans, makes the parent's SIGCHLD and wait reports, and answers
 * the identity calls (getppid, process groups, sessions, subreaper).
 * Neutral: exit statuses are ChildEvents, signals names; the runtime
 * (ThreadRuntime) only starts and stops the workers it is told to.
 */
import { fail } from '../common/errno.js';
import { PARKED, type GuestThread, type Parked, type PendingCall, type ThreadRuntime } from '../common/runtime.js';
import type { SignalsServer } from '../signals/signals-server.js';
import { childSignalInfo } from '../signals/child-signal.js';
import type { ProcessBlock } from '../../src/kernel/shared.js';
import type { SignalMap, SpawnImage } from '../../src/kernel/services.js';
import { ProcessTable, type ChildEvent, type ProcessRecord, type WaitRequest, type WaitResult } from './process-table.js';
import type { PidNamespace } from './pid-namespace.js';
import { ProcessResources } from './process-resources.js';
import type { ProcessLimit } from './process-limit.js';
import { ParkedWaits } from './waits.js';
import { setpgid, setsid } from './sessions.js';

export class ProcessesServer {
  readonly resources = new ProcessResources();
  readonly waits: ParkedWaits;
  /** vfork parents suspended until their child execs or ends, by child pid. */
  private readonly vforkParents = new Map<number, PendingCall>();
  private signals!: SignalsServer;

  constructor(
    readonly table: ProcessTable,
    private readonly runtime: ThreadRuntime,
    private readonly pids: PidNamespace,
    private readonly limit: ProcessLimit,
    /** The first process has ended: the run is over. */
    private readonly initEnded: (ev: ChildEvent) => void,
  ) {
    this.waits = new ParkedWaits(table, (t) => this.signals.deliverableTo(t));
  }

  /** The signals server this one reports to (they know each other: SIGCHLD one way, SIGKILL the other). */
  attachSignals(signals: SignalsServer): void {
    this.signals = signals;
  }

  /** The first guest process. */
  createInit(): number {
    const pid = this.table.allocId();
    this.pids.initPid = pid;
    this.table.create(pid, null);
    return pid;
  }

  /** What a process's first thread tells once it runs: its memory, signal numbering, process block and fd table. */
  register(pid: number, info: { memory?: WebAssembly.Memory; signals?: SignalMap; block?: ProcessBlock; files?: unknown }): void {
    this.resources.register(pid, info.memory, info.files);
    this.signals.register(pid, info.signals, info.block);
  }

  ppid(pid: number): number {
    const p = this.table.get(pid);
    if (!p || p.pid === this.pids.initPid || p.ppid === 0) return this.pids.parentOfInit;
    return p.ppid;
  }

  // ---- creation ----------------------------------------------------------------------

  /** A tid for a new thread of `pid`, reserved before it starts (the parent publishes it). */
  allocTid(pid: number): number {
    const tid = this.table.allocId();
    this.table.get(pid)!.threads.add(tid);
    return tid;
  }

  spawnThread(pid: number, tid: number, image: SpawnImage): void {
    this.runtime.startThread(pid, tid, image);
  }

  /** fork (and vfork: the parent waits until the child has exec'd or ended). */
  spawnProcess(call: PendingCall, image: SpawnImage, vfork: boolean, block: ProcessBlock): number | Parked {
    const parentPid = call.thread.pid;
    this.limit.check(this.table.all().filter((p) => this.runtime.threadsOf(p.pid).length > 0).length);
    const pid = this.table.allocId();
    this.table.create(pid, this.table.get(parentPid)!);
    this.resources.adopt(pid, image.memory, image.files, vfork);
    this.signals.inherit(pid, parentPid, block);
    this.runtime.startThread(pid, pid, image);
    if (!vfork) return pid;
    this.vforkParents.set(pid, call);
    return PARKED;
  }

  /** A vfork child has exec'd or ended: its parent continues with the child's pid. */
  private releaseVforkParent(childPid: number): void {
    const call = this.vforkParents.get(childPid);
    if (!call) return;
    this.vforkParents.delete(childPid);
    if (!call.thread.ended) call.resolve(childPid);
  }

  /** exec replaced the image of `t`'s process: the other threads end, the old pages go back, the vfork parent goes on. */
  execDone(t: GuestThread, memory: WebAssembly.Memory, signals: SignalMap): void {
    this.releaseVforkParent(t.pid);
    this.resources.replaceMemory(t.pid, memory);
    this.signals.register(t.pid, signals, undefined);
    for (const o of this.runtime.threadsOf(t.pid)) if (o.tid !== t.tid) this.runtime.terminate(o);
    this.table.get(t.pid)!.threads = new Set([t.tid]);
  }

  // ---- the end ---------------------------------------------------------------------------

  /** The calling thread ends; with the last one, the process exits with `code`. */
  exitThread(t: GuestThread, code: number): void {
    const p = this.table.get(t.pid);
    p?.threads.delete(t.tid);
    this.forgetThread(t.tid);
    if (p && p.threads.size === 0 && !p.zombie) this.end(p, { kind: 'exited', code: code & 0xff }, t.tid);
  }

  /** exit_group, or a fatal signal the process took itself. */
  exitGroup(t: GuestThread, ev: ChildEvent): void {
    const p = this.table.get(t.pid);
    this.forgetThread(t.tid);
    if (p && !p.zombie) this.end(p, ev, t.tid);
  }

  private forgetThread(tid: number): void {
    this.waits.forgetThread(tid);
    this.signals.jobs.forgetThread(tid);
  }

  /** Process `p` ends with `ev`: its threads (but `exceptTid`, already ending) stop, its resources go, its parent hears. */
  end(p: ProcessRecord, ev: ChildEvent, exceptTid = -1): void {
    this.signals.forget(p.pid);
    for (const o of this.runtime.threadsOf(p.pid)) {
      if (o.tid === exceptTid) continue;
      this.forgetThread(o.tid);
      this.runtime.terminate(o);
    }
    this.resources.releaseAll(p.pid);
    const parentPid = p.ppid;
    this.table.exit(p.pid, ev);
    this.releaseVforkParent(p.pid);
    if (p.pid === this.pids.initPid) { this.initEnded(ev); return; }
    const parent = this.table.get(parentPid);
    if (!parent || parent.zombie) return;
    this.signals.sendToProcess(parent, 'SIGCHLD', childSignalInfo(p.pid, ev));
    this.waits.childChanged(parent);
  }

  // ---- waiting and identity ---------------------------------------------------------------

  wait(call: PendingCall, req: WaitRequest, block: boolean): WaitResult | null | Parked {
    return this.waits.wait(call, req, block);
  }

  setSubreaper(pid: number, on: boolean): void {
    this.table.get(pid)!.subreaper = on;
  }

  setpgid(callerPid: number, pid: number, pgid: number): void {
    setpgid(this.table, callerPid, pid, pgid);
  }

  getpgid(callerPid: number, pid: number): number {
    return this.live(pid === 0 ? callerPid : pid).pgid;
  }

  getsid(callerPid: number, pid: number): number {
    return this.live(pid === 0 ? callerPid : pid).sid;
  }

  setsid(pid: number): number {
    return setsid(this.table, pid);
  }

  private live(pid: number): ProcessRecord {
    const p = this.table.get(pid);
    if (!p || p.zombie) throw fail('ESRCH');
    return p;
  }
}
