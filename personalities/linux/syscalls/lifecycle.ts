/**
 * Process and thread lifecycle calls of a single-process guest: exit,
 * exit_group, set_tid_address, set_robust_list, rseq, and the signal
 * bookkeeping glibc does at start-up (rt_sigaction, rt_sigprocmask) plus
 * signals a process sends itself (abort → tgkill(SIGABRT)).
 */
import { fail } from '../../../servers/common/errno.js';
import { GuestExit } from '../../../src/kernel/exit.js';
import { defaultAction, hostSignalNumber } from '../abi/signals.js';
import { readTimespec } from './guest-struct.js';
import { sleepNs } from './time.js';
import { int, ptr, ulong, type LinuxThread, type SyscallGroup } from './types.js';

function exit(_t: LinuxThread, a: readonly bigint[]): never {
  throw new GuestExit({ kind: 'exit', code: int(a[0]) & 0xff });
}

const SIG_DFL = 0n;
const SIG_IGN = 1n;

/** sigset_t size the kernel accepts for rt_* calls (_NSIG / 8). */
const sigsetSize = (t: LinuxThread): number => (t.arch.signals.max + 1 - 1) / 8;

function readSigset(t: LinuxThread, addr: number): bigint {
  const le = t.arch.endian === 'little';
  if (t.arch.wordSize === 64) return t.mem.readU64(addr, le);
  const lo = BigInt(t.mem.readU32(addr, le));
  const hi = BigInt(t.mem.readU32(addr + 4, le));
  return lo | (hi << 32n);
}

function writeSigset(t: LinuxThread, addr: number, v: bigint): void {
  const le = t.arch.endian === 'little';
  if (t.arch.wordSize === 64) { t.mem.writeU64(addr, v, le); return; }
  t.mem.writeU32(addr, Number(v & 0xffff_ffffn), le);
  t.mem.writeU32(addr + 4, Number(v >> 32n), le);
}

/** Bits for SIGKILL and SIGSTOP, which can never be blocked. */
function unblockable(t: LinuxThread): bigint {
  const k = t.arch.signals.byName.get('SIGKILL')!;
  const s = t.arch.signals.byName.get('SIGSTOP')!;
  return (1n << BigInt(k - 1)) | (1n << BigInt(s - 1));
}

/**
 * struct sigaction as the kernel reads it on asm-generic arches:
 * handler, flags, restorer, mask (each a C long; the mask 8 bytes).
 */
function rtSigaction(t: LinuxThread, a: readonly bigint[]): number {
  const sig = int(a[0]);
  const act = ptr(a[1]);
  const old = ptr(a[2]);
  if (ulong(a[3]) !== sigsetSize(t)) throw fail('EINVAL');
  const name = t.arch.signals.byNumber.get(sig);
  if (!name || sig < 1 || sig > t.arch.signals.max) throw fail('EINVAL');
  const w = t.arch.wordSize / 8;
  const le = t.arch.endian === 'little';
  const cur = t.proc.sigactions.get(sig) ?? { handler: SIG_DFL, flags: 0n, restorer: 0n, mask: 0n };
  if (old) {
    const rd = (v: bigint, off: number): void => {
      if (w === 8) t.mem.writeU64(old + off, v, le); else t.mem.writeU32(old + off, Number(BigInt.asUintN(32, v)), le);
    };
    rd(cur.handler, 0); rd(cur.flags, w); rd(cur.restorer, 2 * w);
    writeSigset(t, old + 3 * w, cur.mask);
  }
  if (act) {
    if (name === 'SIGKILL' || name === 'SIGSTOP') throw fail('EINVAL');
    const rd = (off: number): bigint => (w === 8 ? t.mem.readU64(act + off, le) : BigInt(t.mem.readU32(act + off, le)));
    t.proc.sigactions.set(sig, { handler: rd(0), flags: rd(w), restorer: rd(2 * w), mask: readSigset(t, act + 3 * w) });
  }
  return 0;
}

const SIG_BLOCK = 0;
const SIG_UNBLOCK = 1;
const SIG_SETMASK = 2;

function rtSigprocmask(t: LinuxThread, a: readonly bigint[]): number {
  const how = int(a[0]);
  const set = ptr(a[1]);
  const old = ptr(a[2]);
  if (ulong(a[3]) !== sigsetSize(t)) throw fail('EINVAL');
  const cur = t.proc.sigmask;
  if (set) {
    const v = readSigset(t, set);
    let next: bigint;
    switch (how) {
      case SIG_BLOCK: next = cur | v; break;
      case SIG_UNBLOCK: next = cur & ~v; break;
      case SIG_SETMASK: next = v; break;
      default: throw fail('EINVAL');
    }
    t.proc.sigmask = next & ~unblockable(t);
  }
  if (old) writeSigset(t, old, cur);
  deliverUnblocked(t);
  return 0;
}

/** Signals left pending while blocked take effect as soon as they are unblocked. */
function deliverUnblocked(t: LinuxThread): void {
  const ready = t.proc.pending & ~t.proc.sigmask;
  if (ready === 0n) return;
  for (let sig = 1; sig <= t.arch.signals.max; sig++) {
    const bit = 1n << BigInt(sig - 1);
    if ((ready & bit) === 0n) continue;
    t.proc.pending &= ~bit;
    act(t, sig, t.arch.signals.byNumber.get(sig)!);
  }
}

function rtSigpending(t: LinuxThread, a: readonly bigint[]): number {
  if (ulong(a[1]) > 8) throw fail('EINVAL');
  writeSigset(t, ptr(a[0]), t.proc.pending & t.proc.sigmask);
  return 0;
}

const SI_USER = 0;

/** Writes a siginfo for a signal sent by kill() from this process. */
function writeSiginfo(t: LinuxThread, addr: number, sig: number): void {
  const le = t.arch.endian === 'little';
  const buf = new Uint8Array(128);
  const dv = new DataView(buf.buffer);
  dv.setInt32(0, sig, le);
  dv.setInt32(4, 0, le);
  dv.setInt32(8, SI_USER, le);
  const unionOff = t.arch.wordSize === 64 ? 16 : 12;
  dv.setInt32(unionOff, t.id.pid, le);
  dv.setUint32(unionOff + 4, t.id.uid, le);
  t.mem.writeBytes(addr, buf);
}

function rtSigtimedwait(t: LinuxThread, a: readonly bigint[]): number {
  if (ulong(a[3]) !== sigsetSize(t)) throw fail('EINVAL');
  const set = readSigset(t, ptr(a[0])) & ~unblockable(t);
  const hit = t.proc.pending & set;
  if (hit !== 0n) {
    let sig = 1;
    while (((hit >> BigInt(sig - 1)) & 1n) === 0n) sig++;
    t.proc.pending &= ~(1n << BigInt(sig - 1));
    if (ptr(a[1])) writeSiginfo(t, ptr(a[1]), sig);
    return sig;
  }
  // Nothing pending, and a single-process guest has nobody to send one: wait out the timeout.
  const timeout = ptr(a[2]) ? readTimespec(t, ptr(a[2])) : null;
  if (ptr(a[2]) && timeout === null) throw fail('EINVAL');
  if (timeout === null) {
    t.warnOnce('sigwait-forever', 'rt_sigtimedwait without timeout in a single-process guest: waiting until interrupted');
    sleepNs(1n << 62n);
  } else sleepNs(timeout);
  throw fail('EAGAIN');
}

/**
 * A signal the process sends to itself. Until the signals server lands
 * (delivery to guest handlers), an ignored or blocked signal is dropped or
 * left pending and a default-action signal ends the process the way the
 * kernel would.
 */
function selfSignal(t: LinuxThread, sig: number): number {
  if (sig === 0) return 0;
  const name = t.arch.signals.byNumber.get(sig);
  if (!name) throw fail('EINVAL');
  const bit = 1n << BigInt(sig - 1);
  if (t.proc.sigmask & bit) {
    t.proc.pending |= bit;
    return 0;
  }
  return act(t, sig, name);
}

/** The disposition of an unblocked signal: ignore it, or end the process by its default action. */
function act(t: LinuxThread, sig: number, name: string): number {
  const act = t.proc.sigactions.get(sig);
  const handler = act?.handler ?? SIG_DFL;
  const action = defaultAction(name);
  if (handler === SIG_IGN || (handler === SIG_DFL && (action === 'ign' || action === 'cont'))) return 0;
  if (handler !== SIG_DFL) {
    t.warnOnce(`sighandler:${name}`, `guest handler for ${name} not run: signal delivery to handlers is not implemented yet; using the default action`);
  }
  if (action === 'stop') return 0;
  throw new GuestExit({ kind: 'signal', name, number: hostSignalNumber(name), coreDumped: action === 'core' });
}

function kill(t: LinuxThread, a: readonly bigint[]): number {
  const pid = int(a[0]);
  if (pid !== t.id.pid && pid !== 0 && pid !== -t.id.pgid) throw fail('ESRCH');
  return selfSignal(t, int(a[1]));
}

function tgkill(t: LinuxThread, a: readonly bigint[]): number {
  if (int(a[0]) !== t.id.pid || int(a[1]) !== t.id.tid) throw fail('ESRCH');
  return selfSignal(t, int(a[2]));
}

function tkill(t: LinuxThread, a: readonly bigint[]): number {
  if (int(a[0]) !== t.id.tid) throw fail('ESRCH');
  return selfSignal(t, int(a[1]));
}

function sigaltstack(t: LinuxThread, a: readonly bigint[]): number {
  const old = ptr(a[1]);
  if (old) {
    const w = t.arch.wordSize / 8;
    const buf = new Uint8Array(3 * w);
    // ss_sp = 0, ss_flags = SS_DISABLE (2), ss_size = 0
    new DataView(buf.buffer).setInt32(w, 2, t.arch.endian === 'little');
    t.mem.writeBytes(old, buf);
  }
  return 0;
}

export const lifecycleSyscalls: SyscallGroup = {
  exit: { name: 'exit', fn: exit, args: ['int'], ret: 'none' },
  exit_group: { name: 'exit_group', fn: exit, args: ['int'], ret: 'none' },
  set_tid_address: { name: 'set_tid_address', fn: (t, a) => { t.proc.clearChildTid = ptr(a[0]); return t.id.tid; }, args: ['ptr'] },
  set_robust_list: { name: 'set_robust_list', fn: (t, a) => { t.proc.robustList = a[0]; return 0; }, args: ['ptr', 'uint'] },
  rseq: { name: 'rseq', fn: () => { throw fail('ENOSYS'); }, args: ['ptr', 'uint', 'hex', 'hex'] },
  rt_sigaction: { name: 'rt_sigaction', fn: rtSigaction, args: ['signal', 'ptr', 'ptr', 'uint'] },
  rt_sigprocmask: { name: 'rt_sigprocmask', fn: rtSigprocmask, args: ['int', 'ptr', 'ptr', 'uint'] },
  rt_sigpending: { name: 'rt_sigpending', fn: rtSigpending, args: ['ptr', 'uint'] },
  rt_sigtimedwait: { name: 'rt_sigtimedwait', fn: rtSigtimedwait, args: ['ptr', 'ptr', 'ptr', 'uint'] },
  sigaltstack: { name: 'sigaltstack', fn: sigaltstack, args: ['ptr', 'ptr'] },
  kill: { name: 'kill', fn: kill, args: ['int', 'signal'] },
  tgkill: { name: 'tgkill', fn: tgkill, args: ['int', 'int', 'signal'] },
  tkill: { name: 'tkill', fn: tkill, args: ['int', 'signal'] },
};
