/**
 * Haiku signal handlers on riscv64: _kern_sigaction, _kern_set_signal_mask,
 * _kern_send_signal and _kern_restore_signal_frame. Delivery itself (the
 * frame on the guest stack) is in ../signal-frame.ts, called from the stub's
 * checkSignals.
 *
 * struct sigaction (LP64, compat's layout; the reference notes give none):
 *   0 handler (SIG_DFL 0, SIG_IGN 1), 8 sa_mask (uint64, bit n-1 = signal n),
 *   16 sa_flags (int32), 24 sa_userdata (pointer); 32 bytes.
 */
import { B_BAD_THREAD_ID, B_BAD_VALUE } from '../abi/errors.js';
import { HAIKU_SIGNALS } from '../abi/system.js';
import { NO_RESULT, type HaikuSyscallDef, type HaikuThread } from './types.js';
import { restoreSignalFrame } from '../signal-frame.js';
import { SIG_IGN } from '../../../servers/signals/disposition.js';
import { signalBit } from '../../../servers/signals/pending.js';

export const SIGACTION_SIZE = 32;
export const SIG_BLOCK = 1;
export const SIG_UNBLOCK = 2;
export const SIG_SETMASK = 3;
export const SA_RESETHAND = 0x04;
export const SA_NODEFER = 0x08;
/** SIGKILL, SIGSTOP and SIGKILLTHR can be neither blocked nor caught. */
export const UNBLOCKABLE = (1n << BigInt(HAIKU_SIGNALS.SIGKILL - 1)) | (1n << BigInt(HAIKU_SIGNALS.SIGSTOP - 1)) | (1n << BigInt(HAIKU_SIGNALS.SIGKILLTHR - 1));
const SIGNAL_NAMES = new Map(Object.entries(HAIKU_SIGNALS).map(([k, v]) => [v, k]));

const int = (v: bigint): number => Number(BigInt.asIntN(32, v));
const ptr = (v: bigint): number => Number(BigInt.asUintN(64, v));

/** A pending signal the thread may now take: raise its flag so the next safe point looks. */
export function noteSignals(t: HaikuThread): void {
  const tb = t.kernel.thread;
  if (((tb.pending | t.kernel.process.procPending) & ~tb.mask) !== 0n) Atomics.store(tb.i32, 2, 1);
}

export const signalSyscalls: Record<string, HaikuSyscallDef> = {
  sigaction: {
    args: ['int', 'hex', 'hex'],
    fn: (t, a) => {
      const sig = int(a[0]);
      if (sig < 1 || sig > 64) return B_BAD_VALUE;
      const bit = 1n << BigInt(sig - 1);
      const actAt = ptr(a[1]);
      const oldAt = ptr(a[2]);
      if (actAt !== 0 && (bit & UNBLOCKABLE) !== 0n) return B_BAD_VALUE;
      const cur = t.kernel.process.action(sig);
      let next = null;
      if (actAt !== 0) {
        const b = t.mem.readBytes(actAt, SIGACTION_SIZE);
        const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
        next = {
          handler: dv.getBigUint64(0, true), mask: dv.getBigUint64(8, true) & ~UNBLOCKABLE,
          flags: BigInt(dv.getUint32(16, true)), restorer: dv.getBigUint64(24, true),
        };
      }
      if (oldAt !== 0) {
        const b = new Uint8Array(SIGACTION_SIZE);
        const dv = new DataView(b.buffer);
        dv.setBigUint64(0, BigInt.asUintN(64, cur.handler), true);
        dv.setBigUint64(8, BigInt.asUintN(64, cur.mask), true);
        dv.setUint32(16, Number(BigInt.asUintN(32, cur.flags)), true);
        dv.setBigUint64(24, BigInt.asUintN(64, cur.restorer), true);
        t.mem.writeBytes(oldAt, b);
      }
      if (next) {
        t.kernel.process.setAction(sig, next);
        // SIG_IGN discards what is pending
        if (next.handler === SIG_IGN) { t.kernel.thread.clearPending(bit); t.kernel.process.takeProcPending(bit); }
      }
      return 0;
    },
  },
  set_signal_mask: {
    args: ['int', 'hex', 'hex'],
    fn: (t, a) => {
      const how = int(a[0]);
      const setAt = ptr(a[1]);
      const oldAt = ptr(a[2]);
      const tb = t.kernel.thread;
      const old = tb.mask;
      let next = old;
      if (setAt !== 0) {
        const set = BigInt.asUintN(64, t.mem.readI64(setAt)) & ~UNBLOCKABLE;
        if (how === SIG_BLOCK) next = old | set;
        else if (how === SIG_UNBLOCK) next = old & ~set;
        else if (how === SIG_SETMASK) next = set;
        else return B_BAD_VALUE;
      }
      if (oldAt !== 0) t.mem.writeU64(oldAt, old);
      if (next !== old) {
        tb.mask = next;
        t.kernel.maskChanged();
        noteSignals(t);
      }
      return 0;
    },
  },
  send_signal: {
    // (thread or team id, signal, value, flags): to this thread it is raised here; to another
    // thread of the team, or to another team, through the runtime
    args: ['int', 'int', 'hex', 'hex'],
    fn: (t, a) => {
      const id = int(a[0]);
      const sig = int(a[1]);
      if (sig < 0 || sig > 64) return B_BAD_VALUE;
      // a thread id: the main thread's is the team's; send_signal is thread-directed
      const self = id === t.tid || id === 0;
      if (self) {
        if (sig === 0) return 0;
        const act = t.kernel.process.action(sig);
        if (act.handler === SIG_IGN) return 0; // ignored: discarded
        t.kernel.thread.addPending(signalBit(sig));
        noteSignals(t);
        return 0;
      }
      const name = sig === 0 ? null : SIGNAL_NAMES.get(sig);
      if (sig !== 0 && name === undefined) return B_BAD_VALUE;
      try {
        if (t.team.threads.info(id)) t.kernel.tgkill(t.kernel.pid, id, name ?? null, {}); // another thread of this team
        else t.kernel.kill(id, name ?? null, {});
      } catch {
        return B_BAD_THREAD_ID;
      }
      return 0;
    },
  },
  restore_signal_frame: {
    args: ['hex'],
    fn: (t, a) => {
      const r = restoreSignalFrame(t, ptr(a[0]));
      if (r !== 0) return r;
      // back in the interrupted call's context: its restart (if any) continues from here
      t.restartBlock = t.frameRestartBlocks.pop() ?? null;
      noteSignals(t);
      return NO_RESULT;
    },
  },
};

