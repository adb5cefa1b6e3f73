/**
 * The files residual server: the fd table of one guest process and every
 * neutral file operation on it. Personalities translate their numbers and
 * structs into the neutral types of ./types.ts and call these methods;
 * failures are ServerErrors with neutral errno names.
 *
 * - the table lives in SharedArrayBuffers (./fd-table.ts): every thread of a
 *   guest process runs in its own worker with its own FilesServer instance,
 *   attached to the same table (`share()` / `attach()`), as CLONE_FILES and
 *   CLONE_FS share the fd table, the cwd and the umask;
 * - one guest fd ↔ one host fd owned by the entry: dup and fork (`forkCopy`)
 *   host-dup() it, so offsets and status flags are shared through the host's
 *   open file descriptions as the kernel shares them;
 * - every guest path goes through `resolvePath` (the one place a jail will
 *   plug in), the cwd is a host O_PATH directory fd;
 * - guest fds 0/1/2 are dups of the host's 0/1/2 (a tty stays a tty), their
 *   O_NONBLOCK is emulated so the host's own stdio is never changed;
 * - operations that can block (pipes, ttys, sockets, eventfds, poll, locks)
 *   wait in host poll() on their fds plus the thread's Interrupter wake fd,
 *   never in a host call a signal cannot end, and fail with EINTR when a
 *   signal is pending (the personality decides about SA_RESTART);
 * - blocking writes are complete (loop on partial writes and on EAGAIN of a
 *   host fd that is non-blocking behind the guest's back), so nothing the
 *   guest prints is lost at exit; a signal ends them with the count so far.
 */
import * as host from '../../src/host/libc.js';
import { H } from '../../src/host/libc.js';
import { fail } from '../common/errno.js';
import { neverInterrupted, type Interrupter } from '../common/interrupt.js';
import { EF, entryFlags, entryHostFd, entryKind, HDR, SharedFdTable, type SharedFilesHandle } from './fd-table.js';
import * as fds from './fd-ops.js';
import { entry, install, ioEntry } from './fd-ops.js';
import { accessOf, closeQuietly, errnoOf, retryEintr, toStat } from './host-fd.js';
import { opsOf, terminalOf } from './kinds/index.js';
import { createPipe } from './kinds/pipe.js';
import { eventfdEntry } from './kinds/eventfd.js';
import { readyNow, waitHost } from './wait.js';
import { OpenFileDescription } from './open-file.js';
import { identityPaths, type PathMap } from './paths.js';
import type { ProcSelf } from './procfs.js';
import type { FilesContext } from './context.js';
import * as paths from './resolve.js';
import { resolvePath, hostPathFor, type PathUse, type ResolvedPath } from './resolve.js';
import { creationMode, hostUmask, open, readFileForExec } from './open.js';
import { readSelfLink } from './kinds/synthetic.js';
import { rmSync } from 'node:fs';

import {
  POLL,
  type DirEntry, type DirFd, type FallocateMode, type FileKind, type Lock, type OpenFlags,
  type PollRequest, type PollResult, type RenameFlags, type Stat, type StatFs, type StatOptions, type StatusFlags,
  type Termios, type TimeSpecArg, type Whence, type Winsize,
} from './types.js';

export type { SharedFilesHandle } from './fd-table.js';

export interface FdEntry {
  readonly ofd: OpenFileDescription;
  cloexec: boolean;
}

export interface FilesServerOptions {
  /** 'host' (default): guest fds 0/1/2 are the host's 0/1/2. 'none': an empty table. */
  stdio?: 'host' | 'none';
  /** Initial guest cwd (default: the host process's cwd, mapped). */
  cwd?: string;
  umask?: number;
  /** RLIMIT_NOFILE soft limit (default 1024). */
  fdLimit?: number;
  /** Entries of the shared table: the highest fdLimit that can take effect (default 4096). */
  capacity?: number;
  paths?: PathMap;
  /** How blocking calls of this thread are interrupted (default: never). */
  interrupter?: Interrupter;
}

/** Per-instance options of `FilesServer.attach` (what cannot travel in a SharedArrayBuffer). */
export interface AttachOptions {
  paths?: PathMap;
  interrupter?: Interrupter;
  procSelf?: ProcSelf | null;
}

export type { PathUse, ResolvedPath } from './resolve.js';

export class FilesServer {
  private readonly c: FilesContext;

  constructor(opts: FilesServerOptions = {}, /** @internal share/attach/forkCopy */ table?: SharedFdTable) {
    const pathMap = opts.paths ?? identityPaths;
    const t = table ?? SharedFdTable.create(Math.max(opts.capacity ?? 4096, 3), opts.fdLimit ?? 1024, opts.umask ?? 0o022);
    this.c = { t, paths: pathMap, interrupter: opts.interrupter ?? neverInterrupted, procSelf: null, fdDirs: [] };
    host.ignoreSigpipe();
    Atomics.add(t.header, HDR.ATTACHED, 1);
    if (table) return;
    const cwdGuest = opts.cwd ?? pathMap.hostToGuest(process.cwd());
    t.header[HDR.CWD] = paths.openDirFd(H.AT_FDCWD, pathMap.guestToHost(cwdGuest));
    if ((opts.stdio ?? 'host') === 'host') fds.installHostStdio(t);
  }

  /** The guest ↔ host path mapping of this process. */
  get paths(): PathMap { return this.c.paths; }

  /** Set by the runtime: what /proc/self/exe and friends mean for this process. */
  get procSelf(): ProcSelf | null { return this.c.procSelf; }
  set procSelf(p: ProcSelf | null) { this.c.procSelf = p; }

  // ---- sharing between threads and processes ----------------------------------

  /** The shared table, to post to another worker of the same guest process (CLONE_FILES | CLONE_FS). */
  share(): SharedFilesHandle {
    return this.c.t.handle;
  }

  /** A FilesServer (for another thread) working on the table `share()` returned. */
  static attach(handle: SharedFilesHandle, opts: AttachOptions = {}): FilesServer {
    const s = new FilesServer({ paths: opts.paths, interrupter: opts.interrupter }, SharedFdTable.attach(handle));
    s.procSelf = opts.procSelf ?? null;
    return s;
  }

  /**
   * fork(): a new table for the child process. Every entry gets its own host
   * dup() (the same open file descriptions: offsets and status flags stay
   * shared), close-on-exec flags are copied; the cwd is copied, the umask too.
   */
  forkCopy(opts: AttachOptions = {}): FilesServer {
    const t = fds.forkTable(this.c.t);
    const child = new FilesServer({ paths: opts.paths ?? this.paths, interrupter: opts.interrupter ?? this.c.interrupter }, t);
    child.procSelf = opts.procSelf !== undefined ? opts.procSelf : this.procSelf;
    return child;
  }

  /** @deprecated fork-style copy: use forkCopy(). */
  clone(): FilesServer {
    return this.forkCopy();
  }

  /** How this thread's blocking calls are interrupted by signals. */
  setInterrupter(i: Interrupter): void {
    this.c.interrupter = i;
  }

  /** execve(): closes every close-on-exec fd. */
  closeOnExec(): void {
    fds.closeOnExec(this.c.t);
  }

  /** Process exit: closes every fd and the cwd (for every thread attached to the table). */
  closeAll(): void {
    for (let fd = 0; fd < this.c.t.capacity; fd++) fds.drop(this.c.t, fd);
    for (const d of this.c.fdDirs.splice(0)) rmSync(d, { recursive: true, force: true });
    const cwd = Atomics.exchange(this.c.t.header, HDR.CWD, -1);
    if (cwd >= 0) closeQuietly(cwd);
  }

  get umask(): number { return Atomics.load(this.c.t.header, HDR.UMASK); }
  set umask(v: number) { Atomics.store(this.c.t.header, HDR.UMASK, v & 0o777); }

  /** RLIMIT_NOFILE (soft); values above the table's capacity act as the capacity. */
  get fdLimit(): number { return Atomics.load(this.c.t.header, HDR.FDLIMIT); }
  set fdLimit(v: number) { Atomics.store(this.c.t.header, HDR.FDLIMIT, Math.max(0, Math.min(v, 0x7fffffff))); }

  // ---- the fd table ----------------------------------------------------------

  /** The description behind a guest fd (EBADF if not open): a snapshot, see OpenFileDescription. */
  get(fd: number): OpenFileDescription {
    return fds.toOfd(entry(this.c.t, fd));
  }

  isOpen(fd: number): boolean {
    return this.c.t.load(fd) > 0n;
  }

  /** Open guest fds, ascending. */
  openFds(): number[] {
    return fds.openFds(this.c.t);
  }

  /** The host fd behind a guest fd (for other servers: poll, mmap of files, sockets...). Valid while the fd is open. */
  hostFd(fd: number): number {
    return entry(this.c.t, fd).hostFd;
  }

  /** A host dup() of the fd's host fd that the caller owns and closes (file mappings, transfers). */
  dupHost(fd: number): number {
    return host.dupCloexec(entry(this.c.t, fd).hostFd, 3);
  }

  /**
   * Installs a host fd (a socket, an eventfd...) as a new guest fd; the table takes ownership.
   * `hostShared`: the host fd's O_NONBLOCK is not the guest's (stdio-like); `nonblock` is the guest's view.
   */
  adoptHostFd(hostFd: number, opts: { cloexec?: boolean; kind?: FileKind; guestPath?: string; hostShared?: boolean; nonblock?: boolean } = {}): number {
    return fds.adoptHostFd(this.c.t, hostFd, opts);
  }

  close(fd: number): void {
    fds.close(this.c.t, fd);
  }

  /** close_range(2): closes (or marks close-on-exec) every open fd in [first, last]. */
  closeRange(first: number, last: number, opts: { cloexec?: boolean } = {}): void {
    fds.closeRange(this.c.t, first, last, opts);
  }

  dup(fd: number): number {
    return fds.dupMin(this.c.t, fd, 0, false);
  }

  /** F_DUPFD / F_DUPFD_CLOEXEC: the lowest free fd >= min. */
  dupMin(fd: number, min: number, cloexec: boolean): number {
    return fds.dupMin(this.c.t, fd, min, cloexec);
  }

  /** dup2(2): newfd == oldfd is allowed (returns it); newfd is closed silently first. */
  dup2(oldfd: number, newfd: number): number {
    return fds.dupTo(this.c.t, oldfd, newfd, false, true);
  }

  /** dup3(2): like dup2, but oldfd == newfd is EINVAL, and the new fd can be close-on-exec. */
  dup3(oldfd: number, newfd: number, cloexec: boolean): number {
    if (oldfd === newfd) throw fail('EINVAL');
    return fds.dupTo(this.c.t, oldfd, newfd, cloexec, false);
  }

  getCloexec(fd: number): boolean {
    return entry(this.c.t, fd).cloexec;
  }

  setCloexec(fd: number, on: boolean): void {
    fds.setCloexec(this.c.t, fd, on);
  }

  // ---- paths -------------------------------------------------------------------

  /**
   * THE guest path → host mapping. Absolute guest paths are mapped by the
   * PathMap; relative ones stay relative to the dirfd's host fd (or the cwd's).
   * An empty path is ENOENT unless `allowEmpty` (AT_EMPTY_PATH), then it means
   * the directory fd itself.
   */
  resolvePath(dirfd: DirFd, guestPath: string, allowEmpty = false, use: PathUse = {}): ResolvedPath {
    return resolvePath(this.c, dirfd, guestPath, allowEmpty, use);
  }

  /** The guest path of an open description (from the host's /proc/self/fd). */
  guestPathOf(fd: number): string {
    return paths.guestPathOf(this.c, fd);
  }

  /**
   * Reads a whole file by guest path, as the loader does for a program
   * interpreter: resolved like every path (jail, sysroot), opened read-only.
   * Returns the bytes and the guest's name for the file.
   */
  readFileForExec(guestPath: string): { bytes: Uint8Array; hostPath: string } {
    return readFileForExec(this.c, guestPath);
  }

  getcwd(): string {
    return paths.getcwd(this.c);
  }

  chdir(path: string): void {
    paths.chdir(this.c, path);
  }

  fchdir(fd: number): void {
    paths.fchdir(this.c, fd);
  }

  // ---- open ----------------------------------------------------------------------

  /** openat(2). `mode` applies with create/tmpfile, after the umask. Returns the guest fd. */
  open(dirfd: DirFd, path: string, flags: OpenFlags, mode = 0): number {
    return open(this.c, dirfd, path, flags, mode);
  }

  /** pipe2(2): [read end, write end], real host pipes. */
  pipe(opts: { cloexec?: boolean; nonblock?: boolean } = {}): [number, number] {
    return createPipe(this.c.t, opts);
  }

  /**
   * eventfd2(2): a host eventfd. Reads and writes move 8-byte counters in HOST
   * byte order (personalities of the other order swap them).
   */
  eventfd(initval: number, opts: { cloexec?: boolean; nonblock?: boolean; semaphore?: boolean } = {}): number {
    return install(this.c.t, () => eventfdEntry(initval, opts));
  }

  // ---- waiting -------------------------------------------------------------------

  /**
   * poll(2) over guest fds: negative fds are skipped, fds that are not open
   * (or O_PATH) report POLL.NVAL. `timeoutNs` 0 polls, null waits forever.
   * Interruptible (EINTR) while no fd is ready.
   */
  poll(reqs: readonly PollRequest[], timeoutNs: bigint | null): PollResult {
    const revents = new Array<number>(reqs.length).fill(0);
    const fds: host.HostPollFd[] = [];
    const index: number[] = [];
    let invalid = 0;
    reqs.forEach((r, k) => {
      if (r.fd < 0) return;
      const v = this.c.t.load(r.fd);
      if (v <= 0n || (entryFlags(v) & EF.PATH) !== 0) { revents[k] = POLL.NVAL; invalid++; return; }
      fds.push(opsOf(entryKind(v)).readiness(entryHostFd(v), r.events & 0xffff));
      index.push(k);
    });
    waitHost(this.c.interrupter, fds, invalid > 0 ? 0n : timeoutNs);
    let count = invalid;
    fds.forEach((p, j) => {
      // the host answers only requested events plus ERR/HUP/NVAL, as Linux does
      revents[index[j]] = p.revents;
      if (p.revents !== 0) count++;
    });
    return { revents, count };
  }

  // ---- I/O -----------------------------------------------------------------------

  read(fd: number, buf: Uint8Array): number {
    const o = ioEntry(this.c.t, fd);
    return opsOf(o.kind).read(this.c.interrupter, o, [buf]);
  }

  readv(fd: number, bufs: readonly Uint8Array[]): number {
    const o = ioEntry(this.c.t, fd);
    return opsOf(o.kind).read(this.c.interrupter, o, bufs);
  }

  pread(fd: number, buf: Uint8Array, offset: bigint): number {
    const o = ioEntry(this.c.t, fd);
    if (offset < 0n) throw fail('EINVAL');
    return retryEintr(() => host.pread(o.hostFd, buf, offset));
  }

  preadv(fd: number, bufs: readonly Uint8Array[], offset: bigint): number {
    const o = ioEntry(this.c.t, fd);
    if (offset < 0n) throw fail('EINVAL');
    return retryEintr(() => host.preadv(o.hostFd, bufs, offset));
  }

  /** write(2). On a blocking fd, the whole buffer is written (partial host writes are resumed). */
  write(fd: number, buf: Uint8Array): number {
    const o = ioEntry(this.c.t, fd);
    return opsOf(o.kind).write(this.c.interrupter, o, [buf], null);
  }

  writev(fd: number, bufs: readonly Uint8Array[]): number {
    const o = ioEntry(this.c.t, fd);
    return opsOf(o.kind).write(this.c.interrupter, o, bufs, null);
  }

  pwrite(fd: number, buf: Uint8Array, offset: bigint): number {
    if (offset < 0n) throw fail('EINVAL');
    const o = ioEntry(this.c.t, fd);
    return opsOf(o.kind).write(this.c.interrupter, o, [buf], offset);
  }

  pwritev(fd: number, bufs: readonly Uint8Array[], offset: bigint): number {
    if (offset < 0n) throw fail('EINVAL');
    const o = ioEntry(this.c.t, fd);
    return opsOf(o.kind).write(this.c.interrupter, o, bufs, offset);
  }

  lseek(fd: number, offset: bigint, whence: Whence): bigint {
    const o = this.get(fd);
    const w = { set: H.SEEK_SET, cur: H.SEEK_CUR, end: H.SEEK_END, data: H.SEEK_DATA, hole: H.SEEK_HOLE }[whence];
    return host.lseek(o.hostFd, offset, w);
  }

  /**
   * getdents: directory entries from the current position, as many as fit in
   * `budget` bytes where one entry takes `sizeOf(nameLength)` bytes in the
   * caller's layout. The position advances past the returned entries only
   * (entries that did not fit are read again next time), so small buffers,
   * readdir loops and telldir/seekdir (lseek with an entry's `off`) work.
   * An empty result means end of directory; EINVAL if not even one entry fits.
   */
  getdents(fd: number, budget: number, sizeOf: (nameLength: number) => number): DirEntry[] {
    const o = entry(this.c.t, fd);
    if (o.pathOnly) throw fail('EBADF');
    const getdents = opsOf(o.kind).getdents;
    if (getdents === undefined) throw fail('ENOTDIR');
    return getdents(o.hostFd, budget, sizeOf);
  }

  // ---- metadata -------------------------------------------------------------------

  fstat(fd: number): Stat {
    const o = entry(this.c.t, fd);
    return opsOf(o.kind).stat(o.hostFd);
  }

  /** fstatat / statx. */
  stat(dirfd: DirFd, path: string, opts: StatOptions = {}): Stat {
    const r = resolvePath(this.c, dirfd, path, opts.emptyPath, { follow: !opts.nofollow });
    let flags = r.empty ? H.AT_EMPTY_PATH : 0;
    if (opts.nofollow) flags |= H.AT_SYMLINK_NOFOLLOW;
    if (opts.noAutomount) flags |= H.AT_NO_AUTOMOUNT;
    if (opts.sync === 'force') flags |= H.AT_STATX_FORCE_SYNC;
    if (opts.sync === 'dont') flags |= H.AT_STATX_DONT_SYNC;
    return toStat(host.statx(r.dirHostFd, r.hostPath, flags, opts.mask ?? (H.STATX_BASIC_STATS | H.STATX_BTIME)));
  }

  readlink(dirfd: DirFd, path: string, opts: { emptyPath?: boolean } = {}): string {
    const self = readSelfLink(this.c, path);
    if (self !== null) return self;
    const r = resolvePath(this.c, dirfd, path, opts.emptyPath, { follow: false });
    return host.readlinkat(r.dirHostFd, r.hostPath);
  }

  /** faccessat2: mode is R=4 | W=2 | X=1 (0 = existence). */
  access(dirfd: DirFd, path: string, mode: number, opts: { eaccess?: boolean; nofollow?: boolean; emptyPath?: boolean } = {}): void {
    const r = resolvePath(this.c, dirfd, path, opts.emptyPath, { follow: !opts.nofollow, write: (mode & 2) !== 0 });
    let flags = r.empty ? H.AT_EMPTY_PATH : 0;
    if (opts.eaccess) flags |= H.AT_EACCESS;
    if (opts.nofollow) flags |= H.AT_SYMLINK_NOFOLLOW;
    host.faccessat2(r.dirHostFd, r.hostPath, mode, flags);
  }

  mkdir(dirfd: DirFd, path: string, mode: number): void {
    const r = resolvePath(this.c, dirfd, path, false, { follow: false, write: true });
    const want = creationMode(this.c, mode);
    host.mkdirat(r.dirHostFd, r.hostPath, want);
    if ((want & hostUmask()) !== 0) {
      const st = host.statx(r.dirHostFd, r.hostPath, H.AT_SYMLINK_NOFOLLOW, 0x2 /* STATX_MODE */);
      host.fchmodat(r.dirHostFd, r.hostPath, want | (st.mode & 0o2000), 0);
    }
  }

  /** unlinkat: `removeDir` is rmdir. */
  unlink(dirfd: DirFd, path: string, opts: { removeDir?: boolean } = {}): void {
    const r = resolvePath(this.c, dirfd, path, false, { follow: false, write: true });
    host.unlinkat(r.dirHostFd, r.hostPath, opts.removeDir ? H.AT_REMOVEDIR : 0);
  }

  rename(olddirfd: DirFd, oldpath: string, newdirfd: DirFd, newpath: string, flags: RenameFlags = {}): void {
    const a = resolvePath(this.c, olddirfd, oldpath, false, { follow: false, write: true });
    const b = resolvePath(this.c, newdirfd, newpath, false, { follow: false, write: true });
    if (a.fs !== b.fs) throw fail('EXDEV'); // two mounts of the jail, even on one host file system
    const f = (flags.noreplace ? 1 : 0) | (flags.exchange ? 2 : 0) | (flags.whiteout ? 4 : 0);
    if (flags.noreplace && flags.exchange) throw fail('EINVAL');
    host.renameat2(a.dirHostFd, a.hostPath, b.dirHostFd, b.hostPath, f);
  }

  link(olddirfd: DirFd, oldpath: string, newdirfd: DirFd, newpath: string, opts: { follow?: boolean; emptyPath?: boolean } = {}): void {
    const a = resolvePath(this.c, olddirfd, oldpath, opts.emptyPath, { follow: !!opts.follow, write: true });
    const b = resolvePath(this.c, newdirfd, newpath, false, { follow: false, write: true });
    if (a.fs !== b.fs) throw fail('EXDEV');
    const f = (opts.follow ? H.AT_SYMLINK_FOLLOW : 0) | (a.empty ? H.AT_EMPTY_PATH : 0);
    host.linkat(a.dirHostFd, a.hostPath, b.dirHostFd, b.hostPath, f);
  }

  /** symlink: the target is stored as the guest wrote it. */
  symlink(target: string, dirfd: DirFd, path: string): void {
    const r = resolvePath(this.c, dirfd, path, false, { follow: false, write: true });
    host.symlinkat(target, r.dirHostFd, r.hostPath);
  }

  truncate(dirfd: DirFd, path: string, length: bigint): void {
    if (length < 0n) throw fail('EINVAL');
    host.truncate(hostPathFor(resolvePath(this.c, dirfd, path, false, { write: true })), length);
  }

  ftruncate(fd: number, length: bigint): void {
    const o = ioEntry(this.c.t, fd);
    if (length < 0n) throw fail('EINVAL');
    if (o.kind !== 'regular') throw fail(o.kind === 'dir' ? 'EISDIR' : 'EINVAL');
    host.ftruncate(o.hostFd, length);
  }

  fallocate(fd: number, mode: FallocateMode, offset: bigint, length: bigint): void {
    const o = ioEntry(this.c.t, fd);
    const m = (mode.keepSize ? 1 : 0) | (mode.punchHole ? 2 : 0) | (mode.collapseRange ? 8 : 0) |
      (mode.zeroRange ? 0x10 : 0) | (mode.insertRange ? 0x20 : 0);
    host.fallocate(o.hostFd, m, offset, length);
  }

  fsync(fd: number): void { host.fsync(this.get(fd).hostFd); }
  fdatasync(fd: number): void { host.fdatasync(this.get(fd).hostFd); }
  sync(): void { host.sync(); }
  syncfs(fd: number): void { host.syncfs(this.get(fd).hostFd); }

  chmod(dirfd: DirFd, path: string, mode: number): void {
    const r = resolvePath(this.c, dirfd, path, false, { write: true });
    host.fchmodat(r.dirHostFd, r.hostPath, mode & 0o7777, 0);
  }

  fchmod(fd: number, mode: number): void {
    const o = this.get(fd);
    if (o.pathOnly) throw fail('EBADF');
    host.fchmod(o.hostFd, mode & 0o7777);
  }

  /** uid/gid -1 (0xffffffff) leave that id unchanged. */
  chown(dirfd: DirFd, path: string, uid: number, gid: number, opts: { nofollow?: boolean; emptyPath?: boolean } = {}): void {
    const r = resolvePath(this.c, dirfd, path, opts.emptyPath, { follow: !opts.nofollow, write: true });
    const f = (opts.nofollow ? H.AT_SYMLINK_NOFOLLOW : 0) | (r.empty ? H.AT_EMPTY_PATH : 0);
    host.fchownat(r.dirHostFd, r.hostPath, uid, gid, f);
  }

  fchown(fd: number, uid: number, gid: number): void {
    const o = this.get(fd);
    if (o.pathOnly) throw fail('EBADF');
    host.fchown(o.hostFd, uid, gid);
  }

  /**
   * utimensat: `path` null means the fd itself (futimens); `times` null means
   * both now.
   */
  utimens(dirfd: DirFd, path: string | null, times: [TimeSpecArg, TimeSpecArg] | null, opts: { nofollow?: boolean; emptyPath?: boolean } = {}): void {
    const ht = times && times.map((t): host.HostTimespec =>
      t === 'now' ? { sec: 0n, nsec: H.UTIME_NOW } : t === 'omit' ? { sec: 0n, nsec: H.UTIME_OMIT } : t) as [host.HostTimespec, host.HostTimespec];
    if (path === null) {
      if (dirfd === 'cwd') throw fail('EFAULT');
      host.utimensat(this.get(dirfd).hostFd, null, ht, 0);
      return;
    }
    const r = resolvePath(this.c, dirfd, path, opts.emptyPath, { follow: !opts.nofollow, write: true });
    const f = (opts.nofollow ? H.AT_SYMLINK_NOFOLLOW : 0) | (r.empty ? H.AT_EMPTY_PATH : 0);
    host.utimensat(r.dirHostFd, r.hostPath, ht, f);
  }

  statfs(dirfd: DirFd, path: string): StatFs {
    return host.statfs(hostPathFor(resolvePath(this.c, dirfd, path)));
  }

  fstatfs(fd: number): StatFs {
    return host.fstatfs(this.get(fd).hostFd);
  }

  // ---- fcntl ----------------------------------------------------------------------

  getStatusFlags(fd: number): StatusFlags {
    const o = this.get(fd);
    const h = host.fcntl(o.hostFd, H.F_GETFL);
    return {
      access: o.pathOnly ? 'r' : accessOf(h),
      append: (h & H.O_APPEND) !== 0,
      nonblock: o.hostShared ? o.nonblock : (h & H.O_NONBLOCK) !== 0,
      sync: (h & H.O_SYNC) === H.O_SYNC,
      dsync: (h & H.O_DSYNC) !== 0,
      direct: (h & H.O_DIRECT) !== 0,
      noatime: (h & H.O_NOATIME) !== 0,
      async: (h & H.O_ASYNC) !== 0,
      path: o.pathOnly,
      directory: o.kind === 'dir' && (h & H.O_DIRECTORY) !== 0,
    };
  }

  /** F_SETFL: only append, nonblock, async, direct and noatime change (as on Linux). */
  setStatusFlags(fd: number, f: { append?: boolean; nonblock?: boolean; async?: boolean; direct?: boolean; noatime?: boolean }): void {
    const o = this.get(fd);
    if (o.pathOnly) throw fail('EBADF');
    const cur = host.fcntl(o.hostFd, H.F_GETFL);
    const changeable = H.O_APPEND | H.O_NONBLOCK | H.O_ASYNC | H.O_DIRECT | H.O_NOATIME;
    let next = cur & ~changeable;
    if (f.append) next |= H.O_APPEND;
    if (f.async) next |= H.O_ASYNC;
    if (f.direct) next |= H.O_DIRECT;
    if (f.noatime) next |= H.O_NOATIME;
    if (o.hostShared) next |= cur & H.O_NONBLOCK; // shared with the host: emulate O_NONBLOCK
    else if (f.nonblock) next |= H.O_NONBLOCK;
    if (next !== cur) host.fcntl(o.hostFd, H.F_SETFL, next & ~(H.O_ACCMODE | H.O_CREAT | H.O_EXCL | H.O_NOCTTY | H.O_TRUNC | H.O_CLOEXEC));
    if (o.hostShared) this.c.t.updateFlags(fd, (fl) => (f.nonblock ? fl | EF.NONBLOCK : fl & ~EF.NONBLOCK));
  }

  /**
   * Record locks. Guest processes all live in one host process, so the host's
   * per-process POSIX locks could never conflict between them: open file
   * description locks (F_OFD_*) are used instead.
   */
  getLock(fd: number, lock: Lock): Lock {
    const o = this.get(fd);
    const r = host.fcntlLock(o.hostFd, H.F_OFD_GETLK, this.hostLock(lock));
    return { type: r.type === H.F_UNLCK ? 'unlock' : r.type === H.F_WRLCK ? 'write' : 'read', whence: 'set', start: r.start, len: r.len, pid: r.pid };
  }

  /** F_SETLK / F_SETLKW: a waiting lock stays interruptible (EINTR). */
  setLock(fd: number, lock: Lock, wait: boolean): void {
    const o = this.get(fd);
    if (lock.type === 'read' && o.access === 'w') throw fail('EBADF');
    if (lock.type === 'write' && o.access === 'r') throw fail('EBADF');
    const attempt = (): void => { host.fcntlLock(o.hostFd, H.F_OFD_SETLK, this.hostLock(lock)); };
    if (wait) this.lockWait(attempt);
    else attempt();
  }

  /** flock(2): 'shared' / 'exclusive' / 'unlock'; a waiting lock stays interruptible (EINTR). */
  flock(fd: number, op: 'shared' | 'exclusive' | 'unlock', nonblock: boolean): void {
    const o = this.get(fd);
    if (o.pathOnly) throw fail('EBADF');
    const hop = op === 'shared' ? host.LOCK_SH : op === 'exclusive' ? host.LOCK_EX : host.LOCK_UN;
    const attempt = (): void => { host.flock(o.hostFd, hop | host.LOCK_NB); };
    if (nonblock || op === 'unlock') attempt();
    else this.lockWait(attempt);
  }

  /**
   * Retries a non-blocking lock attempt until it succeeds. Lock release has no
   * fd to poll, so this sleeps between attempts (1 ms doubling to 50 ms) in
   * Atomics.wait on the interrupter's wake cell: no spinning, and a signal
   * ends the wait at once with EINTR.
   */
  private lockWait(attempt: () => void): void {
    const i = this.c.interrupter;
    let delay = 1;
    for (;;) {
      try {
        attempt();
        return;
      } catch (e) {
        const en = errnoOf(e);
        if (en !== 'EAGAIN' && en !== 'EACCES' && en !== 'EINTR') throw e;
      }
      const seen = Atomics.load(i.wakeCell.array, i.wakeCell.index);
      if ((i.wakeFd < 0 || readyNow(i.wakeFd, host.POLLIN)) && i.pending()) throw fail('EINTR');
      Atomics.wait(i.wakeCell.array, i.wakeCell.index, seen, delay);
      delay = Math.min(delay * 2, 50);
    }
  }

  private hostLock(l: Lock): host.HostFlock {
    return {
      type: l.type === 'read' ? H.F_RDLCK : l.type === 'write' ? H.F_WRLCK : H.F_UNLCK,
      whence: l.whence === 'set' ? H.SEEK_SET : l.whence === 'cur' ? H.SEEK_CUR : H.SEEK_END,
      start: l.start, len: l.len, pid: 0,
    };
  }

  // ---- terminals and other ioctls ---------------------------------------------------

  isatty(fd: number): boolean {
    return opsOf(entry(this.c.t, fd).kind).terminal !== undefined;
  }

  tcgetattr(fd: number): Termios {
    const o = entry(this.c.t, fd);
    return terminalOf(o.kind).getattr(o.hostFd);
  }

  /** TCSETS (now) / TCSETSW (drain) / TCSETSF (flush input, then set). */
  tcsetattr(fd: number, when: 'now' | 'drain' | 'flush', t: Termios): void {
    const o = entry(this.c.t, fd);
    terminalOf(o.kind).setattr(o.hostFd, when, t);
  }

  getWinsize(fd: number): Winsize {
    const o = entry(this.c.t, fd);
    return terminalOf(o.kind).getWinsize(o.hostFd);
  }

  setWinsize(fd: number, w: Winsize): void {
    const o = entry(this.c.t, fd);
    terminalOf(o.kind).setWinsize(o.hostFd, w);
  }

  /** TIOCGPGRP: the host's foreground process group of the terminal (host ids). */
  getForegroundPgrp(fd: number): number {
    const o = entry(this.c.t, fd);
    return terminalOf(o.kind).getForegroundPgrp(o.hostFd);
  }

  setForegroundPgrp(fd: number, pgrp: number): void {
    const o = entry(this.c.t, fd);
    terminalOf(o.kind).setForegroundPgrp(o.hostFd, pgrp);
  }

  /** FIONREAD: bytes ready to read (pipes, ttys, sockets, regular files). */
  bytesReadable(fd: number): number {
    const o = ioEntry(this.c.t, fd);
    return opsOf(o.kind).bytesReadable(o.hostFd);
  }

  /** FIONBIO. */
  setNonblocking(fd: number, on: boolean): void {
    const f = this.getStatusFlags(fd);
    this.setStatusFlags(fd, { ...f, nonblock: on });
  }
}

/** Makes the FilesServer of a new guest process (bound in the DI container). */
export type FilesServerFactory = (mem?: import('../../src/memory/address-space.js').AddressSpace) => FilesServer;

export function createFilesServerFactory(defaults: FilesServerOptions = {}): FilesServerFactory {
  return () => new FilesServer(defaults);
}
