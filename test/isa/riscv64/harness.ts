/**
 * Test harness for the RV64 core: a tiny static-ELF loader and a run loop
 * that services only write(64), exit(93) and exit_group(94).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AddressSpace, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../../src/memory/address-space.js';
import { Rv64Core } from '../../../src/isa/riscv64/core.js';
import { StopKind, type CoreFault } from '../../../src/plugin/contracts.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/bin/riscv64/isa/', import.meta.url));

export const STACK_TOP = 0x7fff0000;
const STACK_SIZE = 0x20000;

export function loadElf(mem: AddressSpace, image: Uint8Array): number {
  const dv = new DataView(image.buffer, image.byteOffset, image.byteLength);
  if (dv.getUint32(0, false) !== 0x7f454c46 || image[4] !== 2 || image[5] !== 1) throw new Error('not an ELF64 LE file');
  if (dv.getUint16(18, true) !== 243) throw new Error('not a RISC-V ELF');
  const entry = Number(dv.getBigUint64(24, true));
  const phoff = Number(dv.getBigUint64(32, true));
  const phentsize = dv.getUint16(54, true);
  const phnum = dv.getUint16(56, true);
  for (let k = 0; k < phnum; k++) {
    const o = phoff + k * phentsize;
    if (dv.getUint32(o, true) !== 1) continue; // PT_LOAD
    const flags = dv.getUint32(o + 4, true);
    const off = Number(dv.getBigUint64(o + 8, true));
    const vaddr = Number(dv.getBigUint64(o + 16, true));
    const filesz = Number(dv.getBigUint64(o + 32, true));
    const memsz = Number(dv.getBigUint64(o + 40, true));
    const start = vaddr & ~0xfff;
    const end = (vaddr + memsz + 0xfff) & ~0xfff;
    const prot = (flags & 4 ? PROT_READ : 0) | (flags & 2 ? PROT_WRITE : 0) | (flags & 1 ? PROT_EXEC : 0);
    mem.mapPages(start, end - start, prot);
    mem.poke(vaddr, image.subarray(off, off + filesz));
  }
  return entry;
}

export interface RunResult {
  exitCode: number | null;
  stop: StopKind;
  fault: CoreFault | null;
  stderr: string;
  stdout: string;
  instret: number;
  core: Rv64Core;
}

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
  const out: Record<number, string[]> = { 1: [], 2: [] };
  const dec = new TextDecoder();
  for (;;) {
    const stop = core.run(budget);
    if (stop === StopKind.Budget) {
      if (core.instret >= maxInsns) throw new Error('instruction limit reached');
      continue;
    }
    const res = (exitCode: number | null): RunResult => ({
      exitCode, stop, fault: core.fault, stdout: out[1].join(''), stderr: out[2].join(''), instret: core.instret, core,
    });
    if (stop !== StopKind.Syscall) return res(null);
    const nr = core.getRegLo(17);
    if (nr === 93 || nr === 94) return res(core.getRegLo(10));
    if (nr === 64) {
      const fd = core.getRegLo(10), buf = core.getRegLo(11) >>> 0, len = core.getRegLo(12) >>> 0;
      (out[fd] ??= []).push(dec.decode(core.mem.readBytes(buf, len)));
      core.setReg(10, BigInt(len));
    } else {
      core.setReg(10, -38n); // -ENOSYS
    }
    core.pc += 4;
  }
}

export function runElf(name: string): RunResult {
  const { mem, core } = makeCore();
  core.pc = loadElf(mem, readFileSync(FIXTURES + name));
  return runCore(core);
}
