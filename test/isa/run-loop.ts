/**
 * The run loop every ISA test harness shares (test/isa/<arch>/harness.ts):
 * runs a core until its program exits or stops on something other than a
 * syscall, collecting what it writes to fds 1 and 2. Each ISA brings only
 * its syscall convention, as a `SyscallService` that reads the call from the
 * registers, answers it and moves the PC on.
 */
import { PROT_EXEC, PROT_READ, PROT_WRITE, type AddressSpace } from '../../src/memory/address-space.js';
import { StopKind, type CoreFault, type IsaCore } from '../../src/plugin/contracts.js';

export interface RunResult<C extends IsaCore> {
  exitCode: number | null;
  stop: StopKind;
  fault: CoreFault | null;
  stderr: string;
  stdout: string;
  instret: number;
  core: C;
}

/** What the program asked for at a syscall stop: exit, a write, a call the service answered itself, or anything else (null: ENOSYS). */
export type SyscallRequest = { exit: number } | { write: { fd: number; bytes: Uint8Array } } | { answered: true } | null;

export interface SyscallService<C extends IsaCore> {
  /** Decodes the call at a syscall stop; answers what it can by itself (getpid, TLS...) and says so. */
  decode(core: C): SyscallRequest;
  /** Writes the result (`errno` 0) or the failure, and moves past the trap. */
  finish(core: C, result: number, errno: number): void;
  /** The ISA's ENOSYS value. */
  readonly ENOSYS: number;
}

/** Runs `core` until exit or a non-syscall stop (an instruction limit guards against runaways). */
export function runCore<C extends IsaCore & { fault: CoreFault | null }>(core: C, service: SyscallService<C>, maxInsns = 5e9, budget = 1 << 20): RunResult<C> {
  const out: Record<number, string[]> = { 1: [], 2: [] };
  const dec = new TextDecoder();
  for (;;) {
    const stop = core.run(budget);
    if (stop === StopKind.Budget) {
      if (core.instret >= maxInsns) throw new Error('instruction limit reached');
      continue;
    }
    const res = (exitCode: number | null): RunResult<C> => ({
      exitCode, stop, fault: core.fault, stdout: out[1].join(''), stderr: out[2].join(''), instret: core.instret, core,
    });
    if (stop !== StopKind.Syscall) return res(null);
    const req = service.decode(core);
    if (req && 'exit' in req) return res(req.exit);
    if (req && 'write' in req) {
      (out[req.write.fd] ??= []).push(dec.decode(req.write.bytes));
      service.finish(core, req.write.bytes.length, 0);
    } else if (req === null) {
      service.finish(core, 0, service.ENOSYS);
    }
  }
}

/** Maps one PT_LOAD segment (ELF p_flags: 4 read, 2 write, 1 execute) and copies its file bytes. */
export function mapSegment(mem: AddressSpace, vaddr: number, memsz: number, flags: number, bytes: Uint8Array): void {
  const start = vaddr & ~0xfff;
  const end = (vaddr + memsz + 0xfff) & ~0xfff;
  const prot = (flags & 4 ? PROT_READ : 0) | (flags & 2 ? PROT_WRITE : 0) | (flags & 1 ? PROT_EXEC : 0);
  mem.mapPages(start, end - start, prot);
  mem.poke(vaddr, bytes);
}

/** Maps the PT_LOAD segments of a static little-endian ELF64 for machine `machine` (243 RISC-V, 183 AArch64); returns the entry. */
export function loadElf64(mem: AddressSpace, image: Uint8Array, machine: number, machineName: string): number {
  const dv = new DataView(image.buffer, image.byteOffset, image.byteLength);
  if (dv.getUint32(0, false) !== 0x7f454c46 || image[4] !== 2 || image[5] !== 1) throw new Error('not an ELF64 LE file');
  if (dv.getUint16(18, true) !== machine) throw new Error(`not a ${machineName} ELF`);
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
    mapSegment(mem, vaddr, memsz, flags, image.subarray(off, off + filesz));
  }
  return entry;
}
