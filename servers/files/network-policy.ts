/**
 * The jail's network policy, applied where sockets meet the host (./kinds/socket.ts):
 *
 *   host      everything the host allows (the default);
 *   loopback  only 127.0.0.0/8 and ::1 (and ::ffff:127.0.0.0/104) are
 *             reachable, and sockets bind only there: a bind to the wildcard
 *             address is a bind to the loopback address, and a socket that
 *             would be bound implicitly to the wildcard (listen, sendto on
 *             an unbound socket) is bound to loopback first, so it never
 *             receives from elsewhere;
 *   none      no AF_INET / AF_INET6 sockets at all (EACCES); AF_UNIX works,
 *             its paths inside the jail's root.
 * Under loopback and none, raw sockets and other families (AF_NETLINK: the
 * host's routing tables) are refused, and abstract AF_UNIX
 * names (a host-wide namespace: the door to the host's session buses and
 * display servers) live in a namespace of the jail's own: the name the guest
 * gives is stored on the host behind a prefix naming the jail, so guests of
 * the jail meet each other there and nothing else.
 *
 * Every check is on the address the host would use, whatever call carries
 * it (connect, sendto, sendmsg, TCP fast open): addresses are checked in one
 * place, `checkPeer`. A refusal is EACCES and says once per process which
 * rule refused it.
 */
import { createHash } from 'node:crypto';
import { fail } from '../common/errno.js';

export type NetworkMode = 'host' | 'loopback' | 'none';

export interface NetworkPolicy {
  readonly mode: NetworkMode;
  /** The jail's name, for the refusal notice. */
  readonly jail: string;
  /** Prefix of this jail's abstract AF_UNIX names on the host (starts with NUL). */
  readonly abstractPrefix: string;
}

export const AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10;

export const hostNetwork: NetworkPolicy = { mode: 'host', jail: 'none', abstractPrefix: '' };

/** The policy of a jail named `jail` whose root is `root` (null: the host's /). */
export function networkPolicy(mode: NetworkMode, jail: string, root: string | null): NetworkPolicy {
  if (mode === 'host') return { mode, jail, abstractPrefix: '' };
  const tag = createHash('sha256').update(`${jail}\0${root ?? '/'}`).digest('hex').slice(0, 8);
  return { mode, jail, abstractPrefix: `\0compat.${tag}.` };
}

const noticed = new Set<string>();

/** EACCES, saying (once per process and rule) why. */
function refuse(p: NetworkPolicy, rule: string, what: string): never {
  if (!noticed.has(rule)) {
    noticed.add(rule);
    process.stderr.write(`compat: jail "${p.jail}" (network: ${p.mode}) refused ${what}: ${rule}\n`);
  }
  throw fail('EACCES');
}

/** socket(2) / socketpair(2): may this family and type be created? */
export function checkCreate(p: NetworkPolicy, family: number, raw: boolean): void {
  if (p.mode === 'host') return;
  if (p.mode === 'none' && family !== AF_UNIX) refuse(p, 'only AF_UNIX sockets are allowed', `a socket of family ${family}`);
  if (family !== AF_UNIX && family !== AF_INET && family !== AF_INET6) refuse(p, 'only AF_UNIX, AF_INET and AF_INET6 sockets are allowed', `a socket of family ${family}`);
  if (raw) refuse(p, 'raw sockets are not allowed', 'a raw socket');
}

/** The IPv4 address in an AF_INET sockaddr's bytes after the family (port, then address). */
const v4 = (rest: Uint8Array): number[] => [rest[2], rest[3], rest[4], rest[5]];
/** The 16 address bytes of an AF_INET6 sockaddr's bytes after the family (port, flowinfo, address, scope). */
const v6 = (rest: Uint8Array): Uint8Array => rest.subarray(6, 22);

const isV6Loopback = (a: Uint8Array): boolean => a.subarray(0, 15).every((b) => b === 0) && a[15] === 1;
const isV6Any = (a: Uint8Array): boolean => a.every((b) => b === 0);
const isV4Mapped = (a: Uint8Array): boolean => a.subarray(0, 10).every((b) => b === 0) && a[10] === 0xff && a[11] === 0xff;

function describe(family: number, rest: Uint8Array): string {
  const port = rest.length >= 2 ? (rest[0] << 8) | rest[1] : 0;
  if (family === AF_INET && rest.length >= 6) return `${v4(rest).join('.')}:${port}`;
  if (family === AF_INET6 && rest.length >= 22) {
    const a = v6(rest);
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(((a[i] << 8) | a[i + 1]).toString(16));
    return `[${groups.join(':')}]:${port}`;
  }
  return `an address of family ${family}`;
}

/** Is this a loopback address (the only kind `loopback` reaches)? Short or odd addresses are not. */
function loopbackAddress(family: number, rest: Uint8Array): boolean {
  if (family === AF_INET) return rest.length >= 6 && rest[2] === 127;
  if (family === AF_INET6) {
    if (rest.length < 22) return false;
    const a = v6(rest);
    return isV6Loopback(a) || (isV4Mapped(a) && a[12] === 127);
  }
  return false;
}

/**
 * A peer address a socket is about to reach (connect, sendto, sendmsg):
 * refused unless the policy allows it. AF_UNSPEC is connect()'s way of
 * dissolving an association, but IPv4 UDP's sendto() takes it as AF_INET
 * (udp_sendmsg), so elsewhere it is checked as an IPv4 address.
 */
export function checkPeer(p: NetworkPolicy, family: number, rest: Uint8Array, op: 'connect' | 'sendto' | 'sendmsg'): void {
  if (p.mode === 'host' || family === AF_UNIX) return;
  if (family === 0) {
    if (op === 'connect') return;
    family = AF_INET;
  }
  if (p.mode === 'none') refuse(p, 'only AF_UNIX sockets are allowed', `${op} to ${describe(family, rest)}`);
  if (!loopbackAddress(family, rest)) refuse(p, 'only 127.0.0.0/8 and ::1 are reachable', `${op} to ${describe(family, rest)}`);
}

/**
 * The address a bind(2) really uses: under `loopback` the wildcard address
 * becomes the loopback one (same port), a loopback address stays, anything
 * else is refused. (AF_UNSPEC's wildcard, which inet_bind takes as AF_INET's,
 * becomes 127.0.0.1 with the family left as given: the host then refuses it.)
 */
export function bindAddress(p: NetworkPolicy, family: number, rest: Uint8Array): Uint8Array {
  if (p.mode === 'host' || family === AF_UNIX) return rest;
  if (family === 0) family = AF_INET; // inet_bind takes AF_UNSPEC with INADDR_ANY as AF_INET's wildcard
  if (p.mode === 'none') refuse(p, 'only AF_UNIX sockets are allowed', `bind to ${describe(family, rest)}`);
  if (loopbackAddress(family, rest)) return rest;
  const out = new Uint8Array(rest);
  if (family === AF_INET && rest.length >= 6 && v4(rest).every((b) => b === 0)) {
    out.set([127, 0, 0, 1], 2);
    return out;
  }
  if (family === AF_INET6 && rest.length >= 22 && isV6Any(v6(rest))) {
    out[21] = 1;
    return out;
  }
  return refuse(p, 'sockets bind only to 127.0.0.0/8 and ::1', `bind to ${describe(family, rest)}`);
}

/**
 * Under `loopback`, the loopback address to bind an unbound socket of
 * `family` to before the host would bind it implicitly to the wildcard
 * (null: nothing to do). `local` is the socket's getsockname() bytes after
 * the family; `to` the peer it is about to send to, if any.
 */
export function implicitBind(p: NetworkPolicy, family: number, local: Uint8Array, to: { family: number; rest: Uint8Array } | null): Uint8Array | null {
  if (p.mode !== 'loopback') return null;
  const unbound = local.length >= 2 && local[0] === 0 && local[1] === 0;
  if (!unbound) return null;
  if (family === AF_INET) return new Uint8Array([0, 0, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  if (family !== AF_INET6) return null;
  const a = new Uint8Array(26);
  const mapped = to !== null && (to.family === AF_INET || (to.family === AF_INET6 && to.rest.length >= 22 && isV4Mapped(v6(to.rest))));
  if (mapped) a.set([0xff, 0xff, 127, 0, 0, 1], 16); // ::ffff:127.0.0.1: the peer is an IPv4 one
  else a[21] = 1; // ::1
  return a;
}

/** sun_path's size: an abstract name with the jail's prefix must still fit. */
const SUN_PATH = 108;
/** Names too long for the prefix, by their host name (this process has bound or named them). */
const longNames = new Map<string, string>();

/**
 * An abstract AF_UNIX name (leading NUL) as stored on the host: behind the
 * jail's prefix; a name too long for that (libuv pads its names to the whole
 * sun_path) is stored as the prefix and a digest of the name.
 */
export function abstractToHost(p: NetworkPolicy, name: string): string {
  if (p.mode === 'host') return name;
  const plain = p.abstractPrefix + name.slice(1);
  if (plain.length <= SUN_PATH) return plain;
  const hashed = p.abstractPrefix + '#' + createHash('sha256').update(name, 'latin1').digest('base64url');
  longNames.set(hashed, name);
  return hashed;
}

/** A host abstract name back into the guest's view (names outside the jail's namespace are shown as they are). */
export function abstractFromHost(p: NetworkPolicy, name: string): string {
  if (p.mode === 'host' || !name.startsWith(p.abstractPrefix)) return name;
  return longNames.get(name) ?? '\0' + name.slice(p.abstractPrefix.length);
}
