/**
 * The SIGCHLD a parent gets when a child exits, is killed, stops or
 * continues: its si_code (CLD_*), the child's pid and si_status. Statuses of
 * signals carry the signal's name too, so that a parent of another
 * personality or arch reports the number in its own numbering.
 */
import type { ChildEvent } from '../processes/process-table.js';
import { hostSignals } from '../../src/host/wake.js';

export function childSignalInfo(pid: number, ev: ChildEvent): Record<string, unknown> {
  switch (ev.kind) {
    case 'exited':
      return { code: 'CLD_EXITED', pid, uid: process.getuid?.() ?? 0, status: ev.code, signalName: undefined };
    case 'killed':
      return { code: ev.core ? 'CLD_DUMPED' : 'CLD_KILLED', pid, uid: process.getuid?.() ?? 0, status: hostSignals[ev.signal] ?? 0, signalName: ev.signal };
    case 'stopped':
      return { code: 'CLD_STOPPED', pid, status: hostSignals[ev.signal] ?? 0, signalName: ev.signal };
    case 'continued':
      return { code: 'CLD_CONTINUED', pid, status: hostSignals.SIGCONT ?? 0, signalName: 'SIGCONT' };
  }
}
