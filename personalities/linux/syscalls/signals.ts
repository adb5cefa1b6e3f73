/**
 * Signal syscalls: dispositions (rt_sigaction), masks (rt_sigprocmask),
 * waiting (rt_sigsuspend, rt_sigtimedwait, rt_sigpending), sending (kill,
 * tkill, tgkill, rt_sigqueueinfo), the alternate stack, rt_sigreturn, and
 * the interval timers (setitimer/getitimer/alarm). Numbers are the arch's; the
 * runtime routes signals between processes by neutral name.
 */
import { fail } from '../../../servers/common/errno.js';
import { GuestFault } from '../../../src/memory/fault.js';
import { SS_DISABLE, SS_ONSTACK } from '../process-state.js';
import { lowestSignal } from '../../../servers/signals/pending.js';
import { GuestStruct, readLongs, readTimespec } from './guest-struct.js';
import { int, ptr, ulong, NO_RESULT, type LinuxThread, type SyscallGroup } from './types.js';
import { getCpuTimer, setCpuTimer, type CpuTimer } from '../../../servers/signals/cpu-timers.js';

/** sigset_t size the kernel accepts for rt_* calls (_NSIG / 8). */
export const sigsetSize = (t: LinuxThread): number => t.arch.signals.max / 8;

export function readSigset(t: LinuxThread, addr: number): bigint {
  const le = t.arch.endian === 'little';
  if (t.arch.wordSize === 64) return t.mem.readU64(addr, le);
  const lo = BigInt(t.mem.readU32(addr, le));
  const hi = BigInt(t.mem.readU32(addr + 4, le));
  return lo | (hi << 32n);
}

export function writeSigset(t: LinuxThread, addr: number, v: bigint): void {
  const le = t.arch.endian === 'little';
  const size = sigsetSize(t);
  const buf = new Uint8Array(size);
  const dv = new DataView(buf.buffer);
  if (t.arch.wordSize === 64) dv.setBigUint64(0, BigInt.asUintN(64, v), le);
  else { dv.setUint32(0, Number(v & 0xffff_ffffn), le); dv.setUint32(4, Number((v >> 32n) & 0xffff_ffffn), le); }
  t.mem.writeBytes(addr, buf);
}

/**
 * struct sigaction as the kernel reads it. asm-generic: handler, flags,
 * restorer, mask. Arches that differ (MIPS: flags first, no restorer) say so
 * with `sigactionLayout` in their arch record.
 */
function sigactionOffsets(t: LinuxThread): { handler: number; flags: number; restorer: number; mask: number; flagsSize: number } {
  const custom = (t.arch as { sigactionLayout?: { handler: number; flags: number; restorer: number; mask: number; flagsSize: number } }).sigactionLayout;
  if (custom) return custom;
  // asm-generic without SA_RESTORER (riscv64): handler, flags, mask
  const w = t.arch.wordSize / 8;
  return { handler: 0, flags: w, restorer: -1, mask: 2 * w, flagsSize: w };
}

function rtSigaction(t: LinuxThread, a: readonly bigint[]): number {
  const sig = int(a[0]);
  const act = ptr(a[1]);
  const old = ptr(a[2]);
  if (ulong(a[3]) !== sigsetSize(t)) throw fail('EINVAL');
  const name = t.arch.signals.byNumber.get(sig);
  if (!name || sig < 1 || sig > t.arch.signals.max) throw fail('EINVAL');
  const w = t.arch.wordSize / 8;
  const le = t.arch.endian === 'little';
  const L = sigactionOffsets(t);
  const cur = t.proc.action(sig);
  const readWord = (addr: number, size: number): bigint => (size === 8 ? t.mem.readU64(addr, le) : BigInt(t.mem.readU32(addr, le)));
  let next = null;
  if (act) {
    if (name === 'SIGKILL' || name === 'SIGSTOP') throw fail('EINVAL');
    next = {
      handler: readWord(act + L.handler, w),
      flags: readWord(act + L.flags, L.flagsSize),
      restorer: L.restorer >= 0 ? readWord(act + L.restorer, w) : 0n,
      mask: t.signals.sanitize(readSigset(t, act + L.mask)),
    };
  }
  if (old) {
    const size = Math.max(L.mask + 8, L.restorer + w);
    const buf = new Uint8Array(size);
    const dv = new DataView(buf.buffer);
    const put = (off: number, v: bigint, sz: number): void => {
      if (off < 0) return;
      if (sz === 8) dv.setBigUint64(off, BigInt.asUintN(64, v), le); else dv.setUint32(off, Number(BigInt.asUintN(32, v)), le);
    };
    put(L.handler, cur.handler, w);
    put(L.flags, cur.flags, L.flagsSize);
    put(L.restorer, cur.restorer, w);
    put(L.mask, cur.mask & 0xffff_ffffn, 4);
    put(L.mask + 4, cur.mask >> 32n, 4);
    t.mem.writeBytes(old, buf);
  }
  if (next) {
    t.proc.setAction(sig, next);
    // setting SIG_IGN (or SIG_DFL for a default-ignored signal) discards what is pending
    if (t.signals.isIgnored(sig)) {
      const bit = 1n << BigInt(sig - 1);
      t.thread.block.clearPending(bit);
      t.proc.block.takeProcPending(bit);
    }
  }
  return 0;
}

const SIG_BLOCK = 0;
const SIG_UNBLOCK = 1;
const SIG_SETMASK = 2;

export function setMask(t: LinuxThread, mask: bigint): void {
  t.thread.sigmask = t.signals.sanitize(mask);
  if (t.proc.block.procPending & ~t.thread.sigmask) t.kernel.maskChanged();
  if (t.signals.deliverable()) Atomics.store(t.thread.block.i32, 2, 1);
}

function rtSigprocmask(t: LinuxThread, a: readonly bigint[]): number {
  const how = int(a[0]);
  const set = ptr(a[1]);
  const old = ptr(a[2]);
  if (ulong(a[3]) !== sigsetSize(t)) throw fail('EINVAL');
  const cur = t.thread.sigmask;
  const H = (t.arch as { sigHow?: { SIG_BLOCK: number; SIG_UNBLOCK: number; SIG_SETMASK: number } }).sigHow
    ?? { SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK };
  if (set && how !== H.SIG_BLOCK && how !== H.SIG_UNBLOCK && how !== H.SIG_SETMASK) throw fail('EINVAL');
  if (old) writeSigset(t, old, cur);
  if (set) {
    const v = readSigset(t, set);
    if (how === H.SIG_BLOCK) setMask(t, cur | v);
    else if (how === H.SIG_UNBLOCK) setMask(t, cur & ~v);
    else setMask(t, v);
  }
  return 0;
}

function rtSigpending(t: LinuxThread, a: readonly bigint[]): number {
  if (ulong(a[1]) > sigsetSize(t)) throw fail('EINVAL');
  t.signals.collect();
  writeSigset(t, ptr(a[0]), (t.thread.pending | t.proc.block.procPending) & t.thread.sigmask);
  return 0;
}

/** Blocks until a signal that is not ignored can be delivered; always ends in EINTR. */
function waitForSignal(t: LinuxThread): never {
  for (;;) {
    if (t.signals.interrupting()) throw fail('EINTR');
    t.kernel.sleep(-1);
  }
}

function rtSigsuspend(t: LinuxThread, a: readonly bigint[]): number {
  if (ulong(a[1]) !== sigsetSize(t)) throw fail('EINVAL');
  // the old mask comes back when the handler returns (its frame holds it), or at once when none runs
  t.setTemporaryMask(readSigset(t, ptr(a[0])));
  waitForSignal(t);
}

/**
 * restart_syscall: carries on with the call a stop (or an ignored signal)
 * interrupted, from the thread's restart block; without one, EINTR (the
 * kernel's do_no_restart_syscall).
 */
function restartSyscall(t: LinuxThread): number | bigint {
  const block = t.restartBlock;
  t.restartBlock = null;
  if (block === null) throw fail('EINTR');
  return block.resume();
}

function rtSigtimedwait(t: LinuxThread, a: readonly bigint[], time64 = false): number {
  if (ulong(a[3]) !== sigsetSize(t)) throw fail('EINVAL');
  const set = t.signals.sanitize(readSigset(t, ptr(a[0])));
  const timeout = ptr(a[2]) ? readTimespec(t, ptr(a[2]), time64) : null;
  if (ptr(a[2]) && timeout === null) throw fail('EINVAL');
  const deadline = timeout === null ? Infinity : Date.now() + Number(timeout / 1_000_000n);
  for (;;) {
    t.signals.collect();
    const hit = (t.thread.pending | t.proc.block.procPending) & set;
    if (hit) {
      const sig = lowestSignal(hit);
      const info = t.signals.take(sig);
      if (ptr(a[1])) t.mem.writeBytes(ptr(a[1]), t.arch.signalFrames?.encodeSiginfo(info) ?? new Uint8Array(128));
      return sig;
    }
    // a signal outside the set that is deliverable interrupts the wait
    if (t.signals.interrupting()) throw fail('EINTR');
    const left = deadline - Date.now();
    if (left <= 0) throw fail('EAGAIN');
    t.kernel.sleep(left === Infinity ? -1 : left);
  }
}

function rtSigreturn(t: LinuxThread): typeof NO_RESULT {
  const frames = t.arch.signalFrames;
  if (!frames) throw fail('ENOSYS');
  let restored;
  try {
    restored = frames.restore(t.core, t.mem);
  } catch (e) {
    if (e instanceof GuestFault) t.die('SIGSEGV', true);
    throw e;
  }
  // the saved alternate stack is applied as sigaltstack would, unless we are running on it
  const alt = restored.altstack;
  if (!onAltStack(t)) t.thread.altstack = { sp: alt.sp, size: alt.size, flags: alt.flags & (SS_DISABLE | SS_AUTODISARM) };
  setMask(t, restored.mask);
  t.restartBlock = null; // as the kernel's sigreturn: a restart_syscall after a handler fails with EINTR
  return NO_RESULT;
}

const SS_AUTODISARM = 0x8000_0000;

/** Is the thread's stack pointer inside its enabled alternate stack? */
export function onAltStack(t: LinuxThread): boolean {
  const alt = t.thread.altstack;
  if (alt.size === 0 || (alt.flags & SS_DISABLE) || (alt.flags & SS_AUTODISARM)) return false;
  const sp = Number(BigInt.asUintN(32, t.core.getReg(t.stackRegister)));
  return sp > alt.sp && sp <= alt.sp + alt.size;
}

function sigaltstack(t: LinuxThread, a: readonly bigint[]): number {
  const ss = ptr(a[0]);
  const old = ptr(a[1]);
  const w = t.arch.wordSize / 8;
  const le = t.arch.endian === 'little';
  const alt = t.thread.altstack;
  const onStack = onAltStack(t);
  // stack_t: ss_sp (pointer), ss_flags (int), ss_size (size_t) — MIPS puts ss_size before ss_flags
  const layout = (t.arch as { stackTLayout?: { sp: number; flags: number; size: number; total: number } }).stackTLayout
    ?? { sp: 0, flags: w, size: 2 * w, total: 3 * w };
  if (old) {
    const s = new GuestStruct(t, layout.total);
    const buf = new DataView(s.data.buffer);
    if (w === 8) buf.setBigUint64(layout.sp, BigInt(alt.sp), le); else buf.setUint32(layout.sp, alt.sp, le);
    buf.setInt32(layout.flags, onStack ? SS_ONSTACK : alt.size === 0 && !(alt.flags & SS_AUTODISARM) ? SS_DISABLE : alt.flags, le);
    if (w === 8) buf.setBigUint64(layout.size, BigInt(alt.size), le); else buf.setUint32(layout.size, alt.size, le);
    s.writeTo(t, old);
  }
  if (ss) {
    if (onStack) throw fail('EPERM');
    const rd = (off: number): number => (w === 8 ? Number(t.mem.readU64(ss + off, le) & 0xffff_ffffn) : t.mem.readU32(ss + off, le));
    const flags = t.mem.readI32(ss + layout.flags, le);
    if ((flags & ~SS_AUTODISARM) !== 0 && (flags & ~SS_AUTODISARM) !== SS_DISABLE && (flags & ~SS_AUTODISARM) !== SS_ONSTACK) throw fail('EINVAL');
    if (flags & SS_DISABLE) {
      t.thread.altstack = { sp: 0, size: 0, flags: SS_DISABLE };
    } else {
      const size = rd(layout.size);
      if (size < (t.arch.signalFrames?.minSigStackSize ?? 2048)) throw fail('ENOMEM');
      t.thread.altstack = { sp: rd(layout.sp), size, flags: flags & SS_AUTODISARM };
    }
  }
  return 0;
}

function kill(t: LinuxThread, a: readonly bigint[]): number {
  const pid = int(a[0]);
  const sig = int(a[1]);
  const name = sig === 0 ? null : t.arch.signals.byNumber.get(sig);
  if (sig !== 0 && !name) throw fail('EINVAL');
  // pid 1 of its own pid namespace only takes signals it has a handler for (SIGKILL and SIGSTOP included)
  if (t.id.pid === 1 && pid === 1 && name && t.proc.action(sig).handler <= 1n) return 0;
  // a signal to ourselves is queued here, so it is taken before kill() returns (as on Linux)
  if (pid === t.id.pid && name && t.proc.block.int(4) <= 1) {
    t.signals.raise(sig, { signo: sig, code: 'SI_USER', pid: t.id.pid, uid: t.id.uid });
    return 0;
  }
  t.kernel.kill(pid, name ?? null, { code: 'SI_USER', uid: t.id.uid });
  return 0;
}

function tgkill(t: LinuxThread, tgid: number, tid: number, sig: number): number {
  const name = sig === 0 ? null : t.arch.signals.byNumber.get(sig);
  if (sig !== 0 && !name) throw fail('EINVAL');
  if (tid <= 0 || (tgid !== -1 && tgid <= 0)) throw fail('EINVAL');
  if (tid === t.id.tid && (tgid === -1 || tgid === t.id.pid)) {
    if (name) t.signals.raise(sig, { signo: sig, code: 'SI_TKILL', pid: t.id.pid, uid: t.id.uid });
    return 0;
  }
  t.kernel.tgkill(tgid, tid, name ?? null, { code: 'SI_TKILL', uid: t.id.uid });
  return 0;
}

function rtSigqueueinfo(t: LinuxThread, pid: number, tid: number | null, sig: number, infoAddr: number): number {
  const name = t.arch.signals.byNumber.get(sig);
  if (!name) throw fail('EINVAL');
  const le = t.arch.endian === 'little';
  // MIPS swaps si_code and si_errno: si_code is the second int there
  const code = t.mem.readI32(infoAddr + (t.arch.isa === 'mips' ? 4 : 8), le);
  if (code >= 0 && pid !== t.id.pid) throw fail('EPERM');
  const valueOff = t.arch.wordSize === 64 ? 24 : 20;
  const value = t.arch.wordSize === 64 ? t.mem.readU64(infoAddr + valueOff, le) : BigInt(t.mem.readU32(infoAddr + valueOff, le));
  const info = { code: code === -1 ? 'SI_QUEUE' : 'SI_USER', uid: t.id.uid, value };
  if (pid === t.id.pid && (tid === null ? t.proc.block.int(4) <= 1 : tid === t.id.tid)) {
    t.signals.raise(sig, { signo: sig, code: info.code, pid: t.id.pid, uid: t.id.uid, value });
    return 0;
  }
  if (tid === null) t.kernel.kill(pid, name, info);
  else t.kernel.tgkill(pid, tid, name, info);
  return 0;
}

// ---- interval timers: ITIMER_REAL (the clock, in the signals server), ITIMER_VIRTUAL / ITIMER_PROF (CPU time) ----

const ITIMER_REAL = 0;
const CPU_TIMERS: Readonly<Record<number, CpuTimer>> = { 1: 'virtual', 2: 'prof' };

/** A struct timeval in ns (EINVAL when out of range). */
function timevalNs(t: LinuxThread, addr: number): bigint {
  const [sec, usec] = readLongs(t, addr, 2);
  if (usec < 0n || usec >= 1_000_000n || sec < 0n) throw fail('EINVAL');
  return sec * 1_000_000_000n + usec * 1000n;
}

/** Writes a struct itimerval (interval, value) given in ns; a running timer never shows 0 left. */
function writeItimerval(t: LinuxThread, addr: number, v: { valueNs: bigint; intervalNs: bigint }): void {
  const s = new GuestStruct(t, 4 * (t.arch.wordSize / 8));
  const put = (i: number, ns: bigint, running: boolean): void => {
    let us = (ns + 999n) / 1000n;
    if (running && us === 0n) us = 1n;
    s.long(i, Number(us / 1_000_000n)).long(i + 1, Number(us % 1_000_000n));
  };
  put(0, v.intervalNs, false);
  put(2, v.valueNs, v.valueNs > 0n);
  s.writeTo(t, addr);
}

const msToNs = (v: { valueMs: number; intervalMs: number }): { valueNs: bigint; intervalNs: bigint } =>
  ({ valueNs: BigInt(v.valueMs) * 1_000_000n, intervalNs: BigInt(v.intervalMs) * 1_000_000n });

/** ns to the ms the signals server's clock timer counts in (rounded up: a timer never fires early). */
const nsToMs = (ns: bigint): number => Number((ns + 999_999n) / 1_000_000n);

function setitimer(t: LinuxThread, a: readonly bigint[]): number {
  const which = int(a[0]);
  const cpu = CPU_TIMERS[which];
  if (which !== ITIMER_REAL && !cpu) throw fail('EINVAL');
  const w = t.arch.wordSize / 8;
  const nv = ptr(a[1]);
  const intervalNs = nv ? timevalNs(t, nv) : 0n;
  const valueNs = nv ? timevalNs(t, nv + 2 * w) : 0n;
  const prev = cpu
    ? setCpuTimer(t.proc.block, cpu, { valueNs, intervalNs })
    : msToNs(t.kernel.setAlarm(nsToMs(valueNs), valueNs ? nsToMs(intervalNs) : 0));
  if (ptr(a[2])) writeItimerval(t, ptr(a[2]), prev);
  return 0;
}

function getitimer(t: LinuxThread, a: readonly bigint[]): number {
  const which = int(a[0]);
  const cpu = CPU_TIMERS[which];
  if (which !== ITIMER_REAL && !cpu) throw fail('EINVAL');
  writeItimerval(t, ptr(a[1]), cpu ? getCpuTimer(t.proc.block, cpu) : msToNs(t.kernel.getAlarm()));
  return 0;
}

function alarm(t: LinuxThread, a: readonly bigint[]): number {
  const prev = t.kernel.setAlarm(Number(BigInt.asUintN(32, a[0])) * 1000, 0);
  return Math.ceil(prev.valueMs / 1000);
}

export const signalSyscalls: SyscallGroup = {
  rt_sigaction: { name: 'rt_sigaction', fn: rtSigaction, args: ['signal', 'ptr', 'ptr', 'uint'] },
  rt_sigprocmask: { name: 'rt_sigprocmask', fn: rtSigprocmask, args: ['int', 'ptr', 'ptr', 'uint'] },
  rt_sigpending: { name: 'rt_sigpending', fn: rtSigpending, args: ['ptr', 'uint'] },
  rt_sigsuspend: { name: 'rt_sigsuspend', fn: rtSigsuspend, args: ['ptr', 'uint'] },
  rt_sigtimedwait_time64: { name: 'rt_sigtimedwait_time64', fn: (t, a) => rtSigtimedwait(t, a, true), args: ['ptr', 'ptr', 'ptr', 'uint'] },
  rt_sigtimedwait: { name: 'rt_sigtimedwait', fn: (t, a) => rtSigtimedwait(t, a), args: ['ptr', 'ptr', 'ptr', 'uint'] },
  rt_sigreturn: { name: 'rt_sigreturn', fn: (t) => rtSigreturn(t), args: [], ret: 'none' },
  sigaltstack: { name: 'sigaltstack', fn: sigaltstack, args: ['ptr', 'ptr'] },
  kill: { name: 'kill', fn: kill, args: ['int', 'signal'] },
  tkill: { name: 'tkill', fn: (t, a) => tgkill(t, -1, int(a[0]), int(a[1])), args: ['int', 'signal'] },
  tgkill: { name: 'tgkill', fn: (t, a) => tgkill(t, int(a[0]), int(a[1]), int(a[2])), args: ['int', 'int', 'signal'] },
  rt_sigqueueinfo: { name: 'rt_sigqueueinfo', fn: (t, a) => rtSigqueueinfo(t, int(a[0]), null, int(a[1]), ptr(a[2])), args: ['int', 'signal', 'ptr'] },
  rt_tgsigqueueinfo: { name: 'rt_tgsigqueueinfo', fn: (t, a) => rtSigqueueinfo(t, int(a[0]), int(a[1]), int(a[2]), ptr(a[3])), args: ['int', 'int', 'signal', 'ptr'] },
  setitimer: { name: 'setitimer', fn: setitimer, args: ['int', 'ptr', 'ptr'] },
  getitimer: { name: 'getitimer', fn: getitimer, args: ['int', 'ptr'] },
  alarm: { name: 'alarm', fn: alarm, args: ['uint'] },
  pause: { name: 'pause', fn: (t) => waitForSignal(t), args: [] },
  restart_syscall: { name: 'restart_syscall', fn: restartSyscall, args: [] },
};

