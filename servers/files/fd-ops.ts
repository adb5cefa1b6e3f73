/**
 * The operations on a process's fd table (./fd-table.ts holds its shared
 * layout): looking an fd up, installing and dropping entries, dup, dup2,
 * dup3, close and close_range, close-on-exec, adopting a host fd, the host's
 * stdio at start and the copy fork makes. An entry that leaves the table is
 * closed by its kind (./kinds/).
 */
import * as host from '../../src/host/libc.js';
import { H } from '../../src/host/libc.js';
import { fail } from '../common/errno.js';
import { EF, entryFlags, entryHostFd, entryKind, HDR, SharedFdTable, unpackEntry, type EntryFields } from './fd-table.js';
import { accessOf, closeQuietly, kindOfHostFd } from './host-fd.js';
import { opsOf } from './kinds/index.js';
import { OpenFileDescription } from './open-file.js';
import type { FileKind } from './types.js';

/** The entry of an open guest fd (EBADF if not open). */
export function entry(t: SharedFdTable, fd: number): EntryFields {
  const v = t.load(fd);
  if (v <= 0n) throw fail('EBADF');
  return unpackEntry(v);
}

/** The entry for I/O: O_PATH descriptions are EBADF. */
export function ioEntry(t: SharedFdTable, fd: number): EntryFields {
  const o = entry(t, fd);
  if (o.pathOnly) throw fail('EBADF');
  return o;
}

export const toOfd = (e: EntryFields): OpenFileDescription =>
  new OpenFileDescription(e.hostFd, e.kind, e.access, e.pathOnly, e.hostShared, e.nonblock);

/** Open guest fds, ascending. */
export function openFds(t: SharedFdTable): number[] {
  const out: number[] = [];
  for (let fd = 0; fd < t.capacity; fd++) if (t.load(fd) > 0n) out.push(fd);
  return out;
}

/**
 * Reserves the lowest free fd >= min (EMFILE before anything is created, as
 * Linux allocates the fd first), then installs what `make` opens; the fd is
 * released again if `make` fails.
 */
export function install(t: SharedFdTable, make: () => EntryFields, min = 0): number {
  const fd = t.reserve(min);
  try {
    t.publish(fd, make());
  } catch (err) {
    t.unreserve(fd);
    throw err;
  }
  return fd;
}

/** Closes the entry's host side after it left the table. */
const release = (v: bigint): void => opsOf(entryKind(v)).close(entryHostFd(v));

/** Closes fd if it is open (no error otherwise). */
export function drop(t: SharedFdTable, fd: number): void {
  const v = t.take(fd);
  if (v !== null) release(v);
}

export function close(t: SharedFdTable, fd: number): void {
  const v = t.take(fd);
  if (v === null) throw fail('EBADF');
  release(v);
}

/** close_range(2): closes (or marks close-on-exec) every open fd in [first, last]. */
export function closeRange(t: SharedFdTable, first: number, last: number, opts: { cloexec?: boolean }): void {
  if (first > last) throw fail('EINVAL');
  const end = Math.min(last, t.capacity - 1);
  for (let fd = first; fd <= end; fd++) {
    if (opts.cloexec) t.updateFlags(fd, (f) => f | EF.CLOEXEC);
    else drop(t, fd);
  }
}

/** execve(): closes every close-on-exec fd. */
export function closeOnExec(t: SharedFdTable): void {
  for (let fd = 0; fd < t.capacity; fd++) {
    const v = t.load(fd);
    if (v > 0n && (entryFlags(v) & EF.CLOEXEC) !== 0) drop(t, fd);
  }
}

/** A new entry for a host dup of `src`'s host fd. */
const dupEntry = (src: EntryFields, cloexec: boolean): EntryFields => ({ ...src, hostFd: host.dupCloexec(src.hostFd, 3), cloexec });

/** F_DUPFD / F_DUPFD_CLOEXEC: the lowest free fd >= min. */
export function dupMin(t: SharedFdTable, fd: number, min: number, cloexec: boolean): number {
  const src = entry(t, fd);
  if (min < 0 || min >= t.limit) throw fail('EINVAL');
  const extra = Atomics.load(t.extras, fd);
  const nfd = install(t, () => dupEntry(src, cloexec), min);
  Atomics.store(t.extras, nfd, extra);
  return nfd;
}

/** dup2 / dup3: newfd is closed silently first; `sameOk`: oldfd == newfd returns it (dup2). */
export function dupTo(t: SharedFdTable, oldfd: number, newfd: number, cloexec: boolean, sameOk: boolean): number {
  const src = entry(t, oldfd);
  if (newfd < 0 || newfd >= t.limit) throw fail('EBADF');
  if (oldfd === newfd && sameOk) return newfd;
  const e = dupEntry(src, cloexec);
  let old: bigint | null;
  try {
    Atomics.store(t.extras, newfd, Atomics.load(t.extras, oldfd));
    old = t.replace(newfd, e);
  } catch (err) {
    closeQuietly(e.hostFd);
    throw err;
  }
  if (old !== null) release(old);
  return newfd;
}

export function setCloexec(t: SharedFdTable, fd: number, on: boolean): void {
  if (!t.updateFlags(fd, (f) => (on ? f | EF.CLOEXEC : f & ~EF.CLOEXEC))) throw fail('EBADF');
}

/** Installs a host fd as a new guest fd; the table takes ownership. See FilesServer.adoptHostFd. */
export function adoptHostFd(
  t: SharedFdTable, hostFd: number, opts: { cloexec?: boolean; kind?: FileKind; hostShared?: boolean; nonblock?: boolean },
): number {
  const fl = host.fcntl(hostFd, H.F_GETFL);
  const kind = opts.kind ?? kindOfHostFd(hostFd);
  return install(t, () => ({
    hostFd, kind, access: accessOf(fl), cloexec: opts.cloexec ?? false,
    pathOnly: (fl & H.O_PATH) !== 0, hostShared: !!opts.hostShared, nonblock: opts.nonblock ?? (fl & H.O_NONBLOCK) !== 0,
  }));
}

/** Guest fds 0/1/2 as dups of the host's 0/1/2 (a tty stays a tty), shared with the host: O_NONBLOCK emulated. */
export function installHostStdio(t: SharedFdTable): void {
  for (let fd = 0; fd < 3; fd++) {
    let h: number;
    try { h = host.dupCloexec(fd, 3); } catch { continue; } // host fd closed: leave the guest fd closed too
    const fl = host.fcntl(h, H.F_GETFL);
    t.publish(fd, {
      hostFd: h, kind: kindOfHostFd(h), access: accessOf(fl), cloexec: false, pathOnly: false, hostShared: true, nonblock: false,
    });
  }
}

/**
 * fork(): a new table for the child process. Every entry gets its own host
 * dup() (the same open file descriptions: offsets and status flags stay
 * shared), close-on-exec flags are copied; the cwd is copied, the umask too.
 */
export function forkTable(src: SharedFdTable): SharedFdTable {
  const t = SharedFdTable.create(src.capacity, Atomics.load(src.header, HDR.FDLIMIT), Atomics.load(src.header, HDR.UMASK));
  t.header[HDR.CWD] = host.dupCloexec(Atomics.load(src.header, HDR.CWD), 3);
  t.header[HDR.SIGNALFDS] = Atomics.load(src.header, HDR.SIGNALFDS);
  t.extras.set(src.extras);
  for (let fd = 0; fd < src.capacity; fd++) {
    const v = src.load(fd);
    if (v <= 0n) continue;
    let h: number;
    try { h = host.dupCloexec(entryHostFd(v), 3); } catch { continue; } // closed meanwhile by another thread
    t.entries[fd] = (BigInt(entryFlags(v)) << 32n) | BigInt(h + 1);
  }
  return t;
}
