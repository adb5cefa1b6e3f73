/**
 * Sockets: real host sockets (AF_UNIX, AF_INET, AF_INET6), so guest
 * processes talk to each other and to host programs through the host
 * kernel. The host socket is always non-blocking; the guest's O_NONBLOCK is
 * kept in the table entry (as for host-shared fds), so a guest-blocking
 * call waits in interruptible host poll (../wait.ts) and a signal ends it.
 * Reads and writes are those of host streams (./stream.ts).
 *
 * Addresses are neutral: the family (AF_* numbers are the same on every
 * Linux arch and on the host) and, for AF_UNIX, the path as the guest names
 * it, which the server resolves through the process's jail (an abstract
 * name, starting with a NUL, is passed through); for the others the bytes
 * after the family field, in network order as the guest gave them. Socket
 * options are names; this file maps them to the host's numbers.
 */
import * as host from '../../../src/host/libc.js';
import { fail } from '../../common/errno.js';
import type { Interrupter } from '../../common/interrupt.js';
import { hostErrnoName } from '../../../src/host/errno.js';
import type { FilesContext } from '../context.js';
import type { EntryFields } from '../fd-table.js';
import { adoptHostFd, entry, install } from '../fd-ops.js';
import { errnoOf, hostNonblock } from '../host-fd.js';
import { byteLength, readHost, skipBytes, writeHost } from './regular.js';
import { resolvePath, getcwd } from '../resolve.js';
import { waitFd, waitHost } from '../wait.js';
import { abstractFromHost, abstractToHost, bindAddress, checkCreate, checkPeer, implicitBind } from '../network-policy.js';
import type { KindOps } from './file-kind.js';
import { streamOps } from './stream.js';

/**
 * read/write on a socket: host-stream reads and writes, but a guest-blocking
 * wait on compat's own (host non-blocking) socket honours SO_RCVTIMEO /
 * SO_SNDTIMEO (see `blocking`); a write that times out after a part went
 * returns that part, as Linux does.
 */
export const socketOps: KindOps = {
  ...streamOps,
  read(i, e, bufs) {
    if (e.nonblock || !hostNonblock(e.hostFd)) return streamOps.read(i, e, bufs);
    return blocking(i, e, host.POLLIN, () => readHost(e.hostFd, bufs));
  },
  write(i, e, bufs, offset) {
    if (offset !== null || e.nonblock || !hostNonblock(e.hostFd)) return streamOps.write(i, e, bufs, offset);
    const total = byteLength(bufs);
    let done = 0;
    do {
      try {
        done += blocking(i, e, host.POLLOUT, () => writeHost(e.hostFd, skipBytes(bufs, done), null));
      } catch (err) {
        if (done > 0) return done; // a timeout or a signal after a part: that part
        throw err;
      }
    } while (done < total);
    return done;
  },
};

export type SocketType = 'stream' | 'dgram' | 'seqpacket' | 'raw';
const HOST_TYPE: Readonly<Record<SocketType, number>> = { stream: 1, dgram: 2, raw: 3, seqpacket: 5 };

/** A socket address: for AF_UNIX its path (guest's view; '' unnamed, a leading NUL abstract), else the bytes after the family. */
export interface SockAddr { family: number; path?: string; rest?: Uint8Array }

/** The socket options compat knows, by name: host level and number; all take an int. */
const OPTIONS = {
  reuseaddr: [1, 2], type: [1, 3], error: [1, 4], broadcast: [1, 6], sndbuf: [1, 7], rcvbuf: [1, 8],
  keepalive: [1, 9], oobinline: [1, 10], reuseport: [1, 15], acceptconn: [1, 30],
  nodelay: [6, 1], keepidle: [6, 4], keepintvl: [6, 5], keepcnt: [6, 6],
  v6only: [41, 26],
} as const;
export type SocketOption = keyof typeof OPTIONS;

const SOCKET_TYPE_OF: Readonly<Record<number, SocketType>> = { 1: 'stream', 2: 'dgram', 3: 'raw', 5: 'seqpacket' };

function socketEntry(hostFd: number, opts: { cloexec?: boolean; nonblock?: boolean }): EntryFields {
  return { hostFd, kind: 'socket', access: 'rw', cloexec: !!opts.cloexec, pathOnly: false, hostShared: true, nonblock: !!opts.nonblock };
}

function socketOf(c: FilesContext, fd: number): EntryFields {
  const e = entry(c.t, fd);
  if (e.kind !== 'socket') throw fail('ENOTSOCK');
  return e;
}

/** socket(2). */
export function createSocket(c: FilesContext, family: number, type: SocketType, protocol: number, opts: { cloexec?: boolean; nonblock?: boolean }): number {
  checkCreate(c.network, family, type === 'raw');
  return install(c.t, () => socketEntry(host.socket(family, HOST_TYPE[type] | host.SOCK_NONBLOCK | host.SOCK_CLOEXEC, protocol), opts));
}

/** socketpair(2): two connected sockets, installed together. */
export function createSocketPair(c: FilesContext, family: number, type: SocketType, protocol: number, opts: { cloexec?: boolean; nonblock?: boolean }): [number, number] {
  checkCreate(c.network, family, type === 'raw');
  const [a, b] = host.socketpair(family, HOST_TYPE[type] | host.SOCK_NONBLOCK | host.SOCK_CLOEXEC, protocol);
  let fa: number;
  try {
    fa = install(c.t, () => socketEntry(a, opts));
  } catch (e) {
    host.close(a); host.close(b);
    throw e;
  }
  try {
    return [fa, install(c.t, () => socketEntry(b, opts))];
  } catch (e) {
    host.close(b);
    throw e;
  }
}

const SUN_PATH_MAX = 108;

/**
 * The host sockaddr of a neutral address, for `use`: AF_UNIX paths resolved
 * inside the jail, abstract names in the jail's namespace, and IP addresses
 * as the jail's network policy has them (../network-policy.ts).
 */
function toHost(c: FilesContext, a: SockAddr, use: 'bind' | 'connect' | 'sendto' | 'sendmsg'): Uint8Array {
  let rest = a.rest ?? new Uint8Array(0);
  if (a.family !== host.AF_UNIX) rest = use === 'bind' ? bindAddress(c.network, a.family, rest) : (checkPeer(c.network, a.family, rest, use), rest);
  if (a.family === host.AF_UNIX && a.path !== undefined) {
    let p = a.path;
    if (p.length > 0 && p[0] !== '\0') {
      const abs = p.startsWith('/') ? p : `${getcwd(c)}/${p}`;
      p = resolvePath(c, 'cwd', abs, false, {}).hostPath;
      if (!p.startsWith('/')) p = abs; // no jail: the guest path is the host's
      if (p.length >= SUN_PATH_MAX) throw fail('ENAMETOOLONG');
      rest = new Uint8Array(Buffer.from(p + '\0', 'latin1'));
    } else {
      rest = new Uint8Array(Buffer.from(p.length > 0 ? abstractToHost(c.network, p) : p, 'latin1'));
      if (rest.length > SUN_PATH_MAX) throw fail('ENAMETOOLONG');
    }
  }
  return hostSockaddr(a.family, rest);
}

/** A host sockaddr: the family (host order) and the bytes after it. */
function hostSockaddr(family: number, rest: Uint8Array): Uint8Array {
  const out = new Uint8Array(2 + rest.length);
  out[0] = family & 0xff;
  out[1] = family >> 8;
  out.set(rest, 2);
  return out;
}

/** A neutral address of a host sockaddr (AF_UNIX paths back into the guest's view). */
function fromHost(c: FilesContext, b: Uint8Array): SockAddr {
  if (b.length < 2) return { family: 0, rest: new Uint8Array(0) };
  const family = b[0] | (b[1] << 8);
  const rest = b.subarray(2);
  if (family !== host.AF_UNIX) return { family, rest: new Uint8Array(rest) };
  if (rest.length === 0) return { family, path: '' };
  if (rest[0] === 0) return { family, path: abstractFromHost(c.network, Buffer.from(rest).toString('latin1')) };
  const end = rest.indexOf(0);
  const hostPath = Buffer.from(end < 0 ? rest : rest.subarray(0, end)).toString('latin1');
  return { family, path: c.paths.hostToGuest(hostPath) };
}

export function bindSocket(c: FilesContext, fd: number, a: SockAddr): void {
  host.bind(socketOf(c, fd).hostFd, toHost(c, a, 'bind'));
}

/**
 * Under the `loopback` policy, binds an unbound IP socket to loopback before
 * the host would bind it to the wildcard (listen, sendto; `to` picks ::1 or
 * ::ffff:127.0.0.1 for an IPv6 socket). connect() needs none: the host binds
 * a connecting socket to the address its route to the peer leaves from.
 */
function bindBeforeImplicit(c: FilesContext, hostFd: number, to?: SockAddr): void {
  if (c.network.mode !== 'loopback') return;
  const local = host.getsockname(hostFd);
  if (local.length < 2) return;
  const family = local[0] | (local[1] << 8);
  const at = implicitBind(c.network, family, local.subarray(2), to ? { family: to.family, rest: to.rest ?? new Uint8Array(0) } : null);
  if (!at) return;
  try {
    host.bind(hostFd, hostSockaddr(family, at));
  } catch (err) {
    if (errnoOf(err) !== 'EINVAL') throw err; // EINVAL: bound meanwhile (or a connected TCP socket): nothing to contain
  }
}

export function listenSocket(c: FilesContext, fd: number, backlog: number): void {
  const e = socketOf(c, fd);
  bindBeforeImplicit(c, e.hostFd);
  host.listen(e.hostFd, backlog);
}

/** The host's SO_RCVTIMEO / SO_SNDTIMEO (struct timeval: two 64-bit fields on a 64-bit host). */
const HOST_TIMEO: Readonly<Record<TimeoutOption, number>> = { rcvtimeo: 20, sndtimeo: 21 };
export type TimeoutOption = 'rcvtimeo' | 'sndtimeo';

function hostTimeout(hostFd: number, which: TimeoutOption): Timeval {
  const b = Buffer.from(host.getsockopt(hostFd, 1, HOST_TIMEO[which], 16));
  return { sec: b.readBigInt64LE(0), usec: b.readBigInt64LE(8) };
}

function timeoutNs(hostFd: number, which: TimeoutOption): bigint {
  const tv = hostTimeout(hostFd, which);
  return tv.sec * 1_000_000_000n + tv.usec * 1000n;
}

/** The entry as one call sees it: non-blocking with MSG_DONTWAIT too. */
const thisCall = (e: EntryFields, dontwait?: boolean): EntryFields => (dontwait && !e.nonblock ? { ...e, nonblock: true } : e);

/**
 * Waits (unless the guest's socket is non-blocking) until `attempt` stops
 * failing with EAGAIN. The socket's SO_RCVTIMEO (reads, accept) or
 * SO_SNDTIMEO (writes), kept on the host socket where the guest set it,
 * bounds the wait: EAGAIN when it passes, as Linux.
 */
function blocking<T>(i: Interrupter, e: EntryFields, events: number, attempt: () => T): T {
  let deadline: bigint | null | undefined;
  for (;;) {
    try {
      return attempt();
    } catch (err) {
      if (errnoOf(err) !== 'EAGAIN' || e.nonblock) throw err;
    }
    if (deadline === undefined) {
      const t = timeoutNs(e.hostFd, events === host.POLLIN ? 'rcvtimeo' : 'sndtimeo');
      deadline = t === 0n ? null : process.hrtime.bigint() + t;
    }
    if (deadline === null) { waitFd(i, e.hostFd, events); continue; }
    const left = deadline - process.hrtime.bigint();
    if (left <= 0n || waitHost(i, [{ fd: e.hostFd, events, revents: 0 }], left) === 0) throw fail('EAGAIN');
  }
}

/** accept4(2): the new fd and the peer's address. */
export function acceptSocket(c: FilesContext, fd: number, opts: { cloexec?: boolean; nonblock?: boolean }): { fd: number; peer: SockAddr } {
  const e = socketOf(c, fd);
  const r = blocking(c.interrupter, e, host.POLLIN, () => host.accept4(e.hostFd, host.SOCK_NONBLOCK | host.SOCK_CLOEXEC));
  let nfd: number;
  try {
    nfd = install(c.t, () => socketEntry(r.fd, opts));
  } catch (err) {
    host.close(r.fd);
    throw err;
  }
  return { fd: nfd, peer: fromHost(c, r.addr) };
}

/** connect(2): a guest-blocking socket waits for the connection (EINPROGRESS otherwise, as Linux). */
export function connectSocket(c: FilesContext, fd: number, a: SockAddr): void {
  const e = socketOf(c, fd);
  const addr = toHost(c, a, 'connect');
  try {
    host.connect(e.hostFd, addr);
    return;
  } catch (err) {
    if (errnoOf(err) !== 'EINPROGRESS' || e.nonblock) throw err;
  }
  waitConnected(c, e);
}

/** A connection under way (EINPROGRESS): waits until it is made; its failure (SO_ERROR) as the errno. */
function waitConnected(c: FilesContext, e: EntryFields): void {
  waitFd(c.interrupter, e.hostFd, host.POLLOUT);
  const soError = Buffer.from(host.getsockopt(e.hostFd, 1, 4, 4)).readInt32LE(0);
  if (soError !== 0) throw fail(hostErrnoName(soError));
}

export function shutdownSocket(c: FilesContext, fd: number, how: 'read' | 'write' | 'both'): void {
  host.shutdown(socketOf(c, fd).hostFd, how === 'read' ? 0 : how === 'write' ? 1 : 2);
}

export const socketName = (c: FilesContext, fd: number): SockAddr => fromHost(c, host.getsockname(socketOf(c, fd).hostFd));
export const peerName = (c: FilesContext, fd: number): SockAddr => fromHost(c, host.getpeername(socketOf(c, fd).hostFd));

export interface SendOptions { dontwait?: boolean; fastopen?: boolean }

/**
 * sendto(2) (`to` null: the connected peer). `dontwait`: this call is
 * non-blocking. `fastopen` (MSG_FASTOPEN): an unconnected TCP socket connects
 * to `to` and sends; where the host could not put the data in the SYN it says
 * EINPROGRESS, and a guest-blocking call then waits for the connection and
 * sends as on any connected socket. EPIPE never raises a host SIGPIPE.
 */
export function sendSocket(c: FilesContext, fd: number, buf: Uint8Array, to: SockAddr | null, opts: SendOptions): number {
  const e = socketOf(c, fd);
  const addr = to ? toHost(c, to, 'sendto') : null;
  const flags = host.MSG_NOSIGNAL | host.MSG_DONTWAIT;
  const nb = thisCall(e, opts.dontwait);
  if (addr && opts.fastopen) {
    try {
      return host.sendto(e.hostFd, buf, flags | host.MSG_FASTOPEN, addr);
    } catch (err) {
      if (errnoOf(err) !== 'EINPROGRESS' || nb.nonblock) throw err;
    }
    waitConnected(c, e);
    return blocking(c.interrupter, nb, host.POLLOUT, () => host.sendto(e.hostFd, buf, flags, null));
  }
  if (addr) bindBeforeImplicit(c, e.hostFd, to!);
  return blocking(c.interrupter, nb, host.POLLOUT, () => host.sendto(e.hostFd, buf, flags, addr));
}

/** recvfrom(2): bytes read and the sender (null when the host gives none). `peek`, `waitall`, `dontwait` as MSG_*. */
export function recvSocket(c: FilesContext, fd: number, buf: Uint8Array, opts: { dontwait?: boolean; peek?: boolean; waitall?: boolean }): { n: number; from: SockAddr | null } {
  const e = socketOf(c, fd);
  const flags = host.MSG_DONTWAIT | (opts.peek ? 2 : 0);
  const nb = thisCall(e, opts.dontwait);
  let done = 0;
  let from: SockAddr | null = null;
  for (;;) {
    const r = blocking(c.interrupter, nb, host.POLLIN, () => host.recvfrom(e.hostFd, buf.subarray(done), flags));
    if (from === null && r.addr.length >= 2) from = fromHost(c, r.addr);
    done += r.n;
    // MSG_WAITALL on a stream: on until the buffer is full or the peer is done
    if (!opts.waitall || r.n === 0 || done >= buf.length || opts.peek) return { n: done, from };
  }
}

/** Host struct cmsghdr: size_t len, int level, int type; data at 16, lengths aligned to 8. */
const CMSG_HDR = 16;
const cmsgAlign = (n: number): number => (n + 7) & ~7;
const SOL_SOCKET = 1, SCM_RIGHTS = 1;
/** SCM_MAX_FD: the most fds one message carries. */
export const SCM_MAX_FD = 253;

/**
 * sendmsg(2): `data` to `to` (null: the connected peer), passing the guest
 * fds `rights` (SCM_RIGHTS: the host kernel passes their open file
 * descriptions).
 */
export function sendMessage(c: FilesContext, fd: number, data: Uint8Array, to: SockAddr | null, rights: readonly number[], opts: SendOptions): number {
  const e = socketOf(c, fd);
  const name = to ? toHost(c, to, 'sendmsg') : null;
  if (rights.length > SCM_MAX_FD) throw fail('EINVAL');
  let control: Uint8Array | null = null;
  if (rights.length) {
    const len = CMSG_HDR + 4 * rights.length;
    const b = Buffer.alloc(cmsgAlign(len));
    b.writeBigUInt64LE(BigInt(len), 0);
    b.writeInt32LE(SOL_SOCKET, 8);
    b.writeInt32LE(SCM_RIGHTS, 12);
    rights.forEach((g, i) => b.writeInt32LE(entry(c.t, g).hostFd, CMSG_HDR + 4 * i));
    control = new Uint8Array(b);
  }
  if (name) bindBeforeImplicit(c, e.hostFd, to!);
  const nb = thisCall(e, opts.dontwait);
  return blocking(c.interrupter, nb, host.POLLOUT, () => host.sendmsg(e.hostFd, { data, name, control }, host.MSG_NOSIGNAL | host.MSG_DONTWAIT));
}

/** What recvmsg(2) got: bytes, sender, the passed fds installed as guest fds, and the kernel's MSG_TRUNC / MSG_CTRUNC. */
export interface ReceivedMessage { data: Uint8Array; n: number; from: SockAddr | null; fds: number[]; truncated: boolean; controlTruncated: boolean }

export interface RecvMessageOptions { dontwait?: boolean; peek?: boolean; cloexec?: boolean; trunc?: boolean }

/**
 * recvmsg(2) of up to `len` bytes; passed fds become guest fds (close-on-exec
 * with `cloexec`), at most `maxFds` of them: the others are closed and the
 * message says MSG_CTRUNC, as the kernel does when the guest's control
 * buffer is too small.
 */
export function recvMessage(c: FilesContext, fd: number, len: number, maxFds: number, opts: RecvMessageOptions): ReceivedMessage {
  const e = socketOf(c, fd);
  const nb = thisCall(e, opts.dontwait);
  const flags = host.MSG_DONTWAIT | host.MSG_CMSG_CLOEXEC | (opts.peek ? 2 : 0) | (opts.trunc ? host.MSG_TRUNC : 0);
  const r = blocking(c.interrupter, nb, host.POLLIN, () => host.recvmsg(e.hostFd, len, cmsgAlign(CMSG_HDR + 4 * SCM_MAX_FD), flags));
  const hostFds: number[] = [];
  const ctl = Buffer.from(r.control);
  for (let at = 0; at + CMSG_HDR <= ctl.length;) {
    const clen = Number(ctl.readBigUInt64LE(at));
    if (clen < CMSG_HDR || at + clen > ctl.length) break;
    if (ctl.readInt32LE(at + 8) === SOL_SOCKET && ctl.readInt32LE(at + 12) === SCM_RIGHTS) {
      for (let i = at + CMSG_HDR; i + 4 <= at + clen; i += 4) hostFds.push(ctl.readInt32LE(i));
    }
    at += cmsgAlign(clen);
  }
  const fds: number[] = [];
  let controlTruncated = (r.flags & host.MSG_CTRUNC) !== 0;
  for (const h of hostFds) {
    if (fds.length >= maxFds) { host.close(h); controlTruncated = true; continue; }
    try {
      fds.push(adoptHostFd(c.t, h, { cloexec: !!opts.cloexec, hostShared: true, nonblock: false }));
    } catch {
      host.close(h); // EMFILE: as the kernel, the message says MSG_CTRUNC
      controlTruncated = true;
    }
  }
  return {
    data: r.data, n: r.n, from: r.name.length >= 2 ? fromHost(c, r.name) : null, fds,
    truncated: (r.flags & host.MSG_TRUNC) !== 0, controlTruncated,
  };
}

/** The interface ioctls a socket answers (SIOCGIF*: they read, never change, an interface). */
export const INTERFACE_REQUESTS: ReadonlySet<number> = new Set([0x8910, 0x8913, 0x8915, 0x8917, 0x8919, 0x891b, 0x891d, 0x8921, 0x8927, 0x8933, 0x8942]);
/** struct ifreq on the host: the name (16 bytes), then a 24-byte union. */
export const IFREQ_SIZE = 40;

/**
 * A SIOCGIF* ioctl: `ifreq` (host layout, IFREQ_SIZE bytes) is filled in
 * place by the host. Under the `loopback` and `none` policies only the
 * loopback interface exists (ENODEV for the others), as the jail's network
 * has no other.
 */
export function interfaceRequest(c: FilesContext, fd: number, req: number, ifreq: Uint8Array): void {
  if (!INTERFACE_REQUESTS.has(req) || ifreq.length < IFREQ_SIZE) throw fail('EINVAL');
  host.ioctlPtr(socketOf(c, fd).hostFd, req, ifreq);
  if (c.network.mode !== 'host') {
    const name = Buffer.from(ifreq.subarray(0, 16)).toString('latin1').replace(/\0.*$/s, '');
    if (name !== 'lo') {
      ifreq.fill(0);
      throw fail('ENODEV');
    }
  }
}

/** A struct timeval as the guest gave it (the host checks it: EDOM for a bad tv_usec). */
export interface Timeval { sec: bigint; usec: bigint }

/** SO_RCVTIMEO / SO_SNDTIMEO: zero is no timeout. */
export function setSocketTimeout(c: FilesContext, fd: number, which: TimeoutOption, tv: Timeval): void {
  const b = Buffer.alloc(16);
  b.writeBigInt64LE(tv.sec, 0);
  b.writeBigInt64LE(tv.usec, 8);
  host.setsockopt(socketOf(c, fd).hostFd, 1, HOST_TIMEO[which], b);
}

export const getSocketTimeout = (c: FilesContext, fd: number, which: TimeoutOption): Timeval => hostTimeout(socketOf(c, fd).hostFd, which);

/** SO_LINGER (struct linger: two ints on every arch). */
const HOST_SO_LINGER = 13;
export interface Linger { on: boolean; seconds: number }

export function setLinger(c: FilesContext, fd: number, l: Linger): void {
  const b = Buffer.alloc(8);
  b.writeInt32LE(l.on ? 1 : 0, 0);
  b.writeInt32LE(l.seconds | 0, 4);
  host.setsockopt(socketOf(c, fd).hostFd, 1, HOST_SO_LINGER, b);
}

export function getLinger(c: FilesContext, fd: number): Linger {
  const b = Buffer.from(host.getsockopt(socketOf(c, fd).hostFd, 1, HOST_SO_LINGER, 8));
  return { on: b.readInt32LE(0) !== 0, seconds: b.readInt32LE(4) };
}

export function setSocketOption(c: FilesContext, fd: number, name: SocketOption, value: number): void {
  const [level, opt] = OPTIONS[name];
  const b = Buffer.alloc(4);
  b.writeInt32LE(value | 0, 0);
  host.setsockopt(socketOf(c, fd).hostFd, level, opt, b);
}

/** getsockopt(2) of an int option; `type` is a neutral SocketType name and `error` a neutral errno (or 0). */
export function getSocketOption(c: FilesContext, fd: number, name: SocketOption): number | string {
  const [level, opt] = OPTIONS[name];
  const v = Buffer.from(host.getsockopt(socketOf(c, fd).hostFd, level, opt, 4)).readInt32LE(0);
  if (name === 'type') return SOCKET_TYPE_OF[v] ?? 'raw';
  if (name === 'error') return v === 0 ? 0 : hostErrnoName(v);
  return v;
}
