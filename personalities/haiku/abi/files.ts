/**
 * Haiku's file ABI numbers (fcntl.h, sys/stat.h, unistd.h) and the riscv64
 * (LP64, same as x86_64) layouts of struct stat and struct dirent (reference §3.5).
 */
import type { OpenFlags, Stat, StatusFlags } from '../../../servers/files/types.js';

export const AT_FDCWD = -1;
export const B_PATH_NAME_LENGTH = 1024;
export const B_FILE_NAME_LENGTH = 256;

export const O = {
  RDONLY: 0, WRONLY: 1, RDWR: 2, ACCMODE: 3, CLOEXEC: 0x40, NONBLOCK: 0x80, EXCL: 0x100, CREAT: 0x200,
  TRUNC: 0x400, APPEND: 0x800, NOCTTY: 0x1000, NOTRAVERSE: 0x2000, SYNC: 0x10000, RSYNC: 0x20000,
  DSYNC: 0x40000, NOFOLLOW: 0x80000, DIRECT: 0x100000, DIRECTORY: 0x200000,
} as const;

export const F = {
  DUPFD: 0x1, GETFD: 0x2, SETFD: 0x4, GETFL: 0x8, SETFL: 0x10, GETLK: 0x20, SETLK: 0x80, SETLKW: 0x100,
  DUPFD_CLOEXEC: 0x200,
} as const;
export const FD_CLOEXEC = 1;

export const B_STAT = {
  MODE: 0x1, UID: 0x2, GID: 0x4, SIZE: 0x8, ACCESS_TIME: 0x10, MODIFICATION_TIME: 0x20, CREATION_TIME: 0x40,
  CHANGE_TIME: 0x80,
} as const;

export function openFlags(mode: number): OpenFlags {
  const acc = mode & O.ACCMODE;
  return {
    access: acc === O.WRONLY ? 'w' : acc === O.RDWR ? 'rw' : 'r',
    create: !!(mode & O.CREAT), excl: !!(mode & O.EXCL), trunc: !!(mode & O.TRUNC), append: !!(mode & O.APPEND),
    nonblock: !!(mode & O.NONBLOCK), directory: !!(mode & O.DIRECTORY), cloexec: !!(mode & O.CLOEXEC),
    noctty: !!(mode & O.NOCTTY), sync: !!(mode & O.SYNC), dsync: !!(mode & O.DSYNC), direct: !!(mode & O.DIRECT),
    // O_NOTRAVERSE opens a symlink itself; the host's nearest is O_PATH|O_NOFOLLOW, handled by the caller
    nofollow: !!(mode & O.NOFOLLOW),
  };
}

export function statusFlagsToHaiku(f: StatusFlags): number {
  let m = f.access === 'w' ? O.WRONLY : f.access === 'rw' ? O.RDWR : O.RDONLY;
  if (f.append) m |= O.APPEND;
  if (f.nonblock) m |= O.NONBLOCK;
  if (f.sync) m |= O.SYNC;
  if (f.dsync) m |= O.DSYNC;
  if (f.direct) m |= O.DIRECT;
  if (f.directory) m |= O.DIRECTORY;
  return m;
}

/** struct stat, 128 bytes on riscv64/x86_64. */
export const STAT_SIZE = 128;
export function encodeStat(st: Stat): Uint8Array {
  const b = new Uint8Array(STAT_SIZE);
  const v = new DataView(b.buffer);
  v.setInt32(0, ((st.devMajor << 8) | (st.devMinor & 0xff)) | 0, true);
  v.setBigInt64(8, BigInt.asIntN(64, st.ino), true);
  v.setUint32(16, st.mode >>> 0, true);
  v.setInt32(20, st.nlink, true);
  v.setUint32(24, st.uid >>> 0, true);
  v.setUint32(28, st.gid >>> 0, true);
  v.setBigInt64(32, BigInt.asIntN(64, st.size), true);
  v.setInt32(40, ((st.rdevMajor << 8) | (st.rdevMinor & 0xff)) | 0, true);
  v.setInt32(44, st.blksize, true);
  const ts = (o: number, t: { sec: bigint; nsec: number }): void => { v.setBigInt64(o, t.sec, true); v.setBigInt64(o + 8, BigInt(t.nsec), true); };
  ts(48, st.atime);
  ts(64, st.mtime);
  ts(80, st.ctime);
  ts(96, st.btime.sec === 0n && st.btime.nsec === 0 ? st.ctime : st.btime);
  v.setUint32(112, 0, true); // st_type
  v.setBigInt64(120, BigInt.asIntN(64, st.blocks), true);
  return b;
}

/** struct dirent: d_dev@0 d_pdev@4 d_ino@8 d_pino@16 d_reclen@24 d_name@26, records 8-byte aligned. */
export const DIRENT_NAME_OFFSET = 26;
export const direntSize = (nameLength: number): number => (DIRENT_NAME_OFFSET + nameLength + 1 + 7) & ~7;
