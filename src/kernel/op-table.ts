/**
 * The supervisor's side of the runtime calls (runtime-ops.ts): one entry per
 * op, naming the server method it calls. A handler returns the op's result,
 * or PARKED when the call is answered otherwise (later: a blocking wait, a
 * stop, a vfork parent; or already: an exiting thread is let go first).
 */
import { PARKED, type Parked, type PendingCall } from '../../servers/common/runtime.js';
import type { ProcessesServer } from '../../servers/processes/processes-server.js';
import type { SignalsServer } from '../../servers/signals/signals-server.js';
import type { ChildEvent } from '../../servers/processes/process-table.js';
import type { ExitReason } from './exit.js';
import type { OpArgs, OpName, OpResult } from './runtime-ops.js';
import { ProcessBlock } from './shared.js';
import type { StatsPayload } from './stats.js';

/** What a handler works with: the call (and so its thread), the servers, and the runtime's own bookkeeping. */
export interface OpContext {
  readonly call: PendingCall;
  readonly processes: ProcessesServer;
  readonly signals: SignalsServer;
  /** The calling thread's wake pipe (for signals to end its host-level waits). */
  setWakePipe(writeFd: number, readFd: number): void;
  /** The calling thread is ending: mark it so and keep its counters. */
  threadEnding(stats: StatsPayload | null): void;
}

type Handler<K extends OpName> = (c: OpContext, args: OpArgs<K>) => OpResult<K> | Parked;

const pidOf = (c: OpContext): number => c.call.thread.pid;

function exitEvent(reason: ExitReason): ChildEvent {
  return reason.kind === 'exit'
    ? { kind: 'exited', code: reason.code & 0xff }
    : { kind: 'killed', signal: reason.name, core: reason.coreDumped };
}

export const OP_TABLE: { readonly [K in OpName]: Handler<K> } = {
  register: (c, a) => {
    c.setWakePipe(a.wakeFd, a.wakeReadFd);
    const block = a.processBlock ? new ProcessBlock(a.processBlock) : undefined;
    c.processes.register(pidOf(c), { memory: a.memory, signals: a.signals, block, files: a.files });
    return null;
  },
  ppid: (c) => c.processes.ppid(pidOf(c)),
  allocTid: (c) => c.processes.allocTid(pidOf(c)),
  spawnThread: (c, a) => { c.processes.spawnThread(pidOf(c), a.tid, a.image); return null; },
  spawnProcess: (c, a) => c.processes.spawnProcess(c.call, a.image, a.vfork, new ProcessBlock(a.image.processBlock)),
  subreaper: (c, a) => { c.processes.setSubreaper(pidOf(c), a.on); return null; },
  exitThread: (c, a) => {
    c.threadEnding(a.stats);
    c.call.resolve(null);
    c.processes.exitThread(c.call.thread, a.code);
    return PARKED;
  },
  exitGroup: (c, a) => {
    c.threadEnding(a.stats);
    c.call.resolve(null);
    c.processes.exitGroup(c.call.thread, exitEvent(a.reason));
    return PARKED;
  },
  execDone: (c, a) => { c.processes.execDone(c.call.thread, a.memory, a.signals); return null; },
  wait: (c, a) => c.processes.wait(c.call, a.req, a.block),
  kill: (c, a) => { c.signals.kill(pidOf(c), a.pid, a.signal, a.info); return null; },
  tgkill: (c, a) => { c.signals.tgkill(pidOf(c), a.tgid, a.tid, a.signal, a.info); return null; },
  stop: (c, a) => c.signals.jobs.stop(c.call, a.signal, a.continued),
  maskChanged: (c) => { c.signals.maskChanged(pidOf(c)); return null; },
  setpgid: (c, a) => { c.processes.setpgid(pidOf(c), a.pid, a.pgid); return null; },
  getpgid: (c, a) => c.processes.getpgid(pidOf(c), a.pid),
  getsid: (c, a) => c.processes.getsid(pidOf(c), a.pid),
  setsid: (c) => c.processes.setsid(pidOf(c)),
  setAlarm: (c, a) => c.signals.timers.set(pidOf(c), a.valueMs, a.intervalMs),
  getAlarm: (c) => c.signals.timers.get(pidOf(c)),
};

export function isOp(op: string): op is OpName {
  return Object.prototype.hasOwnProperty.call(OP_TABLE, op);
}
