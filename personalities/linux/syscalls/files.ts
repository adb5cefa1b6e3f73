/**
 * Linux file syscalls, written once for every arch: numbers, flags and
 * struct layouts come from `t.arch.file` (FileAbi), the work is done by the
 * files server (`t.files`) with neutral flags and errors.
 *
 * Guest memory faults (GuestFault thrown by t.mem accessors) are not caught
 * here: the stub turns them into EFAULT in one place.
 */
import { endianness } from 'node:os';
import { fail, ServerError } from '../../../servers/common/errno.js';
import type {
  Access, DirFd, Lock, OpenFlags, Stat, StatFs, Termios, TimeSpecArg, Whence,
} from '../../../servers/files/types.js';
import { bytesToPath } from '../../../servers/files/paths.js';
import { interfaceIoctl } from './sockets.js';
import { readSignalfd } from './signalfd.js';
import { layout, writeStruct, readStruct, encodeStruct, type FileAbi, type StructValues } from '../abi/file-abi.js';
import { int, long, ptr, u32, ulong, type LinuxThread, type SyscallGroup } from './types.js';

// ---- argument decoding --------------------------------------------------------

const MAX_RW_COUNT = 0x7ffff000;
const UIO_MAXIOV = 1024;
const PATH_MAX = 4096;

function dirfd(t: LinuxThread, v: bigint): DirFd {
  const fd = int(v);
  return fd === t.arch.file.AT.FDCWD ? 'cwd' : fd;
}

/** A guest path argument (ENAMETOOLONG past PATH_MAX, EFAULT via the stub). */
function path(t: LinuxThread, v: bigint): string {
  const s = t.mem.readCString(ptr(v), PATH_MAX);
  if (!s.terminated) throw fail('ENAMETOOLONG');
  return bytesToPath(s.bytes);
}

/** A 64-bit value passed in two registers on 32-bit arches (lo/hi by byte order). */
function pair(t: LinuxThread, a: bigint, b: bigint): bigint {
  const [lo, hi] = t.arch.endian === 'little' ? [a, b] : [b, a];
  return BigInt.asIntN(64, (BigInt.asUintN(32, hi) << 32n) | BigInt.asUintN(32, lo));
}

/**
 * A 64-bit offset argument: register `i64` on 64-bit arches; on 32-bit arches
 * the register pair starting at `i32` (the caller gives the even-aligned slot
 * as o32/arm EABI place it).
 */
function off64(t: LinuxThread, a: readonly bigint[], i64: number, i32: number): bigint {
  return t.arch.wordSize === 64 ? BigInt.asIntN(64, a[i64]) : pair(t, a[i32], a[i32 + 1]);
}

function openFlags(abi: FileAbi, v: number): OpenFlags {
  const O = abi.O;
  const acc = v & O.ACCMODE;
  const access: Access = acc === O.WRONLY ? 'w' : acc === O.RDWR ? 'rw' : 'r';
  const tmpfile = (v & O.TMPFILE) === O.TMPFILE;
  return {
    access,
    create: (v & O.CREAT) !== 0, excl: (v & O.EXCL) !== 0, trunc: (v & O.TRUNC) !== 0,
    append: (v & O.APPEND) !== 0, nonblock: (v & O.NONBLOCK) !== 0,
    directory: !tmpfile && (v & O.DIRECTORY) !== 0, nofollow: (v & O.NOFOLLOW) !== 0,
    cloexec: (v & O.CLOEXEC) !== 0, path: (v & O.PATH) !== 0, tmpfile, noctty: (v & O.NOCTTY) !== 0,
    sync: (v & O.SYNC) === O.SYNC, dsync: (v & O.DSYNC) !== 0, direct: (v & O.DIRECT) !== 0,
    noatime: (v & O.NOATIME) !== 0, async: (v & O.ASYNC) !== 0,
  };
}

/** Rejects AT_* bits outside `allowed`. */
function atFlags(v: number, allowed: number): number {
  if ((v & ~allowed) !== 0) throw fail('EINVAL');
  return v;
}

// ---- struct encoding -------------------------------------------------------------

/** Kernel new_encode_dev: 12-bit major, 20-bit minor in a 32-bit value. */
const encodeDev = (major: number, minor: number): bigint =>
  BigInt(((minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xff) << 12)) >>> 0);

function statValues(s: Stat): StructValues {
  return {
    dev: encodeDev(s.devMajor, s.devMinor), ino: s.ino, mode: s.mode, nlink: s.nlink, uid: s.uid, gid: s.gid,
    rdev: encodeDev(s.rdevMajor, s.rdevMinor), size: s.size, blksize: s.blksize, blocks: s.blocks,
    atime: s.atime.sec, atime_nsec: s.atime.nsec, mtime: s.mtime.sec, mtime_nsec: s.mtime.nsec,
    ctime: s.ctime.sec, ctime_nsec: s.ctime.nsec,
  };
}

function writeStat(t: LinuxThread, addr: number, s: Stat, which: 'stat' | 'stat64'): void {
  const abi = t.arch.file;
  const layout = which === 'stat64' ? abi.layouts.stat64 ?? abi.layouts.stat : abi.layouts.stat;
  if (abi.wordSize === 32 && which === 'stat' && (s.size > 0x7fffffffn || s.ino > 0xffffffffn)) throw fail('EOVERFLOW');
  writeStruct(t.mem, addr, abi, layout, statValues(s));
}

function statxValues(s: Stat): StructValues {
  return {
    mask: s.mask, blksize: s.blksize, attributes: s.attributes, nlink: s.nlink, uid: s.uid, gid: s.gid,
    mode: s.mode, ino: s.ino, size: s.size, blocks: s.blocks, attributes_mask: s.attributesMask,
    atime: s.atime.sec, atime_nsec: s.atime.nsec, btime: s.btime.sec, btime_nsec: s.btime.nsec,
    ctime: s.ctime.sec, ctime_nsec: s.ctime.nsec, mtime: s.mtime.sec, mtime_nsec: s.mtime.nsec,
    rdev_major: s.rdevMajor, rdev_minor: s.rdevMinor, dev_major: s.devMajor, dev_minor: s.devMinor,
    mnt_id: s.mntId,
  };
}

function statfsValues(s: StatFs): StructValues {
  return {
    type: s.type, bsize: s.bsize, blocks: s.blocks, bfree: s.bfree, bavail: s.bavail, files: s.files,
    ffree: s.ffree, fsid0: s.fsid[0], fsid1: s.fsid[1], namelen: s.namelen, frsize: s.frsize, flags: s.flags,
  };
}

/** Reads an iovec array into guest-memory views (writable for reads). */
export function iovViews(t: LinuxThread, addr: number, count: number, forWrite: boolean): Uint8Array[] {
  if (count < 0 || count > UIO_MAXIOV) throw fail('EINVAL');
  const abi = t.arch.file;
  const lay = abi.layouts.iovec;
  const views: Uint8Array[] = [];
  let total = 0;
  for (let i = 0; i < count; i++) {
    const v = readStruct(t.mem, addr + i * lay.size, abi, lay);
    const base = Number(v.base as bigint | number);
    let len = Number(v.len as bigint | number);
    if (len < 0 || (abi.wordSize === 32 && len > 0x7fffffff)) throw fail('EINVAL');
    if (total + len > MAX_RW_COUNT) len = MAX_RW_COUNT - total;
    total += len;
    views.push(len === 0 ? new Uint8Array(0) : forWrite ? t.mem.writableView(base, len) : t.mem.view(base, len));
  }
  return views;
}

const readView = (t: LinuxThread, addr: bigint, count: bigint): Uint8Array =>
  t.mem.writableView(ptr(addr), Math.min(ulong(count), MAX_RW_COUNT));
const writeView = (t: LinuxThread, addr: bigint, count: bigint): Uint8Array =>
  t.mem.view(ptr(addr), Math.min(ulong(count), MAX_RW_COUNT));

function whence(v: number): Whence {
  const w = (['set', 'cur', 'end', 'data', 'hole'] as const)[v];
  if (w === undefined) throw fail('EINVAL');
  return w;
}

/** The result of lseek on a 32-bit arch must fit a signed 32-bit off_t. */
function offResult(t: LinuxThread, off: bigint): bigint {
  if (t.arch.wordSize === 32 && off > 0x7fffffffn) throw fail('EOVERFLOW');
  return off;
}

function statusFlagsToLinux(t: LinuxThread, fd: number): number {
  const O = t.arch.file.O;
  const f = t.files.getStatusFlags(fd);
  let v = f.access === 'w' ? O.WRONLY : f.access === 'rw' ? O.RDWR : O.RDONLY;
  if (f.append) v |= O.APPEND;
  if (f.nonblock) v |= O.NONBLOCK;
  if (f.sync) v |= O.SYNC; else if (f.dsync) v |= O.DSYNC;
  if (f.direct) v |= O.DIRECT;
  if (f.noatime) v |= O.NOATIME;
  if (f.async) v |= O.ASYNC;
  if (f.path) v |= O.PATH;
  if (f.directory) v |= O.DIRECTORY;
  if (t.arch.wordSize === 64) v |= O.LARGEFILE; // the kernel forces it on 64-bit
  return v;
}

function lockCmd(t: LinuxThread, cmd: number): { op: 'get' | 'set' | 'setw'; wide: boolean } | null {
  const F = t.arch.file.F;
  const wide = t.arch.wordSize === 32 && (cmd === F.GETLK64 || cmd === F.SETLK64 || cmd === F.SETLKW64);
  if (cmd === F.GETLK || cmd === F.GETLK64 || cmd === F.OFD_GETLK) return { op: 'get', wide: wide || cmd === F.OFD_GETLK };
  if (cmd === F.SETLK || cmd === F.SETLK64 || cmd === F.OFD_SETLK) return { op: 'set', wide: wide || cmd === F.OFD_SETLK };
  if (cmd === F.SETLKW || cmd === F.SETLKW64 || cmd === F.OFD_SETLKW) return { op: 'setw', wide: wide || cmd === F.OFD_SETLKW };
  return null;
}

function doLock(t: LinuxThread, fd: number, cmd: { op: 'get' | 'set' | 'setw'; wide: boolean }, addr: number): number {
  const abi = t.arch.file;
  const F = abi.F;
  const lay = cmd.wide && abi.layouts.flock64 ? abi.layouts.flock64 : abi.layouts.flock;
  const v = readStruct(t.mem, addr, abi, lay);
  const ty = Number(v.type);
  const type = ty === F.RDLCK ? 'read' : ty === F.WRLCK ? 'write' : ty === F.UNLCK ? 'unlock' : null;
  const wh = Number(v.whence);
  const w = wh === 0 ? 'set' : wh === 1 ? 'cur' : wh === 2 ? 'end' : null;
  if (!type || !w) throw fail('EINVAL');
  const lock: Lock = { type, whence: w, start: BigInt(v.start as bigint | number), len: BigInt(v.len as bigint | number), pid: 0 };
  if (cmd.op === 'get') {
    if (type === 'unlock') throw fail('EINVAL');
    const r = t.files.getLock(fd, lock);
    const out: StructValues = { type: r.type === 'read' ? F.RDLCK : r.type === 'write' ? F.WRLCK : F.UNLCK, whence: 0, start: r.start, len: r.len, pid: r.pid };
    if (r.type === 'unlock') { out.whence = wh; out.start = lock.start; out.len = lock.len; out.pid = 0; }
    writeStruct(t.mem, addr, abi, lay, out);
    return 0;
  }
  t.files.setLock(fd, lock, cmd.op === 'setw');
  return 0;
}

function readTimes(t: LinuxThread, addr: number, time64 = false): [TimeSpecArg, TimeSpecArg] | null {
  if (addr === 0) return null;
  const abi = t.arch.file;
  const lay = time64 && t.arch.wordSize === 32 ? layout(16, [['sec', 0, 8, true], ['nsec', abi.endian === 'little' ? 8 : 12, 4, true]]) : abi.layouts.timespec;
  const one = (a: number): TimeSpecArg => {
    const v = readStruct(t.mem, a, abi, lay);
    const nsec = Number(v.nsec);
    if (nsec === abi.UTIME.NOW) return 'now';
    if (nsec === abi.UTIME.OMIT) return 'omit';
    if (nsec < 0 || nsec > 999_999_999) throw fail('EINVAL');
    return { sec: BigInt(v.sec as bigint | number), nsec };
  };
  return [one(addr), one(addr + lay.size)];
}

/** Arches whose termios differs from the host's generic one translate here (MIPS). */
interface TermiosXlatLike { toGuest(tm: Termios): Termios; fromGuest(tm: Termios): Termios }
const xlatOf = (t: LinuxThread): TermiosXlatLike | undefined => (t.arch.file as { termiosXlat?: TermiosXlatLike }).termiosXlat;

function termiosValues(tm: Termios): StructValues {
  return { iflag: tm.iflag, oflag: tm.oflag, cflag: tm.cflag, lflag: tm.lflag, line: tm.line, cc: tm.cc };
}

function readTermios(t: LinuxThread, addr: number): Termios {
  const abi = t.arch.file;
  const v = readStruct(t.mem, addr, abi, abi.layouts.termios);
  const raw = v.cc as Uint8Array;
  const xlat = xlatOf(t);
  const cc = new Uint8Array(xlat ? raw.length : 19);
  cc.set(raw.subarray(0, cc.length));
  const tm = { iflag: Number(v.iflag), oflag: Number(v.oflag), cflag: Number(v.cflag), lflag: Number(v.lflag), line: Number(v.line), cc };
  return xlat ? xlat.fromGuest(tm) : tm;
}

function ioctl(t: LinuxThread, fd: number, req: number, arg: bigint): number {
  const abi = t.arch.file;
  const I = abi.ioctl;
  const files = t.files;
  const le = abi.endian === 'little';
  const p = ptr(arg);
  switch (req) {
    case I.TCGETS:
      {
        const tm = files.tcgetattr(fd);
        const xlat = xlatOf(t);
        writeStruct(t.mem, p, abi, abi.layouts.termios, termiosValues(xlat ? xlat.toGuest(tm) : tm));
      }
      return 0;
    case I.TCSETS: case I.TCSETSW: case I.TCSETSF:
      files.tcgetattr(fd); // ENOTTY before reading guest memory
      files.tcsetattr(fd, req === I.TCSETS ? 'now' : req === I.TCSETSW ? 'drain' : 'flush', readTermios(t, p));
      return 0;
    case I.TIOCGWINSZ: {
      const w = files.getWinsize(fd);
      writeStruct(t.mem, p, abi, abi.layouts.winsize, { row: w.row, col: w.col, xpixel: w.xpixel, ypixel: w.ypixel });
      return 0;
    }
    case I.TIOCSWINSZ: {
      if (!files.isatty(fd)) throw fail('ENOTTY');
      const v = readStruct(t.mem, p, abi, abi.layouts.winsize);
      files.setWinsize(fd, { row: Number(v.row), col: Number(v.col), xpixel: Number(v.xpixel), ypixel: Number(v.ypixel) });
      return 0;
    }
    case I.TIOCGPGRP:
      t.mem.writeU32(p, files.getForegroundPgrp(fd), le);
      return 0;
    case I.TIOCSPGRP:
      files.setForegroundPgrp(fd, t.mem.readI32(p, le));
      return 0;
    case I.TIOCGSID:
      if (!files.isatty(fd)) throw fail('ENOTTY');
      t.mem.writeU32(p, t.id.sid, le);
      return 0;
    case I.FIONREAD:
      t.mem.writeU32(p, files.bytesReadable(fd), le);
      return 0;
    case I.FIONBIO:
      files.setNonblocking(fd, t.mem.readI32(p, le) !== 0);
      return 0;
    case I.FIOCLEX: files.setCloexec(fd, true); return 0;
    case I.FIONCLEX: files.setCloexec(fd, false); return 0;
    case I.TIOCSCTTY: case I.TIOCNOTTY: case I.TCSBRK: case I.TCXONC: case I.TCFLSH:
      if (!files.isatty(fd)) throw fail('ENOTTY');
      return 0; // the guest shares the host's terminal: nothing to change
    default: {
      if (files.get(fd).kind === 'socket') { // EBADF first
        const r = interfaceIoctl(t, fd, req, p);
        if (r !== null) return r;
      }
      t.warnOnce(`ioctl:${req.toString(16)}`, `ioctl request 0x${req.toString(16)} is not supported (ENOTTY)`);
      throw fail('ENOTTY');
    }
  }
}

function fcntl(t: LinuxThread, fd: number, cmd: number, arg: bigint): number {
  const F = t.arch.file.F;
  const files = t.files;
  switch (cmd) {
    case F.DUPFD: return files.dupMin(fd, int(arg), false);
    case F.DUPFD_CLOEXEC: return files.dupMin(fd, int(arg), true);
    case F.GETFD: return files.getCloexec(fd) ? F.FD_CLOEXEC : 0;
    case F.SETFD: files.setCloexec(fd, (int(arg) & F.FD_CLOEXEC) !== 0); return 0;
    case F.GETFL: return statusFlagsToLinux(t, fd);
    case F.SETFL: {
      const O = t.arch.file.O;
      const v = int(arg);
      files.setStatusFlags(fd, {
        append: (v & O.APPEND) !== 0, nonblock: (v & O.NONBLOCK) !== 0, async: (v & O.ASYNC) !== 0,
        direct: (v & O.DIRECT) !== 0, noatime: (v & O.NOATIME) !== 0,
      });
      return 0;
    }
    case F.GETOWN: files.get(fd); return 0;
    case F.SETOWN: case F.SETSIG:
      files.get(fd);
      t.warnOnce('fcntl:owner', 'fcntl F_SETOWN/F_SETSIG: SIGIO delivery is not supported');
      return 0;
    case F.GETSIG: files.get(fd); return 0;
    case F.GETPIPE_SZ:
      if (files.get(fd).kind !== 'pipe') throw fail('EBADF');
      return 65536;
    case F.SETPIPE_SZ:
      if (files.get(fd).kind !== 'pipe') throw fail('EBADF');
      return Math.max(65536, int(arg));
  }
  const lk = lockCmd(t, cmd);
  if (lk) return doLock(t, fd, lk, ptr(arg));
  files.get(fd);
  throw fail('EINVAL');
}

function getdents64(t: LinuxThread, fd: number, addr: number, count: number): number {
  const abi = t.arch.file;
  const lay = abi.layouts.dirent64;
  const out = t.mem.writableView(addr, Math.min(count, MAX_RW_COUNT));
  const recLen = (n: number): number => (lay.size + n + 1 + 7) & ~7;
  const entries = t.files.getdents(fd, out.length, recLen);
  const DT: Record<string, number> = { unknown: 0, fifo: 1, chr: 2, dir: 4, blk: 6, reg: 8, lnk: 10, sock: 12, wht: 14 };
  let pos = 0;
  for (const e of entries) {
    const len = recLen(e.name.length);
    const rec = new Uint8Array(len);
    rec.set(encodeStruct(abi, lay, { ino: e.ino, off: e.off, reclen: len, type: DT[e.type] ?? 0 }));
    rec.set(e.name, lay.size);
    out.set(rec, pos);
    pos += len;
  }
  return pos;
}

function writeStatfs(t: LinuxThread, addr: number, s: StatFs, wide: boolean): void {
  const abi = t.arch.file;
  const lay = wide && abi.layouts.statfs64 ? abi.layouts.statfs64 : abi.layouts.statfs;
  writeStruct(t.mem, addr, abi, lay, statfsValues(s));
}

const S = (name: string, fn: SyscallGroup[string]['fn'], args: SyscallGroup[string]['args'], ret?: SyscallGroup[string]['ret']): SyscallGroup[string] =>
  ({ name, fn, args, ret });

// ---- the handlers ----------------------------------------------------------------------

const defs: SyscallGroup[string][] = [
  S('openat', (t, a) => t.files.open(dirfd(t, a[0]), path(t, a[1]), openFlags(t.arch.file, int(a[2])), u32(a[3])),
    ['dirfd', 'path', 'oflags', 'mode']),
  S('open', (t, a) => t.files.open('cwd', path(t, a[0]), openFlags(t.arch.file, int(a[1])), u32(a[2])),
    ['path', 'oflags', 'mode']),
  S('creat', (t, a) => t.files.open('cwd', path(t, a[0]), { access: 'w', create: true, trunc: true }, u32(a[1])),
    ['path', 'mode']),
  S('close', (t, a) => { t.files.close(int(a[0])); return 0; }, ['fd']),
  S('close_range', (t, a) => {
    const flags = u32(a[2]);
    const CR = t.arch.file.CLOSE_RANGE;
    if ((flags & ~(CR.CLOEXEC | CR.UNSHARE)) !== 0) throw fail('EINVAL');
    t.files.closeRange(u32(a[0]), u32(a[1]), { cloexec: (flags & CR.CLOEXEC) !== 0 });
    return 0;
  }, ['uint', 'uint', 'hex']),

  S('read', (t, a) => readCall(t, int(a[0]), readView(t, a[1], a[2])), ['fd', 'obuf', 'uint']),
  S('write', (t, a) => writeCall(t, int(a[0]), writeView(t, a[1], a[2])), ['fd', 'buf', 'uint']),
  S('readv', (t, a) => t.files.readv(int(a[0]), iovViews(t, ptr(a[1]), int(a[2]), true)), ['fd', 'ptr', 'int']),
  S('writev', (t, a) => sigpipe(t, () => t.files.writev(int(a[0]), iovViews(t, ptr(a[1]), int(a[2]), false))), ['fd', 'ptr', 'int']),
  S('pread64', (t, a) => t.files.pread(int(a[0]), readView(t, a[1], a[2]), off64(t, a, 3, 4)), ['fd', 'obuf', 'uint', 'long']),
  S('pwrite64', (t, a) => sigpipe(t, () => t.files.pwrite(int(a[0]), writeView(t, a[1], a[2]), off64(t, a, 3, 4))), ['fd', 'buf', 'uint', 'long']),
  S('preadv', (t, a) => t.files.preadv(int(a[0]), iovViews(t, ptr(a[1]), int(a[2]), true), posHiLo(t, a[3], a[4])),
    ['fd', 'ptr', 'int', 'long']),
  S('pwritev', (t, a) => sigpipe(t, () => t.files.pwritev(int(a[0]), iovViews(t, ptr(a[1]), int(a[2]), false), posHiLo(t, a[3], a[4]))),
    ['fd', 'ptr', 'int', 'long']),
  S('lseek', (t, a) => {
    const off = t.arch.wordSize === 64 ? BigInt.asIntN(64, a[1]) : BigInt(int(a[1]));
    return offResult(t, t.files.lseek(int(a[0]), off, whence(u32(a[2]))));
  }, ['fd', 'long', 'int']),
  S('_llseek', (t, a) => {
    const off = BigInt.asIntN(64, (BigInt.asUintN(32, a[1]) << 32n) | BigInt.asUintN(32, a[2]));
    const r = t.files.lseek(int(a[0]), off, whence(u32(a[4])));
    t.mem.writeU64(ptr(a[3]), r, t.arch.endian === 'little');
    return 0;
  }, ['fd', 'long', 'long', 'ptr', 'int']),

  S('fstat', (t, a) => { writeStat(t, ptr(a[1]), t.files.fstat(int(a[0])), 'stat'); return 0; }, ['fd', 'ptr']),
  S('fstat64', (t, a) => { writeStat(t, ptr(a[1]), t.files.fstat(int(a[0])), 'stat64'); return 0; }, ['fd', 'ptr']),
  S('newfstatat', (t, a) => statAt(t, a, 'stat'), ['dirfd', 'path', 'ptr', 'atflags']),
  S('fstatat64', (t, a) => statAt(t, a, 'stat64'), ['dirfd', 'path', 'ptr', 'atflags']),
  S('statx', (t, a) => {
    const AT = t.arch.file.AT;
    const flags = atFlags(int(a[2]), AT.SYMLINK_NOFOLLOW | AT.EMPTY_PATH | AT.NO_AUTOMOUNT | AT.STATX_SYNC_TYPE);
    if ((flags & AT.STATX_SYNC_TYPE) === AT.STATX_SYNC_TYPE) throw fail('EINVAL');
    const mask = u32(a[3]);
    if (mask & 0x80000000) throw fail('EINVAL'); // STATX__RESERVED
    const st = t.files.stat(dirfd(t, a[0]), path(t, a[1]), {
      nofollow: (flags & AT.SYMLINK_NOFOLLOW) !== 0, emptyPath: (flags & AT.EMPTY_PATH) !== 0,
      noAutomount: (flags & AT.NO_AUTOMOUNT) !== 0, mask: mask & 0xfff,
      sync: (flags & AT.STATX_FORCE_SYNC) ? 'force' : (flags & AT.STATX_DONT_SYNC) ? 'dont' : 'as-stat',
    });
    writeStruct(t.mem, ptr(a[4]), t.arch.file, t.arch.file.layouts.statx, statxValues(st));
    return 0;
  }, ['dirfd', 'path', 'atflags', 'hex', 'ptr']),

  S('getdents64', (t, a) => getdents64(t, int(a[0]), ptr(a[1]), u32(a[2])), ['fd', 'ptr', 'uint']),
  S('readlinkat', (t, a) => readlink(t, dirfd(t, a[0]), path(t, a[1]), ptr(a[2]), int(a[3])), ['dirfd', 'path', 'ptr', 'int']),
  S('readlink', (t, a) => readlink(t, 'cwd', path(t, a[0]), ptr(a[1]), int(a[2])), ['path', 'ptr', 'int']),
  S('faccessat', (t, a) => access(t, dirfd(t, a[0]), path(t, a[1]), int(a[2]), 0), ['dirfd', 'path', 'int']),
  S('faccessat2', (t, a) => access(t, dirfd(t, a[0]), path(t, a[1]), int(a[2]), int(a[3])), ['dirfd', 'path', 'int', 'atflags']),
  S('access', (t, a) => access(t, 'cwd', path(t, a[0]), int(a[1]), 0), ['path', 'int']),
  S('mkdirat', (t, a) => { t.files.mkdir(dirfd(t, a[0]), path(t, a[1]), u32(a[2])); return 0; }, ['dirfd', 'path', 'mode']),
  S('mkdir', (t, a) => { t.files.mkdir('cwd', path(t, a[0]), u32(a[1])); return 0; }, ['path', 'mode']),
  S('unlinkat', (t, a) => {
    const AT = t.arch.file.AT;
    const flags = atFlags(int(a[2]), AT.REMOVEDIR);
    t.files.unlink(dirfd(t, a[0]), path(t, a[1]), { removeDir: (flags & AT.REMOVEDIR) !== 0 });
    return 0;
  }, ['dirfd', 'path', 'atflags']),
  S('unlink', (t, a) => { t.files.unlink('cwd', path(t, a[0])); return 0; }, ['path']),
  S('rmdir', (t, a) => { t.files.unlink('cwd', path(t, a[0]), { removeDir: true }); return 0; }, ['path']),
  S('renameat', (t, a) => rename(t, a, 0), ['dirfd', 'path', 'dirfd', 'path']),
  S('renameat2', (t, a) => rename(t, a, u32(a[4])), ['dirfd', 'path', 'dirfd', 'path', 'hex']),
  S('rename', (t, a) => { t.files.rename('cwd', path(t, a[0]), 'cwd', path(t, a[1])); return 0; }, ['path', 'path']),
  S('symlinkat', (t, a) => { t.files.symlink(path(t, a[0]), dirfd(t, a[1]), path(t, a[2])); return 0; }, ['path', 'dirfd', 'path']),
  S('symlink', (t, a) => { t.files.symlink(path(t, a[0]), 'cwd', path(t, a[1])); return 0; }, ['path', 'path']),
  S('linkat', (t, a) => {
    const AT = t.arch.file.AT;
    const flags = atFlags(int(a[4]), AT.SYMLINK_FOLLOW | AT.EMPTY_PATH);
    t.files.link(dirfd(t, a[0]), path(t, a[1]), dirfd(t, a[2]), path(t, a[3]),
      { follow: (flags & AT.SYMLINK_FOLLOW) !== 0, emptyPath: (flags & AT.EMPTY_PATH) !== 0 });
    return 0;
  }, ['dirfd', 'path', 'dirfd', 'path', 'atflags']),
  S('link', (t, a) => { t.files.link('cwd', path(t, a[0]), 'cwd', path(t, a[1])); return 0; }, ['path', 'path']),

  S('ftruncate', (t, a) => { t.files.ftruncate(int(a[0]), BigInt(long(a[1]))); return 0; }, ['fd', 'long']),
  S('truncate', (t, a) => { t.files.truncate('cwd', path(t, a[0]), BigInt(long(a[1]))); return 0; }, ['path', 'long']),
  S('ftruncate64', (t, a) => { t.files.ftruncate(int(a[0]), off64(t, a, 1, 2)); return 0; }, ['fd', 'long']),
  S('truncate64', (t, a) => { t.files.truncate('cwd', path(t, a[0]), off64(t, a, 1, 2)); return 0; }, ['path', 'long']),
  S('fallocate', (t, a) => {
    const FA = t.arch.file.FALLOC;
    const m = int(a[1]);
    const known = FA.KEEP_SIZE | FA.PUNCH_HOLE | FA.ZERO_RANGE | FA.COLLAPSE_RANGE | FA.INSERT_RANGE;
    if (m & ~known) throw fail('EOPNOTSUPP');
    const off = off64(t, a, 2, 2);
    const len = off64(t, a, 3, 4);
    if (off < 0n || len <= 0n) throw fail('EINVAL');
    t.files.fallocate(int(a[0]), {
      keepSize: (m & FA.KEEP_SIZE) !== 0, punchHole: (m & FA.PUNCH_HOLE) !== 0, zeroRange: (m & FA.ZERO_RANGE) !== 0,
      collapseRange: (m & FA.COLLAPSE_RANGE) !== 0, insertRange: (m & FA.INSERT_RANGE) !== 0,
    }, off, len);
    return 0;
  }, ['fd', 'hex', 'long', 'long']),

  S('fcntl', (t, a) => fcntl(t, int(a[0]), int(a[1]), a[2]), ['fd', 'int', 'hex']),
  S('fcntl64', (t, a) => fcntl(t, int(a[0]), int(a[1]), a[2]), ['fd', 'int', 'hex']),
  S('dup', (t, a) => t.files.dup(int(a[0])), ['fd']),
  S('dup2', (t, a) => t.files.dup2(int(a[0]), int(a[1])), ['fd', 'fd']),
  S('dup3', (t, a) => {
    const O = t.arch.file.O;
    const flags = int(a[2]);
    if (flags & ~O.CLOEXEC) throw fail('EINVAL');
    return t.files.dup3(int(a[0]), int(a[1]), (flags & O.CLOEXEC) !== 0);
  }, ['fd', 'fd', 'oflags']),
  S('ioctl', (t, a) => ioctl(t, int(a[0]), u32(a[1]), a[2]), ['fd', 'hex', 'ptr']),

  S('getcwd', (t, a) => {
    const bytes = Buffer.from(t.files.getcwd() + '\0', 'latin1');
    if (ulong(a[1]) < bytes.length) throw fail('ERANGE');
    t.mem.writeBytes(ptr(a[0]), bytes);
    return bytes.length;
  }, ['ptr', 'uint']),
  S('chdir', (t, a) => { t.files.chdir(path(t, a[0])); return 0; }, ['path']),
  S('fchdir', (t, a) => { t.files.fchdir(int(a[0])); return 0; }, ['fd']),
  S('fchmod', (t, a) => { t.files.fchmod(int(a[0]), u32(a[1])); return 0; }, ['fd', 'mode']),
  S('fchmodat', (t, a) => { t.files.chmod(dirfd(t, a[0]), path(t, a[1]), u32(a[2])); return 0; }, ['dirfd', 'path', 'mode']),
  S('chmod', (t, a) => { t.files.chmod('cwd', path(t, a[0]), u32(a[1])); return 0; }, ['path', 'mode']),
  S('chown', (t, a) => { t.files.chown('cwd', path(t, a[0]), int(a[1]), int(a[2])); return 0; }, ['path', 'int', 'int']),
  S('lchown', (t, a) => { t.files.chown('cwd', path(t, a[0]), int(a[1]), int(a[2]), { nofollow: true }); return 0; }, ['path', 'int', 'int']),
  S('fchown', (t, a) => { t.files.fchown(int(a[0]), u32(a[1]), u32(a[2])); return 0; }, ['fd', 'int', 'int']),
  S('fchownat', (t, a) => {
    const AT = t.arch.file.AT;
    const flags = atFlags(int(a[4]), AT.SYMLINK_NOFOLLOW | AT.EMPTY_PATH);
    t.files.chown(dirfd(t, a[0]), path(t, a[1]), u32(a[2]), u32(a[3]),
      { nofollow: (flags & AT.SYMLINK_NOFOLLOW) !== 0, emptyPath: (flags & AT.EMPTY_PATH) !== 0 });
    return 0;
  }, ['dirfd', 'path', 'int', 'int', 'atflags']),
  ...['utimensat', 'utimensat_time64'].map((name) => S(name, (t, a) => {
    const AT = t.arch.file.AT;
    const flags = atFlags(int(a[3]), AT.SYMLINK_NOFOLLOW | AT.EMPTY_PATH);
    const times = readTimes(t, ptr(a[2]), name === 'utimensat_time64');
    const p = ptr(a[1]) === 0 ? null : path(t, a[1]);
    t.files.utimens(dirfd(t, a[0]), p, times,
      { nofollow: (flags & AT.SYMLINK_NOFOLLOW) !== 0, emptyPath: (flags & AT.EMPTY_PATH) !== 0 });
    return 0;
  }, ['dirfd', 'path', 'ptr', 'atflags'])),
  S('umask', (t, a) => {
    const old = t.files.umask;
    t.files.umask = u32(a[0]) & 0o777;
    return old;
  }, ['mode']),
  S('statfs', (t, a) => { writeStatfs(t, ptr(a[1]), t.files.statfs('cwd', path(t, a[0])), false); return 0; }, ['path', 'ptr']),
  S('fstatfs', (t, a) => { writeStatfs(t, ptr(a[1]), t.files.fstatfs(int(a[0])), false); return 0; }, ['fd', 'ptr']),
  S('statfs64', (t, a) => { writeStatfs(t, ptr(a[2]), t.files.statfs('cwd', path(t, a[0])), true); return 0; }, ['path', 'uint', 'ptr']),
  S('fstatfs64', (t, a) => { writeStatfs(t, ptr(a[2]), t.files.fstatfs(int(a[0])), true); return 0; }, ['fd', 'uint', 'ptr']),
  S('fsync', (t, a) => { t.files.fsync(int(a[0])); return 0; }, ['fd']),
  S('fdatasync', (t, a) => { t.files.fdatasync(int(a[0])); return 0; }, ['fd']),
  S('sync', (t) => { t.files.sync(); return 0; }, []),
  S('syncfs', (t, a) => { t.files.syncfs(int(a[0])); return 0; }, ['fd']),
  S('pipe2', (t, a) => pipe(t, ptr(a[0]), int(a[1])), ['ptr', 'oflags']),
  S('pipe', (t, a) => pipe(t, (t.abi as { setSecondResult?: unknown } | undefined)?.setSecondResult ? -1 : ptr(a[0]), 0), ['ptr']),
  S('stat64', (t, a) => statAt(t, [BigInt.asUintN(64, -100n), a[0], a[1], 0n], 'stat64'), ['path', 'ptr']),
  S('lstat64', (t, a) => statAt(t, [BigInt.asUintN(64, -100n), a[0], a[1], BigInt(t.arch.file.AT.SYMLINK_NOFOLLOW)], 'stat64'), ['path', 'ptr']),
  S('stat', (t, a) => statAt(t, [BigInt.asUintN(64, -100n), a[0], a[1], 0n], 'stat'), ['path', 'ptr']),
  S('lstat', (t, a) => statAt(t, [BigInt.asUintN(64, -100n), a[0], a[1], BigInt(t.arch.file.AT.SYMLINK_NOFOLLOW)], 'stat'), ['path', 'ptr']),
  S('eventfd2', (t, a) => eventfd(t, u32(a[0]), int(a[1])), ['uint', 'hex']),
  S('eventfd', (t, a) => eventfd(t, u32(a[0]), 0), ['uint']),
  S('flock', (t, a) => {
    const op = int(a[1]);
    const nb = (op & 4 /* LOCK_NB */) !== 0;
    const kind = op & ~4;
    const which = kind === 1 ? 'shared' : kind === 2 ? 'exclusive' : kind === 8 ? 'unlock' : null;
    if (!which) throw fail('EINVAL');
    t.files.flock(int(a[0]), which, nb);
    return 0;
  }, ['fd', 'int']),
];

/** Hooks the runtime's LinuxThread may offer (optional until it does). */
type ThreadHooks = LinuxThread & {
  /** Queues a signal for the calling thread (SIGPIPE after EPIPE). */
  sendSelf?: (signal: string) => void;
};

/** A write that fails with EPIPE also sends the thread SIGPIPE, as the kernel does. */
export function sigpipe(t: LinuxThread, op: () => number): number {
  try {
    return op();
  } catch (e) {
    if (e instanceof ServerError && e.errno === 'EPIPE') {
      const h = t as ThreadHooks;
      if (h.sendSelf) h.sendSelf('SIGPIPE');
      else t.warnOnce('sigpipe', 'EPIPE: SIGPIPE is not delivered yet (the runtime lacks sendSelf)');
    }
    throw e;
  }
}

/** eventfd counters and timerfd expiry counts are 8 host-order bytes; a guest of the other byte order sees them swapped. */
function swapsEventfd(t: LinuxThread, fd: number): boolean {
  if ((t.arch.endian === 'little') === (endianness() === 'LE')) return false;
  const kind = t.files.get(fd).kind;
  return kind === 'eventfd' || kind === 'timerfd';
}

function readCall(t: LinuxThread, fd: number, buf: Uint8Array): number {
  if (t.files.hasSignalfds() && t.files.get(fd).kind === 'signalfd') return readSignalfd(t, fd, buf);
  const n = t.files.read(fd, buf);
  if (n === 8 && swapsEventfd(t, fd)) buf.subarray(0, 8).reverse();
  return n;
}

function writeCall(t: LinuxThread, fd: number, buf: Uint8Array): number {
  if (buf.length >= 8 && swapsEventfd(t, fd)) {
    const b = new Uint8Array(buf.subarray(0, 8)).reverse();
    return sigpipe(t, () => t.files.write(fd, b));
  }
  return sigpipe(t, () => t.files.write(fd, buf));
}

function eventfd(t: LinuxThread, initval: number, flags: number): number {
  const O = t.arch.file.O;
  const SEMAPHORE = 1;
  if (flags & ~(O.CLOEXEC | O.NONBLOCK | SEMAPHORE)) throw fail('EINVAL');
  return t.files.eventfd(initval, {
    cloexec: (flags & O.CLOEXEC) !== 0, nonblock: (flags & O.NONBLOCK) !== 0, semaphore: (flags & SEMAPHORE) !== 0,
  });
}

/** preadv/pwritev position: (hi << 32 | lo) on 32-bit, the low register alone on 64-bit. */
function posHiLo(t: LinuxThread, lo: bigint, hi: bigint): bigint {
  const pos = t.arch.wordSize === 64 ? BigInt.asIntN(64, lo) : BigInt.asIntN(64, (BigInt.asUintN(32, hi) << 32n) | BigInt.asUintN(32, lo));
  if (pos < 0n) throw fail('EINVAL');
  return pos;
}

function statAt(t: LinuxThread, a: readonly bigint[], which: 'stat' | 'stat64'): number {
  const AT = t.arch.file.AT;
  const flags = atFlags(int(a[3]), AT.SYMLINK_NOFOLLOW | AT.EMPTY_PATH | AT.NO_AUTOMOUNT);
  const st = t.files.stat(dirfd(t, a[0]), path(t, a[1]), {
    nofollow: (flags & AT.SYMLINK_NOFOLLOW) !== 0, emptyPath: (flags & AT.EMPTY_PATH) !== 0,
    noAutomount: (flags & AT.NO_AUTOMOUNT) !== 0,
  });
  writeStat(t, ptr(a[2]), st, which);
  return 0;
}

function readlink(t: LinuxThread, dir: DirFd, p: string, buf: number, size: number): number {
  if (size <= 0) throw fail('EINVAL');
  const target = Buffer.from(t.files.readlink(dir, p, { emptyPath: true }), 'latin1');
  const n = Math.min(target.length, size);
  t.mem.writeBytes(buf, target.subarray(0, n));
  return n;
}

function access(t: LinuxThread, dir: DirFd, p: string, mode: number, flags: number): number {
  const AT = t.arch.file.AT;
  if (mode & ~7) throw fail('EINVAL');
  atFlags(flags, AT.EACCESS | AT.SYMLINK_NOFOLLOW | AT.EMPTY_PATH);
  t.files.access(dir, p, mode, {
    eaccess: (flags & AT.EACCESS) !== 0, nofollow: (flags & AT.SYMLINK_NOFOLLOW) !== 0, emptyPath: (flags & AT.EMPTY_PATH) !== 0,
  });
  return 0;
}

function rename(t: LinuxThread, a: readonly bigint[], flags: number): number {
  const R = t.arch.file.RENAME;
  if (flags & ~(R.NOREPLACE | R.EXCHANGE | R.WHITEOUT)) throw fail('EINVAL');
  t.files.rename(dirfd(t, a[0]), path(t, a[1]), dirfd(t, a[2]), path(t, a[3]),
    { noreplace: (flags & R.NOREPLACE) !== 0, exchange: (flags & R.EXCHANGE) !== 0, whiteout: (flags & R.WHITEOUT) !== 0 });
  return 0;
}

function pipe(t: LinuxThread, addr: number, flags: number): number {
  const O = t.arch.file.O;
  if (flags & ~(O.CLOEXEC | O.NONBLOCK | O.DIRECT)) throw fail('EINVAL');
  const inRegs = (t.abi as { setSecondResult?: (core: unknown, v: number) => void } | undefined)?.setSecondResult;
  if (addr === -1 && inRegs) {
    // MIPS pipe(): the two fds come back in v0 and v1
    const [r, w] = t.files.pipe({ cloexec: false, nonblock: false });
    inRegs(t.core, w);
    return r;
  }
  t.mem.writableView(addr, 8); // EFAULT before creating anything
  const [r, w] = t.files.pipe({ cloexec: (flags & O.CLOEXEC) !== 0, nonblock: (flags & O.NONBLOCK) !== 0 });
  const le = t.arch.endian === 'little';
  t.mem.writeU32(addr, r, le);
  t.mem.writeU32(addr + 4, w, le);
  return 0;
}

/**
 * sendfile: copies up to `count` bytes from in_fd (at *offset when given,
 * updating it, else at its file position) to out_fd, through a bounce buffer.
 * `offsetSize` is 8 for loff_t (sendfile64, 64-bit arches) and 4 for o32's off_t.
 */
function sendfile(t: LinuxThread, a: readonly bigint[], offsetSize: 4 | 8): number {
  const out = int(a[0]);
  const inp = int(a[1]);
  const offAddr = ptr(a[2]);
  let left = Math.min(Number(BigInt.asUintN(64, a[3])), 0x7fff_f000);
  const le = t.arch.endian === 'little';
  let off = offAddr ? (offsetSize === 8 ? t.mem.readI64(offAddr, le) : BigInt(t.mem.readI32(offAddr, le))) : -1n;
  if (offAddr && off < 0n) throw fail('EINVAL');
  const buf = new Uint8Array(Math.min(left, 1 << 16) || 1);
  let done = 0;
  while (left > 0) {
    const want = buf.subarray(0, Math.min(left, buf.length));
    let n: number;
    try {
      n = off >= 0n ? t.files.pread(inp, want, off) : t.files.read(inp, want);
    } catch (e) {
      if (done > 0) break;
      throw e;
    }
    if (n <= 0) break;
    let w = 0;
    try {
      while (w < n) w += t.files.write(out, want.subarray(w, n));
    } catch (e) {
      if (done + w > 0) { done += w; if (off >= 0n) off += BigInt(w); break; }
      throw e;
    }
    done += n;
    left -= n;
    if (off >= 0n) off += BigInt(n);
    if (n < want.length) break;
  }
  if (offAddr) {
    if (offsetSize === 8) t.mem.writeU64(offAddr, off, le); else t.mem.writeU32(offAddr, Number(off), le);
  }
  return done;
}

defs.push(
  S('sendfile', (t, a) => sendfile(t, a, t.arch.wordSize === 64 ? 8 : 4), ['fd', 'fd', 'ptr', 'uint']),
  S('sendfile64', (t, a) => sendfile(t, a, 8), ['fd', 'fd', 'ptr', 'uint']),
);

/** The Linux file syscalls, by kernel name. */
export const filesSyscalls: SyscallGroup = Object.fromEntries(defs.map((d) => [d.name, d]));
