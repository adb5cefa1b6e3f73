/**
 * Test harness for the RV64 core: a tiny static-ELF loader and the shared
 * run loop (../run-loop.ts) with the RV64 convention for write(64), exit(93)
 * and exit_group(94); every other call gets ENOSYS.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AddressSpace, PROT_READ, PROT_WRITE } from '../../../src/memory/address-space.js';
import { Rv64Core } from '../../../src/isa/riscv64/core.js';
import { loadElf64, runCore as runLoop, type RunResult as LoopResult, type SyscallService } from '../run-loop.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/bin/riscv64/isa/', import.meta.url));

export const STACK_TOP = 0x7fff0000;
const STACK_SIZE = 0x20000;

export function loadElf(mem: AddressSpace, image: Uint8Array): number {
  return loadElf64(mem, image, 243, 'RISC-V');
}

export type RunResult = LoopResult<Rv64Core>;

/** RV64 Linux convention: number in a7, arguments a0..a2, result (or -errno) in a0. */
const rv64Syscalls: SyscallService<Rv64Core> = {
  ENOSYS: 38,
  decode(core) {
    const nr = core.getRegLo(17);
    if (nr === 93 || nr === 94) return { exit: core.getRegLo(10) };
    if (nr === 64) return { write: { fd: core.getRegLo(10), bytes: core.mem.readBytes(core.getRegLo(11) >>> 0, core.getRegLo(12) >>> 0) } };
    return null;
  },
  finish(core, result, errno) {
    core.setReg(10, BigInt(errno ? -errno : result));
    core.pc += 4;
  },
};

/** A fresh address space + core with a mapped stack, ready to run. */
export function makeCore(slot = 1): { mem: AddressSpace; core: Rv64Core } {
  const mem = new AddressSpace();
  mem.mapPages(STACK_TOP - STACK_SIZE, STACK_SIZE, PROT_READ | PROT_WRITE);
  const core = new Rv64Core(mem, slot);
  core.setReg(2, BigInt(STACK_TOP - 0x1000));
  return { mem, core };
}

/** Runs `core` until exit or a non-syscall stop. */
export function runCore(core: Rv64Core, maxInsns = 5e9, budget = 1 << 20): RunResult {
  return runLoop(core, rv64Syscalls, maxInsns, budget);
}

export function runElf(name: string): RunResult {
  const { mem, core } = makeCore();
  core.pc = loadElf(mem, readFileSync(FIXTURES + name));
  return runCore(core);
}
