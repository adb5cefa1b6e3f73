/**
 * signalfd: reads take the caller's pending signals that are in the fd's mask
 * (the personality does the reading: the signals are its), and poll, select
 * and epoll see the fd readable while one is pending. The readiness is a host
 * eventfd's: the personality brings it up to date before every wait of a
 * thread (`Interrupter.refresh`), and a signal that arrives while a thread
 * waits pokes the wait (blocked or not), so the next refresh shows it.
 *
 * The mask is the entry's extra word in the fd table (dup and fork copy it;
 * a dup's mask is its own, where Linux shares one per open file). The table
 * header counts signalfds ever made (HDR.SIGNALFDS), so a process without
 * any pays nothing for the refresh.
 */
import * as host from '../../../src/host/libc.js';
import { H } from '../../../src/host/libc.js';
import { fail } from '../../common/errno.js';
import type { FilesContext } from '../context.js';
import { HDR, entryHostFd, entryKind, type EntryFields } from '../fd-table.js';
import { entry, install } from '../fd-ops.js';
import type { KindOps } from './file-kind.js';
import { streamOps } from './stream.js';

/** read(2) of a signalfd never reaches the files server: the personality answers it. */
export const signalfdOps: KindOps = {
  ...streamOps,
  read() { throw fail('EINVAL'); },
  write() { throw fail('EINVAL'); },
};

/** signalfd(-1, mask): a new signalfd with `mask` (bit n-1 for signal n, in the guest's numbering). */
export function createSignalfd(c: FilesContext, mask: bigint, opts: { cloexec?: boolean; nonblock?: boolean }): number {
  const fd = install(c.t, (): EntryFields => ({
    hostFd: host.eventfd(0, H.O_CLOEXEC | H.O_NONBLOCK),
    kind: 'signalfd', access: 'r', cloexec: !!opts.cloexec, pathOnly: false, hostShared: true, nonblock: !!opts.nonblock,
  }));
  Atomics.store(c.t.extras, fd, BigInt.asIntN(64, mask));
  Atomics.add(c.t.header, HDR.SIGNALFDS, 1);
  return fd;
}

function signalfdOf(c: FilesContext, fd: number): EntryFields {
  const e = entry(c.t, fd);
  if (e.kind !== 'signalfd') throw fail('EINVAL');
  return e;
}

/** signalfd(fd, mask) on an existing signalfd: its new mask. */
export function setSignalfdMask(c: FilesContext, fd: number, mask: bigint): void {
  signalfdOf(c, fd);
  Atomics.store(c.t.extras, fd, BigInt.asIntN(64, mask));
}

/** The mask and the guest's O_NONBLOCK of a signalfd. */
export function signalfdState(c: FilesContext, fd: number): { mask: bigint; nonblock: boolean } {
  const e = signalfdOf(c, fd);
  return { mask: BigInt.asUintN(64, Atomics.load(c.t.extras, fd)), nonblock: e.nonblock };
}

/**
 * Sets every signalfd's readiness from `pending` (the caller's pending
 * signals): readable when one in its mask is pending. Nothing to do for a
 * process that never made one.
 */
export function refreshSignalfds(c: FilesContext, pending: bigint): void {
  if (Atomics.load(c.t.header, HDR.SIGNALFDS) === 0) return;
  const b = Buffer.alloc(8);
  for (let fd = 0; fd < c.t.capacity; fd++) {
    const v = c.t.load(fd);
    if (v <= 0n || entryKind(v) !== 'signalfd') continue;
    const hostFd = entryHostFd(v);
    const ready = (pending & BigInt.asUintN(64, Atomics.load(c.t.extras, fd))) !== 0n;
    try {
      host.read(hostFd, b); // empty the count (EAGAIN when it was empty)
    } catch { /* empty */ }
    if (ready) {
      b.writeBigUInt64LE(1n, 0);
      try { host.write(hostFd, b); } catch { /* closed meanwhile */ }
    }
  }
}
