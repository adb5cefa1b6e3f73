/**
 * Time, system information, limits, identity and debug output.
 */
import * as os from 'node:os';
import { fail } from '../../../servers/common/errno.js';
import { B_BAD_VALUE, B_OK } from '../abi/errors.js';
import {
  B_HAIKU_ABI_GCC_4, CLOCK, CPU_INFO_SIZE, encodeSystemInfo, RLIMIT_NOFILE, RLIMIT_TO_BLOCK,
} from '../abi/system.js';
import { B_ABSOLUTE_TIMEOUT, systemTimeUs } from '../servers/shared-table.js';
import { MAX_PORTS } from '../servers/ports.js';
import { MAX_SEMS } from '../servers/sems.js';
import { MAX_THREADS } from '../servers/threads.js';
import { restartable } from './restartable.js';
import { cstr, i64, int, ptr, size, u32, type HaikuSyscallGroup } from './types.js';

const U64_MAX = (1n << 64n) - 1n;

export const systemSyscalls: HaikuSyscallGroup = {
  is_computer_on: { args: [], fn: () => 1, cacheable: true },
  system_time: { args: [], fn: () => systemTimeUs() },
  snooze_etc: {
    args: ['i64', 'int', 'hex', 'ptr'],
    fn: (t, a) => {
      const us = i64(a[0]);
      const flags = int(a[2]);
      const end = flags & B_ABSOLUTE_TIMEOUT ? us : systemTimeUs() + (us < 0n ? 0n : us);
      return restartable(t, 'snooze_etc', B_ABSOLUTE_TIMEOUT, end, () => {
        for (;;) {
          const left = end - systemTimeUs();
          if (left <= 0n) return B_OK;
          if (t.kernel.sleep(Math.max(1, Number(left) / 1000))) t.interruptPoint();
        }
      });
    },
  },
  get_clock: {
    args: ['int', 'ptr'],
    fn: (t, a) => {
      const id = int(a[0]);
      let us: bigint;
      if (id === CLOCK.REALTIME) us = BigInt(Date.now()) * 1000n;
      else if (id === CLOCK.MONOTONIC) us = systemTimeUs();
      else if (id === CLOCK.PROCESS_CPUTIME || id === CLOCK.THREAD_CPUTIME) { const u = process.cpuUsage(); us = BigInt(u.user + u.system); }
      else return B_BAD_VALUE;
      t.mem.writeU64(ptr(a[1]), us);
      return B_OK;
    },
  },
  get_timezone: {
    args: ['ptr', 'ptr', 'int'],
    fn: (t, a) => {
      const offset = -new Date().getTimezoneOffset() * 60;
      if (ptr(a[0])) t.mem.writeU32(ptr(a[0]), offset);
      const cap = size(a[2]);
      if (ptr(a[1]) && cap > 0) {
        const name = Buffer.from(`${Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC'}`.slice(0, cap - 1) + '\0', 'latin1');
        t.mem.writeBytes(ptr(a[1]), name);
      }
      return B_OK;
    },
  },
  get_real_time_clock_is_gmt: { args: ['ptr'], fn: (t, a) => { if (ptr(a[0])) t.mem.writeU8(ptr(a[0]), 1); return B_OK; } },
  get_system_info: {
    args: ['ptr'],
    fn: (t, a) => {
      const total = BigInt(os.totalmem());
      const free = BigInt(os.freemem());
      const bytes = encodeSystemInfo({
        bootTime: BigInt(Math.round((Date.now() - os.uptime() * 1000) * 1000)),
        cpuCount: os.cpus().length || 1,
        maxPages: total / 4096n, usedPages: (total - free) / 4096n, cachedPages: 0n, freeMemory: free,
        neededMemory: total - free, pageFaults: 0,
        maxSems: MAX_SEMS, usedSems: t.team.sems.used, maxPorts: MAX_PORTS, usedPorts: t.team.ports.used,
        maxThreads: MAX_THREADS, usedThreads: Math.max(1, t.team.threads.used), maxTeams: 1 << 16, usedTeams: 1,
        kernelName: 'compat (Haiku personality)', buildDate: 'Jan  1 2024', buildTime: '00:00:00',
        kernelVersion: 1n, abi: B_HAIKU_ABI_GCC_4,
      });
      t.mem.writeBytes(ptr(a[0]), bytes);
      return B_OK;
    },
  },
  get_cpu_info: {
    args: ['int', 'int', 'ptr'],
    fn: (t, a) => {
      const first = u32(a[0]);
      const count = u32(a[1]);
      const cpus = os.cpus();
      if (first >= Math.max(1, cpus.length) || count === 0) return B_BAD_VALUE;
      const n = Math.min(count, Math.max(1, cpus.length) - first);
      for (let i = 0; i < n; i++) {
        const c = cpus[first + i];
        const b = new Uint8Array(CPU_INFO_SIZE);
        const v = new DataView(b.buffer);
        if (c) {
          v.setBigInt64(0, BigInt(Math.round((c.times.user + c.times.sys + c.times.nice + c.times.irq) * 1000)), true);
          v.setBigUint64(16, BigInt(c.speed) * 1_000_000n, true);
        }
        b[8] = 1;
        t.mem.writeBytes(ptr(a[2]) + i * CPU_INFO_SIZE, b);
      }
      return B_OK;
    },
  },
  getrlimit: {
    args: ['int', 'ptr'],
    fn: (t, a) => {
      const r = RLIMIT_TO_BLOCK[int(a[0])];
      if (r === undefined) return B_BAD_VALUE;
      let { cur, max } = t.kernel.process.rlimit(r);
      if (int(a[0]) === RLIMIT_NOFILE) cur = BigInt(t.files.fdLimit);
      t.mem.writeU64(ptr(a[1]), cur === U64_MAX ? U64_MAX : cur);
      t.mem.writeU64(ptr(a[1]) + 8, max);
      return B_OK;
    },
  },
  setrlimit: {
    args: ['int', 'ptr'],
    fn: (t, a) => {
      const r = RLIMIT_TO_BLOCK[int(a[0])];
      if (r === undefined) return B_BAD_VALUE;
      const cur = t.mem.readU64(ptr(a[1]));
      const max = t.mem.readU64(ptr(a[1]) + 8);
      if (cur > max) throw fail('EINVAL');
      const old = t.kernel.process.rlimit(r);
      if (max > old.max && old.max !== 0n) throw fail('EPERM');
      t.kernel.process.setRlimit(r, cur, max);
      if (int(a[0]) === RLIMIT_NOFILE) t.files.fdLimit = cur > 0x7fffffffn ? 0x7fffffff : Number(cur);
      return B_OK;
    },
  },
  debug_output: {
    args: ['str'],
    fn: (t, a) => {
      t.info(`debug_output: ${cstr(t, ptr(a[0]), 4096).replace(/\n$/, '')}`);
      return B_OK;
    },
  },
  ktrace_output: { args: ['str'], fn: () => B_OK },
  getuid: { args: ['int'], fn: (_t, a) => (int(a[0]) ? process.geteuid?.() : process.getuid?.()) ?? 0, cacheable: false },
  getgid: { args: ['int'], fn: (_t, a) => (int(a[0]) ? process.getegid?.() : process.getgid?.()) ?? 0, cacheable: false },
};
