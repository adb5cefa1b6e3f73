/**
 * Linux sockets (socket, socketpair, bind, listen, accept/accept4, connect,
 * getsockname/getpeername, send/sendto, recv/recvfrom, sendmsg/recvmsg with
 * SCM_RIGHTS, sendmmsg/recvmmsg, shutdown, setsockopt/getsockopt), written once for every arch over the files
 * server's socket kind (servers/files/kinds/socket.ts). Arch facts: the
 * socket ABI table (abi/sockets.ts: MIPS numbers types and SOL_SOCKET
 * options its own way), byte order (sa_family and the IPv6 scope id are
 * host-order fields), socklen_t (u32 everywhere).
 */
import { fail } from '../../../servers/common/errno.js';
import { IFREQ_SIZE, type SockAddr, type SocketType } from '../../../servers/files/kinds/socket.js';
import { encodeStruct, readStruct, type StructLayout } from '../abi/file-abi.js';
import { iovViews, sigpipe } from './files.js';
import { GuestStruct, readLongs, timePairSize } from './guest-struct.js';
import { int, ptr, type LinuxThread, type SyscallGroup } from './types.js';

const AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10, AF_NETLINK = 16;
const FAMILIES = new Set([AF_UNIX, AF_INET, AF_INET6, AF_NETLINK]);
const NETLINK_ROUTE = 0;
const MSG_PEEK = 2, MSG_CTRUNC = 0x8, MSG_TRUNC = 0x20, MSG_DONTWAIT = 0x40, MSG_WAITALL = 0x100, MSG_NOSIGNAL = 0x4000;
const MSG_WAITFORONE = 0x10000, MSG_FASTOPEN = 0x20000000, MSG_CMSG_CLOEXEC = 0x40000000;
const SCM_RIGHTS = 1;
/** UIO_MAXIOV: the most messages one sendmmsg/recvmmsg takes. */
const UIO_MAXIOV = 1024;
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

/**
 * AF_NETLINK is the host's NETLINK_ROUTE (getifaddrs, Go's net.Interfaces):
 * its messages are in the host's byte order, which a guest of the other
 * order cannot read, and compat does not translate them.
 */
function netlinkAllowed(t: LinuxThread, protocol: number): void {
  if (protocol !== NETLINK_ROUTE) throw fail('EPROTONOSUPPORT');
  if (!le(t)) {
    t.warnOnce('netlink-be', 'AF_NETLINK sockets are not available to big-endian guests (netlink messages are in the host\'s byte order): EAFNOSUPPORT');
    throw fail('EAFNOSUPPORT');
  }
}

function socket(t: LinuxThread, a: readonly bigint[]): number {
  const family = int(a[0]);
  if (!FAMILIES.has(family)) throw fail('EAFNOSUPPORT');
  if (family === AF_NETLINK) netlinkAllowed(t, int(a[2]));
  const ty = typeOf(t, int(a[1]));
  return t.files.socket(family, ty.type, int(a[2]), ty);
}

function socketpair(t: LinuxThread, a: readonly bigint[]): number {
  const family = int(a[0]);
  if (family !== AF_UNIX) throw fail(FAMILIES.has(family) && family !== AF_NETLINK ? 'EOPNOTSUPP' : 'EAFNOSUPPORT');
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
  const op = (): number => t.files.send(fd, data, to, { dontwait: (flags & MSG_DONTWAIT) !== 0, fastopen: (flags & MSG_FASTOPEN) !== 0 });
  return (flags & MSG_NOSIGNAL) ? op() : sigpipe(t, op);
}

function recv(t: LinuxThread, fd: number, buf: number, len: number, flags: number, from: [number, number]): number {
  const into = new Uint8Array(len);
  const r = t.files.recv(fd, into, { dontwait: (flags & MSG_DONTWAIT) !== 0, peek: (flags & MSG_PEEK) !== 0, waitall: (flags & MSG_WAITALL) !== 0 });
  t.mem.writeBytes(buf, into.subarray(0, r.n));
  writeAddr(t, from[0], from[1], r.from);
  return r.n;
}

// ---- sendmsg / recvmsg (struct msghdr, struct cmsghdr: abi layouts) ----

const word = (t: LinuxThread): number => t.arch.wordSize / 8;
const cmsgAlign = (t: LinuxThread, n: number): number => (n + word(t) - 1) & ~(word(t) - 1);

interface GuestMsg { name: number; namelen: number; iov: number; iovlen: number; control: number; controllen: number }

function readMsg(t: LinuxThread, addr: number): GuestMsg {
  const v = readStruct(t.mem, addr, t.arch.file, t.arch.file.layouts.msghdr);
  const n = (k: string): number => Number(v[k] as number | bigint);
  return { name: n('name'), namelen: n('namelen'), iov: n('iov'), iovlen: n('iovlen'), control: n('control'), controllen: n('controllen') };
}

/** The guest fds an outgoing message's SCM_RIGHTS carry; any other control message is EINVAL (compat passes no credentials yet). */
function rightsOf(t: LinuxThread, m: GuestMsg): number[] {
  const fds: number[] = [];
  if (m.control === 0 || m.controllen === 0) return fds;
  const abi = t.arch.file, hdr = abi.layouts.cmsghdr;
  const L = le(t);
  for (let at = 0; at + hdr.size <= m.controllen;) {
    const c = readStruct(t.mem, m.control + at, abi, hdr);
    const len = Number(c.len as number | bigint);
    if (len < hdr.size || at + len > m.controllen) throw fail('EINVAL');
    if (Number(c.level) !== t.arch.sockets.SOL_SOCKET || Number(c.type) !== SCM_RIGHTS) {
      t.warnOnce(`cmsg-${c.level}-${c.type}`, `sendmsg: control message level ${c.level} type ${c.type} is not supported (only SCM_RIGHTS): EINVAL`);
      throw fail('EINVAL');
    }
    for (let i = hdr.size; i + 4 <= len; i += 4) fds.push(t.mem.readU32(m.control + at + i, L) | 0);
    at += cmsgAlign(t, len);
  }
  return fds;
}

/** Writes one small unsigned field (4 or 8 bytes) of a guest struct. */
function writeField(t: LinuxThread, base: number, f: StructLayout['fields'][string], v: number): void {
  const L = le(t);
  if (f.size === 4) { t.mem.writeU32(base + f.off, v >>> 0, L); return; }
  t.mem.writeU32(base + f.off + (L ? 0 : 4), v >>> 0, L);
  t.mem.writeU32(base + f.off + (L ? 4 : 0), 0, L);
}

function concat(views: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(views.reduce((n, v) => n + v.length, 0));
  let at = 0;
  for (const v of views) { out.set(v, at); at += v.length; }
  return out;
}

function sendmsg(t: LinuxThread, fd: number, msg: number, flags: number): number {
  const m = readMsg(t, msg);
  const to = m.name && m.namelen ? readAddr(t, m.name, m.namelen) : null;
  const data = concat(iovViews(t, m.iov, m.iovlen, false));
  const rights = rightsOf(t, m);
  const op = (): number => t.files.sendMessage(fd, data, to, rights, { dontwait: (flags & MSG_DONTWAIT) !== 0 });
  return (flags & MSG_NOSIGNAL) ? op() : sigpipe(t, op);
}

function recvmsg(t: LinuxThread, fd: number, msg: number, flags: number, dontwait = false): number {
  const m = readMsg(t, msg);
  const views = iovViews(t, m.iov, m.iovlen, true);
  const abi = t.arch.file, lay = abi.layouts.msghdr, hdr = abi.layouts.cmsghdr;
  const maxFds = m.control && m.controllen >= hdr.size ? Math.floor((m.controllen - hdr.size) / 4) : 0;
  const r = t.files.recvMessage(fd, views.reduce((n, v) => n + v.length, 0), maxFds, {
    dontwait: dontwait || (flags & MSG_DONTWAIT) !== 0, peek: (flags & MSG_PEEK) !== 0,
    cloexec: (flags & MSG_CMSG_CLOEXEC) !== 0, trunc: (flags & MSG_TRUNC) !== 0,
  });
  let at = 0;
  for (const v of views) {
    if (at >= r.data.length) break;
    const part = r.data.subarray(at, at + v.length);
    v.set(part);
    at += part.length;
  }
  if (m.name) writeAddr(t, m.name, msg + lay.fields.namelen.off, r.from);
  else t.mem.writeU32(msg + lay.fields.namelen.off, 0, le(t));
  let used = 0;
  if (r.fds.length) {
    const L = le(t);
    const len = hdr.size + 4 * r.fds.length;
    t.mem.writeBytes(m.control, encodeStruct(abi, hdr, { len, level: t.arch.sockets.SOL_SOCKET, type: SCM_RIGHTS }));
    r.fds.forEach((g, i) => t.mem.writeU32(m.control + hdr.size + 4 * i, g, L));
    used = Math.min(cmsgAlign(t, len), m.controllen);
  }
  writeField(t, msg, lay.fields.controllen, used);
  writeField(t, msg, lay.fields.flags, (r.truncated ? MSG_TRUNC : 0) | (r.controlTruncated ? MSG_CTRUNC : 0));
  return r.n;
}

/** sendmmsg / recvmmsg: one message after the other; a failure after the first ends the batch with the count so far. */
function mmsg(t: LinuxThread, vec: number, vlen: number, one: (msg: number, i: number) => number): number {
  const lay = t.arch.file.layouts.mmsghdr;
  const n = Math.min(vlen >>> 0, UIO_MAXIOV);
  let done = 0;
  for (; done < n; done++) {
    let r: number;
    try {
      r = one(vec + done * lay.size, done);
    } catch (e) {
      if (done === 0) throw e;
      break;
    }
    t.mem.writeU32(vec + done * lay.size + lay.fields.len.off, r >>> 0, le(t));
  }
  return done;
}

/** recvmmsg / recvmmsg_time64 (the timeout's layout does not matter: compat does not check it). */
const recvmmsgCall = (t: LinuxThread, a: readonly bigint[]): number =>
  mmsg(t, ptr(a[1]), int(a[2]), (m, i) => recvmsg(t, int(a[0]), m, int(a[3]) & ~MSG_WAITFORONE, i > 0 && (int(a[3]) & MSG_WAITFORONE) !== 0));

// ---- interface ioctls (SIOCGIF*) ----

/** How each SIOCGIF* request's union is laid out, for a guest of the other byte order: what to swap. */
const IFREQ_UNION: Readonly<Record<number, 'int' | 'short' | 'sockaddr'>> = {
  0x8910: 'int', 0x8913: 'short', 0x8915: 'sockaddr', 0x8917: 'sockaddr', 0x8919: 'sockaddr', 0x891b: 'sockaddr',
  0x891d: 'int', 0x8921: 'int', 0x8927: 'sockaddr', 0x8933: 'int', 0x8942: 'int',
};
const IFNAMSIZ = 16;

function swapUnion(b: Uint8Array, kind: 'int' | 'short' | 'sockaddr'): void {
  b.subarray(IFNAMSIZ, IFNAMSIZ + (kind === 'int' ? 4 : 2)).reverse(); // a sockaddr's family is host-order, its address bytes are not
}

/**
 * The SIOCGIF* ioctls on a socket, or null when `req` is not one. struct
 * ifreq is the name and a union whose first 16 bytes the requests use (the
 * union is 16 bytes on 32-bit arches, 24 on 64-bit ones).
 */
export function interfaceIoctl(t: LinuxThread, fd: number, req: number, addr: number): number | null {
  const kind = IFREQ_UNION[req];
  if (kind === undefined) return null;
  const size = IFNAMSIZ + 16;
  const b = new Uint8Array(IFREQ_SIZE);
  b.set(t.mem.readBytes(addr, size));
  if (!le(t)) swapUnion(b, kind);
  t.files.interfaceRequest(fd, req, b);
  if (!le(t)) swapUnion(b, kind);
  t.mem.writeBytes(addr, b.subarray(0, size));
  return 0;
}

function optionOf(t: LinuxThread, level: number, name: number) {
  const o = t.arch.sockets.options.get(`${level}:${name}`);
  if (!o) throw fail('ENOPROTOOPT');
  return o;
}

/** SO_RCVTIMEO / SO_SNDTIMEO / SO_LINGER (structs, not ints); false when the option is none of them. */
function setStructOption(t: LinuxThread, a: readonly bigint[]): boolean {
  const S = t.arch.sockets;
  if (int(a[1]) !== S.SOL_SOCKET) return false;
  const opt = int(a[2]), at = ptr(a[3]), len = ptr(a[4]);
  const timeo = S.timeouts.get(opt);
  if (timeo) {
    const size = timePairSize(t, timeo.time64);
    if (len < size) throw fail('EINVAL');
    const [sec, usec] = size === 16 && t.arch.wordSize === 32
      ? [t.mem.readI64(at, le(t)), t.mem.readI64(at + 8, le(t))]
      : readLongs(t, at, 2);
    t.files.setSocketTimeout(int(a[0]), timeo.which, { sec, usec });
    return true;
  }
  if (opt === S.SO_LINGER) {
    if (len < 8) throw fail('EINVAL');
    t.files.setLinger(int(a[0]), { on: t.mem.readI32(at, le(t)) !== 0, seconds: t.mem.readI32(at + 4, le(t)) });
    return true;
  }
  return false;
}

function getStructOption(t: LinuxThread, a: readonly bigint[]): boolean {
  const S = t.arch.sockets;
  if (int(a[1]) !== S.SOL_SOCKET) return false;
  const opt = int(a[2]), at = ptr(a[3]), lenAt = ptr(a[4]);
  const L = le(t);
  let out: GuestStruct;
  const timeo = S.timeouts.get(opt);
  if (timeo) {
    const tv = t.files.getSocketTimeout(int(a[0]), timeo.which);
    const size = timePairSize(t, timeo.time64);
    out = new GuestStruct(t, size);
    if (size === 16) out.u64(0, BigInt.asUintN(64, tv.sec)).u64(8, BigInt.asUintN(64, tv.usec));
    else out.long(0, tv.sec).long(1, tv.usec);
  } else if (opt === S.SO_LINGER) {
    const l = t.files.getLinger(int(a[0]));
    out = new GuestStruct(t, 8).u32(0, l.on ? 1 : 0).u32(4, l.seconds >>> 0);
  } else {
    return false;
  }
  const room = t.mem.readU32(lenAt, L);
  if ((room | 0) < 0) throw fail('EINVAL');
  const n = Math.min(room, out.bytes.length);
  t.mem.writeBytes(at, out.bytes.subarray(0, n));
  t.mem.writeU32(lenAt, n, L);
  return true;
}

function setsockopt(t: LinuxThread, a: readonly bigint[]): number {
  if (setStructOption(t, a)) return 0;
  const name = optionOf(t, int(a[1]), int(a[2]));
  if (ptr(a[4]) < 4) throw fail('EINVAL');
  t.files.setSocketOption(int(a[0]), name, t.mem.readU32(ptr(a[3]), le(t)) | 0);
  return 0;
}

function getsockopt(t: LinuxThread, a: readonly bigint[]): number {
  if (getStructOption(t, a)) return 0;
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
  { name: 'sendmsg', args: ['fd', 'ptr', 'hex'], fn: (t, a) => sendmsg(t, int(a[0]), ptr(a[1]), int(a[2])) },
  { name: 'recvmsg', args: ['fd', 'ptr', 'hex'], fn: (t, a) => recvmsg(t, int(a[0]), ptr(a[1]), int(a[2])) },
  { name: 'sendmmsg', args: ['fd', 'ptr', 'uint', 'hex'], fn: (t, a) => mmsg(t, ptr(a[1]), int(a[2]), (m) => sendmsg(t, int(a[0]), m, int(a[3]))) },
  // recvmmsg's timeout is checked only between datagrams, as Linux does (recvmmsg(2), BUGS): compat does not check it
  {
    name: 'recvmmsg', args: ['fd', 'ptr', 'uint', 'hex', 'ptr'],
    fn: (t, a) => recvmmsgCall(t, a),
  },
  { name: 'recvmmsg_time64', args: ['fd', 'ptr', 'uint', 'hex', 'ptr'], fn: (t, a) => recvmmsgCall(t, a) },
  { name: 'setsockopt', args: ['fd', 'int', 'int', 'ptr', 'uint'], fn: setsockopt },
  { name: 'getsockopt', args: ['fd', 'int', 'int', 'ptr', 'ptr'], fn: getsockopt },
];

/**
 * socketcall(2) (o32, i386): call number → the call it multiplexes and how
 * many long arguments it reads from the guest's array (net/socket.c nargs).
 */
const SOCKETCALL: ReadonlyArray<readonly [string, number] | undefined> = [
  undefined, ['socket', 3], ['bind', 3], ['connect', 3], ['listen', 2], ['accept', 3], ['getsockname', 3], ['getpeername', 3],
  ['socketpair', 4], ['send', 4], ['recv', 4], ['sendto', 6], ['recvfrom', 6], ['shutdown', 2], ['setsockopt', 5],
  ['getsockopt', 5], ['sendmsg', 3], ['recvmsg', 3], ['accept4', 4], ['recvmmsg', 5], ['sendmmsg', 4],
];

const byName = new Map(defs.map((d) => [d.name, d]));

function socketcall(t: LinuxThread, a: readonly bigint[]): ReturnType<SyscallGroup[string]['fn']> {
  const call = SOCKETCALL[int(a[0])];
  if (!call) throw fail('EINVAL');
  const [name, nargs] = call;
  const args = readLongs(t, ptr(a[1]), nargs);
  return byName.get(name)!.fn(t, args);
}

/** Sockets, by kernel name. */
export const socketSyscalls: SyscallGroup = Object.fromEntries([
  ...defs.map((d) => [d.name, d] as const),
  ['socketcall', { name: 'socketcall', args: ['int', 'ptr'], fn: socketcall }] as const,
]);
