/**
 * Neutral types of the files server: what personalities pass in and get back.
 * No personality numbers here: flags are objects of booleans, kinds and
 * whence values are names. Paths are byte strings (one byte per char, latin1),
 * so any bytes a guest uses in a name survive unchanged.
 *
 * POSIX-universal values are kept as numbers: permission bits and the S_IFMT
 * file type bits in `mode`, access(2) bits R=4/W=2/X=1.
 */

/** A directory fd argument: a guest fd, or the current directory. */
export type DirFd = number | 'cwd';
export const CWD: DirFd = 'cwd';

export type Access = 'r' | 'w' | 'rw';

export interface OpenFlags {
  access: Access;
  create?: boolean; excl?: boolean; trunc?: boolean; append?: boolean; nonblock?: boolean;
  directory?: boolean; nofollow?: boolean; cloexec?: boolean; path?: boolean; tmpfile?: boolean;
  noctty?: boolean; sync?: boolean; dsync?: boolean; direct?: boolean; noatime?: boolean; async?: boolean;
}

/** Status flags an open file description carries (F_GETFL / F_SETFL). */
export interface StatusFlags {
  access: Access;
  append: boolean; nonblock: boolean; sync: boolean; dsync: boolean; direct: boolean;
  noatime: boolean; async: boolean; path: boolean; directory: boolean;
}

export type FileKind = 'regular' | 'dir' | 'tty' | 'pipe' | 'chardev' | 'blockdev' | 'socket' | 'symlink' | 'eventfd' | 'timerfd' | 'signalfd' | 'epoll' | 'unknown';

export type Whence = 'set' | 'cur' | 'end' | 'data' | 'hole';

export interface Timespec { sec: bigint; nsec: number }

/** What stat/statx report. Sizes and inode numbers are bigints (no precision loss). */
export interface Stat {
  /** statx-style mask of valid fields (STATX_* bits, the same on every Linux). */
  mask: number;
  devMajor: number; devMinor: number;
  ino: bigint;
  /** S_IFMT type bits | permission bits (POSIX values). */
  mode: number;
  nlink: number; uid: number; gid: number;
  rdevMajor: number; rdevMinor: number;
  size: bigint; blksize: number; blocks: bigint;
  atime: Timespec; mtime: Timespec; ctime: Timespec; btime: Timespec;
  attributes: bigint; attributesMask: bigint; mntId: bigint;
}

export interface StatOptions {
  /** Do not follow a final symlink (AT_SYMLINK_NOFOLLOW). */
  nofollow?: boolean;
  /** An empty path means the dirfd itself (AT_EMPTY_PATH). */
  emptyPath?: boolean;
  noAutomount?: boolean;
  /** statx mask requested (defaults to basic stats + btime). */
  mask?: number;
  sync?: 'as-stat' | 'force' | 'dont';
}

export interface StatFs {
  type: bigint; bsize: bigint; blocks: bigint; bfree: bigint; bavail: bigint; files: bigint; ffree: bigint;
  fsid: [number, number]; namelen: bigint; frsize: bigint; flags: bigint;
}

export type DirEntryType = 'unknown' | 'fifo' | 'chr' | 'dir' | 'blk' | 'reg' | 'lnk' | 'sock' | 'wht';

export interface DirEntry {
  ino: bigint;
  /** Cookie of the position after this entry: lseek(fd, off, 'set') resumes there (telldir/seekdir). */
  off: bigint;
  type: DirEntryType;
  /** Name bytes (no NUL). */
  name: Uint8Array;
}

export interface RenameFlags { noreplace?: boolean; exchange?: boolean; whiteout?: boolean }

export interface FallocateMode { keepSize?: boolean; punchHole?: boolean; zeroRange?: boolean; collapseRange?: boolean; insertRange?: boolean }

/** utimens times: a timespec, or 'now' / 'omit' (UTIME_NOW / UTIME_OMIT). */
export type TimeSpecArg = Timespec | 'now' | 'omit';

/**
 * Terminal attributes, as the host kernel's struct termios holds them: flag
 * words and c_cc indices use the Linux generic (asm-generic termbits) meaning.
 * Personalities whose arch encodes termios differently (MIPS) translate bits.
 */
export interface Termios {
  iflag: number; oflag: number; cflag: number; lflag: number; line: number;
  /** c_cc, 19 entries (generic NCCS). */
  cc: Uint8Array;
}

export interface Winsize { row: number; col: number; xpixel: number; ypixel: number }

export type LockType = 'read' | 'write' | 'unlock';
export interface Lock { type: LockType; whence: 'set' | 'cur' | 'end'; start: bigint; len: bigint; pid: number }

/**
 * poll(2) event bits as the files server speaks them. These are the server's
 * own names; their values happen to be the asm-generic Linux ones (and the
 * host's), personalities whose arch differs (MIPS POLLWRNORM/POLLWRBAND)
 * translate.
 */
export const POLL = {
  IN: 0x1, PRI: 0x2, OUT: 0x4, ERR: 0x8, HUP: 0x10, NVAL: 0x20,
  RDNORM: 0x40, RDBAND: 0x80, WRNORM: 0x100, WRBAND: 0x200, MSG: 0x400, RDHUP: 0x2000,
} as const;

export interface PollRequest { fd: number; events: number }

export interface PollResult {
  /** revents per request (POLL bits). */
  revents: number[];
  /** Number of requests with a non-zero revents. */
  count: number;
}
