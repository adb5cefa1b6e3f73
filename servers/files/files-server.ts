/**
 * The files residual server: the fd table of one guest process and every
 * neutral file operation on it. Personalities translate their numbers and
 * structs into the neutral types of ./types.ts and call these methods;
 * failures are ServerErrors with neutral errno names.
 *
 * - guest fd → FdEntry { shared OpenFileDescription, close-on-exec };
 * - an OpenFileDescription owns one host fd (reference counted): dup and
 *   fork-style clone() share it, so offsets and status flags are shared as
 *   the kernel's open file descriptions are;
 * - every guest path goes through `resolvePath` (the one place a jail will
 *   plug in), the cwd is a host O_PATH directory fd;
 * - guest fds 0/1/2 are dups of the host's 0/1/2 (a tty stays a tty);
 * - blocking writes are complete (loop on partial writes and on EAGAIN of a
 *   host fd that is non-blocking behind the guest's back), so nothing the
 *   guest prints is lost at exit.
 */
import * as host from '../../src/host/libc.js';
import { H } from '../../src/host/libc.js';
import { fail, ServerError, type Errno } from '../common/errno.js';
import { OpenFileDescription } from './open-file.js';
import { identityPaths, type PathMap } from './paths.js';
import { procSelfLink, type ProcSelf } from './procfs.js';
import type {
  Access, DirEntry, DirEntryType, DirFd, FallocateMode, FileKind, Lock, OpenFlags, RenameFlags, Stat,
  StatFs, StatOptions, StatusFlags, Termios, TimeSpecArg, Whence, Winsize,
} from './types.js';

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
  paths?: PathMap;
}

/** What resolvePath hands to host *at calls. */
export interface ResolvedPath {
  /** Host directory fd the path is relative to (or H.AT_FDCWD for absolute host paths). */
  dirHostFd: number;
  /** Host path: absolute, relative to dirHostFd, or '' with `empty`. */
  hostPath: string;
  /** The path is empty and means the directory fd itself (AT_EMPTY_PATH). */
  empty: boolean;
}

const S_IFMT = 0o170000;
const DT_NAMES: Record<number, DirEntryType> = { 0: 'unknown', 1: 'fifo', 2: 'chr', 4: 'dir', 6: 'blk', 8: 'reg', 10: 'lnk', 12: 'sock', 14: 'wht' };

let hostUmaskCache: number | undefined;
function hostUmask(): number {
  if (hostUmaskCache === undefined) {
    // reading (not setting) the umask works in workers too
    hostUmaskCache = process.umask();
  }
  return hostUmaskCache;
}

function errnoOf(e: unknown): Errno | undefined {
  return e instanceof ServerError ? e.errno : undefined;
}

function kindOfMode(mode: number): FileKind {
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

function kindOfHostFd(fd: number): FileKind {
  const st = host.statx(fd, '', H.AT_EMPTY_PATH, 0x1 /* STATX_TYPE */);
  const k = kindOfMode(st.mode);
  return k === 'chardev' && host.isatty(fd) ? 'tty' : k;
}

function toStat(s: host.HostStatx): Stat {
  return {
    mask: s.mask, devMajor: s.devMajor, devMinor: s.devMinor, ino: s.ino, mode: s.mode, nlink: s.nlink,
    uid: s.uid, gid: s.gid, rdevMajor: s.rdevMajor, rdevMinor: s.rdevMinor, size: s.size,
    blksize: s.blksize, blocks: s.blocks, atime: s.atime, mtime: s.mtime, ctime: s.ctime, btime: s.btime,
    attributes: s.attributes, attributesMask: s.attributesMask, mntId: s.mntId,
  };
}

const accessBits = (a: Access): number => (a === 'r' ? H.O_RDONLY : a === 'w' ? H.O_WRONLY : H.O_RDWR);
const accessOf = (hostFlags: number): Access => {
  const m = hostFlags & H.O_ACCMODE;
  return m === H.O_WRONLY ? 'w' : m === H.O_RDWR ? 'rw' : 'r';
};

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

/** Skips `done` bytes of a list of views (for resuming a partial writev). */
function skipBytes(views: readonly Uint8Array[], done: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const v of views) {
    if (done >= v.length) { done -= v.length; continue; }
    out.push(done > 0 ? v.subarray(done) : v);
    done = 0;
  }
  return out;
}

export class FilesServer {
  private table: (FdEntry | undefined)[] = [];
  private cwdOfd: OpenFileDescription;
  readonly paths: PathMap;
  umask: number;
  fdLimit: number;

  constructor(opts: FilesServerOptions = {}, /** @internal clone() */ from?: FilesServer) {
    this.paths = opts.paths ?? from?.paths ?? identityPaths;
    this.umask = opts.umask ?? from?.umask ?? 0o022;
    this.fdLimit = opts.fdLimit ?? from?.fdLimit ?? 1024;
    if (from) {
      this.cwdOfd = from.cwdOfd.retain();
      this.table = from.table.map((e) => e && { ofd: e.ofd.retain(), cloexec: e.cloexec });
      return;
    }
    const cwdGuest = opts.cwd ?? this.paths.hostToGuest(process.cwd());
    this.cwdOfd = this.openDirFd(H.AT_FDCWD, this.paths.guestToHost(cwdGuest));
    if ((opts.stdio ?? 'host') === 'host') {
      for (let fd = 0; fd < 3; fd++) {
        let h: number;
        try { h = host.dupCloexec(fd, 3); } catch { continue; } // host fd closed: leave the guest fd closed too
        const fl = host.fcntl(h, H.F_GETFL);
        this.table[fd] = {
          ofd: new OpenFileDescription(h, kindOfHostFd(h), accessOf(fl), `/dev/fd/${fd}`, false, true, false),
          cloexec: false,
        };
      }
    }
  }

  // ---- the fd table ----------------------------------------------------------

  /** fork(): a copy of the table sharing every open file description (and the cwd). */
  clone(): FilesServer {
    return new FilesServer({}, this);
  }

  /** execve(): closes every close-on-exec fd. */
  closeOnExec(): void {
    this.table.forEach((e, fd) => { if (e?.cloexec) this.drop(fd); });
  }

  /** Process exit: closes everything (the host fds go with the last reference). */
  closeAll(): void {
    this.table.forEach((_e, fd) => this.drop(fd));
    this.table = [];
    this.cwdOfd.release();
  }

  /** The description behind a guest fd (EBADF if not open). */
  get(fd: number): OpenFileDescription {
    const e = fd >= 0 ? this.table[fd] : undefined;
    if (!e) throw fail('EBADF');
    return e.ofd;
  }

  isOpen(fd: number): boolean {
    return fd >= 0 && this.table[fd] !== undefined;
  }

  /** Open guest fds, ascending. */
  openFds(): number[] {
    const out: number[] = [];
    this.table.forEach((e, fd) => { if (e) out.push(fd); });
    return out;
  }

  /** The host fd behind a guest fd (for other servers: poll, mmap of files, sockets...). */
  hostFd(fd: number): number {
    return this.get(fd).hostFd;
  }

  private lowestFree(min: number): number {
    for (let fd = min; fd < this.fdLimit; fd++) if (!this.table[fd]) return fd;
    throw fail('EMFILE');
  }

  private install(ofd: OpenFileDescription, cloexec: boolean, min = 0): number {
    const fd = this.lowestFree(min);
    this.table[fd] = { ofd, cloexec };
    return fd;
  }

  private drop(fd: number): void {
    const e = this.table[fd];
    if (!e) return;
    this.table[fd] = undefined;
    e.ofd.release();
  }

  /**
   * Installs a host fd (a socket, an eventfd...) as a new guest fd; the table takes ownership.
   * `hostShared`: the host fd's O_NONBLOCK is not the guest's (stdio-like); `nonblock` is the guest's view.
   */
  adoptHostFd(hostFd: number, opts: { cloexec?: boolean; kind?: FileKind; guestPath?: string; hostShared?: boolean; nonblock?: boolean } = {}): number {
    this.lowestFree(0);
    const fl = host.fcntl(hostFd, H.F_GETFL);
    const ofd = new OpenFileDescription(hostFd, opts.kind ?? kindOfHostFd(hostFd), accessOf(fl),
      opts.guestPath ?? '', (fl & H.O_PATH) !== 0, !!opts.hostShared, opts.nonblock ?? (fl & H.O_NONBLOCK) !== 0);
    return this.install(ofd, opts.cloexec ?? false);
  }

  close(fd: number): void {
    this.get(fd);
    this.drop(fd);
  }

  /** close_range(2): closes (or marks close-on-exec) every open fd in [first, last]. */
  closeRange(first: number, last: number, opts: { cloexec?: boolean } = {}): void {
    if (first > last) throw fail('EINVAL');
    const end = Math.min(last, this.table.length - 1);
    for (let fd = first; fd <= end; fd++) {
      const e = this.table[fd];
      if (!e) continue;
      if (opts.cloexec) e.cloexec = true;
      else this.drop(fd);
    }
  }

  dup(fd: number): number {
    return this.install(this.get(fd).retain(), false);
  }

  /** F_DUPFD / F_DUPFD_CLOEXEC: the lowest free fd >= min. */
  dupMin(fd: number, min: number, cloexec: boolean): number {
    const ofd = this.get(fd);
    if (min < 0 || min >= this.fdLimit) throw fail('EINVAL');
    const nfd = this.lowestFree(min);
    this.table[nfd] = { ofd: ofd.retain(), cloexec };
    return nfd;
  }

  /** dup2(2): newfd == oldfd is allowed (returns it); newfd is closed silently first. */
  dup2(oldfd: number, newfd: number): number {
    const ofd = this.get(oldfd);
    if (newfd < 0 || newfd >= this.fdLimit) throw fail('EBADF');
    if (oldfd === newfd) return newfd;
    ofd.retain();
    this.drop(newfd);
    this.table[newfd] = { ofd, cloexec: false };
    return newfd;
  }

  /** dup3(2): like dup2, but oldfd == newfd is EINVAL, and the new fd can be close-on-exec. */
  dup3(oldfd: number, newfd: number, cloexec: boolean): number {
    if (oldfd === newfd) throw fail('EINVAL');
    const r = this.dup2(oldfd, newfd);
    this.table[r]!.cloexec = cloexec;
    return r;
  }

  getCloexec(fd: number): boolean {
    this.get(fd);
    return this.table[fd]!.cloexec;
  }

  setCloexec(fd: number, on: boolean): void {
    this.get(fd);
    this.table[fd]!.cloexec = on;
  }

  // ---- paths -------------------------------------------------------------------

  /**
   * THE guest path → host mapping. Absolute guest paths are mapped by the
   * PathMap; relative ones stay relative to the dirfd's host fd (or the cwd's).
   * An empty path is ENOENT unless `allowEmpty` (AT_EMPTY_PATH), then it means
   * the directory fd itself.
   */
  resolvePath(dirfd: DirFd, guestPath: string, allowEmpty = false): ResolvedPath {
    if (guestPath.length === 0) {
      if (!allowEmpty) throw fail('ENOENT');
      return { dirHostFd: dirfd === 'cwd' ? this.cwdOfd.hostFd : this.get(dirfd).hostFd, hostPath: '', empty: true };
    }
    if (guestPath.startsWith('/')) {
      return { dirHostFd: H.AT_FDCWD, hostPath: this.paths.guestToHost(guestPath), empty: false };
    }
    const dir = dirfd === 'cwd' ? this.cwdOfd : this.get(dirfd);
    return { dirHostFd: dir.hostFd, hostPath: guestPath, empty: false };
  }

  /** A host path usable by calls that have no *at form (truncate, statfs). */
  private hostPathFor(r: ResolvedPath): string {
    if (r.dirHostFd === H.AT_FDCWD) return r.hostPath;
    return r.empty ? `/proc/self/fd/${r.dirHostFd}` : `/proc/self/fd/${r.dirHostFd}/${r.hostPath}`;
  }

  private openDirFd(dirHostFd: number, hostPath: string): OpenFileDescription {
    const h = host.openat(dirHostFd, hostPath, H.O_PATH | H.O_DIRECTORY | H.O_CLOEXEC, 0);
    return new OpenFileDescription(h, 'dir', 'r', hostPath, true, false, false);
  }

  /** The guest path of an open description (from the host's /proc/self/fd). */
  guestPathOf(fd: number): string {
    return this.guestPathOfHost(this.get(fd).hostFd);
  }

  private guestPathOfHost(hostFd: number): string {
    const p = host.readlinkat(H.AT_FDCWD, `/proc/self/fd/${hostFd}`);
    return this.paths.hostToGuest(p);
  }

  getcwd(): string {
    let p: string;
    try {
      p = this.guestPathOfHost(this.cwdOfd.hostFd);
    } catch {
      throw fail('ENOENT');
    }
    if (p.endsWith(' (deleted)') && this.fstatHost(this.cwdOfd.hostFd).nlink === 0) throw fail('ENOENT');
    return p;
  }

  chdir(path: string): void {
    const r = this.resolvePath('cwd', path);
    const ofd = this.openDirFd(r.dirHostFd, r.hostPath);
    try {
      host.faccessat2(ofd.hostFd, '', 1 /* X_OK */, H.AT_EMPTY_PATH);
    } catch (e) {
      if (errnoOf(e) !== 'ENOSYS' && errnoOf(e) !== 'EINVAL') { ofd.release(); throw e; }
    }
    this.cwdOfd.release();
    this.cwdOfd = ofd;
  }

  fchdir(fd: number): void {
    const src = this.get(fd);
    if (src.kind !== 'dir') throw fail('ENOTDIR');
    const ofd = this.openDirFd(src.hostFd, '.');
    this.cwdOfd.release();
    this.cwdOfd = ofd;
  }

  // ---- open ----------------------------------------------------------------------

  /** openat(2). `mode` applies with create/tmpfile, after the umask. Returns the guest fd. */
  open(dirfd: DirFd, path: string, flags: OpenFlags, mode = 0): number {
    this.lowestFree(0); // EMFILE before touching the host
    const r = this.resolvePath(dirfd, path);
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
        h = host.openat(r.dirHostFd, r.hostPath, hflags, want);
        fixMode = true;
      } else {
        for (let tries = 0; h < 0; tries++) {
          if (!flags.excl) {
            try {
              h = host.openat(r.dirHostFd, r.hostPath, hflags & ~H.O_CREAT, 0);
              break;
            } catch (e) {
              if (errnoOf(e) !== 'ENOENT' || tries > 8) throw e;
            }
          }
          try {
            h = host.openat(r.dirHostFd, r.hostPath, hflags | H.O_EXCL, want);
            fixMode = true;
          } catch (e) {
            if (errnoOf(e) !== 'EEXIST' || flags.excl || tries > 8) throw e;
          }
        }
      }
    } else {
      h = host.openat(r.dirHostFd, r.hostPath, hflags, want);
    }
    try {
      if (fixMode) host.fchmod(h, want);
      const kind = flags.path ? this.pathKind(h) : kindOfHostFd(h);
      const ofd = new OpenFileDescription(h, kind, flags.path ? 'r' : flags.access, path, !!flags.path, false, !!flags.nonblock);
      return this.install(ofd, !!flags.cloexec);
    } catch (e) {
      host.close(h);
      throw e;
    }
  }

  private pathKind(h: number): FileKind {
    return kindOfMode(host.statx(h, '', H.AT_EMPTY_PATH, 0x1).mode);
  }

  /** pipe2(2): [read end, write end]. */
  pipe(opts: { cloexec?: boolean; nonblock?: boolean } = {}): [number, number] {
    let free = 0;
    for (let fd = 0; fd < this.fdLimit && free < 2; fd++) if (!this.table[fd]) free++;
    if (free < 2) throw fail('EMFILE');
    const [hr, hw] = host.pipe2(H.O_CLOEXEC | (opts.nonblock ? H.O_NONBLOCK : 0));
    const fr = this.install(new OpenFileDescription(hr, 'pipe', 'r', 'pipe:', false, false, !!opts.nonblock), !!opts.cloexec);
    const fw = this.install(new OpenFileDescription(hw, 'pipe', 'w', 'pipe:', false, false, !!opts.nonblock), !!opts.cloexec);
    return [fr, fw];
  }

  // ---- I/O -----------------------------------------------------------------------

  /** The description for I/O: O_PATH descriptions are EBADF. */
  private io(fd: number): OpenFileDescription {
    const o = this.get(fd);
    if (o.pathOnly) throw fail('EBADF');
    return o;
  }

  /**
   * Runs one host I/O call with the guest's blocking semantics: a guest
   * non-blocking fd over a (shared) blocking host fd gets EAGAIN from a poll;
   * a guest blocking fd over a non-blocking host fd waits in poll on EAGAIN.
   */
  private blocking<T>(o: OpenFileDescription, events: number, op: () => T): T {
    if (o.nonblock && o.hostShared && o.mayBlock) {
      const rev = host.pollOne(o.hostFd, events, 0);
      if ((rev & (events | host.POLLERR | host.POLLHUP | host.POLLNVAL)) === 0) throw fail('EAGAIN');
    }
    for (;;) {
      try {
        return op();
      } catch (e) {
        const en = errnoOf(e);
        if (en === 'EAGAIN' && !o.nonblock) { host.pollOne(o.hostFd, events, -1); continue; }
        if (en === 'EINTR') continue;
        throw e;
      }
    }
  }

  read(fd: number, buf: Uint8Array): number {
    const o = this.io(fd);
    return this.blocking(o, host.POLLIN, () => host.read(o.hostFd, buf));
  }

  readv(fd: number, bufs: readonly Uint8Array[]): number {
    const o = this.io(fd);
    return this.blocking(o, host.POLLIN, () => host.readv(o.hostFd, bufs));
  }

  pread(fd: number, buf: Uint8Array, offset: bigint): number {
    const o = this.io(fd);
    if (offset < 0n) throw fail('EINVAL');
    return this.blocking(o, host.POLLIN, () => host.pread(o.hostFd, buf, offset));
  }

  preadv(fd: number, bufs: readonly Uint8Array[], offset: bigint): number {
    const o = this.io(fd);
    if (offset < 0n) throw fail('EINVAL');
    return this.blocking(o, host.POLLIN, () => host.preadv(o.hostFd, bufs, offset));
  }

  /** write(2). On a blocking fd, the whole buffer is written (partial host writes are resumed). */
  write(fd: number, buf: Uint8Array): number {
    return this.writevInner(fd, [buf], null);
  }

  writev(fd: number, bufs: readonly Uint8Array[]): number {
    return this.writevInner(fd, bufs, null);
  }

  pwrite(fd: number, buf: Uint8Array, offset: bigint): number {
    if (offset < 0n) throw fail('EINVAL');
    return this.writevInner(fd, [buf], offset);
  }

  pwritev(fd: number, bufs: readonly Uint8Array[], offset: bigint): number {
    if (offset < 0n) throw fail('EINVAL');
    return this.writevInner(fd, bufs, offset);
  }

  private writevInner(fd: number, bufs: readonly Uint8Array[], offset: bigint | null): number {
    const o = this.io(fd);
    const total = bufs.reduce((s, b) => s + b.length, 0);
    let done = 0;
    do {
      const rest = done === 0 ? bufs : skipBytes(bufs, done);
      const at = offset === null ? null : offset + BigInt(done);
      let n: number;
      try {
        n = this.blocking(o, host.POLLOUT, () => {
          if (rest.length === 1) return at === null ? host.write(o.hostFd, rest[0]) : host.pwrite(o.hostFd, rest[0], at);
          return at === null ? host.writev(o.hostFd, rest) : host.pwritev(o.hostFd, rest, at);
        });
      } catch (e) {
        if (done > 0) return done;
        throw e;
      }
      done += n;
      if (n === 0 || o.nonblock) break;
    } while (done < total);
    return done;
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
    const o = this.get(fd);
    if (o.pathOnly) throw fail('EBADF');
    if (o.kind !== 'dir') throw fail('ENOTDIR');
    const buf = Buffer.allocUnsafe(Math.min(Math.max(budget, 4096), 1 << 16));
    const n = host.getdents64(o.hostFd, buf);
    const out: DirEntry[] = [];
    let used = 0;
    for (let p = 0; p < n;) {
      const reclen = buf.readUInt16LE(p + 16);
      const nameEnd = buf.indexOf(0, p + 19);
      const name = new Uint8Array(buf.subarray(p + 19, nameEnd < 0 || nameEnd > p + reclen ? p + reclen : nameEnd));
      const size = sizeOf(name.length);
      if (used + size > budget) {
        if (out.length === 0) {
          host.lseek(o.hostFd, 0n, H.SEEK_SET); // undo: reposition before the first entry read
          throw fail('EINVAL');
        }
        host.lseek(o.hostFd, out[out.length - 1].off, H.SEEK_SET);
        break;
      }
      used += size;
      out.push({ ino: buf.readBigUInt64LE(p), off: buf.readBigInt64LE(p + 8), type: DT_NAMES[buf[p + 18]] ?? 'unknown', name });
      p += reclen;
    }
    return out;
  }

  // ---- metadata -------------------------------------------------------------------

  private fstatHost(hostFd: number): host.HostStatx {
    return host.statx(hostFd, '', H.AT_EMPTY_PATH, H.STATX_BASIC_STATS | H.STATX_BTIME);
  }

  fstat(fd: number): Stat {
    return toStat(this.fstatHost(this.get(fd).hostFd));
  }

  /** fstatat / statx. */
  stat(dirfd: DirFd, path: string, opts: StatOptions = {}): Stat {
    const r = this.resolvePath(dirfd, path, opts.emptyPath);
    let flags = r.empty ? H.AT_EMPTY_PATH : 0;
    if (opts.nofollow) flags |= H.AT_SYMLINK_NOFOLLOW;
    if (opts.noAutomount) flags |= H.AT_NO_AUTOMOUNT;
    if (opts.sync === 'force') flags |= H.AT_STATX_FORCE_SYNC;
    if (opts.sync === 'dont') flags |= H.AT_STATX_DONT_SYNC;
    return toStat(host.statx(r.dirHostFd, r.hostPath, flags, opts.mask ?? (H.STATX_BASIC_STATS | H.STATX_BTIME)));
  }

  /** Set by the runtime: what /proc/self/exe and friends mean for this process. */
  procSelf: ProcSelf | null = null;

  readlink(dirfd: DirFd, path: string, opts: { emptyPath?: boolean } = {}): string {
    const link = this.procSelf && path.startsWith('/') ? procSelfLink(path, this.procSelf) : null;
    if (link?.kind === 'exe') return this.procSelf!.exe;
    if (link?.kind === 'cwd') return this.getcwd();
    if (link?.kind === 'fd') return this.guestPathOf(link.fd);
    const r = this.resolvePath(dirfd, path, opts.emptyPath);
    return host.readlinkat(r.dirHostFd, r.hostPath);
  }

  /** faccessat2: mode is R=4 | W=2 | X=1 (0 = existence). */
  access(dirfd: DirFd, path: string, mode: number, opts: { eaccess?: boolean; nofollow?: boolean; emptyPath?: boolean } = {}): void {
    const r = this.resolvePath(dirfd, path, opts.emptyPath);
    let flags = r.empty ? H.AT_EMPTY_PATH : 0;
    if (opts.eaccess) flags |= H.AT_EACCESS;
    if (opts.nofollow) flags |= H.AT_SYMLINK_NOFOLLOW;
    host.faccessat2(r.dirHostFd, r.hostPath, mode, flags);
  }

  mkdir(dirfd: DirFd, path: string, mode: number): void {
    const r = this.resolvePath(dirfd, path);
    const want = mode & ~this.umask & 0o7777;
    host.mkdirat(r.dirHostFd, r.hostPath, want);
    if ((want & hostUmask()) !== 0) {
      const st = host.statx(r.dirHostFd, r.hostPath, H.AT_SYMLINK_NOFOLLOW, 0x2 /* STATX_MODE */);
      host.fchmodat(r.dirHostFd, r.hostPath, want | (st.mode & 0o2000), 0);
    }
  }

  /** unlinkat: `removeDir` is rmdir. */
  unlink(dirfd: DirFd, path: string, opts: { removeDir?: boolean } = {}): void {
    const r = this.resolvePath(dirfd, path);
    host.unlinkat(r.dirHostFd, r.hostPath, opts.removeDir ? H.AT_REMOVEDIR : 0);
  }

  rename(olddirfd: DirFd, oldpath: string, newdirfd: DirFd, newpath: string, flags: RenameFlags = {}): void {
    const a = this.resolvePath(olddirfd, oldpath);
    const b = this.resolvePath(newdirfd, newpath);
    const f = (flags.noreplace ? 1 : 0) | (flags.exchange ? 2 : 0) | (flags.whiteout ? 4 : 0);
    if (flags.noreplace && flags.exchange) throw fail('EINVAL');
    host.renameat2(a.dirHostFd, a.hostPath, b.dirHostFd, b.hostPath, f);
  }

  link(olddirfd: DirFd, oldpath: string, newdirfd: DirFd, newpath: string, opts: { follow?: boolean; emptyPath?: boolean } = {}): void {
    const a = this.resolvePath(olddirfd, oldpath, opts.emptyPath);
    const b = this.resolvePath(newdirfd, newpath);
    const f = (opts.follow ? H.AT_SYMLINK_FOLLOW : 0) | (a.empty ? H.AT_EMPTY_PATH : 0);
    host.linkat(a.dirHostFd, a.hostPath, b.dirHostFd, b.hostPath, f);
  }

  /** symlink: the target is stored as the guest wrote it. */
  symlink(target: string, dirfd: DirFd, path: string): void {
    const r = this.resolvePath(dirfd, path);
    host.symlinkat(target, r.dirHostFd, r.hostPath);
  }

  truncate(dirfd: DirFd, path: string, length: bigint): void {
    if (length < 0n) throw fail('EINVAL');
    host.truncate(this.hostPathFor(this.resolvePath(dirfd, path)), length);
  }

  ftruncate(fd: number, length: bigint): void {
    const o = this.io(fd);
    if (length < 0n) throw fail('EINVAL');
    if (o.kind !== 'regular') throw fail(o.kind === 'dir' ? 'EISDIR' : 'EINVAL');
    host.ftruncate(o.hostFd, length);
  }

  fallocate(fd: number, mode: FallocateMode, offset: bigint, length: bigint): void {
    const o = this.io(fd);
    const m = (mode.keepSize ? 1 : 0) | (mode.punchHole ? 2 : 0) | (mode.collapseRange ? 8 : 0) |
      (mode.zeroRange ? 0x10 : 0) | (mode.insertRange ? 0x20 : 0);
    host.fallocate(o.hostFd, m, offset, length);
  }

  fsync(fd: number): void { host.fsync(this.get(fd).hostFd); }
  fdatasync(fd: number): void { host.fdatasync(this.get(fd).hostFd); }
  sync(): void { host.sync(); }
  syncfs(fd: number): void { host.syncfs(this.get(fd).hostFd); }

  chmod(dirfd: DirFd, path: string, mode: number): void {
    const r = this.resolvePath(dirfd, path);
    host.fchmodat(r.dirHostFd, r.hostPath, mode & 0o7777, 0);
  }

  fchmod(fd: number, mode: number): void {
    const o = this.get(fd);
    if (o.pathOnly) throw fail('EBADF');
    host.fchmod(o.hostFd, mode & 0o7777);
  }

  /** uid/gid -1 (0xffffffff) leave that id unchanged. */
  chown(dirfd: DirFd, path: string, uid: number, gid: number, opts: { nofollow?: boolean; emptyPath?: boolean } = {}): void {
    const r = this.resolvePath(dirfd, path, opts.emptyPath);
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
    const r = this.resolvePath(dirfd, path, opts.emptyPath);
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
    o.nonblock = !!f.nonblock;
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

  setLock(fd: number, lock: Lock, wait: boolean): void {
    const o = this.get(fd);
    if (lock.type === 'read' && o.access === 'w') throw fail('EBADF');
    if (lock.type === 'write' && o.access === 'r') throw fail('EBADF');
    host.fcntlLock(o.hostFd, wait ? H.F_OFD_SETLKW : H.F_OFD_SETLK, this.hostLock(lock));
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
    return this.get(fd).kind === 'tty';
  }

  private tty(fd: number): OpenFileDescription {
    const o = this.get(fd);
    if (o.kind !== 'tty') throw fail('ENOTTY');
    return o;
  }

  tcgetattr(fd: number): Termios {
    const o = this.tty(fd);
    const b = Buffer.alloc(36);
    host.ioctlPtr(o.hostFd, H.TCGETS, b);
    return {
      iflag: b.readUInt32LE(0), oflag: b.readUInt32LE(4), cflag: b.readUInt32LE(8), lflag: b.readUInt32LE(12),
      line: b[16], cc: new Uint8Array(b.subarray(17, 36)),
    };
  }

  /** TCSETS (now) / TCSETSW (drain) / TCSETSF (flush input, then set). */
  tcsetattr(fd: number, when: 'now' | 'drain' | 'flush', t: Termios): void {
    const o = this.tty(fd);
    const b = Buffer.alloc(36);
    b.writeUInt32LE(t.iflag >>> 0, 0); b.writeUInt32LE(t.oflag >>> 0, 4);
    b.writeUInt32LE(t.cflag >>> 0, 8); b.writeUInt32LE(t.lflag >>> 0, 12);
    b[16] = t.line;
    b.set(t.cc.subarray(0, 19), 17);
    host.ioctlPtr(o.hostFd, when === 'now' ? H.TCSETS : when === 'drain' ? H.TCSETSW : H.TCSETSF, b);
  }

  getWinsize(fd: number): Winsize {
    const o = this.tty(fd);
    const b = Buffer.alloc(8);
    host.ioctlPtr(o.hostFd, H.TIOCGWINSZ, b);
    return { row: b.readUInt16LE(0), col: b.readUInt16LE(2), xpixel: b.readUInt16LE(4), ypixel: b.readUInt16LE(6) };
  }

  setWinsize(fd: number, w: Winsize): void {
    const o = this.tty(fd);
    const b = Buffer.alloc(8);
    b.writeUInt16LE(w.row & 0xffff, 0); b.writeUInt16LE(w.col & 0xffff, 2);
    b.writeUInt16LE(w.xpixel & 0xffff, 4); b.writeUInt16LE(w.ypixel & 0xffff, 6);
    host.ioctlPtr(o.hostFd, H.TIOCSWINSZ, b);
  }

  /** TIOCGPGRP: the host's foreground process group of the terminal (host ids). */
  getForegroundPgrp(fd: number): number {
    const o = this.tty(fd);
    const b = Buffer.alloc(4);
    host.ioctlPtr(o.hostFd, H.TIOCGPGRP, b);
    return b.readInt32LE(0);
  }

  setForegroundPgrp(fd: number, pgrp: number): void {
    const o = this.tty(fd);
    const b = Buffer.alloc(4);
    b.writeInt32LE(pgrp, 0);
    host.ioctlPtr(o.hostFd, H.TIOCSPGRP, b);
  }

  /** FIONREAD: bytes ready to read (pipes, ttys, sockets, regular files). */
  bytesReadable(fd: number): number {
    const o = this.io(fd);
    const b = Buffer.alloc(4);
    host.ioctlPtr(o.hostFd, H.FIONREAD, b);
    return b.readInt32LE(0);
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
