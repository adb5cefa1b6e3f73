/**
 * The Linux personality: which ISAs it speaks, where it puts things in a new
 * address space, how it starts a process (and continues a forked one or a
 * new thread), and its per-thread stub.
 */
import { realpathSync } from 'node:fs';
import { posix } from 'node:path';
import { inject, injectable } from 'inversify';
import { FilesServer } from '../../servers/files/files-server.js';
import { sharedFileHooks } from '../../servers/files/mapping.js';
import type { StubOptions } from '../../src/kernel/stub.js';
import type { KernelServices, SpawnImage } from '../../src/kernel/services.js';
import { PB, ProcessBlock } from '../../src/kernel/shared.js';
import type { AddressSpace } from '../../src/memory/address-space.js';
import { RegionMap } from '../../src/memory/regions.js';
import type {
  AddressLayout, GuestImage, IsaCore, IsaName, Personality, SyscallAbi, StubSettings, TrapHandler,
} from '../../src/plugin/contracts.js';
import { TOKENS } from '../../src/plugin/contracts.js';
import type { LinuxArch } from './abi/arch.js';
import { riscv64Arch, riscv64SyscallAbi } from './abi/riscv64.js';
import { mipsO32ArchFor, mipsO32SyscallAbi } from './abi/mips-o32.js';
import { aarch64Arch, aarch64SyscallAbi } from './abi/aarch64.js';
import { x86_64Arch, x86_64SyscallAbi } from './abi/x86_64.js';
import type { MipsCore } from '../../src/isa/mips/core.js';
import { initialRlimits, LinuxProcessState, LinuxThreadState, RLIMIT } from './process-state.js';
import { buildInitialStack } from './setup.js';
import { linuxElfSniffer } from './sniffer.js';
import { LinuxStub } from './stub.js';
import type { LinuxSpawnState } from './syscalls/process.js';
import { linuxSyscallTable } from './syscalls/table.js';
import { setJailMemoryLimit } from './syscalls/memory.js';
import { setJailHostname } from './syscalls/system.js';
import { linuxProcFiles } from './procfs.js';
import type { ProcessIdentity } from './syscalls/types.js';

/** Makes the files server (fd table) of a new process. */
export type FilesServerFactory = () => FilesServer;

interface ArchEntry {
  arch: (core: IsaCore) => LinuxArch;
  abi: SyscallAbi;
  stackRegister: number;
  threadPointer: number;
  /** Registers at process start, besides sp and pc. */
  initRegs: (core: IsaCore) => void;
  /** CPU state that is not in the register file (for fork/clone). */
  saveCpu: (core: IsaCore) => unknown;
  loadCpu: (core: IsaCore, s: unknown) => void;
}

interface Rv64StateView { s: { fflags: number; frm: number } }

const ARCHES: Partial<Record<IsaName, ArchEntry>> = {
  riscv64: {
    arch: () => riscv64Arch,
    abi: riscv64SyscallAbi,
    stackRegister: 2,
    threadPointer: 4,
    initRegs: (core) => core.setReg(10, 0n), // a0: rtld_fini = NULL
    saveCpu: (core) => {
      const s = (core as unknown as Rv64StateView).s;
      return { pc: core.pc, fflags: s.fflags, frm: s.frm };
    },
    loadCpu: (core, st) => {
      const v = st as { pc: number; fflags: number; frm: number };
      const s = (core as unknown as Rv64StateView).s;
      core.pc = v.pc;
      s.fflags = v.fflags;
      s.frm = v.frm;
    },
  },
  aarch64: {
    arch: () => aarch64Arch,
    abi: aarch64SyscallAbi,
    stackRegister: 31,
    threadPointer: -1, // TPIDR_EL0 (setThreadPointer)
    // the kernel starts a program with every register zero but sp (x0 = rtld_fini = 0)
    initRegs: (core) => { for (let i = 0; i < 31; i++) core.setReg(i, 0n); },
    // X, SP, V, NZCV, FPCR, FPSR and TPIDR_EL0 live in the register slot, which fork/clone copy
    saveCpu: (core) => ({ pc: core.pc }),
    loadCpu: (core, st) => {
      core.pc = (st as { pc: number }).pc;
      (core as unknown as { s: { exclAddr: number } }).s.exclAddr = -1;
    },
  },
  x86_64: {
    arch: () => x86_64Arch,
    abi: x86_64SyscallAbi,
    stackRegister: 4,
    threadPointer: -1, // FS base (setThreadPointer; arch_prctl ARCH_SET_FS, clone CLONE_SETTLS)
    // the kernel starts a program with every register zero but rsp (rdx = rtld_fini = 0), RFLAGS = IF | 2
    initRegs: (core) => { for (let i = 0; i < 16; i++) if (i !== 4) core.setReg(i, 0n); },
    saveCpu: (core) => (core as unknown as { saveCpu(): unknown }).saveCpu(),
    loadCpu: (core, st) => (core as unknown as { loadCpu(v: unknown): void }).loadCpu(st),
  },
  mips: {
    arch: (core) => mipsO32ArchFor((core as unknown as MipsCore).endian),
    abi: mipsO32SyscallAbi,
    stackRegister: 29,
    threadPointer: -1, // TLS is UserLocal (rdhwr $29), set by set_thread_area / CLONE_SETTLS
    // the kernel starts o32 programs with every register zero but sp (v0 = rtld_fini = 0)
    initRegs: (core) => {
      const m = core as unknown as MipsCore;
      for (let i = 1; i < 32; i++) if (i !== 29) core.setReg(i, 0n);
      m.hi = 0;
      m.lo = 0;
    },
    saveCpu: (core) => {
      const s = (core as unknown as MipsCore).s;
      return { pc: s.pc, npc: s.npc, fcsr: s.fcsr, fr: s.fr, nan2008: s.nan2008, ulr: s.ulr };
    },
    loadCpu: (core, st) => {
      const v = st as { pc: number; npc: number; fcsr: number; fr: 0 | 1; nan2008: boolean; ulr: number };
      const s = (core as unknown as MipsCore).s;
      s.fr = v.fr; // the copied register slot is already in this layout
      s.nan2008 = v.nan2008;
      s.fcsr = v.fcsr;
      s.ulr = v.ulr;
      s.pc = v.pc;
      s.npc = v.npc;
      s.llAddr = -1;
    },
  },
};

/** One address-space plan for every Linux arch (all guest memory is below 4 GiB). */
const LAYOUT: AddressLayout = {
  stackTop: 0x7fff_f000,
  stackSize: 8 << 20,
  pieBase: 0x0040_0000,
  mmapTop: 0x7fff_f000 - (8 << 20) - 0x10000,
  mmapBottom: 0x2000_0000,
};

@injectable()
export class LinuxPersonality implements Personality {
  readonly name = 'linux';
  readonly sniffers = [linuxElfSniffer];
  private readonly sps = new WeakMap<GuestImage, number>();

  constructor(@inject(TOKENS.FilesServer) private readonly files: FilesServerFactory) {}

  supports(isa: IsaName): boolean {
    return ARCHES[isa] !== undefined;
  }

  layout(_isa: IsaName): AddressLayout {
    return LAYOUT;
  }

  private entry(isa: string | null): ArchEntry {
    const e = isa ? ARCHES[isa as IsaName] : undefined;
    if (!e) throw new Error(`the Linux personality has no syscall ABI for ${isa}`);
    return e;
  }

  setupProcess(img: GuestImage): void {
    const e = this.entry(img.claim.isa);
    const arch = e.arch(img.core);
    img.regions.hooks = sharedFileHooks;
    img.regions.map(LAYOUT.stackTop - LAYOUT.stackSize, LAYOUT.stackSize, 3, '[stack]');
    const sp = buildInitialStack(img, arch, LAYOUT.stackTop, credentials());
    img.core.setReg(e.stackRegister, BigInt(sp));
    e.initRegs(img.core);
    img.core.pc = img.startPc;
    this.sps.set(img, sp);
  }

  createStub(img: GuestImage, settings: StubSettings): TrapHandler {
    const e = this.entry(img.claim.isa);
    const arch = e.arch(img.core);
    const kernel = settings.kernel;
    if (!kernel) throw new Error('the Linux personality needs the runtime\'s kernel services');
    const block = kernel.process;
    if (block.rlimit(7).max === 0n) { // a fresh process; execve keeps the limits
      initialRlimits(block);
      applyJailLimits(block, settings.jail);
    }
    block.claimOnlySlot(1);
    block.setInt(PB.THREADS, 1);
    const proc = new LinuxProcessState(img.regions, block);
    proc.brkStart = proc.brkCur = img.end;
    proc.brkLimit = Math.max(LAYOUT.mmapBottom, img.end);
    proc.execPath = img.execPath;
    proc.hostExePath = img.hostPath;
    proc.trampoline = mapTrampoline(img.regions, arch);
    const thread = new LinuxThreadState(kernel.thread);
    thread.threadName = posix.basename(img.execPath).slice(0, 15);
    const files = settings.files as FilesServer | undefined ?? this.files();
    // /proc/self/exe names the file itself, with symlinks resolved (busybox started as `ls` reads busybox)
    files.procSelf = { pid: kernel.pid, exe: realGuestPath(files, img.hostPath) };
    files.procSelf.synthetic = linuxProcFiles(kernel.pid, img.regions, arch, (h) => files.paths.hostToGuest(h), settings.jail?.limits.memory ?? null);
    return this.stub(settings, img.core, img.mem, e, arch, files, identity(kernel), proc, thread, 1);
  }

  /** Continues a forked process or starts a new thread from a SpawnImage. */
  resume(image: SpawnImage, core: IsaCore, mem: AddressSpace, settings: StubSettings): TrapHandler {
    const e = this.entry(image.isa);
    const arch = e.arch(core);
    const kernel = settings.kernel!;
    const st = image.state as LinuxSpawnState & { stack: string; tls: string };
    const regions = new RegionMap(mem, image.regions.layout, image.regions);
    regions.hooks = sharedFileHooks;
    const block = new ProcessBlock(image.processBlock);
    const proc = new LinuxProcessState(regions, block);
    proc.execPath = st.carry.execPath;
    proc.hostExePath = st.carry.hostExePath;
    proc.trampoline = st.carry.trampoline;
    const thread = new LinuxThreadState(kernel.thread);
    thread.threadName = st.carry.threadName;
    thread.altstack = { ...st.carry.altstack };
    thread.clearChildTid = st.clearChildTid;
    thread.sigmask = BigInt(st.sigmask);
    const files = settings.files as FilesServer;
    files.procSelf = { pid: kernel.pid, exe: realGuestPath(files, st.carry.hostExePath) };
    files.procSelf.synthetic = linuxProcFiles(kernel.pid, regions, arch, (h) => files.paths.hostToGuest(h), settings.jail?.limits.memory ?? null);
    e.loadCpu(core, st.cpu);
    if (st.stack) core.setReg(e.stackRegister, BigInt(st.stack));
    if (st.tls) core.setThreadPointer(BigInt(st.tls));
    e.abi.setResult(core, 0n); // the child's return value from fork/clone
    if (st.childSetTid) mem.writeU32(st.childSetTid, kernel.tid, arch.endian === 'little');
    const vforkOf = (st as { vforkOf?: { block: SharedArrayBuffer; slot: number } }).vforkOf;
    if (st.tid === 0 && !vforkOf) block.claimOnlySlot(image.slot); // a forked child: only the forking thread's slot is in use
    const id = { ...identity(kernel), uid: st.identity.uid, euid: st.identity.euid, suid: st.identity.suid, gid: st.identity.gid, egid: st.identity.egid, sgid: st.identity.sgid, groups: st.identity.groups };
    const stub = this.stub(settings, core, mem, e, arch, files, id, proc, thread, image.slot);
    if (vforkOf) stub.vforkOf = { block: new ProcessBlock(vforkOf.block), slot: vforkOf.slot };
    return stub;
  }

  private stub(
    settings: StubSettings, core: IsaCore, mem: AddressSpace, e: ArchEntry, arch: LinuxArch, files: FilesServer,
    id: ProcessIdentity, proc: LinuxProcessState, thread: LinuxThreadState, slot: number,
  ): LinuxStub {
    const opts: StubOptions = { trace: settings.trace, stats: settings.stats, log: settings.log };
    const stub = new LinuxStub(opts, {
      core, mem, arch, abi: e.abi, table: linuxSyscallTable, files, id, proc, thread,
      kernel: settings.kernel!, slot, stackRegister: e.stackRegister,
      cpu: { save: () => e.saveCpu(core), load: (s) => e.loadCpu(core, s) },
    });
    stub.kernelInitPid = settings.initPid ?? id.pid;
    stub.policy = syscallPolicy(settings.jail);
    setJailMemoryLimit(settings.jail?.limits.memory ?? null);
    setJailHostname(settings.jail?.identity.hostname ?? null);
    stub.jailCpuLimit = settings.jail?.limits.cpuTime ?? null;
    const lim = settings.jail?.limits.openFiles;
    if (lim && files.fdLimit > lim) files.fdLimit = lim;
    if (settings.jail?.identity.uid != null) id.uid = id.euid = id.suid = settings.jail.identity.uid;
    if (settings.jail?.identity.gid != null) id.gid = id.egid = id.sgid = settings.jail.identity.gid;
    files.setInterrupter?.({
      wakeFd: settings.kernel!.wakeFd,
      wakeCell: { array: settings.kernel!.thread.i32, index: 0 },
      // emptied first: a poke with nothing deliverable (a blocked signal, one already taken) must not keep the wait spinning
      pending: () => { settings.kernel!.clearWake(); return stub.signals.interrupting(); },
      // signalfds are readable while a signal of their mask is pending for this thread or its process
      refresh: () => files.refreshSignalfds(stub.thread.pending | stub.proc.block.procPending),
    });
    return stub;
  }
}

/** A fresh process's limits from its jail (RLIMIT_AS, _NPROC, _NOFILE, _CPU; soft = hard). */
function applyJailLimits(block: ProcessBlock, jail: StubSettings['jail']): void {
  const l = jail?.limits;
  if (!l) return;
  if (l.memory) block.setRlimit(RLIMIT.AS, BigInt(l.memory), BigInt(l.memory));
  if (l.processes) block.setRlimit(RLIMIT.NPROC, BigInt(l.processes), BigInt(l.processes));
  if (l.openFiles) block.setRlimit(RLIMIT.NOFILE, BigInt(l.openFiles), BigInt(l.openFiles));
  if (l.cpuTime) block.setRlimit(RLIMIT.CPU, BigInt(l.cpuTime), BigInt(l.cpuTime));
}

/** The jail's syscall policy as the stub asks it: syscall name → what happens instead, or null. */
function syscallPolicy(jail: StubSettings['jail']): ((name: string) => 'EPERM' | 'ENOSYS' | 'EACCES' | 'kill' | null) | null {
  if (!jail) return null;
  const deny = new Set(jail.syscalls.deny);
  const noSockets = !jail.sockets;
  if (deny.size === 0 && !noSockets) return null;
  const socketCalls = new Set(['socket', 'socketpair', 'socketcall']);
  return (name) => (deny.has(name) ? jail.syscalls.action : noSockets && socketCalls.has(name) ? 'EACCES' : null);
}

/** Maps the page holding compat's sigreturn trampoline (the kernel's vDSO does this job on Linux). */
function mapTrampoline(regions: RegionMap, arch: LinuxArch): number {
  const code = arch.signalFrames?.trampolineCode;
  if (!code) return 0;
  const at = regions.placeAndMap(4096, 0, 3, '[vdso]');
  if (at < 0) return 0;
  regions.mem.poke(at, code);
  regions.protect(at, 4096, 5);
  return at;
}

function identity(kernel: KernelServices): ProcessIdentity {
  const c = credentials();
  return {
    pid: kernel.pid, ppid: 0, tid: kernel.tid, pgid: kernel.pid, sid: kernel.pid,
    uid: c.uid, euid: c.euid, suid: c.euid, gid: c.gid, egid: c.egid, sgid: c.egid,
    groups: process.getgroups?.() ?? [],
  };
}

function credentials(): { uid: number; euid: number; gid: number; egid: number } {
  return {
    uid: process.getuid?.() ?? 0,
    euid: process.geteuid?.() ?? 0,
    gid: process.getgid?.() ?? 0,
    egid: process.getegid?.() ?? 0,
  };
}

/** The loaded file's guest path with every symlink resolved, as readlink(/proc/self/exe) reports it. */
function realGuestPath(files: FilesServer, hostPath: string): string {
  try {
    return files.paths.hostToGuest(realpathSync(hostPath));
  } catch {
    return hostPath;
  }
}

function absoluteGuestPath(cwd: string, p: string): string {
  return p.startsWith('/') ? p : posix.normalize(`${cwd}/${p}`);
}
