/**
 * A runtime for the processes and signals servers without workers: threads
 * are records with real shared blocks, and what the servers ask of the
 * runtime (start, end, hand a signal) is written down for the test to read.
 */
import type { GuestThread, PendingCall, ThreadRuntime } from '../../servers/common/runtime.js';
import type { Errno } from '../../servers/common/errno.js';
import { createResidualServers, type ResidualServers } from '../../servers/common/residual-servers.js';
import type { ChildEvent } from '../../servers/processes/process-table.js';
import { ProcessBlock, ThreadBlock } from '../../src/kernel/shared.js';
import type { SignalMap, SpawnImage } from '../../src/kernel/services.js';

export interface FakeThread extends GuestThread { ended: boolean }

/** A Linux generic numbering of the signals these tests use. */
export const SIGNALS: SignalMap = {
  byName: { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGUSR1: 10, SIGUSR2: 12, SIGALRM: 14, SIGTERM: 15, SIGCHLD: 17, SIGCONT: 18, SIGSTOP: 19, SIGTSTP: 20 },
};
export const bit = (name: string): bigint => 1n << BigInt(SIGNALS.byName[name]! - 1);

export class FakeRuntime implements ThreadRuntime {
  readonly threads = new Map<number, FakeThread>();
  readonly notices: Array<{ tid: number; name: string; info: Record<string, unknown> }> = [];
  readonly terminated: number[] = [];

  threadsOf(pid: number): GuestThread[] {
    return [...this.threads.values()].filter((t) => t.pid === pid && !t.ended);
  }
  thread(tid: number): GuestThread | undefined {
    const t = this.threads.get(tid);
    return t && !t.ended ? t : undefined;
  }
  startThread(pid: number, tid: number): void {
    this.threads.set(tid, { tid, pid, block: new ThreadBlock(), ended: false });
  }
  terminate(t: GuestThread): void {
    (t as FakeThread).ended = true;
    this.terminated.push(t.tid);
  }
  notifySignal(t: GuestThread, _signo: number, info: Record<string, unknown>): void {
    this.notices.push({ tid: t.tid, name: String(info.name), info });
  }
  /** Threads woken with no signal of their own (a process-pending one), by tid. */
  readonly woken: number[] = [];
  wake(t: GuestThread): void {
    this.woken.push(t.tid);
  }
  /** Names of the signals handed to thread `tid`, in order. */
  signalsOf(tid: number): string[] {
    return this.notices.filter((n) => n.tid === tid).map((n) => n.name);
  }
}

/** A call that records its answer. */
export function recordedCall(thread: GuestThread): PendingCall & { answer?: { value?: unknown; errno?: Errno } } {
  const c: PendingCall & { answer?: { value?: unknown; errno?: Errno } } = {
    thread,
    resolve: (value) => { c.answer = { value }; },
    reject: (errno) => { c.answer = { errno }; },
  };
  return c;
}

export interface World extends ResidualServers {
  runtime: FakeRuntime;
  blocks: Map<number, ProcessBlock>;
  initEnded: ChildEvent[];
  /** Starts the first process (one thread) with `SIGNALS` and a fresh process block. */
  init(): FakeThread;
  /** Forks process `parent` (from its thread `from`); returns the child's thread. */
  fork(from: FakeThread): FakeThread;
  /** Installs a handler (any address > 1) or SIG_IGN (1n) for `name` in process `pid`. */
  setHandler(pid: number, name: string, handler: bigint): void;
}

export function world(opts: { ownPidNamespace?: boolean; processLimit?: number } = {}): World {
  const runtime = new FakeRuntime();
  const initEnded: ChildEvent[] = [];
  const servers = createResidualServers(runtime, { ownPidNamespace: !!opts.ownPidNamespace, processLimit: opts.processLimit, jailName: 'test', initEnded: (ev) => initEnded.push(ev) });
  const blocks = new Map<number, ProcessBlock>();
  const image = (block: ProcessBlock): SpawnImage => ({
    memory: null as unknown as WebAssembly.Memory, regions: null as never, files: null, processBlock: block.sab,
    slot: 0, isa: 'riscv64', endian: 'little', personality: 'linux', state: null,
  });
  return {
    ...servers, runtime, blocks, initEnded,
    init() {
      const pid = servers.processes.createInit();
      runtime.startThread(pid, pid);
      const block = new ProcessBlock();
      blocks.set(pid, block);
      servers.processes.register(pid, { signals: SIGNALS, block });
      return runtime.threads.get(pid)!;
    },
    fork(from) {
      const block = blocks.get(from.pid)!.fork();
      const call = recordedCall(from);
      const pid = servers.processes.spawnProcess(call, image(block), false, block) as number;
      blocks.set(pid, block);
      return runtime.threads.get(pid)!;
    },
    setHandler(pid, name, handler) {
      blocks.get(pid)!.setAction(SIGNALS.byName[name]!, { handler, flags: 0n, restorer: 0n, mask: 0n });
    },
  };
}
