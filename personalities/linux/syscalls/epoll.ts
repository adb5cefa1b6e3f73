/**
 * Linux epoll (epoll_create, epoll_create1, epoll_ctl, epoll_wait,
 * epoll_pwait, epoll_pwait2), written once for every arch over the files
 * server's epoll kind (servers/files/kinds/epoll.ts). Event bits and op
 * numbers are Linux's on every arch; struct epoll_event is ABI data
 * (`layouts.epollEvent`: packed only on x86-64). The waits are never
 * restarted after a handler (signal(7)): EINTR.
 */
import { fail } from '../../../servers/common/errno.js';
import type { EpollOp } from '../../../servers/files/kinds/epoll.js';
import { readStruct, writeStruct } from '../abi/file-abi.js';
import { readSigset, timespecArg } from './poll.js';
import { int, ptr, ulong, type LinuxThread, type SyscallGroup } from './types.js';

const OPS: Readonly<Record<number, EpollOp>> = { 1: 'add', 2: 'del', 3: 'mod' };

/** The most events compat takes from the host in one call (Linux may return fewer than asked for). */
const MAX_TAKE = 1024;

function create(t: LinuxThread, flags: number): number {
  const CLOEXEC = t.arch.file.O.CLOEXEC;
  if (flags & ~CLOEXEC) throw fail('EINVAL');
  return t.files.epollCreate({ cloexec: (flags & CLOEXEC) !== 0 });
}

function ctl(t: LinuxThread, a: readonly bigint[]): number {
  const op = OPS[int(a[1])];
  if (!op) throw fail('EINVAL');
  let events = 0, data = 0n;
  if (op !== 'del') {
    const abi = t.arch.file;
    const ev = readStruct(t.mem, ptr(a[3]), abi, abi.layouts.epollEvent);
    events = Number(ev.events);
    data = BigInt(ev.data as bigint | number);
  }
  t.files.epollCtl(int(a[0]), op, int(a[2]), events, data);
  return 0;
}

/** epoll_wait and its twins: `timeoutNs` null waits forever; `mask` is held while waiting. */
function wait(t: LinuxThread, a: readonly bigint[], timeoutNs: bigint | null, mask: bigint | null): number {
  const abi = t.arch.file;
  const L = abi.layouts.epollEvent;
  const max = int(a[2]);
  if (max <= 0 || max > Math.floor(0x7fffffff / L.size)) throw fail('EINVAL');
  const out = ptr(a[1]);
  // as the kernel: no check of the buffer before waiting; writing the events there faults (EFAULT)
  if (mask !== null) t.setTemporaryMask(mask);
  const ready = t.files.epollWait(int(a[0]), Math.min(max, MAX_TAKE), timeoutNs);
  ready.forEach((e, i) => writeStruct(t.mem, out + i * L.size, abi, L, { events: e.events >>> 0, data: e.data }));
  return ready.length;
}

const msTimeout = (ms: number): bigint | null => (ms < 0 ? null : BigInt(ms) * 1_000_000n);

function sigmaskArg(t: LinuxThread, addr: number, size: number): bigint | null {
  return addr === 0 ? null : readSigset(t, addr, size);
}

const defs: SyscallGroup[string][] = [
  { name: 'epoll_create', args: ['int'], fn: (t, a) => { if (int(a[0]) <= 0) throw fail('EINVAL'); return create(t, 0); } },
  { name: 'epoll_create1', args: ['hex'], fn: (t, a) => create(t, int(a[0])) },
  { name: 'epoll_ctl', args: ['int', 'int', 'int', 'ptr'], fn: ctl },
  { name: 'epoll_wait', args: ['int', 'ptr', 'int', 'int'], fn: (t, a) => wait(t, a, msTimeout(int(a[3])), null) },
  {
    name: 'epoll_pwait', args: ['int', 'ptr', 'int', 'int', 'ptr', 'uint'],
    fn: (t, a) => wait(t, a, msTimeout(int(a[3])), sigmaskArg(t, ptr(a[4]), ulong(a[5]))),
  },
  {
    name: 'epoll_pwait2', args: ['int', 'ptr', 'int', 'ptr', 'ptr', 'uint'],
    fn: (t, a) => wait(t, a, ptr(a[3]) === 0 ? null : timespecArg(t, ptr(a[3]), true), sigmaskArg(t, ptr(a[4]), ulong(a[5]))),
  },
];

/** epoll, by kernel name. */
export const epollSyscalls: SyscallGroup = Object.fromEntries(defs.map((d) => [d.name, d]));
