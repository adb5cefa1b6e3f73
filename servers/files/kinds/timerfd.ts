/**
 * timerfd: a host timerfd, so expiries wake poll, select and epoll through
 * the host kernel like any other fd. Reads give the 8-byte expiry count in
 * HOST byte order (personalities of the other order swap it, as for
 * eventfd); they block, and honour O_NONBLOCK, as host streams do
 * (./stream.ts). The clocks (REALTIME, MONOTONIC, BOOTTIME and their
 * _ALARM forms) are the host's; times are neutral nanoseconds.
 */
import * as host from '../../../src/host/libc.js';
import { H, type TimerSpec } from '../../../src/host/libc.js';
import { fail } from '../../common/errno.js';
import type { FilesContext } from '../context.js';
import type { EntryFields } from '../fd-table.js';
import { entry } from '../fd-ops.js';
import type { KindOps } from './file-kind.js';
import { streamOps } from './stream.js';

export const timerfdOps: KindOps = streamOps;

/** timerfd_create(2): the table entry of a new host timerfd on `clock` (a Linux clock id: the same on every arch). */
export function timerfdEntry(clock: number, opts: { cloexec?: boolean; nonblock?: boolean }): EntryFields {
  return {
    hostFd: host.timerfdCreate(clock, H.O_CLOEXEC | (opts.nonblock ? H.O_NONBLOCK : 0)),
    kind: 'timerfd', access: 'r', cloexec: !!opts.cloexec, pathOnly: false, hostShared: false, nonblock: !!opts.nonblock,
  };
}

function timerOf(c: FilesContext, fd: number): EntryFields {
  const e = entry(c.t, fd);
  if (e.kind !== 'timerfd') throw fail('EINVAL');
  return e;
}

/** timerfd_settime(2): `abstime` (TFD_TIMER_ABSTIME), `cancelOnSet` (TFD_TIMER_CANCEL_ON_SET); the old setting. */
export function setTimer(c: FilesContext, fd: number, v: TimerSpec, opts: { abstime?: boolean; cancelOnSet?: boolean }): TimerSpec {
  const flags = (opts.abstime ? host.TFD_TIMER_ABSTIME : 0) | (opts.cancelOnSet ? host.TFD_TIMER_CANCEL_ON_SET : 0);
  return host.timerfdSettime(timerOf(c, fd).hostFd, flags, v);
}

export const getTimer = (c: FilesContext, fd: number): TimerSpec => host.timerfdGettime(timerOf(c, fd).hostFd);
