/**
 * The host gateway to libc, through koffi: everything node:fs cannot do
 * (*at calls relative to a directory fd, openat2, statx, getdents64, fcntl,
 * ioctl/termios, dup3, lseek with 64-bit offsets, zero-copy read/write into
 * guest memory).
 *
 * Conventions:
 *  - numbers here are HOST numbers (host O_*, AT_*, ioctl requests); the
 *    files server translates neutral requests into them (see `H` below);
 *  - paths are "byte strings": JS strings holding one byte per char (latin1),
 *    so any byte sequence a guest uses survives the trip unchanged;
 *  - every failing call throws a ServerError carrying the neutral errno name
 *    (src/host/errno.ts), never a host number;
 *  - koffi is loaded lazily on first use; if it cannot load, the error says so.
 *
 * Guest memory: koffi passes Uint8Array views of the guest SharedArrayBuffer
 * to `void *` parameters by address (no copy; verified), so read/write/pread/
 * pwrite/getdents fill guest memory directly. readv/writev build a host iovec
 * array from the host address of guest memory (`hostAddress`).
 *
 * The host must be Linux (x86_64, aarch64, ...): those share the generic
 * values hard-coded below; O_* values that differ between them come from
 * node:fs constants.
 */
import { createRequire } from 'node:module';
import { constants as fsc } from 'node:fs';
import { constants as osConstants } from 'node:os';
import type * as Koffi from 'koffi';
import { hostError } from './errno.js';

type Fn = (...args: any[]) => any;

// ---- host constants --------------------------------------------------------

const dirFlag = fsc.O_DIRECTORY ?? 0o200000;
/** Host open flags and other host constants (Linux). */
export const H = {
  O_RDONLY: fsc.O_RDONLY, O_WRONLY: fsc.O_WRONLY, O_RDWR: fsc.O_RDWR, O_ACCMODE: 3,
  O_CREAT: fsc.O_CREAT, O_EXCL: fsc.O_EXCL, O_NOCTTY: fsc.O_NOCTTY, O_TRUNC: fsc.O_TRUNC,
  O_APPEND: fsc.O_APPEND, O_NONBLOCK: fsc.O_NONBLOCK, O_DSYNC: fsc.O_DSYNC ?? 0o10000,
  O_SYNC: fsc.O_SYNC ?? 0o4010000, O_DIRECT: fsc.O_DIRECT ?? 0o40000,
  O_DIRECTORY: dirFlag, O_NOFOLLOW: fsc.O_NOFOLLOW ?? 0o400000, O_NOATIME: fsc.O_NOATIME ?? 0o1000000,
  O_ASYNC: 0o20000, O_CLOEXEC: 0o2000000, O_PATH: 0o10000000, O_TMPFILE: 0o20000000 | dirFlag,
  O_LARGEFILE: 0, // always on for a 64-bit host
  AT_FDCWD: -100, AT_SYMLINK_NOFOLLOW: 0x100, AT_REMOVEDIR: 0x200, AT_EACCESS: 0x200,
  AT_SYMLINK_FOLLOW: 0x400, AT_NO_AUTOMOUNT: 0x800, AT_EMPTY_PATH: 0x1000,
  AT_STATX_FORCE_SYNC: 0x2000, AT_STATX_DONT_SYNC: 0x4000,
  RESOLVE_NO_XDEV: 1, RESOLVE_NO_MAGICLINKS: 2, RESOLVE_NO_SYMLINKS: 4, RESOLVE_BENEATH: 8,
  RESOLVE_IN_ROOT: 0x10,
  F_DUPFD: 0, F_GETFD: 1, F_SETFD: 2, F_GETFL: 3, F_SETFL: 4, F_GETLK: 5, F_SETLK: 6, F_SETLKW: 7,
  F_OFD_GETLK: 36, F_OFD_SETLK: 37, F_OFD_SETLKW: 38, F_DUPFD_CLOEXEC: 1030,
  F_RDLCK: 0, F_WRLCK: 1, F_UNLCK: 2, FD_CLOEXEC: 1,
  SEEK_SET: 0, SEEK_CUR: 1, SEEK_END: 2, SEEK_DATA: 3, SEEK_HOLE: 4,
  TCGETS: 0x5401, TCSETS: 0x5402, TCSETSW: 0x5403, TCSETSF: 0x5404,
  TIOCGPGRP: 0x540f, TIOCSPGRP: 0x5410, TIOCGWINSZ: 0x5413, TIOCSWINSZ: 0x5414,
  FIONREAD: 0x541b, FIONBIO: 0x5421, TIOCSCTTY: 0x540e, TIOCNOTTY: 0x5422,
  STATX_BASIC_STATS: 0x7ff, STATX_BTIME: 0x800, STATX_ALL: 0xfff,
  UTIME_NOW: (1 << 30) - 1, UTIME_OMIT: (1 << 30) - 2,
} as const;

// ---- lazy loading ----------------------------------------------------------

interface Libc {
  koffi: typeof Koffi;
  f: Record<string, Fn>;
}

let libc: Libc | null = null;
let loadError: Error | null = null;

const PROTOTYPES: Record<string, string> = {
  openat: 'int openat(int, const char *, int, uint32_t)',
  close: 'int close(int)',
  read: 'intptr_t read(int, void *, size_t)',
  write: 'intptr_t write(int, const void *, size_t)',
  pread: 'intptr_t pread64(int, void *, size_t, int64_t)',
  pwrite: 'intptr_t pwrite64(int, const void *, size_t, int64_t)',
  readv: 'intptr_t readv(int, const void *, int)',
  writev: 'intptr_t writev(int, const void *, int)',
  preadv: 'intptr_t preadv64(int, const void *, int, int64_t)',
  pwritev: 'intptr_t pwritev64(int, const void *, int, int64_t)',
  lseek: 'int64_t lseek64(int, int64_t, int)',
  statx: 'int statx(int, const char *, int, uint32_t, void *)',
  mkdirat: 'int mkdirat(int, const char *, uint32_t)',
  mknodat: 'int mknodat(int, const char *, uint32_t, uint64_t)',
  unlinkat: 'int unlinkat(int, const char *, int)',
  renameat2: 'int renameat2(int, const char *, int, const char *, uint32_t)',
  linkat: 'int linkat(int, const char *, int, const char *, int)',
  symlinkat: 'int symlinkat(const char *, int, const char *)',
  readlinkat: 'intptr_t readlinkat(int, const char *, void *, size_t)',
  fchmodat: 'int fchmodat(int, const char *, uint32_t, int)',
  fchmod: 'int fchmod(int, uint32_t)',
  fchownat: 'int fchownat(int, const char *, uint32_t, uint32_t, int)',
  fchown: 'int fchown(int, uint32_t, uint32_t)',
  utimensat: 'int utimensat(int, const char *, const void *, int)',
  futimens: 'int futimens(int, const void *)',
  getdents64: 'intptr_t getdents64(int, void *, size_t)',
  ftruncate: 'int ftruncate64(int, int64_t)',
  truncate: 'int truncate64(const char *, int64_t)',
  fallocate: 'int fallocate64(int, int, int64_t, int64_t)',
  fsync: 'int fsync(int)',
  fdatasync: 'int fdatasync(int)',
  sync: 'void sync(void)',
  syncfs: 'int syncfs(int)',
  fcntl: 'int fcntl(int, int, ...)',
  dup: 'int dup(int)',
  dup3: 'int dup3(int, int, int)',
  ioctl: 'int ioctl(int, unsigned long, ...)',
  isatty: 'int isatty(int)',
  statfs: 'int statfs64(const char *, void *)',
  fstatfs: 'int fstatfs64(int, void *)',
  pipe2: 'int pipe2(void *, int)',
  poll: 'int poll(void *, uint64_t, int)',
  ppoll: 'int ppoll(void *, uint64_t, const void *, const void *)',
  eventfd: 'int eventfd(unsigned int, int)',
  timerfd_create: 'int timerfd_create(int, int)',
  timerfd_settime: 'int timerfd_settime(int, int, const void *, void *)',
  timerfd_gettime: 'int timerfd_gettime(int, void *)',
  epoll_create1: 'int epoll_create1(int)',
  socket: 'int socket(int, int, int)',
  socketpair: 'int socketpair(int, int, int, void *)',
  bind: 'int bind(int, const void *, uint32_t)',
  listen: 'int listen(int, int)',
  accept4: 'int accept4(int, void *, void *, int)',
  connect: 'int connect(int, const void *, uint32_t)',
  getsockname: 'int getsockname(int, void *, void *)',
  getpeername: 'int getpeername(int, void *, void *)',
  shutdown: 'int shutdown(int, int)',
  sendto: 'intptr_t sendto(int, const void *, size_t, int, const void *, uint32_t)',
  sendmsg: 'intptr_t sendmsg(int, void *, int)',
  recvmsg: 'intptr_t recvmsg(int, void *, int)',
  recvfrom: 'intptr_t recvfrom(int, void *, size_t, int, void *, void *)',
  setsockopt: 'int setsockopt(int, int, int, const void *, uint32_t)',
  getsockopt: 'int getsockopt(int, int, int, void *, void *)',
  epoll_ctl: 'int epoll_ctl(int, int, int, void *)',
  epoll_wait: 'int epoll_wait(int, void *, int, int)',
  flock: 'int flock(int, int)',
  syscall: 'long syscall(long, ...)',
  memmove: 'uintptr_t memmove(void *, const void *, size_t)',
  signal: 'intptr_t signal(int, intptr_t)',
  madvise: 'int madvise(uintptr_t, size_t, int)',
  sigaction: 'int sigaction(int, const void *, void *)',
  sigprocmask: 'int sigprocmask(int, const void *, void *)',
  raise: 'int raise(int)',
};

function load(): Libc {
  if (libc) return libc;
  if (loadError) throw loadError;
  if (process.platform !== 'linux') {
    loadError = new Error(`compat's host gateway needs a Linux host; this one is ${process.platform}.`);
    throw loadError;
  }
  let koffi: typeof Koffi;
  try {
    const req = createRequire(import.meta.url);
    const mod = req('koffi') as typeof Koffi & { default?: typeof Koffi };
    koffi = mod.default ?? mod;
  } catch (e) {
    loadError = new Error(
      'compat needs the koffi package (a native FFI module) to call the host C library, ' +
      `but it could not be loaded: ${(e as Error).message}. Reinstall with "npm install koffi".`);
    throw loadError;
  }
  let lib: Koffi.IKoffiLib;
  try {
    lib = koffi.load('libc.so.6');
  } catch (e) {
    loadError = new Error(`koffi loaded, but the host C library libc.so.6 could not be opened: ${(e as Error).message}`);
    throw loadError;
  }
  const f: Record<string, Fn> = {};
  for (const [name, proto] of Object.entries(PROTOTYPES)) {
    try {
      f[name] = lib.func(proto) as unknown as Fn;
    } catch {
      // older libc without this symbol: the wrapper below falls back or fails with ENOSYS
    }
  }
  libc = { koffi, f };
  return libc;
}

/** True when the gateway can be used (koffi and libc loaded). */
export function hostAvailable(): boolean {
  try { load(); return true; } catch { return false; }
}

function fn(name: string): Fn {
  const l = load();
  const g = l.f[name];
  if (!g) throw hostError(38 /* ENOSYS */, `host libc lacks ${name}`);
  return g;
}

function errno(): number {
  return load().koffi.errno();
}

/** Calls a libc function that returns -1 on error; throws a ServerError then. */
function call(name: string, ...args: unknown[]): number {
  const r = fn(name)(...args);
  const n = typeof r === 'bigint' ? Number(r) : (r as number);
  if (n === -1) throw hostError(errno(), name);
  return n;
}

const cstr = (path: string): Buffer => Buffer.from(path + '\0', 'latin1');

// ---- descriptors and I/O ---------------------------------------------------

export const openat = (dirfd: number, path: string, flags: number, mode: number): number =>
  call('openat', dirfd, cstr(path), flags, mode >>> 0);

/** openat2(2) through syscall(437): `resolve` carries RESOLVE_* bits. */
export function openat2(dirfd: number, path: string, flags: number, mode: number, resolve: number): number {
  const how = Buffer.alloc(24);
  how.writeBigUInt64LE(BigInt(flags >>> 0), 0);
  how.writeBigUInt64LE(BigInt(mode >>> 0), 8);
  how.writeBigUInt64LE(BigInt(resolve >>> 0), 16);
  return call('syscall', 437, 'int', dirfd, 'const char *', cstr(path), 'void *', how, 'size_t', 24);
}

export const close = (fd: number): void => { call('close', fd); };

/** read(2) straight into `buf` (may be a view of guest memory). Returns bytes read. */
export const read = (fd: number, buf: Uint8Array): number => call('read', fd, buf, buf.length);
export const write = (fd: number, buf: Uint8Array): number => call('write', fd, buf, buf.length);
export const pread = (fd: number, buf: Uint8Array, off: bigint): number => call('pread', fd, buf, buf.length, off);
export const pwrite = (fd: number, buf: Uint8Array, off: bigint): number => call('pwrite', fd, buf, buf.length, off);

const baseAddresses = new WeakMap<ArrayBufferLike, bigint>();
/** The host address of a byte inside a (shared) ArrayBuffer view. */
export function hostAddress(view: Uint8Array): bigint {
  let base = baseAddresses.get(view.buffer);
  if (base === undefined) {
    const whole = new Uint8Array(view.buffer, 0, 1);
    base = BigInt(fn('memmove')(whole, whole, 0));
    baseAddresses.set(view.buffer, base);
  }
  return base + BigInt(view.byteOffset);
}

function iovecs(views: readonly Uint8Array[]): Buffer {
  const b = Buffer.alloc(16 * views.length);
  views.forEach((v, i) => {
    b.writeBigUInt64LE(v.length ? hostAddress(v) : 0n, 16 * i);
    b.writeBigUInt64LE(BigInt(v.length), 16 * i + 8);
  });
  return b;
}

/** readv(2)/writev(2) over views (of guest memory): one host call, so pipes see one read/write. */
export const readv = (fd: number, views: readonly Uint8Array[]): number => call('readv', fd, iovecs(views), views.length);
export const writev = (fd: number, views: readonly Uint8Array[]): number => call('writev', fd, iovecs(views), views.length);
export const preadv = (fd: number, views: readonly Uint8Array[], off: bigint): number =>
  call('preadv', fd, iovecs(views), views.length, off);
export const pwritev = (fd: number, views: readonly Uint8Array[], off: bigint): number =>
  call('pwritev', fd, iovecs(views), views.length, off);

/** lseek(2) with 64-bit offsets. */
export function lseek(fd: number, off: bigint, whence: number): bigint {
  const r = fn('lseek')(fd, off, whence);
  const v = BigInt(r);
  if (v === -1n) throw hostError(errno(), 'lseek');
  return v;
}

export const getdents64 = (fd: number, buf: Uint8Array): number => call('getdents64', fd, buf, buf.length);
export const ftruncate = (fd: number, len: bigint): void => { call('ftruncate', fd, len); };
export const truncate = (path: string, len: bigint): void => { call('truncate', cstr(path), len); };
export const fallocate = (fd: number, mode: number, off: bigint, len: bigint): void => { call('fallocate', fd, mode, off, len); };
export const fsync = (fd: number): void => { call('fsync', fd); };
export const fdatasync = (fd: number): void => { call('fdatasync', fd); };
export const sync = (): void => { fn('sync')(); };
export const syncfs = (fd: number): void => { call('syncfs', fd); };

/** fcntl(2) with an integer argument (F_GETFL, F_SETFL, F_GETFD, F_SETFD, F_DUPFD...). */
export const fcntl = (fd: number, cmd: number, arg = 0): number => call('fcntl', fd, cmd, 'long', arg);

/** A host `struct flock` (64-bit Linux layout). */
export interface HostFlock { type: number; whence: number; start: bigint; len: bigint; pid: number }

/** fcntl(2) F_GETLK/F_SETLK/F_SETLKW (and the OFD variants). */
export function fcntlLock(fd: number, cmd: number, lk: HostFlock): HostFlock {
  const b = Buffer.alloc(32);
  b.writeInt16LE(lk.type, 0);
  b.writeInt16LE(lk.whence, 2);
  b.writeBigInt64LE(lk.start, 8);
  b.writeBigInt64LE(lk.len, 16);
  b.writeInt32LE(lk.pid, 24);
  call('fcntl', fd, cmd, 'void *', b);
  return { type: b.readInt16LE(0), whence: b.readInt16LE(2), start: b.readBigInt64LE(8), len: b.readBigInt64LE(16), pid: b.readInt32LE(24) };
}

export const dup = (fd: number): number => call('dup', fd);
export const dup3 = (oldfd: number, newfd: number, flags: number): number => call('dup3', oldfd, newfd, flags);
/** dup to the lowest host fd >= min, close-on-exec on the host. */
export const dupCloexec = (fd: number, min = 3): number => fcntl(fd, H.F_DUPFD_CLOEXEC, min);

/** ioctl(2) with a pointer argument (a Buffer the request reads or fills). */
export const ioctlPtr = (fd: number, req: number, arg: Uint8Array): number => call('ioctl', fd, req, 'void *', arg);
/** ioctl(2) with an integer argument. */
export const ioctlInt = (fd: number, req: number, arg: number): number => call('ioctl', fd, req, 'long', arg);

export function isatty(fd: number): boolean {
  return fn('isatty')(fd) === 1;
}

/** pipe2(2): [read end, write end]. */
export function pipe2(flags: number): [number, number] {
  const b = Buffer.alloc(8);
  call('pipe2', b, flags);
  return [b.readInt32LE(0), b.readInt32LE(4)];
}

export const POLLIN = 1, POLLOUT = 4, POLLERR = 8, POLLHUP = 16, POLLNVAL = 32;

/** poll(2) on one fd: the revents (0 on timeout). Retries on EINTR. */
export function pollOne(fd: number, events: number, timeoutMs: number): number {
  const b = Buffer.alloc(8);
  b.writeInt32LE(fd, 0);
  b.writeInt16LE(events, 4);
  for (;;) {
    try {
      const n = call('poll', b, 1, timeoutMs);
      return n === 0 ? 0 : b.readInt16LE(6);
    } catch (e) {
      if ((e as { errno?: string }).errno !== 'EINTR') throw e;
    }
  }
}

/** One host pollfd: `revents` is filled in by `pollMany`. */
export interface HostPollFd { fd: number; events: number; revents: number }

/**
 * ppoll(2) on many fds with a nanosecond timeout (null: wait forever), no
 * signal mask change. Returns the number of fds with events and fills
 * `revents`; throws EINTR like the host call (callers loop).
 */
export function pollMany(fds: HostPollFd[], timeoutNs: bigint | null): number {
  const b = Buffer.alloc(8 * fds.length);
  fds.forEach((p, i) => { b.writeInt32LE(p.fd, 8 * i); b.writeInt16LE(p.events, 8 * i + 4); });
  let ts: Buffer | null = null;
  if (timeoutNs !== null) {
    const t = timeoutNs < 0n ? 0n : timeoutNs;
    ts = Buffer.alloc(16);
    ts.writeBigInt64LE(t / 1_000_000_000n, 0);
    ts.writeBigInt64LE(t % 1_000_000_000n, 8);
  }
  const n = call('ppoll', b, fds.length, ts, null);
  fds.forEach((p, i) => { p.revents = n === 0 ? 0 : b.readUInt16LE(8 * i + 6); });
  return n;
}

// ---- sockets (host sockaddr bytes; host SOCK_*, SOL_*, SO_* numbers) ----------------

export const AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10;
export const SOCK_NONBLOCK = 0o4000, SOCK_CLOEXEC = 0o2000000;
export const MSG_NOSIGNAL = 0x4000, MSG_DONTWAIT = 0x40, MSG_FASTOPEN = 0x20000000;

export const socket = (domain: number, type: number, protocol: number): number => call('socket', domain, type, protocol);

export function socketpair(domain: number, type: number, protocol: number): [number, number] {
  const b = Buffer.alloc(8);
  call('socketpair', domain, type, protocol, b);
  return [b.readInt32LE(0), b.readInt32LE(4)];
}

export const bind = (fd: number, addr: Uint8Array): void => { call('bind', fd, addr, addr.length); };
export const listen = (fd: number, backlog: number): void => { call('listen', fd, backlog); };
export const connect = (fd: number, addr: Uint8Array): void => { call('connect', fd, addr, addr.length); };
export const shutdown = (fd: number, how: number): void => { call('shutdown', fd, how); };

/** A sockaddr the host filled in (up to 128 bytes, sockaddr_storage). */
function withAddr(f: (addr: Buffer, len: Buffer) => number): { n: number; addr: Uint8Array } {
  const addr = Buffer.alloc(128);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(128, 0);
  const n = f(addr, len);
  return { n, addr: new Uint8Array(addr.subarray(0, Math.min(128, len.readUInt32LE(0)))) };
}

/** accept4(2): the new host fd and the peer's address. */
export function accept4(fd: number, flags: number): { fd: number; addr: Uint8Array } {
  const r = withAddr((a, l) => call('accept4', fd, a, l, flags));
  return { fd: r.n, addr: r.addr };
}

export const getsockname = (fd: number): Uint8Array => withAddr((a, l) => call('getsockname', fd, a, l)).addr;
export const getpeername = (fd: number): Uint8Array => withAddr((a, l) => call('getpeername', fd, a, l)).addr;

export const sendto = (fd: number, buf: Uint8Array, flags: number, addr: Uint8Array | null): number =>
  call('sendto', fd, buf, buf.length, flags, addr, addr ? addr.length : 0);

/** recvfrom(2): bytes read and the sender's address (empty for connected stream sockets). */
export function recvfrom(fd: number, buf: Uint8Array, flags: number): { n: number; addr: Uint8Array } {
  return withAddr((a, l) => call('recvfrom', fd, buf, buf.length, flags, a, l));
}

/** sendmsg(2)/recvmsg(2)'s message: one data buffer, the peer's sockaddr, control messages (host cmsghdr layout). */
export interface HostMessage { data: Uint8Array; name: Uint8Array | null; control: Uint8Array | null }
/** What recvmsg(2) gave: bytes read, the sender, control messages and the MSG_* flags (MSG_TRUNC, MSG_CTRUNC...). */
export interface HostReceived { n: number; name: Uint8Array; control: Uint8Array; flags: number }

export const MSG_CTRUNC = 0x8, MSG_TRUNC = 0x20, MSG_CMSG_CLOEXEC = 0x40000000;
/** struct msghdr on a 64-bit host: name, namelen, iov, iovlen, control, controllen, flags. */
const MSGHDR = { name: 0, namelen: 8, iov: 16, iovlen: 24, control: 32, controllen: 40, flags: 48, size: 56 } as const;

/**
 * Runs `f` on a native msghdr (one iovec) laid out in memory of koffi's:
 * sendmsg and recvmsg take pointers inside it, which Node buffers cannot give.
 */
function withMsghdr<T>(dataLen: number, nameLen: number, controlLen: number, f: (hdr: unknown, view: DataView, at: { data: number; name: number; control: number }) => T): T {
  const k = load().koffi;
  const at = { data: MSGHDR.size + 16, name: 0, control: 0 };
  at.name = at.data + ((dataLen + 7) & ~7);
  at.control = at.name + ((nameLen + 7) & ~7);
  const size = at.control + controlLen;
  const mem = k.alloc('uint8', Math.max(size, 1));
  try {
    const base = k.address(mem) as bigint;
    const view = new DataView(k.view(mem, size) as ArrayBuffer);
    view.setBigUint64(MSGHDR.name, nameLen ? base + BigInt(at.name) : 0n, true);
    view.setUint32(MSGHDR.namelen, nameLen, true);
    view.setBigUint64(MSGHDR.iov, base + BigInt(MSGHDR.size), true);
    view.setBigUint64(MSGHDR.iovlen, 1n, true);
    view.setBigUint64(MSGHDR.control, controlLen ? base + BigInt(at.control) : 0n, true);
    view.setBigUint64(MSGHDR.controllen, BigInt(controlLen), true);
    view.setInt32(MSGHDR.flags, 0, true);
    view.setBigUint64(MSGHDR.size, base + BigInt(at.data), true);
    view.setBigUint64(MSGHDR.size + 8, BigInt(dataLen), true);
    return f(mem, view, at);
  } finally {
    k.free(mem);
  }
}

/** sendmsg(2) of one buffer, with an optional peer address and control messages. */
export function sendmsg(fd: number, m: HostMessage, flags: number): number {
  const nameLen = m.name?.length ?? 0, controlLen = m.control?.length ?? 0;
  return withMsghdr(m.data.length, nameLen, controlLen, (hdr, view, at) => {
    const bytes = new Uint8Array(view.buffer);
    bytes.set(m.data, at.data);
    if (m.name) bytes.set(m.name, at.name);
    if (m.control) bytes.set(m.control, at.control);
    return call('sendmsg', fd, hdr, flags);
  });
}

/** recvmsg(2) into one buffer of `dataLen` bytes, with room for a sockaddr and `controlLen` bytes of control messages. */
export function recvmsg(fd: number, dataLen: number, controlLen: number, flags: number): HostReceived & { data: Uint8Array } {
  return withMsghdr(dataLen, 128, controlLen, (hdr, view, at) => {
    const n = call('recvmsg', fd, hdr, flags);
    const bytes = new Uint8Array(view.buffer);
    const nameLen = Math.min(128, view.getUint32(MSGHDR.namelen, true));
    const ctlLen = Math.min(controlLen, Number(view.getBigUint64(MSGHDR.controllen, true)));
    return {
      n, flags: view.getInt32(MSGHDR.flags, true),
      data: bytes.slice(at.data, at.data + Math.min(n, dataLen)),
      name: bytes.slice(at.name, at.name + nameLen),
      control: bytes.slice(at.control, at.control + ctlLen),
    };
  });
}

export const setsockopt = (fd: number, level: number, name: number, value: Uint8Array): void => {
  call('setsockopt', fd, level, name, value, value.length);
};

export function getsockopt(fd: number, level: number, name: number, size: number): Uint8Array {
  const b = Buffer.alloc(size);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(size, 0);
  call('getsockopt', fd, level, name, b, len);
  return new Uint8Array(b.subarray(0, len.readUInt32LE(0)));
}

// ---- epoll ----------------------------------------------------------------------

/** struct epoll_event on this host: packed (12 bytes) on x86-64, naturally aligned (16) elsewhere. */
const EPOLL_EVENT_SIZE = process.arch === 'x64' ? 12 : 16;
const EPOLL_DATA_AT = process.arch === 'x64' ? 4 : 8;

/** One ready entry: its events and the 64-bit data it was registered with. */
export interface HostEpollEvent { events: number; data: bigint }

export const EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;

/** epoll_create1(2): `flags` are host bits (EPOLL_CLOEXEC = O_CLOEXEC). */
export const epollCreate1 = (flags: number): number => call('epoll_create1', flags);

/** epoll_ctl(2); `events` and `data` are passed through as the guest gave them. */
export function epollCtl(epfd: number, op: number, fd: number, events: number, data: bigint): void {
  const b = Buffer.alloc(EPOLL_EVENT_SIZE);
  b.writeUInt32LE(events >>> 0, 0);
  b.writeBigUInt64LE(BigInt.asUintN(64, data), EPOLL_DATA_AT);
  call('epoll_ctl', epfd, op, fd, op === EPOLL_CTL_DEL ? null : b);
}

/** epoll_wait(2) without blocking (timeout 0): up to `max` ready entries. Throws EINTR like the host call. */
export function epollTake(epfd: number, max: number): HostEpollEvent[] {
  const b = Buffer.alloc(EPOLL_EVENT_SIZE * max);
  const n = call('epoll_wait', epfd, b, max, 0);
  const out: HostEpollEvent[] = [];
  for (let i = 0; i < n; i++) {
    const at = i * EPOLL_EVENT_SIZE;
    out.push({ events: b.readUInt32LE(at), data: b.readBigUInt64LE(at + EPOLL_DATA_AT) });
  }
  return out;
}

export const EFD_SEMAPHORE = 1;
/** eventfd(2): `flags` are host EFD_* bits (EFD_CLOEXEC = O_CLOEXEC, EFD_NONBLOCK = O_NONBLOCK). */
export const eventfd = (initval: number, flags: number): number => call('eventfd', initval >>> 0, flags);

/** A timer's setting: the interval and the time to the next expiry (or the absolute time, with TFD_TIMER_ABSTIME), in ns. */
export interface TimerSpec { intervalNs: bigint; valueNs: bigint }
export const TFD_TIMER_ABSTIME = 1, TFD_TIMER_CANCEL_ON_SET = 2;

export const timerfdCreate = (clock: number, flags: number): number => call('timerfd_create', clock, flags);

function itimerspec(v: TimerSpec): Buffer {
  const b = Buffer.alloc(32);
  b.writeBigInt64LE(v.intervalNs / 1_000_000_000n, 0);
  b.writeBigInt64LE(v.intervalNs % 1_000_000_000n, 8);
  b.writeBigInt64LE(v.valueNs / 1_000_000_000n, 16);
  b.writeBigInt64LE(v.valueNs % 1_000_000_000n, 24);
  return b;
}
const fromItimerspec = (b: Buffer): TimerSpec => ({
  intervalNs: b.readBigInt64LE(0) * 1_000_000_000n + b.readBigInt64LE(8),
  valueNs: b.readBigInt64LE(16) * 1_000_000_000n + b.readBigInt64LE(24),
});

/** timerfd_settime(2): arms (or disarms, value 0) the timer; returns the old setting. */
export function timerfdSettime(fd: number, flags: number, v: TimerSpec): TimerSpec {
  const old = Buffer.alloc(32);
  call('timerfd_settime', fd, flags, itimerspec(v), old);
  return fromItimerspec(old);
}

export function timerfdGettime(fd: number): TimerSpec {
  const b = Buffer.alloc(32);
  call('timerfd_gettime', fd, b);
  return fromItimerspec(b);
}

/** Adds `value` to an eventfd's counter (8 bytes, host order). */
export function eventfdWrite(fd: number, value: bigint): void {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(value);
  call('write', fd, b, 8);
}

/** Reads (and resets, or decrements in semaphore mode) an eventfd's counter; EAGAIN when zero and non-blocking. */
export function eventfdRead(fd: number): bigint {
  const b = Buffer.alloc(8);
  call('read', fd, b, 8);
  return b.readBigUInt64LE(0);
}

/** Host signal numbers by name (SIGINT: 2, ...), from Node's own table. */
export const signalNumbers: Readonly<Record<string, number>> = { ...osConstants.signals };

export const LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;
/** flock(2). */
export const flock = (fd: number, op: number): void => { call('flock', fd, op); };

let sigpipeChecked = false;
/**
 * Makes sure the host process ignores SIGPIPE, so a write to a pipe without
 * readers fails with EPIPE instead of killing compat (Node ignores it at
 * start-up already; an embedder might not). The guest gets its own SIGPIPE
 * from the personality.
 */
export function ignoreSigpipe(): void {
  if (sigpipeChecked) return;
  sigpipeChecked = true;
  const SIGPIPE = 13;
  // glibc's struct sigaction starts with the handler on every Linux host arch
  const old = Buffer.alloc(256);
  call('sigaction', SIGPIPE, null, old);
  if (old.readBigUInt64LE(0) === 0n /* SIG_DFL: a handler (libuv's) or SIG_IGN stay */) fn('signal')(SIGPIPE, 1 /* SIG_IGN */);
}

/** The host disposition of SIGPIPE is SIG_IGN (for tests). */
export function sigpipeIgnored(): boolean {
  const old = Buffer.alloc(256);
  call('sigaction', 13, null, old);
  return old.readBigUInt64LE(0) === 1n;
}

// ---- paths relative to a directory fd ---------------------------------------

export const mkdirat = (dirfd: number, path: string, mode: number): void => { call('mkdirat', dirfd, cstr(path), mode >>> 0); };
export const mknodat = (dirfd: number, path: string, mode: number, dev: bigint): void => { call('mknodat', dirfd, cstr(path), mode >>> 0, dev); };
export const unlinkat = (dirfd: number, path: string, flags: number): void => { call('unlinkat', dirfd, cstr(path), flags); };
export const renameat2 = (olddir: number, oldpath: string, newdir: number, newpath: string, flags: number): void => {
  call('renameat2', olddir, cstr(oldpath), newdir, cstr(newpath), flags >>> 0);
};
export const linkat = (olddir: number, oldpath: string, newdir: number, newpath: string, flags: number): void => {
  call('linkat', olddir, cstr(oldpath), newdir, cstr(newpath), flags);
};
export const symlinkat = (target: string, dirfd: number, path: string): void => { call('symlinkat', cstr(target), dirfd, cstr(path)); };

/** readlinkat(2): the link's bytes as a byte string. */
export function readlinkat(dirfd: number, path: string): string {
  for (let size = 4096; ; size *= 4) {
    const b = Buffer.alloc(size);
    const n = call('readlinkat', dirfd, cstr(path), b, size);
    if (n < size) return b.toString('latin1', 0, n);
  }
}

export const fchmodat = (dirfd: number, path: string, mode: number, flags: number): void => {
  call('fchmodat', dirfd, cstr(path), mode >>> 0, flags);
};
export const fchmod = (fd: number, mode: number): void => { call('fchmod', fd, mode >>> 0); };
export const fchownat = (dirfd: number, path: string, uid: number, gid: number, flags: number): void => {
  call('fchownat', dirfd, cstr(path), uid >>> 0, gid >>> 0, flags);
};
export const fchown = (fd: number, uid: number, gid: number): void => { call('fchown', fd, uid >>> 0, gid >>> 0); };

/** A timestamp for utimensat: nsec may be H.UTIME_NOW / H.UTIME_OMIT. */
export interface HostTimespec { sec: bigint; nsec: number }

/** utimensat(2); `path` null means the fd itself (futimens). */
export function utimensat(dirfd: number, path: string | null, times: [HostTimespec, HostTimespec] | null, flags: number): void {
  let b: Buffer | null = null;
  if (times) {
    b = Buffer.alloc(32);
    b.writeBigInt64LE(times[0].sec, 0); b.writeBigInt64LE(BigInt(times[0].nsec), 8);
    b.writeBigInt64LE(times[1].sec, 16); b.writeBigInt64LE(BigInt(times[1].nsec), 24);
  }
  if (path === null) call('futimens', dirfd, b);
  else call('utimensat', dirfd, cstr(path), b, flags);
}

/** faccessat2(2) through syscall(439) (exact flag semantics, unlike libc's emulation). */
export function faccessat2(dirfd: number, path: string, mode: number, flags: number): void {
  call('syscall', 439, 'int', dirfd, 'const char *', cstr(path), 'int', mode, 'int', flags);
}

// ---- stat ---------------------------------------------------------------------

/** What host statx(2) reports (struct statx, the same layout on every Linux). */
export interface HostStatx {
  mask: number; blksize: number; attributes: bigint; nlink: number; uid: number; gid: number;
  mode: number; ino: bigint; size: bigint; blocks: bigint; attributesMask: bigint;
  atime: HostTimespec; btime: HostTimespec; ctime: HostTimespec; mtime: HostTimespec;
  rdevMajor: number; rdevMinor: number; devMajor: number; devMinor: number; mntId: bigint;
}

export function statx(dirfd: number, path: string, flags: number, mask: number): HostStatx {
  const b = Buffer.alloc(256);
  call('statx', dirfd, cstr(path), flags, mask >>> 0, b);
  const ts = (o: number): HostTimespec => ({ sec: b.readBigInt64LE(o), nsec: b.readUInt32LE(o + 8) });
  return {
    mask: b.readUInt32LE(0), blksize: b.readUInt32LE(4), attributes: b.readBigUInt64LE(8),
    nlink: b.readUInt32LE(16), uid: b.readUInt32LE(20), gid: b.readUInt32LE(24), mode: b.readUInt16LE(28),
    ino: b.readBigUInt64LE(32), size: b.readBigUInt64LE(40), blocks: b.readBigUInt64LE(48),
    attributesMask: b.readBigUInt64LE(56),
    atime: ts(64), btime: ts(80), ctime: ts(96), mtime: ts(112),
    rdevMajor: b.readUInt32LE(128), rdevMinor: b.readUInt32LE(132),
    devMajor: b.readUInt32LE(136), devMinor: b.readUInt32LE(140), mntId: b.readBigUInt64LE(144),
  };
}

/** Host struct statfs (64-bit Linux layout). */
export interface HostStatfs {
  type: bigint; bsize: bigint; blocks: bigint; bfree: bigint; bavail: bigint; files: bigint; ffree: bigint;
  fsid: [number, number]; namelen: bigint; frsize: bigint; flags: bigint;
}

function decodeStatfs(b: Buffer): HostStatfs {
  const q = (o: number): bigint => b.readBigInt64LE(o);
  return {
    type: q(0), bsize: q(8), blocks: b.readBigUInt64LE(16), bfree: b.readBigUInt64LE(24),
    bavail: b.readBigUInt64LE(32), files: b.readBigUInt64LE(40), ffree: b.readBigUInt64LE(48),
    fsid: [b.readInt32LE(56), b.readInt32LE(60)], namelen: q(64), frsize: q(72), flags: q(80),
  };
}

export function statfs(path: string): HostStatfs {
  const b = Buffer.alloc(120);
  call('statfs', cstr(path), b);
  return decodeStatfs(b);
}

export function fstatfs(fd: number): HostStatfs {
  const b = Buffer.alloc(120);
  call('fstatfs', fd, b);
  return decodeStatfs(b);
}

/**
 * Ends the host process by signal `sig` (host numbering), so whoever waits for
 * compat sees what a native run's parent would see (WIFSIGNALED). The
 * signal's disposition is reset to the default and it is unblocked first;
 * if the process somehow survives, it exits with 128+sig like a shell would.
 */
export function dieBySignal(sig: number): never {
  try {
    const f = load().f;
    f.signal(sig, 0); // SIG_DFL
    const set = new Uint8Array(128);
    set[(sig - 1) >> 3] |= 1 << ((sig - 1) & 7);
    f.sigprocmask(1 /* SIG_UNBLOCK */, set, null);
    f.raise(sig);
  } catch { /* fall through to the exit status */ }
  process.exit(128 + sig);
}

/**
 * Gives the pages of [view.byteOffset, +length) back to the host kernel
 * (MADV_DONTNEED): they read as zero afterwards and use no memory until
 * touched again. For guest munmap and for a dead process's address space.
 */
export function releasePages(view: Uint8Array): void {
  if (view.length === 0) return;
  const addr = hostAddress(view);
  const page = 4096n;
  const start = (addr + page - 1n) & ~(page - 1n);
  const end = (addr + BigInt(view.length)) & ~(page - 1n);
  if (end > start) fn('madvise')(start, end - start, 4 /* MADV_DONTNEED */);
}
