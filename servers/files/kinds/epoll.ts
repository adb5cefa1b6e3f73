/**
 * epoll: a host epoll instance, so that a guest's interest list lives in
 * the host kernel and follows its fd through dup, fork and exec, and nested
 * epoll and edge-triggered, one-shot and exclusive modes behave as Linux's
 * (the host IS Linux). Guest fds are registered by their host fds; the
 * guest's 64-bit data rides along unchanged, so what epoll_wait reports is
 * what the guest registered. Event bits are Linux's on every arch.
 *
 * Waiting: the epoll fd itself is pollable (readable when events are
 * ready), so epoll_wait waits in interruptible host poll (../wait.ts) on it
 * and the thread's wake fd, then takes the ready events without blocking.
 * read and write are EINVAL, as on Linux.
 */
import * as host from '../../../src/host/libc.js';
import { H } from '../../../src/host/libc.js';
import { fail } from '../../common/errno.js';
import type { Interrupter } from '../../common/interrupt.js';
import type { EntryFields, SharedFdTable } from '../fd-table.js';
import { entry } from '../fd-ops.js';
import { retryEintr } from '../host-fd.js';
import { waitHost } from '../wait.js';
import type { KindOps } from './file-kind.js';
import { hostFileOps } from './host-file.js';

export const epollOps: KindOps = {
  ...hostFileOps,
  read: () => { throw fail('EINVAL'); },
  write: () => { throw fail('EINVAL'); },
  bytesReadable: () => { throw fail('ENOTTY'); },
};

export type EpollOp = 'add' | 'mod' | 'del';
const HOST_OP: Readonly<Record<EpollOp, number>> = { add: host.EPOLL_CTL_ADD, mod: host.EPOLL_CTL_MOD, del: host.EPOLL_CTL_DEL };

/** One ready event as epoll_wait reports it. */
export interface EpollEvent { events: number; data: bigint }

/** epoll_create1(2): the table entry of a new host epoll instance. */
export function epollEntry(opts: { cloexec?: boolean }): EntryFields {
  return {
    hostFd: host.epollCreate1(H.O_CLOEXEC),
    kind: 'epoll', access: 'rw', cloexec: !!opts.cloexec, pathOnly: false, hostShared: false, nonblock: false,
  };
}

function epollOf(t: SharedFdTable, epfd: number): EntryFields {
  const e = entry(t, epfd);
  if (e.kind !== 'epoll') throw fail('EINVAL');
  return e;
}

/** epoll_ctl(2). EINVAL for an fd that is the epoll fd itself; the host decides the rest (EEXIST, ENOENT, EPERM, ELOOP). */
export function epollCtl(t: SharedFdTable, epfd: number, op: EpollOp, fd: number, events: number, data: bigint): void {
  const ep = epollOf(t, epfd);
  const target = entry(t, fd);
  if (target.pathOnly) throw fail('EBADF');
  if (fd === epfd) throw fail('EINVAL');
  host.epollCtl(ep.hostFd, HOST_OP[op], target.hostFd, events, data);
}

/**
 * epoll_wait(2): up to `max` ready events; `timeoutNs` 0 does not wait, null
 * waits forever. EINTR when a signal the thread takes comes first.
 */
export function epollWait(t: SharedFdTable, i: Interrupter, epfd: number, max: number, timeoutNs: bigint | null): EpollEvent[] {
  const ep = epollOf(t, epfd);
  if (max <= 0) throw fail('EINVAL');
  const deadline = timeoutNs === null ? null : process.hrtime.bigint() + timeoutNs;
  for (;;) {
    const ready = retryEintr(() => host.epollTake(ep.hostFd, max));
    if (ready.length > 0) return ready;
    const left = deadline === null ? null : deadline - process.hrtime.bigint();
    if (left !== null && left <= 0n) return [];
    // another thread may take the events first: then wait again until the deadline
    if (waitHost(i, [{ fd: ep.hostFd, events: host.POLLIN, revents: 0 }], left) === 0) return [];
  }
}
