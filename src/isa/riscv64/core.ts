/**
 * RV64IMAC + Zicsr + Zifencei tier-0 core: state, decoded-code cache, faults,
 * CSRs. The dispatch loop itself is interp.ts, the decoder decode.ts.
 *
 * - Registers live in the guest memory slot (state.ts) and are read as int32
 *   lo/hi pairs; 64-bit arithmetic uses carry tricks and Math.imul.
 * - Decoded-instruction cache: one Int32Array of records per 4 KiB code page
 *   (format in ops.ts), filled lazily, dropped on mem.onCodeChange / fence.i.
 *   A cached page implies the page was executable when decoded; AddressSpace
 *   reports every exec-permission change through onCodeChange.
 * - Memory fast path: perms[addr >>> 12] check (both pages when the access
 *   crosses a page), then typed arrays (aligned) or DataView (misaligned).
 * - CSRs: fflags/frm/fcsr; cycle and instret both count retired instructions;
 *   time counts ticks of a 10 MHz timebase (100 ns) taken from the host
 *   monotonic clock (process.hrtime), so timebase-frequency = 10000000.
 * - F/D arithmetic is delegated to fpu.executeFp; FP loads/stores are here.
 * - Tier 1 (jit.ts, translate.ts): hot blocks become WebAssembly; run() is the
 *   dispatch loop between translated regions and the interpreter.
 *
 * Environment:
 *   COMPAT_JIT=0              disables tier 1 (interpreter only), for debugging
 *   COMPAT_JIT_THRESHOLD=N    block entries before a block is translated
 *                             (default 32; 1 translates everything at once)
 *   COMPAT_JIT_STATS=1        prints tier-1 statistics to stderr at exit
 */
import { StopKind, type CoreFault, type FaultSignal, type IsaCore, type IsaCoreFactory } from '../../plugin/contracts.js';
import { PAGE_MAPPED, PROT_EXEC, type AddressSpace } from '../../memory/address-space.js';
import { JIT_N_OFFSET, JIT_PC_OFFSET, Rv64State, SLOT_SIZE } from './state.js';
import { X_SINK } from './ops.js';
import { interpret, JIT_ENTER } from './interp.js';
import { decode } from './decode.js';
import { DEFAULT_THRESHOLD, Tier1 } from './jit.js';
import { forLivePages, unwatchCodeChanges, watchCodeChanges } from '../code-watch.js';

const PAGES = 1 << 20;
const PAGE_WORDS = 4096 * 2; // 2048 halfword slots x 4 int32
const JIT_PC = JIT_PC_OFFSET / 4, JIT_N = JIT_N_OFFSET / 4;

const env = typeof process !== 'undefined' ? process.env : {};
/** Tier-1 defaults from the environment (read once per worker). */
export const jitDefaults = {
  enabled: env.COMPAT_JIT !== '0',
  threshold: Math.max(1, Number(env.COMPAT_JIT_THRESHOLD) || DEFAULT_THRESHOLD),
  stats: env.COMPAT_JIT_STATS === '1',
};

export const TIMEBASE_HZ = 10_000_000;

export class Rv64Core implements IsaCore {
  readonly isa = 'riscv64' as const;
  readonly s: Rv64State;
  fault: CoreFault | null = null;
  instret = 0;

  // ---- internals shared with interp.ts (not part of the IsaCore contract)
  /** The whole register slot as int32 (x at 0..63, f at 64..127, sink at 254). */
  readonly r: Int32Array;
  readonly fb: Int32Array;
  readonly u8: Uint8Array;
  readonly i8: Int8Array;
  readonly u16: Uint16Array;
  readonly i16: Int16Array;
  readonly i32: Int32Array;
  readonly dv: DataView;
  readonly tmp = new Int32Array(2);
  /** Decoded code pages, two-level by page number (1024 x 1024): small dense arrays, no dictionary mode. */
  readonly l1: ((Int32Array | undefined)[] | undefined)[] = new Array(1024).fill(undefined);
  readonly live = new Set<number>();
  /** Tier 1, or null when disabled (COMPAT_JIT=0 or setJit(false)). */
  jit: Tier1 | null = null;

  constructor(readonly mem: AddressSpace, readonly slot: number) {
    this.s = new Rv64State(mem, slot);
    const buf = mem.buffer;
    this.r = new Int32Array(buf, slot * SLOT_SIZE, SLOT_SIZE / 4);
    this.fb = this.s.fbits;
    this.u8 = mem.u8;
    this.i8 = new Int8Array(buf);
    this.u16 = new Uint16Array(buf);
    this.i16 = new Int16Array(buf);
    this.i32 = new Int32Array(buf);
    this.dv = mem.dv;
    watchCodeChanges(mem, this);
    if (jitDefaults.enabled) this.setJit(true);
  }

  /** Turns tier 1 on (with an entry-count threshold) or off; drops all translations. */
  setJit(on: boolean, threshold = jitDefaults.threshold): void {
    this.flushAll();
    this.jit = on ? new Tier1(this, this.s, this.mem.memory, this.slot, threshold) : null;
    if (on && jitDefaults.stats) {
      const st = this.jit!.stats;
      process.once('exit', () => {
        process.stderr.write(`compat: jit: ${st.modules} modules, ${st.blocks} blocks, ${st.insns} insns, ${st.bytes} bytes; `
          + `codegen ${st.genMs.toFixed(1)} ms, compile ${st.compileMs.toFixed(1)} ms; ${st.invalidated} invalidated; `
          + `${st.retired} instructions retired in translated code\n`);
      });
    }
  }

  /** The decoded-record array of a code page, created when the page is executable; null otherwise. */
  codePage(page: number): Int32Array | null {
    let t = this.l1[page >>> 10];
    const c = t === undefined ? undefined : t[page & 1023];
    if (c !== undefined) return c;
    if ((this.mem.perms[page] & PROT_EXEC) === 0) return null;
    if (t === undefined) t = this.l1[page >>> 10] = new Array(1024).fill(undefined);
    const n = new Int32Array(PAGE_WORDS);
    t[page & 1023] = n;
    this.live.add(page);
    return n;
  }

  /** Stops listening to the address space's code changes (thread exit). */
  dispose(): void {
    unwatchCodeChanges(this.mem, this);
    this.flushAll();
  }

  get pc(): number { return this.s.pc; }
  set pc(v: number) { this.s.pc = v >>> 0; }

  getReg(i: number): bigint {
    return (BigInt(this.r[2 * i + 1] >>> 0) << 32n) | BigInt(this.r[2 * i] >>> 0);
  }

  setReg(i: number, v: bigint): void {
    if (i === 0) return;
    this.r[2 * i] = Number(BigInt.asIntN(32, v));
    this.r[2 * i + 1] = Number(BigInt.asIntN(32, v >> 32n));
  }

  getRegLo(i: number): number { return this.r[2 * i]; }

  /** Sets register i from a JS number (integral, |v| < 2^53). */
  setRegNum(i: number, v: number): void {
    if (i === 0) return;
    this.r[2 * i] = v | 0;
    this.r[2 * i + 1] = Math.floor(v / 4294967296) | 0;
  }

  setThreadPointer(v: bigint): void { this.setReg(4, v); }

  copyStateFrom(other: IsaCore): void {
    if (!(other instanceof Rv64Core)) throw new Error(`cannot copy ${other.isa} state into a riscv64 core`);
    this.r.set(other.r.subarray(0, 128));
    this.s.pc = other.s.pc;
    this.s.fflags = other.s.fflags;
    this.s.frm = other.s.frm;
    this.s.reservation = -1;
  }

  invalidateCode(start: number, end: number): void {
    if (end <= start || this.live.size === 0) return;
    const first = Math.max(0, Math.floor(start / 4096) - 1); // an instruction may straddle into the range
    const last = Math.min(PAGES - 1, Math.floor((end - 1) / 4096));
    forLivePages(this.live, first, last, (p) => this.dropPage(p));
  }

  private dropPage(p: number): void {
    const t = this.l1[p >>> 10];
    if (t !== undefined) t[p & 1023] = undefined;
    this.live.delete(p);
    this.jit?.dropPage(p);
  }

  flushAll(): void {
    for (const p of this.live) this.dropPage(p);
  }

  setFault(signal: FaultSignal, code: string, addr: number, pc: number): void {
    this.fault = { signal, code, addr, pc };
  }

  /** Fault for a refused data access of `size` bytes at rs1+imm (a = ea(...)). */
  memFault(a: number, rs1: number, imm: number, size: number, bit: number, pc: number): void {
    const perms = this.mem.perms;
    if (a < 0) {
      const full = this.r[rs1 + 1] * 4294967296 + (this.r[rs1] >>> 0) + imm;
      this.setFault('SIGSEGV', 'SEGV_MAPERR', full, pc);
      return;
    }
    let bad = a;
    if ((perms[a >>> 12] & bit) !== 0) bad = ((a >>> 12) + 1) * 4096; // second page of a straddling access
    const mapped = bad < 4294967296 && (perms[Math.floor(bad / 4096)] & PAGE_MAPPED) !== 0;
    void size;
    this.setFault('SIGSEGV', mapped ? 'SEGV_ACCERR' : 'SEGV_MAPERR', bad, pc);
  }

  fetchFault(addr: number, pc: number): void {
    const mapped = addr < 4294967296 && (this.mem.perms[Math.floor(addr / 4096)] & PAGE_MAPPED) !== 0;
    this.setFault('SIGSEGV', mapped ? 'SEGV_ACCERR' : 'SEGV_MAPERR', addr, pc);
  }

  /** Decodes the instruction at pc into code[i..]; returns the op, or -1 on a fetch fault. */
  decodeAt(code: Int32Array, i: number, pc: number): number {
    let insn = this.u16[pc >>> 1];
    if ((insn & 3) === 3) {
      if ((pc & 4095) === 4094 && (this.mem.perms[(pc >>> 12) + 1] & PROT_EXEC) === 0) {
        this.fetchFault(pc + 2, pc);
        return -1;
      }
      insn |= this.u16[(pc >>> 1) + 1] << 16;
    }
    return decode(insn, pc, code, i);
  }

  csr(rd: number, rs1: number, f3: number, num: number, field: number, retired: number): boolean {
    const s = this.s, r = this.r;
    let olo: number, ohi = 0;
    switch (num) {
      case 0x001: olo = s.fflags; break;
      case 0x002: olo = s.frm; break;
      case 0x003: olo = (s.frm << 5) | s.fflags; break;
      case 0xc00: case 0xc02:
        olo = retired | 0; ohi = Math.floor(retired / 4294967296) | 0; break;
      case 0xc01: {
        const [sec, ns] = process.hrtime();
        const t = sec * TIMEBASE_HZ + Math.floor(ns / 100);
        olo = t | 0; ohi = Math.floor(t / 4294967296) | 0; break;
      }
      default: return false;
    }
    const kind = f3 & 3; // 1 = RW, 2 = RS, 3 = RC
    const write = kind === 1 || field !== 0;
    if (write) {
      if ((num >>> 10) === 3) return false; // read-only CSR
      const src = f3 >= 5 ? field : r[rs1];
      const v = kind === 1 ? src : kind === 2 ? olo | src : olo & ~src;
      if (num === 0x001) s.fflags = v & 31;
      else if (num === 0x002) s.frm = v & 7;
      else { s.fflags = v & 31; s.frm = (v >>> 5) & 7; }
    }
    r[rd] = olo;
    r[rd + 1] = ohi;
    return true;
  }

  /**
   * Dispatch loop: translated code where there is some (tier 1), the
   * interpreter elsewhere; the interpreter hands back at hot block starts.
   */
  run(budget: number): StopKind {
    const jit = this.jit;
    if (jit === null) return interpret(this, budget);
    this.fault = null;
    const start = this.instret;
    const r = this.r, s = this.s;
    let force = false;
    for (;;) {
      const done = this.instret - start;
      if (done >= budget) return StopKind.Budget;
      if (!force) {
        const e = jit.enter(s.pc);
        if (e > 0) {
          const st = jit.entFn[e]!(jit.entBlk[e], budget - done);
          const n = r[JIT_N];
          this.instret += n;
          jit.stats.retired += n;
          s.pc = r[JIT_PC] >>> 0;
          // status 1: the interpreter must run the instruction at pc; 2 (budget) or
          // nothing retired: let the interpreter make progress
          force = st !== 0 || n === 0;
          continue;
        }
      }
      force = false;
      const stop = interpret(this, budget - done);
      if (stop !== JIT_ENTER) return stop;
    }
  }
}

export const rv64CoreFactory: IsaCoreFactory = {
  isa: 'riscv64',
  endian: 'little',
  create(mem: AddressSpace, slot: number): IsaCore {
    return new Rv64Core(mem, slot);
  },
};

/** Int32 index of the x0 write sink inside the register slot (see ops.ts). */
export { X_SINK };
