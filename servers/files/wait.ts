/**
 * Waiting that a signal can end: host ppoll() on the fds an operation waits
 * for plus the thread's Interrupter wake fd, never a host call a signal
 * cannot break, never spinning. A wake-up with a deliverable signal and no
 * fd ready is EINTR (the personality decides about SA_RESTART).
 */
import * as host from '../../src/host/libc.js';
import { fail } from '../common/errno.js';
import type { Interrupter } from '../common/interrupt.js';
import { errnoOf } from './host-fd.js';

const now = (): bigint => process.hrtime.bigint();

/**
 * Waits in host ppoll() for `fds` and the interrupter's wake fd. Returns
 * the number of fds with events (0 when the timeout passed; `timeoutNs`
 * null waits forever), revents filled in. EINTR on a deliverable signal.
 */
export function waitHost(i: Interrupter, fds: host.HostPollFd[], timeoutNs: bigint | null): number {
  const all = i.wakeFd >= 0 ? [...fds, { fd: i.wakeFd, events: host.POLLIN, revents: 0 }] : fds;
  const deadline = timeoutNs === null ? null : now() + timeoutNs;
  for (;;) {
    i.refresh?.();
    const left = deadline === null ? null : deadline - now();
    let n: number;
    try {
      n = host.pollMany(all, left === null ? null : left < 0n ? 0n : left);
    } catch (e) {
      if (errnoOf(e) === 'EINTR') continue; // a host signal (Node's own): not the guest's
      throw e;
    }
    let ready = 0;
    for (let k = 0; k < fds.length; k++) if (all[k].revents !== 0) ready++;
    if (ready > 0) return ready;
    if (all.length > fds.length && all[fds.length].revents !== 0) {
      if (i.pending()) throw fail('EINTR');
      continue; // poked, but nothing deliverable (blocked signal): wait on
    }
    if (n === 0 && (left === null || left <= 0n || now() >= deadline!)) return 0;
  }
}

/** Waits until the host fd has one of `events` (or an error/hangup); EINTR on a signal. */
export function waitFd(i: Interrupter, hostFd: number, events: number): number {
  const p = [{ fd: hostFd, events, revents: 0 }];
  waitHost(i, p, null);
  return p[0].revents;
}

/** True if the host fd has one of `events` now (no wait). */
export function readyNow(hostFd: number, events: number): boolean {
  const rev = host.pollOne(hostFd, events, 0);
  return (rev & (events | host.POLLERR | host.POLLHUP | host.POLLNVAL)) !== 0;
}
