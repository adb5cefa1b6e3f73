/**
 * File locks: fcntl record locks and flock(2). Guest processes all live in
 * one host process, so the host's per-process POSIX locks could never
 * conflict between them: open file description locks (F_OFD_*) are used
 * instead. A waiting lock stays interruptible (EINTR).
 */
import * as host from '../../src/host/libc.js';
import { H } from '../../src/host/libc.js';
import { fail } from '../common/errno.js';
import type { Interrupter } from '../common/interrupt.js';
import type { SharedFdTable } from './fd-table.js';
import { entry, ioEntry } from './fd-ops.js';
import { errnoOf } from './host-fd.js';
import type { Lock } from './types.js';
import { readyNow } from './wait.js';

function hostLock(l: Lock): host.HostFlock {
  return {
    type: l.type === 'read' ? H.F_RDLCK : l.type === 'write' ? H.F_WRLCK : H.F_UNLCK,
    whence: l.whence === 'set' ? H.SEEK_SET : l.whence === 'cur' ? H.SEEK_CUR : H.SEEK_END,
    start: l.start, len: l.len, pid: 0,
  };
}

/**
 * Retries a non-blocking lock attempt until it succeeds. Lock release has no
 * fd to poll, so this sleeps between attempts (1 ms doubling to 50 ms) in
 * Atomics.wait on the interrupter's wake cell: no spinning, and a signal
 * ends the wait at once with EINTR.
 */
function lockWait(i: Interrupter, attempt: () => void): void {
  let delay = 1;
  for (;;) {
    try {
      attempt();
      return;
    } catch (e) {
      const en = errnoOf(e);
      if (en !== 'EAGAIN' && en !== 'EACCES' && en !== 'EINTR') throw e;
    }
    const seen = Atomics.load(i.wakeCell.array, i.wakeCell.index);
    if ((i.wakeFd < 0 || readyNow(i.wakeFd, host.POLLIN)) && i.pending()) throw fail('EINTR');
    Atomics.wait(i.wakeCell.array, i.wakeCell.index, seen, delay);
    delay = Math.min(delay * 2, 50);
  }
}

/** F_GETLK (as F_OFD_GETLK). */
export function getLock(t: SharedFdTable, fd: number, lock: Lock): Lock {
  const o = entry(t, fd);
  const r = host.fcntlLock(o.hostFd, H.F_OFD_GETLK, hostLock(lock));
  return { type: r.type === H.F_UNLCK ? 'unlock' : r.type === H.F_WRLCK ? 'write' : 'read', whence: 'set', start: r.start, len: r.len, pid: r.pid };
}

/** F_SETLK / F_SETLKW (as F_OFD_SETLK, retried while waiting). */
export function setLock(t: SharedFdTable, i: Interrupter, fd: number, lock: Lock, wait: boolean): void {
  const o = entry(t, fd);
  if (lock.type === 'read' && o.access === 'w') throw fail('EBADF');
  if (lock.type === 'write' && o.access === 'r') throw fail('EBADF');
  const attempt = (): void => { host.fcntlLock(o.hostFd, H.F_OFD_SETLK, hostLock(lock)); };
  if (wait) lockWait(i, attempt);
  else attempt();
}

/** flock(2): 'shared' / 'exclusive' / 'unlock'. */
export function flock(t: SharedFdTable, i: Interrupter, fd: number, op: 'shared' | 'exclusive' | 'unlock', nonblock: boolean): void {
  const o = ioEntry(t, fd);
  const hop = op === 'shared' ? host.LOCK_SH : op === 'exclusive' ? host.LOCK_EX : host.LOCK_UN;
  const attempt = (): void => { host.flock(o.hostFd, hop | host.LOCK_NB); };
  if (nonblock || op === 'unlock') attempt();
  else lockWait(i, attempt);
}
