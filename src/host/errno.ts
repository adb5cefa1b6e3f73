/**
 * Host errno numbers → neutral Errno names, in one table.
 *
 * The numbers come from Node's `os.constants.errno`, so this is right on any
 * host Node runs on (x86_64, aarch64, ...) without copying a numbers table.
 */
import { constants } from 'node:os';
import { ServerError, type Errno } from '../../servers/common/errno.js';

const NAMES: readonly Errno[] = [
  'EPERM', 'ENOENT', 'ESRCH', 'EINTR', 'EIO', 'ENXIO', 'E2BIG', 'ENOEXEC', 'EBADF', 'ECHILD',
  'EAGAIN', 'ENOMEM', 'EACCES', 'EFAULT', 'ENOTBLK', 'EBUSY', 'EEXIST', 'EXDEV', 'ENODEV',
  'ENOTDIR', 'EISDIR', 'EINVAL', 'ENFILE', 'EMFILE', 'ENOTTY', 'ETXTBSY', 'EFBIG', 'ENOSPC',
  'ESPIPE', 'EROFS', 'EMLINK', 'EPIPE', 'EDOM', 'ERANGE', 'EDEADLK', 'ENAMETOOLONG', 'ENOLCK',
  'ENOSYS', 'ENOTEMPTY', 'ELOOP', 'ENOMSG', 'EIDRM', 'ENODATA', 'ETIME', 'EOVERFLOW', 'EILSEQ',
  'ENOTSOCK', 'EDESTADDRREQ', 'EMSGSIZE', 'EPROTOTYPE', 'ENOPROTOOPT', 'EPROTONOSUPPORT',
  'EOPNOTSUPP', 'EAFNOSUPPORT', 'EADDRINUSE', 'EADDRNOTAVAIL', 'ENETDOWN', 'ENETUNREACH',
  'ECONNABORTED', 'ECONNRESET', 'ENOBUFS', 'EISCONN', 'ENOTCONN', 'ETIMEDOUT', 'ECONNREFUSED',
  'EHOSTUNREACH', 'EALREADY', 'EINPROGRESS', 'ESTALE', 'EDQUOT', 'ECANCELED', 'EOWNERDEAD',
  'ENOTRECOVERABLE',
];

const byNumber = new Map<number, Errno>();
const hostNumbers = constants.errno as Record<string, number>;
for (const name of NAMES) {
  const n = hostNumbers[name];
  // first name wins for aliases (EAGAIN == EWOULDBLOCK, EDEADLK == EDEADLOCK)
  if (n !== undefined && !byNumber.has(n)) byNumber.set(n, name);
}
// ENOTSUP shares EOPNOTSUPP's number on Linux; make sure it maps.
if (hostNumbers.ENOTSUP !== undefined && !byNumber.has(hostNumbers.ENOTSUP)) byNumber.set(hostNumbers.ENOTSUP, 'EOPNOTSUPP');

/** The neutral name of a host errno number (EIO for numbers the table does not know). */
export function hostErrnoName(n: number): Errno {
  return byNumber.get(n) ?? 'EIO';
}

/** The host's number for a neutral name (for tests and host-side checks). */
export function hostErrnoNumber(name: Errno): number | undefined {
  return hostNumbers[name];
}

/** A ServerError for a failed host call. */
export function hostError(n: number, what: string): ServerError {
  return new ServerError(hostErrnoName(n), what);
}

/** Maps a Node fs error (err.code 'ENOENT', ...) to a ServerError; rethrows others. */
export function fromNodeError(e: unknown): ServerError {
  if (e instanceof ServerError) return e;
  const code = (e as { code?: unknown })?.code;
  if (typeof code === 'string' && code in hostNumbers) {
    return new ServerError(byNumber.get(hostNumbers[code]) ?? 'EIO', (e as Error).message);
  }
  throw e;
}
