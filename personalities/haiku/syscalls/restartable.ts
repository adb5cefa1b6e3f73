/**
 * A Haiku wait that a caught signal may interrupt and that then runs again
 * (personalities/haiku/restart-table.ts): as Haiku's
 * syscall_restart_handle_timeout_pre/post do, a relative timeout becomes an
 * absolute one on entry, and an interrupted wait leaves the thread a restart
 * block that continues with that same deadline.
 */
import { isServerError } from '../../../servers/common/errno.js';
import { B_ABSOLUTE_TIMEOUT, B_RELATIVE_TIMEOUT, systemTimeUs } from '../servers/shared-table.js';
import type { HaikuThread } from './types.js';

const B_INFINITE_TIMEOUT = (1n << 63n) - 1n;

/** Runs `wait(flags, timeoutUs)` with the timeout made absolute; interrupted, it can be resumed by the stub. */
export function restartable(t: HaikuThread, call: string, flags: number, timeoutUs: bigint, wait: (flags: number, timeoutUs: bigint) => number): number {
  let f = flags;
  let to = timeoutUs;
  if ((flags & B_RELATIVE_TIMEOUT) !== 0) {
    to = timeoutUs >= B_INFINITE_TIMEOUT - systemTimeUs() ? B_INFINITE_TIMEOUT : systemTimeUs() + (timeoutUs < 0n ? 0n : timeoutUs);
    f = (flags & ~B_RELATIVE_TIMEOUT) | B_ABSOLUTE_TIMEOUT;
  }
  const go = (): number => {
    try {
      return wait(f, to);
    } catch (e) {
      if (isServerError(e) && e.errno === 'EINTR') t.restartBlock = { call, resume: go };
      throw e;
    }
  };
  return go();
}
