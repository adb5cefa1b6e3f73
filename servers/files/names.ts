/**
 * The names in folders: mkdir, unlink and rmdir, rename, link, symlink and
 * readlink. Every path is resolved for writing (EROFS in a read-only jail
 * mount) and without following a final symlink; rename and link between two
 * file systems of a jail are EXDEV even when the host has them on one.
 */
import * as host from '../../src/host/libc.js';
import { H } from '../../src/host/libc.js';
import { fail } from '../common/errno.js';
import type { FilesContext } from './context.js';
import { readSelfLink } from './kinds/synthetic.js';
import { creationMode, hostUmask } from './open.js';
import { resolvePath } from './resolve.js';
import type { DirFd, RenameFlags } from './types.js';

export function mkdir(c: FilesContext, dirfd: DirFd, path: string, mode: number): void {
  const r = resolvePath(c, dirfd, path, false, { follow: false, write: true });
  const want = creationMode(c, mode);
  host.mkdirat(r.dirHostFd, r.hostPath, want);
  if ((want & hostUmask()) !== 0) {
    // the host umask stripped bits the guest's keeps; keep the setgid bit a parent folder passed on
    const st = host.statx(r.dirHostFd, r.hostPath, H.AT_SYMLINK_NOFOLLOW, 0x2 /* STATX_MODE */);
    host.fchmodat(r.dirHostFd, r.hostPath, want | (st.mode & 0o2000), 0);
  }
}

/** unlinkat: `removeDir` is rmdir. */
export function unlink(c: FilesContext, dirfd: DirFd, path: string, opts: { removeDir?: boolean }): void {
  const r = resolvePath(c, dirfd, path, false, { follow: false, write: true });
  host.unlinkat(r.dirHostFd, r.hostPath, opts.removeDir ? H.AT_REMOVEDIR : 0);
}

export function rename(c: FilesContext, olddirfd: DirFd, oldpath: string, newdirfd: DirFd, newpath: string, flags: RenameFlags): void {
  const a = resolvePath(c, olddirfd, oldpath, false, { follow: false, write: true });
  const b = resolvePath(c, newdirfd, newpath, false, { follow: false, write: true });
  if (a.fs !== b.fs) throw fail('EXDEV'); // two mounts of the jail, even on one host file system
  const f = (flags.noreplace ? 1 : 0) | (flags.exchange ? 2 : 0) | (flags.whiteout ? 4 : 0);
  if (flags.noreplace && flags.exchange) throw fail('EINVAL');
  host.renameat2(a.dirHostFd, a.hostPath, b.dirHostFd, b.hostPath, f);
}

export function link(
  c: FilesContext, olddirfd: DirFd, oldpath: string, newdirfd: DirFd, newpath: string, opts: { follow?: boolean; emptyPath?: boolean },
): void {
  const a = resolvePath(c, olddirfd, oldpath, opts.emptyPath, { follow: !!opts.follow, write: true });
  const b = resolvePath(c, newdirfd, newpath, false, { follow: false, write: true });
  if (a.fs !== b.fs) throw fail('EXDEV');
  const f = (opts.follow ? H.AT_SYMLINK_FOLLOW : 0) | (a.empty ? H.AT_EMPTY_PATH : 0);
  host.linkat(a.dirHostFd, a.hostPath, b.dirHostFd, b.hostPath, f);
}

/** symlink: the target is stored as the guest wrote it. */
export function symlink(c: FilesContext, target: string, dirfd: DirFd, path: string): void {
  const r = resolvePath(c, dirfd, path, false, { follow: false, write: true });
  host.symlinkat(target, r.dirHostFd, r.hostPath);
}

/** readlink: the process's own /proc links answer for the guest (./kinds/synthetic.ts), others are the host's. */
export function readlink(c: FilesContext, dirfd: DirFd, path: string, opts: { emptyPath?: boolean }): string {
  const self = readSelfLink(c, path);
  if (self !== null) return self;
  const r = resolvePath(c, dirfd, path, opts.emptyPath, { follow: false });
  return host.readlinkat(r.dirHostFd, r.hostPath);
}
