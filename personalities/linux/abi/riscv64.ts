/**
 * Linux on riscv64 (LP64D): the arch record and the syscall calling convention.
 * ecall; number in a7; arguments a0..a5; result in a0, errors as -errno.
 */
import type { IsaCore, SyscallAbi } from '../../../src/plugin/contracts.js';
import { linuxErrno } from './errno.js';
import { genericFileAbi } from './file-abi-generic.js';
import { genericMman } from './mman.js';
import { genericSaFlags, genericSignals } from './signals.js';
import { riscv64SignalFrames } from './riscv64-signal.js';
import { genericSyscalls, riscvSpecificSyscalls } from './syscalls-generic.js';
import type { LinuxArch } from './arch.js';
import { genericSockets } from './sockets.js';

const A0 = 10;
const A7 = 17;

/** AT_HWCAP: one bit per single-letter extension, bit (letter - 'A'): IMAFDC. */
const hwcap = [...'IMAFDC'].reduce((m, c) => m | (1n << BigInt(c.charCodeAt(0) - 65)), 0n);

export const riscv64Arch: LinuxArch = {
  machine: 'riscv64',
  isa: 'riscv64',
  endian: 'little',
  wordSize: 64,
  syscalls: new Map([...genericSyscalls, ...riscvSpecificSyscalls]),
  errno: linuxErrno,
  file: genericFileAbi,
  sockets: genericSockets,
  mman: genericMman,
  signals: genericSignals,
  sa: genericSaFlags,
  signalFrames: riscv64SignalFrames,
  platform: null,
  hwcap,
  pageSize: 4096,
};

export const riscv64SyscallAbi: SyscallAbi = {
  number: (core: IsaCore) => core.getRegLo(A7),
  arg: (core: IsaCore, i: number) => core.getReg(A0 + i),
  setResult: (core: IsaCore, v: bigint) => core.setReg(A0, BigInt.asUintN(64, v)),
  setError: (core: IsaCore, errno: number) => core.setReg(A0, BigInt.asUintN(64, BigInt(-errno))),
  advance: (core: IsaCore) => { core.pc += 4; },
  restart: (core: IsaCore, asNumber?: number) => {
    if (asNumber !== undefined) core.setReg(A7, BigInt(asNumber));
    core.pc -= 4;
  },
};
