/**
 * Linux poll, ppoll, select, pselect6 (and their time64 twins on 32-bit
 * arches), written once for every arch over the files server's neutral
 * `poll` (interruptible: EINTR, the stub/runtime decides about restarts).
 *
 * Arch facts used: word size and byte order (fd_set words, timespec/timeval,
 * sigset words, struct pollfd), the sigset size (_NSIG / 8), and the MIPS
 * POLLWRNORM/POLLWRBAND values.
 */
import { fail, isServerError } from '../../../servers/common/errno.js';
import { POLL, type PollRequest } from '../../../servers/files/types.js';
import { int, ptr, ulong, type LinuxThread, type SyscallGroup } from './types.js';
import { readTimespec, writeTimespec } from './guest-struct.js';

const NS = 1_000_000_000n;

// ---- arch details ------------------------------------------------------------------

const isMips = (t: LinuxThread): boolean => t.arch.machine.startsWith('mips');

/** Guest poll event bits → the server's (only MIPS differs: POLLWRNORM == POLLOUT, POLLWRBAND 0x100). */
function eventsIn(t: LinuxThread, ev: number): number {
  ev &= 0xffff;
  if (!isMips(t)) return ev;
  let n = ev & ~0x100;
  if (ev & 0x100) n |= POLL.WRBAND;
  if (ev & POLL.OUT) n |= POLL.WRNORM;
  return n;
}

function eventsOut(t: LinuxThread, rev: number): number {
  if (!isMips(t)) return rev;
  let g = rev & ~(POLL.WRNORM | POLL.WRBAND);
  if (rev & POLL.WRBAND) g |= 0x100;
  if (rev & POLL.WRNORM) g |= POLL.OUT;
  return g;
}

const le = (t: LinuxThread): boolean => t.arch.endian === 'little';

function readWord(t: LinuxThread, addr: number, bits: 32 | 64): bigint {
  return bits === 64 ? t.mem.readU64(addr, le(t)) : BigInt(t.mem.readU32(addr, le(t)));
}

function writeWord(t: LinuxThread, addr: number, bits: 32 | 64, v: bigint): void {
  if (bits === 64) t.mem.writeU64(addr, BigInt.asUintN(64, v), le(t));
  else t.mem.writeU32(addr, Number(BigInt.asUintN(32, v)), le(t));
}

/** A timespec (`time64`: 64-bit fields on every arch) → ns; EINVAL when malformed. */
export function timespecArg(t: LinuxThread, addr: number, time64: boolean): bigint {
  const ns = readTimespec(t, addr, time64);
  if (ns === null) throw fail('EINVAL');
  return ns;
}

/** struct timeval (select): two longs. */
function readTimeval(t: LinuxThread, addr: number): bigint {
  const bits = t.arch.wordSize;
  const sec = BigInt.asIntN(bits, readWord(t, addr, bits));
  const usec = BigInt.asIntN(bits, readWord(t, addr + bits / 8, bits));
  if (sec < 0n || usec < 0n || usec >= 1_000_000n) throw fail('EINVAL');
  return sec * NS + usec * 1000n;
}

function writeTimeval(t: LinuxThread, addr: number, ns: bigint): void {
  const bits = t.arch.wordSize;
  writeWord(t, addr, bits, ns / NS);
  writeWord(t, addr + bits / 8, bits, (ns % NS) / 1000n);
}

/** What is left of `timeoutNs` (null: no timeout) since `started`, host monotonic ns. */
function timeLeft(timeoutNs: bigint | null, started: bigint): bigint {
  if (timeoutNs === null) return 0n;
  const left = timeoutNs - (process.hrtime.bigint() - started);
  return left > 0n ? left : 0n;
}

/** Writes the time left back as Linux does for select/pselect6/ppoll: not for null or zero timeouts, faults ignored. */
function writeBack(write: () => void, timeoutNs: bigint | null): void {
  if (timeoutNs === null || timeoutNs === 0n) return;
  try { write(); } catch { /* Linux ignores a failed copy of the remaining time */ }
}

/** The kernel's sigset size (_NSIG / 8). */
const sigsetBytes = (t: LinuxThread): number => t.arch.signals.max / 8;

/** Reads a sigset_t (arch words, arch byte order) as a bit mask (bit n-1 = signal n). */
export function readSigset(t: LinuxThread, addr: number, size: number): bigint {
  if (size !== sigsetBytes(t)) throw fail('EINVAL');
  const bits = t.arch.wordSize;
  let mask = 0n;
  for (let i = 0; i < size / (bits / 8); i++) mask |= readWord(t, addr + i * (bits / 8), bits) << BigInt(i * bits);
  return mask;
}

function applyMask(t: LinuxThread, mask: bigint | null): void {
  if (mask !== null) t.setTemporaryMask(mask);
}

// ---- poll / ppoll --------------------------------------------------------------------

function doPoll(t: LinuxThread, fdsAddr: number, nfds: number, timeoutNs: bigint | null): number {
  if (nfds < 0 || nfds > t.files.fdLimit) throw fail('EINVAL');
  const L = le(t);
  const reqs: PollRequest[] = [];
  for (let i = 0; i < nfds; i++) {
    const at = fdsAddr + 8 * i;
    reqs.push({ fd: t.mem.readU32(at, L) | 0, events: eventsIn(t, t.mem.readU16(at + 4, L)) });
  }
  if (nfds > 0) t.mem.writableView(fdsAddr, 8 * nfds); // EFAULT before waiting
  const r = t.files.poll(reqs, timeoutNs);
  for (let i = 0; i < nfds; i++) t.mem.writeU16(fdsAddr + 8 * i + 6, eventsOut(t, r.revents[i]) & 0xffff, L);
  return r.count;
}

/** poll(2): waits until `deadline` (host monotonic ns, null: forever); interrupted, it resumes with the same deadline. */
function pollUntil(t: LinuxThread, fdsAddr: number, nfds: number, deadline: bigint | null): number {
  const left = deadline === null ? null : deadline - process.hrtime.bigint();
  try {
    return doPoll(t, fdsAddr, nfds, left === null ? null : left < 0n ? 0n : left);
  } catch (e) {
    if (isServerError(e) && e.errno === 'EINTR') t.restartBlock = { call: 'poll', resume: () => pollUntil(t, fdsAddr, nfds, deadline) };
    throw e;
  }
}

function ppoll(t: LinuxThread, a: readonly bigint[], time64: boolean): number {
  const tsp = ptr(a[2]);
  const timeoutNs = tsp === 0 ? null : timespecArg(t, tsp, time64);
  const mask = ptr(a[3]) === 0 ? null : readSigset(t, ptr(a[3]), ulong(a[4]));
  applyMask(t, mask);
  const started = process.hrtime.bigint();
  try {
    return doPoll(t, ptr(a[0]), Number(BigInt.asUintN(32, a[1])), timeoutNs);
  } finally {
    // the time left, also when interrupted (a restart then goes on with it)
    writeBack(() => writeTimespec(t, tsp, timeLeft(timeoutNs, started), time64), timeoutNs);
  }
}

// ---- select / pselect6 ----------------------------------------------------------------

/** Where fd `fd`'s bit lives in an fd_set (unsigned long words in arch byte order). */
function fdBit(t: LinuxThread, fd: number): [byte: number, mask: number] {
  const W = t.arch.wordSize;
  const B = W / 8;
  const inWord = fd % W;
  const byteInWord = le(t) ? inWord >> 3 : B - 1 - (inWord >> 3);
  return [Math.floor(fd / W) * B + byteInWord, 1 << (fd & 7)];
}

const SEL_IN = POLL.RDNORM | POLL.RDBAND | POLL.IN | POLL.HUP | POLL.ERR;
const SEL_OUT = POLL.WRBAND | POLL.WRNORM | POLL.OUT | POLL.ERR;
const SEL_EX = POLL.PRI;

function doSelect(t: LinuxThread, nfdsArg: number, sets: [number, number, number], timeoutNs: bigint | null): number {
  if (nfdsArg < 0) throw fail('EINVAL');
  const nfds = Math.min(nfdsArg, t.files.fdLimit);
  const W = t.arch.wordSize;
  const bytes = Math.ceil(nfds / W) * (W / 8);
  const inSets = sets.map((p) => (p === 0 || bytes === 0 ? null : new Uint8Array(t.mem.view(p, bytes)))) as (Uint8Array | null)[];
  const reqs: PollRequest[] = [];
  const which: number[][] = [];
  for (let fd = 0; fd < nfds; fd++) {
    const [byte, m] = fdBit(t, fd);
    const want = inSets.map((s) => s !== null && (s[byte] & m) !== 0);
    if (!want.some(Boolean)) continue;
    if (!t.files.isOpen(fd) || t.files.get(fd).pathOnly) throw fail('EBADF');
    reqs.push({ fd, events: (want[0] ? SEL_IN : 0) | (want[1] ? SEL_OUT : 0) | (want[2] ? SEL_EX : 0) });
    which.push([want[0] ? 1 : 0, want[1] ? 1 : 0, want[2] ? 1 : 0]);
  }
  for (let i = 0; i < 3; i++) if (inSets[i]) t.mem.writableView(sets[i], bytes); // EFAULT before waiting
  const r = t.files.poll(reqs, timeoutNs);
  const out = inSets.map((s) => (s ? new Uint8Array(s.length) : null));
  let count = 0;
  reqs.forEach((q, k) => {
    const rev = r.revents[k];
    if (rev & POLL.NVAL) throw fail('EBADF');
    const [byte, m] = fdBit(t, q.fd);
    const hit = [(rev & SEL_IN) !== 0, (rev & SEL_OUT) !== 0, (rev & SEL_EX) !== 0];
    for (let i = 0; i < 3; i++) {
      if (which[k][i] && hit[i]) { out[i]![byte] |= m; count++; }
    }
  });
  for (let i = 0; i < 3; i++) if (out[i]) t.mem.writeBytes(sets[i], out[i]!);
  return count;
}

function select(t: LinuxThread, a: readonly bigint[]): number {
  const tvp = ptr(a[4]);
  const timeoutNs = tvp === 0 ? null : readTimeval(t, tvp);
  const started = process.hrtime.bigint();
  try {
    return doSelect(t, int(a[0]), [ptr(a[1]), ptr(a[2]), ptr(a[3])], timeoutNs);
  } finally {
    // the time left, also when interrupted (a restart then goes on with it)
    writeBack(() => writeTimeval(t, tvp, timeLeft(timeoutNs, started)), timeoutNs);
  }
}

function pselect6(t: LinuxThread, a: readonly bigint[], time64: boolean): number {
  const tsp = ptr(a[4]);
  const timeoutNs = tsp === 0 ? null : timespecArg(t, tsp, time64);
  let mask: bigint | null = null;
  const sig = ptr(a[5]);
  if (sig !== 0) {
    // struct { const sigset_t *ss; size_t ss_len; }: two words
    const W = t.arch.wordSize;
    const ss = Number(readWord(t, sig, W));
    const len = Number(readWord(t, sig + W / 8, W));
    if (ss !== 0) mask = readSigset(t, ss, len);
  }
  applyMask(t, mask);
  const started = process.hrtime.bigint();
  try {
    return doSelect(t, int(a[0]), [ptr(a[1]), ptr(a[2]), ptr(a[3])], timeoutNs);
  } finally {
    // the time left, also when interrupted (a restart then goes on with it)
    writeBack(() => writeTimespec(t, tsp, timeLeft(timeoutNs, started), time64), timeoutNs);
  }
}

// ---- the table ---------------------------------------------------------------------------

const defs: SyscallGroup[string][] = [
  {
    name: 'poll', args: ['ptr', 'uint', 'int'],
    fn: (t, a) => {
      const ms = int(a[2]);
      return pollUntil(t, ptr(a[0]), Number(BigInt.asUintN(32, a[1])), ms < 0 ? null : process.hrtime.bigint() + BigInt(ms) * 1_000_000n);
    },
  },
  { name: 'ppoll', args: ['ptr', 'uint', 'ptr', 'ptr', 'uint'], fn: (t, a) => ppoll(t, a, false) },
  { name: 'ppoll_time64', args: ['ptr', 'uint', 'ptr', 'ptr', 'uint'], fn: (t, a) => ppoll(t, a, true) },
  { name: 'select', args: ['int', 'ptr', 'ptr', 'ptr', 'ptr'], fn: select },
  { name: '_newselect', args: ['int', 'ptr', 'ptr', 'ptr', 'ptr'], fn: select },
  { name: 'pselect6', args: ['int', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr'], fn: (t, a) => pselect6(t, a, false) },
  { name: 'pselect6_time64', args: ['int', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr'], fn: (t, a) => pselect6(t, a, true) },
];

/** poll and select, by kernel name. */
export const pollSyscalls: SyscallGroup = Object.fromEntries(defs.map((d) => [d.name, d]));
