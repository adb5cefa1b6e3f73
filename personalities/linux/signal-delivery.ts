/**
 * When and which signal a Linux guest thread takes, and what happens then:
 * ignore it, run the default action (end, stop, continue), or push the
 * arch's frame and enter the handler. Written once for every arch; the frame
 * layout comes from `arch.signalFrames`.
 *
 * Pending signals live in the runtime's shared blocks (thread-directed in the
 * ThreadBlock, process-directed ones nobody could take yet in the
 * ProcessBlock); their siginfo arrive as notices from the supervisor or are
 * queued here for signals the thread raises itself (faults, SIGPIPE, tgkill
 * to itself).
 */
import { GuestFault } from '../../src/memory/fault.js';
import type { LinuxStub } from './stub.js';
import type { SigInfo } from './abi/signal-frame.js';
import { defaultAction } from '../../servers/signals/default-actions.js';
import type { Disposition } from '../../servers/signals/restart.js';
import { SIG_DFL, SIG_IGN, actionFor, handlerMask, runsHandler } from '../../servers/signals/disposition.js';
import { deliverableSet, lowestSignal, signalBit as bitOf, takePending } from '../../servers/signals/pending.js';
import { SigInfoQueue } from '../../servers/signals/siginfo-queue.js';
import { SS_DISABLE } from './process-state.js';
import { onAltStack } from './syscalls/signals.js';

const SS_AUTODISARM = 0x8000_0000;


/** Order of delivery: synchronous faults first, then lowest number first (as Linux does for standard signals). */
const SYNCHRONOUS = new Set(['SIGSEGV', 'SIGBUS', 'SIGILL', 'SIGTRAP', 'SIGFPE', 'SIGSYS']);

export class SignalEngine {
  /** siginfo waiting for each pending signal number (standard signals keep one; real-time ones queue). */
  private readonly infos = new SigInfoQueue<SigInfo>();

  constructor(private readonly t: LinuxStub) {}

  private get unblockable(): bigint {
    const s = this.t.arch.signals.byName;
    return bitOf(s.get('SIGKILL')!) | bitOf(s.get('SIGSTOP')!);
  }

  /** Clamps a mask the guest asks for (SIGKILL and SIGSTOP can never be blocked). */
  sanitize(mask: bigint): bigint {
    return mask & ~this.unblockable & 0xffff_ffff_ffff_ffffn;
  }

  /** Queues a signal this thread sends itself (raise, faults, SIGPIPE). */
  raise(sig: number, info: SigInfo): void {
    if (this.isIgnored(sig)) return;
    if (sig > 64) {
      // MIPS real-time signals 65..128 are beyond compat's 64-bit pending sets: act at once
      this.act(sig, info);
      return;
    }
    this.addInfo(sig, info);
    this.t.thread.block.addPending(bitOf(sig));
    Atomics.store(this.t.thread.block.i32, 2, 1);
  }

  private addInfo(sig: number, info: SigInfo): void {
    this.infos.add(sig, this.nameOf(sig), info);
  }

  private nameOf(sig: number): string {
    return this.t.arch.signals.byNumber.get(sig) ?? `SIG${sig}`;
  }

  /** Moves siginfo notices from the supervisor into the local queues. */
  collect(): void {
    for (const n of this.t.kernel.takeNotices()) {
      const raw = (n.info ?? {}) as Record<string, unknown>;
      this.addInfo(n.signo, {
        signo: n.signo,
        code: typeof raw.code === 'string' ? raw.code : 'SI_USER',
        pid: typeof raw.pid === 'number' ? raw.pid : undefined,
        uid: typeof raw.uid === 'number' ? raw.uid : undefined,
        status: typeof raw.status === 'number' ? this.statusForArch(raw) : undefined,
        value: typeof raw.value === 'bigint' ? raw.value : undefined,
      });
    }
  }

  /** SIGCHLD's si_status carries a signal number in the host's numbering; give it in ours. */
  private statusForArch(raw: Record<string, unknown>): number {
    const code = raw.code;
    if (code === 'CLD_KILLED' || code === 'CLD_DUMPED' || code === 'CLD_STOPPED' || code === 'CLD_CONTINUED') {
      const name = typeof raw.signalName === 'string' ? raw.signalName : null;
      if (name) return this.t.arch.signals.byName.get(name) ?? (raw.status as number);
    }
    return raw.status as number;
  }

  isIgnored(sig: number): boolean {
    return actionFor(this.t.proc.action(sig).handler, this.t.arch.signals.byNumber.get(sig) ?? '') === 'ignore';
  }

  /** Signals that could be delivered now (pending and not blocked). */
  deliverable(): bigint {
    return deliverableSet(this.t.thread.block, this.t.proc.block, this.t.thread.sigmask);
  }

  /** True when a signal that would interrupt a blocking call is waiting (ignored ones are dropped). */
  interrupting(): boolean {
    this.collect();
    let ready = this.deliverable();
    while (ready) {
      const sig = lowestSignal(ready);
      if (!this.isIgnored(sig)) return true;
      this.take(sig);
      ready &= ~bitOf(sig);
    }
    return false;
  }

  /**
   * After a blocking call was interrupted: acts on the deliverable signals
   * that run no handler (a stop blocks here until the continue; ignored and
   * continue signals go), in delivery order, until the next one would run a
   * handler or none is left, as the kernel's get_signal does before the
   * restart decision is made for the handler it returns.
   */
  takeDefaults(): void {
    this.actOnDeliverable(true);
  }

  /** What the signal that interrupted a blocking call will do: run a handler (with or without SA_RESTART), or not. */
  disposition(): Disposition {
    const ready = this.deliverable();
    if (!ready) return 'no-handler';
    const a = this.t.proc.action(this.next(ready));
    if (!runsHandler(a.handler)) return 'no-handler';
    return (a.flags & this.t.arch.sa.SA_RESTART) !== 0n ? 'handler-restart' : 'handler';
  }

  /** Removes one pending instance of `sig` and returns its siginfo. */
  take(sig: number): SigInfo {
    const fromProcess = (this.t.thread.block.pending & bitOf(sig)) === 0n;
    const { info, last } = this.infos.take(sig);
    takePending(this.t.thread.block, this.t.proc.block, sig, last);
    // a process-pending signal (every thread blocked it) has its sender in the process block
    const sender = fromProcess && !info ? this.t.proc.block.takeProcSender(sig) : null;
    if (sender) return { signo: sig, code: sender.code, pid: sender.pid, uid: sender.uid };
    return { ...(info ?? { signo: sig, code: 'SI_USER' }), signo: sig };
  }

  /** Picks the next signal to act on from `ready`. */
  private next(ready: bigint): number {
    for (let sig = 1; sig <= 64; sig++) {
      if ((ready & bitOf(sig)) && SYNCHRONOUS.has(this.t.arch.signals.byNumber.get(sig) ?? '')) return sig;
    }
    return lowestSignal(ready);
  }

  /** At a safe point (between instructions, after a syscall): act on every deliverable signal. */
  deliver(): void {
    this.actOnDeliverable(false);
  }

  /** Acts on deliverable signals in delivery order; with `beforeHandler`, stops at the first that would run a handler (left pending). */
  private actOnDeliverable(beforeHandler: boolean): void {
    const flag = this.t.thread.block.i32;
    Atomics.store(flag, 2, 0);
    this.collect();
    for (let guard = 0; guard < 128; guard++) {
      const ready = this.deliverable();
      if (!ready) return;
      const sig = this.next(ready);
      if (beforeHandler) {
        if (runsHandler(this.t.proc.action(sig).handler)) { Atomics.store(flag, 2, 1); return; }
      }
      const continued = this.t.proc.block.continued; // read before the take: a SIGCONT from now on cancels a stop
      this.act(sig, this.take(sig), continued);
    }
  }

  /** A fault the thread caused: delivered now; if blocked or ignored, the default action is forced (Linux force_sig). */
  force(sig: number, info: SigInfo): void {
    const a = this.t.proc.action(sig);
    const blocked = (this.t.thread.sigmask & bitOf(sig)) !== 0n;
    if (blocked || a.handler === SIG_IGN) {
      this.t.proc.setAction(sig, { handler: SIG_DFL, flags: 0n, restorer: 0n, mask: 0n });
      this.t.thread.sigmask = this.t.thread.sigmask & ~bitOf(sig);
    }
    this.act(sig, info);
  }

  act(sig: number, info: SigInfo, continued = this.t.proc.block.continued): void {
    const t = this.t;
    const name = this.nameOf(sig);
    const a = t.proc.action(sig);
    switch (actionFor(a.handler, name)) {
      case 'ignore': case 'cont': return;
      case 'stop': t.kernel.stop(name, continued); return;
      case 'term': t.die(name, false); return;
      case 'core': t.die(name, true); return;
      case 'handler': break;
    }
    const frames = t.arch.signalFrames;
    if (!frames) {
      t.warnOnce(`noframes:${name}`, `signal handlers are not supported for ${t.arch.machine} yet: ${name} takes its default action`);
      const d = defaultAction(name);
      if (d === 'term' || d === 'core') t.die(name, d === 'core');
      return;
    }
    const sa = t.arch.sa;
    const savedMask = t.thread.savedMask ?? t.thread.sigmask;
    t.thread.savedMask = null;
    const alt = t.thread.altstack;
    const onAlt = onAltStack(t);
    const usable = alt.size > 0 && (alt.flags & SS_DISABLE) === 0;
    const useAlt = (a.flags & sa.SA_ONSTACK) !== 0n && usable && !onAlt;
    try {
      frames.setup(t.core, t.mem, {
        info,
        handler: Number(BigInt.asUintN(32, a.handler)),
        flags: a.flags,
        restorer: (a.flags & sa.SA_RESTORER) !== 0n ? Number(BigInt.asUintN(32, a.restorer)) : 0,
        trampoline: t.proc.trampoline,
        savedMask,
        altstack: useAlt ? alt : null,
        currentAltstack: { ...alt },
      });
      if (useAlt && (alt.flags & SS_AUTODISARM)) t.thread.altstack = { sp: 0, size: 0, flags: 0 };
    } catch (e) {
      if (e instanceof GuestFault) { t.die('SIGSEGV', true); return; }
      throw e;
    }
    t.restartBlock = null;
    t.thread.sigmask = handlerMask(t.thread.sigmask, a.mask, bitOf(sig), (a.flags & sa.SA_NODEFER) !== 0n, this.unblockable) & 0xffff_ffff_ffff_ffffn;
    if (a.flags & sa.SA_RESETHAND) t.proc.setAction(sig, { handler: SIG_DFL, flags: 0n, restorer: 0n, mask: 0n });
  }
}
