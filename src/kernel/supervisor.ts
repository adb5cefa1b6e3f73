/**
 * The supervisor: compat's main thread. It runs no guest code. It keeps the
 * process table and routes signals between processes, starts a worker per
 * guest thread, answers the workers' calls, forwards host signals (Ctrl-C,
 * SIGTERM, ...) to the guest, and reports the first process's end.
 */
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { ProcessTable, type ChildEvent, type ProcessRecord, type WaitRequest } from '../../servers/processes/process-table.js';
import { fail, isServerError } from '../../servers/common/errno.js';
import { FilesServer } from '../../servers/files/files-server.js';
import { releasePages } from '../host/libc.js';
import { closeWakePipe, hostSignals, poke } from '../host/wake.js';
import { discardedBy } from '../../servers/signals/stop-continue.js';
import type { ExitReason } from './exit.js';
import { reply, notify, type RpcRequest } from './rpc.js';
import { ProcessBlock, ThreadBlock, TB, ThreadState } from './shared.js';
import type { SpawnImage, SignalMap } from './services.js';
import { SyscallStats } from './stats.js';
import { writeAllSync } from './log.js';

const WORKER_ENTRY = fileURLToPath(new URL('./worker-entry.js', import.meta.url));

export interface RunSettings {
  /** The first guest process's pid (set by the supervisor). */
  initPid?: number;
  trace: boolean;
  stats: boolean;
  logLevel: string;
  logFile?: string;
  plugins: string[];
  /** The jail every process of this run lives in (null: the host as it is). */
  jail?: import('../jail/settings.js').JailSettings | null;
}

/** What the first worker of a program is asked to do. */
export type ThreadStart =
  | { kind: 'exec'; path: string; argv: string[]; envp: string[] }
  | { kind: 'spawn'; image: SpawnImage };

export interface ThreadInit {
  start: ThreadStart;
  pid: number;
  tid: number;
  settings: RunSettings;
  threadBlock: SharedArrayBuffer;
  processBlock: SharedArrayBuffer | null;
  port: MessagePort;
}

interface ThreadRec {
  tid: number;
  pid: number;
  worker: Worker;
  port: MessagePort;
  block: ThreadBlock;
  /** Write end of the thread's wake pipe (-1 until it registers). */
  wakeFd: number;
  /** Read end (closed with the write end when the worker is gone). */
  wakeReadFd: number;
  /** A wait4 parked until a child changes state or a signal arrives. */
  parkedWait: { id: number; req: WaitRequest } | null;
  /** A stopped thread's pending continue. */
  parkedStop: number | null;
  ended: boolean;
}

interface ProcData {
  memory: WebAssembly.Memory | null;
  signals: SignalMap | null;
  block: ProcessBlock | null;
  /** Closes the process's fds (its files table) when it dies without doing it itself. */
  files: unknown;
  alarm: { timer: NodeJS.Timeout | null; due: number; interval: number };
  /** A vfork child runs in its parent's memory until it execs: never release that. */
  borrowedMemory?: boolean;
}

const DEFAULT_KILL_ACTIONS: Record<string, 'term' | 'core' | 'ign' | 'stop' | 'cont'> = {
  SIGQUIT: 'core', SIGILL: 'core', SIGTRAP: 'core', SIGABRT: 'core', SIGBUS: 'core', SIGFPE: 'core',
  SIGSEGV: 'core', SIGXCPU: 'core', SIGXFSZ: 'core', SIGSYS: 'core',
  SIGCHLD: 'ign', SIGURG: 'ign', SIGWINCH: 'ign',
  SIGSTOP: 'stop', SIGTSTP: 'stop', SIGTTIN: 'stop', SIGTTOU: 'stop', SIGCONT: 'cont',
};

export class Supervisor {
  readonly table: ProcessTable;
  private readonly threads = new Map<number, ThreadRec>();
  private readonly data = new Map<number, ProcData>();
  readonly stats: SyscallStats | null;
  private initPid = 0;
  /** The jail asked for its own pid namespace: the first process is pid 1 and its parent is invisible (0). */
  private readonly ownPids: boolean;
  private done!: (r: ExitReason) => void;
  private readonly finished: Promise<ExitReason>;
  private readonly hostSignalHandlers: Array<[NodeJS.Signals, () => void]> = [];
  private fatal: ((e: Error) => void) | null = null;

  constructor(readonly settings: RunSettings) {
    // an own pid namespace numbers its processes from 1; a shared one uses compat's own pid space
    this.ownPids = settings.jail?.pidNamespace === 'own';
    this.table = new ProcessTable(this.ownPids ? 1 : process.pid);
    this.stats = settings.stats ? new SyscallStats() : null;
    this.finished = new Promise((resolve) => { this.done = resolve; });
  }

  /** Runs a program as the first guest process; resolves when it ends. */
  run(path: string, argv: string[], envp: string[]): Promise<ExitReason> {
    const pid = this.table.allocId();
    this.initPid = pid;
    this.settings.initPid = pid;
    const rec = this.table.create(pid, null);
    this.data.set(pid, { memory: null, signals: null, block: null, files: null, alarm: { timer: null, due: 0, interval: 0 } });
    void rec;
    this.forwardHostSignals();
    const failed = new Promise<ExitReason>((_, reject) => { this.fatal = reject; });
    this.startThread(pid, pid, { kind: 'exec', path, argv, envp }, null);
    return Promise.race([this.finished, failed]).finally(() => this.shutdown());
  }

  /** Workers that have already loaded compat and wait for their thread (fork and clone start at once). */
  private readonly spares: Worker[] = [];
  private static readonly SPARES = 1;

  /** Warm workers are let go this long after the last fork/clone, so an idle guest holds nothing extra. */
  private static readonly SPARE_IDLE_MS = 300;
  /** A worker runs at most this many guest threads one after another, then is replaced (bounds its heap). */
  private static readonly MAX_REUSE = 32;
  private readonly reuses = new WeakMap<Worker, number>();
  private idleTimer: NodeJS.Timeout | null = null;

  private takeWorker(first: boolean): Worker {
    const w = this.spares.shift() ?? this.newWorker();
    this.trimWhenReady.delete(w);
    // once a program forks or starts threads, keep a few workers warm for the next ones
    if (!first && !this.shuttingDown) while (this.spares.length < Supervisor.SPARES) this.spares.push(this.newWorker());
    if (!first) this.armIdleTrim();
    return w;
  }

  private armIdleTrim(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      for (const w of [...this.spares]) {
        if (this.ready.has(w)) { this.spares.splice(this.spares.indexOf(w), 1); void w.terminate(); }
        else this.trimWhenReady.add(w);
      }
    }, Supervisor.SPARE_IDLE_MS);
    this.idleTimer.unref();
  }

  /** Workers whose modules have loaded (terminating one mid-load would leak the files it is reading). */
  private readonly ready = new WeakSet<Worker>();
  /** Spares the idle trim wanted gone while they were still loading. */
  private readonly trimWhenReady = new WeakSet<Worker>();
  /** Workers whose thread was ended (killed) while the worker was still loading. */
  private readonly terminateWhenReady = new WeakSet<Worker>();

  /** Workers still loading their modules (see terminate()). */
  private readonly loading = new Set<Worker>();

  private newWorker(): Worker {
    const w = new Worker(WORKER_ENTRY, { workerData: { settings: this.settings }, stdout: false, stderr: false });
    w.unref();
    this.loading.add(w);
    w.once('exit', () => this.loading.delete(w));
    const onReady = (m: { kind?: string }): void => {
      if (m?.kind !== 'ready') return;
      w.off('message', onReady);
      this.loading.delete(w);
      this.ready.add(w);
      if (this.trimWhenReady.has(w) && this.spares.includes(w)) {
        this.spares.splice(this.spares.indexOf(w), 1);
        void w.terminate();
      }
      if (this.terminateWhenReady.has(w)) void w.terminate();
    };
    w.on('message', onReady);
    return w;
  }

  private shuttingDown = false;

  private processLimitReported = false;

  /** The jail's process limit: fork/clone of a new process fails with EAGAIN, said once on stderr. */
  private checkProcessLimit(): void {
    const limit = this.settings.jail?.limits.processes;
    if (!limit) return;
    const alive = new Set([...this.threads.values()].filter((x) => !x.ended).map((x) => x.pid)).size;
    if (alive < limit) return;
    if (!this.processLimitReported) {
      this.processLimitReported = true;
      writeAllSync(2, `compat: jail limit reached: processes (${limit} at once, jail ${this.settings.jail!.name}); fork fails with EAGAIN\n`);
    }
    throw fail('EAGAIN');
  }

  private startThread(pid: number, tid: number, start: ThreadStart, processBlock: SharedArrayBuffer | null): void {
    const { port1, port2 } = new MessageChannel();
    const block = new ThreadBlock();
    const init: ThreadInit = { start, pid, tid, settings: this.settings, threadBlock: block.sab, processBlock, port: port2 };
    const worker = this.takeWorker(start.kind === 'exec');
    worker.ref();
    worker.postMessage(init, [port2]);
    const t: ThreadRec = { tid, pid, worker, port: port1, block, wakeFd: -1, wakeReadFd: -1, parkedWait: null, parkedStop: null, ended: false };
    this.threads.set(tid, t);
    port1.on('message', (m: RpcRequest) => this.onRequest(t, m));
    const onError = (e: Error): void => this.onWorkerError(t, e);
    const onExit = (code: number): void => this.onWorkerExit(t, code);
    const onMessage = (m: { kind?: string }): void => {
      if (m?.kind !== 'free') return;
      worker.off('error', onError);
      worker.off('exit', onExit);
      worker.off('message', onMessage);
      this.onWorkerFree(t);
    };
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.on('message', onMessage);
  }

  /** A worker whose thread ended cleanly: keep it warm for the next fork/clone, or let it go. */
  private onWorkerFree(t: ThreadRec): void {
    this.threads.delete(t.tid);
    t.ended = true;
    t.port.close();
    if (t.wakeFd >= 0) closeWakePipe({ readFd: t.wakeReadFd, writeFd: t.wakeFd });
    t.wakeFd = -1;
    const uses = (this.reuses.get(t.worker) ?? 0) + 1;
    this.reuses.set(t.worker, uses);
    if (!this.shuttingDown && this.spares.length < Supervisor.SPARES * 2 && uses < Supervisor.MAX_REUSE) {
      t.worker.unref();
      this.spares.push(t.worker);
      this.armIdleTrim();
    } else {
      void t.worker.terminate();
    }
  }

  private onWorkerError(t: ThreadRec, e: Error): void {
    // a bug in compat itself: report it in one line, end like the shell would for a crashed program
    t.ended = true;
    this.fatal?.(e);
  }

  private onWorkerExit(t: ThreadRec, code: number): void {
    this.threads.delete(t.tid);
    t.port.close();
    if (t.wakeFd >= 0) closeWakePipe({ readFd: t.wakeReadFd, writeFd: t.wakeFd });
    t.wakeFd = -1;
    if (!t.ended) {
      // a worker that stops on its own without ending its thread is a compat bug: say so, once
      t.ended = true;
      this.fatal?.(new Error(`a guest thread's worker stopped unexpectedly (exit code ${code})`));
    }
  }

  // ---- requests --------------------------------------------------------------

  private onRequest(t: ThreadRec, m: RpcRequest): void {
    if (process.env.COMPAT_DEBUG_RPC) process.stderr.write(`[supervisor ${performance.now().toFixed(1)}] tid ${t.tid}: ${m.op}\n`);
    const ok = (value: unknown): void => reply(t.port, t.block, { kind: 'reply', id: m.id, ok: true, value });
    const err = (errno: string, message?: string): void => reply(t.port, t.block, { kind: 'reply', id: m.id, ok: false, errno, message });
    try {
      const a = m.args as Record<string, any>;
      switch (m.op) {
        case 'register': {
          t.wakeFd = a.wakeFd;
          t.wakeReadFd = a.wakeReadFd;
          const d = this.data.get(t.pid)!;
          if (a.memory) d.memory = a.memory;
          if (a.signals) d.signals = a.signals;
          if (a.processBlock) d.block = new ProcessBlock(a.processBlock);
          if (a.files) d.files = a.files;
          return ok(null);
        }
        case 'ppid': {
          // the first guest process's parent is whoever started compat
          const p = this.table.get(t.pid);
          if (!p || p.pid === this.initPid || p.ppid === 0) return ok(this.ownPids ? 0 : process.ppid);
          return ok(p.ppid);
        }
        case 'allocTid': {
          const tid = this.table.allocId();
          this.table.get(t.pid)!.threads.add(tid);
          return ok(tid);
        }
        case 'spawnThread': {
          const image = a.image as SpawnImage;
          this.startThread(t.pid, a.tid, { kind: 'spawn', image }, image.processBlock);
          return ok(null);
        }
        case 'spawnProcess': {
          const image = a.image as SpawnImage;
          this.checkProcessLimit();
          const pid = this.table.allocId();
          this.table.create(pid, this.table.get(t.pid)!);
          const parent = this.data.get(t.pid)!;
          this.data.set(pid, {
            memory: image.memory, signals: parent.signals, block: new ProcessBlock(image.processBlock), files: image.files,
            alarm: { timer: null, due: 0, interval: 0 },
          });
          this.startThread(pid, pid, { kind: 'spawn', image }, image.processBlock);
          // vfork: the parent stays suspended until the child execs or exits
          if (a.vfork) { this.data.get(pid)!.borrowedMemory = true; this.vforkWaiters.set(pid, { t, id: m.id }); return; }
          return ok(pid);
        }
        case 'subreaper': {
          this.table.get(t.pid)!.subreaper = !!a.on;
          return ok(null);
        }
        case 'exitThread': {
          t.ended = true;
          ok(null);
          const p = this.table.get(t.pid);
          p?.threads.delete(t.tid);
          if (p && p.threads.size === 0 && !p.zombie) this.processEnded(p, { kind: 'exited', code: a.code & 0xff }, a.stats);
          else this.mergeStats(a.stats);
          return;
        }
        case 'exitGroup': {
          t.ended = true;
          ok(null);
          const p = this.table.get(t.pid);
          const reason = a.reason as ExitReason;
          const ev: ChildEvent = reason.kind === 'exit'
            ? { kind: 'exited', code: reason.code & 0xff }
            : { kind: 'killed', signal: reason.name, core: reason.coreDumped };
          if (p && !p.zombie) this.processEnded(p, ev, a.stats, t.tid);
          else this.mergeStats(a.stats);
          return;
        }
        case 'wait': {
          const req = a.req as WaitRequest;
          const r = this.table.wait(t.pid, req);
          if (r || !a.block) return ok(r);
          if (this.deliverableTo(t)) return err('EINTR');
          t.parkedWait = { id: m.id, req };
          return;
        }
        case 'kill': return ok(this.kill(t, a.pid, a.signal, a.info));
        case 'tgkill': return ok(this.tgkill(t, a.tgid, a.tid, a.signal, a.info));
        case 'setpgid': this.table.setpgid(t.pid, a.pid, a.pgid); return ok(null);
        case 'getpgid': {
          const p = this.table.get(a.pid === 0 ? t.pid : a.pid);
          if (!p || p.zombie) return err('ESRCH');
          return ok(p.pgid);
        }
        case 'getsid': {
          const p = this.table.get(a.pid === 0 ? t.pid : a.pid);
          if (!p || p.zombie) return err('ESRCH');
          return ok(p.sid);
        }
        case 'setsid': return ok(this.table.setsid(t.pid));
        case 'setAlarm': return ok(this.setAlarm(t.pid, a.valueMs, a.intervalMs));
        case 'getAlarm': return ok(this.getAlarm(t.pid));
        case 'execDone': {
          this.releaseVforkParent(t.pid);
          const d = this.data.get(t.pid)!;
          // the image exec left behind: give its pages back (not a vfork child's: that memory is the parent's)
          if (d.memory && !d.borrowedMemory) {
            try { releasePages(new Uint8Array(d.memory.buffer)); } catch { /* best effort */ }
          }
          d.memory = a.memory;
          d.borrowedMemory = false;
          d.signals = a.signals;
          // exec ends every other thread of the process
          for (const o of this.threads.values()) {
            if (o.pid === t.pid && o.tid !== t.tid) this.terminate(o);
          }
          const p = this.table.get(t.pid)!;
          p.threads = new Set([t.tid]);
          return ok(null);
        }
        case 'stop': {
          const p = this.table.get(t.pid)!;
          // a SIGCONT sent after the thread took its stop signal: no stop (Linux's JOBCTL_STOP_DEQUEUED)
          if (typeof a.continued === 'number' && this.data.get(t.pid)?.block?.continued !== a.continued) return ok(null);
          this.stopProcess(p, a.signal);
          t.parkedStop = m.id;
          return;
        }
        case 'maskChanged': {
          this.routeProcessPending(t.pid);
          return ok(null);
        }
        default:
          return err('ENOSYS', `unknown runtime call ${m.op}`);
      }
    } catch (e) {
      if (isServerError(e)) return err(e.errno);
      return err('EIO', (e as Error).message);
    }
  }

  // ---- process end -----------------------------------------------------------

  private readonly vforkWaiters = new Map<number, { t: ThreadRec; id: number }>();

  /** A vfork child has exec'd or ended: its parent continues with the child's pid. */
  private releaseVforkParent(childPid: number): void {
    const w = this.vforkWaiters.get(childPid);
    if (!w) return;
    this.vforkWaiters.delete(childPid);
    if (!w.t.ended) reply(w.t.port, w.t.block, { kind: 'reply', id: w.id, ok: true, value: childPid });
  }

  private processEnded(p: ProcessRecord, ev: ChildEvent, stats: unknown, exceptTid = -1): void {
    this.mergeStats(stats);
    const d = this.data.get(p.pid);
    if (d?.alarm.timer) clearTimeout(d.alarm.timer);
    for (const o of [...this.threads.values()]) {
      if (o.pid === p.pid && o.tid !== exceptTid) this.terminate(o);
    }
    // give the dead process's memory back to the host now, unless another process still uses it (vfork)
    if (d?.memory && !d.borrowedMemory) {
      try { releasePages(new Uint8Array(d.memory.buffer)); } catch { /* best effort */ }
    }
    // a process that did not close its fds itself (killed) must not keep pipes open
    if (d?.files) {
      try { FilesServer.attach(d.files as Parameters<typeof FilesServer.attach>[0]).closeAll(); } catch { /* already closed */ }
    }
    const parentPid = p.ppid;
    this.table.exit(p.pid, ev);
    this.releaseVforkParent(p.pid);
    this.data.delete(p.pid);
    if (p.pid === this.initPid) {
      this.done(ev.kind === 'exited'
        ? { kind: 'exit', code: ev.code }
        : { kind: 'signal', name: (ev as { signal: string }).signal, number: hostSignalNumber((ev as { signal: string }).signal), coreDumped: (ev as { core: boolean }).core });
      return;
    }
    const parent = this.table.get(parentPid);
    if (parent && !parent.zombie) {
      this.sendToProcess(parent, 'SIGCHLD', {
        code: ev.kind === 'exited' ? 'CLD_EXITED' : (ev as { core?: boolean }).core ? 'CLD_DUMPED' : 'CLD_KILLED',
        pid: p.pid, uid: process.getuid?.() ?? 0,
        status: ev.kind === 'exited' ? ev.code : hostSignalNumber((ev as { signal: string }).signal),
        // the parent's personality turns the name into its own number (SIGCHLD si_status)
        signalName: ev.kind === 'exited' ? undefined : (ev as { signal: string }).signal,
      });
      this.wakeWaiters(parent);
    }
  }

  private stopProcess(p: ProcessRecord, signal: string): void {
    if (p.stopped) return;
    p.stopped = true;
    p.pendingStateChange = { kind: 'stopped', signal };
    const parent = this.table.get(p.ppid);
    if (parent && !parent.zombie) {
      this.sendToProcess(parent, 'SIGCHLD', { code: 'CLD_STOPPED', pid: p.pid, status: hostSignalNumber(signal), signalName: signal }, true);
      this.wakeWaiters(parent);
    }
  }

  private continueProcess(p: ProcessRecord): void {
    if (!p.stopped) return;
    p.stopped = false;
    p.pendingStateChange = { kind: 'continued' };
    for (const t of this.threads.values()) {
      if (t.pid === p.pid && t.parkedStop !== null) {
        reply(t.port, t.block, { kind: 'reply', id: t.parkedStop, ok: true, value: null });
        t.parkedStop = null;
      }
    }
    const parent = this.table.get(p.ppid);
    if (parent && !parent.zombie) {
      this.sendToProcess(parent, 'SIGCHLD', { code: 'CLD_CONTINUED', pid: p.pid, status: hostSignalNumber('SIGCONT'), signalName: 'SIGCONT' }, true);
      this.wakeWaiters(parent);
    }
  }

  private wakeWaiters(parent: ProcessRecord): void {
    for (const w of this.threads.values()) {
      if (w.pid !== parent.pid || !w.parkedWait) continue;
      const { id, req } = w.parkedWait;
      try {
        const r = this.table.wait(parent.pid, req);
        if (r) { w.parkedWait = null; reply(w.port, w.block, { kind: 'reply', id, ok: true, value: r }); }
      } catch (e) {
        w.parkedWait = null;
        reply(w.port, w.block, { kind: 'reply', id, ok: false, errno: isServerError(e) ? e.errno : 'EIO' });
      }
    }
  }

  private mergeStats(stats: unknown): void {
    if (!this.stats || !stats) return;
    const s = stats as { table: Array<[string, { calls: number; errors: number; cacheHits: number; ns: string }]>; instructions: number };
    this.stats.instructions += s.instructions;
    for (const [name, v] of s.table) {
      let cur = this.stats.table.get(name);
      if (!cur) this.stats.table.set(name, (cur = { calls: 0, errors: 0, cacheHits: 0, ns: 0n }));
      cur.calls += v.calls; cur.errors += v.errors; cur.cacheHits += v.cacheHits; cur.ns += BigInt(v.ns);
    }
  }

  // ---- signals ---------------------------------------------------------------

  private kill(t: ThreadRec, pid: number, signal: string | null, info: Record<string, unknown>): number {
    const targets = this.table.targets(t.pid, pid);
    if (targets.length === 0) throw fail('ESRCH');
    for (const p of targets) {
      // a pid namespace's init only gets the signals it has handlers for, from inside (SIGKILL/SIGSTOP neither)
      if (signal && this.ownPids && p.pid === this.initPid && !this.hasHandler(p.pid, signal)) continue;
      if (signal) this.sendToProcess(p, signal, { ...info, pid: t.pid });
    }
    return 0;
  }

  private hasHandler(pid: number, name: string): boolean {
    const d = this.data.get(pid);
    const n = this.signum(pid, name);
    return !!d?.block && !!n && d.block.action(n).handler > 1n;
  }

  private tgkill(t: ThreadRec, tgid: number, tid: number, signal: string | null, info: Record<string, unknown>): number {
    const target = this.threads.get(tid);
    if (!target || (tgid > 0 && target.pid !== tgid) || target.ended) throw fail('ESRCH');
    if (signal) this.sendToThread(target, signal, { ...info, pid: t.pid });
    return 0;
  }

  private signum(pid: number, name: string): number {
    return this.data.get(pid)?.signals?.byName[name] ?? 0;
  }

  /** Is the disposition of `name` in process `pid` "ignore" (explicitly or by default)? */
  private ignored(pid: number, name: string): boolean {
    const d = this.data.get(pid);
    const n = this.signum(pid, name);
    if (!d?.block || !n) return false;
    const h = d.block.action(n).handler;
    if (h === 1n) return true; // SIG_IGN
    return h === 0n && DEFAULT_KILL_ACTIONS[name] === 'ign';
  }

  /** A process-directed signal: one thread that does not block it takes it; else it stays pending. */
  sendToProcess(p: ProcessRecord, name: string, info: Record<string, unknown>, fromKernel = false): void {
    void fromKernel;
    if (name === 'SIGKILL') { this.killNow(p, 'SIGKILL'); return; }
    this.discardPending(p, discardedBy(name));
    if (name === 'SIGCONT') { this.data.get(p.pid)?.block?.bumpContinued(); this.continueProcess(p); }
    if (this.ignored(p.pid, name)) return;
    const n = this.signum(p.pid, name);
    const d = this.data.get(p.pid);
    if (!n || !d?.block) return;
    const bit = 1n << BigInt(n - 1);
    const threads = [...this.threads.values()].filter((t) => t.pid === p.pid && !t.ended);
    const taker = threads.find((t) => (t.block.mask & bit) === 0n) ?? null;
    if (taker) { this.queueOn(taker, n, name, info); return; }
    d.block.addProcPending(bit);
    this.queuedInfo.set(`${p.pid}:${n}`, info);
  }

  private readonly queuedInfo = new Map<string, Record<string, unknown>>();

  /** Takes `names` out of the pending sets of process `p` and of each of its threads (servers/signals/stop-continue.ts). */
  private discardPending(p: ProcessRecord, names: readonly string[]): void {
    let bits = 0n;
    for (const name of names) {
      const n = this.signum(p.pid, name);
      if (n) bits |= 1n << BigInt(n - 1);
    }
    if (!bits) return;
    this.data.get(p.pid)?.block?.takeProcPending(bits);
    for (const t of this.threads.values()) if (t.pid === p.pid && !t.ended) t.block.clearPending(bits);
  }

  private sendToThread(t: ThreadRec, name: string, info: Record<string, unknown>): void {
    const p = this.table.get(t.pid);
    if (!p) return;
    if (name === 'SIGKILL') { this.killNow(p, 'SIGKILL'); return; }
    this.discardPending(p, discardedBy(name));
    if (name === 'SIGCONT') { this.data.get(p.pid)?.block?.bumpContinued(); this.continueProcess(p); }
    if (this.ignored(t.pid, name)) return;
    const n = this.signum(t.pid, name);
    if (n) this.queueOn(t, n, name, info);
  }

  private queueOn(t: ThreadRec, n: number, name: string, info: Record<string, unknown>): void {
    t.block.addPending(1n << BigInt(n - 1));
    notify(t.port, t.block, { kind: 'signal', signo: n, info: { ...info, name } });
    this.pokeHost(t);
    // a parked wait4 ends with EINTR if the signal can be taken now
    if (t.parkedWait && (t.block.mask & (1n << BigInt(n - 1))) === 0n) {
      const { id } = t.parkedWait;
      t.parkedWait = null;
      reply(t.port, t.block, { kind: 'reply', id, ok: false, errno: 'EINTR' });
    }
  }

  /** Wakes host-level waits (poll on the thread's eventfd) and futex waits on guest memory. */
  private pokeHost(t: ThreadRec): void {
    if (t.wakeFd >= 0) poke(t.wakeFd);
    const futexAddr = Atomics.load(t.block.i32, TB.FUTEX);
    const mem = this.data.get(t.pid)?.memory;
    if (futexAddr && mem) Atomics.notify(new Int32Array(mem.buffer), futexAddr >>> 2);
  }

  private deliverableTo(t: ThreadRec): boolean {
    return (t.block.pending & ~t.block.mask) !== 0n;
  }

  /** A thread's mask changed: hand it process-pending signals it now accepts. */
  private routeProcessPending(pid: number): void {
    const d = this.data.get(pid);
    if (!d?.block) return;
    const pending = d.block.procPending;
    if (!pending) return;
    for (const t of this.threads.values()) {
      if (t.pid !== pid || t.ended) continue;
      const take = d.block.takeProcPending(pending & ~t.block.mask);
      for (let n = 1; n <= 64; n++) {
        if ((take >> BigInt(n - 1)) & 1n) {
          const name = Object.entries(d.signals?.byName ?? {}).find(([, v]) => v === n)?.[0] ?? '';
          this.queueOn(t, n, name, this.queuedInfo.get(`${pid}:${n}`) ?? { code: 'SI_USER' });
          this.queuedInfo.delete(`${pid}:${n}`);
        }
      }
    }
  }

  private killNow(p: ProcessRecord, name: string): void {
    if (p.zombie) return;
    this.processEnded(p, { kind: 'killed', signal: name, core: false }, null);
  }

  // ---- timers ------------------------------------------------------------------

  private setAlarm(pid: number, valueMs: number, intervalMs: number): { valueMs: number; intervalMs: number } {
    const d = this.data.get(pid)!;
    const prev = this.getAlarm(pid);
    if (d.alarm.timer) clearTimeout(d.alarm.timer);
    d.alarm = { timer: null, due: 0, interval: intervalMs };
    if (valueMs > 0) this.armAlarm(pid, valueMs);
    return prev;
  }

  private armAlarm(pid: number, ms: number): void {
    const d = this.data.get(pid);
    if (!d) return;
    d.alarm.due = Date.now() + ms;
    d.alarm.timer = setTimeout(() => {
      const p = this.table.get(pid);
      const dd = this.data.get(pid);
      if (!p || !dd) return;
      dd.alarm.timer = null;
      dd.alarm.due = 0;
      if (dd.alarm.interval > 0) this.armAlarm(pid, dd.alarm.interval);
      this.sendToProcess(p, 'SIGALRM', { code: 'SI_KERNEL' }, true);
    }, Math.max(0, ms));
  }

  private getAlarm(pid: number): { valueMs: number; intervalMs: number } {
    const d = this.data.get(pid);
    if (!d || !d.alarm.timer) return { valueMs: 0, intervalMs: d?.alarm.interval ?? 0 };
    return { valueMs: Math.max(1, d.alarm.due - Date.now()), intervalMs: d.alarm.interval };
  }

  // ---- host signals ----------------------------------------------------------------

  private forwardHostSignals(): void {
    const toGroup = (name: string) => (): void => {
      const init = this.table.get(this.initPid);
      if (!init) return;
      for (const p of this.table.targets(this.initPid, -init.pgid)) this.sendToProcess(p, name, { code: 'SI_KERNEL' });
    };
    const toInit = (name: string) => (): void => {
      const init = this.table.get(this.initPid);
      if (init && !init.zombie) this.sendToProcess(init, name, { code: 'SI_USER' });
    };
    const map: Array<[NodeJS.Signals, () => void]> = [
      ['SIGINT', toGroup('SIGINT')],
      ['SIGQUIT', toGroup('SIGQUIT')],
      ['SIGWINCH', toGroup('SIGWINCH')],
      ['SIGTSTP', toGroup('SIGTSTP')],
      ['SIGTERM', toInit('SIGTERM')],
      ['SIGHUP', toInit('SIGHUP')],
      ['SIGUSR1', toInit('SIGUSR1')],
      ['SIGUSR2', toInit('SIGUSR2')],
      ['SIGALRM', toInit('SIGALRM')],
      ['SIGCONT', toGroup('SIGCONT')],
    ];
    for (const [sig, f] of map) {
      try {
        process.on(sig, f);
        this.hostSignalHandlers.push([sig, f]);
      } catch { /* not catchable here */ }
    }
  }

  /**
   * Ends the spares and timers. Resolves once every worker still loading has
   * loaded and ended: compat's exit tears down its workers, and one torn down
   * while the FFI layer registers itself aborts the whole process.
   */
  private shutdown(): Promise<void> {
    this.shuttingDown = true;
    for (const w of this.spares.splice(0)) if (this.ready.has(w)) void w.terminate();
    const loads = [...this.loading].map((w) => new Promise<void>((resolve) => {
      this.terminateWhenReady.add(w);
      const cap = setTimeout(resolve, 10_000);
      w.once('exit', () => { clearTimeout(cap); resolve(); });
    }));
    if (this.idleTimer) clearTimeout(this.idleTimer);
    for (const [sig, f] of this.hostSignalHandlers) process.off(sig, f);
    for (const p of this.table.all()) {
      const d = this.data.get(p.pid);
      if (d?.alarm.timer) clearTimeout(d.alarm.timer);
    }
    for (const t of this.threads.values()) this.terminate(t);
    return Promise.all(loads).then(() => undefined);
  }

  /**
   * Ends a guest thread's worker: request termination, then wake it from any
   * host-level wait (ppoll on its wake pipe) or Atomics wait, so that it
   * reaches JavaScript and the termination takes effect.
   */
  private terminate(t: ThreadRec): void {
    t.ended = true;
    // the worker never starts the thread now; one still loading its modules is ended once loaded
    // (terminating a worker while the FFI layer registers itself aborts the whole process)
    Atomics.store(t.block.i32, TB.STATE, ThreadState.Exited);
    if (this.ready.has(t.worker)) void t.worker.terminate();
    else this.terminateWhenReady.add(t.worker);
    this.pokeHost(t);
    t.block.poke();
  }
}

function hostSignalNumber(name: string): number {
  return hostSignals[name] ?? 0;
}
