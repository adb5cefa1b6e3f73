/**
 * Neutral error identities shared by every residual server.
 *
 * Servers never return a personality's numbers: they fail with a `ServerError`
 * carrying one of these POSIX names, and each personality maps the name to its
 * own errno value (Linux generic, MIPS, Haiku B_* codes, ...).
 */
export type Errno =
  | 'EPERM' | 'ENOENT' | 'ESRCH' | 'EINTR' | 'EIO' | 'ENXIO' | 'E2BIG' | 'ENOEXEC'
  | 'EBADF' | 'ECHILD' | 'EAGAIN' | 'ENOMEM' | 'EACCES' | 'EFAULT' | 'ENOTBLK' | 'EBUSY'
  | 'EEXIST' | 'EXDEV' | 'ENODEV' | 'ENOTDIR' | 'EISDIR' | 'EINVAL' | 'ENFILE' | 'EMFILE'
  | 'ENOTTY' | 'ETXTBSY' | 'EFBIG' | 'ENOSPC' | 'ESPIPE' | 'EROFS' | 'EMLINK' | 'EPIPE'
  | 'EDOM' | 'ERANGE' | 'EDEADLK' | 'ENAMETOOLONG' | 'ENOLCK' | 'ENOSYS' | 'ENOTEMPTY'
  | 'ELOOP' | 'ENOMSG' | 'EIDRM' | 'ENODATA' | 'ETIME' | 'EOVERFLOW' | 'EILSEQ'
  | 'ENOTSOCK' | 'EDESTADDRREQ' | 'EMSGSIZE' | 'EPROTOTYPE' | 'ENOPROTOOPT'
  | 'EPROTONOSUPPORT' | 'EOPNOTSUPP' | 'EAFNOSUPPORT' | 'EADDRINUSE' | 'EADDRNOTAVAIL'
  | 'ENETDOWN' | 'ENETUNREACH' | 'ECONNABORTED' | 'ECONNRESET' | 'ENOBUFS' | 'EISCONN'
  | 'ENOTCONN' | 'ETIMEDOUT' | 'ECONNREFUSED' | 'EHOSTUNREACH' | 'EALREADY' | 'EINPROGRESS'
  | 'ESTALE' | 'EDQUOT' | 'ECANCELED' | 'EOWNERDEAD' | 'ENOTRECOVERABLE' | 'ERESTARTSYS';

/** A failed server operation. `errno` is neutral; personalities translate it. */
export class ServerError extends Error {
  constructor(readonly errno: Errno, detail?: string) {
    super(detail ? `${errno}: ${detail}` : errno);
    this.name = 'ServerError';
  }
}

/** Shorthand used throughout the servers: `throw fail('ENOENT')`. */
export function fail(errno: Errno, detail?: string): ServerError {
  return new ServerError(errno, detail);
}

export function isServerError(e: unknown): e is ServerError {
  return e instanceof ServerError;
}
