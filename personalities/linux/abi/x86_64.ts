/**
 * Linux on x86-64 (LP64): the arch record and the syscall calling
 * convention. `syscall`; number in rax; arguments rdi rsi rdx r10 r8 r9;
 * result in rax, errors as -errno; the instruction itself clobbers rcx
 * (return address) and r11 (rflags). The numbering is x86-64's own
 * (x86_64-syscalls.ts); errno, signal numbers, O_* values and the socket ABI
 * are the generic ones; struct stat is x86-64's (nlink before mode, 144
 * bytes); struct epoll_event is packed (12 bytes); struct sigaction is
 * {handler, flags, restorer, mask} and glibc always passes SA_RESTORER;
 * clone takes (flags, stack, ptid, ctid, tls).
 */
import type { IsaCore, SyscallAbi } from '../../../src/plugin/contracts.js';
import { linuxErrno } from './errno.js';
import { genericFileAbi } from './file-abi-generic.js';
import { layout, type FileAbi } from './file-abi.js';
import { genericMman } from './mman.js';
import { genericSaFlags, genericSignals } from './signals.js';
import { x86_64Syscalls } from './x86_64-syscalls.js';
import { x86_64SignalFrames } from './x86_64-signal.js';
import type { LinuxArch } from './arch.js';
import { genericSockets } from './sockets.js';
import { CPUID1_EDX } from '../../../src/isa/x86/cpuid.js';

const RAX = 0;
/** Argument registers: rdi rsi rdx r10 r8 r9. */
const ARGS = [7, 6, 2, 10, 8, 9];

/** arch/x86/include/uapi/asm/stat.h, struct stat for x86-64: 144 bytes. */
const stat = layout(144, [
  ['dev', 0, 8], ['ino', 8, 8], ['nlink', 16, 8], ['mode', 24, 4], ['uid', 28, 4], ['gid', 32, 4],
  ['rdev', 40, 8], ['size', 48, 8, true], ['blksize', 56, 8, true], ['blocks', 64, 8, true],
  ['atime', 72, 8, true], ['atime_nsec', 80, 8], ['mtime', 88, 8, true], ['mtime_nsec', 96, 8],
  ['ctime', 104, 8, true], ['ctime_nsec', 112, 8],
]);

/** struct epoll_event is __attribute__((packed)) on x86-64: u32 events, u64 data at 4. */
export const packedEpollEvent = layout(12, [['events', 0, 4], ['data', 4, 8]]);

export const x86_64FileAbi: FileAbi = {
  ...genericFileAbi,
  layouts: { ...genericFileAbi.layouts, stat, epollEvent: packedEpollEvent },
};

export const x86_64Arch: LinuxArch & {
  readonly sigactionLayout: { handler: number; flags: number; restorer: number; mask: number; flagsSize: number };
  readonly cloneArgs: 'flags-stack-ptid-ctid-tls';
} = {
  machine: 'x86_64',
  isa: 'x86_64',
  endian: 'little',
  wordSize: 64,
  syscalls: x86_64Syscalls,
  errno: linuxErrno,
  file: x86_64FileAbi,
  sockets: genericSockets,
  mman: genericMman,
  signals: genericSignals,
  sa: genericSaFlags,
  signalFrames: x86_64SignalFrames,
  platform: 'x86_64',
  hwcap: BigInt(CPUID1_EDX >>> 0),
  pageSize: 4096,
  sigactionLayout: { handler: 0, flags: 8, restorer: 16, mask: 24, flagsSize: 8 },
  cloneArgs: 'flags-stack-ptid-ctid-tls',
};

export const x86_64SyscallAbi: SyscallAbi = {
  number: (core: IsaCore) => core.getRegLo(RAX),
  arg: (core: IsaCore, i: number) => (i < 6 ? core.getReg(ARGS[i]) : 0n),
  setResult: (core: IsaCore, v: bigint) => core.setReg(RAX, BigInt.asUintN(64, v)),
  setError: (core: IsaCore, errno: number) => core.setReg(RAX, BigInt.asUintN(64, BigInt(-errno))),
  advance: (core: IsaCore) => { core.pc += 2; },
  // the number is still in rax (nothing was written back before a restart)
  restart: (core: IsaCore, asNumber?: number) => {
    if (asNumber !== undefined) core.setReg(RAX, BigInt(asNumber));
    core.pc -= 2;
  },
};
