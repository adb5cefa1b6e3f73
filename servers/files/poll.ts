/**
 * poll(2) over guest fds: each open fd waits on what its kind names as its
 * readiness (./kinds/), all of them together with the thread's wake fd in
 * one interruptible host ppoll (./wait.ts).
 */
import type * as host from '../../src/host/libc.js';
import type { FilesContext } from './context.js';
import { EF, entryFlags, entryHostFd, entryKind } from './fd-table.js';
import { opsOf } from './kinds/index.js';
import { POLL, type PollRequest, type PollResult } from './types.js';
import { waitHost } from './wait.js';

/**
 * Negative fds are skipped, fds that are not open (or O_PATH) report
 * POLL.NVAL. `timeoutNs` 0 polls, null waits forever. Interruptible (EINTR)
 * while no fd is ready.
 */
export function poll(c: FilesContext, reqs: readonly PollRequest[], timeoutNs: bigint | null): PollResult {
  const revents = new Array<number>(reqs.length).fill(0);
  const fds: host.HostPollFd[] = [];
  const index: number[] = [];
  let invalid = 0;
  reqs.forEach((r, k) => {
    if (r.fd < 0) return;
    const v = c.t.load(r.fd);
    if (v <= 0n || (entryFlags(v) & EF.PATH) !== 0) { revents[k] = POLL.NVAL; invalid++; return; }
    fds.push(opsOf(entryKind(v)).readiness(entryHostFd(v), r.events & 0xffff));
    index.push(k);
  });
  waitHost(c.interrupter, fds, invalid > 0 ? 0n : timeoutNs);
  let count = invalid;
  fds.forEach((p, j) => {
    // the host answers only requested events plus ERR/HUP/NVAL, as Linux does
    revents[index[j]] = p.revents;
    if (p.revents !== 0) count++;
  });
  return { revents, count };
}
