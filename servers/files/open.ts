/**
 * open(2) and friends: neutral open flags to host flags, the guest's umask
 * applied exactly (even where the host's umask would strip more), the
 * openat2(RESOLVE_IN_ROOT) second guard in a root jail, and reading a
 * whole file for the loader. Synthetic /proc entries are opened by
 * ./kinds/synthetic.ts, pipes and eventfds by their kinds.
 */
import * as host from '../../src/host/libc.js';
import { H } from '../../src/host/libc.js';
import { fail } from '../common/errno.js';
import { umaskOf, type FilesContext } from './context.js';
import type { EntryFields } from './fd-table.js';
import { install } from './fd-ops.js';
import { closeQuietly, errnoOf, fstatHost, kindOfHostFd, kindOfMode } from './host-fd.js';
import { isJailPaths } from './jail-resolve.js';
import { openSynthetic } from './kinds/synthetic.js';
import { guestPathOfHost, resolvePath, type ResolvedPath } from './resolve.js';
import type { Access, DirFd, OpenFlags } from './types.js';

let hostUmaskCache: number | undefined;
/** The host process's umask (reading, not setting, it works in workers too). */
export function hostUmask(): number {
  if (hostUmaskCache === undefined) hostUmaskCache = process.umask();
  return hostUmaskCache;
}

/** The mode a file created with `mode` gets: the guest's umask applied. */
export const creationMode = (c: FilesContext, mode: number): number => mode & ~umaskOf(c) & 0o7777;

const accessBits = (a: Access): number => (a === 'r' ? H.O_RDONLY : a === 'w' ? H.O_WRONLY : H.O_RDWR);

/** Neutral open flags → host open flags (always close-on-exec and no controlling tty on the host). */
function hostOpenFlags(f: OpenFlags): number {
  let h = accessBits(f.access) | H.O_CLOEXEC | H.O_NOCTTY;
  if (f.create) h |= H.O_CREAT;
  if (f.excl) h |= H.O_EXCL;
  if (f.trunc) h |= H.O_TRUNC;
  if (f.append) h |= H.O_APPEND;
  if (f.nonblock) h |= H.O_NONBLOCK;
  if (f.directory) h |= H.O_DIRECTORY;
  if (f.nofollow) h |= H.O_NOFOLLOW;
  if (f.path) h |= H.O_PATH;
  if (f.tmpfile) h |= H.O_TMPFILE;
  if (f.sync) h |= H.O_SYNC;
  else if (f.dsync) h |= H.O_DSYNC;
  if (f.direct) h |= H.O_DIRECT;
  if (f.noatime) h |= H.O_NOATIME;
  if (f.async) h |= H.O_ASYNC;
  return h;
}

/** Whether the host kernel has openat2 (null: not tried yet). */
let openat2Works: boolean | null = null;
const jailRootFds = new Map<string, number>();
/** An O_PATH fd of a jail's root folder, opened once per worker. */
function jailRootFd(root: string): number {
  let fd = jailRootFds.get(root);
  if (fd === undefined) {
    fd = host.openat(H.AT_FDCWD, root, H.O_PATH | H.O_DIRECTORY | H.O_CLOEXEC, 0);
    jailRootFds.set(root, fd);
  }
  return fd;
}

/**
 * openat on a resolved path; in a root jail through openat2(RESOLVE_IN_ROOT)
 * from the jail's root, so a symlink swapped in after the walk still cannot lead out.
 */
function openResolved(c: FilesContext, r: ResolvedPath, flags: number, mode: number): number {
  if (r.inRoot !== undefined && isJailPaths(c.paths) && openat2Works !== false) {
    try {
      const h = host.openat2(jailRootFd(c.paths.root), '.' + (r.inRoot === '/' ? '' : r.inRoot), flags, mode, H.RESOLVE_IN_ROOT | H.RESOLVE_NO_MAGICLINKS);
      openat2Works = true;
      return h;
    } catch (e) {
      if (errnoOf(e) !== 'ENOSYS' || openat2Works === true) throw e;
      openat2Works = false; // older kernel: the walk alone decides
    }
  }
  return host.openat(r.dirHostFd, r.hostPath, flags, mode);
}

/** openat(2). `mode` applies with create/tmpfile, after the umask. Returns the guest fd. */
export function open(c: FilesContext, dirfd: DirFd, path: string, flags: OpenFlags, mode: number): number {
  const synthetic = openSynthetic(c, path, flags);
  if (synthetic !== undefined) return synthetic;
  return install(c.t, () => openEntry(c, dirfd, path, flags, mode));
}

function openEntry(c: FilesContext, dirfd: DirFd, path: string, flags: OpenFlags, mode: number): EntryFields {
  const writes = flags.access !== 'r' || !!flags.create || !!flags.trunc || !!flags.tmpfile;
  const r = resolvePath(c, dirfd, path, false, { follow: !flags.nofollow && !(flags.create && flags.excl), write: writes && !flags.path });
  const hflags = hostOpenFlags(flags);
  const creating = !!(flags.create || flags.tmpfile) && !flags.path;
  const want = creationMode(c, mode);
  let h: number;
  let fixMode = false;
  if (creating && (want & hostUmask()) !== 0) {
    // the host umask would strip bits the guest's umask keeps: find out whether
    // we create the file, and then set its mode exactly.
    h = -1;
    if (flags.tmpfile) {
      h = openResolved(c, r, hflags, want);
      fixMode = true;
    } else {
      for (let tries = 0; h < 0; tries++) {
        if (!flags.excl) {
          try {
            h = openResolved(c, r, hflags & ~H.O_CREAT, 0);
            break;
          } catch (e) {
            if (errnoOf(e) !== 'ENOENT' || tries > 8) throw e;
          }
        }
        try {
          h = openResolved(c, r, hflags | H.O_EXCL, want);
          fixMode = true;
        } catch (e) {
          if (errnoOf(e) !== 'EEXIST' || flags.excl || tries > 8) throw e;
        }
      }
    }
  } else {
    h = openResolved(c, r, hflags, want);
  }
  try {
    if (fixMode) host.fchmod(h, want);
    const kind = flags.path ? kindOfMode(host.statx(h, '', H.AT_EMPTY_PATH, 0x1).mode) : kindOfHostFd(h);
    return {
      hostFd: h, kind, access: flags.path ? 'r' : flags.access, cloexec: !!flags.cloexec, pathOnly: !!flags.path,
      hostShared: false, nonblock: !!flags.nonblock,
    };
  } catch (e) {
    host.close(h);
    throw e;
  }
}

/**
 * Reads a whole file by guest path, as the loader does for a program
 * interpreter: resolved like every path (jail, sysroot), opened read-only.
 * Returns the bytes and the guest's name for the file.
 */
export function readFileForExec(c: FilesContext, guestPath: string): { bytes: Uint8Array; hostPath: string } {
  const r = resolvePath(c, 'cwd', guestPath);
  const h = host.openat(r.dirHostFd, r.hostPath, H.O_RDONLY | H.O_CLOEXEC, 0);
  try {
    const st = fstatHost(h);
    if (kindOfMode(st.mode) === 'dir') throw fail('EACCES');
    const size = Number(st.size);
    const bytes = new Uint8Array(size);
    for (let done = 0; done < size;) {
      const n = host.pread(h, bytes.subarray(done), BigInt(done));
      if (n <= 0) return { bytes: bytes.subarray(0, done), hostPath: guestPathOfHost(c, h) };
      done += n;
    }
    return { bytes, hostPath: guestPathOfHost(c, h) };
  } finally {
    closeQuietly(h);
  }
}
