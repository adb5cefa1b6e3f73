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
import { EF, entryFlags, entryHostFd, entryKind, HDR, SharedFdTable, type EntryFields, type SharedFilesHandle } from './fd-table.js';
import * as fds from './fd-ops.js';
import { entry, install, ioEntry } from './fd-ops.js';
import { accessOf, closeQuietly, errnoOf, fstatHost, kindOfHostFd, kindOfMode, retryEintr, toStat } from './host-fd.js';
import { opsOf, terminalOf } from './kinds/index.js';
import { createPipe } from './kinds/pipe.js';
import { eventfdEntry } from './kinds/eventfd.js';
import { readyNow, waitHost } from './wait.js';
import { OpenFileDescription } from './open-file.js';
import { isJailPaths } from './jail-resolve.js';
import { identityPaths, type PathMap } from './paths.js';
import { procSelfLink, type ProcSelf } from './procfs.js';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';

/** /proc/self/fd, /proc/<own pid>/fd, /proc/thread-self/fd or /dev/fd, with or without a trailing slash. */
function isFdDir(path: string, pid: number): boolean {
  const m = /^\/(?:proc\/(self|thread-self|\d+)\/fd|dev\/fd)\/?$/.exec(path.replace(/\/+/g, '/'));
  return !!m && (m[1] === undefined || m[1] === 'self' || m[1] === 'thread-self' || Number(m[1]) === pid);
}
import {
  POLL,
  type Access, type DirEntry, type DirFd, type FallocateMode, type FileKind, type Lock, type OpenFlags,
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

let hostUmaskCache: number | undefined;
function hostUmask(): number {
  if (hostUmaskCache === undefined) {
    // reading (not setting) the umask works in workers too
    hostUmaskCache = process.umask();
  }
  return hostUmaskCache;
}

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

export class FilesServer {
  private readonly t: SharedFdTable;
  readonly paths: PathMap;
  private interrupter: Interrupter;
  /** Set by the runtime: what /proc/self/exe and friends mean for this process. */
  procSelf: ProcSelf | null = null;

  constructor(opts: FilesServerOptions = {}, /** @internal share/attach/forkCopy */ table?: SharedFdTable) {
    this.paths = opts.paths ?? identityPaths;
    this.interrupter = opts.interrupter ?? neverInterrupted;
    host.ignoreSigpipe();
    if (table) {
      this.t = table;
      Atomics.add(table.header, HDR.ATTACHED, 1);
      return;
    }
    const fdLimit = opts.fdLimit ?? 1024;
    this.t = SharedFdTable.create(Math.max(opts.capacity ?? 4096, 3), fdLimit, opts.umask ?? 0o022);
    Atomics.add(this.t.header, HDR.ATTACHED, 1);
    const cwdGuest = opts.cwd ?? this.paths.hostToGuest(process.cwd());
    this.t.header[HDR.CWD] = this.openDirFd(H.AT_FDCWD, this.paths.guestToHost(cwdGuest));
    if ((opts.stdio ?? 'host') === 'host') fds.installHostStdio(this.t);
  }

  // ---- sharing between threads and processes ----------------------------------

  /** The shared table, to post to another worker of the same guest process (CLONE_FILES | CLONE_FS). */
  share(): SharedFilesHandle {
    return this.t.handle;
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
    const t = fds.forkTable(this.t);
    const child = new FilesServer({ paths: opts.paths ?? this.paths, interrupter: opts.interrupter ?? this.interrupter }, t);
    child.procSelf = opts.procSelf !== undefined ? opts.procSelf : this.procSelf;
    return child;
  }

  /** @deprecated fork-style copy: use forkCopy(). */
  clone(): FilesServer {
    return this.forkCopy();
  }

  /** How this thread's blocking calls are interrupted by signals. */
  setInterrupter(i: Interrupter): void {
    this.interrupter = i;
  }

  /** execve(): closes every close-on-exec fd. */
  closeOnExec(): void {
    fds.closeOnExec(this.t);
  }

  /** Process exit: closes every fd and the cwd (for every thread attached to the table). */
  closeAll(): void {
    for (let fd = 0; fd < this.t.capacity; fd++) fds.drop(this.t, fd);
    for (const d of this.fdDirs.splice(0)) rmSync(d, { recursive: true, force: true });
    const cwd = Atomics.exchange(this.t.header, HDR.CWD, -1);
    if (cwd >= 0) closeQuietly(cwd);
  }

  get umask(): number { return Atomics.load(this.t.header, HDR.UMASK); }
  set umask(v: number) { Atomics.store(this.t.header, HDR.UMASK, v & 0o777); }

  /** RLIMIT_NOFILE (soft); values above the table's capacity act as the capacity. */
  get fdLimit(): number { return Atomics.load(this.t.header, HDR.FDLIMIT); }
  set fdLimit(v: number) { Atomics.store(this.t.header, HDR.FDLIMIT, Math.max(0, Math.min(v, 0x7fffffff))); }

  // ---- the fd table ----------------------------------------------------------

  /** The description behind a guest fd (EBADF if not open): a snapshot, see OpenFileDescription. */
  get(fd: number): OpenFileDescription {
    return fds.toOfd(entry(this.t, fd));
  }

  isOpen(fd: number): boolean {
    return this.t.load(fd) > 0n;
  }

  /** Open guest fds, ascending. */
  openFds(): number[] {
    return fds.openFds(this.t);
  }

  /** The host fd behind a guest fd (for other servers: poll, mmap of files, sockets...). Valid while the fd is open. */
  hostFd(fd: number): number {
    return entry(this.t, fd).hostFd;
  }

  /** A host dup() of the fd's host fd that the caller owns and closes (file mappings, transfers). */
  dupHost(fd: number): number {
    return host.dupCloexec(entry(this.t, fd).hostFd, 3);
  }

  /**
   * Installs a host fd (a socket, an eventfd...) as a new guest fd; the table takes ownership.
   * `hostShared`: the host fd's O_NONBLOCK is not the guest's (stdio-like); `nonblock` is the guest's view.
   */
  adoptHostFd(hostFd: number, opts: { cloexec?: boolean; kind?: FileKind; guestPath?: string; hostShared?: boolean; nonblock?: boolean } = {}): number {
    return fds.adoptHostFd(this.t, hostFd, opts);
  }

  close(fd: number): void {
    fds.close(this.t, fd);
  }

  /** close_range(2): closes (or marks close-on-exec) every open fd in [first, last]. */
  closeRange(first: number, last: number, opts: { cloexec?: boolean } = {}): void {
    fds.closeRange(this.t, first, last, opts);
  }

  dup(fd: number): number {
    return fds.dupMin(this.t, fd, 0, false);
  }

  /** F_DUPFD / F_DUPFD_CLOEXEC: the lowest free fd >= min. */
  dupMin(fd: number, min: number, cloexec: boolean): number {
    return fds.dupMin(this.t, fd, min, cloexec);
  }

  /** dup2(2): newfd == oldfd is allowed (returns it); newfd is closed silently first. */
  dup2(oldfd: number, newfd: number): number {
    return fds.dupTo(this.t, oldfd, newfd, false, true);
  }

  /** dup3(2): like dup2, but oldfd == newfd is EINVAL, and the new fd can be close-on-exec. */
  dup3(oldfd: number, newfd: number, cloexec: boolean): number {
    if (oldfd === newfd) throw fail('EINVAL');
    return fds.dupTo(this.t, oldfd, newfd, cloexec, false);
  }

  getCloexec(fd: number): boolean {
    return entry(this.t, fd).cloexec;
  }

  setCloexec(fd: number, on: boolean): void {
    fds.setCloexec(this.t, fd, on);
  }

    // ---- paths -------------------------------------------------------------------

  /**
   * THE guest path → host mapping. Absolute guest paths are mapped by the
   * PathMap; relative ones stay relative to the dirfd's host fd (or the cwd's).
   * An empty path is ENOENT unless `allowEmpty` (AT_EMPTY_PATH), then it means
   * the directory fd itself.
   */
  resolvePath(dirfd: DirFd, guestPath: string, allowEmpty = false, use: PathUse = {}): ResolvedPath {
    const paths = this.paths;
    if (guestPath.length === 0) {
      if (!allowEmpty) throw fail('ENOENT');
      const fd = dirfd === 'cwd' ? this.cwdHostFd : entry(this.t, dirfd).hostFd;
      if (use.write && isJailPaths(paths) && paths.resolve(this.guestPathOfHost(fd), false).readOnly) throw fail('EROFS');
      return { dirHostFd: fd, hostPath: '', empty: true };
    }
    // the guest's own fds: /proc/self/fd/N and /dev/fd/N are its fd N (the host's magic link of our host fd)
    if ((guestPath.startsWith('/proc/') || guestPath.startsWith('/dev/fd/')) && this.procSelf) {
      const m = /^\/(?:proc\/(?:self|thread-self|(\d+))|dev)\/fd\/(\d+)(\/.*)?$/.exec(guestPath);
      if (m && (m[1] === undefined || Number(m[1]) === this.procSelf.pid)) {
        return { dirHostFd: H.AT_FDCWD, hostPath: `/proc/self/fd/${entry(this.t, Number(m[2])).hostFd}${m[3] ?? ''}`, empty: false };
      }
    }
    // the magic links of a process's own /proc entry: /proc/self/root is the jail's /, /proc/self/cwd the cwd
    if (guestPath.startsWith('/proc/') && this.procSelf) {
      const m = /^\/proc\/(?:self|thread-self|(\d+))\/(root|cwd)(\/.*)?$/.exec(guestPath);
      if (m && (m[1] === undefined || Number(m[1]) === this.procSelf.pid) && (m[3] !== undefined || use.follow !== false)) {
        guestPath = (m[2] === 'root' ? '/' : this.getcwd() + '/') + (m[3] ?? '');
      }
    }
    if (isJailPaths(paths)) {
      let abs = guestPath;
      if (!abs.startsWith('/')) {
        const base = dirfd === 'cwd' ? this.getcwd() : this.guestPathOfHost(entry(this.t, dirfd).hostFd);
        abs = `${base}/${guestPath}`;
      }
      const r = paths.resolve(abs, use.follow ?? true);
      if (use.write && r.readOnly) throw fail('EROFS');
      return { dirHostFd: H.AT_FDCWD, hostPath: r.hostPath, empty: false, inRoot: r.inRoot ? r.guestPath : undefined, fs: r.fs };
    }
    if (guestPath.startsWith('/')) {
      return { dirHostFd: H.AT_FDCWD, hostPath: paths.guestToHost(guestPath), empty: false };
    }
    return { dirHostFd: dirfd === 'cwd' ? this.cwdHostFd : entry(this.t, dirfd).hostFd, hostPath: guestPath, empty: false };
  }

  /**
   * openat on a resolved path; in a root jail through openat2(RESOLVE_IN_ROOT)
   * from the jail's root, so a symlink swapped in after the walk still cannot lead out.
   */
  private openResolved(r: ResolvedPath, flags: number, mode: number): number {
    if (r.inRoot !== undefined && isJailPaths(this.paths) && openat2Works !== false) {
      try {
        const h = host.openat2(jailRootFd(this.paths.root), '.' + (r.inRoot === '/' ? '' : r.inRoot), flags, mode, H.RESOLVE_IN_ROOT | H.RESOLVE_NO_MAGICLINKS);
        openat2Works = true;
        return h;
      } catch (e) {
        if (errnoOf(e) !== 'ENOSYS' || openat2Works === true) throw e;
        openat2Works = false; // older kernel: the walk alone decides
      }
    }
    return host.openat(r.dirHostFd, r.hostPath, flags, mode);
  }

  /** A host path usable by calls that have no *at form (truncate, statfs). */
  private hostPathFor(r: ResolvedPath): string {
    if (r.dirHostFd === H.AT_FDCWD) return r.hostPath;
    return r.empty ? `/proc/self/fd/${r.dirHostFd}` : `/proc/self/fd/${r.dirHostFd}/${r.hostPath}`;
  }

  /** The host O_PATH fd of the cwd (shared by the threads of the process). */
  private get cwdHostFd(): number {
    const h = Atomics.load(this.t.header, HDR.CWD);
    if (h < 0) throw fail('EBADF'); // closeAll() ran
    return h;
  }

  private openDirFd(dirHostFd: number, hostPath: string): number {
    return host.openat(dirHostFd, hostPath, H.O_PATH | H.O_DIRECTORY | H.O_CLOEXEC, 0);
  }

  /** Makes `h` the cwd: dup3 onto the shared cwd host fd, so other threads never see a closed fd. */
  private setCwd(h: number): void {
    try {
      host.dup3(h, this.cwdHostFd, H.O_CLOEXEC);
    } finally {
      closeQuietly(h);
    }
  }

  /** The guest path of an open description (from the host's /proc/self/fd). */
  guestPathOf(fd: number): string {
    return this.guestPathOfHost(this.get(fd).hostFd);
  }

  /**
   * Reads a whole file by guest path, as the loader does for a program
   * interpreter: resolved like every path (jail, sysroot), opened read-only.
   * Returns the bytes and the guest's name for the file.
   */
  readFileForExec(guestPath: string): { bytes: Uint8Array; hostPath: string } {
    const r = this.resolvePath('cwd', guestPath);
    const h = host.openat(r.dirHostFd, r.hostPath, H.O_RDONLY | H.O_CLOEXEC, 0);
    try {
      const st = fstatHost(h);
      if (kindOfMode(st.mode) === 'dir') throw fail('EACCES');
      const size = Number(st.size);
      const bytes = new Uint8Array(size);
      for (let done = 0; done < size;) {
        const n = host.pread(h, bytes.subarray(done), BigInt(done));
        if (n <= 0) return { bytes: bytes.subarray(0, done), hostPath: this.guestPathOfHost(h) };
        done += n;
      }
      return { bytes, hostPath: this.guestPathOfHost(h) };
    } finally {
      closeQuietly(h);
    }
  }

  private guestPathOfHost(hostFd: number): string {
    const p = host.readlinkat(H.AT_FDCWD, `/proc/self/fd/${hostFd}`);
    return this.paths.hostToGuest(p);
  }

  getcwd(): string {
    let p: string;
    try {
      p = this.guestPathOfHost(this.cwdHostFd);
    } catch {
      throw fail('ENOENT');
    }
    if (p.endsWith(' (deleted)') && fstatHost(this.cwdHostFd).nlink === 0) throw fail('ENOENT');
    return p;
  }

  chdir(path: string): void {
    const r = this.resolvePath('cwd', path, false, { follow: true });
    const h = this.openDirFd(r.dirHostFd, r.hostPath);
    try {
      host.faccessat2(h, '', 1 /* X_OK */, H.AT_EMPTY_PATH);
    } catch (e) {
      if (errnoOf(e) !== 'ENOSYS' && errnoOf(e) !== 'EINVAL') { closeQuietly(h); throw e; }
    }
    this.setCwd(h);
  }

  fchdir(fd: number): void {
    const src = entry(this.t, fd);
    if (src.kind !== 'dir') throw fail('ENOTDIR');
    this.setCwd(this.openDirFd(src.hostFd, '.'));
  }

  // ---- open ----------------------------------------------------------------------

  /** openat(2). `mode` applies with create/tmpfile, after the umask. Returns the guest fd. */
  open(dirfd: DirFd, path: string, flags: OpenFlags, mode = 0): number {
    if (path.startsWith('/') && this.procSelf && isFdDir(path, this.procSelf.pid)) return this.openFdDir(flags);
    const content = path.startsWith('/') && this.procSelf?.synthetic ? this.procSelf.synthetic(path.replace(/\/+/g, '/')) : null;
    if (content) {
      if (flags.access !== 'r' || flags.create || flags.trunc) throw fail('EACCES');
      return install(this.t, () => this.syntheticEntry(content, flags));
    }
    return install(this.t, () => this.openEntry(dirfd, path, flags, mode));
  }

  /** Host folders standing for /proc/self/fd listings, removed when the process's files close. */
  private readonly fdDirs: string[] = [];

  /**
   * /proc/self/fd (and /dev/fd) as a directory: a host folder of symlinks
   * "N -> guest path of fd N" for the guest's open fds (the listing fd
   * itself included, as on Linux), read with getdents like any folder.
   */
  private openFdDir(flags: OpenFlags): number {
    if (flags.access !== 'r' || flags.create || flags.trunc) throw fail('EISDIR');
    const dir = mkdtempSync(`${process.env.TMPDIR ?? '/tmp'}/.compat-fd-`);
    this.fdDirs.push(dir);
    const link = (fd: number, target: string): void => { try { symlinkSync(target, `${dir}/${fd}`); } catch { /* gone meanwhile */ } };
    for (const fd of this.openFds()) {
      let target: string;
      try { target = this.guestPathOf(fd); } catch { target = `anon_inode:[${this.get(fd).kind}]`; }
      link(fd, target);
    }
    const fd = install(this.t, () => {
      const h = host.openat(H.AT_FDCWD, dir, H.O_RDONLY | H.O_DIRECTORY | H.O_CLOEXEC, 0);
      return { hostFd: h, kind: 'dir', access: 'r', cloexec: !!flags.cloexec, pathOnly: false, hostShared: false, nonblock: false };
    });
    link(fd, `/proc/${this.procSelf?.pid ?? 0}/fd`);
    return fd;
  }

  /** A synthetic /proc file: its content in an unnamed host file (O_TMPFILE), read-only for the guest. */
  private syntheticEntry(content: Uint8Array, flags: OpenFlags): EntryFields {
    const tmp = process.env.TMPDIR ?? '/tmp';
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

  private openEntry(dirfd: DirFd, path: string, flags: OpenFlags, mode: number): EntryFields {
    const writes = flags.access !== 'r' || !!flags.create || !!flags.trunc || !!flags.tmpfile;
    const r = this.resolvePath(dirfd, path, false, { follow: !flags.nofollow && !(flags.create && flags.excl), write: writes && !flags.path });
    let hflags = hostOpenFlags(flags);
    const creating = !!(flags.create || flags.tmpfile) && !flags.path;
    const want = mode & ~this.umask & 0o7777;
    let h: number;
    let fixMode = false;
    if (creating && (want & hostUmask()) !== 0) {
      // the host umask would strip bits the guest's umask keeps: find out whether
      // we create the file, and then set its mode exactly.
      h = -1;
      if (flags.tmpfile) {
        h = this.openResolved(r, hflags, want);
        fixMode = true;
      } else {
        for (let tries = 0; h < 0; tries++) {
          if (!flags.excl) {
            try {
              h = this.openResolved(r, hflags & ~H.O_CREAT, 0);
              break;
            } catch (e) {
              if (errnoOf(e) !== 'ENOENT' || tries > 8) throw e;
            }
          }
          try {
            h = this.openResolved(r, hflags | H.O_EXCL, want);
            fixMode = true;
          } catch (e) {
            if (errnoOf(e) !== 'EEXIST' || flags.excl || tries > 8) throw e;
          }
        }
      }
    } else {
      h = this.openResolved(r, hflags, want);
    }
    try {
      if (fixMode) host.fchmod(h, want);
      const kind = flags.path ? this.pathKind(h) : kindOfHostFd(h);
      return {
        hostFd: h, kind, access: flags.path ? 'r' : flags.access, cloexec: !!flags.cloexec, pathOnly: !!flags.path,
        hostShared: false, nonblock: !!flags.nonblock,
      };
    } catch (e) {
      host.close(h);
      throw e;
    }
  }

  private pathKind(h: number): FileKind {
    return kindOfMode(host.statx(h, '', H.AT_EMPTY_PATH, 0x1).mode);
  }

  /** pipe2(2): [read end, write end], real host pipes. */
  pipe(opts: { cloexec?: boolean; nonblock?: boolean } = {}): [number, number] {
    return createPipe(this.t, opts);
  }

  /**
   * eventfd2(2): a host eventfd. Reads and writes move 8-byte counters in HOST
   * byte order (personalities of the other order swap them).
   */
  eventfd(initval: number, opts: { cloexec?: boolean; nonblock?: boolean; semaphore?: boolean } = {}): number {
    return install(this.t, () => eventfdEntry(initval, opts));
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
      const v = this.t.load(r.fd);
      if (v <= 0n || (entryFlags(v) & EF.PATH) !== 0) { revents[k] = POLL.NVAL; invalid++; return; }
      fds.push(opsOf(entryKind(v)).readiness(entryHostFd(v), r.events & 0xffff));
      index.push(k);
    });
    waitHost(this.interrupter, fds, invalid > 0 ? 0n : timeoutNs);
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
    const o = ioEntry(this.t, fd);
    return opsOf(o.kind).read(this.interrupter, o, [buf]);
  }

  readv(fd: number, bufs: readonly Uint8Array[]): number {
    const o = ioEntry(this.t, fd);
    return opsOf(o.kind).read(this.interrupter, o, bufs);
  }

  pread(fd: number, buf: Uint8Array, offset: bigint): number {
    const o = ioEntry(this.t, fd);
    if (offset < 0n) throw fail('EINVAL');
    return retryEintr(() => host.pread(o.hostFd, buf, offset));
  }

  preadv(fd: number, bufs: readonly Uint8Array[], offset: bigint): number {
    const o = ioEntry(this.t, fd);
    if (offset < 0n) throw fail('EINVAL');
    return retryEintr(() => host.preadv(o.hostFd, bufs, offset));
  }

  /** write(2). On a blocking fd, the whole buffer is written (partial host writes are resumed). */
  write(fd: number, buf: Uint8Array): number {
    const o = ioEntry(this.t, fd);
    return opsOf(o.kind).write(this.interrupter, o, [buf], null);
  }

  writev(fd: number, bufs: readonly Uint8Array[]): number {
    const o = ioEntry(this.t, fd);
    return opsOf(o.kind).write(this.interrupter, o, bufs, null);
  }

  pwrite(fd: number, buf: Uint8Array, offset: bigint): number {
    if (offset < 0n) throw fail('EINVAL');
    const o = ioEntry(this.t, fd);
    return opsOf(o.kind).write(this.interrupter, o, [buf], offset);
  }

  pwritev(fd: number, bufs: readonly Uint8Array[], offset: bigint): number {
    if (offset < 0n) throw fail('EINVAL');
    const o = ioEntry(this.t, fd);
    return opsOf(o.kind).write(this.interrupter, o, bufs, offset);
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
    const o = entry(this.t, fd);
    if (o.pathOnly) throw fail('EBADF');
    const getdents = opsOf(o.kind).getdents;
    if (getdents === undefined) throw fail('ENOTDIR');
    return getdents(o.hostFd, budget, sizeOf);
  }

  // ---- metadata -------------------------------------------------------------------

  fstat(fd: number): Stat {
    const o = entry(this.t, fd);
    return opsOf(o.kind).stat(o.hostFd);
  }

  /** fstatat / statx. */
  stat(dirfd: DirFd, path: string, opts: StatOptions = {}): Stat {
    const r = this.resolvePath(dirfd, path, opts.emptyPath, { follow: !opts.nofollow });
    let flags = r.empty ? H.AT_EMPTY_PATH : 0;
    if (opts.nofollow) flags |= H.AT_SYMLINK_NOFOLLOW;
    if (opts.noAutomount) flags |= H.AT_NO_AUTOMOUNT;
    if (opts.sync === 'force') flags |= H.AT_STATX_FORCE_SYNC;
    if (opts.sync === 'dont') flags |= H.AT_STATX_DONT_SYNC;
    return toStat(host.statx(r.dirHostFd, r.hostPath, flags, opts.mask ?? (H.STATX_BASIC_STATS | H.STATX_BTIME)));
  }

  readlink(dirfd: DirFd, path: string, opts: { emptyPath?: boolean } = {}): string {
    const link = this.procSelf && path.startsWith('/') ? procSelfLink(path, this.procSelf) : null;
    if (link?.kind === 'exe') return this.procSelf!.exe;
    if (link?.kind === 'cwd') return this.getcwd();
    if (link?.kind === 'fd') return this.guestPathOf(link.fd);
    if (this.procSelf && /^\/proc\/(self|thread-self|\d+)\/root$/.test(path)) return '/';
    const r = this.resolvePath(dirfd, path, opts.emptyPath, { follow: false });
    return host.readlinkat(r.dirHostFd, r.hostPath);
  }

  /** faccessat2: mode is R=4 | W=2 | X=1 (0 = existence). */
  access(dirfd: DirFd, path: string, mode: number, opts: { eaccess?: boolean; nofollow?: boolean; emptyPath?: boolean } = {}): void {
    const r = this.resolvePath(dirfd, path, opts.emptyPath, { follow: !opts.nofollow, write: (mode & 2) !== 0 });
    let flags = r.empty ? H.AT_EMPTY_PATH : 0;
    if (opts.eaccess) flags |= H.AT_EACCESS;
    if (opts.nofollow) flags |= H.AT_SYMLINK_NOFOLLOW;
    host.faccessat2(r.dirHostFd, r.hostPath, mode, flags);
  }

  mkdir(dirfd: DirFd, path: string, mode: number): void {
    const r = this.resolvePath(dirfd, path, false, { follow: false, write: true });
    const want = mode & ~this.umask & 0o7777;
    host.mkdirat(r.dirHostFd, r.hostPath, want);
    if ((want & hostUmask()) !== 0) {
      const st = host.statx(r.dirHostFd, r.hostPath, H.AT_SYMLINK_NOFOLLOW, 0x2 /* STATX_MODE */);
      host.fchmodat(r.dirHostFd, r.hostPath, want | (st.mode & 0o2000), 0);
    }
  }

  /** unlinkat: `removeDir` is rmdir. */
  unlink(dirfd: DirFd, path: string, opts: { removeDir?: boolean } = {}): void {
    const r = this.resolvePath(dirfd, path, false, { follow: false, write: true });
    host.unlinkat(r.dirHostFd, r.hostPath, opts.removeDir ? H.AT_REMOVEDIR : 0);
  }

  rename(olddirfd: DirFd, oldpath: string, newdirfd: DirFd, newpath: string, flags: RenameFlags = {}): void {
    const a = this.resolvePath(olddirfd, oldpath, false, { follow: false, write: true });
    const b = this.resolvePath(newdirfd, newpath, false, { follow: false, write: true });
    if (a.fs !== b.fs) throw fail('EXDEV'); // two mounts of the jail, even on one host file system
    const f = (flags.noreplace ? 1 : 0) | (flags.exchange ? 2 : 0) | (flags.whiteout ? 4 : 0);
    if (flags.noreplace && flags.exchange) throw fail('EINVAL');
    host.renameat2(a.dirHostFd, a.hostPath, b.dirHostFd, b.hostPath, f);
  }

  link(olddirfd: DirFd, oldpath: string, newdirfd: DirFd, newpath: string, opts: { follow?: boolean; emptyPath?: boolean } = {}): void {
    const a = this.resolvePath(olddirfd, oldpath, opts.emptyPath, { follow: !!opts.follow, write: true });
    const b = this.resolvePath(newdirfd, newpath, false, { follow: false, write: true });
    if (a.fs !== b.fs) throw fail('EXDEV');
    const f = (opts.follow ? H.AT_SYMLINK_FOLLOW : 0) | (a.empty ? H.AT_EMPTY_PATH : 0);
    host.linkat(a.dirHostFd, a.hostPath, b.dirHostFd, b.hostPath, f);
  }

  /** symlink: the target is stored as the guest wrote it. */
  symlink(target: string, dirfd: DirFd, path: string): void {
    const r = this.resolvePath(dirfd, path, false, { follow: false, write: true });
    host.symlinkat(target, r.dirHostFd, r.hostPath);
  }

  truncate(dirfd: DirFd, path: string, length: bigint): void {
    if (length < 0n) throw fail('EINVAL');
    host.truncate(this.hostPathFor(this.resolvePath(dirfd, path, false, { write: true })), length);
  }

  ftruncate(fd: number, length: bigint): void {
    const o = ioEntry(this.t, fd);
    if (length < 0n) throw fail('EINVAL');
    if (o.kind !== 'regular') throw fail(o.kind === 'dir' ? 'EISDIR' : 'EINVAL');
    host.ftruncate(o.hostFd, length);
  }

  fallocate(fd: number, mode: FallocateMode, offset: bigint, length: bigint): void {
    const o = ioEntry(this.t, fd);
    const m = (mode.keepSize ? 1 : 0) | (mode.punchHole ? 2 : 0) | (mode.collapseRange ? 8 : 0) |
      (mode.zeroRange ? 0x10 : 0) | (mode.insertRange ? 0x20 : 0);
    host.fallocate(o.hostFd, m, offset, length);
  }

  fsync(fd: number): void { host.fsync(this.get(fd).hostFd); }
  fdatasync(fd: number): void { host.fdatasync(this.get(fd).hostFd); }
  sync(): void { host.sync(); }
  syncfs(fd: number): void { host.syncfs(this.get(fd).hostFd); }

  chmod(dirfd: DirFd, path: string, mode: number): void {
    const r = this.resolvePath(dirfd, path, false, { write: true });
    host.fchmodat(r.dirHostFd, r.hostPath, mode & 0o7777, 0);
  }

  fchmod(fd: number, mode: number): void {
    const o = this.get(fd);
    if (o.pathOnly) throw fail('EBADF');
    host.fchmod(o.hostFd, mode & 0o7777);
  }

  /** uid/gid -1 (0xffffffff) leave that id unchanged. */
  chown(dirfd: DirFd, path: string, uid: number, gid: number, opts: { nofollow?: boolean; emptyPath?: boolean } = {}): void {
    const r = this.resolvePath(dirfd, path, opts.emptyPath, { follow: !opts.nofollow, write: true });
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
    const r = this.resolvePath(dirfd, path, opts.emptyPath, { follow: !opts.nofollow, write: true });
    const f = (opts.nofollow ? H.AT_SYMLINK_NOFOLLOW : 0) | (r.empty ? H.AT_EMPTY_PATH : 0);
    host.utimensat(r.dirHostFd, r.hostPath, ht, f);
  }

  statfs(dirfd: DirFd, path: string): StatFs {
    return host.statfs(this.hostPathFor(this.resolvePath(dirfd, path)));
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
    if (o.hostShared) this.t.updateFlags(fd, (fl) => (f.nonblock ? fl | EF.NONBLOCK : fl & ~EF.NONBLOCK));
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
    const i = this.interrupter;
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
    return opsOf(entry(this.t, fd).kind).terminal !== undefined;
  }

  tcgetattr(fd: number): Termios {
    const o = entry(this.t, fd);
    return terminalOf(o.kind).getattr(o.hostFd);
  }

  /** TCSETS (now) / TCSETSW (drain) / TCSETSF (flush input, then set). */
  tcsetattr(fd: number, when: 'now' | 'drain' | 'flush', t: Termios): void {
    const o = entry(this.t, fd);
    terminalOf(o.kind).setattr(o.hostFd, when, t);
  }

  getWinsize(fd: number): Winsize {
    const o = entry(this.t, fd);
    return terminalOf(o.kind).getWinsize(o.hostFd);
  }

  setWinsize(fd: number, w: Winsize): void {
    const o = entry(this.t, fd);
    terminalOf(o.kind).setWinsize(o.hostFd, w);
  }

  /** TIOCGPGRP: the host's foreground process group of the terminal (host ids). */
  getForegroundPgrp(fd: number): number {
    const o = entry(this.t, fd);
    return terminalOf(o.kind).getForegroundPgrp(o.hostFd);
  }

  setForegroundPgrp(fd: number, pgrp: number): void {
    const o = entry(this.t, fd);
    terminalOf(o.kind).setForegroundPgrp(o.hostFd, pgrp);
  }

  /** FIONREAD: bytes ready to read (pipes, ttys, sockets, regular files). */
  bytesReadable(fd: number): number {
    const o = ioEntry(this.t, fd);
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
