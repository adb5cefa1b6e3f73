/**
 * The Linux personality stub of one guest process: decodes a trap with the
 * arch's SyscallAbi, answers from the result cache when it can, otherwise
 * calls the handler (which talks to the servers), and writes the result back
 * in the arch's convention. Faults end the process as the kernel would.
 */
import { isServerError, type Errno } from '../../servers/common/errno.js';
import type { FilesServer } from '../../servers/files/files-server.js';
import { GuestExit, SIGNAL_DESCRIPTIONS } from '../../src/kernel/exit.js';
import { StubBase, type StubOptions } from '../../src/kernel/stub.js';
import { GuestFault } from '../../src/memory/fault.js';
import type { AddressSpace } from '../../src/memory/address-space.js';
import type { CoreFault, IsaCore, SyscallAbi, TrapHandler } from '../../src/plugin/contracts.js';
import type { LinuxArch } from './abi/arch.js';
import { hostSignalNumber } from './abi/signals.js';
import type { LinuxProcessState } from './process-state.js';
import { finishCall, formatCall, formatResult } from './trace.js';
import { NO_RESULT, type LinuxThread, type ProcessIdentity, type SyscallDef } from './syscalls/types.js';

export class LinuxStub extends StubBase implements TrapHandler, LinuxThread {
  private readonly args: bigint[] = [0n, 0n, 0n, 0n, 0n, 0n];
  /** Bytes of cacheOut answers (uname), keyed by syscall name. */
  private readonly cachedBytes = new Map<string, Uint8Array>();

  constructor(
    opts: StubOptions,
    readonly core: IsaCore,
    readonly mem: AddressSpace,
    readonly arch: LinuxArch,
    private readonly abi: SyscallAbi,
    private readonly table: ReadonlyMap<string, SyscallDef>,
    readonly files: FilesServer,
    readonly id: ProcessIdentity,
    readonly proc: LinuxProcessState,
  ) {
    super(opts);
  }

  invalidateCache(): void {
    this.cache.clear();
    this.cachedBytes.clear();
  }

  syscall(): void {
    const core = this.core;
    const abi = this.abi;
    const nr = abi.number(core);
    const a = this.args;
    for (let i = 0; i < 6; i++) a[i] = abi.arg(core, i);
    abi.advance(core);
    const name = this.arch.syscalls.get(nr);
    const def = name !== undefined ? this.table.get(name) : undefined;
    const t0 = this.opts.stats ? process.hrtime.bigint() : 0n;
    if (def === undefined) {
      const label = name ?? `syscall_${nr}`;
      this.warnOnce(`nosys:${nr}`, `unimplemented syscall ${label} (number ${nr}) returns ENOSYS`);
      abi.setError(core, this.arch.errno.ENOSYS);
      if (this.opts.trace) this.traceLine(`${label}(${a.map((v) => '0x' + v.toString(16)).join(', ')}) = -1 ENOSYS (Function not implemented)`);
      if (this.opts.stats) this.account(label, t0, true, false);
      return;
    }
    const callText = this.opts.trace ? formatCall(this, def, a) : '';
    let result: bigint | number | typeof NO_RESULT = 0;
    let errno: Errno | null = null;
    let hit = false;
    try {
      if (def.cacheOut) {
        const key = def.name;
        let bytes = this.cachedBytes.get(key);
        if (bytes) { hit = true; this.cache.get(key); } else { bytes = def.cacheOut(this); this.cachedBytes.set(key, bytes); this.cache.set(key, 0n); }
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
      else if (e instanceof GuestExit) {
        if (this.opts.trace) this.traceLine(`${callText} = ?`);
        if (this.opts.stats) this.account(def.name, t0, false, false);
        throw e;
      } else throw e;
    }
    if (errno !== null) {
      abi.setError(core, this.arch.errno[errno]);
    } else if (result !== NO_RESULT) {
      abi.setResult(core, BigInt(result));
    }
    if (this.opts.trace) this.traceLine(`${finishCall(this, callText, a, errno === null ? result : -1)} = ${formatResult(this, def, a, result, errno)}`);
    if (this.opts.stats) this.account(def.name, t0, errno !== null, hit);
  }

  fault(f: CoreFault): void {
    // Until the signals server delivers to guest handlers, a fault ends the process with its signal.
    const name = f.signal;
    const desc = SIGNAL_DESCRIPTIONS[name] ?? name;
    this.log.debug({ pc: '0x' + f.pc.toString(16), addr: '0x' + f.addr.toString(16), code: f.code }, `guest ${desc}`);
    throw new GuestExit({ kind: 'signal', name, number: hostSignalNumber(name), coreDumped: true });
  }
}
