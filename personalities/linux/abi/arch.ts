/**
 * Everything that differs between Linux arches, as data. Handlers are written
 * once against this record; each arch file (riscv64.ts, mips-o32.ts, ...)
 * fills it in.
 */
import type { Endian, IsaName } from '../../../src/plugin/contracts.js';
import type { Errno } from '../../../servers/common/errno.js';
import type { FileAbi } from './file-abi.js';
import type { MmanFlags } from './mman.js';
import type { SaFlags, SignalTable } from './signals.js';
import type { SignalFrameAbi } from './signal-frame.js';

export interface LinuxArch {
  /** Arch name as uname -m prints it ('riscv64', 'mips'). */
  readonly machine: string;
  readonly isa: IsaName;
  readonly endian: Endian;
  readonly wordSize: 32 | 64;
  /** Syscall number → handler name (names follow the kernel's, e.g. 'openat', 'newfstatat'). */
  readonly syscalls: ReadonlyMap<number, string>;
  /** Neutral errno → this arch's positive number. */
  readonly errno: Readonly<Record<Errno, number>>;
  /** O_* values, struct layouts and other file-ABI facts. */
  readonly file: FileAbi;
  /** Socket types, SOCK_* flags and socket options. */
  readonly sockets: import('./sockets.js').SocketAbi;
  /** AT_PLATFORM string (null where the kernel passes none, as on riscv64) and AT_HWCAP value. */
  readonly platform: string | null;
  readonly hwcap: bigint;
  /** mmap flag values (MIPS differs from the generic ones). */
  readonly mman: MmanFlags;
  /** Signal numbers ↔ neutral names. */
  readonly signals: SignalTable;
  /** sigaction flag values. */
  readonly sa: SaFlags;
  /** Signal frames (set up by the runtime; optional until an arch has them). */
  readonly signalFrames?: SignalFrameAbi;
  /** This arch's resource number → the generic (asm-generic) one the runtime stores; identity when absent. */
  readonly rlimitToGeneric?: readonly number[];
  /** Page size reported to the guest. */
  readonly pageSize: number;
}
