/**
 * Linux sockets (socket, socketpair, bind, listen, accept/accept4, connect,
 * getsockname/getpeername, send/sendto, recv/recvfrom, shutdown,
 * setsockopt/getsockopt), written once for every arch over the files
 * server's socket kind (servers/files/kinds/socket.ts). Arch facts: the
 * socket ABI table (abi/sockets.ts: MIPS numbers types and SOL_SOCKET
 * options its own way), byte order (sa_family and the IPv6 scope id are
 * host-order fields), socklen_t (u32 everywhere).
 */
import { fail } from '../../../servers/common/errno.js';
import type { SockAddr, SocketType } from '../../../servers/files/kinds/socket.js';
import { sigpipe } from './files.js';
import { int, ptr, type LinuxThread, type SyscallGroup } from './types.js';

const AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10;
const FAMILIES = new Set([AF_UNIX, AF_INET, AF_INET6]);
const MSG_PEEK = 2, MSG_DONTWAIT = 0x40, MSG_WAITALL = 0x100, MSG_NOSIGNAL = 0x4000;
const MAX_ADDR = 128;

const le = (t: LinuxThread): boolean => t.arch.endian === 'little';
const swap32 = (b: Uint8Array, at: number): void => { b.subarray(at, at + 4).reverse(); };

/** A guest sockaddr of `len` bytes → the server's neutral form. */
function readAddr(t: LinuxThread, addr: number, len: number): SockAddr {
  if (len < 2 || len > MAX_ADDR) throw fail('EINVAL');
  const b = t.mem.readBytes(addr, len);
  const family = le(t) ? b[0] | (b[1] << 8) : (b[0] << 8) | b[1];
  const rest = b.slice(2);
  if (family === AF_UNIX) {
    if (rest.length > 0 && rest[0] === 0) return { family, path: Buffer.from(rest).toString('latin1') }; // abstract
    const end = rest.indexOf(0);
    return { family, path: Buffer.from(end < 0 ? rest : rest.subarray(0, end)).toString('latin1') };
  }
  if (family === AF_INET6 && !le(t) && rest.length >= 26) swap32(rest, 22); // sin6_scope_id is host-order
  return { family, rest };
}

/** Writes a neutral address to a guest sockaddr + socklen_t pair (truncated to the room given, the full length told). */
function writeAddr(t: LinuxThread, addr: number, lenAddr: number, a: SockAddr | null): void {
  if (addr === 0 || lenAddr === 0) return;
  const L = le(t);
  const room = t.mem.readU32(lenAddr, L);
  let rest: Uint8Array;
  if (a === null) rest = new Uint8Array(0);
  else if (a.family === AF_UNIX) rest = a.path ? new Uint8Array(Buffer.from(a.path[0] === '\0' ? a.path : a.path + '\0', 'latin1')) : new Uint8Array(0);
  else {
    rest = new Uint8Array(a.rest ?? new Uint8Array(0));
    if (a.family === AF_INET6 && !L && rest.length >= 26) swap32(rest, 22);
  }
  const out = new Uint8Array(2 + rest.length);
  const family = a?.family ?? 0;
  out[L ? 0 : 1] = family & 0xff;
  out[L ? 1 : 0] = family >> 8;
  out.set(rest, 2);
  t.mem.writeBytes(addr, out.subarray(0, Math.min(room, out.length)));
  t.mem.writeU32(lenAddr, out.length, L);
}

/** socket()'s type argument: the neutral type and the SOCK_NONBLOCK / SOCK_CLOEXEC flags. */
function typeOf(t: LinuxThread, type: number): { type: SocketType; cloexec: boolean; nonblock: boolean } {
  const S = t.arch.sockets;
  const base = S.types.get(type & ~(S.SOCK_NONBLOCK | S.SOCK_CLOEXEC));
  if (!base) throw fail('EINVAL');
  return { type: base, cloexec: (type & S.SOCK_CLOEXEC) !== 0, nonblock: (type & S.SOCK_NONBLOCK) !== 0 };
}

function socket(t: LinuxThread, a: readonly bigint[]): number {
  const family = int(a[0]);
  if (!FAMILIES.has(family)) throw fail('EAFNOSUPPORT');
  const ty = typeOf(t, int(a[1]));
  return t.files.socket(family, ty.type, int(a[2]), ty);
}

function socketpair(t: LinuxThread, a: readonly bigint[]): number {
  const family = int(a[0]);
  if (family !== AF_UNIX) throw fail(FAMILIES.has(family) ? 'EOPNOTSUPP' : 'EAFNOSUPPORT');
  const ty = typeOf(t, int(a[1]));
  t.mem.writableView(ptr(a[3]), 8); // EFAULT before creating anything
  const [x, y] = t.files.socketPair(family, ty.type, int(a[2]), ty);
  t.mem.writeU32(ptr(a[3]), x, le(t));
  t.mem.writeU32(ptr(a[3]) + 4, y, le(t));
  return 0;
}

function accept(t: LinuxThread, a: readonly bigint[], flags: number): number {
  const S = t.arch.sockets;
  if (flags & ~(S.SOCK_NONBLOCK | S.SOCK_CLOEXEC)) throw fail('EINVAL');
  const r = t.files.accept(int(a[0]), { cloexec: (flags & S.SOCK_CLOEXEC) !== 0, nonblock: (flags & S.SOCK_NONBLOCK) !== 0 });
  writeAddr(t, ptr(a[1]), ptr(a[2]), r.peer);
  return r.fd;
}

function send(t: LinuxThread, fd: number, buf: number, len: number, flags: number, to: SockAddr | null): number {
  const data = t.mem.readBytes(buf, len);
  const op = (): number => t.files.send(fd, data, to, { dontwait: (flags & MSG_DONTWAIT) !== 0 });
  return (flags & MSG_NOSIGNAL) ? op() : sigpipe(t, op);
}

function recv(t: LinuxThread, fd: number, buf: number, len: number, flags: number, from: [number, number]): number {
  const into = new Uint8Array(len);
  const r = t.files.recv(fd, into, { dontwait: (flags & MSG_DONTWAIT) !== 0, peek: (flags & MSG_PEEK) !== 0, waitall: (flags & MSG_WAITALL) !== 0 });
  t.mem.writeBytes(buf, into.subarray(0, r.n));
  writeAddr(t, from[0], from[1], r.from);
  return r.n;
}

function optionOf(t: LinuxThread, level: number, name: number) {
  const o = t.arch.sockets.options.get(`${level}:${name}`);
  if (!o) throw fail('ENOPROTOOPT');
  return o;
}

function setsockopt(t: LinuxThread, a: readonly bigint[]): number {
  const name = optionOf(t, int(a[1]), int(a[2]));
  if (ptr(a[4]) < 4) throw fail('EINVAL');
  t.files.setSocketOption(int(a[0]), name, t.mem.readU32(ptr(a[3]), le(t)) | 0);
  return 0;
}

function getsockopt(t: LinuxThread, a: readonly bigint[]): number {
  const name = optionOf(t, int(a[1]), int(a[2]));
  const v = t.files.getSocketOption(int(a[0]), name);
  let n: number;
  if (name === 'type') n = [...t.arch.sockets.types].find(([, ty]) => ty === v)?.[0] ?? 0;
  else if (name === 'error') n = v === 0 ? 0 : t.arch.errno[v as keyof typeof t.arch.errno] ?? 0;
  else n = v as number;
  const L = le(t);
  if (t.mem.readU32(ptr(a[4]), L) < 4) throw fail('EINVAL');
  t.mem.writeU32(ptr(a[3]), n >>> 0, L);
  t.mem.writeU32(ptr(a[4]), 4, L);
  return 0;
}

const SHUT = ['read', 'write', 'both'] as const;

const defs: SyscallGroup[string][] = [
  { name: 'socket', args: ['int', 'hex', 'int'], fn: socket },
  { name: 'socketpair', args: ['int', 'hex', 'int', 'ptr'], fn: socketpair },
  { name: 'bind', args: ['fd', 'ptr', 'uint'], fn: (t, a) => { t.files.bind(int(a[0]), readAddr(t, ptr(a[1]), int(a[2]))); return 0; } },
  { name: 'connect', args: ['fd', 'ptr', 'uint'], fn: (t, a) => { t.files.connect(int(a[0]), readAddr(t, ptr(a[1]), int(a[2]))); return 0; } },
  { name: 'listen', args: ['fd', 'int'], fn: (t, a) => { t.files.listen(int(a[0]), int(a[1])); return 0; } },
  { name: 'accept', args: ['fd', 'ptr', 'ptr'], fn: (t, a) => accept(t, a, 0) },
  { name: 'accept4', args: ['fd', 'ptr', 'ptr', 'hex'], fn: (t, a) => accept(t, a, int(a[3])) },
  { name: 'getsockname', args: ['fd', 'ptr', 'ptr'], fn: (t, a) => { writeAddr(t, ptr(a[1]), ptr(a[2]), t.files.socketName(int(a[0]))); return 0; } },
  { name: 'getpeername', args: ['fd', 'ptr', 'ptr'], fn: (t, a) => { writeAddr(t, ptr(a[1]), ptr(a[2]), t.files.peerName(int(a[0]))); return 0; } },
  {
    name: 'sendto', args: ['fd', 'ptr', 'uint', 'hex', 'ptr', 'uint'],
    fn: (t, a) => send(t, int(a[0]), ptr(a[1]), ptr(a[2]), int(a[3]), ptr(a[4]) ? readAddr(t, ptr(a[4]), int(a[5])) : null),
  },
  { name: 'send', args: ['fd', 'ptr', 'uint', 'hex'], fn: (t, a) => send(t, int(a[0]), ptr(a[1]), ptr(a[2]), int(a[3]), null) },
  { name: 'recvfrom', args: ['fd', 'ptr', 'uint', 'hex', 'ptr', 'ptr'], fn: (t, a) => recv(t, int(a[0]), ptr(a[1]), ptr(a[2]), int(a[3]), [ptr(a[4]), ptr(a[5])]) },
  { name: 'recv', args: ['fd', 'ptr', 'uint', 'hex'], fn: (t, a) => recv(t, int(a[0]), ptr(a[1]), ptr(a[2]), int(a[3]), [0, 0]) },
  {
    name: 'shutdown', args: ['fd', 'int'],
    fn: (t, a) => { const how = SHUT[int(a[1])]; if (!how) throw fail('EINVAL'); t.files.shutdown(int(a[0]), how); return 0; },
  },
  { name: 'setsockopt', args: ['fd', 'int', 'int', 'ptr', 'uint'], fn: setsockopt },
  { name: 'getsockopt', args: ['fd', 'int', 'int', 'ptr', 'ptr'], fn: getsockopt },
];

/** Sockets, by kernel name. */
export const socketSyscalls: SyscallGroup = Object.fromEntries(defs.map((d) => [d.name, d]));
