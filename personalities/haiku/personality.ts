/**
 * The Haiku personality: Haiku programs (riscv64 for now) with Haiku's
 * syscall ABI (ecall, number in t0, negative B_* codes), compat's own image
 * loader (or the root's runtime_loader), TLS slot arrays in tp, and the
 * team's residual servers (areas, semaphores, ports, threads).
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { inject, injectable } from 'inversify';
import { FilesServer } from '../../servers/files/files-server.js';
import { sharedFileHooks } from '../../servers/files/mapping.js';
import { findDynamicSymbol, parseElf, readVirtual, type ElfInfo } from '../../src/exec/elf.js';
import { loadSpan } from '../../src/exec/load-elf.js';
import { ExecError } from '../../src/kernel/exec.js';
import type { KernelServices, SpawnImage } from '../../src/kernel/services.js';
import { PB, ProcessBlock } from '../../src/kernel/shared.js';
import { MAX_SLOTS, SLOT_SIZE } from '../../src/isa/riscv64/state.js';
import type { AddressSpace } from '../../src/memory/address-space.js';
import { RegionMap } from '../../src/memory/regions.js';
import type {
  AddressLayout, GuestImage, IsaCore, IsaName, Personality, StubSettings, TrapHandler,
} from '../../src/plugin/contracts.js';
import { TOKENS } from '../../src/plugin/contracts.js';
import { B_NO_MORE_THREADS } from './abi/errors.js';
import { allCallNames, chooseNumbering, numberingSetting, tableNumbering, type Numbering } from './abi/numbering.js';
import { riscv64HaikuAbi } from './abi/riscv64.js';
import { HaikuImageSet, HaikuLoadError, findHaikuRoot, HAIKU_LIBRARY_PATHS } from './loader.js';
import { AreaServer } from './servers/areas.js';
import { PortServer } from './servers/ports.js';
import { SemServer } from './servers/sems.js';
import { ThreadServer, TS } from './servers/threads.js';
import { mapCodePage, mapCommpage, mapProgramArgs, mapTls, flatArgs } from './setup.js';
import { haikuElfSniffer } from './sniffer.js';
import { HaikuStub } from './stub.js';
import { haikuSyscallTable } from './syscalls/table.js';
import type { HaikuTeam, HaikuTeamHandle, PendingExec, ThreadAttributes } from './syscalls/types.js';
import type { TableHandle } from './servers/shared-table.js';

const SP = 2;
const RA = 1;
const A0 = 10;
const S1 = 9;

const LAYOUT: AddressLayout = {
  stackTop: 0x7fff_f000,
  stackSize: 16 << 20,
  pieBase: 0x0040_0000,
  mmapTop: 0x7fff_f000 - (16 << 20) - 0x10000,
  mmapBottom: 0x2000_0000,
};
const THREAD_STACK = 256 << 10;

export type FilesServerFactory = () => FilesServer;

interface ThreadStart {
  kind: 'haiku-thread';
  team: HaikuTeamHandle;
  tid: number;
  pc: number; sp: number; tp: number; ra: number; a0: string; a1: string;
}

/** A forked team's first thread: continues after `_kern_fork` (or runs a load_image program first). */
interface ForkStart {
  kind: 'haiku-fork';
  team: HaikuTeamHandle;
  pc: number; fflags: number; frm: number;
  threadName: string; stack: [number, number];
  exec: PendingExec | null;
  /** The program's host file (/proc/self/exe). */
  hostExe: string;
}

interface Rv64StateView { s: { fflags: number; frm: number } }

/** A copy of a shared table (the child's own areas table starts as the parent's). */
function copyTable(h: TableHandle): TableHandle {
  const ints = new SharedArrayBuffer(h.ints.byteLength);
  const bytes = new SharedArrayBuffer(h.bytes.byteLength);
  new Int32Array(ints).set(new Int32Array(h.ints));
  new Uint8Array(bytes).set(new Uint8Array(h.bytes));
  new Int32Array(ints)[0] = 0; // the lock
  return { ints, bytes };
}

/**
 * _kern_fork: a new team with a copy of the address space (every area), the
 * fd table and the process block; the calling thread is its only thread. Ports
 * and semaphores belong to the parent team and are not inherited (Haiku
 * semantics: they are team-owned kernel objects, not part of the address space).
 */
function forkTeam(s: HaikuStub, exec?: PendingExec): number {
  const team = s.team;
  const childMem = s.mem.clone();
  const regions = team.regions.cloneInto(childMem, sharedFileHooks.dup);
  const files = s.files.forkCopy();
  const block = s.kernel.process.fork();
  const v = (s.core as unknown as Rv64StateView).s;
  const info = team.threads.info(s.tid);
  const handle: HaikuTeamHandle = {
    ...team.handle,
    areas: copyTable(team.handle.areas),
    sems: SemServer.create(), ports: PortServer.create(), threads: ThreadServer.create(),
    argv: exec ? [...exec.argv] : [...team.handle.argv],
    execPath: exec ? exec.guestPath : team.handle.execPath,
  };
  const state: ForkStart = {
    kind: 'haiku-fork', team: handle, pc: s.core.pc, fflags: v?.fflags ?? 0, frm: v?.frm ?? 0,
    threadName: info?.name ?? 'main thread', stack: info ? [info.stack[0], info.stack[1]] : [0, 0], exec: exec ?? null,
    hostExe: s.files.procSelf?.exe ?? team.handle.execPath,
  };
  try {
    return s.kernel.spawnProcess({
      memory: childMem.memory, regions: regions.share(), files: files.share(), processBlock: block.sab, slot: s.slot,
      isa: 'riscv64', endian: 'little', personality: 'haiku', state,
    });
  } catch (e) {
    files.closeAll();
    regions.releaseAll();
    throw e;
  }
}

/** Reads the numbering a libroot.so file's `_kern_*` stubs use. */
export function numberingFromLibroot(hostPath: string, fallback: '2022' | '2024'): Numbering {
  const bytes = new Uint8Array(readFileSync(hostPath));
  let info: ElfInfo;
  try { info = parseElf(bytes); } catch { return tableNumbering(fallback, `setting (${hostPath} is not ELF)`); }
  const stubs = new Map<string, number>();
  for (const name of allCallNames()) {
    const sym = findDynamicSymbol(info, bytes, `_kern_${name}`);
    if (!sym || sym.shndx === 0) continue;
    const code = readVirtual(info, bytes, sym.value, 8);
    if (!code) continue;
    const n = decode(code);
    if (n !== null) stubs.set(name, n);
  }
  return chooseNumbering(stubs, fallback, hostPath);
}
import { stubNumber as decode } from './abi/numbering.js';

function teamServers(handle: HaikuTeamHandle, regions: RegionMap): HaikuTeam {
  const byNumber = new Map(handle.numbering.entries);
  const numbering: Numbering = {
    name: handle.numbering.name as Numbering['name'], byNumber,
    byName: new Map([...byNumber].map(([k, v]) => [v, k])), source: handle.numbering.source,
  };
  return {
    handle, regions, numbering,
    areas: new AreaServer(handle.areas), sems: new SemServer(handle.sems), ports: new PortServer(handle.ports),
    threads: new ThreadServer(handle.threads),
  };
}

@injectable()
export class HaikuPersonality implements Personality {
  readonly name = 'haiku';
  readonly sniffers = [haikuElfSniffer];

  constructor(@inject(TOKENS.FilesServer) private readonly files: FilesServerFactory) {}

  supports(isa: IsaName): boolean {
    return isa === 'riscv64';
  }

  layout(_isa: IsaName): AddressLayout {
    return LAYOUT;
  }

  /** PT_INTERP /system/runtime_loader: compat's Haiku loader (or the root's runtime_loader) does its job. */
  handlesInterpreter(interp: string): boolean {
    return interp === '/system/runtime_loader';
  }

  setupProcess(img: GuestImage): void {
    if (img.claim.isa !== 'riscv64') throw new Error(`the Haiku personality has no syscall ABI for ${img.claim.isa}`);
    img.regions.hooks = sharedFileHooks;
    // the image's libraries are loaded in createStub, where the run's jail (its root folder) is known
  }

  /**
   * The Haiku root folder: the jail's root (--root) or sysroot, else
   * COMPAT_HAIKU_ROOT, else the nearest ancestor of the program that holds boot/system.
   */
  private rootFor(img: GuestImage, settings: StubSettings): string | null {
    const jail = settings.jail;
    if (jail?.root) return jail.root;
    if (jail?.sysroot && jail.sysroot !== 'auto') return jail.sysroot;
    return findHaikuRoot(img.hostPath);
  }

  /** Loads the program's libraries (or the root's runtime_loader) and sets the start registers. */
  private load(img: GuestImage, settings: StubSettings): HaikuTeamHandle {
    const regions = img.regions;
    const root = this.rootFor(img, settings);
    const fallback = numberingSetting();
    const core = img.core;
    try {
      const rld = root ? path.join(root, 'boot', 'system', 'runtime_loader') : null;
      const libroot = root ? HAIKU_LIBRARY_PATHS.map((d) => path.join(root, d, 'libroot.so')).find((p) => existsSync(p)) : undefined;
      let numbering = libroot ? numberingFromLibroot(libroot, fallback) : tableNumbering(fallback, 'setting (no libroot.so in the Haiku root)');
      regions.map(LAYOUT.stackTop - LAYOUT.stackSize, LAYOUT.stackSize, 3, '[stack]');
      const set = new HaikuImageSet(regions, root);
      let team: HaikuTeamHandle;
      if (rld && isRiscv64Elf(rld)) {
        // the kernel's way: runtime_loader(user_space_program_args*, commpage), it loads the program itself
        const progBytes = new Uint8Array(readFileSync(img.hostPath));
        const pinfo = parseElf(progBytes);
        const span = loadSpan({ isDyn: pinfo.type === 3, entry: 0, phoff: 0, phentsize: 0, phnum: 0, segments: pinfo.programHeaders });
        regions.unmap(span.lo + img.bias, span.hi - span.lo);
        const r = set.mapFile('runtime_loader', rld);
        set.relocateAll();
        team = this.newTeam(img, numbering);
        const code = mapCodePage(regions, numbering.byName.get('exit_thread') ?? 0, numbering.byName.get('exit_team') ?? 0, 0, numbering.byName.get('restore_signal_frame') ?? 0);
        team.exitStub = code.threadExit;
        const args = mapProgramArgs(regions, img.execPath, img.argv, img.envp);
        team.commpage = mapCommpage(regions);
        core.setReg(A0, BigInt(args));
        core.setReg(A0 + 1, BigInt(team.commpage));
        core.setReg(RA, BigInt(code.teamExit));
        core.pc = r.info.entry + r.bias;
      } else {
        const progBytes = new Uint8Array(readFileSync(img.hostPath));
        const pinfo = parseElf(progBytes);
        set.adopt(path.basename(img.hostPath), img.hostPath, pinfo, img.bias, img.bias, img.end);
        set.loadNeeded();
        set.relocateAll();
        const lr = set.images.find((i) => i.name === 'libroot.so');
        if (lr && lr.hostPath !== libroot) numbering = numberingFromLibroot(lr.hostPath, fallback);
        team = this.newTeam(img, numbering);
        const inits = set.initRoutines();
        const code = mapCodePage(regions, numbering.byName.get('exit_thread') ?? 0, numbering.byName.get('exit_team') ?? 0, inits.length, numbering.byName.get('restore_signal_frame') ?? 0);
        team.exitStub = code.threadExit;
        // argument vectors and strings at the top of the stack
        const probe = flatArgs(0, img.argv, img.envp);
        const at = (LAYOUT.stackTop - probe.bytes.length - 64) & ~15;
        const flat = flatArgs(at, img.argv, img.envp);
        img.mem.poke(at, flat.bytes);
        let sp = at - 16;
        const table = (sp - inits.length * 8) & ~15;
        inits.forEach((f, i) => img.mem.dv.setBigUint64(table + i * 8, BigInt(f), true));
        sp = table - 16;
        core.setReg(SP, BigInt(sp));
        core.setReg(S1, BigInt(table));
        core.setReg(18, BigInt(inits.length));
        core.setReg(19, BigInt(img.argv.length));
        core.setReg(20, BigInt(flat.argvAt));
        core.setReg(21, BigInt(flat.envAt));
        core.setReg(22, BigInt(img.entry));
        core.pc = code.start;
      }
      if (core.getReg(SP) === 0n) core.setReg(SP, BigInt(LAYOUT.stackTop - 64));
      settings.log.debug({ root, numbering: numbering.name, source: numbering.source }, 'Haiku team loaded');
      return team;
    } catch (e) {
      if (e instanceof HaikuLoadError) throw new ExecError(`${img.execPath}: ${e.message}`, 126);
      throw e;
    }
  }

  private newTeam(img: GuestImage, numbering: Numbering): HaikuTeamHandle {
    return {
      areas: AreaServer.create(), sems: SemServer.create(), ports: PortServer.create(), threads: ThreadServer.create(),
      numbering: { name: numbering.name, entries: [...numbering.byNumber], source: numbering.source },
      execPath: img.execPath, argv: [...img.argv], exitStub: 0, commpage: 0,
    };
  }

  createStub(img: GuestImage, settings: StubSettings): TrapHandler {
    const kernel = settings.kernel;
    if (!kernel) throw new Error('the Haiku personality needs the runtime\'s kernel services');
    const handle = this.load(img, settings);
    const block = kernel.process;
    if (block.rlimit(7).max === 0n) initialLimits(block);
    block.claimOnlySlot(1);
    block.setInt(PB.THREADS, 1);
    const team = teamServers(handle, img.regions);
    settings.log.debug({ numbering: team.numbering.name, source: team.numbering.source }, 'Haiku syscall numbering');
    const tp = mapTls(img.regions, kernel.tid, 'main thread');
    img.core.setThreadPointer(BigInt(tp));
    registerAreas(team);
    team.threads.add(kernel.tid, path.basename(img.execPath).slice(0, 31), 10, TS.RUNNING, [LAYOUT.stackTop - LAYOUT.stackSize, LAYOUT.stackTop]);
    const files = settings.files as FilesServer | undefined ?? this.files();
    files.procSelf = { pid: kernel.pid, exe: img.hostPath };
    const openFiles = settings.jail?.limits.openFiles;
    if (openFiles) { files.fdLimit = openFiles; block.setRlimit(7, BigInt(openFiles), BigInt(openFiles)); }
    return this.stub(settings, img.core, img.mem, files, kernel, team, kernel.tid, 1);
  }

  resume(image: SpawnImage, core: IsaCore, mem: AddressSpace, settings: StubSettings): TrapHandler {
    const kernel = settings.kernel!;
    const fork = image.state as ForkStart;
    if (fork?.kind === 'haiku-fork') return this.resumeForked(image, fork, core, mem, settings);
    const st = image.state as ThreadStart;
    if (!st || st.kind !== 'haiku-thread') throw new Error('unknown Haiku start state');
    const regions = new RegionMap(mem, image.regions.layout, image.regions);
    regions.hooks = sharedFileHooks;
    const team = teamServers(st.team, regions);
    const files = settings.files as FilesServer;
    team.threads.waitResumed(st.tid); // spawn_thread creates the thread suspended
    core.pc = st.pc;
    core.setReg(SP, BigInt(st.sp));
    core.setReg(RA, BigInt(st.ra));
    core.setReg(A0, BigInt(st.a0));
    core.setReg(A0 + 1, BigInt(st.a1));
    core.setThreadPointer(BigInt(st.tp));
    return this.stub(settings, core, mem, files, kernel, team, st.tid, image.slot);
  }

  /** A forked team's only thread: the parent's registers (copied slot), fork returns 0; TLS slot THREAD_ID rewritten. */
  private resumeForked(image: SpawnImage, st: ForkStart, core: IsaCore, mem: AddressSpace, settings: StubSettings): TrapHandler {
    const kernel = settings.kernel!;
    const regions = new RegionMap(mem, image.regions.layout, image.regions);
    regions.hooks = sharedFileHooks;
    const block = new ProcessBlock(image.processBlock);
    block.claimOnlySlot(image.slot);
    block.setInt(PB.THREADS, 1);
    const team = teamServers(st.team, regions);
    const files = settings.files as FilesServer;
    files.procSelf = { pid: kernel.pid, exe: st.hostExe };
    team.threads.add(kernel.tid, st.threadName, 10, TS.RUNNING, st.stack);
    core.pc = st.pc;
    const v = (core as unknown as Rv64StateView).s;
    if (v) { v.fflags = st.fflags; v.frm = st.frm; }
    riscv64HaikuAbi.setResult(core, 0n); // the child's return value from fork
    const tp = Number(BigInt.asUintN(64, core.getReg(4)));
    if (tp && mem.check(tp, 64, 2)) mem.dv.setBigUint64(tp + 8, BigInt(kernel.tid), true); // TLS slot 1: THREAD_ID
    const stub = this.stub(settings, core, mem, files, kernel, team, kernel.tid, image.slot);
    if (st.exec) {
      // load_image: nothing of the parent's code runs; the first ecall (the code page's exit stub) becomes the exec
      stub.pendingExec = st.exec;
      core.pc = st.team.exitStub;
    }
    return stub;
  }

  private stub(settings: StubSettings, core: IsaCore, mem: AddressSpace, files: FilesServer, kernel: KernelServices,
    team: HaikuTeam, tid: number, slot: number): HaikuStub {
    const stub = new HaikuStub({ trace: settings.trace, stats: settings.stats, log: settings.log }, {
      core, mem, abi: riscv64HaikuAbi, table: haikuSyscallTable, files, kernel, team, tid, slot,
      spawn: (s, attrs) => spawnThread(s, attrs),
      fork: (s, exec) => forkTeam(s, exec),
      deny: settings.jail && settings.jail.syscalls.deny.length
        ? { names: new Set(settings.jail.syscalls.deny), action: settings.jail.syscalls.action } : undefined,
    });
    files.setInterrupter?.({ wakeFd: kernel.wakeFd, wakeCell: { array: kernel.thread.i32, index: 0 }, pending: () => false });
    return stub;
  }
}

/** A runtime_loader is used only when it is for this ISA (a root may hold another architecture's). */
function isRiscv64Elf(p: string): boolean {
  if (!existsSync(p)) return false;
  try { return parseElf(new Uint8Array(readFileSync(p))).isa === 'riscv64'; } catch { return false; }
}

/** Every mapping made before the program runs (images, stack, TLS, code) is an area, as on Haiku. */
function registerAreas(team: HaikuTeam): void {
  for (const r of team.regions.list()) {
    const name = (r.name.split('/').pop() ?? r.name).replace(/^\[|\]$/g, '') || 'area';
    team.areas.add(r.start, r.end - r.start, r.prot, 0, name.slice(0, 31));
  }
}

function initialLimits(block: ProcessBlock): void {
  const INF = (1n << 64n) - 1n;
  for (let r = 0; r < 16; r++) block.setRlimit(r, INF, INF);
  block.setRlimit(3, 16n << 20n, INF); // stack
  block.setRlimit(7, 1024n, 4096n); // open files
  block.setRlimit(4, 0n, INF); // core
}

function allocSlot(block: ProcessBlock): number {
  for (let s = 1; s < MAX_SLOTS; s++) {
    const word = PB.SLOTS + (s >> 5);
    const bit = 1 << (s & 31);
    if ((Atomics.or(block.i32, word, bit) & bit) === 0) return s;
  }
  return -1;
}

/** spawn_thread: a stack area, a TLS block, a register slot and a worker; the thread waits for resume_thread. */
function spawnThread(s: HaikuStub, attrs: ThreadAttributes): number {
  const team = s.team;
  const block = s.kernel.process;
  const slot = allocSlot(block);
  if (slot < 0) return B_NO_MORE_THREADS;
  const tid = s.kernel.allocTid();
  let stackLo = attrs.stackAddress;
  let stackSize = attrs.stackSize || THREAD_STACK;
  if (!stackLo) {
    stackSize = Math.ceil(stackSize / 4096) * 4096;
    stackLo = team.regions.placeAndMap(stackSize, 0, 3, `${attrs.name}_${tid}_stack`);
    if (stackLo < 0) { block.releaseSlot(slot); return B_NO_MORE_THREADS; }
    team.areas.add(stackLo, stackSize, 3 | 8, 0, `${attrs.name}_${tid}_stack`.slice(0, 31));
  }
  const tp = mapTls(team.regions, tid, attrs.name);
  s.mem.u8.fill(0, slot * SLOT_SIZE, (slot + 1) * SLOT_SIZE);
  team.threads.add(tid, attrs.name.slice(0, 31), attrs.priority, TS.SUSPENDED, [stackLo, stackLo + stackSize]);
  const state: ThreadStart = {
    kind: 'haiku-thread', team: team.handle, tid, pc: attrs.entry, sp: (stackLo + stackSize - 16) & ~15, tp,
    ra: team.handle.exitStub, a0: attrs.args1.toString(), a1: attrs.args2.toString(),
  };
  Atomics.add(block.i32, PB.THREADS, 1);
  s.kernel.spawnThread({
    memory: s.mem.memory, regions: team.regions.share(), files: s.files.share(), processBlock: block.sab, slot,
    isa: 'riscv64', endian: 'little', personality: 'haiku', state,
  }, tid);
  return tid;
}
