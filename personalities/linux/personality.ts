/**
 * The Linux personality: which ISAs it speaks, where it puts things in a new
 * address space, how it starts a process, and its per-process stub.
 */
import { posix } from 'node:path';
import { inject, injectable } from 'inversify';
import type { FilesServer } from '../../servers/files/files-server.js';

/** Makes the files server (fd table) of a new process. */
export type FilesServerFactory = () => FilesServer;
import type {
  AddressLayout, GuestImage, IsaName, Personality, SyscallAbi, StubSettings, TrapHandler,
} from '../../src/plugin/contracts.js';
import { TOKENS } from '../../src/plugin/contracts.js';
import type { LinuxArch } from './abi/arch.js';
import { riscv64Arch, riscv64SyscallAbi } from './abi/riscv64.js';
import { LinuxProcessState } from './process-state.js';
import { buildInitialStack } from './setup.js';
import { linuxElfSniffer } from './sniffer.js';
import { LinuxStub } from './stub.js';
import { linuxSyscallTable } from './syscalls/table.js';

interface ArchEntry { arch: LinuxArch; abi: SyscallAbi; initRegs: (img: GuestImage, sp: number) => void }

const ARCHES: Partial<Record<IsaName, ArchEntry>> = {
  riscv64: {
    arch: riscv64Arch,
    abi: riscv64SyscallAbi,
    initRegs: (img, sp) => {
      img.core.setReg(2, BigInt(sp)); // sp
      img.core.setReg(10, 0n); // a0: rtld_fini = NULL
      img.core.pc = img.startPc;
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
  private readonly states = new WeakMap<GuestImage, LinuxProcessState>();

  constructor(@inject(TOKENS.FilesServer) private readonly files: FilesServerFactory) {}

  supports(isa: IsaName): boolean {
    return ARCHES[isa] !== undefined;
  }

  layout(_isa: IsaName): AddressLayout {
    return LAYOUT;
  }

  private entry(img: GuestImage): ArchEntry {
    const e = img.claim.isa ? ARCHES[img.claim.isa] : undefined;
    if (!e) throw new Error(`the Linux personality has no syscall ABI for ${img.claim.isa}`);
    return e;
  }

  setupProcess(img: GuestImage): void {
    const { arch, initRegs } = this.entry(img);
    const state = new LinuxProcessState(img.regions);
    state.brkStart = state.brkCur = img.end;
    state.brkLimit = Math.max(LAYOUT.mmapBottom, img.end);
    state.execPath = img.execPath;
    state.hostExePath = img.hostPath;
    state.threadName = img.execPath.split('/').pop()!.slice(0, 15);
    img.regions.map(LAYOUT.stackTop - LAYOUT.stackSize, LAYOUT.stackSize, 3, '[stack]');
    const sp = buildInitialStack(img, arch, LAYOUT.stackTop, credentials());
    initRegs(img, sp);
    this.states.set(img, state);
  }

  createStub(img: GuestImage, settings: StubSettings): TrapHandler {
    const { arch, abi } = this.entry(img);
    const state = this.states.get(img);
    if (!state) throw new Error('setupProcess must run before createStub');
    const cred = credentials();
    const pid = process.pid;
    const files = this.files();
    files.procSelf = { pid, exe: absoluteGuestPath(files.getcwd(), img.hostPath) };
    return new LinuxStub(
      { trace: settings.trace, stats: settings.stats, log: settings.log },
      img.core, img.mem, arch, abi, linuxSyscallTable, files, {
        pid, ppid: process.ppid, tid: pid, pgid: pid, sid: pid,
        uid: cred.uid, euid: cred.euid, suid: cred.euid,
        gid: cred.gid, egid: cred.egid, sgid: cred.egid,
        groups: process.getgroups?.() ?? [],
      }, state,
    );
  }
}

function credentials(): { uid: number; euid: number; gid: number; egid: number } {
  return {
    uid: process.getuid?.() ?? 0,
    euid: process.geteuid?.() ?? 0,
    gid: process.getgid?.() ?? 0,
    egid: process.getegid?.() ?? 0,
  };
}

function absoluteGuestPath(cwd: string, p: string): string {
  return p.startsWith('/') ? p : posix.normalize(`${cwd}/${p}`);
}
