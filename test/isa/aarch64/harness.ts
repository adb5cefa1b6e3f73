/**
 * Test harness for the AArch64 core: the shared ELF64 loader and run loop
 * (../run-loop.ts) with the Linux arm64 convention (x8 number, x0.. arguments,
 * x0 result) for write(64), exit(93) and exit_group(94); every other call
 * gets ENOSYS. `asm` builds a core over a page of hand-encoded instructions.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AddressSpace, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../../src/memory/address-space.js';
import { A64Core } from '../../../src/isa/aarch64/core.js';
import { loadElf64, runCore as runLoop, type RunResult as LoopResult, type SyscallService } from '../run-loop.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/bin/aarch64/isa/', import.meta.url));
export const EXPECTED = fileURLToPath(new URL('../../fixtures/expected/aarch64/isa/', import.meta.url));

export const STACK_TOP = 0x7fff0000;
const STACK_SIZE = 0x20000;
export const CODE = 0x10000000;
export const DATA = 0x20000000;

export type RunResult = LoopResult<A64Core>;

const a64Syscalls: SyscallService<A64Core> = {
  ENOSYS: 38,
  decode(core) {
    const nr = core.getRegLo(8);
    if (nr === 93 || nr === 94) return { exit: core.getRegLo(0) };
    if (nr === 64) return { write: { fd: core.getRegLo(0), bytes: core.mem.readBytes(core.getRegLo(1) >>> 0, core.getRegLo(2) >>> 0) } };
    return null;
  },
  finish(core, result, errno) {
    core.setReg(0, BigInt.asUintN(64, BigInt(errno ? -errno : result)));
    core.pc += 4;
  },
};

/** A fresh address space + core with a mapped stack (16-aligned sp), ready to run. */
export function makeCore(slot = 1): { mem: AddressSpace; core: A64Core } {
  const mem = new AddressSpace();
  mem.mapPages(STACK_TOP - STACK_SIZE, STACK_SIZE, PROT_READ | PROT_WRITE);
  const core = new A64Core(mem, slot);
  core.setReg(31, BigInt(STACK_TOP - 0x1000));
  return { mem, core };
}

export function runCore(core: A64Core, maxInsns = 5e9, budget = 1 << 20): RunResult {
  return runLoop(core, a64Syscalls, maxInsns, budget);
}

export function runElf(name: string): RunResult {
  const { mem, core } = makeCore();
  core.pc = loadElf64(mem, readFileSync(FIXTURES + name), 183, 'AArch64');
  return runCore(core);
}

/** A core whose code page at CODE holds `words` (then an exit(x0) sequence), with a data page at DATA. */
export function asm(words: number[]): { mem: AddressSpace; core: A64Core } {
  const { mem, core } = makeCore();
  const all = [...words, 0xd2800ba8 /* mov x8, #93 */, 0xd4000001 /* svc #0 */];
  const bytes = new Uint8Array(new Uint32Array(all).buffer);
  mem.mapPages(CODE, 4096, PROT_READ | PROT_WRITE);
  mem.poke(CODE, bytes);
  mem.protectPages(CODE, 4096, PROT_READ | PROT_EXEC);
  mem.mapPages(DATA, 4096, PROT_READ | PROT_WRITE);
  core.pc = CODE;
  return { mem, core };
}
