/**
 * Processes and threads: fork, vfork, clone, execve, wait4, waitid, the
 * process-group and session calls, and futex. The runtime (t.kernel) starts
 * workers and keeps the process table; this file speaks the Linux ABI.
 */
import { fail } from '../../../servers/common/errno.js';
import { sharedFileHooks } from '../../../servers/files/mapping.js';
import { execHostPath } from '../exec-path.js';
import { ReplaceImage } from '../../../src/kernel/exit.js';
import type { ChildEvent, SpawnImage, WaitRequest, WaitResult } from '../../../src/kernel/services.js';
import { TB, PB } from '../../../src/kernel/shared.js';
import { MAX_SLOTS, SLOT_SIZE } from '../../../src/isa/riscv64/state.js';
import { GuestStruct, readTimespec } from './guest-struct.js';
import { clockNs } from './time.js';
import { int, ptr, u32, NO_RESULT, type LinuxThread, type SyscallGroup } from './types.js';
import { bswap32 } from '../../../src/memory/byte-order.js';

export const CLONE = {
  VM: 0x100, FS: 0x200, FILES: 0x400, SIGHAND: 0x800, PIDFD: 0x1000, PTRACE: 0x2000, VFORK: 0x4000,
  PARENT: 0x8000, THREAD: 0x10000, NEWNS: 0x20000, SYSVSEM: 0x40000, SETTLS: 0x80000,
  PARENT_SETTID: 0x100000, CHILD_CLEARTID: 0x200000, DETACHED: 0x400000, UNTRACED: 0x800000,
  CHILD_SETTID: 0x1000000, NEWCGROUP: 0x2000000, NEWUTS: 0x4000000, NEWIPC: 0x8000000,
  NEWUSER: 0x10000000, NEWPID: 0x20000000, NEWNET: 0x40000000, IO: 0x80000000,
} as const;

const NAMESPACE_FLAGS = CLONE.NEWNS | CLONE.NEWCGROUP | CLONE.NEWUTS | CLONE.NEWIPC | CLONE.NEWUSER | CLONE.NEWPID | CLONE.NEWNET;

/** What a new thread or child process carries over from this one. */
export interface LinuxSpawnState {
  carry: import('../process-state.js').ProcessCarry;
  cpu: unknown;
  tid: number;
  clearChildTid: number;
  childSetTid: number;
  parentSetTid: number;
  sigmask: string;
  identity: import('./types.js').ProcessIdentity;
}

function carryOf(t: LinuxThread): import('../process-state.js').ProcessCarry {
  return {
    execPath: t.proc.execPath,
    hostExePath: t.proc.hostExePath,
    personality: t.proc.personality,
    threadName: t.thread.threadName,
    altstack: { ...t.thread.altstack },
    trampoline: t.proc.trampoline,
  };
}

/** Reserves a register-file slot for a new thread of this process (bitmap in the process block). */
function allocSlot(t: LinuxThread): number {
  const i32 = t.proc.block.i32;
  for (let s = 1; s < MAX_SLOTS; s++) {
    const word = PB.SLOTS + (s >> 5);
    const bit = 1 << (s & 31);
    const old = Atomics.or(i32, word, bit);
    if ((old & bit) === 0) return s;
  }
  throw fail('EAGAIN');
}

/**
 * vfork / clone(CLONE_VM|CLONE_VFORK) (posix_spawn): the child runs in this
 * process's memory, with its own register slot and fd table, while the
 * parent waits until the child execs or exits.
 */
function vfork(t: LinuxThread, flags: number, stack: number, ptid: number, ctid: number): number {
  const slot = allocSlot(t);
  t.mem.u8.copyWithin(slot * SLOT_SIZE, t.slot * SLOT_SIZE, (t.slot + 1) * SLOT_SIZE);
  const files = t.files.forkCopy();
  const block = t.proc.block.fork();
  const state = {
    carry: carryOf(t),
    cpu: t.cpu.save(),
    tid: 0,
    clearChildTid: (flags & CLONE.CHILD_CLEARTID) ? ctid : 0,
    childSetTid: (flags & CLONE.CHILD_SETTID) ? ctid : 0,
    parentSetTid: 0,
    sigmask: t.thread.sigmask.toString(),
    identity: { ...t.id },
    stack: stack ? String(stack) : '',
    tls: '',
    vforkOf: { block: t.proc.block.sab, slot },
  };
  let pid: number;
  try {
    pid = t.kernel.spawnProcess({
      memory: t.mem.memory,
      regions: t.proc.regions.share(),
      files: files.share(),
      processBlock: block.sab,
      slot,
      isa: t.core.isa,
      endian: t.arch.endian,
      personality: 'linux',
      state,
    }, { vfork: true });
  } catch (e) {
    files.closeAll(); // no child: its copies of our fds must not stay open
    t.proc.block.releaseSlot(slot);
    throw e;
  }
  if (flags & CLONE.PARENT_SETTID) t.mem.writeU32(ptid, pid, t.arch.endian === 'little');
  return pid;
}

function fork(t: LinuxThread, flags: number, stack: number, tls: bigint, ptid: number, ctid: number): number {
  if ((flags & CLONE.VM) && (flags & CLONE.VFORK)) return vfork(t, flags, stack, ptid, ctid);
  const childMem = t.mem.clone();
  const regions = t.proc.regions.cloneInto(childMem, sharedFileHooks.dup);
  const files = (flags & CLONE.FILES) ? null : t.files.forkCopy();
  if (flags & CLONE.FILES) t.warnOnce('clone-files', 'clone(CLONE_FILES) without CLONE_VM: the child gets a copy of the fd table');
  const block = t.proc.block.fork();
  const cpu = t.cpu.save();
  const child: LinuxSpawnState = {
    carry: carryOf(t),
    cpu,
    tid: 0,
    clearChildTid: (flags & CLONE.CHILD_CLEARTID) ? ctid : 0,
    childSetTid: (flags & CLONE.CHILD_SETTID) ? ctid : 0,
    parentSetTid: 0,
    sigmask: t.thread.sigmask.toString(),
    identity: { ...t.id },
  };
  const childFiles = files ?? t.files.forkCopy();
  const image: SpawnImage = {
    memory: childMem.memory,
    regions: regions.share(),
    files: childFiles.share(),
    processBlock: block.sab,
    slot: t.slot,
    isa: t.core.isa,
    endian: t.arch.endian,
    personality: 'linux',
    state: { ...child, stack: stack ? String(stack) : '', tls: (flags & CLONE.SETTLS) ? tls.toString() : '' },
  };
  let pid: number;
  try {
    pid = t.kernel.spawnProcess(image);
  } catch (e) {
    // no child (EAGAIN at the process limit): its copies of our fds and file mappings must not stay open
    childFiles.closeAll();
    regions.releaseAll();
    throw e;
  }
  if (flags & CLONE.PARENT_SETTID) t.mem.writeU32(ptid, pid, t.arch.endian === 'little');
  return pid;
}

function spawnThread(t: LinuxThread, flags: number, stack: number, tls: bigint, ptid: number, ctid: number): number {
  if (!(flags & CLONE.SIGHAND) || !(flags & CLONE.VM)) throw fail('EINVAL');
  const tid = t.kernel.allocTid();
  const slot = allocSlot(t);
  // the new thread starts with a copy of our registers in its own slot
  t.mem.u8.copyWithin(slot * SLOT_SIZE, t.slot * SLOT_SIZE, (t.slot + 1) * SLOT_SIZE);
  const le = t.arch.endian === 'little';
  if (flags & CLONE.PARENT_SETTID) t.mem.writeU32(ptid, tid, le);
  if (flags & CLONE.CHILD_SETTID) t.mem.writeU32(ctid, tid, le);
  const state: LinuxSpawnState & { stack: string; tls: string } = {
    carry: carryOf(t),
    cpu: t.cpu.save(),
    tid,
    clearChildTid: (flags & CLONE.CHILD_CLEARTID) ? ctid : 0,
    childSetTid: 0,
    parentSetTid: 0,
    sigmask: t.thread.sigmask.toString(),
    identity: { ...t.id, tid },
    stack: stack ? String(stack) : '',
    tls: (flags & CLONE.SETTLS) ? tls.toString() : '',
  };
  Atomics.add(t.proc.block.i32, PB.THREADS, 1);
  t.kernel.spawnThread({
    memory: t.mem.memory,
    regions: t.proc.regions.share(),
    files: t.files.share(),
    processBlock: t.proc.block.sab,
    slot,
    isa: t.core.isa,
    endian: t.arch.endian,
    personality: 'linux',
    state,
  }, tid);
  return tid;
}

/** x86-64 arch_prctl: the FS and GS bases (ARCH_SET_GS 0x1001, SET_FS 0x1002, GET_FS 0x1003, GET_GS 0x1004). */
function archPrctl(t: LinuxThread, a: readonly bigint[]): number {
  const code = Number(BigInt.asUintN(32, a[0]));
  const seg = (t.core as unknown as { s?: { fsBase: number; gsBase: number } }).s;
  if (t.core.isa !== 'x86_64' || seg === undefined) throw fail('EINVAL');
  const v = BigInt.asUintN(64, a[1]);
  switch (code) {
    case 0x1001: case 0x1002:
      if (v >= 1n << 47n) throw fail('EPERM');
      if (code === 0x1002) seg.fsBase = Number(v); else seg.gsBase = Number(v);
      return 0;
    case 0x1003: case 0x1004: {
      const b = new Uint8Array(8);
      new DataView(b.buffer).setBigUint64(0, BigInt(code === 0x1003 ? seg.fsBase : seg.gsBase), true);
      t.mem.writeBytes(ptr(a[1]), b);
      return 0;
    }
    default: throw fail('EINVAL');
  }
}

/** clone's argument order differs between arches; riscv64/x86-64 style: flags, stack, ptid, tls, ctid. */
function clone(t: LinuxThread, a: readonly bigint[]): number {
  const order = (t.arch as { cloneArgs?: 'flags-stack-ptid-tls-ctid' | 'flags-stack-ptid-ctid-tls' }).cloneArgs ?? 'flags-stack-ptid-tls-ctid';
  const flags = Number(BigInt.asUintN(32, a[0]));
  const stack = ptr(a[1]);
  const ptid = ptr(a[2]);
  const tls = order === 'flags-stack-ptid-tls-ctid' ? a[3] : a[4];
  const ctid = ptr(order === 'flags-stack-ptid-tls-ctid' ? a[4] : a[3]);
  if (flags & NAMESPACE_FLAGS) throw fail('EPERM');
  if ((flags & CLONE.THREAD) && !(flags & CLONE.SIGHAND)) throw fail('EINVAL');
  if ((flags & CLONE.SIGHAND) && !(flags & CLONE.VM)) throw fail('EINVAL');
  if (flags & CLONE.THREAD) return spawnThread(t, flags, stack, tls, ptid, ctid);
  if (flags & CLONE.VM) {
    // vfork-style (posix_spawn): the child gets a copy of memory; it runs on the stack it was given
    if (!(flags & CLONE.VFORK)) t.warnOnce('clone-vm', 'clone(CLONE_VM) without CLONE_THREAD runs the child in a copy of memory');
  }
  return fork(t, flags, stack, tls, ptid, ctid);
}

// ---- exec ----------------------------------------------------------------------

function readStringArray(t: LinuxThread, addr: number): string[] {
  const out: string[] = [];
  if (addr === 0) return out;
  const w = t.arch.wordSize / 8;
  const le = t.arch.endian === 'little';
  for (let i = 0; ; i++) {
    if (i > 0x20000) throw fail('E2BIG');
    const p = w === 8 ? Number(t.mem.readU64(addr + i * 8, le) & 0xffff_ffffn) : t.mem.readU32(addr + i * 4, le);
    if (p === 0) return out;
    const s = t.mem.readCString(p, 131072);
    if (!s.terminated) throw fail('E2BIG');
    out.push(Buffer.from(s.bytes).toString('latin1'));
  }
}

function execve(t: LinuxThread, dirfd: number | 'cwd', a: readonly bigint[], flagsArg = 0): typeof NO_RESULT {
  const pathBytes = t.mem.readCString(ptr(a[0]), 4096);
  if (!pathBytes.terminated) throw fail('ENAMETOOLONG');
  const path = Buffer.from(pathBytes.bytes).toString('latin1');
  const argv = readStringArray(t, ptr(a[1]));
  const envp = readStringArray(t, ptr(a[2]));
  if (path === '' && !(flagsArg & 0x1000)) throw fail('ENOENT');
  const hostPath = execHostPath(t, dirfd, path, (flagsArg & 0x1000) !== 0);
  const next = t.kernel.execImage({ hostPath, guestPath: path, argv, envp, files: t.files, sigmask: t.thread.sigmask, actions: t.proc.block });
  throw new ReplaceImage(next.core, next.trap);
}

// ---- wait ------------------------------------------------------------------------

const WNOHANG = 1;
const WUNTRACED = 2;
const WSTOPPED = 2;
const WEXITED = 4;
const WCONTINUED = 8;
const WNOWAIT = 0x0100_0000;

/** The W* status word of a child event, with signal numbers in this arch's numbering. */
function waitStatus(t: LinuxThread, ev: ChildEvent): number {
  const sig = (name: string): number => t.arch.signals.byName.get(name) ?? 0;
  switch (ev.kind) {
    case 'exited': return (ev.code & 0xff) << 8;
    case 'killed': return sig(ev.signal) | (ev.core ? 0x80 : 0);
    case 'stopped': return (sig(ev.signal) << 8) | 0x7f;
    case 'continued': return 0xffff;
  }
}

function writeRusage(t: LinuxThread, addr: number, r: WaitResult | null): void {
  if (!addr) return;
  const w = t.arch.wordSize / 8;
  const s = new GuestStruct(t, 4 * w + 14 * w);
  if (r) {
    s.long(0, Math.floor(r.utime / 1e6)).long(1, r.utime % 1e6);
    s.long(2, Math.floor(r.stime / 1e6)).long(3, r.stime % 1e6);
  }
  s.writeTo(t, addr);
}

function wait4(t: LinuxThread, a: readonly bigint[]): number {
  const pid = int(a[0]);
  const statusAddr = ptr(a[1]);
  const options = int(a[2]);
  if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | 0x2000_0000 | 0x4000_0000 | 0x8000_0000)) throw fail('EINVAL');
  const req: WaitRequest = { pid, exited: true, stopped: (options & WUNTRACED) !== 0, continued: (options & WCONTINUED) !== 0, peek: false };
  const r = t.kernel.wait(req, (options & WNOHANG) === 0);
  if (!r) return 0;
  if (statusAddr) t.mem.writeU32(statusAddr, waitStatus(t, r.event), t.arch.endian === 'little');
  writeRusage(t, ptr(a[3]), r);
  return r.pid;
}

const P_ALL = 0;
const P_PID = 1;
const P_PGID = 2;

function waitid(t: LinuxThread, a: readonly bigint[]): number {
  const idtype = int(a[0]);
  const id = int(a[1]);
  const infop = ptr(a[2]);
  const options = int(a[3]);
  if (!(options & (WEXITED | WSTOPPED | WCONTINUED))) throw fail('EINVAL');
  let pid: number;
  if (idtype === P_ALL) pid = -1;
  else if (idtype === P_PID) { if (id <= 0) throw fail('EINVAL'); pid = id; }
  else if (idtype === P_PGID) pid = id === 0 ? 0 : -id;
  else throw fail('EINVAL');
  const req: WaitRequest = {
    pid, exited: (options & WEXITED) !== 0, stopped: (options & WSTOPPED) !== 0,
    continued: (options & WCONTINUED) !== 0, peek: (options & WNOWAIT) !== 0,
  };
  const r = t.kernel.wait(req, (options & WNOHANG) === 0);
  if (infop) {
    const frames = t.arch.signalFrames;
    if (!r) t.mem.writeBytes(infop, new Uint8Array(128));
    else if (frames) {
      const ev = r.event;
      const sig = (name: string): number => t.arch.signals.byName.get(name) ?? 0;
      const code = ev.kind === 'exited' ? 'CLD_EXITED' : ev.kind === 'killed' ? (ev.core ? 'CLD_DUMPED' : 'CLD_KILLED') : ev.kind === 'stopped' ? 'CLD_STOPPED' : 'CLD_CONTINUED';
      const status = ev.kind === 'exited' ? ev.code : ev.kind === 'killed' ? sig(ev.signal) : ev.kind === 'stopped' ? sig(ev.signal) : sig('SIGCONT');
      t.mem.writeBytes(infop, frames.encodeSiginfo({ signo: sig('SIGCHLD'), code, pid: r.pid, uid: t.id.uid, status, utime: BigInt(r.utime), stime: BigInt(r.stime) }));
    }
  }
  writeRusage(t, ptr(a[4]), r);
  return 0;
}

// ---- futex -------------------------------------------------------------------------

const FUTEX_WAIT = 0;
const FUTEX_WAKE = 1;
const FUTEX_REQUEUE = 3;
const FUTEX_CMP_REQUEUE = 4;
const FUTEX_WAKE_OP = 5;
const FUTEX_WAIT_BITSET = 9;
const FUTEX_WAKE_BITSET = 10;
const FUTEX_PRIVATE = 128;
const FUTEX_CLOCK_REALTIME = 256;

/** A guest 32-bit word value as the host's Int32Array sees it in memory (byte-swapped for big-endian guests); its own inverse. */
function hostOrder(t: LinuxThread, v: number): number {
  return t.arch.endian === 'big' ? bswap32(v) : v | 0;
}

function futexWord(t: LinuxThread, addr: number): Int32Array {
  if (addr % 4 !== 0) throw fail('EINVAL');
  if (!t.mem.check(addr, 4, 1)) throw fail('EFAULT');
  return new Int32Array(t.mem.buffer);
}

function futexWait(t: LinuxThread, addr: number, val: number, timeoutNs: bigint | null): number {
  return futexWaitUntil(t, addr, val, timeoutNs === null ? Infinity : Date.now() + Number(timeoutNs) / 1e6);
}

/** Waits while the word at `addr` holds `val`, until `deadline` (Date.now ms); interrupted with a deadline, it resumes with it. */
function futexWaitUntil(t: LinuxThread, addr: number, val: number, deadline: number): number {
  const i32 = futexWord(t, addr);
  const idx = addr >>> 2;
  const want = hostOrder(t, val);
  const interrupted = (): never => {
    if (deadline !== Infinity) t.restartBlock = { call: 'futex', resume: () => futexWaitUntil(t, addr, val, deadline) };
    throw fail('EINTR');
  };
  if (t.signals.interrupting()) interrupted();
  Atomics.store(t.thread.block.i32, TB.FUTEX, addr);
  try {
    const left = deadline - Date.now();
    if (left <= 0) throw fail('ETIMEDOUT');
    const r = Atomics.wait(i32, idx, want, left === Infinity ? undefined : left);
    if (r === 'not-equal') throw fail('EAGAIN');
    if (r === 'timed-out') throw fail('ETIMEDOUT');
    if (t.signals.interrupting()) interrupted();
    return 0;
  } finally {
    Atomics.store(t.thread.block.i32, TB.FUTEX, 0);
  }
}

function futexWake(t: LinuxThread, addr: number, n: number): number {
  const i32 = futexWord(t, addr);
  return Atomics.notify(i32, addr >>> 2, n <= 0 ? 0 : n);
}

function wakeOp(t: LinuxThread, uaddr: number, n1: number, uaddr2: number, n2: number, opword: number): number {
  const i32 = futexWord(t, uaddr2);
  const op = (opword >>> 28) & 7;
  const cmp = (opword >>> 24) & 15;
  let oparg = (opword << 8) >> 20;
  const cmparg = (opword << 20) >> 20;
  if (opword & (8 << 28)) oparg = 1 << (oparg & 31);
  const idx = uaddr2 >>> 2;
  const apply = (v: number): number => {
    switch (op) {
      case 0: return oparg;
      case 1: return (v + oparg) | 0;
      case 2: return v | oparg;
      case 3: return v & ~oparg;
      case 4: return v ^ oparg;
      default: throw fail('ENOSYS');
    }
  };
  // the operation on the guest's value, in the guest's byte order, atomically
  let old: number;
  for (;;) {
    const seen = Atomics.load(i32, idx);
    old = hostOrder(t, seen);
    if (Atomics.compareExchange(i32, idx, seen, hostOrder(t, apply(old))) === seen) break;
  }
  let woken = futexWake(t, uaddr, n1);
  const c = [old === cmparg, old !== cmparg, old < cmparg, old <= cmparg, old > cmparg, old >= cmparg][cmp];
  if (c === undefined) throw fail('ENOSYS');
  if (c) woken += futexWake(t, uaddr2, n2);
  return woken;
}

function futex(t: LinuxThread, a: readonly bigint[], time64 = false): number {
  const addr = ptr(a[0]);
  const opFull = int(a[1]);
  const cmd = opFull & ~(FUTEX_PRIVATE | FUTEX_CLOCK_REALTIME);
  const val = u32(a[2]);
  switch (cmd) {
    case FUTEX_WAIT: {
      const ts = ptr(a[3]);
      const rel = ts ? readTimespec(t, ts, time64) : null;
      if (ts && rel === null) throw fail('EINVAL');
      return futexWait(t, addr, val, rel);
    }
    case FUTEX_WAIT_BITSET: {
      if (u32(a[5]) === 0) throw fail('EINVAL');
      const ts = ptr(a[3]);
      let rel: bigint | null = null;
      if (ts) {
        const abs = readTimespec(t, ts, time64);
        if (abs === null) throw fail('EINVAL');
        rel = abs - clockNs(opFull & FUTEX_CLOCK_REALTIME ? 0 : 1);
        if (rel < 0n) rel = 0n;
      }
      return futexWait(t, addr, val, rel);
    }
    case FUTEX_WAKE:
    case FUTEX_WAKE_BITSET:
      if (cmd === FUTEX_WAKE_BITSET && u32(a[5]) === 0) throw fail('EINVAL');
      return futexWake(t, addr, val);
    case FUTEX_REQUEUE:
    case FUTEX_CMP_REQUEUE: {
      const i32 = futexWord(t, addr);
      if (cmd === FUTEX_CMP_REQUEUE && Atomics.load(i32, addr >>> 2) !== hostOrder(t, u32(a[5]))) throw fail('EAGAIN');
      // waking instead of requeueing: woken waiters re-check their word and wait again where they must
      const n2 = Number(BigInt.asUintN(32, a[3]));
      return futexWake(t, addr, val + n2);
    }
    case FUTEX_WAKE_OP:
      return wakeOp(t, addr, val, ptr(a[4]), Number(BigInt.asUintN(32, a[3])), u32(a[5]));
    default:
      throw fail('ENOSYS');
  }
}

// ---- ids ---------------------------------------------------------------------------

export const processSyscalls: SyscallGroup = {
  clone: { name: 'clone', fn: clone, args: ['hex', 'ptr', 'ptr', 'hex', 'ptr'] },
  clone3: { name: 'clone3', fn: () => { throw fail('ENOSYS'); }, args: ['ptr', 'uint'] },
  fork: { name: 'fork', fn: (t) => fork(t, 17, 0, 0n, 0, 0), args: [] },
  vfork: { name: 'vfork', fn: (t) => fork(t, CLONE.VM | CLONE.VFORK | 17, 0, 0n, 0, 0), args: [] },
  execve: { name: 'execve', fn: (t, a) => execve(t, 'cwd', a), args: ['path', 'ptr', 'ptr'], ret: 'none' },
  execveat: {
    name: 'execveat',
    fn: (t, a) => execve(t, int(a[0]) === -100 ? 'cwd' : int(a[0]), [a[1], a[2], a[3]], int(a[4])),
    args: ['dirfd', 'path', 'ptr', 'ptr', 'hex'],
    ret: 'none',
  },
  wait4: { name: 'wait4', fn: wait4, args: ['int', 'ptr', 'hex', 'ptr'] },
  waitid: { name: 'waitid', fn: waitid, args: ['int', 'int', 'ptr', 'hex', 'ptr'] },
  getppid: { name: 'getppid', fn: (t) => t.kernel.ppid(), args: [] },
  setpgid: { name: 'setpgid', fn: (t, a) => { t.kernel.setpgid(int(a[0]), int(a[1])); return 0; }, args: ['int', 'int'] },
  getpgid: { name: 'getpgid', fn: (t, a) => t.kernel.getpgid(int(a[0])), args: ['int'] },
  getpgrp: { name: 'getpgrp', fn: (t) => t.kernel.getpgid(0), args: [] },
  setsid: { name: 'setsid', fn: (t) => t.kernel.setsid(), args: [] },
  getsid: { name: 'getsid', fn: (t, a) => t.kernel.getsid(int(a[0])), args: ['int'] },
  arch_prctl: { name: 'arch_prctl', fn: archPrctl, args: ['hex', 'ptr'] },
  set_thread_area: { name: 'set_thread_area', fn: (t, a) => { t.core.setThreadPointer(BigInt.asUintN(32, a[0])); return 0; }, args: ['ptr'] },
  futex_time64: { name: 'futex_time64', fn: (t, a) => futex(t, a, true), args: ['ptr', 'int', 'uint', 'ptr', 'ptr', 'hex'] },
  futex: { name: 'futex', fn: (t, a) => futex(t, a), args: ['ptr', 'int', 'uint', 'ptr', 'ptr', 'hex'] },
};

