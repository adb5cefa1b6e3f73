/**
 * Linux on arm64 (AArch64, LP64): the arch record and the syscall calling
 * convention. svc #0; number in x8; arguments x0..x5; result in x0, errors
 * as -errno. The syscall numbering is asm-generic (renameat included: arm64
 * defines __ARCH_WANT_RENAMEAT), errno and signal numbers are generic, the
 * file ABI is asm-generic but for four O_* bits (file-abi-generic.ts
 * aarch64FileAbi), struct sigaction is {handler, flags, restorer, mask}
 * (arm64 has SA_RESTORER), clone takes (flags, stack, ptid, tls, ctid).
 */
import type { IsaCore, SyscallAbi } from '../../../src/plugin/contracts.js';
import { linuxErrno } from './errno.js';
import { aarch64FileAbi } from './file-abi-generic.js';
import { genericMman } from './mman.js';
import { genericSaFlags, genericSignals } from './signals.js';
import { aarch64SignalFrames } from './aarch64-signal.js';
import { genericSyscalls } from './syscalls-generic.js';
import type { LinuxArch } from './arch.js';
import { genericSockets } from './sockets.js';

const X0 = 0;
const X8 = 8;

/**
 * AT_HWCAP bits (arch/arm64/include/uapi/asm/hwcap.h) for what the core
 * implements: FP (0), ASIMD (1), CRC32 (7), ATOMICS (8, LSE), CPUID (11: MRS
 * of the ID registers is emulated).
 */
export const AARCH64_HWCAP = {
  FP: 1n << 0n, ASIMD: 1n << 1n, EVTSTRM: 1n << 2n, AES: 1n << 3n, PMULL: 1n << 4n, SHA1: 1n << 5n, SHA2: 1n << 6n,
  CRC32: 1n << 7n, ATOMICS: 1n << 8n, FPHP: 1n << 9n, ASIMDHP: 1n << 10n, CPUID: 1n << 11n,
} as const;
const H = AARCH64_HWCAP;

export const aarch64Arch: LinuxArch & {
  readonly sigactionLayout: { handler: number; flags: number; restorer: number; mask: number; flagsSize: number };
  readonly cloneArgs: 'flags-stack-ptid-tls-ctid';
} = {
  machine: 'aarch64',
  isa: 'aarch64',
  endian: 'little',
  wordSize: 64,
  syscalls: genericSyscalls,
  errno: linuxErrno,
  file: aarch64FileAbi,
  sockets: genericSockets,
  mman: genericMman,
  signals: genericSignals,
  sa: genericSaFlags,
  signalFrames: aarch64SignalFrames,
  platform: 'aarch64',
  hwcap: H.FP | H.ASIMD | H.CRC32 | H.ATOMICS | H.CPUID,
  pageSize: 4096,
  sigactionLayout: { handler: 0, flags: 8, restorer: 16, mask: 24, flagsSize: 8 },
  cloneArgs: 'flags-stack-ptid-tls-ctid',
};

export const aarch64SyscallAbi: SyscallAbi = {
  number: (core: IsaCore) => core.getRegLo(X8),
  arg: (core: IsaCore, i: number) => core.getReg(X0 + i),
  setResult: (core: IsaCore, v: bigint) => core.setReg(X0, BigInt.asUintN(64, v)),
  setError: (core: IsaCore, errno: number) => core.setReg(X0, BigInt.asUintN(64, BigInt(-errno))),
  advance: (core: IsaCore) => { core.pc += 4; },
  restart: (core: IsaCore, asNumber?: number) => {
    if (asNumber !== undefined) core.setReg(X8, BigInt(asNumber));
    core.pc -= 4;
  },
};
