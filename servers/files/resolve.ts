/**
 * Guest paths to host paths, and the cwd. Every guest path goes through
 * `resolvePath`: the jail walk (./jail-resolve.ts) or the plain PathMap
 * (./paths.ts), the guest's own /proc/self/fd/N, /proc/self/root and
 * /proc/self/cwd. The cwd is a host O_PATH directory fd in the shared table
 * header; chdir dup3()s the new folder onto that same host fd number, so the
 * threads' concurrent *at calls see the old or the new folder, never a
 * closed fd.
 */
import * as host from '../../src/host/libc.js';
import { H } from '../../src/host/libc.js';
import { fail } from '../common/errno.js';
import type { FilesContext } from './context.js';
import { HDR, type SharedFdTable } from './fd-table.js';
import { entry } from './fd-ops.js';
import { closeQuietly, errnoOf, fstatHost } from './host-fd.js';
import { isJailPaths } from './jail-resolve.js';
import type { DirFd } from './types.js';

/** What resolvePath hands to host *at calls. */
export interface ResolvedPath {
  /** Host directory fd the path is relative to (or H.AT_FDCWD for absolute host paths). */
  dirHostFd: number;
  /** Host path: absolute, relative to dirHostFd, or '' with `empty`. */
  hostPath: string;
  /** The path is empty and means the directory fd itself (AT_EMPTY_PATH). */
  empty: boolean;
  /** In a root jail: the canonical guest path, for openat2(root, ., RESOLVE_IN_ROOT) as a second guard. */
  inRoot?: string;
  /** In a jail: which of its file systems (root folder or a mount) the path is on (rename/link across them: EXDEV). */
  fs?: string;
}

/** How an operation uses its path: whether it follows a symlink as last component, whether it writes. */
export interface PathUse {
  /** Default true (stat, open, chmod...); false for lstat, unlink, rename, mkdir, symlink, readlink... */
  follow?: boolean;
  /** The operation changes the file system (EROFS in a read-only mount). */
  write?: boolean;
}

/**
 * THE guest path → host mapping. Absolute guest paths are mapped by the
 * PathMap; relative ones stay relative to the dirfd's host fd (or the cwd's).
 * An empty path is ENOENT unless `allowEmpty` (AT_EMPTY_PATH), then it means
 * the directory fd itself.
 */
export function resolvePath(c: FilesContext, dirfd: DirFd, guestPath: string, allowEmpty = false, use: PathUse = {}): ResolvedPath {
  const paths = c.paths;
  if (guestPath.length === 0) {
    if (!allowEmpty) throw fail('ENOENT');
    const fd = dirfd === 'cwd' ? cwdHostFd(c.t) : entry(c.t, dirfd).hostFd;
    if (use.write && isJailPaths(paths) && paths.resolve(guestPathOfHost(c, fd), false).readOnly) throw fail('EROFS');
    return { dirHostFd: fd, hostPath: '', empty: true };
  }
  // the guest's own fds: /proc/self/fd/N and /dev/fd/N are its fd N (the host's magic link of our host fd)
  if ((guestPath.startsWith('/proc/') || guestPath.startsWith('/dev/fd/')) && c.procSelf) {
    const m = /^\/(?:proc\/(?:self|thread-self|(\d+))|dev)\/fd\/(\d+)(\/.*)?$/.exec(guestPath);
    if (m && (m[1] === undefined || Number(m[1]) === c.procSelf.pid)) {
      return { dirHostFd: H.AT_FDCWD, hostPath: `/proc/self/fd/${entry(c.t, Number(m[2])).hostFd}${m[3] ?? ''}`, empty: false };
    }
  }
  // the magic links of a process's own /proc entry: /proc/self/root is the jail's /, /proc/self/cwd the cwd
  if (guestPath.startsWith('/proc/') && c.procSelf) {
    const m = /^\/proc\/(?:self|thread-self|(\d+))\/(root|cwd)(\/.*)?$/.exec(guestPath);
    if (m && (m[1] === undefined || Number(m[1]) === c.procSelf.pid) && (m[3] !== undefined || use.follow !== false)) {
      guestPath = (m[2] === 'root' ? '/' : getcwd(c) + '/') + (m[3] ?? '');
    }
  }
  if (isJailPaths(paths)) {
    let abs = guestPath;
    if (!abs.startsWith('/')) {
      const base = dirfd === 'cwd' ? getcwd(c) : guestPathOfHost(c, entry(c.t, dirfd).hostFd);
      abs = `${base}/${guestPath}`;
    }
    const r = paths.resolve(abs, use.follow ?? true);
    if (use.write && r.readOnly) throw fail('EROFS');
    return { dirHostFd: H.AT_FDCWD, hostPath: r.hostPath, empty: false, inRoot: r.inRoot ? r.guestPath : undefined, fs: r.fs };
  }
  if (guestPath.startsWith('/')) {
    return { dirHostFd: H.AT_FDCWD, hostPath: paths.guestToHost(guestPath), empty: false };
  }
  return { dirHostFd: dirfd === 'cwd' ? cwdHostFd(c.t) : entry(c.t, dirfd).hostFd, hostPath: guestPath, empty: false };
}

/** A host path usable by calls that have no *at form (truncate, statfs). */
export function hostPathFor(r: ResolvedPath): string {
  if (r.dirHostFd === H.AT_FDCWD) return r.hostPath;
  return r.empty ? `/proc/self/fd/${r.dirHostFd}` : `/proc/self/fd/${r.dirHostFd}/${r.hostPath}`;
}

/** The host O_PATH fd of the cwd (shared by the threads of the process). */
export function cwdHostFd(t: SharedFdTable): number {
  const h = Atomics.load(t.header, HDR.CWD);
  if (h < 0) throw fail('EBADF'); // closeAll() ran
  return h;
}

export const openDirFd = (dirHostFd: number, hostPath: string): number =>
  host.openat(dirHostFd, hostPath, H.O_PATH | H.O_DIRECTORY | H.O_CLOEXEC, 0);

/** Makes `h` the cwd: dup3 onto the shared cwd host fd, so other threads never see a closed fd. */
function setCwd(t: SharedFdTable, h: number): void {
  try {
    host.dup3(h, cwdHostFd(t), H.O_CLOEXEC);
  } finally {
    closeQuietly(h);
  }
}

/** The guest's name of what a host fd is open on (from the host's /proc/self/fd). */
export function guestPathOfHost(c: FilesContext, hostFd: number): string {
  const p = host.readlinkat(H.AT_FDCWD, `/proc/self/fd/${hostFd}`);
  return c.paths.hostToGuest(p);
}

/** The guest path of an open description. */
export const guestPathOf = (c: FilesContext, fd: number): string => guestPathOfHost(c, entry(c.t, fd).hostFd);

export function getcwd(c: FilesContext): string {
  let p: string;
  try {
    p = guestPathOfHost(c, cwdHostFd(c.t));
  } catch {
    throw fail('ENOENT');
  }
  if (p.endsWith(' (deleted)') && fstatHost(cwdHostFd(c.t)).nlink === 0) throw fail('ENOENT');
  return p;
}

export function chdir(c: FilesContext, path: string): void {
  const r = resolvePath(c, 'cwd', path, false, { follow: true });
  const h = openDirFd(r.dirHostFd, r.hostPath);
  try {
    host.faccessat2(h, '', 1 /* X_OK */, H.AT_EMPTY_PATH);
  } catch (e) {
    if (errnoOf(e) !== 'ENOSYS' && errnoOf(e) !== 'EINVAL') { closeQuietly(h); throw e; }
  }
  setCwd(c.t, h);
}

export function fchdir(c: FilesContext, fd: number): void {
  const src = entry(c.t, fd);
  if (src.kind !== 'dir') throw fail('ENOTDIR');
  setCwd(c.t, openDirFd(src.hostFd, '.'));
}
