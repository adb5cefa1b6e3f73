/**
 * AArch64 (A64, EL0) tier-0 core: state, decoded-code cache, memory access,
 * faults and the run loop. The decoder is decode.ts; the instruction groups
 * are dp.ts (data processing), branch.ts (branches, exceptions, system),
 * ldst.ts (loads and stores), atomics.ts (exclusives and LSE), vldst.ts
 * (SIMD&FP register loads/stores and the structure forms); the SIMD&FP data
 * processing group is simd.ts's executeSimdFp.
 *
 * - Registers live in the guest memory slot (state.ts) as int32 lo/hi pairs;
 *   SP is pair 31, so "register or SP" operands index the slot directly and
 *   "register or XZR" operands test for 31.
 * - Decoded-instruction cache: per 4 KiB code page an array of handlers (one
 *   per instruction, filled lazily) and the instruction words they were
 *   decoded from; dropped on mem.onCodeChange and IC IVAU.
 * - Memory: every access checks the page protection byte (both pages when it
 *   crosses); misaligned ordinary accesses are performed (Linux runs EL0 with
 *   SCTLR.A = 0); exclusives, acquire/release and LSE atomics must be aligned
 *   (SIGBUS BUS_ADRALN); a load/store based on a misaligned SP is SIGBUS
 *   BUS_ADRALN with si_addr = sp, as Linux's SP alignment check gives.
 * - Faults stop the loop with `core.pc` at the faulting instruction.
 * - Every stop (syscall, fault, budget) clears the exclusive monitor, as an
 *   exception return does on Linux: a store-exclusive after it fails.
 */
import { StopKind, type CoreFault, type FaultSignal, type IsaCore, type IsaCoreFactory } from '../../plugin/contracts.js';
import { PAGE_MAPPED, PROT_EXEC, type AddressSpace } from '../../memory/address-space.js';
import { A64State, SLOT_SIZE } from './state.js';
import { out } from './alu.js';
import { decode, type Handler } from './decode.js';
import { forLivePages, unwatchCodeChanges, watchCodeChanges } from '../code-watch.js';

const PAGE_INSNS = 1024;
const TWO32 = 4294967296;
const R = 1, W = 2;

/** Thrown by handlers and memory helpers to stop the loop (fault set, or a syscall/breakpoint stop). */
export const STOP = { stop: true };

interface CodePage { f: (Handler | undefined)[]; w: Int32Array }

export class A64Core implements IsaCore {
  readonly isa = 'aarch64' as const;
  readonly s: A64State;
  fault: CoreFault | null = null;
  instret = 0;
  /** Why the loop stopped when a handler returned -1 / threw STOP. */
  stopKind: StopKind = StopKind.Budget;

  readonly x: Int32Array;
  readonly u8: Uint8Array;
  readonly u16: Uint16Array;
  readonly i32: Int32Array;
  readonly dv: DataView;
  readonly perms: Uint8Array;
  private readonly l1: ((CodePage | undefined)[] | undefined)[] = new Array(1024).fill(undefined);
  private readonly live = new Set<number>();

  constructor(readonly mem: AddressSpace, readonly slot: number) {
    this.s = new A64State(mem, slot);
    const buf = mem.buffer;
    this.x = this.s.x;
    this.u8 = mem.u8;
    this.u16 = new Uint16Array(buf);
    this.i32 = new Int32Array(buf);
    this.dv = mem.dv;
    this.perms = mem.perms;
    watchCodeChanges(mem, this);
  }

  // ---- IsaCore ---------------------------------------------------------------

  get pc(): number { return this.s.pc; }
  set pc(v: number) { this.s.pc = v >>> 0; }

  getReg(i: number): bigint { return BigInt.asUintN(64, this.s.getX(i)); }
  setReg(i: number, v: bigint): void { this.s.setX(i, v); }
  getRegLo(i: number): number { return this.x[2 * i]; }

  setThreadPointer(v: bigint): void {
    this.s.setTpidr(Number(v & 0xffffffffn) | 0, Number((v >> 32n) & 0xffffffffn) | 0);
  }
  get threadPointer(): bigint { return (BigInt(this.s.tpidrHi >>> 0) << 32n) | BigInt(this.s.tpidrLo >>> 0); }

  copyStateFrom(other: IsaCore): void {
    if (!(other instanceof A64Core)) throw new Error(`cannot copy ${other.isa} state into an aarch64 core`);
    const src = new Int32Array(other.mem.buffer, other.slot * SLOT_SIZE, 200);
    new Int32Array(this.mem.buffer, this.slot * SLOT_SIZE, 200).set(src); // X, SP, V, NZCV, FPCR, FPSR, TPIDR
    this.s.pc = other.s.pc;
    this.s.exclAddr = -1;
  }

  dispose(): void {
    unwatchCodeChanges(this.mem, this);
    for (const p of [...this.live]) this.dropPage(p);
  }

  invalidateCode(start: number, end: number): void {
    if (end <= start || this.live.size === 0) return;
    const first = Math.max(0, Math.floor(start / 4096));
    const last = Math.min((1 << 20) - 1, Math.floor((end - 1) / 4096));
    forLivePages(this.live, first, last, (p) => this.dropPage(p));
  }

  private dropPage(p: number): void {
    const t = this.l1[p >>> 10];
    if (t !== undefined) t[p & 1023] = undefined;
    this.live.delete(p);
  }

  private codePage(page: number): CodePage | null {
    let t = this.l1[page >>> 10];
    const c = t === undefined ? undefined : t[page & 1023];
    if (c !== undefined) return c;
    if ((this.perms[page] & PROT_EXEC) === 0) return null;
    if (t === undefined) t = this.l1[page >>> 10] = new Array(1024).fill(undefined);
    const n: CodePage = { f: new Array(PAGE_INSNS).fill(undefined), w: new Int32Array(PAGE_INSNS) };
    t[page & 1023] = n;
    this.live.add(page);
    return n;
  }

  // ---- faults ------------------------------------------------------------------

  setFault(signal: FaultSignal, code: string, addr: number, pc: number): void {
    this.fault = { signal, code, addr, pc: pc >>> 0 };
    this.stopKind = StopKind.Fault;
  }

  /** SIGILL ILL_ILLOPC at pc (Linux's do_el0_undef). */
  illegal(pc: number): never {
    this.setFault('SIGILL', 'ILL_ILLOPC', pc, pc);
    throw STOP;
  }

  /** Refused data access of `size` bytes at `a` (a JS number, maybe out of the 32-bit space). */
  memFault(a: number, size: number, bit: number, pc: number): never {
    let bad = a;
    if (a >= 0 && a < TWO32 && (this.perms[Math.floor(a / 4096)] & bit) !== 0) bad = (Math.floor(a / 4096) + 1) * 4096;
    const mapped = bad >= 0 && bad < TWO32 && (this.perms[Math.floor(bad / 4096)] & PAGE_MAPPED) !== 0;
    void size;
    this.setFault('SIGSEGV', mapped ? 'SEGV_ACCERR' : 'SEGV_MAPERR', bad < 0 ? bad + 2 ** 64 : bad, pc);
    throw STOP;
  }

  alignFault(a: number, pc: number): never {
    this.setFault('SIGBUS', 'BUS_ADRALN', a, pc);
    throw STOP;
  }

  // ---- operands ------------------------------------------------------------------

  /** Base address from Xn|SP as a JS number (exact below 2^53); SP must be 16-aligned. */
  base(n: number, pc: number): number {
    const x = this.x;
    const lo = x[2 * n], hi = x[2 * n + 1];
    if (n === 31 && (lo & 15) !== 0) {
      this.setFault('SIGBUS', 'BUS_ADRALN', (hi >>> 0) * TWO32 + (lo >>> 0), pc);
      throw STOP;
    }
    return hi * TWO32 + (lo >>> 0);
  }

  /** Writes Xn|SP from a JS number (writeback). */
  setNum(n: number, v: number): void {
    this.x[2 * n] = v | 0;
    this.x[2 * n + 1] = Math.floor(v / TWO32) | 0;
  }

  // ---- memory --------------------------------------------------------------------

  /** Checks a `size`-byte access at `a` needing `bit`; returns `a` as a valid uint32 address. */
  chk(a: number, size: number, bit: number, pc: number): number {
    if (a < 0 || a > TWO32 - size) this.memFault(a, size, bit, pc);
    const p = a >>> 12;
    if ((this.perms[p] & bit) === 0 || (((a + size - 1) >>> 12) !== p && (this.perms[p + 1] & bit) === 0)) this.memFault(a, size, bit, pc);
    return a;
  }

  ld8(a: number, pc: number): number { return this.u8[this.chk(a, 1, R, pc)]; }
  ld16(a: number, pc: number): number {
    this.chk(a, 2, R, pc);
    return (a & 1) === 0 ? this.u16[a >>> 1] : this.dv.getUint16(a, true);
  }
  ld32(a: number, pc: number): number {
    this.chk(a, 4, R, pc);
    return (a & 3) === 0 ? this.i32[a >>> 2] : this.dv.getInt32(a, true);
  }
  /** 64-bit load into out.lo/out.hi. */
  ld64(a: number, pc: number): void {
    this.chk(a, 8, R, pc);
    if ((a & 3) === 0) { out.lo = this.i32[a >>> 2]; out.hi = this.i32[(a >>> 2) + 1]; } else { out.lo = this.dv.getInt32(a, true); out.hi = this.dv.getInt32(a + 4, true); }
  }
  st8(a: number, v: number, pc: number): void { this.u8[this.chk(a, 1, W, pc)] = v; }
  st16(a: number, v: number, pc: number): void {
    this.chk(a, 2, W, pc);
    if ((a & 1) === 0) this.u16[a >>> 1] = v; else this.dv.setUint16(a, v, true);
  }
  st32(a: number, v: number, pc: number): void {
    this.chk(a, 4, W, pc);
    if ((a & 3) === 0) this.i32[a >>> 2] = v; else this.dv.setInt32(a, v, true);
  }
  st64(a: number, lo: number, hi: number, pc: number): void {
    this.chk(a, 8, W, pc);
    if ((a & 3) === 0) { this.i32[a >>> 2] = lo; this.i32[(a >>> 2) + 1] = hi; } else { this.dv.setInt32(a, lo, true); this.dv.setInt32(a + 4, hi, true); }
  }

  // ---- the loop ------------------------------------------------------------------

  run(budget: number): StopKind {
    const s = this.s;
    const i32 = this.i32;
    let pc = s.pc;
    let n = 0;
    let page: CodePage | null = null;
    let pageBase = 1; // never equal to (pc & -4093)
    this.fault = null;
    try {
      for (;;) {
        if (n >= budget) { s.pc = pc; s.exclAddr = -1; this.instret += n; return StopKind.Budget; }
        // (pc & -4093) keeps the page and the two low bits: a misaligned pc also takes this path.
        // A page dropped meanwhile (IC IVAU, mprotect) may still be used until the pc leaves it:
        // each entry is checked against the instruction word, so changed code is never run stale.
        if ((pc & -4093) !== pageBase) {
          if ((pc & 3) !== 0) { this.setFault('SIGBUS', 'BUS_ADRALN', pc, pc); s.pc = pc; this.instret += n; return StopKind.Fault; }
          page = this.codePage(pc >>> 12);
          if (page === null) {
            const mapped = (this.perms[pc >>> 12] & PAGE_MAPPED) !== 0;
            this.setFault('SIGSEGV', mapped ? 'SEGV_ACCERR' : 'SEGV_MAPERR', pc, pc);
            s.pc = pc; this.instret += n;
            return StopKind.Fault;
          }
          pageBase = pc & -4096;
        }
        const k = (pc & 4095) >>> 2;
        const w = i32[pc >>> 2];
        let h = page!.f[k];
        if (h === undefined || page!.w[k] !== w) { h = decode(w); page!.f[k] = h; page!.w[k] = w; }
        const next = h(this, w, pc);
        if (next < 0) { s.pc = pc; s.exclAddr = -1; this.instret += n; return this.stopKind; }
        n++;
        pc = next;
      }
    } catch (e) {
      if (e !== STOP) throw e;
      s.pc = pc;
      s.exclAddr = -1;
      this.instret += n;
      return this.stopKind;
    }
  }
}

export const a64CoreFactory: IsaCoreFactory = {
  isa: 'aarch64',
  endian: 'little',
  create(mem: AddressSpace, slot: number): IsaCore {
    return new A64Core(mem, slot);
  },
};
