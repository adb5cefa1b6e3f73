/**
 * RV64IMAC + Zicsr + Zifencei tier-0 interpreter.
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
 */
import { StopKind, type CoreFault, type FaultSignal, type IsaCore, type IsaCoreFactory } from '../../plugin/contracts.js';
import { PAGE_MAPPED, type AddressSpace } from '../../memory/address-space.js';
import { Rv64State, SLOT_SIZE } from './state.js';
import { Op, X_SINK } from './ops.js';
import { decode } from './decode.js';
import { mul64, mulh, div64, div32 } from './muldiv.js';
import { execAtomic } from './amo.js';
import { executeFp } from './fpu.js';

const R = 1, W = 2, X = 4;
const PAGES = 1 << 20;
const PAGE_WORDS = 4096 * 2; // 2048 halfword slots x 4 int32

export const TIMEBASE_HZ = 10_000_000;

/** Effective address rs1 + imm as an uint32, or -1 when the 64-bit value is >= 2^32 or negative. */
function ea(r: Int32Array, rs1: number, imm: number): number {
  const alo = r[rs1];
  const lo = (alo + imm) | 0;
  const hi = r[rs1 + 1] + (imm >> 31) + ((lo >>> 0) < (alo >>> 0) ? 1 : 0);
  return hi === 0 ? lo >>> 0 : -1;
}

/** True when the `size`-byte access at `a` (from ea) is allowed for `bit`. */
function ok(perms: Uint8Array, a: number, size: number, bit: number): boolean {
  return a >= 0 && (perms[a >>> 12] & bit) !== 0 && ((a & 4095) <= 4096 - size || (perms[(a >>> 12) + 1] & bit) !== 0);
}

/** Cores per address space: one onCodeChange hook per space invalidates them all. */
const hooks = new WeakMap<AddressSpace, { cores: Set<Rv64Core>; fn: (start: number, end: number) => void }>();

export class Rv64Core implements IsaCore {
  readonly isa = 'riscv64' as const;
  readonly s: Rv64State;
  fault: CoreFault | null = null;
  instret = 0;

  /** The whole register slot as int32 (x at 0..63, f at 64..127, sink at 254). */
  private readonly r: Int32Array;
  private readonly fb: Int32Array;
  private readonly u8: Uint8Array;
  private readonly i8: Int8Array;
  private readonly u16: Uint16Array;
  private readonly i16: Int16Array;
  private readonly i32: Int32Array;
  private readonly dv: DataView;
  private readonly tmp = new Int32Array(2);
  /** Decoded code pages, two-level by page number (1024 x 1024): small dense arrays, no dictionary mode. */
  private readonly l1: ((Int32Array | undefined)[] | undefined)[] = new Array(1024).fill(undefined);
  private readonly live = new Set<number>();

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
    let hook = hooks.get(mem);
    if (hook === undefined || mem.onCodeChange !== hook.fn) {
      // (re)install, chaining whatever handler is installed now
      const cores = hook?.cores ?? new Set<Rv64Core>();
      const prev = mem.onCodeChange;
      const fn = (start: number, end: number): void => {
        prev?.(start, end);
        for (const c of cores) c.invalidateCode(start, end);
      };
      mem.onCodeChange = fn;
      hook = { cores, fn };
      hooks.set(mem, hook);
    }
    hook.cores.add(this);
  }

  /** Stops listening to the address space's code changes (thread exit). */
  dispose(): void {
    hooks.get(this.mem)?.cores.delete(this);
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
    if (last - first + 1 > this.live.size) {
      for (const p of this.live) if (p >= first && p <= last) this.dropPage(p);
    } else {
      for (let p = first; p <= last; p++) if (this.live.has(p)) this.dropPage(p);
    }
  }

  private dropPage(p: number): void {
    const t = this.l1[p >>> 10];
    if (t !== undefined) t[p & 1023] = undefined;
    this.live.delete(p);
  }

  private flushAll(): void {
    for (const p of this.live) this.dropPage(p);
  }

  private setFault(signal: FaultSignal, code: string, addr: number, pc: number): void {
    this.fault = { signal, code, addr, pc };
  }

  /** Fault for a refused data access of `size` bytes at rs1+imm (a = ea(...)). */
  private memFault(a: number, rs1: number, imm: number, size: number, bit: number, pc: number): void {
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

  private fetchFault(addr: number, pc: number): void {
    const mapped = addr < 4294967296 && (this.mem.perms[Math.floor(addr / 4096)] & PAGE_MAPPED) !== 0;
    this.setFault('SIGSEGV', mapped ? 'SEGV_ACCERR' : 'SEGV_MAPERR', addr, pc);
  }

  /** Decodes the instruction at pc into code[i..]; returns the op, or -1 on a fetch fault. */
  private decodeAt(code: Int32Array, i: number, pc: number): number {
    let insn = this.u16[pc >>> 1];
    if ((insn & 3) === 3) {
      if ((pc & 4095) === 4094 && (this.mem.perms[(pc >>> 12) + 1] & X) === 0) {
        this.fetchFault(pc + 2, pc);
        return -1;
      }
      insn |= this.u16[(pc >>> 1) + 1] << 16;
    }
    return decode(insn, pc, code, i);
  }

  private csr(rd: number, rs1: number, f3: number, num: number, field: number, retired: number): boolean {
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

  run(budget: number): StopKind {
    const s = this.s, r = this.r, fb = this.fb;
    const perms = this.mem.perms;
    const u8 = this.u8, i8 = this.i8, u16 = this.u16, i16 = this.i16, i32 = this.i32, dv = this.dv;
    const res = this.tmp;
    let pc = s.pc >>> 0;
    let n = 0;
    let code: Int32Array = this.tmp;
    let page = -1;
    this.fault = null;
    for (;;) {
      if (n >= budget) {
        s.pc = pc; this.instret += n;
        return StopKind.Budget;
      }
      if ((pc >>> 12) !== page) {
        page = pc >>> 12;
        let t = this.l1[page >>> 10];
        let c = t === undefined ? undefined : t[page & 1023];
        if (c === undefined) {
          if ((perms[page] & X) === 0) {
            this.fetchFault(pc, pc);
            s.pc = pc; this.instret += n;
            return StopKind.Fault;
          }
          if (t === undefined) t = this.l1[page >>> 10] = new Array(1024).fill(undefined);
          c = new Int32Array(PAGE_WORDS);
          t[page & 1023] = c;
          this.live.add(page);
        }
        code = c;
      }
      const i = (pc & 4095) << 1;
      let op = code[i];
      if (op === Op.UNDECODED) {
        op = this.decodeAt(code, i, pc);
        if (op < 0) { s.pc = pc; this.instret += n; return StopKind.Fault; }
      }
      const f = code[i + 1];
      const rd = f & 255, rs1 = (f >>> 8) & 255, rs2 = (f >>> 16) & 255;
      const imm = code[i + 2];
      const next = pc + (f >>> 24);
      n++;
      switch (op) {
        case Op.NOP: pc = next; break;
        case Op.LI: r[rd] = imm; r[rd + 1] = code[i + 3]; pc = next; break;
        case Op.ADDI_Z: r[rd] = imm; r[rd + 1] = imm >> 31; pc = next; break;
        case Op.MV: r[rd] = r[rs1]; r[rd + 1] = r[rs1 + 1]; pc = next; break;
        case Op.JAL: r[rd] = code[i + 3]; r[rd + 1] = 0; pc = imm >>> 0; break;
        case Op.JALR: {
          const t = ea(r, rs1, imm);
          if (t < 0) { // target >= 2^32: reported as a fault of the jump itself (rd not written)
            const full = r[rs1 + 1] * 4294967296 + (r[rs1] >>> 0) + imm;
            this.setFault('SIGSEGV', 'SEGV_MAPERR', full, pc);
            s.pc = pc; this.instret += n - 1;
            return StopKind.Fault;
          }
          r[rd] = next; r[rd + 1] = 0;
          pc = t - (t & 1);
          break;
        }
        case Op.BEQ: pc = r[rs1] === r[rs2] && r[rs1 + 1] === r[rs2 + 1] ? imm >>> 0 : next; break;
        case Op.BNE: pc = r[rs1] !== r[rs2] || r[rs1 + 1] !== r[rs2 + 1] ? imm >>> 0 : next; break;
        case Op.BLT: {
          const ah = r[rs1 + 1], bh = r[rs2 + 1];
          pc = ah < bh || (ah === bh && (r[rs1] >>> 0) < (r[rs2] >>> 0)) ? imm >>> 0 : next;
          break;
        }
        case Op.BGE: {
          const ah = r[rs1 + 1], bh = r[rs2 + 1];
          pc = ah < bh || (ah === bh && (r[rs1] >>> 0) < (r[rs2] >>> 0)) ? next : imm >>> 0;
          break;
        }
        case Op.BLTU: {
          const ah = r[rs1 + 1] >>> 0, bh = r[rs2 + 1] >>> 0;
          pc = ah < bh || (ah === bh && (r[rs1] >>> 0) < (r[rs2] >>> 0)) ? imm >>> 0 : next;
          break;
        }
        case Op.BGEU: {
          const ah = r[rs1 + 1] >>> 0, bh = r[rs2 + 1] >>> 0;
          pc = ah < bh || (ah === bh && (r[rs1] >>> 0) < (r[rs2] >>> 0)) ? next : imm >>> 0;
          break;
        }

        // ---------------------------------------------------------- loads
        case Op.LB: case Op.LBU: {
          const a = ea(r, rs1, imm);
          if (!ok(perms, a, 1, R)) { this.memFault(a, rs1, imm, 1, R, pc); s.pc = pc; this.instret += n - 1; return StopKind.Fault; }
          const v = op === Op.LB ? i8[a] : u8[a];
          r[rd] = v; r[rd + 1] = v >> 31; pc = next; break;
        }
        case Op.LH: case Op.LHU: {
          const a = ea(r, rs1, imm);
          if (!ok(perms, a, 2, R)) { this.memFault(a, rs1, imm, 2, R, pc); s.pc = pc; this.instret += n - 1; return StopKind.Fault; }
          let v: number;
          if (op === Op.LH) v = (a & 1) === 0 ? i16[a >>> 1] : dv.getInt16(a, true);
          else v = (a & 1) === 0 ? u16[a >>> 1] : dv.getUint16(a, true);
          r[rd] = v; r[rd + 1] = v >> 31; pc = next; break;
        }
        case Op.LW: case Op.LWU: {
          const a = ea(r, rs1, imm);
          if (!ok(perms, a, 4, R)) { this.memFault(a, rs1, imm, 4, R, pc); s.pc = pc; this.instret += n - 1; return StopKind.Fault; }
          const v = (a & 3) === 0 ? i32[a >>> 2] : dv.getInt32(a, true);
          r[rd] = v; r[rd + 1] = op === Op.LW ? v >> 31 : 0; pc = next; break;
        }
        case Op.LD: {
          const a = ea(r, rs1, imm);
          if (!ok(perms, a, 8, R)) { this.memFault(a, rs1, imm, 8, R, pc); s.pc = pc; this.instret += n - 1; return StopKind.Fault; }
          if ((a & 3) === 0) { r[rd] = i32[a >>> 2]; r[rd + 1] = i32[(a >>> 2) + 1]; }
          else { r[rd] = dv.getInt32(a, true); r[rd + 1] = dv.getInt32(a + 4, true); }
          pc = next; break;
        }

        // --------------------------------------------------------- stores
        case Op.SB: {
          const a = ea(r, rs1, imm);
          if (!ok(perms, a, 1, W)) { this.memFault(a, rs1, imm, 1, W, pc); s.pc = pc; this.instret += n - 1; return StopKind.Fault; }
          u8[a] = r[rs2]; pc = next; break;
        }
        case Op.SH: {
          const a = ea(r, rs1, imm);
          if (!ok(perms, a, 2, W)) { this.memFault(a, rs1, imm, 2, W, pc); s.pc = pc; this.instret += n - 1; return StopKind.Fault; }
          if ((a & 1) === 0) u16[a >>> 1] = r[rs2]; else dv.setInt16(a, r[rs2], true);
          pc = next; break;
        }
        case Op.SW: {
          const a = ea(r, rs1, imm);
          if (!ok(perms, a, 4, W)) { this.memFault(a, rs1, imm, 4, W, pc); s.pc = pc; this.instret += n - 1; return StopKind.Fault; }
          if ((a & 3) === 0) i32[a >>> 2] = r[rs2]; else dv.setInt32(a, r[rs2], true);
          pc = next; break;
        }
        case Op.SD: {
          const a = ea(r, rs1, imm);
          if (!ok(perms, a, 8, W)) { this.memFault(a, rs1, imm, 8, W, pc); s.pc = pc; this.instret += n - 1; return StopKind.Fault; }
          if ((a & 3) === 0) { i32[a >>> 2] = r[rs2]; i32[(a >>> 2) + 1] = r[rs2 + 1]; }
          else { dv.setInt32(a, r[rs2], true); dv.setInt32(a + 4, r[rs2 + 1], true); }
          pc = next; break;
        }

        // ------------------------------------------------------- OP-IMM
        case Op.ADDI: {
          const alo = r[rs1];
          const lo = (alo + imm) | 0;
          r[rd + 1] = (r[rs1 + 1] + (imm >> 31) + ((lo >>> 0) < (alo >>> 0) ? 1 : 0)) | 0;
          r[rd] = lo;
          pc = next; break;
        }
        case Op.SLTI: {
          const ah = r[rs1 + 1], bh = imm >> 31;
          r[rd] = ah < bh || (ah === bh && (r[rs1] >>> 0) < (imm >>> 0)) ? 1 : 0; r[rd + 1] = 0;
          pc = next; break;
        }
        case Op.SLTIU: {
          const ah = r[rs1 + 1] >>> 0, bh = (imm >> 31) >>> 0;
          r[rd] = ah < bh || (ah === bh && (r[rs1] >>> 0) < (imm >>> 0)) ? 1 : 0; r[rd + 1] = 0;
          pc = next; break;
        }
        case Op.XORI: r[rd + 1] = r[rs1 + 1] ^ (imm >> 31); r[rd] = r[rs1] ^ imm; pc = next; break;
        case Op.ORI: r[rd + 1] = r[rs1 + 1] | (imm >> 31); r[rd] = r[rs1] | imm; pc = next; break;
        case Op.ANDI: r[rd + 1] = r[rs1 + 1] & (imm >> 31); r[rd] = r[rs1] & imm; pc = next; break;
        case Op.SLLI_S: {
          const alo = r[rs1];
          r[rd + 1] = (r[rs1 + 1] << imm) | (alo >>> (32 - imm)); r[rd] = alo << imm;
          pc = next; break;
        }
        case Op.SLLI_L: r[rd + 1] = r[rs1] << imm; r[rd] = 0; pc = next; break;
        case Op.SRLI_S: {
          const ahi = r[rs1 + 1];
          r[rd] = (r[rs1] >>> imm) | (ahi << (32 - imm)); r[rd + 1] = ahi >>> imm;
          pc = next; break;
        }
        case Op.SRLI_L: r[rd] = r[rs1 + 1] >>> imm; r[rd + 1] = 0; pc = next; break;
        case Op.SRAI_S: {
          const ahi = r[rs1 + 1];
          r[rd] = (r[rs1] >>> imm) | (ahi << (32 - imm)); r[rd + 1] = ahi >> imm;
          pc = next; break;
        }
        case Op.SRAI_L: { const ahi = r[rs1 + 1]; r[rd] = ahi >> imm; r[rd + 1] = ahi >> 31; pc = next; break; }

        // ----------------------------------------------------------- OP
        case Op.ADD: {
          const alo = r[rs1];
          const lo = (alo + r[rs2]) | 0;
          r[rd + 1] = (r[rs1 + 1] + r[rs2 + 1] + ((lo >>> 0) < (alo >>> 0) ? 1 : 0)) | 0;
          r[rd] = lo;
          pc = next; break;
        }
        case Op.SUB: {
          const alo = r[rs1], blo = r[rs2];
          r[rd + 1] = (r[rs1 + 1] - r[rs2 + 1] - ((alo >>> 0) < (blo >>> 0) ? 1 : 0)) | 0;
          r[rd] = (alo - blo) | 0;
          pc = next; break;
        }
        case Op.SLL: {
          const sh = r[rs2] & 63, alo = r[rs1], ahi = r[rs1 + 1];
          if (sh === 0) { r[rd] = alo; r[rd + 1] = ahi; }
          else if (sh < 32) { r[rd + 1] = (ahi << sh) | (alo >>> (32 - sh)); r[rd] = alo << sh; }
          else { r[rd + 1] = alo << (sh - 32); r[rd] = 0; }
          pc = next; break;
        }
        case Op.SRL: case Op.SRA: {
          const sh = r[rs2] & 63, alo = r[rs1], ahi = r[rs1 + 1];
          if (sh === 0) { r[rd] = alo; r[rd + 1] = ahi; }
          else if (sh < 32) {
            r[rd] = (alo >>> sh) | (ahi << (32 - sh));
            r[rd + 1] = op === Op.SRA ? ahi >> sh : ahi >>> sh;
          } else {
            r[rd] = op === Op.SRA ? ahi >> (sh - 32) : ahi >>> (sh - 32);
            r[rd + 1] = op === Op.SRA ? ahi >> 31 : 0;
          }
          pc = next; break;
        }
        case Op.SLT: {
          const ah = r[rs1 + 1], bh = r[rs2 + 1];
          r[rd] = ah < bh || (ah === bh && (r[rs1] >>> 0) < (r[rs2] >>> 0)) ? 1 : 0; r[rd + 1] = 0;
          pc = next; break;
        }
        case Op.SLTU: {
          const ah = r[rs1 + 1] >>> 0, bh = r[rs2 + 1] >>> 0;
          r[rd] = ah < bh || (ah === bh && (r[rs1] >>> 0) < (r[rs2] >>> 0)) ? 1 : 0; r[rd + 1] = 0;
          pc = next; break;
        }
        case Op.XOR: r[rd + 1] = r[rs1 + 1] ^ r[rs2 + 1]; r[rd] = r[rs1] ^ r[rs2]; pc = next; break;
        case Op.OR: r[rd + 1] = r[rs1 + 1] | r[rs2 + 1]; r[rd] = r[rs1] | r[rs2]; pc = next; break;
        case Op.AND: r[rd + 1] = r[rs1 + 1] & r[rs2 + 1]; r[rd] = r[rs1] & r[rs2]; pc = next; break;

        // ---------------------------------------------------- 32-bit ops
        case Op.ADDIW: { const v = (r[rs1] + imm) | 0; r[rd] = v; r[rd + 1] = v >> 31; pc = next; break; }
        case Op.SEXT_W: { const v = r[rs1]; r[rd] = v; r[rd + 1] = v >> 31; pc = next; break; }
        case Op.SLLIW: { const v = r[rs1] << imm; r[rd] = v; r[rd + 1] = v >> 31; pc = next; break; }
        case Op.SRLIW: { const v = (r[rs1] >>> imm) | 0; r[rd] = v; r[rd + 1] = v >> 31; pc = next; break; }
        case Op.SRAIW: { const v = r[rs1] >> imm; r[rd] = v; r[rd + 1] = v >> 31; pc = next; break; }
        case Op.ADDW: { const v = (r[rs1] + r[rs2]) | 0; r[rd] = v; r[rd + 1] = v >> 31; pc = next; break; }
        case Op.SUBW: { const v = (r[rs1] - r[rs2]) | 0; r[rd] = v; r[rd + 1] = v >> 31; pc = next; break; }
        case Op.SLLW: { const v = r[rs1] << (r[rs2] & 31); r[rd] = v; r[rd + 1] = v >> 31; pc = next; break; }
        case Op.SRLW: { const v = (r[rs1] >>> (r[rs2] & 31)) | 0; r[rd] = v; r[rd + 1] = v >> 31; pc = next; break; }
        case Op.SRAW: { const v = r[rs1] >> (r[rs2] & 31); r[rd] = v; r[rd + 1] = v >> 31; pc = next; break; }
        case Op.MULW: { const v = Math.imul(r[rs1], r[rs2]); r[rd] = v; r[rd + 1] = v >> 31; pc = next; break; }
        case Op.DIVW: case Op.DIVUW: case Op.REMW: case Op.REMUW: {
          const v = div32(op - Op.DIVW, r[rs1], r[rs2]);
          r[rd] = v; r[rd + 1] = v >> 31; pc = next; break;
        }

        // ------------------------------------------------------------ M
        case Op.MUL:
          mul64(res, r[rs1], r[rs1 + 1], r[rs2], r[rs2 + 1]);
          r[rd] = res[0]; r[rd + 1] = res[1]; pc = next; break;
        case Op.MULH: case Op.MULHSU: case Op.MULHU:
          mulh(res, op - Op.MULH, r[rs1], r[rs1 + 1], r[rs2], r[rs2 + 1]);
          r[rd] = res[0]; r[rd + 1] = res[1]; pc = next; break;
        case Op.DIV: case Op.DIVU: case Op.REM: case Op.REMU:
          div64(res, op - Op.DIV, r[rs1], r[rs1 + 1], r[rs2], r[rs2 + 1]);
          r[rd] = res[0]; r[rd + 1] = res[1]; pc = next; break;

        // ------------------------------------------------------- system
        case Op.ECALL:
          s.pc = pc; this.instret += n; s.reservation = -1;
          return StopKind.Syscall;
        case Op.EBREAK:
          this.setFault('SIGTRAP', 'TRAP_BRKPT', pc, pc);
          s.pc = pc; this.instret += n - 1;
          return StopKind.Breakpoint;
        case Op.FENCE_I:
          this.flushAll();
          page = -1;
          pc = next; break;
        case Op.CSR:
          if (!this.csr(rd, rs1, rs2, imm & 0xfff, code[i + 3], this.instret + n - 1)) {
            this.setFault('SIGILL', 'ILL_ILLOPC', pc, pc);
            s.pc = pc; this.instret += n - 1;
            return StopKind.Fault;
          }
          pc = next; break;
        case Op.ATOMIC: {
          const dbl = imm >= 32;
          const a = ea(r, rs1, 0);
          const size = dbl ? 8 : 4;
          if (a >= 0 && (a & (size - 1)) !== 0) {
            this.setFault('SIGBUS', 'BUS_ADRALN', a, pc);
            s.pc = pc; this.instret += n - 1;
            return StopKind.Fault;
          }
          const need = (imm & 31) === 0x02 ? R : (imm & 31) === 0x03 ? W : R | W;
          if (!ok(perms, a, size, need) || (need === (R | W) && (perms[a >>> 12] & W) === 0)) {
            this.memFault(a, rs1, 0, size, (perms[a >>> 12] & R) === 0 ? R : W, pc);
            s.pc = pc; this.instret += n - 1;
            return StopKind.Fault;
          }
          execAtomic(s, r, i32, imm & 31, dbl, a, rd, rs2);
          pc = next; break;
        }

        // ----------------------------------------------------- FP memory
        case Op.FLW: {
          const a = ea(r, rs1, imm);
          if (!ok(perms, a, 4, R)) { this.memFault(a, rs1, imm, 4, R, pc); s.pc = pc; this.instret += n - 1; return StopKind.Fault; }
          fb[rd] = (a & 3) === 0 ? i32[a >>> 2] : dv.getInt32(a, true); fb[rd + 1] = -1;
          pc = next; break;
        }
        case Op.FLD: {
          const a = ea(r, rs1, imm);
          if (!ok(perms, a, 8, R)) { this.memFault(a, rs1, imm, 8, R, pc); s.pc = pc; this.instret += n - 1; return StopKind.Fault; }
          if ((a & 3) === 0) { fb[rd] = i32[a >>> 2]; fb[rd + 1] = i32[(a >>> 2) + 1]; }
          else { fb[rd] = dv.getInt32(a, true); fb[rd + 1] = dv.getInt32(a + 4, true); }
          pc = next; break;
        }
        case Op.FSW: {
          const a = ea(r, rs1, imm);
          if (!ok(perms, a, 4, W)) { this.memFault(a, rs1, imm, 4, W, pc); s.pc = pc; this.instret += n - 1; return StopKind.Fault; }
          if ((a & 3) === 0) i32[a >>> 2] = fb[rs2]; else dv.setInt32(a, fb[rs2], true);
          pc = next; break;
        }
        case Op.FSD: {
          const a = ea(r, rs1, imm);
          if (!ok(perms, a, 8, W)) { this.memFault(a, rs1, imm, 8, W, pc); s.pc = pc; this.instret += n - 1; return StopKind.Fault; }
          if ((a & 3) === 0) { i32[a >>> 2] = fb[rs2]; i32[(a >>> 2) + 1] = fb[rs2 + 1]; }
          else { dv.setInt32(a, fb[rs2], true); dv.setInt32(a + 4, fb[rs2 + 1], true); }
          pc = next; break;
        }
        case Op.FP_OP:
          if (!executeFp(s, imm)) {
            this.setFault('SIGILL', 'ILL_ILLOPC', pc, pc);
            s.pc = pc; this.instret += n - 1;
            return StopKind.Fault;
          }
          pc = next; break;

        default: // Op.ILLEGAL
          this.setFault('SIGILL', 'ILL_ILLOPC', pc, pc);
          s.pc = pc; this.instret += n - 1;
          return StopKind.Fault;
      }
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
