/**
 * Facts about host fds, and the host-call habits every part of the files
 * server shares: what kind of file a host fd is, its access mode, its stat in
 * the server's neutral form, closing one without caring, and retrying a call
 * that a host signal (Node's own, never the guest's) broke off.
 */
import * as host from '../../src/host/libc.js';
import { H } from '../../src/host/libc.js';
import { ServerError, type Errno } from '../common/errno.js';
import type { Access, FileKind, Stat } from './types.js';

export function errnoOf(e: unknown): Errno | undefined {
  return e instanceof ServerError ? e.errno : undefined;
}

/** Closes a host fd whose guest side is already gone (nothing to report). */
export const closeQuietly = (hostFd: number): void => {
  try { host.close(hostFd); } catch { /* the guest's close already succeeded */ }
};

/** Runs a host call again as long as a host signal interrupts it. */
export function retryEintr<T>(op: () => T): T {
  for (;;) {
    try {
      return op();
    } catch (e) {
      if (errnoOf(e) !== 'EINTR') throw e;
    }
  }
}

const S_IFMT = 0o170000;

export function kindOfMode(mode: number): FileKind {
  switch (mode & S_IFMT) {
    case 0o100000: return 'regular';
    case 0o040000: return 'dir';
    case 0o020000: return 'chardev';
    case 0o060000: return 'blockdev';
    case 0o010000: return 'pipe';
    case 0o140000: return 'socket';
    case 0o120000: return 'symlink';
    default: return 'unknown';
  }
}

/** The kinds of fd the host names by their anon inode. */
const ANON_KINDS: Readonly<Record<string, FileKind>> = { 'anon_inode:[eventfd]': 'eventfd', 'anon_inode:[timerfd]': 'timerfd' };

/** The kind of an open host fd: its file type, a terminal for a character device that is a tty, eventfds and timerfds by their anon inode. */
export function kindOfHostFd(fd: number): FileKind {
  const st = host.statx(fd, '', H.AT_EMPTY_PATH, 0x1 /* STATX_TYPE */);
  const k = kindOfMode(st.mode);
  if (k === 'unknown') {
    try { return ANON_KINDS[host.readlinkat(H.AT_FDCWD, `/proc/self/fd/${fd}`)] ?? k; } catch { /* unknown */ }
  }
  return k === 'chardev' && host.isatty(fd) ? 'tty' : k;
}

/** The access mode of host open flags. */
export const accessOf = (hostFlags: number): Access => {
  const m = hostFlags & H.O_ACCMODE;
  return m === H.O_WRONLY ? 'w' : m === H.O_RDWR ? 'rw' : 'r';
};

/** Whether the host fd is non-blocking now (the host open file description's flag). */
export const hostNonblock = (hostFd: number): boolean => (host.fcntl(hostFd, H.F_GETFL) & H.O_NONBLOCK) !== 0;

/** statx of an open host fd: the basic stats and the birth time. */
export function fstatHost(hostFd: number): host.HostStatx {
  return host.statx(hostFd, '', H.AT_EMPTY_PATH, H.STATX_BASIC_STATS | H.STATX_BTIME);
}

export function toStat(s: host.HostStatx): Stat {
  return {
    mask: s.mask, devMajor: s.devMajor, devMinor: s.devMinor, ino: s.ino, mode: s.mode, nlink: s.nlink,
    uid: s.uid, gid: s.gid, rdevMajor: s.rdevMajor, rdevMinor: s.rdevMinor, size: s.size,
    blksize: s.blksize, blocks: s.blocks, atime: s.atime, mtime: s.mtime, ctime: s.ctime, btime: s.btime,
    attributes: s.attributes, attributesMask: s.attributesMask, mntId: s.mntId,
  };
}
