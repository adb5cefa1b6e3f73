/**
 * The Linux personality stub of one guest thread: decodes a trap with the
 * arch's SyscallAbi, answers from the result cache when it can, otherwise
 * calls the handler (which talks to the servers and the runtime), and writes
 * the result back in the arch's convention. Signals are taken at safe points
 * (after a syscall, between instruction slices); faults become signals.
 */
import { isServerError, type Errno } from '../../servers/common/errno.js';
import type { FilesServer } from '../../servers/files/files-server.js';
import { GuestExit } from '../../src/kernel/exit.js';
import { writeAllSync } from '../../src/kernel/log.js';
import type { KernelServices } from '../../src/kernel/services.js';
import { StubBase, type StubOptions } from '../../src/kernel/stub.js';
import { GuestFault } from '../../src/memory/fault.js';
import type { AddressSpace } from '../../src/memory/address-space.js';
import type { CoreFault, IsaCore, SyscallAbi, TrapHandler } from '../../src/plugin/contracts.js';
import type { LinuxArch } from './abi/arch.js';
import { hostSignalNumber } from './abi/signals.js';
import type { LinuxProcessState, LinuxThreadState } from './process-state.js';
import { SignalEngine } from './signal-delivery.js';
import { setMask } from './syscalls/signals.js';
import { restartCodeOf, RULE_OF_CODE, TRACE_OF_CODE } from './restart-table.js';
import { afterInterruption } from '../../servers/signals/restart.js';
import { finishCall, formatCall, formatResult } from './trace.js';
import { NO_RESULT, type LinuxThread, type ProcessIdentity, type SyscallDef } from './syscalls/types.js';
import { chargeCpuTimers } from '../../servers/signals/cpu-timers.js';

export interface LinuxStubParts {
  core: IsaCore;
  mem: AddressSpace;
  arch: LinuxArch;
  abi: SyscallAbi;
  table: ReadonlyMap<string, SyscallDef>;
  files: FilesServer;
  id: ProcessIdentity;
  proc: LinuxProcessState;
  thread: LinuxThreadState;
  kernel: KernelServices;
  /** Register-file slot of this thread's core. */
  slot: number;
  /** Index of the stack-pointer register. */
  stackRegister: number;
  cpu: { save(): unknown; load(state: unknown): void };
}

export class LinuxStub extends StubBase implements TrapHandler, LinuxThread {
  private readonly args: bigint[] = [0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n];
  /** Bytes of cacheOut answers (uname), keyed by syscall name. */
  private readonly cachedBytes = new Map<string, Uint8Array>();
  readonly core: IsaCore;
  readonly mem: AddressSpace;
  readonly arch: LinuxArch;
  readonly abi: SyscallAbi;
  private readonly table: ReadonlyMap<string, SyscallDef>;
  readonly files: FilesServer;
  readonly id: ProcessIdentity;
  readonly proc: LinuxProcessState;
  readonly thread: LinuxThreadState;
  readonly kernel: KernelServices;
  readonly slot: number;
  readonly stackRegister: number;
  readonly cpu: { save(): unknown; load(state: unknown): void };
  readonly signals: SignalEngine;

  constructor(opts: StubOptions, parts: LinuxStubParts) {
    super(opts);
    this.core = parts.core;
    this.mem = parts.mem;
    this.arch = parts.arch;
    this.abi = parts.abi;
    this.table = parts.table;
    this.files = parts.files;
    this.id = parts.id;
    this.proc = parts.proc;
    this.thread = parts.thread;
    this.kernel = parts.kernel;
    this.slot = parts.slot;
    this.stackRegister = parts.stackRegister;
    this.cpu = parts.cpu;
    this.signals = new SignalEngine(this);
  }

  invalidateCache(): void {
    this.cache.clear();
    this.cachedBytes.clear();
  }

  sendSelf(name: string): void {
    const n = this.arch.signals.byName.get(name);
    if (n) this.signals.raise(n, { signo: n, code: 'SI_KERNEL' });
  }

  /**
   * Ends the whole process as if killed by `name`. compat writes no core
   * files, so the status never says "core dumped" (as a kernel with
   * RLIMIT_CORE 0 or a non-dumpable process reports it).
   */
  die(name: string, _core: boolean): never {
    throw new GuestExit({ kind: 'signal', name, number: hostSignalNumber(name), coreDumped: false });
  }

  /** The jail's syscall policy (null: every call allowed). */
  policy: ((name: string) => 'EPERM' | 'ENOSYS' | 'EACCES' | 'kill' | null) | null = null;

  /** A call the jail denies: said once per name on stderr; the guest gets the errno, or dies by SIGSYS. */
  private denied(name: string, action: 'EPERM' | 'ENOSYS' | 'EACCES' | 'kill'): void {
    if (action === 'kill') {
      writeAllSync(2, `compat: jail policy: syscall ${name} is denied; the guest is killed (SIGSYS)\n`);
      this.die('SIGSYS', false);
    }
    if (!this.deniedSaid.has(name)) {
      this.deniedSaid.add(name);
      writeAllSync(2, `compat: jail policy: syscall ${name} is denied (${action})\n`);
    }
    this.abi.setError(this.core, this.arch.errno[action]);
    if (this.opts.trace) this.traceLine(`${this.tracePrefix()}${name}(...) = -1 ${action} (denied by the jail)`);
  }

  private readonly deniedSaid = new Set<string>();

  /** Guest CPU time of this thread (ns), as the interpreter's running time measures it. */
  private cpuNs = 0;
  private cpuNextCheck = 0;

  /**
   * ITIMER_VIRTUAL/ITIMER_PROF run down (servers/signals/cpu-timers.ts), and
   * RLIMIT_CPU: past the soft limit SIGXCPU, past the hard one SIGKILL (as
   * Linux); when the limit is the jail's, compat says so and the guest ends by SIGXCPU.
   */
  chargeCpu(ns: number): void {
    for (const name of chargeCpuTimers(this.proc.block, ns)) this.sendSelf(name);
    this.cpuNs += ns;
    if (this.cpuNs < this.cpuNextCheck) return;
    this.cpuNextCheck = this.cpuNs + 1e8; // look at the limit every 0.1 s of guest CPU
    const lim = this.proc.block.rlimit(0);
    if (lim.cur >= 0xffff_ffff_ffff_ffffn) return;
    const secs = this.cpuNs / 1e9;
    if (secs < Number(lim.cur)) return;
    if (this.jailCpuLimit !== null && BigInt(this.jailCpuLimit) === lim.cur) {
      writeAllSync(2, `compat: jail limit reached: CPU time (${this.jailCpuLimit} s); the guest is killed (SIGXCPU)\n`);
      this.die('SIGXCPU', false);
    }
    if (secs >= Number(lim.max)) this.die('SIGKILL', false);
    this.sendSelf('SIGXCPU');
    this.cpuNextCheck = this.cpuNs + 1e9; // and again every second, as Linux does
  }

  /** The run's jail CPU limit in seconds (null: none). */
  jailCpuLimit: number | null = null;

  syscall(): void {
    const core = this.core;
    const abi = this.abi;
    const nr = abi.number(core);
    const a = this.args;
    const n = this.arch.wordSize === 32 ? 8 : 6; // o32 passes up to 8 (4 on the stack)
    for (let i = 0; i < n; i++) a[i] = abi.arg(core, i);
    abi.advance(core);
    const name = this.arch.syscalls.get(nr);
    if (this.policy !== null && name !== undefined) {
      const action = this.policy(name);
      if (action !== null) { this.denied(name, action); return; }
    }
    const def = name !== undefined ? this.table.get(name) : undefined;
    const t0 = this.opts.stats ? process.hrtime.bigint() : 0n;
    if (def === undefined) {
      const label = name ?? `syscall_${nr}`;
      this.warnOnce(`nosys:${nr}`, `unimplemented syscall ${label} (number ${nr}) returns ENOSYS`);
      abi.setError(core, this.arch.errno.ENOSYS);
      if (this.opts.trace) this.traceLine(`${this.tracePrefix()}${label}(${a.map((v) => '0x' + v.toString(16)).join(', ')}) = -1 ENOSYS (Function not implemented)`);
      if (this.opts.stats) this.account(label, t0, true, false);
      return;
    }
    const callText = this.opts.trace ? this.tracePrefix() + formatCall(this, def, a) : '';
    let result: bigint | number | typeof NO_RESULT = 0;
    let errno: Errno | null = null;
    let hit = false;
    try {
      if (def.cacheOut) {
        let bytes = this.cachedBytes.get(def.name);
        if (bytes) { hit = true; this.cache.get(def.name); } else { bytes = def.cacheOut(this); this.cachedBytes.set(def.name, bytes); this.cache.set(def.name, 0n); }
        this.mem.writeBytes(Number(BigInt.asUintN(32, a[0])), bytes);
        result = 0;
      } else if (def.cacheable) {
        const cached = this.cache.get(def.name);
        if (cached !== undefined) { result = cached; hit = true; } else {
          result = def.fn(this, a);
          if (result !== NO_RESULT) this.cache.set(def.name, BigInt(result));
        }
      } else {
        result = def.fn(this, a);
      }
    } catch (e) {
      if (isServerError(e)) errno = e.errno;
      else if (e instanceof GuestFault) errno = 'EFAULT';
      else {
        if (this.opts.trace) this.traceLine(`${callText} = ?`);
        if (this.opts.stats) this.account(def.name, t0, false, false);
        throw e;
      }
    }
    if (errno === 'EINTR') {
      const code = restartCodeOf(def.name, a);
      if (code === null) throw new Error(`${def.name} was interrupted but has no row in personalities/linux/restart-table.ts`);
      // stops and ignored signals first (a stop waits here for its continue); then the handler, if any, decides
      this.signals.takeDefaults();
      const outcome = afterInterruption(RULE_OF_CODE[code], this.signals.disposition());
      if (outcome !== 'interrupted') {
        if (outcome === 'resume' && this.restartBlock === null) throw new Error(`${def.name} resumes after a signal but left no restart block`);
        if (outcome === 'restart') this.restartBlock = null;
        abi.restart(core, outcome === 'resume' ? this.restartNumber() : undefined);
        if (this.opts.trace) this.traceLine(`${callText} = ? ${TRACE_OF_CODE[code]}`);
        if (this.opts.stats) this.account(def.name, t0, false, false);
        this.safePoint();
        this.restoreTemporaryMask(); // unless a handler's frame (SA_RESTART) took it, the old mask is back for the rerun
        return;
      }
      // strace shows the kernel's code here (the EINTR appears as the handler's sigreturn returns it), or a plain EINTR
      if (this.opts.trace) this.traceLine(`${callText} = ${code === 'EINTR' ? '-1' : '?'} ${TRACE_OF_CODE[code]}`);
      abi.setError(core, this.arch.errno.EINTR);
      if (this.opts.stats) this.account(def.name, t0, true, false);
      this.safePoint();
      this.restoreTemporaryMask(); // a handler's frame took the old mask; else it comes back now
      return;
    }
    if (errno !== null) {
      abi.setError(core, this.arch.errno[errno]);
    } else if (result !== NO_RESULT) {
      abi.setResult(core, BigInt(result));
    }
    if (this.opts.trace) this.traceLine(`${finishCall(this, callText, a, errno === null ? result : -1)} = ${formatResult(this, def, a, result, errno)}`);
    if (this.opts.stats) this.account(def.name, t0, errno !== null, hit);
    this.restoreTemporaryMask(); // not interrupted: the old mask is back before any signal is taken
    if (Atomics.load(this.thread.block.i32, 2) !== 0) this.safePoint();
  }

  restartBlock: { call: string; resume: () => number | bigint } | null = null;

  private restartNr = -1;
  /** This arch's number of restart_syscall. */
  private restartNumber(): number {
    if (this.restartNr < 0) {
      for (const [nr, name] of this.arch.syscalls) if (name === 'restart_syscall') this.restartNr = nr;
      if (this.restartNr < 0) throw new Error(`${this.arch.machine} has no restart_syscall in its syscall table`);
    }
    return this.restartNr;
  }

  setTemporaryMask(mask: bigint): void {
    if (this.thread.savedMask === null) this.thread.savedMask = this.thread.sigmask;
    setMask(this, mask);
  }

  /** Puts back the mask a call replaced for its duration (ppoll, pselect6, sigsuspend), unless a handler's frame took it. */
  private restoreTemporaryMask(): void {
    const saved = this.thread.savedMask;
    if (saved === null) return;
    this.thread.savedMask = null;
    setMask(this, saved);
  }

  private tracePrefix(): string {
    return this.id.tid === this.kernelInitPid ? '' : `[pid ${this.id.tid}] `;
  }

  /** The first process's pid (trace lines of other processes are prefixed, like strace -f). */
  kernelInitPid = 0;

  signalNumbers(): Record<string, number> {
    return Object.fromEntries(this.arch.signals.byName);
  }

  /** A vfork child borrows its parent's memory: set while it has not exec'd. */
  vforkOf: { block: import('../../src/kernel/shared.js').ProcessBlock; slot: number } | null = null;

  dispose(lastThread: boolean): void {
    if (this.vforkOf) this.vforkOf.block.releaseSlot(this.vforkOf.slot); // the memory and its regions stay the parent's
    else if (lastThread) this.proc.regions.releaseAll();
    else this.proc.block.releaseSlot(this.slot);
    (this.core as { dispose?: () => void }).dispose?.();
  }

  /** Between instructions: take deliverable signals. */
  safePoint(): void {
    this.signals.deliver();
  }

  fault(f: CoreFault): void {
    this.log.debug({ tid: this.id.tid, pc: '0x' + f.pc.toString(16), addr: '0x' + f.addr.toString(16), code: f.code }, `guest ${f.signal}`);
    const sig = this.arch.signals.byName.get(f.signal);
    if (!sig) this.die(f.signal, true);
    this.signals.force(sig, { signo: sig, code: f.code, addr: f.addr });
  }
}
