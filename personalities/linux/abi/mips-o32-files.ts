/**
 * The Linux MIPS o32 file ABI as data (UAPI headers asm/fcntl.h, asm/stat.h,
 * asm/statfs.h, asm/termbits.h, asm/ioctls.h of Debian's mipsel cross
 * sysroot; every offset is checked against the probe output in
 * test/fixtures/bin/mipsel/probes/layout.stdout). Both byte orders share the
 * layout; `mipsO32FileAbiFor(endian)` gives the record for one.
 *
 * What differs from asm-generic:
 * - O_*: APPEND 0x8, DSYNC 0x10, NONBLOCK 0x80, CREAT 0x100, TRUNC 0x200,
 *   EXCL 0x400, NOCTTY 0x800, ASYNC 0x1000, LARGEFILE 0x2000, SYNC 0x4010,
 *   DIRECT 0x8000; DIRECTORY, NOFOLLOW, NOATIME, CLOEXEC, PATH, TMPFILE keep
 *   the generic octal values.
 * - F_*: GETLK 14 (SETLK 6, SETLKW 7 as generic), GETLK64 33, SETLK64 34,
 *   SETLKW64 35, SETOWN 24, GETOWN 23.
 * - ioctls: the SVR4-style numbers (TCGETS 0x540d ...), and _IOR/_IOW with
 *   MIPS's 3 direction bits (read = 2, write = 4) and 13 size bits:
 *   TIOCGWINSZ = _IOR('t', 104, struct winsize) = 0x40087468.
 * - struct stat (old stat/fstat/lstat, 144 bytes) and struct stat64
 *   (104 bytes) with padding after st_dev and st_rdev; both encode st_dev /
 *   st_rdev with new_encode_dev into 32 bits (the kernel's cp_new_stat64
 *   does so on MIPS only).
 * - struct statfs (68 bytes) and statfs64 (96 bytes) put f_frsize third and
 *   f_bavail after f_ffree.
 * - termios: NCCS 23, 40 bytes; c_cc positions VMIN 4, VEOL2 6, VEOF 16,
 *   VEOL 17; c_lflag IEXTEN 0x100, FLUSHO 0x2000, TOSTOP 0x8000. The files
 *   server speaks the generic termios (the host's), so `mipsTermiosXlat`
 *   converts both ways (see its comment).
 * - struct flock (32-bit off_t) as the 6.1 UAPI header lays it out: l_pid
 *   at 12, then l_sysid and pad[4]; 36 bytes. (glibc's o32 <bits/fcntl.h>
 *   puts l_sysid before l_pid; glibc only uses struct flock64 with the *64
 *   commands for LFS builds, which Debian's are.) struct flock64: 32 bytes.
 */
import type { Endian } from '../../../src/plugin/contracts.js';
import type { Termios } from '../../../servers/files/types.js';
import { dirent64Layout, epollEventLayout, LINUX_AT, statxLayout, winsizeLayout } from './file-abi-generic.js';
import { layout, openFlagNames, type FileAbi, type OpenFlagValues } from './file-abi.js';

const O: OpenFlagValues = {
  RDONLY: 0, WRONLY: 1, RDWR: 2, ACCMODE: 3,
  APPEND: 0x8, DSYNC: 0x10, NONBLOCK: 0x80, CREAT: 0x100, TRUNC: 0x200, EXCL: 0x400, NOCTTY: 0x800,
  ASYNC: 0x1000, LARGEFILE: 0x2000, SYNC: 0x4000 | 0x10, DIRECT: 0x8000,
  DIRECTORY: 0o200000, NOFOLLOW: 0o400000, NOATIME: 0o1000000, CLOEXEC: 0o2000000,
  PATH: 0o10000000, TMPFILE: 0o20000000 | 0o200000,
};

/** struct stat of the old stat/lstat/fstat calls (4106..4108): 144 bytes. */
const stat = layout(144, [
  ['dev', 0, 4], ['ino', 16, 4], ['mode', 20, 4], ['nlink', 24, 4], ['uid', 28, 4], ['gid', 32, 4],
  ['rdev', 36, 4], ['size', 48, 4, true], ['atime', 56, 4, true], ['atime_nsec', 60, 4],
  ['mtime', 64, 4, true], ['mtime_nsec', 68, 4], ['ctime', 72, 4, true], ['ctime_nsec', 76, 4],
  ['blksize', 80, 4, true], ['blocks', 84, 4, true],
]);

/** struct stat64 (fstat64, fstatat64, stat64, lstat64): 104 bytes. */
const stat64 = layout(104, [
  ['dev', 0, 4], ['ino', 16, 8], ['mode', 24, 4], ['nlink', 28, 4], ['uid', 32, 4], ['gid', 36, 4],
  ['rdev', 40, 4], ['size', 56, 8, true], ['atime', 64, 4, true], ['atime_nsec', 68, 4],
  ['mtime', 72, 4, true], ['mtime_nsec', 76, 4], ['ctime', 80, 4, true], ['ctime_nsec', 84, 4],
  ['blksize', 88, 4], ['blocks', 96, 8, true],
]);

/** struct statfs (32-bit longs): 68 bytes. */
const statfs = layout(68, [
  ['type', 0, 4, true], ['bsize', 4, 4, true], ['frsize', 8, 4, true], ['blocks', 12, 4], ['bfree', 16, 4],
  ['files', 20, 4], ['ffree', 24, 4], ['bavail', 28, 4], ['fsid0', 32, 4, true], ['fsid1', 36, 4, true],
  ['namelen', 40, 4, true], ['flags', 44, 4, true],
]);

/** struct statfs64: 96 bytes (u32 type/bsize/frsize, pad, then u64 counters). */
const statfs64 = layout(96, [
  ['type', 0, 4], ['bsize', 4, 4], ['frsize', 8, 4], ['blocks', 16, 8], ['bfree', 24, 8],
  ['files', 32, 8], ['ffree', 40, 8], ['bavail', 48, 8], ['fsid0', 56, 4, true], ['fsid1', 60, 4, true],
  ['namelen', 64, 4], ['flags', 68, 4],
]);

/** Kernel struct termios on MIPS: NCCS 23, 40 bytes. */
export const MIPS_NCCS = 23;
const termios = layout(40, [
  ['iflag', 0, 4], ['oflag', 4, 4], ['cflag', 8, 4], ['lflag', 12, 4], ['line', 16, 1], ['cc', 17, 1, false, MIPS_NCCS],
]);

/** 32-bit struct timespec (old_timespec32) and iovec. */
const timespec = layout(8, [['sec', 0, 4, true], ['nsec', 4, 4, true]]);
const iovec = layout(8, [['base', 0, 4], ['len', 4, 4]]);
const msghdr = layout(28, [['name', 0, 4], ['namelen', 4, 4], ['iov', 8, 4], ['iovlen', 12, 4], ['control', 16, 4], ['controllen', 20, 4], ['flags', 24, 4]]);
const cmsghdr = layout(12, [['len', 0, 4], ['level', 4, 4], ['type', 8, 4]]);
const mmsghdr = layout(32, [['len', 28, 4]]);

/** struct flock as the 6.1 UAPI header lays it out for o32 (see the header comment): 36 bytes. */
const flock = layout(36, [['type', 0, 2, true], ['whence', 2, 2, true], ['start', 4, 4, true], ['len', 8, 4, true], ['pid', 12, 4, true], ['sysid', 16, 4, true]]);
/** struct flock64: 32 bytes. */
const flock64 = layout(32, [['type', 0, 2, true], ['whence', 2, 2, true], ['start', 8, 8, true], ['len', 16, 8, true], ['pid', 24, 4, true]]);

/** _IOC on MIPS: dir (3 bits: none 1, read 2, write 4) << 29 | size (13 bits) << 16 | type << 8 | nr. */
export function mipsIoc(dir: 1 | 2 | 4 | 6, type: string, nr: number, size: number): number {
  return ((dir << 29) | ((size & 0x1fff) << 16) | (type.charCodeAt(0) << 8) | nr) >>> 0;
}
const IOR = (type: string, nr: number, size: number): number => mipsIoc(2, type, nr, size);
const IOW = (type: string, nr: number, size: number): number => mipsIoc(4, type, nr, size);

/**
 * Termios translation between the files server's termios (asm-generic
 * values and c_cc order, NCCS 19: what the host's tcgetattr gives) and the
 * MIPS kernel's. iflag, oflag and cflag bits are the same on both; c_lflag
 * swaps three bits and c_cc moves VEOF, VMIN, VEOL, VEOL2.
 */
export interface TermiosXlat {
  /** Generic c_cc index → MIPS c_cc index (VINTR..VEOL2; generic 17 and 18 are unused). */
  readonly ccFromGeneric: readonly number[];
  /** [generic bit, MIPS bit] pairs of c_lflag that differ. */
  readonly lflagPairs: ReadonlyArray<readonly [number, number]>;
  toGuest(tm: Termios): Termios;
  fromGuest(tm: Termios): Termios;
}

//                 VINTR VQUIT VERASE VKILL VEOF VTIME VMIN VSWTC VSTART VSTOP VSUSP VEOL VREPRINT VDISCARD VWERASE VLNEXT VEOL2
const CC_FROM_GENERIC = [0, 1, 2, 3, 16, 5, 4, 7, 8, 9, 10, 17, 12, 13, 14, 15, 6];
//                 TOSTOP            IEXTEN            FLUSHO
const LFLAG_PAIRS = [[0x100, 0x8000], [0x8000, 0x100], [0x1000, 0x2000]] as const;
const LFLAG_MOVED_GENERIC = LFLAG_PAIRS.reduce((m, [g]) => m | g, 0);
const LFLAG_MOVED_MIPS = LFLAG_PAIRS.reduce((m, [, k]) => m | k, 0);

export const mipsTermiosXlat: TermiosXlat = {
  ccFromGeneric: CC_FROM_GENERIC,
  lflagPairs: LFLAG_PAIRS,
  toGuest(tm: Termios): Termios {
    const cc = new Uint8Array(MIPS_NCCS);
    CC_FROM_GENERIC.forEach((k, g) => { cc[k] = tm.cc[g] ?? 0; });
    let lflag = tm.lflag & ~LFLAG_MOVED_GENERIC;
    for (const [g, k] of LFLAG_PAIRS) if (tm.lflag & g) lflag |= k;
    return { ...tm, lflag: lflag >>> 0, cc };
  },
  fromGuest(tm: Termios): Termios {
    const cc = new Uint8Array(19);
    CC_FROM_GENERIC.forEach((k, g) => { cc[g] = tm.cc[k] ?? 0; });
    let lflag = tm.lflag & ~LFLAG_MOVED_MIPS;
    for (const [g, k] of LFLAG_PAIRS) if (tm.lflag & k) lflag |= g;
    return { ...tm, lflag: lflag >>> 0, cc };
  },
};

/** The MIPS FileAbi plus what the generic record cannot say (termios translation). */
export type MipsFileAbi = FileAbi & { readonly termiosXlat: TermiosXlat };

function build(endian: Endian): MipsFileAbi {
  return {
    endian,
    wordSize: 32,
    O,
    openFlags: openFlagNames(O),
    AT: LINUX_AT,
    F: {
      DUPFD: 0, GETFD: 1, SETFD: 2, GETFL: 3, SETFL: 4, GETLK: 14, SETLK: 6, SETLKW: 7,
      GETLK64: 33, SETLK64: 34, SETLKW64: 35,
      SETOWN: 24, GETOWN: 23, SETSIG: 10, GETSIG: 11, OFD_GETLK: 36, OFD_SETLK: 37, OFD_SETLKW: 38,
      DUPFD_CLOEXEC: 1030, SETPIPE_SZ: 1031, GETPIPE_SZ: 1032, FD_CLOEXEC: 1,
      RDLCK: 0, WRLCK: 1, UNLCK: 2,
    },
    ioctl: {
      TCGETS: 0x540d, TCSETS: 0x540e, TCSETSW: 0x540f, TCSETSF: 0x5410,
      TCSBRK: 0x5405, TCXONC: 0x5406, TCFLSH: 0x5407,
      TIOCSCTTY: 0x5480, TIOCNOTTY: 0x5471, TIOCGSID: 0x7416,
      TIOCGPGRP: IOR('t', 119, 4), TIOCSPGRP: IOW('t', 118, 4),
      TIOCGWINSZ: IOR('t', 104, 8), TIOCSWINSZ: IOW('t', 103, 8),
      FIONREAD: 0x467f, FIONBIO: 0x667e, FIOCLEX: 0x6601, FIONCLEX: 0x6602,
    },
    RENAME: { NOREPLACE: 1, EXCHANGE: 2, WHITEOUT: 4 },
    FALLOC: { KEEP_SIZE: 1, PUNCH_HOLE: 2, COLLAPSE_RANGE: 8, ZERO_RANGE: 0x10, INSERT_RANGE: 0x20 },
    UTIME: { NOW: (1 << 30) - 1, OMIT: (1 << 30) - 2 },
    CLOSE_RANGE: { UNSHARE: 2, CLOEXEC: 4 },
    layouts: {
      stat, stat64, statx: statxLayout, statfs, statfs64, dirent64: dirent64Layout, termios,
      winsize: winsizeLayout, timespec, iovec, msghdr, cmsghdr, mmsghdr, flock, flock64, epollEvent: epollEventLayout,
    },
    devEncoding: 'new',
    NCCS: MIPS_NCCS,
    termiosXlat: mipsTermiosXlat,
  };
}

const le = build('little');
const be = build('big');

/** The o32 FileAbi for one byte order. */
export function mipsO32FileAbiFor(endian: Endian): MipsFileAbi {
  return endian === 'little' ? le : be;
}

export const mipselO32FileAbi = le;
export const mipsebO32FileAbi = be;
