/**
 * The supervisor: compat's main thread. It runs no guest code and takes no
 * decisions about processes or signals: it starts a worker per guest thread
 * (keeping a few warm for fork and clone), moves each worker's calls to the
 * op table (op-table.ts), which calls the processes and signals servers,
 * carries out what the servers ask of the runtime (start, end or wake a
 * thread, hand it a signal), installs the host signal handlers the signals
 * server forwards, and reports the first process's end.
 */
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import type { ChildEvent } from '../../servers/processes/process-table.js';
import type { ProcessesServer } from '../../servers/processes/processes-server.js';
import type { SignalsServer } from '../../servers/signals/signals-server.js';
import { createResidualServers } from '../../servers/common/residual-servers.js';
import { HOST_SIGNAL_TARGETS } from '../../servers/signals/host-forwarding.js';
import { PARKED, type GuestThread, type PendingCall, type ThreadRuntime } from '../../servers/common/runtime.js';
import { isServerError, type Errno } from '../../servers/common/errno.js';
import { closeWakePipe, hostSignals, poke } from '../host/wake.js';
import type { ExitReason } from './exit.js';
import { reply, notify, type RpcRequest } from './rpc.js';
import { OP_TABLE, isOp, type OpContext } from './op-table.js';
import { ThreadBlock, TB, ThreadState } from './shared.js';
import type { SpawnImage } from './services.js';
import { SyscallStats } from './stats.js';

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

interface ThreadRec extends GuestThread {
  readonly worker: Worker;
  readonly port: MessagePort;
  /** Write end of the thread's wake pipe (-1 until it registers). */
  wakeFd: number;
  /** Read end (closed with the write end when the worker is gone). */
  wakeReadFd: number;
  ended: boolean;
}

export class Supervisor implements ThreadRuntime {
  readonly processes: ProcessesServer;
  readonly signals: SignalsServer;
  private readonly threads = new Map<number, ThreadRec>();
  readonly stats: SyscallStats | null;
  private done!: (r: ExitReason) => void;
  private readonly finished: Promise<ExitReason>;
  private readonly hostSignalHandlers: Array<[NodeJS.Signals, () => void]> = [];
  private fatal: ((e: Error) => void) | null = null;

  constructor(readonly settings: RunSettings) {
    const jail = settings.jail;
    ({ processes: this.processes, signals: this.signals } = createResidualServers(this, {
      ownPidNamespace: jail?.pidNamespace === 'own',
      processLimit: jail?.limits.processes ?? undefined,
      jailName: jail?.name,
      initEnded: (ev) => this.done(exitReasonOf(ev)),
    }));
    this.stats = settings.stats ? new SyscallStats() : null;
    this.finished = new Promise((resolve) => { this.done = resolve; });
  }

  /** Runs a program as the first guest process; resolves when it ends. */
  run(path: string, argv: string[], envp: string[]): Promise<ExitReason> {
    const pid = this.processes.createInit();
    this.settings.initPid = pid;
    this.forwardHostSignals();
    const failed = new Promise<ExitReason>((_, reject) => { this.fatal = reject; });
    this.launch(pid, pid, { kind: 'exec', path, argv, envp }, null);
    return Promise.race([this.finished, failed]).finally(() => this.shutdown());
  }

  // ---- ThreadRuntime: what the servers ask of the runtime ------------------------

  threadsOf(pid: number): GuestThread[] {
    const out: GuestThread[] = [];
    for (const t of this.threads.values()) if (t.pid === pid && !t.ended) out.push(t);
    return out;
  }

  thread(tid: number): GuestThread | undefined {
    const t = this.threads.get(tid);
    return t && !t.ended ? t : undefined;
  }

  startThread(pid: number, tid: number, image: SpawnImage): void {
    this.launch(pid, tid, { kind: 'spawn', image }, image.processBlock);
  }

  notifySignal(g: GuestThread, signo: number, info: Record<string, unknown>): void {
    const t = g as ThreadRec;
    notify(t.port, t.block, { kind: 'signal', signo, info });
    this.pokeHost(t);
  }

  wake(g: GuestThread): void {
    const t = g as ThreadRec;
    t.block.poke();
    this.pokeHost(t);
  }

  /** Wakes host-level waits (poll on the thread's wake pipe) and futex waits on guest memory. */
  private pokeHost(t: ThreadRec): void {
    if (t.wakeFd >= 0) poke(t.wakeFd);
    const futexAddr = Atomics.load(t.block.i32, TB.FUTEX);
    const mem = this.processes.resources.memoryOf(t.pid);
    if (futexAddr && mem) Atomics.notify(new Int32Array(mem.buffer), futexAddr >>> 2);
  }

  // ---- workers -------------------------------------------------------------------

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

  private launch(pid: number, tid: number, start: ThreadStart, processBlock: SharedArrayBuffer | null): void {
    const { port1, port2 } = new MessageChannel();
    const block = new ThreadBlock();
    const init: ThreadInit = { start, pid, tid, settings: this.settings, threadBlock: block.sab, processBlock, port: port2 };
    const worker = this.takeWorker(start.kind === 'exec');
    worker.ref();
    worker.postMessage(init, [port2]);
    const t: ThreadRec = { tid, pid, worker, port: port1, block, wakeFd: -1, wakeReadFd: -1, ended: false };
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

  // ---- calls -----------------------------------------------------------------------

  /** A worker's call: look its op up in the op table and answer (unless the handler parked it). */
  private onRequest(t: ThreadRec, m: RpcRequest): void {
    if (process.env.COMPAT_DEBUG_RPC) process.stderr.write(`[supervisor ${performance.now().toFixed(1)}] tid ${t.tid}: ${m.op}\n`);
    const call = this.pendingCall(t, m.id);
    if (!isOp(m.op)) return call.reject('ENOSYS', `unknown runtime call ${m.op}`);
    const ctx: OpContext = {
      call,
      processes: this.processes,
      signals: this.signals,
      setWakePipe: (writeFd, readFd) => { t.wakeFd = writeFd; t.wakeReadFd = readFd; },
      threadEnding: (stats) => { t.ended = true; if (stats) this.stats?.merge(stats); },
    };
    try {
      const handler = OP_TABLE[m.op] as (c: OpContext, a: unknown) => unknown;
      const r = handler(ctx, m.args);
      if (r !== PARKED) call.resolve(r);
    } catch (e) {
      if (isServerError(e)) call.reject(e.errno);
      else call.reject('EIO', (e as Error).message);
    }
  }

  private pendingCall(t: ThreadRec, id: number): PendingCall & { reject(errno: Errno, message?: string): void } {
    return {
      thread: t,
      resolve: (value) => reply(t.port, t.block, { kind: 'reply', id, ok: true, value }),
      reject: (errno: Errno, message?: string) => reply(t.port, t.block, { kind: 'reply', id, ok: false, errno, message }),
    };
  }

  // ---- host signals ------------------------------------------------------------------

  private forwardHostSignals(): void {
    for (const [sig, target] of HOST_SIGNAL_TARGETS) {
      const f = (): void => this.signals.fromHost(sig, target);
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
    this.signals.timers.clearAll();
    for (const t of this.threads.values()) this.terminate(t);
    return Promise.all(loads).then(() => undefined);
  }

  /**
   * Ends a guest thread's worker: request termination, then wake it from any
   * host-level wait (ppoll on its wake pipe) or Atomics wait, so that it
   * reaches JavaScript and the termination takes effect.
   */
  terminate(g: GuestThread): void {
    const t = g as ThreadRec;
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

function exitReasonOf(ev: ChildEvent): ExitReason {
  if (ev.kind === 'killed') return { kind: 'signal', name: ev.signal, number: hostSignals[ev.signal] ?? 0, coreDumped: ev.core };
  return { kind: 'exit', code: ev.kind === 'exited' ? ev.code : 0 };
}
