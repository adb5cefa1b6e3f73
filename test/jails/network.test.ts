// The network policy battery: netprobe (test/fixtures/src/riscv64/jail/netprobe.c)
// run under --network host|loopback|none tries to reach a TCP and a UDP server the
// test runs on this machine's non-loopback address, by every route a socket has
// (connect, sendto, sendmsg, TCP fast open, AF_UNSPEC, v4-mapped IPv6, an IPv6
// socket sending to an IPv4 address, raw and netlink sockets), to bind outside
// loopback, to meet the host's abstract AF_UNIX names and, in a root jail, an
// AF_UNIX path outside the root. Under `host` the same attempts do reach the
// servers (so the refusals are the policy's, not the machine's); under
// `loopback` and `none` they fail and the servers see nothing: zero escapes.
import { createSocket as createUdp, type Socket as UdpSocket } from 'node:dgram';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess } from '../integration/helpers.js';
import { compatBin, fixture, probeResults } from './helpers.js';

const probe = fixture('riscv64/jail/netprobe');

/** This machine's first non-loopback IPv4 address (the one a jail under `loopback` must not reach). */
function outsideAddress(): string | null {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return null;
}

const EXT = outsideAddress();
let tcp: Server, tcpLoop: Server, abstractServer: Server, outsideUnix: Server;
let udp: UdpSocket;
let tcpPort = 0, tcpLoopPort = 0, udpPort = 0;
let tcpConnections = 0, udpDatagrams = 0, abstractConnections = 0, outsideUnixConnections = 0;
const ABSTRACT = `compat-test-${process.pid}-${Date.now()}`;
let base: string, jailRoot: string, outsideSock: string;

const listen = (s: Server, at: string | number, host?: string): Promise<void> =>
  new Promise((res, rej) => { s.once('error', rej); host ? s.listen(at as number, host, () => res()) : s.listen(at as string, () => res()); });

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'compat-net-'));
  jailRoot = join(base, 'root');
  mkdirSync(jailRoot);
  outsideSock = join(base, 'outside.sock');
  tcp = createServer((c) => { tcpConnections++; c.destroy(); });
  tcpLoop = createServer((c) => c.destroy());
  abstractServer = createServer((c) => { abstractConnections++; c.destroy(); });
  outsideUnix = createServer((c) => { outsideUnixConnections++; c.destroy(); });
  await listen(tcpLoop, 0, '127.0.0.1');
  tcpLoopPort = (tcpLoop.address() as { port: number }).port;
  if (EXT) {
    await listen(tcp, 0, EXT);
    tcpPort = (tcp.address() as { port: number }).port;
    udp = createUdp('udp4');
    udp.on('message', () => { udpDatagrams++; });
    await new Promise<void>((res) => udp.bind(0, EXT, () => res()));
    udpPort = udp.address().port;
  }
  await listen(abstractServer, `\0${ABSTRACT}`);
  await listen(outsideUnix, outsideSock);
});

afterAll(() => {
  for (const s of [tcp, tcpLoop, abstractServer, outsideUnix]) s?.close();
  udp?.close();
  rmSync(base, { recursive: true, force: true });
});

/** compat exec ARGS, asynchronously (the servers above live in this process's event loop). */
async function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const r = await runProcess(process.execPath, [compatBin, 'exec', ...args], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
  return { status: r.status, stdout: r.stdout.toString(), stderr: r.stderr };
}

/** The attempts that reach outside loopback, as netprobe arguments. */
function escapes(ext: string, tp: number, up: number): string[] {
  return [
    'tcp4', ext, String(tp),
    'v4mapped', ext, String(tp),
    'fastopen', ext, String(tp),
    'udp4', ext, String(up),
    'udpunspec', ext, String(up),
    'udp6to4', ext, String(up),
    'sendmsg4', ext, String(up),
    'udpconnect4', ext, String(up),
    'bind4', ext, '0',
  ];
}

const escapeKeys = (ext: string, tp: number, up: number): string[] =>
  ['tcp4', 'v4mapped', 'fastopen'].map((op) => `${op} ${ext} ${tp}`)
    .concat(['udp4', 'udpunspec', 'udp6to4', 'sendmsg4', 'udpconnect4'].map((op) => `${op} ${ext} ${up}`))
    .concat([`bind4 ${ext} 0`]);

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 300));

describe.skipIf(EXT === null)('network: host reaches what the policies refuse (the battery is meaningful)', () => {
  it('TCP, UDP and the host\'s abstract names are reachable with --network host', async () => {
    const before = { tcp: tcpConnections, udp: udpDatagrams, abs: abstractConnections };
    const r = await run(['--network', 'host', probe, ...escapes(EXT!, tcpPort, udpPort), 'abstractfull', ABSTRACT]);
    expect(r.status, r.stderr).toBe(0);
    const m = probeResults(r.stdout);
    expect(m.get(`tcp4 ${EXT} ${tcpPort}`)).toBe('ok');
    expect(m.get(`udp4 ${EXT} ${udpPort}`)).toBe('ok');
    expect(m.get(`sendmsg4 ${EXT} ${udpPort}`)).toBe('ok');
    expect(m.get(`abstractfull ${ABSTRACT}`)).toBe('ok');
    await settle();
    expect(tcpConnections).toBeGreaterThan(before.tcp);
    expect(udpDatagrams).toBeGreaterThan(before.udp);
    expect(abstractConnections).toBeGreaterThan(before.abs);
  });
});

describe('network: loopback', () => {
  it('nothing outside 127.0.0.0/8 and ::1 is reached, by any route', async () => {
    const ext = EXT ?? '192.0.2.1';
    const before = { tcp: tcpConnections, udp: udpDatagrams, abs: abstractConnections };
    const r = await run(['--network', 'loopback', probe, ...escapes(ext, tcpPort || 9, udpPort || 9), 'raw4', 'raw6', 'packet', 'netlink', 'abstractfull', ABSTRACT]);
    expect(r.status, r.stderr).toBe(0);
    const m = probeResults(r.stdout);
    for (const k of escapeKeys(ext, tcpPort || 9, udpPort || 9)) expect(m.get(k), k).toBe('EACCES');
    expect(m.get('raw4')).toBe('EACCES');
    expect(m.get('raw6')).toBe('EACCES');
    expect(m.get('packet')).toBe('EAFNOSUPPORT');
    expect(m.get('netlink')).toBe('EACCES'); // the host's routing tables are not the jail's
    expect(m.get(`abstractfull ${ABSTRACT}`)).toBe('ECONNREFUSED'); // the jail's abstract names are its own
    await settle();
    expect(tcpConnections).toBe(before.tcp);
    expect(udpDatagrams).toBe(before.udp);
    expect(abstractConnections).toBe(before.abs);
    // each rule is said once, naming the jail's policy
    expect(r.stderr).toMatch(/network: loopback\) refused connect to .*: only 127\.0\.0\.0\/8 and ::1 are reachable/);
    expect(r.stderr.match(/only 127\.0\.0\.0\/8 and ::1 are reachable/g)).toHaveLength(1);
  });

  it('loopback itself works, and binds land on loopback', async () => {
    const r = await run(['--network', 'loopback', probe,
      'tcp4', '127.0.0.1', String(tcpLoopPort), 'tcp4', '127.1.2.3', String(tcpLoopPort), 'v4mapped', '127.0.0.1', String(tcpLoopPort),
      'bind4', '0.0.0.0', '0', 'bind6', '::', '0', 'listen4', 'listen6', 'udpauto', '127.0.0.1', '9', 'bindunspec', '0',
      'abstractbind', 'x', 'socketpair']);
    expect(r.status, r.stderr).toBe(0);
    const m = probeResults(r.stdout);
    expect(m.get(`tcp4 127.0.0.1 ${tcpLoopPort}`)).toBe('ok');
    expect(m.get(`v4mapped 127.0.0.1 ${tcpLoopPort}`)).toBe('ok');
    expect(m.get('bind4 0.0.0.0 0')).toBe('ok 127.0.0.1:port');
    expect(m.get('bind6 :: 0')).toBe('ok [::1]:port');
    expect(m.get('listen4')).toBe('ok 127.0.0.1:port');
    expect(m.get('listen6')).toBe('ok [::1]:port');
    expect(m.get('udpauto 127.0.0.1 9')).toBe('ok 127.0.0.1:port');
    expect(m.get('bindunspec 0')).toBe('EAFNOSUPPORT'); // AF_UNSPEC's wildcard would be INADDR_ANY: never bound
    expect(m.get('abstractbind x')).toBe('ok @x'); // the guest sees its own name
    expect(m.get('socketpair')).toBe('ok');
  });
});

describe('network: none', () => {
  it('no IP socket at all; AF_UNIX only inside the root', async () => {
    const ext = EXT ?? '192.0.2.1';
    const before = { tcp: tcpConnections, udp: udpDatagrams, unix: outsideUnixConnections };
    const r = await run(['--network', 'none', '--root', jailRoot, probe, ...escapes(ext, tcpPort || 9, udpPort || 9),
      'tcp4', '127.0.0.1', String(tcpLoopPort), 'listen4', 'raw4', 'unix', outsideSock, 'unixbind', '/inside.sock', 'socketpair', 'abstractfull', ABSTRACT]);
    expect(r.status, r.stderr).toBe(0);
    const m = probeResults(r.stdout);
    for (const k of escapeKeys(ext, tcpPort || 9, udpPort || 9)) expect(m.get(k), k).toBe('EACCES');
    expect(m.get(`tcp4 127.0.0.1 ${tcpLoopPort}`)).toBe('EACCES');
    expect(m.get('listen4')).toBe('EACCES');
    expect(m.get('raw4')).toBe('EACCES');
    expect(m.get(`unix ${outsideSock}`)).toBe('ENOENT'); // outside the root: not there
    expect(m.get('unixbind /inside.sock')).toBe('ok /inside.sock');
    expect(m.get('socketpair')).toBe('ok');
    expect(m.get(`abstractfull ${ABSTRACT}`)).toBe('ECONNREFUSED');
    await settle();
    expect(tcpConnections).toBe(before.tcp);
    expect(udpDatagrams).toBe(before.udp);
    expect(outsideUnixConnections).toBe(before.unix);
    expect(r.stderr).toContain('(network: none) refused a socket of family 2: only AF_UNIX sockets are allowed');
  });
});

describe('names: the jail decides /etc/hosts and /etc/resolv.conf (file mounts)', () => {
  it('getaddrinfo reads the hosts file the jail mounts, under every policy', async () => {
    const hosts = join(base, 'hosts');
    const resolv = join(base, 'resolv.conf');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(hosts, '10.1.2.3 jailhost\n127.0.0.1 localhost\n');
    writeFileSync(resolv, 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
    for (const mode of ['host', 'loopback', 'none']) {
      const r = await run(['--network', mode, '--mount', `/etc/hosts=${hosts}:ro`, '--mount', `/etc/resolv.conf=${resolv}:ro`, probe, 'resolve', 'jailhost', 'resolve', 'localhost']);
      expect(r.status, r.stderr).toBe(0);
      const m = probeResults(r.stdout);
      expect(m.get('resolve jailhost'), mode).toBe('ok 10.1.2.3');
      expect(m.get('resolve localhost'), mode).toBe('ok 127.0.0.1');
    }
  });
});

describe('network in jail files', () => {
  it('the schema takes host, loopback and none and refuses anything else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'compat-netjail-'));
    try {
      const good = join(dir, 'good.json');
      const bad = join(dir, 'bad.json');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(good, JSON.stringify({ personality: 'linux', network: 'none' }));
      writeFileSync(bad, JSON.stringify({ personality: 'linux', network: 'lan' }));
      const ok = await run(['--jail', good, probe, 'tcp4', '127.0.0.1', String(tcpLoopPort)]);
      expect(probeResults(ok.stdout).get(`tcp4 127.0.0.1 ${tcpLoopPort}`)).toBe('EACCES');
      const refused = await run(['--jail', bad, probe, 'socketpair']);
      expect(refused.status).toBe(2);
      expect(refused.stderr).toMatch(/network/);
      expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
