/**
 * Test harness for the MIPS cores: a tiny static ELF32 loader (either byte
 * order) that also reads the FP ABI from PT_MIPS_ABIFLAGS / e_flags, and the
 * shared run loop (../run-loop.ts) with the o32 convention (v0 result, a3
 * error flag) for write(4004), exit(4001), exit_group(4246), getpid(4020)
 * and set_thread_area(4283); every other call gets ENOSYS.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AddressSpace, PROT_READ, PROT_WRITE } from '../../../src/memory/address-space.js';
import { MipsCore } from '../../../src/isa/mips/core.js';
import { fpuModeForElf, type FpuMode } from '../../../src/isa/mips/state.js';
import type { Endian } from '../../../src/plugin/contracts.js';
import { mapSegment, runCore as runLoop, type RunResult as LoopResult, type SyscallService } from '../run-loop.js';

export const FIXTURES_EL = fileURLToPath(new URL('../../fixtures/bin/mipsel/isa/', import.meta.url));
export const FIXTURES_EB = fileURLToPath(new URL('../../fixtures/bin/mips/isa/', import.meta.url));

export const STACK_TOP = 0x7fff0000;
const STACK_SIZE = 0x20000;
const PT_MIPS_ABIFLAGS = 0x70000003;

export interface LoadedElf { entry: number; endian: Endian; fpu: FpuMode }

export function loadElf(mem: AddressSpace, image: Uint8Array): LoadedElf {
  const dv = new DataView(image.buffer, image.byteOffset, image.byteLength);
  if (dv.getUint32(0, false) !== 0x7f454c46 || image[4] !== 1) throw new Error('not an ELF32 file');
  const le = image[5] === 1;
  if (dv.getUint16(18, le) !== 8) throw new Error('not a MIPS ELF');
  const entry = dv.getUint32(24, le);
  const phoff = dv.getUint32(28, le);
  const eflags = dv.getUint32(36, le);
  const phentsize = dv.getUint16(42, le);
  const phnum = dv.getUint16(44, le);
  let fpAbi: number | null = null;
  for (let k = 0; k < phnum; k++) {
    const o = phoff + k * phentsize;
    const type = dv.getUint32(o, le);
    const off = dv.getUint32(o + 4, le);
    if (type === PT_MIPS_ABIFLAGS) { fpAbi = image[off + 7]; continue; }
    if (type !== 1) continue; // PT_LOAD
    const vaddr = dv.getUint32(o + 8, le);
    const filesz = dv.getUint32(o + 16, le);
    const memsz = dv.getUint32(o + 20, le);
    const flags = dv.getUint32(o + 24, le);
    mapSegment(mem, vaddr, memsz, flags, image.subarray(off, off + filesz));
  }
  return { entry, endian: le ? 'little' : 'big', fpu: fpuModeForElf(fpAbi, eflags) };
}

export type RunResult = LoopResult<MipsCore>;

/** o32 convention: number in v0, arguments a0..a2, result in v0 and the error flag in a3. */
const o32Syscalls: SyscallService<MipsCore> = {
  ENOSYS: 89,
  decode(core) {
    const nr = core.getRegLo(2);
    const a0 = core.getRegLo(4), a1 = core.getRegLo(5), a2 = core.getRegLo(6);
    if (nr === 4001 || nr === 4246) return { exit: a0 & 255 };
    if (nr === 4004) return { write: { fd: a0, bytes: core.mem.readBytes(a1 >>> 0, a2 >>> 0) } };
    if (nr === 4020) { this.finish(core, 4242, 0); return { answered: true }; }
    if (nr === 4283) { core.setThreadPointer(BigInt(a0 >>> 0)); this.finish(core, 0, 0); return { answered: true }; }
    return null;
  },
  finish(core, result, errno) {
    core.setRegNum(2, errno ? errno : result);
    core.setRegNum(7, errno ? 1 : 0);
    core.pc += 4;
  },
};

/** A fresh address space + core with a mapped stack, ready to run. */
export function makeCore(endian: Endian, slot = 1): { mem: AddressSpace; core: MipsCore } {
  const mem = new AddressSpace();
  mem.mapPages(STACK_TOP - STACK_SIZE, STACK_SIZE, PROT_READ | PROT_WRITE);
  const core = new MipsCore(mem, slot, { endian });
  core.setReg(29, BigInt(STACK_TOP - 0x1000));
  return { mem, core };
}

/** Runs `core` until exit or a non-syscall stop. */
export function runCore(core: MipsCore, maxInsns = 5e9, budget = 1 << 20): RunResult {
  return runLoop(core, o32Syscalls, maxInsns, budget);
}

export function runElf(path: string): RunResult {
  const image = readFileSync(path);
  const { mem, core } = makeCore(image[5] === 2 ? 'big' : 'little');
  const l = loadElf(mem, image);
  core.setFpuMode(l.fpu);
  core.pc = l.entry;
  return runCore(core);
}
