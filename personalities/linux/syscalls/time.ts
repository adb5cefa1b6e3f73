/**
 * Clocks and sleeping: clock_gettime/getres, gettimeofday, time, nanosleep,
 * clock_nanosleep. Host time comes from node (hrtime for monotonic clocks,
 * the wall clock anchored once to hrtime for realtime).
 */
import { fail } from '../../../servers/common/errno.js';
import { GuestStruct, readTimespec, writeTimespec } from './guest-struct.js';
import { int, ptr, type LinuxThread, type SyscallGroup } from './types.js';

const CLOCK_REALTIME = 0;
const CLOCK_MONOTONIC = 1;
const CLOCK_PROCESS_CPUTIME_ID = 2;
const CLOCK_THREAD_CPUTIME_ID = 3;
const CLOCK_MONOTONIC_RAW = 4;
const CLOCK_REALTIME_COARSE = 5;
const CLOCK_MONOTONIC_COARSE = 6;
const CLOCK_BOOTTIME = 7;
const CLOCK_REALTIME_ALARM = 8;
const CLOCK_BOOTTIME_ALARM = 9;
const CLOCK_TAI = 11;
const TIMER_ABSTIME = 1;

const realtimeAnchor = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();

export function clockNs(clock: number): bigint {
  switch (clock) {
    case CLOCK_REALTIME: case CLOCK_REALTIME_COARSE: case CLOCK_REALTIME_ALARM: case CLOCK_TAI:
      return process.hrtime.bigint() + realtimeAnchor;
    case CLOCK_MONOTONIC: case CLOCK_MONOTONIC_RAW: case CLOCK_MONOTONIC_COARSE:
    case CLOCK_BOOTTIME: case CLOCK_BOOTTIME_ALARM:
      return process.hrtime.bigint();
    case CLOCK_PROCESS_CPUTIME_ID: case CLOCK_THREAD_CPUTIME_ID: {
      const u = process.cpuUsage();
      return BigInt(u.user + u.system) * 1000n;
    }
    default:
      throw fail('EINVAL');
  }
}

function clockGettime(t: LinuxThread, a: readonly bigint[], time64 = false): number {
  const ns = clockNs(int(a[0]));
  writeTimespec(t, ptr(a[1]), ns, time64);
  return 0;
}

function clockGetres(t: LinuxThread, a: readonly bigint[], time64 = false): number {
  const clock = int(a[0]);
  clockNs(clock); // validates
  const coarse = clock === CLOCK_REALTIME_COARSE || clock === CLOCK_MONOTONIC_COARSE;
  if (ptr(a[1])) writeTimespec(t, ptr(a[1]), coarse ? 4_000_000n : 1n, time64);
  return 0;
}

function gettimeofday(t: LinuxThread, a: readonly bigint[]): number {
  const ns = clockNs(CLOCK_REALTIME);
  if (ptr(a[0])) {
    const s = new GuestStruct(t, 2 * (t.arch.wordSize / 8));
    s.long(0, ns / 1_000_000_000n).long(1, (ns % 1_000_000_000n) / 1000n);
    s.writeTo(t, ptr(a[0]));
  }
  if (ptr(a[1])) t.mem.writeBytes(ptr(a[1]), new Uint8Array(8));
  return 0;
}

/**
 * Sleeps until `clock` reaches `deadline`; a signal that will be handled ends
 * the sleep early with EINTR, writing the time left to `remAddr` (relative sleeps).
 */
function sleepUntil(t: LinuxThread, clock: number, deadline: bigint, remAddr: number, time64 = false): number {
  for (;;) {
    const left = deadline - clockNs(clock);
    if (left <= 0n) return 0;
    if (t.signals.interrupting()) {
      if (remAddr) writeTimespec(t, remAddr, left, time64);
      // resumed by restart_syscall when no handler runs: the same deadline, so only the time left
      t.restartBlock = { call: 'nanosleep', resume: () => sleepUntil(t, clock, deadline, remAddr, time64) };
      throw fail('EINTR');
    }
    t.kernel.sleep(Math.max(1, Math.ceil(Number(left) / 1e6)));
  }
}

function nanosleep(t: LinuxThread, a: readonly bigint[]): number {
  const ns = readTimespec(t, ptr(a[0]));
  if (ns === null) throw fail('EINVAL');
  return sleepUntil(t, CLOCK_MONOTONIC, clockNs(CLOCK_MONOTONIC) + ns, ptr(a[1]));
}

function clockNanosleep(t: LinuxThread, a: readonly bigint[], time64 = false): number {
  const clock = int(a[0]);
  const flags = int(a[1]);
  if (clock === CLOCK_THREAD_CPUTIME_ID) throw fail('EINVAL');
  const ns = readTimespec(t, ptr(a[2]), time64);
  if (ns === null) throw fail('EINVAL');
  const abs = (flags & TIMER_ABSTIME) !== 0;
  return sleepUntil(t, clock, abs ? ns : clockNs(clock) + ns, abs ? 0 : ptr(a[3]), time64);
}

export const timeSyscalls: SyscallGroup = {
  clock_gettime: { name: 'clock_gettime', fn: (t, a) => clockGettime(t, a), args: ['int', 'ptr'] },
  clock_gettime64: { name: 'clock_gettime64', fn: (t, a) => clockGettime(t, a, true), args: ['int', 'ptr'] },
  clock_getres: { name: 'clock_getres', fn: (t, a) => clockGetres(t, a), args: ['int', 'ptr'] },
  clock_getres_time64: { name: 'clock_getres_time64', fn: (t, a) => clockGetres(t, a, true), args: ['int', 'ptr'] },
  gettimeofday: { name: 'gettimeofday', fn: gettimeofday, args: ['ptr', 'ptr'] },
  time: {
    name: 'time',
    fn: (t, a) => {
      const s = clockNs(CLOCK_REALTIME) / 1_000_000_000n;
      if (ptr(a[0])) new GuestStruct(t, t.arch.wordSize / 8).long(0, s).writeTo(t, ptr(a[0]));
      return s;
    },
    args: ['ptr'],
  },
  nanosleep: { name: 'nanosleep', fn: nanosleep, args: ['ptr', 'ptr'] },
  clock_nanosleep: { name: 'clock_nanosleep', fn: (t, a) => clockNanosleep(t, a), args: ['int', 'hex', 'ptr', 'ptr'] },
  clock_nanosleep_time64: { name: 'clock_nanosleep_time64', fn: (t, a) => clockNanosleep(t, a, true), args: ['int', 'hex', 'ptr', 'ptr'] },
};
