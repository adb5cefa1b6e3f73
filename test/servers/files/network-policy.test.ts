// The network policy's address rules on their own (servers/files/network-policy.ts):
// which peers `loopback` lets a socket reach, what a bind really binds, the implicit
// bind before listen/sendto, and the jail's abstract AF_UNIX namespace.
import { describe, expect, it } from 'vitest';
import { isServerError } from '../../../servers/common/errno.js';
import {
  abstractFromHost, abstractToHost, AF_INET, AF_INET6, AF_UNIX, bindAddress, checkCreate, checkPeer, hostNetwork, implicitBind, networkPolicy,
} from '../../../servers/files/network-policy.js';

const loopback = networkPolicy('loopback', 'test', '/srv/root');
const none = networkPolicy('none', 'test', '/srv/root');

/** sockaddr_in bytes after the family: port (network order), then the address. */
const v4 = (a: number[], port = 80): Uint8Array => new Uint8Array([port >> 8, port & 255, ...a, 0, 0, 0, 0, 0, 0, 0, 0]);
/** sockaddr_in6 bytes after the family: port, flowinfo, 16 address bytes, scope id. */
const v6 = (a: number[], port = 80): Uint8Array => { const b = new Uint8Array(26); b[0] = port >> 8; b[1] = port & 255; b.set(a, 6); return b; };
const mapped = (x: number[]): number[] => [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...x];

function errnoOf(f: () => unknown): string | null {
  try { f(); return null; } catch (e) { if (isServerError(e)) return e.errno; throw e; }
}

describe('network policy: peers', () => {
  it('loopback reaches 127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104, nothing else', () => {
    for (const [fam, a] of [[AF_INET, v4([127, 0, 0, 1])], [AF_INET, v4([127, 9, 8, 7])], [AF_INET6, v6([...Array(15).fill(0), 1])], [AF_INET6, v6(mapped([127, 0, 0, 1]))]] as const) {
      expect(errnoOf(() => checkPeer(loopback, fam, a, 'connect'))).toBe(null);
    }
    const refused: Array<[number, Uint8Array]> = [
      [AF_INET, v4([10, 0, 0, 1])], [AF_INET, v4([0, 0, 0, 0])], [AF_INET, v4([128, 0, 0, 1])],
      [AF_INET6, v6(mapped([10, 0, 0, 1]))], [AF_INET6, v6([...Array(12).fill(0), 127, 0, 0, 1])], // IPv4-compatible ::127.0.0.1
      [AF_INET6, v6([0, 0x64, 0xff, 0x9b, ...Array(8).fill(0), 127, 0, 0, 1])], // NAT64 of 127.0.0.1
      [AF_INET6, v6([0xfe, 0x80, ...Array(13).fill(0), 1])], [AF_INET6, v6(Array(16).fill(0))],
      [AF_INET, new Uint8Array([0, 80, 127])], // too short to hold an address
    ];
    for (const [fam, a] of refused) expect(errnoOf(() => checkPeer(loopback, fam, a, 'sendto')), Buffer.from(a).toString('hex')).toBe('EACCES');
  });

  it('AF_UNSPEC dissolves a connect but is IPv4 for sendto and sendmsg', () => {
    expect(errnoOf(() => checkPeer(loopback, 0, v4([10, 0, 0, 1]), 'connect'))).toBe(null);
    expect(errnoOf(() => checkPeer(loopback, 0, v4([10, 0, 0, 1]), 'sendto'))).toBe('EACCES');
    expect(errnoOf(() => checkPeer(loopback, 0, v4([127, 0, 0, 1]), 'sendmsg'))).toBe(null);
  });

  it('none refuses every IP peer, loopback too; host and AF_UNIX are never checked', () => {
    expect(errnoOf(() => checkPeer(none, AF_INET, v4([127, 0, 0, 1]), 'connect'))).toBe('EACCES');
    expect(errnoOf(() => checkPeer(none, AF_UNIX, new Uint8Array(0), 'connect'))).toBe(null);
    expect(errnoOf(() => checkPeer(hostNetwork, AF_INET, v4([8, 8, 8, 8]), 'connect'))).toBe(null);
  });
});

describe('network policy: binds and sockets', () => {
  it('a wildcard bind binds loopback (same port); other addresses are refused', () => {
    expect([...bindAddress(loopback, AF_INET, v4([0, 0, 0, 0], 8080))]).toEqual([...v4([127, 0, 0, 1], 8080)]);
    expect([...bindAddress(loopback, AF_INET6, v6(Array(16).fill(0), 8080))]).toEqual([...v6([...Array(15).fill(0), 1], 8080)]);
    expect([...bindAddress(loopback, AF_INET, v4([127, 3, 3, 3]))]).toEqual([...v4([127, 3, 3, 3])]);
    expect(errnoOf(() => bindAddress(loopback, AF_INET, v4([192, 0, 2, 2])))).toBe('EACCES');
    expect(errnoOf(() => bindAddress(none, AF_INET, v4([127, 0, 0, 1])))).toBe('EACCES');
  });

  it('an unbound socket is bound to loopback first; ::ffff:127.0.0.1 when an IPv6 socket sends to IPv4', () => {
    const unbound4 = new Uint8Array(14), unbound6 = new Uint8Array(26);
    expect([...implicitBind(loopback, AF_INET, unbound4, null)!.subarray(2, 6)]).toEqual([127, 0, 0, 1]);
    expect(implicitBind(loopback, AF_INET6, unbound6, null)![21]).toBe(1);
    expect([...implicitBind(loopback, AF_INET6, unbound6, { family: AF_INET, rest: v4([127, 0, 0, 1]) })!.subarray(16, 22)]).toEqual([0xff, 0xff, 127, 0, 0, 1]);
    expect(implicitBind(loopback, AF_INET, v4([127, 0, 0, 1], 4000), null)).toBe(null); // bound already
    expect(implicitBind(hostNetwork, AF_INET, unbound4, null)).toBe(null);
  });

  it('raw sockets and other families are refused under loopback; none allows AF_UNIX only', () => {
    expect(errnoOf(() => checkCreate(loopback, AF_INET, true))).toBe('EACCES');
    expect(errnoOf(() => checkCreate(loopback, 16, false))).toBe('EACCES');
    expect(errnoOf(() => checkCreate(loopback, AF_INET6, false))).toBe(null);
    expect(errnoOf(() => checkCreate(none, AF_INET, false))).toBe('EACCES');
    expect(errnoOf(() => checkCreate(none, AF_UNIX, false))).toBe(null);
    expect(errnoOf(() => checkCreate(hostNetwork, AF_INET, true))).toBe(null);
  });
});

describe('network policy: abstract AF_UNIX names', () => {
  it('live behind the jail\'s prefix and come back as the guest named them', () => {
    const host = abstractToHost(loopback, '\0bus');
    expect(host.startsWith('\0compat.')).toBe(true);
    expect(host).not.toBe('\0bus');
    expect(abstractFromHost(loopback, host)).toBe('\0bus');
    expect(abstractFromHost(loopback, '\0other')).toBe('\0other'); // a host name outside the namespace
    expect(abstractToHost(hostNetwork, '\0bus')).toBe('\0bus');
  });

  it('another jail has another namespace; a name too long for the prefix is a digest that maps back', () => {
    expect(abstractToHost(networkPolicy('loopback', 'other', '/srv/root'), '\0bus')).not.toBe(abstractToHost(loopback, '\0bus'));
    const long = '\0' + 'x'.repeat(106);
    const h = abstractToHost(loopback, long);
    expect(h.length).toBeLessThanOrEqual(108);
    expect(abstractFromHost(loopback, h)).toBe(long);
  });
});
