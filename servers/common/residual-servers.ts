/**
 * The processes and signals servers of one run, made and wired together:
 * they know each other (a child's end makes its parent's SIGCHLD; SIGKILL
 * ends a process) and both work through the runtime that runs the threads.
 */
import { ProcessTable, type ChildEvent } from '../processes/process-table.js';
import { ProcessesServer } from '../processes/processes-server.js';
import { PidNamespace } from '../processes/pid-namespace.js';
import { ProcessLimit } from '../processes/process-limit.js';
import { SignalsServer } from '../signals/signals-server.js';
import type { ThreadRuntime } from './runtime.js';

export interface ResidualServers {
  readonly table: ProcessTable;
  readonly processes: ProcessesServer;
  readonly signals: SignalsServer;
}

export interface ResidualOptions {
  /** The jail's own pid namespace (pids from 1, init protected). */
  ownPidNamespace: boolean;
  /** Processes alive at once (undefined: no limit), and the jail that sets it (named in the message). */
  processLimit?: number;
  jailName?: string;
  /** The first process has ended. */
  initEnded(ev: ChildEvent): void;
}

export function createResidualServers(runtime: ThreadRuntime, o: ResidualOptions): ResidualServers {
  const pids = new PidNamespace(o.ownPidNamespace);
  const table = new ProcessTable(pids.firstPid);
  const processes = new ProcessesServer(table, runtime, pids, new ProcessLimit(o.processLimit, o.jailName ?? ''), o.initEnded);
  const signals = new SignalsServer(table, runtime, pids, {
    end: (p, ev) => processes.end(p, ev),
    childChanged: (parent) => processes.waits.childChanged(parent),
    interrupted: (t) => processes.waits.interrupt(t),
  });
  processes.attachSignals(signals);
  return { table, processes, signals };
}
