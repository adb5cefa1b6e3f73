/**
 * timerfd_create, timerfd_settime, timerfd_gettime (and the *_time64 forms
 * of 32-bit arches) over the files server's timerfd kind
 * (servers/files/kinds/timerfd.ts). Arch facts: TFD_CLOEXEC / TFD_NONBLOCK
 * are the arch's O_CLOEXEC / O_NONBLOCK; struct itimerspec is two struct
 * timespecs (interval, then value) of C longs, or of 64-bit fields in the
 * *_time64 calls. Clock ids and TFD_TIMER_* are the same everywhere.
 */
import { fail } from '../../../servers/common/errno.js';
import { readTimespec, timePairSize, writeTimespec } from './guest-struct.js';
import { int, ptr, type LinuxThread, type SyscallGroup } from './types.js';

/** The clocks a timerfd can use: REALTIME, MONOTONIC, BOOTTIME, REALTIME_ALARM, BOOTTIME_ALARM. */
const TIMERFD_CLOCKS = new Set([0, 1, 7, 8, 9]);
const TFD_TIMER_ABSTIME = 1, TFD_TIMER_CANCEL_ON_SET = 2;


function create(t: LinuxThread, clock: number, flags: number): number {
  const O = t.arch.file.O;
  if (flags & ~(O.CLOEXEC | O.NONBLOCK)) throw fail('EINVAL');
  if (!TIMERFD_CLOCKS.has(clock)) throw fail('EINVAL');
  return t.files.timerfd(clock, { cloexec: (flags & O.CLOEXEC) !== 0, nonblock: (flags & O.NONBLOCK) !== 0 });
}

function writeSpec(t: LinuxThread, addr: number, v: { intervalNs: bigint; valueNs: bigint }, time64: boolean): void {
  writeTimespec(t, addr, v.intervalNs, time64);
  writeTimespec(t, addr + timePairSize(t, time64), v.valueNs, time64);
}

function settime(t: LinuxThread, a: readonly bigint[], time64: boolean): number {
  const flags = int(a[1]);
  if (flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) throw fail('EINVAL');
  const at = ptr(a[2]);
  const intervalNs = readTimespec(t, at, time64);
  const valueNs = readTimespec(t, at + timePairSize(t, time64), time64);
  if (intervalNs === null || valueNs === null) throw fail('EINVAL');
  const old = t.files.setTimer(int(a[0]), { intervalNs, valueNs }, {
    abstime: (flags & TFD_TIMER_ABSTIME) !== 0, cancelOnSet: (flags & TFD_TIMER_CANCEL_ON_SET) !== 0,
  });
  if (ptr(a[3])) writeSpec(t, ptr(a[3]), old, time64);
  return 0;
}

function gettime(t: LinuxThread, a: readonly bigint[], time64: boolean): number {
  writeSpec(t, ptr(a[1]), t.files.getTimer(int(a[0])), time64);
  return 0;
}

export const timerfdSyscalls: SyscallGroup = {
  timerfd_create: { name: 'timerfd_create', fn: (t, a) => create(t, int(a[0]), int(a[1])), args: ['int', 'hex'] },
  timerfd_settime: { name: 'timerfd_settime', fn: (t, a) => settime(t, a, false), args: ['fd', 'hex', 'ptr', 'ptr'] },
  timerfd_settime64: { name: 'timerfd_settime64', fn: (t, a) => settime(t, a, true), args: ['fd', 'hex', 'ptr', 'ptr'] },
  timerfd_gettime: { name: 'timerfd_gettime', fn: (t, a) => gettime(t, a, false), args: ['fd', 'ptr'] },
  timerfd_gettime64: { name: 'timerfd_gettime64', fn: (t, a) => gettime(t, a, true), args: ['fd', 'ptr'] },
};
