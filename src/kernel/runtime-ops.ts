/**
 * The calls a guest thread's worker makes to the supervisor, as one typed
 * list: each op's arguments and result. The worker side (worker-kernel.ts)
 * and the supervisor side (op-table.ts, which names the server method each
 * op calls) are both checked against it.
 */
import type { ExitReason } from './exit.js';
import type { SignalMap, SpawnImage, WaitRequest, WaitResult } from './services.js';
import type { StatsPayload } from './stats.js';
import type { AlarmValue } from '../../servers/signals/interval-timers.js';

type Op<A, R> = { args: A; result: R };
type Signal = { signal: string | null; info: Record<string, unknown> };

export interface RuntimeOps {
  register: Op<{ wakeFd: number; wakeReadFd: number; memory?: WebAssembly.Memory; signals?: SignalMap; processBlock?: SharedArrayBuffer; files?: unknown }, null>;
  ppid: Op<null, number>;
  allocTid: Op<null, number>;
  spawnThread: Op<{ image: SpawnImage; tid: number }, null>;
  spawnProcess: Op<{ image: SpawnImage; vfork: boolean }, number>;
  subreaper: Op<{ on: boolean }, null>;
  exitThread: Op<{ code: number; stats: StatsPayload | null }, null>;
  exitGroup: Op<{ reason: ExitReason; stats: StatsPayload | null }, null>;
  execDone: Op<{ memory: WebAssembly.Memory; signals: SignalMap; exe: string }, null>;
  wait: Op<{ req: WaitRequest; block: boolean }, WaitResult | null>;
  kill: Op<{ pid: number } & Signal, null>;
  tgkill: Op<{ tgid: number; tid: number } & Signal, null>;
  stop: Op<{ signal: string; continued?: number }, null>;
  maskChanged: Op<null, null>;
  setpgid: Op<{ pid: number; pgid: number }, null>;
  getpgid: Op<{ pid: number }, number>;
  getsid: Op<{ pid: number }, number>;
  setsid: Op<null, number>;
  setAlarm: Op<{ valueMs: number; intervalMs: number }, AlarmValue>;
  getAlarm: Op<null, AlarmValue>;
}

export type OpName = keyof RuntimeOps;
export type OpArgs<K extends OpName> = RuntimeOps[K]['args'];
export type OpResult<K extends OpName> = RuntimeOps[K]['result'];
