/**
 * The asm-generic Linux file ABI (64-bit, little-endian): riscv64 uses it as
 * is; aarch64 differs only in four O_* bits (arch/arm64 uapi fcntl.h), given
 * as `aarch64FileAbi`.
 */
import { layout, openFlagNames, type FileAbi, type OpenFlagValues } from './file-abi.js';

const O: OpenFlagValues = {
  RDONLY: 0, WRONLY: 1, RDWR: 2, ACCMODE: 3,
  CREAT: 0o100, EXCL: 0o200, NOCTTY: 0o400, TRUNC: 0o1000, APPEND: 0o2000, NONBLOCK: 0o4000,
  DSYNC: 0o10000, ASYNC: 0o20000, DIRECT: 0o40000, LARGEFILE: 0o100000, DIRECTORY: 0o200000,
  NOFOLLOW: 0o400000, NOATIME: 0o1000000, CLOEXEC: 0o2000000, SYNC: 0o4000000 | 0o10000,
  PATH: 0o10000000, TMPFILE: 0o20000000 | 0o200000,
};

/** asm-generic struct stat (64-bit): 128 bytes. */
const stat = layout(128, [
  ['dev', 0, 8], ['ino', 8, 8], ['mode', 16, 4], ['nlink', 20, 4], ['uid', 24, 4], ['gid', 28, 4],
  ['rdev', 32, 8], ['size', 48, 8, true], ['blksize', 56, 4, true], ['blocks', 64, 8, true],
  ['atime', 72, 8, true], ['atime_nsec', 80, 8], ['mtime', 88, 8, true], ['mtime_nsec', 96, 8],
  ['ctime', 104, 8, true], ['ctime_nsec', 112, 8],
]);

/** struct statx: the same offsets on every arch (only byte order differs). 256 bytes. */
export const statxLayout = layout(256, [
  ['mask', 0, 4], ['blksize', 4, 4], ['attributes', 8, 8], ['nlink', 16, 4], ['uid', 20, 4],
  ['gid', 24, 4], ['mode', 28, 2], ['ino', 32, 8], ['size', 40, 8], ['blocks', 48, 8],
  ['attributes_mask', 56, 8],
  ['atime', 64, 8, true], ['atime_nsec', 72, 4], ['btime', 80, 8, true], ['btime_nsec', 88, 4],
  ['ctime', 96, 8, true], ['ctime_nsec', 104, 4], ['mtime', 112, 8, true], ['mtime_nsec', 120, 4],
  ['rdev_major', 128, 4], ['rdev_minor', 132, 4], ['dev_major', 136, 4], ['dev_minor', 140, 4],
  ['mnt_id', 144, 8],
]);

/** asm-generic struct statfs with a 64-bit __statfs_word: 120 bytes. */
const statfs = layout(120, [
  ['type', 0, 8, true], ['bsize', 8, 8, true], ['blocks', 16, 8], ['bfree', 24, 8], ['bavail', 32, 8],
  ['files', 40, 8], ['ffree', 48, 8], ['fsid0', 56, 4, true], ['fsid1', 60, 4, true],
  ['namelen', 64, 8, true], ['frsize', 72, 8, true], ['flags', 80, 8, true],
]);

/** struct linux_dirent64 header; d_name starts at 19, records 8-byte aligned. */
export const dirent64Layout = layout(19, [['ino', 0, 8], ['off', 8, 8, true], ['reclen', 16, 2], ['type', 18, 1]]);

/** Kernel struct termios (asm-generic termbits: NCCS 19): 36 bytes. */
const termios = layout(36, [
  ['iflag', 0, 4], ['oflag', 4, 4], ['cflag', 8, 4], ['lflag', 12, 4], ['line', 16, 1], ['cc', 17, 1, false, 19],
]);

export const winsizeLayout = layout(8, [['row', 0, 2], ['col', 2, 2], ['xpixel', 4, 2], ['ypixel', 6, 2]]);

/** struct epoll_event where the u64 is naturally aligned (every arch but x86-64): 16 bytes. */
export const epollEventLayout = layout(16, [['events', 0, 4], ['data', 8, 8]]);

const timespec = layout(16, [['sec', 0, 8, true], ['nsec', 8, 8, true]]);
const iovec = layout(16, [['base', 0, 8], ['len', 8, 8]]);
const msghdr = layout(56, [['name', 0, 8], ['namelen', 8, 4], ['iov', 16, 8], ['iovlen', 24, 8], ['control', 32, 8], ['controllen', 40, 8], ['flags', 48, 4]]);
const cmsghdr = layout(16, [['len', 0, 8], ['level', 8, 4], ['type', 12, 4]]);
const mmsghdr = layout(64, [['len', 56, 4]]);
const flock = layout(32, [['type', 0, 2, true], ['whence', 2, 2, true], ['start', 8, 8, true], ['len', 16, 8, true], ['pid', 24, 4, true]]);

/** AT_* values: the same on every Linux arch. */
export const LINUX_AT: FileAbi['AT'] = {
  FDCWD: -100, SYMLINK_NOFOLLOW: 0x100, REMOVEDIR: 0x200, SYMLINK_FOLLOW: 0x400, EACCESS: 0x200,
  NO_AUTOMOUNT: 0x800, EMPTY_PATH: 0x1000, STATX_SYNC_TYPE: 0x6000, STATX_FORCE_SYNC: 0x2000,
  STATX_DONT_SYNC: 0x4000,
};

export const genericFileAbi: FileAbi = {
  endian: 'little',
  wordSize: 64,
  O,
  openFlags: openFlagNames(O),
  AT: LINUX_AT,
  F: {
    DUPFD: 0, GETFD: 1, SETFD: 2, GETFL: 3, SETFL: 4, GETLK: 5, SETLK: 6, SETLKW: 7,
    GETLK64: 5, SETLK64: 6, SETLKW64: 7,
    SETOWN: 8, GETOWN: 9, SETSIG: 10, GETSIG: 11, OFD_GETLK: 36, OFD_SETLK: 37, OFD_SETLKW: 38,
    DUPFD_CLOEXEC: 1030, SETPIPE_SZ: 1031, GETPIPE_SZ: 1032, FD_CLOEXEC: 1,
    RDLCK: 0, WRLCK: 1, UNLCK: 2,
  },
  ioctl: {
    TCGETS: 0x5401, TCSETS: 0x5402, TCSETSW: 0x5403, TCSETSF: 0x5404, TCSBRK: 0x5409, TCXONC: 0x540a,
    TCFLSH: 0x540b, TIOCSCTTY: 0x540e, TIOCGPGRP: 0x540f, TIOCSPGRP: 0x5410, TIOCGWINSZ: 0x5413,
    TIOCSWINSZ: 0x5414, FIONREAD: 0x541b, FIONBIO: 0x5421, TIOCNOTTY: 0x5422, TIOCGSID: 0x5429,
    FIONCLEX: 0x5450, FIOCLEX: 0x5451,
  },
  RENAME: { NOREPLACE: 1, EXCHANGE: 2, WHITEOUT: 4 },
  FALLOC: { KEEP_SIZE: 1, PUNCH_HOLE: 2, COLLAPSE_RANGE: 8, ZERO_RANGE: 0x10, INSERT_RANGE: 0x20 },
  UTIME: { NOW: (1 << 30) - 1, OMIT: (1 << 30) - 2 },
  CLOSE_RANGE: { UNSHARE: 2, CLOEXEC: 4 },
  layouts: { stat, statx: statxLayout, statfs, dirent64: dirent64Layout, termios, winsize: winsizeLayout, timespec, iovec, msghdr, cmsghdr, mmsghdr, flock, epollEvent: epollEventLayout },
  devEncoding: 'new',
  NCCS: 19,
};

/** aarch64: asm-generic except O_DIRECTORY/O_NOFOLLOW/O_DIRECT/O_LARGEFILE. */
const aarch64O: OpenFlagValues = { ...O, DIRECTORY: 0o40000, NOFOLLOW: 0o100000, DIRECT: 0o200000, LARGEFILE: 0o400000, TMPFILE: 0o20000000 | 0o40000 };
export const aarch64FileAbi: FileAbi = { ...genericFileAbi, O: aarch64O, openFlags: openFlagNames(aarch64O) };
