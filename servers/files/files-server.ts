/**
 * The files residual server: the fd table of one guest process and every
 * neutral file operation on it. Personalities translate their numbers and
 * structs into the neutral types of ./types.ts and call these methods;
 * failures are ServerErrors with neutral errno names.
 *
 * This class is the facade: it holds the FilesContext of one thread
 * (./context.ts) and delegates, one concern a file:
 *
 * - ./fd-table.ts, ./fd-ops.ts: the table lives in SharedArrayBuffers: every
 *   thread of a guest process runs in its own worker with its own
 *   FilesServer instance, attached to the same table (`share()` /
 *   `attach()`), as CLONE_FILES and CLONE_FS share the fd table, the cwd
 *   and the umask; one guest fd ↔ one host fd owned by the entry: dup and
 *   fork (`forkCopy`) host-dup() it, so offsets and status flags are shared
 *   through the host's open file descriptions as the kernel shares them;
 * - ./kinds/: what differs by kind of open file (regular files, folders,
 *   pipes, ttys, eventfds, synthetic /proc entries) behind one interface,
 *   KindOps: read, write, poll readiness, ioctls, stat, close. Guest fds
 *   0/1/2 are dups of the host's 0/1/2 (a tty stays a tty), their
 *   O_NONBLOCK is emulated so the host's own stdio is never changed;
 * - ./resolve.ts: every guest path goes through `resolvePath` (where the
 *   jail plugs in), the cwd is a host O_PATH directory fd;
 * - ./open.ts, ./names.ts, ./metadata.ts, ./status-flags.ts, ./locks.ts;
 * - ./wait.ts, ./poll.ts: operations that can block (pipes, ttys, sockets,
 *   eventfds, poll, locks) wait in host poll() on their fds plus the
 *   thread's Interrupter wake fd, never in a host call a signal cannot end,
 *   and fail with EINTR when a signal is pending (the personality decides
 *   about SA_RESTART).
 */
import * as host from '../../src/host/libc.js';
import { H } from '../../src/host/libc.js';
import { fail } from '../common/errno.js';
import { neverInterrupted, type Interrupter } from '../common/interrupt.js';
import type { FilesContext } from './context.js';
import { HDR, SharedFdTable, type SharedFilesHandle } from './fd-table.js';
import * as fds from './fd-ops.js';
import { entry, install, ioEntry } from './fd-ops.js';
import { closeQuietly, retryEintr } from './host-fd.js';
import { eventfdEntry } from './kinds/eventfd.js';
import * as timers from './kinds/timerfd.js';
import * as sigfd from './kinds/signalfd.js';
import * as sock from './kinds/socket.js';
import type { SockAddr, SocketOption, SocketType } from './kinds/socket.js';
import { epollCtl, epollEntry, epollWait, type EpollEvent, type EpollOp } from './kinds/epoll.js';
import { opsOf, terminalOf } from './kinds/index.js';
import { createPipe } from './kinds/pipe.js';
import * as locks from './locks.js';
import * as meta from './metadata.js';
import * as names from './names.js';
import { open, readFileForExec } from './open.js';
import type { OpenFileDescription } from './open-file.js';
import { identityPaths, type PathMap } from './paths.js';
import { poll } from './poll.js';
import type { ProcSelf } from './procfs.js';
import * as resolve from './resolve.js';
import type { PathUse, ResolvedPath } from './resolve.js';
import { getStatusFlags, setStatusFlags } from './status-flags.js';
import type {
  DirEntry, DirFd, FallocateMode, FileKind, Lock, OpenFlags, PollRequest, PollResult, RenameFlags, Stat, StatFs,
  StatOptions, StatusFlags, Termios, TimeSpecArg, Whence, Winsize,
} from './types.js';
import { rmSync } from 'node:fs';
import { hostNetwork, type NetworkPolicy } from './network-policy.js';
import type { TimerSpec } from '../../src/host/libc.js';

export type { SharedFilesHandle } from './fd-table.js';
export type { PathUse, ResolvedPath } from './resolve.js';

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
  /** The jail's network policy (default: the host's network). */
  network?: NetworkPolicy;
  /** How blocking calls of this thread are interrupted (default: never). */
  interrupter?: Interrupter;
}

/** Per-instance options of `FilesServer.attach` (what cannot travel in a SharedArrayBuffer). */
export interface AttachOptions {
  paths?: PathMap;
  network?: NetworkPolicy;
  interrupter?: Interrupter;
  procSelf?: ProcSelf | null;
}

const SEEK: Readonly<Record<Whence, number>> = { set: H.SEEK_SET, cur: H.SEEK_CUR, end: H.SEEK_END, data: H.SEEK_DATA, hole: H.SEEK_HOLE };

export class FilesServer {
  private readonly c: FilesContext;

  constructor(opts: FilesServerOptions = {}, /** @internal share/attach/forkCopy */ table?: SharedFdTable) {
    const pathMap = opts.paths ?? identityPaths;
    const t = table ?? SharedFdTable.create(Math.max(opts.capacity ?? 4096, 3), opts.fdLimit ?? 1024, opts.umask ?? 0o022);
    this.c = { t, paths: pathMap, network: opts.network ?? hostNetwork, interrupter: opts.interrupter ?? neverInterrupted, procSelf: null, fdDirs: [] };
    host.ignoreSigpipe();
    Atomics.add(t.header, HDR.ATTACHED, 1);
    if (table) return;
    const cwdGuest = opts.cwd ?? pathMap.hostToGuest(process.cwd());
    t.header[HDR.CWD] = resolve.openDirFd(H.AT_FDCWD, pathMap.guestToHost(cwdGuest));
    if ((opts.stdio ?? 'host') === 'host') fds.installHostStdio(t);
  }

  /** The guest ↔ host path mapping of this process. */
  get paths(): PathMap { return this.c.paths; }

  /** Set by the runtime: what /proc/self/exe and friends mean for this process. */
  get procSelf(): ProcSelf | null { return this.c.procSelf; }
  set procSelf(p: ProcSelf | null) { this.c.procSelf = p; }

  // ---- sharing between threads and processes ----------------------------------

  /** The shared table, to post to another worker of the same guest process (CLONE_FILES | CLONE_FS). */
  share(): SharedFilesHandle { return this.c.t.handle; }

  /** A FilesServer (for another thread) working on the table `share()` returned. */
  static attach(handle: SharedFilesHandle, opts: AttachOptions = {}): FilesServer {
    const s = new FilesServer({ paths: opts.paths, network: opts.network, interrupter: opts.interrupter }, SharedFdTable.attach(handle));
    s.procSelf = opts.procSelf ?? null;
    return s;
  }

  /**
   * fork(): a new table for the child process. Every entry gets its own host
   * dup() (the same open file descriptions: offsets and status flags stay
   * shared), close-on-exec flags are copied; the cwd is copied, the umask too.
   */
  forkCopy(opts: AttachOptions = {}): FilesServer {
    const child = new FilesServer({ paths: opts.paths ?? this.paths, network: opts.network ?? this.c.network, interrupter: opts.interrupter ?? this.c.interrupter }, fds.forkTable(this.c.t));
    child.procSelf = opts.procSelf !== undefined ? opts.procSelf : this.procSelf;
    return child;
  }

  /** @deprecated fork-style copy: use forkCopy(). */
  clone(): FilesServer { return this.forkCopy(); }

  /** How this thread's blocking calls are interrupted by signals. */
  setInterrupter(i: Interrupter): void { this.c.interrupter = i; }

  /** execve(): closes every close-on-exec fd. */
  closeOnExec(): void { fds.closeOnExec(this.c.t); }

  /** Process exit: closes every fd and the cwd (for every thread attached to the table). */
  closeAll(): void {
    const t = this.c.t;
    for (let fd = 0; fd < t.capacity; fd++) fds.drop(t, fd);
    for (const d of this.c.fdDirs.splice(0)) rmSync(d, { recursive: true, force: true });
    const cwd = Atomics.exchange(t.header, HDR.CWD, -1);
    if (cwd >= 0) closeQuietly(cwd);
  }

  get umask(): number { return Atomics.load(this.c.t.header, HDR.UMASK); }
  set umask(v: number) { Atomics.store(this.c.t.header, HDR.UMASK, v & 0o777); }

  /** RLIMIT_NOFILE (soft); values above the table's capacity act as the capacity. */
  get fdLimit(): number { return Atomics.load(this.c.t.header, HDR.FDLIMIT); }
  set fdLimit(v: number) { Atomics.store(this.c.t.header, HDR.FDLIMIT, Math.max(0, Math.min(v, 0x7fffffff))); }

  // ---- the fd table (./fd-ops.ts) ----------------------------------------------

  /** The description behind a guest fd (EBADF if not open): a snapshot, see OpenFileDescription. */
  get(fd: number): OpenFileDescription { return fds.toOfd(entry(this.c.t, fd)); }

  isOpen(fd: number): boolean { return this.c.t.load(fd) > 0n; }

  /** Open guest fds, ascending. */
  openFds(): number[] { return fds.openFds(this.c.t); }

  /** The host fd behind a guest fd (for other servers: poll, mmap of files, sockets...). Valid while the fd is open. */
  hostFd(fd: number): number { return entry(this.c.t, fd).hostFd; }

  /** A host dup() of the fd's host fd that the caller owns and closes (file mappings, transfers). */
  dupHost(fd: number): number { return host.dupCloexec(entry(this.c.t, fd).hostFd, 3); }

  /**
   * Installs a host fd (a socket, an eventfd...) as a new guest fd; the table takes ownership.
   * `hostShared`: the host fd's O_NONBLOCK is not the guest's (stdio-like); `nonblock` is the guest's view.
   */
  adoptHostFd(hostFd: number, opts: { cloexec?: boolean; kind?: FileKind; guestPath?: string; hostShared?: boolean; nonblock?: boolean } = {}): number {
    return fds.adoptHostFd(this.c.t, hostFd, opts);
  }

  close(fd: number): void { fds.close(this.c.t, fd); }

  /** close_range(2): closes (or marks close-on-exec) every open fd in [first, last]. */
  closeRange(first: number, last: number, opts: { cloexec?: boolean } = {}): void { fds.closeRange(this.c.t, first, last, opts); }

  dup(fd: number): number { return fds.dupMin(this.c.t, fd, 0, false); }

  /** F_DUPFD / F_DUPFD_CLOEXEC: the lowest free fd >= min. */
  dupMin(fd: number, min: number, cloexec: boolean): number { return fds.dupMin(this.c.t, fd, min, cloexec); }

  /** dup2(2): newfd == oldfd is allowed (returns it); newfd is closed silently first. */
  dup2(oldfd: number, newfd: number): number { return fds.dupTo(this.c.t, oldfd, newfd, false, true); }

  /** dup3(2): like dup2, but oldfd == newfd is EINVAL, and the new fd can be close-on-exec. */
  dup3(oldfd: number, newfd: number, cloexec: boolean): number {
    if (oldfd === newfd) throw fail('EINVAL');
    return fds.dupTo(this.c.t, oldfd, newfd, cloexec, false);
  }

  getCloexec(fd: number): boolean { return entry(this.c.t, fd).cloexec; }

  setCloexec(fd: number, on: boolean): void { fds.setCloexec(this.c.t, fd, on); }

  // ---- paths and the cwd (./resolve.ts) ------------------------------------------

  /**
   * THE guest path → host mapping. Absolute guest paths are mapped by the
   * PathMap; relative ones stay relative to the dirfd's host fd (or the cwd's).
   * An empty path is ENOENT unless `allowEmpty` (AT_EMPTY_PATH), then it means
   * the directory fd itself.
   */
  resolvePath(dirfd: DirFd, guestPath: string, allowEmpty = false, use: PathUse = {}): ResolvedPath {
    return resolve.resolvePath(this.c, dirfd, guestPath, allowEmpty, use);
  }

  /** The guest path of an open description (from the host's /proc/self/fd). */
  guestPathOf(fd: number): string { return resolve.guestPathOf(this.c, fd); }

  getcwd(): string { return resolve.getcwd(this.c); }

  chdir(path: string): void { resolve.chdir(this.c, path); }

  fchdir(fd: number): void { resolve.fchdir(this.c, fd); }

  // ---- open (./open.ts, ./kinds/) ------------------------------------------------

  /** openat(2). `mode` applies with create/tmpfile, after the umask. Returns the guest fd. */
  open(dirfd: DirFd, path: string, flags: OpenFlags, mode = 0): number { return open(this.c, dirfd, path, flags, mode); }

  /**
   * Reads a whole file by guest path, as the loader does for a program
   * interpreter: resolved like every path (jail, sysroot), opened read-only.
   * Returns the bytes and the guest's name for the file.
   */
  readFileForExec(guestPath: string): { bytes: Uint8Array; hostPath: string } {
    return readFileForExec(this.c, guestPath);
  }

  /** pipe2(2): [read end, write end], real host pipes. */
  pipe(opts: { cloexec?: boolean; nonblock?: boolean } = {}): [number, number] { return createPipe(this.c.t, opts); }

  /**
   * eventfd2(2): a host eventfd. Reads and writes move 8-byte counters in HOST
   * byte order (personalities of the other order swap them).
   */
  eventfd(initval: number, opts: { cloexec?: boolean; nonblock?: boolean; semaphore?: boolean } = {}): number {
    return install(this.c.t, () => eventfdEntry(initval, opts));
  }

  // ---- signalfd (./kinds/signalfd.ts): the personality reads them; the server keeps mask and readiness ----
  signalfd(mask: bigint, opts: { cloexec?: boolean; nonblock?: boolean } = {}): number { return sigfd.createSignalfd(this.c, mask, opts); }
  setSignalfdMask(fd: number, mask: bigint): void { sigfd.setSignalfdMask(this.c, fd, mask); }
  signalfdState(fd: number): { mask: bigint; nonblock: boolean } { return sigfd.signalfdState(this.c, fd); }
  refreshSignalfds(pending: bigint): void { sigfd.refreshSignalfds(this.c, pending); }
  /** Has this process ever made a signalfd? (a read checks for one only then) */
  hasSignalfds(): boolean { return Atomics.load(this.c.t.header, HDR.SIGNALFDS) !== 0; }

  // ---- timerfd (./kinds/timerfd.ts): expiry counts are 8 HOST-order bytes, like eventfd's ----
  timerfd(clock: number, opts: { cloexec?: boolean; nonblock?: boolean } = {}): number { return install(this.c.t, () => timers.timerfdEntry(clock, opts)); }
  setTimer(fd: number, v: TimerSpec, opts: { abstime?: boolean; cancelOnSet?: boolean } = {}): TimerSpec { return timers.setTimer(this.c, fd, v, opts); }
  getTimer(fd: number): TimerSpec { return timers.getTimer(this.c, fd); }

  // ---- sockets (./kinds/socket.ts) ----

  socket(family: number, type: SocketType, protocol: number, opts: { cloexec?: boolean; nonblock?: boolean } = {}): number { return sock.createSocket(this.c, family, type, protocol, opts); }
  socketPair(family: number, type: SocketType, protocol: number, opts: { cloexec?: boolean; nonblock?: boolean } = {}): [number, number] { return sock.createSocketPair(this.c, family, type, protocol, opts); }
  bind(fd: number, addr: SockAddr): void { sock.bindSocket(this.c, fd, addr); }
  listen(fd: number, backlog: number): void { sock.listenSocket(this.c, fd, backlog); }
  accept(fd: number, opts: { cloexec?: boolean; nonblock?: boolean } = {}): { fd: number; peer: SockAddr } { return sock.acceptSocket(this.c, fd, opts); }
  connect(fd: number, addr: SockAddr): void { sock.connectSocket(this.c, fd, addr); }
  shutdown(fd: number, how: 'read' | 'write' | 'both'): void { sock.shutdownSocket(this.c, fd, how); }
  socketName(fd: number): SockAddr { return sock.socketName(this.c, fd); }
  peerName(fd: number): SockAddr { return sock.peerName(this.c, fd); }
  send(fd: number, buf: Uint8Array, to: SockAddr | null, opts: sock.SendOptions = {}): number { return sock.sendSocket(this.c, fd, buf, to, opts); }
  sendMessage(fd: number, data: Uint8Array, to: SockAddr | null, rights: readonly number[], opts: sock.SendOptions = {}): number { return sock.sendMessage(this.c, fd, data, to, rights, opts); }
  recvMessage(fd: number, len: number, maxFds: number, opts: sock.RecvMessageOptions = {}): sock.ReceivedMessage { return sock.recvMessage(this.c, fd, len, maxFds, opts); }
  recv(fd: number, buf: Uint8Array, opts: { dontwait?: boolean; peek?: boolean; waitall?: boolean } = {}): { n: number; from: SockAddr | null } { return sock.recvSocket(this.c, fd, buf, opts); }
  setSocketTimeout(fd: number, which: sock.TimeoutOption, tv: sock.Timeval): void { sock.setSocketTimeout(this.c, fd, which, tv); }
  getSocketTimeout(fd: number, which: sock.TimeoutOption): sock.Timeval { return sock.getSocketTimeout(this.c, fd, which); }
  setLinger(fd: number, l: sock.Linger): void { sock.setLinger(this.c, fd, l); }
  getLinger(fd: number): sock.Linger { return sock.getLinger(this.c, fd); }
  /** A SIOCGIF* ioctl on a socket (./kinds/socket.ts). */
  interfaceRequest(fd: number, req: number, ifreq: Uint8Array): void { sock.interfaceRequest(this.c, fd, req, ifreq); }
  setSocketOption(fd: number, name: SocketOption, value: number): void { sock.setSocketOption(this.c, fd, name, value); }
  getSocketOption(fd: number, name: SocketOption): number | string { return sock.getSocketOption(this.c, fd, name); }

  /** epoll_create1(2): a host epoll instance (./kinds/epoll.ts). */
  epollCreate(opts: { cloexec?: boolean } = {}): number { return install(this.c.t, () => epollEntry(opts)); }

  /** epoll_ctl(2): `events` and `data` are Linux's epoll_event, passed through. */
  epollCtl(epfd: number, op: EpollOp, fd: number, events = 0, data = 0n): void { epollCtl(this.c.t, epfd, op, fd, events, data); }

  /** epoll_wait(2): up to `max` ready events (timeoutNs 0: no wait; null: forever). Interruptible (EINTR). */
  epollWait(epfd: number, max: number, timeoutNs: bigint | null): EpollEvent[] { return epollWait(this.c.t, this.c.interrupter, epfd, max, timeoutNs); }

  // ---- waiting (./poll.ts) -------------------------------------------------------

  /**
   * poll(2) over guest fds: negative fds are skipped, fds that are not open
   * (or O_PATH) report POLL.NVAL. `timeoutNs` 0 polls, null waits forever.
   * Interruptible (EINTR) while no fd is ready.
   */
  poll(reqs: readonly PollRequest[], timeoutNs: bigint | null): PollResult { return poll(this.c, reqs, timeoutNs); }

  // ---- I/O: one dispatch on the fd's kind (./kinds/) ------------------------------

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

  lseek(fd: number, offset: bigint, whence: Whence): bigint { return host.lseek(entry(this.c.t, fd).hostFd, offset, SEEK[whence]); }

  /**
   * getdents: directory entries from the current position, as many as fit in
   * `budget` bytes where one entry takes `sizeOf(nameLength)` bytes in the
   * caller's layout. The position advances past the returned entries only
   * (entries that did not fit are read again next time), so small buffers,
   * readdir loops and telldir/seekdir (lseek with an entry's `off`) work.
   * An empty result means end of directory; EINVAL if not even one entry fits.
   */
  getdents(fd: number, budget: number, sizeOf: (nameLength: number) => number): DirEntry[] {
    const o = ioEntry(this.c.t, fd);
    const getdents = opsOf(o.kind).getdents;
    if (getdents === undefined) throw fail('ENOTDIR');
    return getdents(o.hostFd, budget, sizeOf);
  }

  // ---- names in folders (./names.ts) -----------------------------------------------

  readlink(dirfd: DirFd, path: string, opts: { emptyPath?: boolean } = {}): string { return names.readlink(this.c, dirfd, path, opts); }

  mkdir(dirfd: DirFd, path: string, mode: number): void { names.mkdir(this.c, dirfd, path, mode); }

  /** unlinkat: `removeDir` is rmdir. */
  unlink(dirfd: DirFd, path: string, opts: { removeDir?: boolean } = {}): void { names.unlink(this.c, dirfd, path, opts); }

  rename(olddirfd: DirFd, oldpath: string, newdirfd: DirFd, newpath: string, flags: RenameFlags = {}): void {
    names.rename(this.c, olddirfd, oldpath, newdirfd, newpath, flags);
  }

  link(olddirfd: DirFd, oldpath: string, newdirfd: DirFd, newpath: string, opts: { follow?: boolean; emptyPath?: boolean } = {}): void {
    names.link(this.c, olddirfd, oldpath, newdirfd, newpath, opts);
  }

  /** symlink: the target is stored as the guest wrote it. */
  symlink(target: string, dirfd: DirFd, path: string): void { names.symlink(this.c, target, dirfd, path); }

  // ---- metadata (./metadata.ts; fstat is the kind's) --------------------------------

  fstat(fd: number): Stat {
    const o = entry(this.c.t, fd);
    return opsOf(o.kind).stat(o.hostFd);
  }

  /** fstatat / statx. */
  stat(dirfd: DirFd, path: string, opts: StatOptions = {}): Stat { return meta.stat(this.c, dirfd, path, opts); }

  /** faccessat2: mode is R=4 | W=2 | X=1 (0 = existence). */
  access(dirfd: DirFd, path: string, mode: number, opts: { eaccess?: boolean; nofollow?: boolean; emptyPath?: boolean } = {}): void {
    meta.access(this.c, dirfd, path, mode, opts);
  }

  truncate(dirfd: DirFd, path: string, length: bigint): void { meta.truncate(this.c, dirfd, path, length); }

  ftruncate(fd: number, length: bigint): void { meta.ftruncate(this.c.t, fd, length); }

  fallocate(fd: number, mode: FallocateMode, offset: bigint, length: bigint): void { meta.fallocate(this.c.t, fd, mode, offset, length); }

  fsync(fd: number): void { host.fsync(entry(this.c.t, fd).hostFd); }
  fdatasync(fd: number): void { host.fdatasync(entry(this.c.t, fd).hostFd); }
  sync(): void { host.sync(); }
  syncfs(fd: number): void { host.syncfs(entry(this.c.t, fd).hostFd); }

  chmod(dirfd: DirFd, path: string, mode: number): void { meta.chmod(this.c, dirfd, path, mode); }

  fchmod(fd: number, mode: number): void { meta.fchmod(this.c.t, fd, mode); }

  /** uid/gid -1 (0xffffffff) leave that id unchanged. */
  chown(dirfd: DirFd, path: string, uid: number, gid: number, opts: { nofollow?: boolean; emptyPath?: boolean } = {}): void {
    meta.chown(this.c, dirfd, path, uid, gid, opts);
  }

  fchown(fd: number, uid: number, gid: number): void { meta.fchown(this.c.t, fd, uid, gid); }

  /**
   * utimensat: `path` null means the fd itself (futimens); `times` null means
   * both now.
   */
  utimens(dirfd: DirFd, path: string | null, times: [TimeSpecArg, TimeSpecArg] | null, opts: { nofollow?: boolean; emptyPath?: boolean } = {}): void {
    meta.utimens(this.c, dirfd, path, times, opts);
  }

  statfs(dirfd: DirFd, path: string): StatFs { return meta.statfs(this.c, dirfd, path); }

  fstatfs(fd: number): StatFs { return host.fstatfs(entry(this.c.t, fd).hostFd); }

  // ---- fcntl: status flags (./status-flags.ts), locks (./locks.ts) ----------------

  getStatusFlags(fd: number): StatusFlags { return getStatusFlags(this.c.t, fd); }

  /** F_SETFL: only append, nonblock, async, direct and noatime change (as on Linux). */
  setStatusFlags(fd: number, f: { append?: boolean; nonblock?: boolean; async?: boolean; direct?: boolean; noatime?: boolean }): void {
    setStatusFlags(this.c.t, fd, f);
  }

  /** F_GETLK, as an open file description lock (guest processes share one host process). */
  getLock(fd: number, lock: Lock): Lock { return locks.getLock(this.c.t, fd, lock); }

  /** F_SETLK / F_SETLKW: a waiting lock stays interruptible (EINTR). */
  setLock(fd: number, lock: Lock, wait: boolean): void { locks.setLock(this.c.t, this.c.interrupter, fd, lock, wait); }

  /** flock(2): 'shared' / 'exclusive' / 'unlock'; a waiting lock stays interruptible (EINTR). */
  flock(fd: number, op: 'shared' | 'exclusive' | 'unlock', nonblock: boolean): void { locks.flock(this.c.t, this.c.interrupter, fd, op, nonblock); }

  // ---- terminals and other ioctls (the kind's) ----------------------------------------

  isatty(fd: number): boolean { return opsOf(entry(this.c.t, fd).kind).terminal !== undefined; }

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
