/**
 * The Haiku personality stub of one guest thread: decodes an ecall by the
 * team's numbering (t0 → `_kern_<name>`), runs the handler against the
 * servers, and returns the result or a negative Haiku status in a0. Neutral
 * server errnos become Haiku codes here; guest faults in a handler become
 * B_BAD_ADDRESS. Faults of the guest itself end the team with the signal.
 */
import { constants as osConstants } from 'node:os';
import { fail, isServerError, type Errno } from '../../servers/common/errno.js';
import type { FilesServer } from '../../servers/files/files-server.js';
import { GuestExit } from '../../src/kernel/exit.js';
import type { KernelServices } from '../../src/kernel/services.js';
import { StubBase, type StubOptions } from '../../src/kernel/stub.js';
import { GuestFault } from '../../src/memory/fault.js';
import type { AddressSpace } from '../../src/memory/address-space.js';
import type { CoreFault, IsaCore, SyscallAbi, TrapHandler } from '../../src/plugin/contracts.js';
import { B_BAD_ADDRESS, B_ENOSYS, haikuError, haikuErrorName } from './abi/errors.js';
import { HAIKU_SIGNALS } from './abi/system.js';
import { NO_RESULT, type HaikuSyscallDef, type HaikuTeam, type HaikuThread, type PendingExec, type ThreadAttributes } from './syscalls/types.js';
import { execTeamImage } from './syscalls/teams.js';
import { SA_NODEFER, SA_RESETHAND, UNBLOCKABLE } from './syscalls/signals.js';
import { enterHandler } from './signal-frame.js';
import { HAIKU_RESTART_TABLE, HAIKU_SA_RESTART } from './restart-table.js';
import { afterInterruption, type Disposition } from '../../servers/signals/restart.js';
import { actionFor, handlerMask, runsHandler, SIG_DFL } from '../../servers/signals/disposition.js';
import { deliverableSet, signalBit, takePending } from '../../servers/signals/pending.js';

const SP = 2;
const SIGNAL_NAMES = new Map(Object.entries(HAIKU_SIGNALS).map(([k, v]) => [v, k]));

export interface HaikuStubParts {
  core: IsaCore;
  mem: AddressSpace;
  abi: SyscallAbi;
  table: ReadonlyMap<string, HaikuSyscallDef>;
  files: FilesServer;
  kernel: KernelServices;
  team: HaikuTeam;
  tid: number;
  slot: number;
  spawn: (stub: HaikuStub, attrs: ThreadAttributes) => number;
  /** fork: a new team continuing after the call; returns the child's team id (parent side). */
  fork: (stub: HaikuStub, exec?: PendingExec) => number;
  /** The jail's syscall policy: call names (with or without `_kern_`) and what a denied call does. */
  deny?: { names: ReadonlySet<string>; action: 'EPERM' | 'ENOSYS' | 'kill' };
}

export class HaikuStub extends StubBase implements TrapHandler, HaikuThread {
  private readonly args: bigint[] = [0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n];
  readonly core: IsaCore;
  readonly mem: AddressSpace;
  readonly files: FilesServer;
  readonly kernel: KernelServices;
  readonly team: HaikuTeam;
  readonly tid: number;
  readonly slot: number;
  private readonly abi: SyscallAbi;
  private readonly table: ReadonlyMap<string, HaikuSyscallDef>;
  private readonly spawn: HaikuStubParts['spawn'];
  private readonly forker: HaikuStubParts['fork'];
  /** A team made by load_image: it replaces its image with this program before running any guest code. */
  pendingExec: PendingExec | null = null;
  private readonly deny: HaikuStubParts['deny'];
  /** Inside a syscall handler: caught signals wait for its end (the handler frame must hold its result). */
  private inSyscall = false;
  /** A caught signal was left pending during a syscall. */
  private deferred = false;

  restartBlock: { call: string; resume: () => number | bigint } | null = null;
  readonly frameRestartBlocks: ({ call: string; resume: () => number | bigint } | null)[] = [];

  interruptPoint(): void {
    this.checkSignals();
    if (this.deferred) throw fail('EINTR');
  }

  /** What the caught signal that interrupted a call will do: run its handler with or without SA_RESTART (none: a stop, then a continue). */
  private disposition(): Disposition {
    const tb = this.kernel.thread;
    const pending = deliverableSet(tb, this.kernel.process, tb.mask & ~UNBLOCKABLE);
    for (let sig = 1; sig <= 64; sig++) {
      if ((pending & signalBit(sig)) === 0n) continue;
      const act = this.kernel.process.action(sig);
      if (!runsHandler(act.handler)) continue;
      return (Number(BigInt.asUintN(32, act.flags)) & HAIKU_SA_RESTART) !== 0 ? 'handler-restart' : 'handler';
    }
    return 'no-handler';
  }

  constructor(opts: StubOptions, p: HaikuStubParts) {
    super(opts);
    this.core = p.core;
    this.mem = p.mem;
    this.abi = p.abi;
    this.table = p.table;
    this.files = p.files;
    this.kernel = p.kernel;
    this.team = p.team;
    this.tid = p.tid;
    this.slot = p.slot;
    this.spawn = p.spawn;
    this.forker = p.fork;
    this.deny = p.deny;
  }

  stackArg(i: number): bigint {
    const sp = Number(BigInt.asUintN(64, this.core.getReg(SP)));
    return this.mem.readI64(sp + (i - 8) * 8);
  }

  info(message: string): void { this.opts.log.info(message); }

  spawnThread(attrs: ThreadAttributes): number { return this.spawn(this, attrs); }

  forkTeam(exec?: PendingExec): number { return this.forker(this, exec); }

  syscall(): void {
    if (this.pendingExec) {
      // a load_image child starts on the code page's `li t0, N; ecall`: its first call becomes the exec
      const p = this.pendingExec;
      this.pendingExec = null;
      if (p.gate) {
        // the main thread of a load_image team starts suspended (a signal still ends it)
        const gate = new Int32Array(p.gate);
        while (Atomics.load(gate, 0) === 0) { Atomics.wait(gate, 0, 0, 100); this.checkSignals(); }
      }
      execTeamImage(this, p); // throws ReplaceImage, or ends the team with 127 when the program cannot be loaded
    }
    const core = this.core;
    const abi = this.abi;
    const nr = abi.number(core);
    const a = this.args;
    for (let i = 0; i < 8; i++) a[i] = abi.arg(core, i);
    abi.advance(core);
    const name = this.team.numbering.byNumber.get(nr);
    const def = name !== undefined ? this.table.get(name) : undefined;
    const t0 = this.opts.stats ? process.hrtime.bigint() : 0n;
    const label = name ? `_kern_${name}` : `syscall_${nr}`;
    if (def === undefined) {
      this.warnOnce(`nosys:${nr}`, `unimplemented Haiku syscall ${label} (number ${nr}, ${this.team.numbering.name} numbering) returns ENOSYS`);
      abi.setError(core, B_ENOSYS);
      if (this.opts.trace) this.traceLine(`${label}(${a.slice(0, 4).map((v) => '0x' + BigInt.asUintN(64, v).toString(16)).join(', ')}, ...) = ENOSYS`);
      if (this.opts.stats) this.account(label, t0, true, false);
      return;
    }
    if (this.deny && (this.deny.names.has(name!) || this.deny.names.has(label))) {
      if (this.deny.action === 'kill') this.die('SIGSYS');
      const code = this.deny.action === 'EPERM' ? haikuError('EPERM') : B_ENOSYS;
      abi.setResult(core, BigInt(code));
      if (this.opts.trace) this.traceLine(`${label}(${this.formatArgs(def, a)}) = ${this.formatResult(code)} (denied by the jail)`);
      return;
    }
    const callText = this.opts.trace ? `${label}(${this.formatArgs(def, a)})` : '';
    let result: number | bigint | typeof NO_RESULT = 0;
    let errno: Errno | null = null;
    let hit = false;
    this.inSyscall = true;
    try {
      if (def.cacheable) {
        const c = this.cache.get(name!);
        if (c !== undefined) { result = c; hit = true; } else {
          result = def.fn(this, a);
          if (result !== NO_RESULT) this.cache.set(name!, BigInt(result));
        }
      } else if (this.restartBlock !== null && this.restartBlock.call === name) {
        // run again after an interruption: go on where it stopped (the same deadline)
        const block = this.restartBlock;
        this.restartBlock = null;
        result = block.resume();
      } else {
        result = def.fn(this, a);
      }
    } catch (e) {
      if (isServerError(e)) errno = e.errno;
      else if (e instanceof GuestFault) result = B_BAD_ADDRESS;
      else {
        if (this.opts.trace) this.traceLine(`${callText} = ?`);
        throw e;
      }
    } finally {
      this.inSyscall = false;
    }
    if (errno === 'EINTR') {
      const rule = HAIKU_RESTART_TABLE[name!];
      if (rule === undefined) throw new Error(`_kern_${name} was interrupted but has no row in personalities/haiku/restart-table.ts`);
      if (afterInterruption(rule, this.disposition()) !== 'interrupted') {
        // Haiku's syscall restart: back to the ecall, which resumes the wait once the handler returns
        if (this.restartBlock === null || this.restartBlock.call !== name) {
          const again = [...a];
          this.restartBlock = { call: name!, resume: () => def.fn(this, again) as number | bigint };
        }
        abi.restart(core);
        if (this.opts.trace) this.traceLine(`${callText} = B_INTERRUPTED (to be restarted)`);
        if (this.opts.stats) this.account(label, t0, false, false);
        this.checkSignals();
        return;
      }
      this.restartBlock = null;
    }
    if (errno !== null) result = haikuError(errno);
    if (result !== NO_RESULT) abi.setResult(core, BigInt(result));
    if (this.opts.trace) this.traceLine(`${callText} = ${this.formatResult(result)}`);
    if (this.opts.stats) this.account(label, t0, typeof result !== 'symbol' && BigInt(result) < 0n && BigInt(result) >= -0x80000000n, hit);
    if (Atomics.load(this.kernel.thread.i32, 2) !== 0 || this.deferred) this.checkSignals();
  }

  private formatArgs(def: HaikuSyscallDef, a: readonly bigint[]): string {
    return def.args.map((k, i) => {
      const v = i < 8 ? a[i] : (() => { try { return this.stackArg(i); } catch { return 0n; } })();
      if (k === 'str') {
        const p = Number(BigInt.asUintN(64, v));
        if (p === 0) return 'NULL';
        try { return JSON.stringify(Buffer.from(this.mem.readCString(p, 256).bytes).toString('latin1')); } catch { return '0x' + p.toString(16); }
      }
      if (k === 'buf') {
        // the byte count follows the buffer (write, write_port_etc)
        const p = Number(BigInt.asUintN(64, v));
        const n = Math.min(Number(BigInt.asUintN(32, a[i + 1] ?? 0n)), 32);
        try { return JSON.stringify(Buffer.from(this.mem.readBytes(p, n)).toString('latin1')) + (Number(BigInt.asUintN(32, a[i + 1] ?? 0n)) > 32 ? '...' : ''); } catch { return '0x' + p.toString(16); }
      }
      if (k === 'int') return String(BigInt.asIntN(32, v));
      if (k === 'i64') return String(BigInt.asIntN(64, v));
      if (k === 'oct') return '0' + BigInt.asUintN(32, v).toString(8);
      return '0x' + BigInt.asUintN(64, v).toString(16);
    }).join(', ');
  }

  private formatResult(r: number | bigint | typeof NO_RESULT): string {
    if (r === NO_RESULT) return '?';
    const n = BigInt(r);
    if (n < 0n && n >= -0x80000000n) return `${n} ${haikuErrorName(Number(n))}`;
    return n > 0xffffn ? `0x${n.toString(16)}` : String(n);
  }

  signalNumbers(): Record<string, number> {
    return { ...HAIKU_SIGNALS };
  }

  dispose(lastThread: boolean): void {
    if (lastThread) this.team.regions.releaseAll();
    else this.kernel.process.releaseSlot(this.slot);
    (this.core as { dispose?: () => void }).dispose?.();
  }

  safePoint(): void {
    this.checkSignals();
  }

  /**
   * Takes this thread's and the team's pending signals that are not blocked
   * (Haiku numbering, bit n-1 for signal n). A caught signal enters its
   * handler (one per call; the next waits for the next safe point, and inside
   * a syscall for its end); otherwise the default action applies: ignore,
   * stop, or end the team. Called at safe points and from blocking waits.
   */
  checkSignals(): void {
    Atomics.store(this.kernel.thread.i32, 2, 0); // SIGFLAG
    this.deferred = false;
    this.kernel.takeNotices();
    const tb = this.kernel.thread;
    const pending = deliverableSet(tb, this.kernel.process, tb.mask & ~UNBLOCKABLE);
    if (pending === 0n) return;
    for (let sig = 1; sig <= 64; sig++) {
      const bit = signalBit(sig);
      if ((pending & bit) === 0n) continue;
      // SIGKILL, SIGKILLTHR and SIGSTOP always take their default action
      const act = (bit & UNBLOCKABLE) === 0n ? this.kernel.process.action(sig) : null;
      const caught = act !== null && runsHandler(act.handler);
      if (caught && this.inSyscall) { this.deferred = true; continue; }
      takePending(tb, this.kernel.process, sig);
      const name = SIGNAL_NAMES.get(sig);
      if (caught) {
        const flags = Number(BigInt.asUintN(32, act.flags));
        const newMask = handlerMask(tb.mask, act.mask, bit, (flags & SA_NODEFER) !== 0, UNBLOCKABLE);
        if ((flags & SA_RESETHAND) !== 0) this.kernel.process.setAction(sig, { handler: SIG_DFL, flags: 0n, restorer: 0n, mask: 0n });
        try {
          enterHandler(this, sig, { handler: act.handler, userdata: act.restorer, newMask });
          // the handler's own calls must not resume the interrupted one: its restart waits in the frame
          this.frameRestartBlocks.push(this.restartBlock);
          this.restartBlock = null;
        } catch (e) {
          if (e instanceof GuestFault) this.die(name ?? 'SIGSEGV'); // no room for the frame
          throw e;
        }
        // more may be pending: they are looked at by the next safe point (or the handler's first syscall)
        if ((((tb.pending | this.kernel.process.procPending) & ~tb.mask) & ~bit) !== 0n) Atomics.store(tb.i32, 2, 1);
        return;
      }
      if (!name) continue;
      switch (actionFor(act?.handler ?? SIG_DFL, name)) {
        case 'ignore': case 'cont': continue;
        case 'stop': this.kernel.stop(name); continue;
        default: this.die(name); // a handler's signal was caught above
      }
    }
  }

  private die(name: string): never {
    const hostName = name === 'SIGKILLTHR' ? 'SIGKILL' : name;
    const number = (osConstants.signals as Record<string, number>)[hostName] ?? 9;
    throw new GuestExit({ kind: 'signal', name: hostName, number, coreDumped: false });
  }

  fault(f: CoreFault): void {
    this.opts.log.debug({ tid: this.tid, pc: '0x' + f.pc.toString(16), addr: '0x' + f.addr.toString(16), code: f.code }, `guest ${f.signal}`);
    this.die(f.signal);
  }
}
