/**
 * Linux socket numbers per arch, as data: socket types, the SOCK_* flags of
 * socket()/accept4(), and the socket options by level. MIPS numbers socket
 * types and SOL_SOCKET options its own way (arch/mips/include/uapi/asm/
 * socket.h, sock_types.h); AF_*, MSG_* and the IPPROTO_TCP/IPV6 options are
 * the same everywhere.
 */
import type { SocketOption, SocketType, TimeoutOption } from '../../../servers/files/kinds/socket.js';

export interface SocketAbi {
  /** Guest socket type number → neutral type. */
  readonly types: ReadonlyMap<number, SocketType>;
  readonly SOCK_NONBLOCK: number;
  readonly SOCK_CLOEXEC: number;
  readonly SOL_SOCKET: number;
  /** Guest (level, option) → neutral option name, key `${level}:${option}`. */
  readonly options: ReadonlyMap<string, SocketOption>;
  /** SOL_SOCKET timeouts, by option number: which one, and whether its struct timeval has 64-bit fields (the *_NEW options). */
  readonly timeouts: ReadonlyMap<number, { which: TimeoutOption; time64: boolean }>;
  /** SO_LINGER (struct linger: two ints). */
  readonly SO_LINGER: number;
}

/** SO_RCVTIMEO_NEW / SO_SNDTIMEO_NEW: the same numbers on every arch. */
const TIMEO_NEW: Array<[number, { which: TimeoutOption; time64: boolean }]> = [[66, { which: 'rcvtimeo', time64: true }], [67, { which: 'sndtimeo', time64: true }]];

const SOL_TCP = 6, SOL_IPV6 = 41;
const common: Array<[number, number, SocketOption]> = [
  [SOL_TCP, 1, 'nodelay'], [SOL_TCP, 4, 'keepidle'], [SOL_TCP, 5, 'keepintvl'], [SOL_TCP, 6, 'keepcnt'],
  [SOL_IPV6, 26, 'v6only'],
];

function options(sol: number, so: Record<number, SocketOption>): ReadonlyMap<string, SocketOption> {
  const m = new Map<string, SocketOption>();
  for (const [n, name] of Object.entries(so)) m.set(`${sol}:${n}`, name);
  for (const [level, n, name] of common) m.set(`${level}:${n}`, name);
  return m;
}

/** asm-generic: riscv64, aarch64, x86. */
export const genericSockets: SocketAbi = {
  types: new Map([[1, 'stream'], [2, 'dgram'], [3, 'raw'], [5, 'seqpacket']]),
  SOCK_NONBLOCK: 0o4000,
  SOCK_CLOEXEC: 0o2000000,
  SOL_SOCKET: 1,
  options: options(1, {
    2: 'reuseaddr', 3: 'type', 4: 'error', 6: 'broadcast', 7: 'sndbuf', 8: 'rcvbuf', 9: 'keepalive',
    10: 'oobinline', 15: 'reuseport', 30: 'acceptconn',
  }),
  timeouts: new Map([[20, { which: 'rcvtimeo', time64: false }], [21, { which: 'sndtimeo', time64: false }], ...TIMEO_NEW]),
  SO_LINGER: 13,
};

/** MIPS: SOCK_DGRAM 1, SOCK_STREAM 2; SOL_SOCKET 0xffff with its own SO_* values; SOCK_NONBLOCK is MIPS's O_NONBLOCK. */
export const mipsSockets: SocketAbi = {
  types: new Map([[1, 'dgram'], [2, 'stream'], [3, 'raw'], [5, 'seqpacket']]),
  SOCK_NONBLOCK: 0x80,
  SOCK_CLOEXEC: 0o2000000,
  SOL_SOCKET: 0xffff,
  options: options(0xffff, {
    0x0004: 'reuseaddr', 0x1008: 'type', 0x1007: 'error', 0x0020: 'broadcast', 0x1001: 'sndbuf', 0x1002: 'rcvbuf',
    0x0008: 'keepalive', 0x0100: 'oobinline', 0x0200: 'reuseport', 0x1009: 'acceptconn',
  }),
  timeouts: new Map([[0x1006, { which: 'rcvtimeo', time64: false }], [0x1005, { which: 'sndtimeo', time64: false }], ...TIMEO_NEW]),
  SO_LINGER: 0x0080,
};
