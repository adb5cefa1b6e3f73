/**
 * Synthetic /proc and /dev entries: what a guest must see as its own rather
 * than the host Node process's.
 *
 * - files the personality writes (/proc/cpuinfo of the emulated CPU,
 *   /proc/self/maps...): a snapshot of their content in an unnamed host
 *   file (O_TMPFILE), read-only for the guest;
 * - /proc/self/fd and /dev/fd as folders: a host folder of symlinks
 *   "N -> guest path of fd N" for the guest's open fds;
 * - the /proc/self links readlink answers: exe, cwd, fd/N, root.
 *
 * Their entries are host files and folders, so they read, seek, stat and
 * getdents as regular files (./regular.ts) and folders (./directory.ts) do.
 */
import * as host from '../../../src/host/libc.js';
import { H } from '../../../src/host/libc.js';
import { fail } from '../../common/errno.js';
import type { FilesContext } from '../context.js';
import type { EntryFields } from '../fd-table.js';
import { entry, install, openFds } from '../fd-ops.js';
import { procSelfLink } from '../procfs.js';
import { getcwd, guestPathOf } from '../resolve.js';
import type { OpenFlags } from '../types.js';
import { mkdtempSync, symlinkSync } from 'node:fs';

const tmpDir = (): string => process.env.TMPDIR ?? '/tmp';

/** /proc/self/fd, /proc/<own pid>/fd, /proc/thread-self/fd or /dev/fd, with or without a trailing slash. */
function isFdDir(path: string, pid: number): boolean {
  const m = /^\/(?:proc\/(self|thread-self|\d+)\/fd|dev\/fd)\/?$/.exec(path.replace(/\/+/g, '/'));
  return !!m && (m[1] === undefined || m[1] === 'self' || m[1] === 'thread-self' || Number(m[1]) === pid);
}

/** Opens `path` when it is a synthetic entry (returns the guest fd), else undefined. */
export function openSynthetic(c: FilesContext, path: string, flags: OpenFlags): number | undefined {
  if (!path.startsWith('/') || !c.procSelf) return undefined;
  if (isFdDir(path, c.procSelf.pid)) return openFdDir(c, flags);
  const content = c.procSelf.synthetic ? c.procSelf.synthetic(path.replace(/\/+/g, '/')) : null;
  if (!content) return undefined;
  if (flags.access !== 'r' || flags.create || flags.trunc) throw fail('EACCES');
  return install(c.t, () => contentEntry(content, flags));
}

/**
 * /proc/self/fd (and /dev/fd) as a directory: a host folder of symlinks
 * "N -> guest path of fd N" for the guest's open fds (the listing fd
 * itself included, as on Linux), read with getdents like any folder.
 */
function openFdDir(c: FilesContext, flags: OpenFlags): number {
  if (flags.access !== 'r' || flags.create || flags.trunc) throw fail('EISDIR');
  const dir = mkdtempSync(`${tmpDir()}/.compat-fd-`);
  c.fdDirs.push(dir);
  const link = (fd: number, target: string): void => { try { symlinkSync(target, `${dir}/${fd}`); } catch { /* gone meanwhile */ } };
  for (const fd of openFds(c.t)) {
    let target: string;
    try { target = guestPathOf(c, fd); } catch { target = `anon_inode:[${entry(c.t, fd).kind}]`; }
    link(fd, target);
  }
  const fd = install(c.t, () => {
    const h = host.openat(H.AT_FDCWD, dir, H.O_RDONLY | H.O_DIRECTORY | H.O_CLOEXEC, 0);
    return { hostFd: h, kind: 'dir', access: 'r', cloexec: !!flags.cloexec, pathOnly: false, hostShared: false, nonblock: false };
  });
  link(fd, `/proc/${c.procSelf?.pid ?? 0}/fd`);
  return fd;
}

/** A synthetic /proc file: its content in an unnamed host file (O_TMPFILE), read-only for the guest. */
function contentEntry(content: Uint8Array, flags: OpenFlags): EntryFields {
  const tmp = tmpDir();
  let h: number;
  try {
    h = host.openat(H.AT_FDCWD, tmp, H.O_TMPFILE | H.O_RDWR | H.O_CLOEXEC, 0o600);
  } catch {
    const name = `${tmp}/.compat-proc-${process.pid}-${Math.random().toString(36).slice(2)}`;
    h = host.openat(H.AT_FDCWD, name, H.O_CREAT | H.O_EXCL | H.O_RDWR | H.O_CLOEXEC, 0o600);
    host.unlinkat(H.AT_FDCWD, name, 0);
  }
  for (let done = 0; done < content.length;) done += host.pwrite(h, content.subarray(done), BigInt(done));
  return { hostFd: h, kind: 'regular', access: 'r', cloexec: !!flags.cloexec, pathOnly: false, hostShared: false, nonblock: false };
}

/** What readlink says for one of the process's own /proc links, or null when `path` is none of them. */
export function readSelfLink(c: FilesContext, path: string): string | null {
  if (!c.procSelf || !path.startsWith('/')) return null;
  const link = procSelfLink(path, c.procSelf);
  if (link?.kind === 'exe') return c.procSelf.exe;
  if (link?.kind === 'cwd') return getcwd(c);
  if (link?.kind === 'fd') return guestPathOf(c, link.fd);
  if (/^\/proc\/(self|thread-self|\d+)\/root$/.test(path)) return '/';
  return null;
}
