/**
 * Identity and system information: ids, uname, sysinfo, resource limits and
 * usage, getrandom, scheduler queries, prctl. Answers that cannot change are
 * marked `cacheable` so the stub serves them from its result cache.
 */
import * as os from 'node:os';
import { randomFillSync } from 'node:crypto';
import { fail } from '../../../servers/common/errno.js';
import { RLIM_INFINITY } from '../process-state.js';
import { GuestStruct, readLongs } from './guest-struct.js';
import { int, ptr, ulong, type LinuxThread, type SyscallGroup } from './types.js';

let jailHostname: string | null = null;

/** The host name the run's jail shows (uname's nodename); null: the host's. */
export function setJailHostname(name: string | null): void {
  jailHostname = name;
}

function utsname(t: LinuxThread): Uint8Array {
  const f = 65;
  const s = new GuestStruct(t, f * 6);
  s.str(0, 'Linux', f)
    .str(f, jailHostname ?? os.hostname(), f)
    .str(2 * f, os.release(), f)
    .str(3 * f, os.version(), f)
    .str(4 * f, t.arch.machine, f)
    .str(5 * f, '(none)', f);
  return s.data;
}

function sysinfo(t: LinuxThread, a: readonly bigint[]): number {
  const w = t.arch.wordSize / 8;
  const s = new GuestStruct(t, w === 8 ? 112 : 64);
  const load = os.loadavg().map((l) => BigInt(Math.round(l * 65536)));
  s.long(0, Math.floor(os.uptime()));
  s.long(1, load[0]).long(2, load[1]).long(3, load[2]);
  s.long(4, os.totalmem()).long(5, os.freemem()).long(6, 0).long(7, 0).long(8, 0).long(9, 0);
  // procs (u16) then padding, totalhigh, freehigh, mem_unit (u32)
  const procsOff = 10 * w;
  s.u16(procsOff, 1);
  const after = procsOff + (w === 8 ? 8 : 4);
  s.u32(after + 2 * w, 1);
  s.writeTo(t, ptr(a[0]));
  return 0;
}

/** The guest's resource number as the runtime stores it. */
const generic = (t: LinuxThread, r: number): number => t.arch.rlimitToGeneric?.[r] ?? r;

function rlimitsOut(t: LinuxThread, addr: number, resource: number): void {
  const r = t.proc.rlimit(generic(t, resource));
  const s = new GuestStruct(t, 2 * (t.arch.wordSize / 8));
  // 32-bit arches' getrlimit saturates at RLIM_INFINITY of their own width
  const clamp = (v: bigint): bigint => (t.arch.wordSize === 32 && v > 0xffff_ffffn ? 0xffff_ffffn : v);
  s.long(0, clamp(r.cur)).long(1, clamp(r.max));
  s.writeTo(t, addr);
}

function prlimit64(t: LinuxThread, a: readonly bigint[]): number {
  const pid = int(a[0]);
  const resource = int(a[1]);
  const newp = ptr(a[2]);
  const oldp = ptr(a[3]);
  if (pid !== 0 && pid !== t.id.pid) throw fail('ESRCH');
  if (resource < 0 || resource > 15) throw fail('EINVAL');
  const cur = t.proc.rlimit(generic(t, resource));
  if (oldp) {
    const s = new GuestStruct(t, 16);
    s.u64(0, cur.cur).u64(8, cur.max);
    s.writeTo(t, oldp);
  }
  if (newp) {
    const le = t.arch.endian === 'little';
    const nc = t.mem.readU64(newp, le);
    const nm = t.mem.readU64(newp + 8, le);
    setLimit(t, generic(t, resource), nc, nm);
  }
  return 0;
}

function setLimit(t: LinuxThread, resource: number, cur: bigint, max: bigint): void {
  const old = t.proc.rlimit(resource);
  if (cur > max) throw fail('EINVAL');
  if (max > old.max && t.id.euid !== 0) throw fail('EPERM');
  t.proc.setRlimit(resource, { cur, max });
}

function setrlimit(t: LinuxThread, a: readonly bigint[]): number {
  const [c, m] = readLongs(t, ptr(a[1]), 2);
  const widen = (v: bigint): bigint => (t.arch.wordSize === 32 && BigInt.asUintN(32, v) === 0xffff_ffffn ? RLIM_INFINITY : BigInt.asUintN(64, v));
  const r = int(a[0]);
  if (r < 0 || r > 15) throw fail('EINVAL');
  setLimit(t, generic(t, r), widen(c), widen(m));
  return 0;
}

const CPU_TIME = (): { user: bigint; sys: bigint } => {
  const u = process.cpuUsage();
  return { user: BigInt(u.user), sys: BigInt(u.system) };
};

function getrusage(t: LinuxThread, a: readonly bigint[]): number {
  const who = int(a[0]);
  if (who !== 0 && who !== -1 && who !== 1) throw fail('EINVAL');
  const w = t.arch.wordSize / 8;
  const s = new GuestStruct(t, 2 * 2 * w + 14 * w);
  if (who !== -1) {
    const { user, sys } = CPU_TIME();
    s.long(0, user / 1_000_000n).long(1, user % 1_000_000n);
    s.long(2, sys / 1_000_000n).long(3, sys % 1_000_000n);
    s.long(4, BigInt(Math.round(process.resourceUsage().maxRSS)));
  }
  s.writeTo(t, ptr(a[1]));
  return 0;
}

function times(t: LinuxThread, a: readonly bigint[]): bigint {
  const { user, sys } = CPU_TIME();
  const ticks = (us: bigint): bigint => us / 10_000n; // CLK_TCK 100
  if (ptr(a[0])) {
    const s = new GuestStruct(t, 4 * (t.arch.wordSize / 8));
    s.long(0, ticks(user)).long(1, ticks(sys)).long(2, 0).long(3, 0);
    s.writeTo(t, ptr(a[0]));
  }
  return BigInt(Math.floor(performance.now() / 10)) + 1_000_000n;
}

function getrandom(t: LinuxThread, a: readonly bigint[]): number {
  const len = Math.min(ulong(a[1]), 33554431);
  const flags = int(a[2]);
  if (flags & ~7) throw fail('EINVAL');
  const view = t.mem.writableView(ptr(a[0]), len);
  // SAB-backed views cannot go to randomFillSync directly in every Node: fill a copy
  const tmp = new Uint8Array(len);
  randomFillSync(tmp);
  view.set(tmp);
  return len;
}

function schedGetaffinity(t: LinuxThread, a: readonly bigint[]): number {
  const len = ulong(a[1]);
  const n = Math.max(1, os.availableParallelism());
  const bytes = Math.max(t.arch.wordSize / 8, Math.ceil(n / 64) * 8);
  if (len < bytes || len % (t.arch.wordSize / 8) !== 0) throw fail('EINVAL');
  const mask = new Uint8Array(bytes);
  for (let i = 0; i < n; i++) mask[i >> 3] |= 1 << (i & 7);
  t.mem.writeBytes(ptr(a[2]), mask);
  return bytes;
}

const PR_SET_CHILD_SUBREAPER = 36;
const PR_GET_CHILD_SUBREAPER = 37;
const PR_SET_NAME = 15;
const PR_GET_NAME = 16;
const PR_SET_PDEATHSIG = 1;
const PR_GET_PDEATHSIG = 2;
const PR_GET_DUMPABLE = 3;
const PR_SET_DUMPABLE = 4;

function prctl(t: LinuxThread, a: readonly bigint[]): number {
  const op = int(a[0]);
  switch (op) {
    case PR_SET_NAME: {
      const { bytes } = t.mem.readCString(ptr(a[1]), 16);
      t.thread.threadName = Buffer.from(bytes.subarray(0, 15)).toString('latin1');
      return 0;
    }
    case PR_GET_NAME: {
      const name = Buffer.alloc(16);
      name.write(t.thread.threadName.slice(0, 15), 'latin1');
      t.mem.writeBytes(ptr(a[1]), name);
      return 0;
    }
    case PR_SET_CHILD_SUBREAPER: t.kernel.setSubreaper(a[1] !== 0n); t.thread.subreaper = a[1] !== 0n; return 0;
    case PR_GET_CHILD_SUBREAPER: t.mem.writeU32(ptr(a[1]), t.thread.subreaper ? 1 : 0, t.arch.endian === 'little'); return 0;
    case PR_SET_PDEATHSIG: case PR_SET_DUMPABLE: return 0;
    case PR_GET_PDEATHSIG: t.mem.writeU32(ptr(a[1]), 0, t.arch.endian === 'little'); return 0;
    case PR_GET_DUMPABLE: return 1;
    default: throw fail('EINVAL');
  }
}

const id = (f: (t: LinuxThread) => number) => (t: LinuxThread): number => f(t);

function getresid(t: LinuxThread, a: readonly bigint[], ids: [number, number, number]): number {
  const le = t.arch.endian === 'little';
  t.mem.writeU32(ptr(a[0]), ids[0], le);
  t.mem.writeU32(ptr(a[1]), ids[1], le);
  t.mem.writeU32(ptr(a[2]), ids[2], le);
  return 0;
}

/** set*id: only the values the process already has are accepted for a non-root guest. */
function setIds(t: LinuxThread, kind: 'uid' | 'gid', r: number, e: number, s: number): number {
  const i = t.id;
  const cur = kind === 'uid' ? [i.uid, i.euid, i.suid] : [i.gid, i.egid, i.sgid];
  const allowed = (v: number): boolean => v === -1 || i.euid === 0 || cur.includes(v);
  if (![r, e, s].every(allowed)) throw fail('EPERM');
  if (kind === 'uid') {
    if (r !== -1) i.uid = r; if (e !== -1) i.euid = e; if (s !== -1) i.suid = s;
  } else {
    if (r !== -1) i.gid = r; if (e !== -1) i.egid = e; if (s !== -1) i.sgid = s;
  }
  t.invalidateCache();
  return 0;
}

function getgroups(t: LinuxThread, a: readonly bigint[]): number {
  const n = int(a[0]);
  const g = t.id.groups;
  if (n === 0) return g.length;
  if (n < g.length) throw fail('EINVAL');
  const le = t.arch.endian === 'little';
  g.forEach((v, k) => t.mem.writeU32(ptr(a[1]) + 4 * k, v, le));
  return g.length;
}

export const systemSyscalls: SyscallGroup = {
  getpid: { name: 'getpid', fn: id((t) => t.id.pid), args: [], cacheable: true },
  gettid: { name: 'gettid', fn: id((t) => t.id.tid), args: [], cacheable: true },
  getuid: { name: 'getuid', fn: id((t) => t.id.uid), args: [], cacheable: true },
  geteuid: { name: 'geteuid', fn: id((t) => t.id.euid), args: [], cacheable: true },
  getgid: { name: 'getgid', fn: id((t) => t.id.gid), args: [], cacheable: true },
  getegid: { name: 'getegid', fn: id((t) => t.id.egid), args: [], cacheable: true },
  getresuid: { name: 'getresuid', fn: (t, a) => getresid(t, a, [t.id.uid, t.id.euid, t.id.suid]), args: ['ptr', 'ptr', 'ptr'] },
  getresgid: { name: 'getresgid', fn: (t, a) => getresid(t, a, [t.id.gid, t.id.egid, t.id.sgid]), args: ['ptr', 'ptr', 'ptr'] },
  setuid: { name: 'setuid', fn: (t, a) => setIds(t, 'uid', int(a[0]), int(a[0]), t.id.euid === 0 ? int(a[0]) : -1), args: ['int'] },
  setgid: { name: 'setgid', fn: (t, a) => setIds(t, 'gid', int(a[0]), int(a[0]), t.id.euid === 0 ? int(a[0]) : -1), args: ['int'] },
  setreuid: { name: 'setreuid', fn: (t, a) => setIds(t, 'uid', int(a[0]), int(a[1]), -1), args: ['int', 'int'] },
  setregid: { name: 'setregid', fn: (t, a) => setIds(t, 'gid', int(a[0]), int(a[1]), -1), args: ['int', 'int'] },
  setresuid: { name: 'setresuid', fn: (t, a) => setIds(t, 'uid', int(a[0]), int(a[1]), int(a[2])), args: ['int', 'int', 'int'] },
  setresgid: { name: 'setresgid', fn: (t, a) => setIds(t, 'gid', int(a[0]), int(a[1]), int(a[2])), args: ['int', 'int', 'int'] },
  setfsuid: { name: 'setfsuid', fn: (t) => t.id.euid, args: ['int'] },
  setfsgid: { name: 'setfsgid', fn: (t) => t.id.egid, args: ['int'] },
  getgroups: { name: 'getgroups', fn: getgroups, args: ['int', 'ptr'] },
  setgroups: { name: 'setgroups', fn: (t) => { if (t.id.euid !== 0) throw fail('EPERM'); return 0; }, args: ['int', 'ptr'] },
  uname: { name: 'uname', fn: (t, a) => { t.mem.writeBytes(ptr(a[0]), utsname(t)); return 0; }, args: ['ptr'], cacheOut: utsname },
  sysinfo: { name: 'sysinfo', fn: sysinfo, args: ['ptr'] },
  getrlimit: { name: 'getrlimit', fn: (t, a) => { const r = int(a[0]); if (r < 0 || r > 15) throw fail('EINVAL'); rlimitsOut(t, ptr(a[1]), r); return 0; }, args: ['int', 'ptr'] },
  ugetrlimit: { name: 'ugetrlimit', fn: (t, a) => { const r = int(a[0]); if (r < 0 || r > 15) throw fail('EINVAL'); rlimitsOut(t, ptr(a[1]), r); return 0; }, args: ['int', 'ptr'] },
  setrlimit: { name: 'setrlimit', fn: setrlimit, args: ['int', 'ptr'] },
  prlimit64: { name: 'prlimit64', fn: prlimit64, args: ['int', 'int', 'ptr', 'ptr'] },
  getrusage: { name: 'getrusage', fn: getrusage, args: ['int', 'ptr'] },
  times: { name: 'times', fn: times, args: ['ptr'] },
  getrandom: { name: 'getrandom', fn: getrandom, args: ['ptr', 'uint', 'hex'] },
  sched_getaffinity: { name: 'sched_getaffinity', fn: schedGetaffinity, args: ['int', 'uint', 'ptr'] },
  sched_setaffinity: { name: 'sched_setaffinity', fn: () => 0, args: ['int', 'uint', 'ptr'] },
  sched_yield: { name: 'sched_yield', fn: () => 0, args: [] },
  sched_getscheduler: { name: 'sched_getscheduler', fn: () => 0, args: ['int'] },
  sched_getparam: { name: 'sched_getparam', fn: (t, a) => { t.mem.writeU32(ptr(a[1]), 0); return 0; }, args: ['int', 'ptr'] },
  sched_get_priority_max: { name: 'sched_get_priority_max', fn: (_t, a) => (int(a[0]) === 1 || int(a[0]) === 2 ? 99 : 0), args: ['int'] },
  sched_get_priority_min: { name: 'sched_get_priority_min', fn: (_t, a) => (int(a[0]) === 1 || int(a[0]) === 2 ? 1 : 0), args: ['int'] },
  getpriority: { name: 'getpriority', fn: () => 20, args: ['int', 'int'] },
  setpriority: { name: 'setpriority', fn: () => 0, args: ['int', 'int', 'int'] },
  getcpu: { name: 'getcpu', fn: (t, a) => { if (ptr(a[0])) t.mem.writeU32(ptr(a[0]), 0); if (ptr(a[1])) t.mem.writeU32(ptr(a[1]), 0); return 0; }, args: ['ptr', 'ptr', 'ptr'] },
  prctl: { name: 'prctl', fn: prctl, args: ['int', 'hex', 'hex', 'hex', 'hex'] },
  personality: { name: 'personality', fn: (t, a) => { const old = t.proc.personality; if (int(a[0]) !== -1) t.proc.personality = int(a[0]); return old; }, args: ['hex'] },
  capget: { name: 'capget', fn: (t, a) => { if (ptr(a[1])) t.mem.writeBytes(ptr(a[1]), new Uint8Array(24)); return 0; }, args: ['ptr', 'ptr'] },
};
