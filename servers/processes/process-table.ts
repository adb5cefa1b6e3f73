/**
 * The process table of the processes server: guest pids, parent/child
 * links, each process's group and session ids (their rules: sessions.ts),
 * zombies, reparenting, the wait family's matching rules and the processes
 * a kill pid reaches.
 * Neutral: signals are names, statuses are neutral records; personalities
 * encode them (W* macros, Haiku's wait_for_child) themselves.
 */
import { fail } from '../common/errno.js';

export type ChildEvent =
  | { kind: 'exited'; code: number }
  | { kind: 'killed'; signal: string; core: boolean }
  | { kind: 'stopped'; signal: string }
  | { kind: 'continued' };

export interface ProcessRecord {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  /** Live threads (tids). */
  threads: Set<number>;
  /** Set once the process has ended and until it is reaped. */
  zombie: ChildEvent | null;
  /** A stop/continue event not yet reported to the parent's wait. */
  pendingStateChange: ChildEvent | null;
  stopped: boolean;
  /** PR_SET_CHILD_SUBREAPER: orphaned descendants are reparented here. */
  subreaper: boolean;
  /** CPU time used (µs), for rusage/SIGCHLD. */
  utime: number;
  stime: number;
  /** Personality-specific data the supervisor keeps for it (signal tables, ...). */
  data: Record<string, unknown>;
}

export interface WaitRequest {
  /** >0: that pid; 0: any child in the caller's process group; -1: any child; < -1: any child in group -pid. */
  pid: number;
  exited: boolean;
  stopped: boolean;
  continued: boolean;
  /** Leave the child waitable (WNOWAIT). */
  peek: boolean;
}

export interface WaitResult {
  pid: number;
  event: ChildEvent;
  utime: number;
  stime: number;
}

export class ProcessTable {
  private readonly procs = new Map<number, ProcessRecord>();
  private nextPid: number;

  constructor(firstPid: number) {
    this.nextPid = firstPid;
  }

  get(pid: number): ProcessRecord | undefined {
    return this.procs.get(pid);
  }

  all(): ProcessRecord[] {
    return [...this.procs.values()];
  }

  /** A fresh id for a process or thread (Linux shares the space). */
  allocId(): number {
    while (this.procs.has(this.nextPid) || this.tidInUse(this.nextPid)) this.nextPid++;
    return this.nextPid++;
  }

  private tidInUse(id: number): boolean {
    for (const p of this.procs.values()) if (p.threads.has(id)) return true;
    return false;
  }

  create(pid: number, parent: ProcessRecord | null, data: Record<string, unknown> = {}): ProcessRecord {
    const rec: ProcessRecord = {
      pid,
      ppid: parent ? parent.pid : 0,
      pgid: parent ? parent.pgid : pid,
      sid: parent ? parent.sid : pid,
      threads: new Set([pid]),
      zombie: null,
      pendingStateChange: null,
      stopped: false,
      subreaper: false,
      utime: 0,
      stime: 0,
      data,
    };
    this.procs.set(pid, rec);
    return rec;
  }

  children(pid: number): ProcessRecord[] {
    return this.all().filter((p) => p.ppid === pid);
  }

  /** The nearest live ancestor that is a child subreaper, or 0 (init: nobody here). */
  private reaperFor(p: ProcessRecord): number {
    for (let a = this.procs.get(p.ppid); a; a = this.procs.get(a.ppid)) {
      if (a.subreaper && !a.zombie) return a.pid;
    }
    return 0;
  }

  /** Marks a process ended; its children go to the nearest subreaper (or nobody: reaped when they end). */
  exit(pid: number, event: ChildEvent): void {
    const p = this.procs.get(pid);
    if (!p) return;
    const reaper = this.reaperFor(p);
    p.zombie = event;
    p.threads.clear();
    for (const c of this.children(pid)) {
      c.ppid = reaper;
      if (reaper === 0 && c.zombie) this.procs.delete(c.pid);
    }
    if (p.ppid === 0) this.procs.delete(pid); // nobody will wait for it
  }

  private matches(parent: ProcessRecord, child: ProcessRecord, req: WaitRequest): boolean {
    if (req.pid > 0) return child.pid === req.pid;
    if (req.pid === -1) return true;
    if (req.pid === 0) return child.pgid === parent.pgid;
    return child.pgid === -req.pid;
  }

  /**
   * The wait family: a reportable child event, or null when children exist
   * that may still report (the caller blocks or returns 0 for WNOHANG).
   * ECHILD when no child matches at all.
   */
  wait(parentPid: number, req: WaitRequest): WaitResult | null {
    const parent = this.procs.get(parentPid);
    if (!parent) throw fail('ECHILD');
    const kids = this.children(parentPid).filter((c) => this.matches(parent, c, req));
    if (kids.length === 0) throw fail('ECHILD');
    for (const c of kids) {
      if (c.zombie && req.exited) {
        if (!req.peek) this.procs.delete(c.pid);
        return { pid: c.pid, event: c.zombie, utime: c.utime, stime: c.stime };
      }
      const sc = c.pendingStateChange;
      if (sc && ((sc.kind === 'stopped' && req.stopped) || (sc.kind === 'continued' && req.continued))) {
        if (!req.peek) c.pendingStateChange = null;
        return { pid: c.pid, event: sc, utime: c.utime, stime: c.stime };
      }
    }
    return null;
  }

  /** Processes a kill(pid) reaches: >0 that one, 0 the caller's group, -1 all but init, < -1 group -pid. */
  targets(callerPid: number, pid: number): ProcessRecord[] {
    const live = this.all().filter((p) => !p.zombie);
    if (pid > 0) return live.filter((p) => p.pid === pid);
    const caller = this.procs.get(callerPid);
    if (pid === 0) return caller ? live.filter((p) => p.pgid === caller.pgid) : [];
    if (pid === -1) return live.filter((p) => p.pid !== callerPid && p.ppid !== 0);
    return live.filter((p) => p.pgid === -pid);
  }
}
