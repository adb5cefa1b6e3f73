/**
 * KernelServices inside a guest thread's worker: every call that concerns
 * other processes or threads goes to the supervisor over the RPC channel;
 * waits block on the thread block's wake cell (never spinning) so that a
 * queued signal or an answer from the supervisor ends them.
 */
import { fail, type Errno } from '../../servers/common/errno.js';
import { drain, type WakePipe } from '../host/wake.js';
import type { ExitReason } from './exit.js';
import { RpcClient, RpcError } from './rpc.js';
import type { ExecImageRequest, KernelServices, SignalMap, SpawnImage, WaitRequest, WaitResult } from './services.js';
import { TB, type ProcessBlock, type ThreadBlock } from './shared.js';
import type { StatsPayload, SyscallStats } from './stats.js';
import type { OpArgs, OpName, OpResult } from './runtime-ops.js';

/** Thrown when the guest thread this worker ran has ended (exit, exit_group). */
export class ThreadDone extends Error {
  constructor() {
    super('thread done');
    this.name = 'ThreadDone';
  }
}

export class WorkerKernel implements KernelServices {
  execImage!: KernelServices['execImage'];

  constructor(
    readonly pid: number,
    readonly tid: number,
    readonly thread: ThreadBlock,
    public process: ProcessBlock,
    private readonly rpc: RpcClient,
    private readonly wake: WakePipe,
    private readonly stats: SyscallStats | null,
    private readonly onExit: () => void,
  ) {}

  get wakeFd(): number {
    return this.wake.readFd;
  }

  clearWake(): void {
    drain(this.wake.readFd);
  }

  private call<K extends OpName>(op: K, args: OpArgs<K>): OpResult<K> {
    try {
      return this.rpc.call<OpResult<K>>(op, args);
    } catch (e) {
      if (e instanceof RpcError) throw fail(e.errno as Errno, e.message);
      throw e;
    }
  }

  register(info: { memory: WebAssembly.Memory; signals: SignalMap; files: unknown }): void {
    this.call('register', { wakeFd: this.wake.writeFd, wakeReadFd: this.wake.readFd, memory: info.memory, signals: info.signals, processBlock: this.process.sab, files: info.files });
  }

  ppid(): number { return this.call('ppid', null); }
  spawnProcess(image: SpawnImage, opts: { vfork?: boolean } = {}): number { return this.call('spawnProcess', { image, vfork: !!opts.vfork }); }
  setSubreaper(on: boolean): void { this.call('subreaper', { on }); }
  spawnThread(image: SpawnImage, tid: number): void { this.call('spawnThread', { image, tid }); }
  allocTid(): number { return this.call('allocTid', null); }

  private statsPayload(): StatsPayload | null {
    return this.stats?.payload() ?? null;
  }

  exitThread(code: number): never {
    this.onExit();
    this.rpc.call<OpResult<'exitThread'>>('exitThread', { code, stats: this.statsPayload() } satisfies OpArgs<'exitThread'>);
    return this.park();
  }

  exitGroup(reason: ExitReason): never {
    this.onExit();
    this.rpc.call<OpResult<'exitGroup'>>('exitGroup', { reason, stats: this.statsPayload() } satisfies OpArgs<'exitGroup'>);
    return this.park();
  }

  /** The thread has ended: unwind to the worker's loop, which offers the worker for another thread. */
  private park(): never {
    throw new ThreadDone();
  }

  wait(req: WaitRequest, block: boolean): WaitResult | null {
    return this.call('wait', { req, block });
  }

  kill(pid: number, signal: string | null, info: Record<string, unknown>): void {
    this.call('kill', { pid, signal, info });
  }

  tgkill(tgid: number, tid: number, signal: string | null, info: Record<string, unknown>): void {
    this.call('tgkill', { tgid, tid, signal, info });
  }

  setpgid(pid: number, pgid: number): void { this.call('setpgid', { pid, pgid }); }
  getpgid(pid: number): number { return this.call('getpgid', { pid }); }
  setsid(): number { return this.call('setsid', null); }
  getsid(pid: number): number { return this.call('getsid', { pid }); }
  setAlarm(valueMs: number, intervalMs: number): { valueMs: number; intervalMs: number } { return this.call('setAlarm', { valueMs, intervalMs }); }
  getAlarm(): { valueMs: number; intervalMs: number } { return this.call('getAlarm', null); }
  execDone(info: { memory: WebAssembly.Memory; signals: SignalMap; exe: string }): void { this.call('execDone', info); }
  stop(signal: string, continued?: number): void { this.call('stop', { signal, continued }); }
  maskChanged(): void { this.call('maskChanged', null); }

  sleep(timeoutMs: number): boolean {
    const i32 = this.thread.i32;
    const seen = Atomics.load(i32, TB.WAKE);
    if (Atomics.load(i32, TB.SIGFLAG)) { drain(this.wake.readFd); return true; }
    const r = Atomics.wait(i32, TB.WAKE, seen, timeoutMs < 0 ? undefined : timeoutMs);
    drain(this.wake.readFd);
    return r !== 'timed-out';
  }

  takeNotices(): Array<{ signo: number; info: unknown }> {
    const out: Array<{ signo: number; info: unknown }> = [];
    for (const n of this.rpc.drain()) if (n.kind === 'signal') out.push({ signo: n.signo, info: n.info });
    return out;
  }

  setProcess(block: ProcessBlock): void {
    this.process = block;
  }

  declare readonly execImageRequest?: ExecImageRequest;
}
