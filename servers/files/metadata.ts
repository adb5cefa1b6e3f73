/**
 * What files carry besides their bytes and names: stat and access by path,
 * sizes (truncate, fallocate), modes, owners, times, file system stats.
 * fstat is the fd's kind's (./kinds/).
 */
import * as host from '../../src/host/libc.js';
import { H } from '../../src/host/libc.js';
import { fail } from '../common/errno.js';
import type { FilesContext } from './context.js';
import type { SharedFdTable } from './fd-table.js';
import { entry, ioEntry } from './fd-ops.js';
import { toStat } from './host-fd.js';
import { hostPathFor, resolvePath } from './resolve.js';
import type { DirFd, FallocateMode, Stat, StatFs, StatOptions, TimeSpecArg } from './types.js';

/** fstatat / statx. */
export function stat(c: FilesContext, dirfd: DirFd, path: string, opts: StatOptions): Stat {
  const r = resolvePath(c, dirfd, path, opts.emptyPath, { follow: !opts.nofollow });
  let flags = r.empty ? H.AT_EMPTY_PATH : 0;
  if (opts.nofollow) flags |= H.AT_SYMLINK_NOFOLLOW;
  if (opts.noAutomount) flags |= H.AT_NO_AUTOMOUNT;
  if (opts.sync === 'force') flags |= H.AT_STATX_FORCE_SYNC;
  if (opts.sync === 'dont') flags |= H.AT_STATX_DONT_SYNC;
  return toStat(host.statx(r.dirHostFd, r.hostPath, flags, opts.mask ?? (H.STATX_BASIC_STATS | H.STATX_BTIME)));
}

/** faccessat2: mode is R=4 | W=2 | X=1 (0 = existence). */
export function access(c: FilesContext, dirfd: DirFd, path: string, mode: number, opts: { eaccess?: boolean; nofollow?: boolean; emptyPath?: boolean }): void {
  const r = resolvePath(c, dirfd, path, opts.emptyPath, { follow: !opts.nofollow, write: (mode & 2) !== 0 });
  let flags = r.empty ? H.AT_EMPTY_PATH : 0;
  if (opts.eaccess) flags |= H.AT_EACCESS;
  if (opts.nofollow) flags |= H.AT_SYMLINK_NOFOLLOW;
  host.faccessat2(r.dirHostFd, r.hostPath, mode, flags);
}

export function truncate(c: FilesContext, dirfd: DirFd, path: string, length: bigint): void {
  if (length < 0n) throw fail('EINVAL');
  host.truncate(hostPathFor(resolvePath(c, dirfd, path, false, { write: true })), length);
}

export function ftruncate(t: SharedFdTable, fd: number, length: bigint): void {
  const o = ioEntry(t, fd);
  if (length < 0n) throw fail('EINVAL');
  if (o.kind !== 'regular') throw fail(o.kind === 'dir' ? 'EISDIR' : 'EINVAL');
  host.ftruncate(o.hostFd, length);
}

export function fallocate(t: SharedFdTable, fd: number, mode: FallocateMode, offset: bigint, length: bigint): void {
  const o = ioEntry(t, fd);
  const m = (mode.keepSize ? 1 : 0) | (mode.punchHole ? 2 : 0) | (mode.collapseRange ? 8 : 0) |
    (mode.zeroRange ? 0x10 : 0) | (mode.insertRange ? 0x20 : 0);
  host.fallocate(o.hostFd, m, offset, length);
}

export function chmod(c: FilesContext, dirfd: DirFd, path: string, mode: number): void {
  const r = resolvePath(c, dirfd, path, false, { write: true });
  host.fchmodat(r.dirHostFd, r.hostPath, mode & 0o7777, 0);
}

export function fchmod(t: SharedFdTable, fd: number, mode: number): void {
  host.fchmod(ioEntry(t, fd).hostFd, mode & 0o7777);
}

/** uid/gid -1 (0xffffffff) leave that id unchanged. */
export function chown(c: FilesContext, dirfd: DirFd, path: string, uid: number, gid: number, opts: { nofollow?: boolean; emptyPath?: boolean }): void {
  const r = resolvePath(c, dirfd, path, opts.emptyPath, { follow: !opts.nofollow, write: true });
  const f = (opts.nofollow ? H.AT_SYMLINK_NOFOLLOW : 0) | (r.empty ? H.AT_EMPTY_PATH : 0);
  host.fchownat(r.dirHostFd, r.hostPath, uid, gid, f);
}

export function fchown(t: SharedFdTable, fd: number, uid: number, gid: number): void {
  host.fchown(ioEntry(t, fd).hostFd, uid, gid);
}

/**
 * utimensat: `path` null means the fd itself (futimens); `times` null means
 * both now.
 */
export function utimens(
  c: FilesContext, dirfd: DirFd, path: string | null, times: [TimeSpecArg, TimeSpecArg] | null,
  opts: { nofollow?: boolean; emptyPath?: boolean },
): void {
  const ht = times && times.map((t): host.HostTimespec =>
    t === 'now' ? { sec: 0n, nsec: H.UTIME_NOW } : t === 'omit' ? { sec: 0n, nsec: H.UTIME_OMIT } : t) as [host.HostTimespec, host.HostTimespec];
  if (path === null) {
    if (dirfd === 'cwd') throw fail('EFAULT');
    host.utimensat(entry(c.t, dirfd).hostFd, null, ht, 0);
    return;
  }
  const r = resolvePath(c, dirfd, path, opts.emptyPath, { follow: !opts.nofollow, write: true });
  const f = (opts.nofollow ? H.AT_SYMLINK_NOFOLLOW : 0) | (r.empty ? H.AT_EMPTY_PATH : 0);
  host.utimensat(r.dirHostFd, r.hostPath, ht, f);
}

export function statfs(c: FilesContext, dirfd: DirFd, path: string): StatFs {
  return host.statfs(hostPathFor(resolvePath(c, dirfd, path)));
}
