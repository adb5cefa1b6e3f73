/**
 * Process groups and sessions: the rules of setpgid(2) and setsid(2) over
 * the process table (a group never crosses its session; a session leader
 * keeps its group; setsid fails for a group leader).
 */
import { fail } from '../common/errno.js';
import type { ProcessTable } from './process-table.js';

/** setpgid(pid, pgid) from `callerPid`: itself or a child, within its session, into an existing group of it or a new one. */
export function setpgid(table: ProcessTable, callerPid: number, pid: number, pgid: number): void {
  const caller = table.get(callerPid);
  const target = table.get(pid === 0 ? callerPid : pid);
  if (!caller || !target || target.zombie) throw fail('ESRCH');
  if (target.pid !== caller.pid && target.ppid !== caller.pid) throw fail('ESRCH');
  if (target.sid !== caller.sid) throw fail('EPERM');
  if (target.pid === target.sid) throw fail('EPERM'); // a session leader
  if (pgid < 0) throw fail('EINVAL');
  const g = pgid === 0 ? target.pid : pgid;
  if (g !== target.pid && !table.all().some((p) => p.pgid === g && p.sid === caller.sid)) throw fail('EPERM');
  target.pgid = g;
}

/** setsid(): a new session and group led by `pid`, unless it already leads a group. */
export function setsid(table: ProcessTable, pid: number): number {
  const p = table.get(pid);
  if (!p) throw fail('ESRCH');
  if (table.all().some((q) => q.pgid === pid)) {
    // already a group leader (its own group exists): EPERM, as Linux
    if (p.pgid === pid) throw fail('EPERM');
  }
  p.sid = pid;
  p.pgid = pid;
  return pid;
}
