/**
 * What the parts of one FilesServer share: the process's fd table (with its
 * cwd and umask), the path mapping, the thread's interrupter and the
 * process's /proc/self facts. One per FilesServer, that is one per guest
 * thread; the parts (./fd-ops.ts, ./resolve.ts, ./open.ts...) are functions
 * over it and the FilesServer class only delegates to them.
 */
import type { Interrupter } from '../common/interrupt.js';
import { HDR, type SharedFdTable } from './fd-table.js';
import type { NetworkPolicy } from './network-policy.js';
import type { PathMap } from './paths.js';
import type { ProcSelf } from './procfs.js';

export interface FilesContext {
  /** The process's fd table, cwd and umask, shared by its threads. */
  readonly t: SharedFdTable;
  readonly paths: PathMap;
  /** The jail's network policy (./network-policy.ts). */
  readonly network: NetworkPolicy;
  /** How this thread's blocking calls are interrupted by signals. */
  interrupter: Interrupter;
  /** Set by the runtime: what /proc/self/exe and friends mean for this process. */
  procSelf: ProcSelf | null;
  /** Host folders standing for /proc/self/fd listings, removed when the process's files close. */
  readonly fdDirs: string[];
}

/** The process's umask (shared by its threads). */
export const umaskOf = (c: FilesContext): number => Atomics.load(c.t.header, HDR.UMASK);
