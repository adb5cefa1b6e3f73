/**
 * Haiku status codes (Errors.h): every error is a large negative int32 from
 * B_GENERAL_ERROR_BASE = INT_MIN; POSIX errno values are Haiku codes too.
 * The neutral server errnos map here. Facts from the reference notes §2.2
 * (POSIX base offsets 1..45 are the BeOS-era list; 46.. follow modern Haiku).
 */
import type { Errno } from '../../../servers/common/errno.js';

export const B_OK = 0;
export const B_ERROR = -1;
export const B_GENERAL_ERROR_BASE = -0x8000_0000;
export const B_OS_ERROR_BASE = B_GENERAL_ERROR_BASE + 0x1000;
export const B_STORAGE_ERROR_BASE = B_GENERAL_ERROR_BASE + 0x6000;
export const B_POSIX_ERROR_BASE = B_GENERAL_ERROR_BASE + 0x7000;

const G = B_GENERAL_ERROR_BASE;
export const B_NO_MEMORY = G + 0;
export const B_IO_ERROR = G + 1;
export const B_PERMISSION_DENIED = G + 2;
export const B_BAD_INDEX = G + 3;
export const B_BAD_TYPE = G + 4;
export const B_BAD_VALUE = G + 5;
export const B_MISMATCHED_VALUES = G + 6;
export const B_NAME_NOT_FOUND = G + 7;
export const B_NAME_IN_USE = G + 8;
export const B_TIMED_OUT = G + 9;
export const B_INTERRUPTED = G + 10;
export const B_WOULD_BLOCK = G + 11;
export const B_CANCELED = G + 12;
export const B_NO_INIT = G + 13;
export const B_BUSY = G + 14;
export const B_NOT_ALLOWED = G + 15;
export const B_BAD_DATA = G + 16;
export const B_DONT_DO_THAT = G + 17;

const K = B_OS_ERROR_BASE;
export const B_BAD_SEM_ID = K + 0x000;
export const B_NO_MORE_SEMS = K + 0x001;
export const B_BAD_THREAD_ID = K + 0x100;
export const B_NO_MORE_THREADS = K + 0x101;
export const B_BAD_THREAD_STATE = K + 0x102;
export const B_BAD_TEAM_ID = K + 0x103;
export const B_NO_MORE_TEAMS = K + 0x104;
export const B_BAD_PORT_ID = K + 0x200;
export const B_NO_MORE_PORTS = K + 0x201;
export const B_BAD_IMAGE_ID = K + 0x300;
export const B_BAD_ADDRESS = K + 0x301;
export const B_NOT_AN_EXECUTABLE = K + 0x302;
export const B_MISSING_LIBRARY = K + 0x303;
export const B_MISSING_SYMBOL = K + 0x304;

const S = B_STORAGE_ERROR_BASE;
export const B_FILE_ERROR = S + 0;
export const B_FILE_NOT_FOUND = S + 1;
export const B_FILE_EXISTS = S + 2;
export const B_ENTRY_NOT_FOUND = S + 3;
export const B_NAME_TOO_LONG = S + 4;
export const B_NOT_A_DIRECTORY = S + 5;
export const B_DIRECTORY_NOT_EMPTY = S + 6;
export const B_DEVICE_FULL = S + 7;
export const B_READ_ONLY_DEVICE = S + 8;
export const B_IS_A_DIRECTORY = S + 9;
export const B_NO_MORE_FDS = S + 10;
export const B_CROSS_DEVICE_LINK = S + 11;
export const B_LINK_LIMIT = S + 12;
export const B_BUSTED_PIPE = S + 13;
export const B_UNSUPPORTED = S + 14;

/** POSIX errnos that are B_POSIX_ERROR_BASE + k. */
const POSIX_OFFSETS: Partial<Record<Errno, number>> = {
  E2BIG: 1, ECHILD: 2, EDEADLK: 3, EFBIG: 4, EMLINK: 5, ENFILE: 6, ENODEV: 7, ENOLCK: 8, ENOSYS: 9,
  ENOTTY: 10, ENXIO: 11, ESPIPE: 12, ESRCH: 13, EDOM: 16, ERANGE: 17, EPROTOTYPE: 18,
  EPROTONOSUPPORT: 19, EAFNOSUPPORT: 21, EADDRINUSE: 22, EADDRNOTAVAIL: 23, ENETDOWN: 24,
  ENETUNREACH: 25, ECONNABORTED: 27, ECONNRESET: 28, EISCONN: 29, ENOTCONN: 30, ECONNREFUSED: 32,
  EHOSTUNREACH: 33, ENOPROTOOPT: 34, ENOBUFS: 35, EINPROGRESS: 36, EALREADY: 37, EILSEQ: 38,
  ENOMSG: 39, ESTALE: 40, EOVERFLOW: 41, EMSGSIZE: 42, EOPNOTSUPP: 43, ENOTSOCK: 44,
  ECANCELED: 47, EDESTADDRREQ: 48, EDQUOT: 49, EIDRM: 50, ENODATA: 52, ETIME: 58, ETXTBSY: 59,
  ENOTRECOVERABLE: 61, EOWNERDEAD: 62,
};

/** POSIX errnos that are other Haiku codes. */
const ALIASES: Partial<Record<Errno, number>> = {
  ENOMEM: B_NO_MEMORY, EIO: B_IO_ERROR, EACCES: B_PERMISSION_DENIED, EINVAL: B_BAD_VALUE,
  ETIMEDOUT: B_TIMED_OUT, EINTR: B_INTERRUPTED, ERESTARTSYS: B_INTERRUPTED, EAGAIN: B_WOULD_BLOCK,
  EBUSY: B_BUSY, EPERM: B_NOT_ALLOWED, EFAULT: B_BAD_ADDRESS, ENOEXEC: B_NOT_AN_EXECUTABLE,
  EBADF: B_FILE_ERROR, EEXIST: B_FILE_EXISTS, ENOENT: B_ENTRY_NOT_FOUND, ENAMETOOLONG: B_NAME_TOO_LONG,
  ENOTDIR: B_NOT_A_DIRECTORY, ENOTEMPTY: B_DIRECTORY_NOT_EMPTY, ENOSPC: B_DEVICE_FULL,
  EROFS: B_READ_ONLY_DEVICE, EISDIR: B_IS_A_DIRECTORY, EMFILE: B_NO_MORE_FDS, EXDEV: B_CROSS_DEVICE_LINK,
  ELOOP: B_LINK_LIMIT, EPIPE: B_BUSTED_PIPE, ENOTBLK: B_BAD_VALUE,
};

/** Neutral errno name → Haiku status code (negative). */
export function haikuError(e: Errno): number {
  const a = ALIASES[e];
  if (a !== undefined) return a;
  const k = POSIX_OFFSETS[e];
  if (k !== undefined) return B_POSIX_ERROR_BASE + k;
  return B_ERROR;
}

export const B_ENOSYS = B_POSIX_ERROR_BASE + 9;

/** Names for --trace. */
const NAMES = new Map<number, string>();
for (const [k, v] of Object.entries({
  B_NO_MEMORY, B_IO_ERROR, B_PERMISSION_DENIED, B_BAD_VALUE, B_NAME_NOT_FOUND, B_NAME_IN_USE, B_TIMED_OUT,
  B_INTERRUPTED, B_WOULD_BLOCK, B_CANCELED, B_NO_INIT, B_BUSY, B_NOT_ALLOWED, B_BAD_SEM_ID, B_NO_MORE_SEMS,
  B_BAD_THREAD_ID, B_BAD_THREAD_STATE, B_BAD_TEAM_ID, B_BAD_PORT_ID, B_NO_MORE_PORTS, B_BAD_ADDRESS,
  B_NOT_AN_EXECUTABLE, B_FILE_ERROR, B_FILE_EXISTS, B_ENTRY_NOT_FOUND, B_NAME_TOO_LONG, B_NOT_A_DIRECTORY,
  B_DIRECTORY_NOT_EMPTY, B_DEVICE_FULL, B_READ_ONLY_DEVICE, B_IS_A_DIRECTORY, B_NO_MORE_FDS, B_LINK_LIMIT,
  B_BUSTED_PIPE, B_ERROR,
})) NAMES.set(v, k);
for (const [k, v] of Object.entries(POSIX_OFFSETS)) NAMES.set(B_POSIX_ERROR_BASE + v, k);

export function haikuErrorName(code: number): string {
  return NAMES.get(code) ?? `0x${(code >>> 0).toString(16)}`;
}
