/**
 * poll, ppoll, select, pselect6, eventfd2 and EPIPE/SIGPIPE through the Linux
 * handlers, over guest memory: struct pollfd, fd_set layouts by word size and
 * byte order, timeouts (0, finite, infinite) and their write-back.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AddressSpace, PROT_READ, PROT_WRITE } from '../../../src/memory/address-space.js';
import { GuestFault } from '../../../src/memory/fault.js';
import * as host from '../../../src/host/libc.js';
import { ServerError } from '../../../servers/common/errno.js';
import { FilesServer } from '../../../servers/files/files-server.js';
import { genericFileAbi } from '../../../personalities/linux/abi/file-abi-generic.js';
import { linuxGenericErrno } from '../../../personalities/linux/abi/errno.js';
import { filesSyscalls } from '../../../personalities/linux/syscalls/files.js';
import { pollSyscalls } from '../../../personalities/linux/syscalls/poll.js';
import type { LinuxThread } from '../../../personalities/linux/syscalls/types.js';

const BASE = 0x100000;
const POLLIN = 1, POLLPRI = 2, POLLOUT = 4, POLLERR = 8, POLLHUP = 16, POLLNVAL = 32;
const EBADF = 9, EAGAIN = 11, EINVAL = 22, EPIPE = 32;

type Arch = { endian: 'little' | 'big'; wordSize: 32 | 64; machine?: string };
type Thread = LinuxThread & { sendSelf?: (s: string) => void; setTemporaryMask?: (m: bigint) => void; signals: string[]; masks: bigint[] };

let mem: AddressSpace;
let t: Thread;

function makeThread(arch: Arch = { endian: 'little', wordSize: 64 }): Thread {
  const signals: string[] = [];
  const masks: bigint[] = [];
  return {
    mem,
    core: {} as LinuxThread['core'],
    arch: {
      machine: arch.machine ?? 'riscv64', endian: arch.endian, wordSize: arch.wordSize, errno: linuxGenericErrno,
      file: { ...genericFileAbi, endian: arch.endian, wordSize: arch.wordSize }, signals: { max: 64 },
    } as unknown as LinuxThread['arch'],
    files: new FilesServer({ stdio: 'none' }),
    id: { pid: 1, ppid: 0, tid: 1, pgid: 1, sid: 1, uid: 0, euid: 0, suid: 0, gid: 0, egid: 0, sgid: 0, groups: [] },
    proc: {} as LinuxThread['proc'],
    warnOnce: () => {},
    invalidateCache: () => {},
    sendSelf: (s) => { signals.push(s); },
    setTemporaryMask: (m) => { masks.push(m); },
    signals, masks,
  };
}

function sys(name: string, ...args: (number | bigint)[]): bigint {
  const def = pollSyscalls[name] ?? filesSyscalls[name];
  if (!def) throw new Error(`no handler ${name}`);
  try {
    return BigInt(def.fn(t, args.map((a) => BigInt.asUintN(64, BigInt(a)))) as number);
  } catch (e) {
    if (e instanceof ServerError) return -BigInt(linuxGenericErrno[e.errno]);
    if (e instanceof GuestFault) return -14n;
    throw e;
  }
}

const le = () => t.arch.endian === 'little';
const FDS = BASE + 0x1000; // struct pollfd array
const TS = BASE + 0x2000; // timespec / timeval
const SETS = BASE + 0x3000; // three fd_sets, 0x100 apart
const SIG = BASE + 0x4000;
const BUF = BASE + 0x5000;

function pollfds(list: [fd: number, events: number][]): void {
  list.forEach(([fd, ev], i) => {
    mem.writeU32(FDS + 8 * i, fd >>> 0, le());
    mem.writeU16(FDS + 8 * i + 4, ev, le());
    mem.writeU16(FDS + 8 * i + 6, 0xdead, le());
  });
}
const revents = (i: number): number => mem.readU16(FDS + 8 * i + 6, le());

function timespec(sec: number, nsec: number): number {
  const W = t.arch.wordSize;
  if (W === 64) { mem.writeU64(TS, BigInt(sec), le()); mem.writeU64(TS + 8, BigInt(nsec), le()); } else { mem.writeU32(TS, sec, le()); mem.writeU32(TS + 4, nsec, le()); }
  return TS;
}
const tsNs = (): bigint => t.arch.wordSize === 64
  ? mem.readU64(TS, le()) * 1_000_000_000n + mem.readU64(TS + 8, le())
  : BigInt(mem.readU32(TS, le())) * 1_000_000_000n + BigInt(mem.readU32(TS + 4, le()));

function pipe(flags = 0): [number, number] {
  expect(sys('pipe2', BUF, flags)).toBe(0n);
  return [mem.readU32(BUF, le()), mem.readU32(BUF + 4, le())];
}

function writeStr(fd: number, s: string): bigint {
  mem.writeBytes(BUF + 0x100, Buffer.from(s, 'latin1'));
  return sys('write', fd, BUF + 0x100, s.length);
}

beforeEach(() => {
  mem = new AddressSpace();
  mem.mapPages(BASE, 0x10000, PROT_READ | PROT_WRITE);
  t = makeThread();
});
afterEach(() => t.files.closeAll());

describe('ppoll', () => {
  it('revents for pipes: POLLOUT, POLLIN, POLLHUP, POLLERR, POLLNVAL; negative fds are skipped', () => {
    const [r, w] = pipe();
    pollfds([[r, POLLIN], [w, POLLOUT], [-1, POLLIN], [77, POLLIN]]);
    expect(sys('ppoll', FDS, 4, timespec(0, 0), 0, 8)).toBe(2n);
    expect([revents(0), revents(1), revents(2), revents(3)]).toEqual([0, POLLOUT, 0, POLLNVAL]);
    writeStr(w, 'x');
    pollfds([[r, POLLIN | POLLPRI], [w, POLLIN]]);
    expect(sys('ppoll', FDS, 2, timespec(0, 0), 0, 8)).toBe(1n);
    expect([revents(0), revents(1)]).toEqual([POLLIN, 0]); // only requested events come back
    sys('close', w);
    pollfds([[r, POLLIN]]);
    expect(sys('ppoll', FDS, 1, 0, 0, 8)).toBe(1n); // infinite timeout, ready at once
    expect(revents(0)).toBe(POLLIN | POLLHUP);
    const [r2, w2] = pipe();
    sys('close', r2);
    pollfds([[w2, POLLOUT]]);
    expect(sys('ppoll', FDS, 1, timespec(0, 0), 0, 8)).toBe(1n);
    expect(revents(0) & POLLERR).toBe(POLLERR);
  });

  it('regular files and /dev/null are always ready; nfds over the limit is EINVAL', () => {
    mem.writeBytes(BUF, Buffer.from('/dev/null\0'));
    const n = Number(sys('openat', -100, BUF, 2, 0));
    pollfds([[n, POLLIN | POLLOUT]]);
    expect(sys('ppoll', FDS, 1, timespec(0, 0), 0, 8)).toBe(1n);
    expect(revents(0)).toBe(POLLIN | POLLOUT);
    expect(sys('ppoll', FDS, 5000, timespec(0, 0), 0, 8)).toBe(BigInt(-EINVAL));
    expect(sys('ppoll', FDS, 1, timespec(0, 1_000_000_000), 0, 8)).toBe(BigInt(-EINVAL));
  });

  it('a finite timeout waits that long and writes back what is left; the sigmask goes to the runtime', () => {
    const [r] = pipe();
    pollfds([[r, POLLIN]]);
    const t0 = process.hrtime.bigint();
    expect(sys('ppoll', FDS, 1, timespec(0, 120_000_000), 0, 8)).toBe(0n);
    const took = Number(process.hrtime.bigint() - t0) / 1e6;
    expect(took).toBeGreaterThanOrEqual(115);
    expect(took).toBeLessThan(1000);
    expect(tsNs()).toBe(0n);
    // with data arriving early, most of the timeout is left
    const [r2, w2] = pipe();
    writeStr(w2, 'y');
    mem.writeU64(SIG, 1n << 9n, true); // SIGUSR1 (bit 10-1)
    pollfds([[r2, POLLIN]]);
    expect(sys('ppoll', FDS, 1, timespec(5, 0), SIG, 8)).toBe(1n);
    expect(tsNs()).toBeGreaterThan(4_000_000_000n);
    expect(t.masks).toEqual([1n << 9n]);
    expect(sys('ppoll', FDS, 1, timespec(0, 0), SIG, 16)).toBe(BigInt(-EINVAL)); // wrong sigsetsize
    void r;
  });

  it('poll (arches that have it) takes milliseconds; MIPS POLLWRNORM/WRBAND numbers are translated', () => {
    const [r, w] = pipe();
    pollfds([[r, POLLIN], [w, POLLOUT]]);
    const t0 = Date.now();
    expect(sys('poll', FDS, 1, 60)).toBe(0n);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(55);
    pollfds([[w, 0x100 /* generic POLLWRNORM */]]);
    expect(sys('poll', FDS, 1, 0)).toBe(1n);
    expect(revents(0)).toBe(0x100);
    t = Object.assign(t, { arch: { ...t.arch, machine: 'mips' } });
    // MIPS: POLLWRNORM is POLLOUT, 0x100 is POLLWRBAND (which pipes never report)
    pollfds([[w, 0x100 | POLLOUT]]);
    expect(sys('poll', FDS, 1, 0)).toBe(1n);
    expect(revents(0)).toBe(POLLOUT);
  });
});

/** fd_set bit of fd, as the arch lays it out. */
function setBit(set: number, fd: number): void {
  const W = t.arch.wordSize, B = W / 8;
  const inWord = fd % W;
  const byte = Math.floor(fd / W) * B + (le() ? inWord >> 3 : B - 1 - (inWord >> 3));
  mem.writeU8(set + byte, mem.readU8(set + byte) | (1 << (fd & 7)));
}
function bits(set: number, nfds: number): number[] {
  const out: number[] = [];
  const W = t.arch.wordSize, B = W / 8;
  for (let fd = 0; fd < nfds; fd++) {
    const inWord = fd % W;
    const byte = Math.floor(fd / W) * B + (le() ? inWord >> 3 : B - 1 - (inWord >> 3));
    if (mem.readU8(set + byte) & (1 << (fd & 7))) out.push(fd);
  }
  return out;
}
const RS = SETS, WS = SETS + 0x100, XS = SETS + 0x200;
const clearSets = () => mem.writeBytes(SETS, new Uint8Array(0x300));

describe('select / pselect6', () => {
  for (const arch of [
    { endian: 'little', wordSize: 64 }, { endian: 'big', wordSize: 32 }, { endian: 'big', wordSize: 64 }, { endian: 'little', wordSize: 32 },
  ] as Arch[]) {
    it(`fd_sets (${arch.endian}-endian, ${arch.wordSize}-bit words): readable, writable, timeout write-back, EBADF`, () => {
      t.files.closeAll();
      t = makeThread(arch);
      const [r, w] = pipe();
      // put the ends high, across word boundaries
      expect(sys('dup3', r, 33, 0)).toBe(33n);
      expect(sys('dup3', w, 70, 0)).toBe(70n);
      clearSets();
      setBit(RS, 33); setBit(WS, 70); setBit(XS, 33);
      expect(sys('pselect6', 71, RS, WS, XS, timespec(0, 0), 0)).toBe(1n);
      expect([bits(RS, 71), bits(WS, 71), bits(XS, 71)]).toEqual([[], [70], []]);
      writeStr(70, 'data');
      clearSets();
      setBit(RS, 33); setBit(RS, r); setBit(WS, 70);
      expect(sys('pselect6', 71, RS, WS, 0, timespec(3, 0), 0)).toBe(3n);
      expect([bits(RS, 71), bits(WS, 71)]).toEqual([[r, 33], [70]]);
      expect(tsNs()).toBeGreaterThan(2_000_000_000n); // time left written back
      // timeout: sets come back empty
      expect(sys('read', 33, BUF, 64)).toBe(4n);
      clearSets();
      setBit(RS, 33);
      expect(sys('pselect6', 34, RS, 0, 0, timespec(0, 50_000_000), 0)).toBe(0n);
      expect(bits(RS, 34)).toEqual([]);
      expect(tsNs()).toBe(0n);
      // a set bit for a closed fd is EBADF
      clearSets();
      setBit(RS, 40);
      expect(sys('pselect6', 41, RS, 0, 0, timespec(0, 0), 0)).toBe(BigInt(-EBADF));
      expect(sys('pselect6', -1, 0, 0, 0, 0, 0)).toBe(BigInt(-EINVAL));
    });
  }

  it('select takes a timeval and writes the time left back; pselect6 passes its sigmask on', () => {
    const [r, w] = pipe();
    clearSets();
    setBit(RS, r);
    mem.writeU64(TS, 0n, true); mem.writeU64(TS + 8, 80_000n, true); // 80 ms
    const t0 = Date.now();
    expect(sys('select', r + 1, RS, 0, 0, TS)).toBe(0n);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(75);
    expect([mem.readU64(TS, true), mem.readU64(TS + 8, true)]).toEqual([0n, 0n]);
    writeStr(w, 'z');
    clearSets(); setBit(RS, r);
    mem.writeU64(TS, 10n, true); mem.writeU64(TS + 8, 0n, true);
    expect(sys('select', r + 1, RS, 0, 0, TS)).toBe(1n);
    expect(mem.readU64(TS, true)).toBe(9n);
    expect(mem.readU64(TS + 8, true)).toBeGreaterThan(900_000n);
    // pselect6's sixth argument: { sigset_t *ss; size_t ss_len }
    mem.writeU64(SIG + 16, 0xf0n, true);
    mem.writeU64(SIG, BigInt(SIG + 16), true); mem.writeU64(SIG + 8, 8n, true);
    clearSets(); setBit(RS, r);
    expect(sys('pselect6', r + 1, RS, 0, 0, timespec(0, 0), SIG)).toBe(1n);
    expect(t.masks).toEqual([0xf0n]);
    // an infinite select returns as soon as an fd is ready
    clearSets(); setBit(WS, w);
    expect(sys('select', w + 1, 0, WS, 0, 0)).toBe(1n);
  });
});

describe('eventfd2', () => {
  const u64 = () => mem.readU64(BUF, le());
  const put = (v: bigint) => { mem.writeU64(BUF, v, le()); return sys('write', efd, BUF, 8); };
  let efd: number;

  it('counter semantics: initval, adds, read resets, EAGAIN when zero (EFD_NONBLOCK), 8-byte rule', () => {
    efd = Number(sys('eventfd2', 3, genericFileAbi.O.NONBLOCK | genericFileAbi.O.CLOEXEC));
    expect(efd).toBeGreaterThanOrEqual(0);
    expect(t.files.getCloexec(efd)).toBe(true);
    expect(sys('read', efd, BUF, 8)).toBe(8n);
    expect(u64()).toBe(3n);
    expect(sys('read', efd, BUF, 8)).toBe(BigInt(-EAGAIN));
    expect(put(5n)).toBe(8n);
    expect(put(6n)).toBe(8n);
    expect(sys('read', efd, BUF, 8)).toBe(8n);
    expect(u64()).toBe(11n);
    expect(sys('read', efd, BUF, 4)).toBe(BigInt(-EINVAL));
    expect(put(0xffff_ffff_ffff_ffffn)).toBe(BigInt(-EINVAL));
    expect(sys('eventfd2', 0, 0x4000_0000)).toBe(BigInt(-EINVAL));
  });

  it('polls writable always and readable when non-zero; EFD_SEMAPHORE reads 1 at a time', () => {
    efd = Number(sys('eventfd2', 0, 1 /* EFD_SEMAPHORE */ | genericFileAbi.O.NONBLOCK));
    pollfds([[efd, POLLIN | POLLOUT]]);
    expect(sys('ppoll', FDS, 1, timespec(0, 0), 0, 8)).toBe(1n);
    expect(revents(0)).toBe(POLLOUT);
    expect(put(2n)).toBe(8n);
    expect(sys('ppoll', FDS, 1, timespec(0, 0), 0, 8)).toBe(1n);
    expect(revents(0)).toBe(POLLIN | POLLOUT);
    for (let i = 0; i < 2; i++) { expect(sys('read', efd, BUF, 8)).toBe(8n); expect(u64()).toBe(1n); }
    expect(sys('read', efd, BUF, 8)).toBe(BigInt(-EAGAIN));
  });

  it('a big-endian guest reads and writes its counter in its own byte order', () => {
    t.files.closeAll();
    t = makeThread({ endian: 'big', wordSize: 32, machine: 'mips' });
    efd = Number(sys('eventfd2', 0, genericFileAbi.O.NONBLOCK));
    expect(put(0x0102_0304_0506n)).toBe(8n);
    expect(host.eventfdRead(t.files.hostFd(efd))).toBe(0x0102_0304_0506n);
    host.eventfdWrite(t.files.hostFd(efd), 42n);
    expect(sys('read', efd, BUF, 8)).toBe(8n);
    expect(u64()).toBe(42n);
  });

  it('a blocking eventfd read returns a set counter at once, and is interruptible while zero', () => {
    efd = Number(sys('eventfd2', 0, 0));
    host.eventfdWrite(t.files.hostFd(efd), 7n);
    expect(sys('read', efd, BUF, 8)).toBe(8n);
    expect(u64()).toBe(7n);
    const wake = host.eventfd(1, 0); // already poked
    let asked = 0;
    t.files.setInterrupter({ wakeFd: wake, wakeCell: { array: new Int32Array(new SharedArrayBuffer(4)), index: 0 }, pending: () => { asked++; host.eventfdRead(wake); return true; } });
    expect(sys('read', efd, BUF, 8)).toBe(-4n); // EINTR
    expect(asked).toBe(1);
    host.close(wake);
  });
});

describe('broken pipes', () => {
  it('host SIGPIPE is ignored; a write without readers is EPIPE and sends the thread SIGPIPE', () => {
    expect(host.sigpipeIgnored()).toBe(true);
    const [r, w] = pipe();
    sys('close', r);
    expect(writeStr(w, 'lost')).toBe(BigInt(-EPIPE));
    expect(t.signals).toEqual(['SIGPIPE']);
    mem.writeU64(BUF, BigInt(BUF + 0x100), true); mem.writeU64(BUF + 8, 4n, true);
    expect(sys('writev', w, BUF, 1)).toBe(BigInt(-EPIPE));
    expect(t.signals).toEqual(['SIGPIPE', 'SIGPIPE']);
    expect(sys('write', 99, BUF, 1)).toBe(BigInt(-EBADF));
    expect(t.signals.length).toBe(2);
  });
});
