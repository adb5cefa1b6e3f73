/**
 * strace-style rendering of Linux syscalls for --trace:
 *   openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3
 *   read(3, "root:x:0:0"..., 4096) = 1234
 *   openat(AT_FDCWD, "/nope", O_RDONLY) = -1 ENOENT (No such file or directory)
 */
import type { Errno } from '../../servers/common/errno.js';
import type { ArgFormat, LinuxThread, SyscallDef } from './syscalls/types.js';
import { NO_RESULT } from './syscalls/types.js';

const MAX_STR = 32;

function quote(bytes: Uint8Array, truncated: boolean): string {
  let s = '"';
  for (const b of bytes) {
    if (b === 0x22) s += '\\"';
    else if (b === 0x5c) s += '\\\\';
    else if (b === 0x0a) s += '\\n';
    else if (b === 0x09) s += '\\t';
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += '\\' + b.toString(8);
  }
  return s + '"' + (truncated ? '...' : '');
}

function guestString(t: LinuxThread, addr: number): string {
  if (addr === 0) return 'NULL';
  try {
    const { bytes, terminated } = t.mem.readCString(addr, 4096);
    return quote(bytes.subarray(0, 256), !terminated || bytes.length > 256);
  } catch {
    return '0x' + addr.toString(16);
  }
}

function guestBuf(t: LinuxThread, addr: number, len: number): string {
  if (addr === 0) return 'NULL';
  try {
    const n = Math.max(0, Math.min(len, MAX_STR));
    return quote(t.mem.view(addr, n), len > MAX_STR);
  } catch {
    return '0x' + addr.toString(16);
  }
}

function symbolic(v: number, table: Record<string, number>, zeroName?: string): string {
  if (v === 0 && zeroName) return zeroName;
  const parts: string[] = [];
  let rest = v;
  for (const [name, bit] of Object.entries(table)) {
    if (bit !== 0 && (rest & bit) === bit) { parts.push(name); rest &= ~bit; }
  }
  if (rest) parts.push('0x' + (rest >>> 0).toString(16));
  return parts.join('|') || '0';
}

function openFlags(t: LinuxThread, v: number): string {
  const f = t.arch.file.openFlags as unknown as Record<string, number>;
  const acc = v & 3;
  const accName = acc === 0 ? 'O_RDONLY' : acc === 1 ? 'O_WRONLY' : acc === 2 ? 'O_RDWR' : '3';
  const rest: Record<string, number> = {};
  for (const [k, bit] of Object.entries(f)) {
    if (k !== 'O_RDONLY' && k !== 'O_WRONLY' && k !== 'O_RDWR' && k !== 'O_ACCMODE' && typeof bit === 'number') rest[k] = bit;
  }
  const others = symbolic(v & ~3, rest);
  return others === '0' ? accName : `${accName}|${others}`;
}

function arg(t: LinuxThread, fmt: ArgFormat, v: bigint, next: bigint | undefined): string | null {
  const i32 = Number(BigInt.asIntN(32, v));
  const u = BigInt.asUintN(64, v);
  switch (fmt) {
    case 'int': case 'fd': return String(i32);
    case 'long': return BigInt.asIntN(64, v).toString();
    case 'uint': return u.toString();
    case 'hex': return '0x' + u.toString(16);
    case 'ptr': return u === 0n ? 'NULL' : '0x' + u.toString(16);
    case 'dirfd': return i32 === -100 ? 'AT_FDCWD' : String(i32);
    case 'path': return guestString(t, Number(u & 0xffff_ffffn));
    case 'oflags': return openFlags(t, i32);
    case 'mode': return '0' + (i32 >>> 0).toString(8);
    case 'atflags': return '0x' + (i32 >>> 0).toString(16);
    case 'buf': return guestBuf(t, Number(u & 0xffff_ffffn), next === undefined ? 0 : Number(BigInt.asUintN(32, next)));
    case 'obuf': return null; // rendered after the call
    case 'signal': return t.arch.signals.byNumber.get(i32) ?? String(i32);
    case 'skip': return null;
  }
}

export function formatCall(t: LinuxThread, def: SyscallDef, a: readonly bigint[]): string {
  const fmts = def.args ?? [];
  const parts: string[] = [];
  fmts.forEach((f, i) => {
    const s = f === 'obuf' ? '\u0000' + i : arg(t, f, a[i], a[i + 1]);
    if (s !== null) parts.push(s);
  });
  return `${def.name}(${parts.join(', ')})`;
}

const ERRNO_TEXT: Partial<Record<Errno, string>> = {
  EPERM: 'Operation not permitted', ENOENT: 'No such file or directory', ESRCH: 'No such process',
  EINTR: 'Interrupted system call', EIO: 'Input/output error', EBADF: 'Bad file descriptor',
  EAGAIN: 'Resource temporarily unavailable', ENOMEM: 'Cannot allocate memory', EACCES: 'Permission denied',
  EFAULT: 'Bad address', EEXIST: 'File exists', ENOTDIR: 'Not a directory', EISDIR: 'Is a directory',
  EINVAL: 'Invalid argument', EMFILE: 'Too many open files', ENOTTY: 'Inappropriate ioctl for device',
  ESPIPE: 'Illegal seek', EROFS: 'Read-only file system', EPIPE: 'Broken pipe', ERANGE: 'Numerical result out of range',
  ENOSYS: 'Function not implemented', ENOTEMPTY: 'Directory not empty', ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long', EXDEV: 'Invalid cross-device link', ECHILD: 'No child processes',
  EOPNOTSUPP: 'Operation not supported', EOVERFLOW: 'Value too large for defined data type',
};

export function formatResult(
  t: LinuxThread, def: SyscallDef, a: readonly bigint[], result: bigint | number | typeof NO_RESULT, errno: Errno | null,
): string {
  if (errno !== null) return `-1 ${errno} (${ERRNO_TEXT[errno] ?? errno})`;
  if (result === NO_RESULT || def.ret === 'none') return '?';
  const r = BigInt(result);
  return def.ret === 'hex' ? '0x' + BigInt.asUintN(64, r).toString(16) : r.toString();
}

/** Fills in output-buffer arguments once the result (a length) is known. */
export function finishCall(t: LinuxThread, text: string, a: readonly bigint[], result: bigint | number | typeof NO_RESULT): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u0000(\d+)/g, (_m, i: string) => {
    const idx = Number(i);
    const len = result === NO_RESULT ? 0 : Number(result);
    return len >= 0 ? guestBuf(t, Number(BigInt.asUintN(32, a[idx])), len) : '0x' + a[idx].toString(16);
  });
}

