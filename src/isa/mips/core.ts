/**
 * MIPS32 Release 2 tier-0 interpreter (o32 user mode), little- and big-endian.
 *
 * - Registers live in the guest memory slot (state.ts) as int32; `| 0`
 *   arithmetic and Math.imul; HI/LO at slot indices 32/33.
 * - Delay slots: the loop keeps `pc` (instruction to execute) and `npc` (the
 *   one after it). Each step advances pc = npc, npc += 4; a taken branch sets
 *   npc = target, so its delay slot runs first. Branch-likely not taken skips
 *   the slot (pc = npc). A branch in a delay slot (UNPREDICTABLE) simply
 *   redirects npc again: one instruction of the first target runs, then the
 *   second target.
 * - Faults in the delay slot of a taken branch are reported as Linux does
 *   (Cause.BD): `core.pc` is left at the branch so that restarting re-executes
 *   the branch and its slot; `fault.pc` is the faulting instruction.
 *   run() never stops for the budget between a taken branch and its slot.
 *   A syscall in a delay slot is left at the syscall; the glue's `pc += 4`
 *   then continues at the branch target (see the pc setter).
 * - Decoded-instruction cache: one Int32Array of records per 4 KiB code page
 *   (format in ops.ts), filled lazily, dropped on mem.onCodeChange / synci /
 *   invalidateCode. The page check `(pc & ~0xffc) !== pageBase` also catches
 *   misaligned PCs (SIGBUS BUS_ADRALN).
 * - Memory: addresses >= 0x80000000 are kernel space (SIGSEGV). Fast path
 *   perms[addr >>> 12] then typed arrays, byte-swapped for big-endian guests;
 *   misaligned accesses are performed (Linux emulates them) through DataView,
 *   checking both pages.
 * - LL/SC: LL records the word address and the value read; SC succeeds when
 *   the reservation is still held (no store by this core to that word, no
 *   syscall or exception since) and the word still holds that value
 *   (Atomics.compareExchange, so other threads' stores are noticed).
 * - rdhwr: $0 CPUNum = 0, $1 SYNCI_Step = 32, $2 CC = retired instructions,
 *   $3 CCRes = 1, $29 UserLocal (setThreadPointer).
 * - Linux signals: add/addi/sub overflow -> SIGFPE FPE_INTOVF; break 7 / trap
 *   code 7 -> SIGFPE FPE_INTDIV; code 6 -> FPE_INTOVF; other break codes ->
 *   StopKind.Breakpoint (SIGTRAP TRAP_BRKPT); other traps -> SIGTRAP SI_KERNEL;
 *   reserved instruction -> SIGILL SI_KERNEL (Linux's do_ri uses plain force_sig: no si_addr).
 */
import { fpuModeForElf } from './state.js';
import { StopKind, type CoreFault, type FaultSignal, type IsaCore, type IsaCoreFactory, type Endian } from '../../plugin/contracts.js';
import { PAGE_MAPPED, type AddressSpace } from '../../memory/address-space.js';
import { bswap32 } from '../../memory/byte-order.js';
import { MipsState, SLOT_SIZE, HI, LO, type FpuMode } from './state.js';
import { decode } from './decode.js';
import { execCop1, fpeCode, FPU_OK, FPU_RI } from './fpu.js';

/** Decoded operation ids: the record format is documented in ops.ts. */
export const enum Op {
  UNDECODED = 0,
  RI, // reserved instruction -> SIGILL
  NOP,
  // ---- ALU immediate
  LI, // rd = imm (lui, addiu rd,$0,imm, ori rd,$0,imm)
  ADDIU, ADDI, SLTI, SLTIU, ANDI, ORI, XORI,
  // ---- ALU register
  MOVE, // rd = rs
  ADDU, ADD, SUBU, SUB, AND, OR, XOR, NOR, SLT, SLTU,
  SLL, SRL, SRA, ROTR, SLLV, SRLV, SRAV, ROTRV,
  MOVZ, MOVN, MOVCI, // movci: x = cc number, imm = 1 for movt, 0 for movf
  // ---- HI/LO and SPECIAL2
  MFHI, MTHI, MFLO, MTLO, MULT, MULTU, DIV, DIVU,
  MADD, MADDU, MSUB, MSUBU, MUL, CLZ, CLO,
  // ---- SPECIAL3
  EXT, INS, WSBH, SEB, SEH, RDHWR, // EXT/INS: x = pos, imm2 = field mask (EXT: unshifted, INS: shifted by pos); RDHWR: imm = hw reg
  // ---- control transfer (imm = absolute target; rd = link register for AL forms)
  J, JAL, JR, JALR,
  BEQ, BNE, BLEZ, BGTZ, BLTZ, BGEZ, BLTZAL, BGEZAL,
  BEQL, BNEL, BLEZL, BGTZL, BLTZL, BGEZL, BLTZALL, BGEZALL,
  BC1F, BC1T, BC1FL, BC1TL, // imm2 = FCSR bit mask of the condition code
  // ---- system
  SYSCALL, BREAK, // imm = break code as Linux computes it
  TRAP, // register compare; x = condition (TGE..TNE funct - 48), imm = code
  TRAPI, // immediate compare; x = condition (0 ge,1 geu,2 lt,3 ltu,4 eq,6 ne), imm = immediate
  SYNCI,
  // ---- memory
  LB, LBU, LH, LHU, LW, LWL, LWR, LL,
  SB, SH, SW, SWL, SWR, SC,
  LWC1, SWC1, LDC1, SDC1, // rt = FPR number
  LWXC1, SWXC1, LDXC1, SDXC1, LUXC1, SUXC1, // rs = base, rt = index, x = FPR number
  // ---- COP1 (everything else: moves, arithmetic, compares, conversions)
  FPU, // imm = raw instruction word, delegated to fpu.execCop1
}

const R = 1, W = 2, X = 4;
const PAGES = 1 << 20;
const PAGE_RECORDS = 4096; // 1024 instructions x 4 int32
/** pageBase value that never matches an aligned pc: forces a page lookup. */
const NO_PAGE = 1;
/** Relative cost of MIPS cycles: rdhwr $3 (CCRes). */
const CC_RES = 1;
const SYNCI_STEP = 32;

/** Unsigned high word of the 64-bit product of two uint32 (given as int32). */
function mulhu(a: number, b: number): number {
  const al = a & 0xffff, ah = a >>> 16, bl = b & 0xffff, bh = b >>> 16;
  const ll = al * bl, lh = al * bh, hl = ah * bl;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (ah * bh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) | 0;
}
/** Signed high word of the 64-bit product of two int32. */
function mulhs(a: number, b: number): number {
  return (mulhu(a, b) - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;
}

/** True when the `size`-byte access at int32 address `a` is allowed for `bit` (both pages). */
function ok(perms: Uint8Array, a: number, size: number, bit: number): boolean {
  return a >= 0 && (perms[a >>> 12] & bit) !== 0 && ((a & 4095) <= 4096 - size || (perms[(a >>> 12) + 1] & bit) !== 0);
}

export interface MipsCoreOptions {
  endian?: Endian;
  fpu?: Partial<FpuMode>;
}

export class MipsCore implements IsaCore {
  readonly isa = 'mips' as const;
  readonly s: MipsState;
  readonly endian: Endian;
  readonly le: boolean;
  fault: CoreFault | null = null;
  instret = 0;

  private readonly r: Int32Array;
  private readonly u8: Uint8Array;
  private readonly i8: Int8Array;
  private readonly u16: Uint16Array;
  private readonly i16: Int16Array;
  private readonly i32: Int32Array;
  private readonly dv: DataView;
  /** Decoded code pages, indexed by page number. */
  private pages: (Int32Array | undefined)[] = new Array(PAGES);
  private readonly live = new Set<number>();
  /** Set by invalidateCode so a running loop re-fetches its page. */
  private codeDropped = false;

  constructor(readonly mem: AddressSpace, readonly slot: number, opts: MipsCoreOptions = {}) {
    this.s = new MipsState(mem, slot);
    this.endian = opts.endian ?? 'little';
    this.le = this.endian === 'little';
    const buf = mem.buffer;
    this.r = this.s.r;
    this.u8 = mem.u8;
    this.i8 = new Int8Array(buf);
    this.u16 = new Uint16Array(buf);
    this.i16 = new Int16Array(buf);
    this.i32 = new Int32Array(buf);
    this.dv = mem.dv;
    this.setFpuMode({ fr: opts.fpu?.fr ?? 1, nan2008: opts.fpu?.nan2008 ?? false });
    const prev = mem.onCodeChange;
    mem.onCodeChange = (start, end) => {
      prev?.(start, end);
      this.invalidateCode(start, end);
    };
  }

  // ---- IsaCore -------------------------------------------------------------

  get pc(): number { return this.s.pc >>> 0; }
  /**
   * Sets the PC (npc = pc + 4). Setting it to `pc + 4` while stopped at a
   * syscall in a taken branch's delay slot continues at the branch target.
   */
  set pc(v: number) {
    const s = this.s;
    v |= 0;
    if (v === ((s.pc + 4) | 0) && s.npc !== v) { s.pc = s.npc; s.npc = (s.npc + 4) | 0; return; }
    s.pc = v;
    s.npc = (v + 4) | 0;
  }

  /** Address of the instruction after `pc` (≠ pc + 4 only at a syscall in a delay slot). */
  get npc(): number { return this.s.npc >>> 0; }

  getReg(i: number): bigint { return BigInt(this.r[i] >>> 0); }
  setReg(i: number, v: bigint): void { if (i !== 0) this.r[i] = Number(BigInt.asIntN(32, v)); }
  getRegLo(i: number): number { return this.r[i]; }
  /** Sets GPR i from a JS number (low 32 bits). */
  setRegNum(i: number, v: number): void { if (i !== 0) this.r[i] = v | 0; }

  /** HI / LO as int32 (for signal frames). */
  get hi(): number { return this.r[HI]; }
  set hi(v: number) { this.r[HI] = v | 0; }
  get lo(): number { return this.r[LO]; }
  set lo(v: number) { this.r[LO] = v | 0; }

  /** FCSR (FCR31), condition codes included. */
  get fcsr(): number { return this.s.fcsr; }
  set fcsr(v: number) { this.s.fcsr = (v & 0xff83ffff) | (this.s.nan2008 ? 3 << 18 : 0); }

  /** FPR i as raw 64-bit words (FR=1: the register; FR=0: the even/odd pair holding i). */
  getFprWords(i: number): { lo: number; hi: number } {
    return { lo: this.s.getF64Lo(i), hi: this.s.getF64Hi(i) };
  }
  setFprWords(i: number, lo: number, hi: number): void { this.s.setF64Words(i, hi | 0, lo | 0); }
  /** FPR i as a raw 32-bit word (its low half in FR=1). */
  getFpr32(i: number): number { return this.s.getF32(i); }
  setFpr32(i: number, v: number): void { this.s.setF32(i, v | 0); }

  /** FR mode and NaN encoding, as the loader decides from the ELF's abiflags / e_flags. */
  /** The FPU mode the kernel picks for this ELF (FR from .MIPS.abiflags, NaN2008 from e_flags). */
  configureForImage(elf: { flags: number; mipsAbiFlags: { fpAbiCode: number } | null }): void {
    this.setFpuMode(fpuModeForElf(elf.mipsAbiFlags ? elf.mipsAbiFlags.fpAbiCode : null, elf.flags));
  }

  setFpuMode(mode: Partial<FpuMode>): void {
    const s = this.s;
    if (mode.fr !== undefined) s.setFr(mode.fr);
    if (mode.nan2008 !== undefined) s.nan2008 = mode.nan2008;
    s.fcsr = (s.fcsr & ~(3 << 18)) | (s.nan2008 ? 3 << 18 : 0);
  }
  getFpuMode(): FpuMode { return { fr: this.s.fr, nan2008: this.s.nan2008 }; }

  /** UserLocal, returned by rdhwr $29 (set_thread_area). */
  setThreadPointer(v: bigint): void { this.s.ulr = Number(BigInt.asIntN(32, v)); }
  get threadPointer(): number { return this.s.ulr >>> 0; }

  copyStateFrom(other: IsaCore): void {
    if (!(other instanceof MipsCore)) throw new Error(`cannot copy ${other.isa} state into a mips core`);
    const o = other.s, s = this.s;
    s.setFr(o.fr);
    this.r.set(other.r.subarray(0, SLOT_SIZE / 4));
    s.pc = o.pc; s.npc = o.npc;
    s.fcsr = o.fcsr; s.nan2008 = o.nan2008; s.ulr = o.ulr;
    s.llAddr = -1;
  }

  invalidateCode(start: number, end: number): void {
    if (end <= start || this.live.size === 0) return;
    const first = Math.max(0, Math.floor(start / 4096));
    const last = Math.min(PAGES - 1, Math.floor((end - 1) / 4096));
    if (last - first + 1 > this.live.size) {
      for (const p of this.live) if (p >= first && p <= last) { this.pages[p] = undefined; this.live.delete(p); this.codeDropped = true; }
    } else {
      for (let p = first; p <= last; p++) if (this.pages[p] !== undefined) { this.pages[p] = undefined; this.live.delete(p); this.codeDropped = true; }
    }
  }

  // ---- faults ------------------------------------------------------------

  private setFault(signal: FaultSignal, code: string, addr: number, pc: number): void {
    this.fault = { signal, code, addr: addr >>> 0, pc: pc >>> 0 };
  }

  /** SIGSEGV for a refused `size`-byte access at `a` needing `bit`. */
  private memFault(a: number, size: number, bit: number, pc: number): void {
    const perms = this.mem.perms;
    if (a < 0) { this.setFault('SIGSEGV', 'SEGV_MAPERR', a, pc); return; }
    let bad = a;
    if ((perms[a >>> 12] & bit) !== 0) bad = ((a >>> 12) + 1) * 4096; // second page of a straddling access
    void size;
    const mapped = bad < 0x80000000 && (perms[bad >>> 12] & PAGE_MAPPED) !== 0;
    this.setFault('SIGSEGV', mapped ? 'SEGV_ACCERR' : 'SEGV_MAPERR', bad, pc);
  }

  /**
   * Saves state for a fault of the instruction at `cur` (after the loop
   * advanced pc to `after`); a fault in a taken branch's delay slot restarts
   * at the branch.
   */
  private fail(cur: number, after: number, retired: number): StopKind {
    const s = this.s;
    if (after !== ((cur + 4) | 0)) { s.pc = (cur - 4) | 0; s.npc = cur; }
    else { s.pc = cur; s.npc = after; }
    s.llAddr = -1;
    this.instret += retired;
    return StopKind.Fault;
  }

  /** Linux's reaction to break / trap code `code` at `pc`. */
  private trapCode(code: number, pc: number, isBreak: boolean): StopKind {
    if (code === 7) { this.setFault('SIGFPE', 'FPE_INTDIV', pc, pc); return StopKind.Fault; }
    if (code === 6) { this.setFault('SIGFPE', 'FPE_INTOVF', pc, pc); return StopKind.Fault; }
    if (isBreak) { this.setFault('SIGTRAP', 'TRAP_BRKPT', pc, pc); return StopKind.Breakpoint; }
    this.setFault('SIGTRAP', 'SI_KERNEL', pc, pc);
    return StopKind.Fault;
  }

  private fetchWord(pc: number): number {
    const w = this.i32[pc >>> 2];
    return this.le ? w : bswap32(w);
  }

  // ---- slow memory paths (misaligned, FP) ----------------------------------

  private load32(a: number): number { return this.dv.getInt32(a, this.le); }
  private store32(a: number, v: number): void { this.dv.setInt32(a, v, this.le); }

  /** FP doubleword load into FPR `ft` (FR-mode aware). */
  private loadD(a: number, ft: number): void {
    const s = this.s, le = this.le, dv = this.dv;
    const base = 64 + (s.fr ? 2 * ft : ft & ~1);
    this.r[base] = dv.getInt32(le ? a : a + 4, le);
    this.r[base + 1] = dv.getInt32(le ? a + 4 : a, le);
  }
  private storeD(a: number, ft: number): void {
    const s = this.s, le = this.le, dv = this.dv;
    const base = 64 + (s.fr ? 2 * ft : ft & ~1);
    dv.setInt32(le ? a : a + 4, this.r[base], le);
    dv.setInt32(le ? a + 4 : a, this.r[base + 1], le);
  }

  // ---- the interpreter -----------------------------------------------------

  run(budget: number): StopKind {
    const s = this.s, r = this.r;
    const perms = this.mem.perms;
    const u8 = this.u8, i8 = this.i8, u16 = this.u16, i16 = this.i16, i32 = this.i32, dv = this.dv;
    const le = this.le;
    let pc = s.pc | 0;
    let npc = s.npc | 0;
    let n = 0;
    let code: Int32Array = r;
    let pageBase = NO_PAGE;
    this.fault = null;
    this.codeDropped = false;
    for (;;) {
      if (n >= budget && npc === ((pc + 4) | 0)) {
        s.pc = pc; s.npc = npc; this.instret += n;
        return StopKind.Budget;
      }
      if ((pc & -4093) !== pageBase) {
        if ((pc & 3) !== 0) {
          this.setFault('SIGBUS', 'BUS_ADRALN', pc, pc);
          s.pc = pc; s.npc = npc; s.llAddr = -1; this.instret += n;
          return StopKind.Fault;
        }
        const page = pc >>> 12;
        let c = this.pages[page];
        if (c === undefined) {
          if (pc < 0 || (perms[page] & X) === 0) {
            this.setFault('SIGSEGV', pc >= 0 && (perms[page] & PAGE_MAPPED) !== 0 ? 'SEGV_ACCERR' : 'SEGV_MAPERR', pc, pc);
            s.pc = pc; s.npc = npc; s.llAddr = -1; this.instret += n;
            return StopKind.Fault;
          }
          c = new Int32Array(PAGE_RECORDS);
          this.pages[page] = c;
          this.live.add(page);
        }
        code = c;
        pageBase = pc & -4096;
      }
      const i = pc & 4092;
      let op = code[i];
      if (op === Op.UNDECODED) op = decode(this.fetchWord(pc), pc, code, i);
      const f = code[i + 1];
      const rd = f & 255, rs = (f >>> 8) & 255, rt = (f >>> 16) & 255;
      const imm = code[i + 2];
      const cur = pc;
      pc = npc;
      npc = (npc + 4) | 0;
      n++;
      switch (op) {
        case Op.NOP: break;
        case Op.LI: r[rd] = imm; break;
        case Op.MOVE: r[rd] = r[rs]; break;

        // ----------------------------------------------------- ALU imm
        case Op.ADDIU: r[rd] = (r[rs] + imm) | 0; break;
        case Op.ADDI: {
          const a = r[rs], v = (a + imm) | 0;
          if (((a ^ v) & (imm ^ v)) < 0) {
            this.setFault('SIGFPE', 'FPE_INTOVF', cur, cur);
            return this.fail(cur, pc, n - 1);
          }
          r[rd] = v; break;
        }
        case Op.SLTI: r[rd] = r[rs] < imm ? 1 : 0; break;
        case Op.SLTIU: r[rd] = (r[rs] >>> 0) < (imm >>> 0) ? 1 : 0; break;
        case Op.ANDI: r[rd] = r[rs] & imm; break;
        case Op.ORI: r[rd] = r[rs] | imm; break;
        case Op.XORI: r[rd] = r[rs] ^ imm; break;

        // ----------------------------------------------------- ALU reg
        case Op.ADDU: r[rd] = (r[rs] + r[rt]) | 0; break;
        case Op.SUBU: r[rd] = (r[rs] - r[rt]) | 0; break;
        case Op.ADD: {
          const a = r[rs], b = r[rt], v = (a + b) | 0;
          if (((a ^ v) & (b ^ v)) < 0) {
            this.setFault('SIGFPE', 'FPE_INTOVF', cur, cur);
            return this.fail(cur, pc, n - 1);
          }
          r[rd] = v; break;
        }
        case Op.SUB: {
          const a = r[rs], b = r[rt], v = (a - b) | 0;
          if (((a ^ b) & (a ^ v)) < 0) {
            this.setFault('SIGFPE', 'FPE_INTOVF', cur, cur);
            return this.fail(cur, pc, n - 1);
          }
          r[rd] = v; break;
        }
        case Op.AND: r[rd] = r[rs] & r[rt]; break;
        case Op.OR: r[rd] = r[rs] | r[rt]; break;
        case Op.XOR: r[rd] = r[rs] ^ r[rt]; break;
        case Op.NOR: r[rd] = ~(r[rs] | r[rt]); break;
        case Op.SLT: r[rd] = r[rs] < r[rt] ? 1 : 0; break;
        case Op.SLTU: r[rd] = (r[rs] >>> 0) < (r[rt] >>> 0) ? 1 : 0; break;
        case Op.SLL: r[rd] = r[rt] << (f >>> 24); break;
        case Op.SRL: r[rd] = r[rt] >>> (f >>> 24); break;
        case Op.SRA: r[rd] = r[rt] >> (f >>> 24); break;
        case Op.ROTR: { const v = r[rt], sh = f >>> 24; r[rd] = (v >>> sh) | (v << (32 - sh)); break; }
        case Op.SLLV: r[rd] = r[rt] << (r[rs] & 31); break;
        case Op.SRLV: r[rd] = r[rt] >>> (r[rs] & 31); break;
        case Op.SRAV: r[rd] = r[rt] >> (r[rs] & 31); break;
        case Op.ROTRV: { const v = r[rt], sh = r[rs] & 31; r[rd] = (v >>> sh) | (v << (32 - sh)); break; }
        case Op.MOVZ: if (r[rt] === 0) r[rd] = r[rs]; break;
        case Op.MOVN: if (r[rt] !== 0) r[rd] = r[rs]; break;
        case Op.MOVCI: {
          const cc = f >>> 24;
          if (((s.fcsr >>> (cc === 0 ? 23 : 24 + cc)) & 1) === imm) r[rd] = r[rs];
          break;
        }

        // -------------------------------------------------------- HI/LO
        case Op.MFHI: r[rd] = r[HI]; break;
        case Op.MFLO: r[rd] = r[LO]; break;
        case Op.MTHI: r[HI] = r[rs]; break;
        case Op.MTLO: r[LO] = r[rs]; break;
        case Op.MUL: r[rd] = Math.imul(r[rs], r[rt]); break;
        case Op.MULT: { const a = r[rs], b = r[rt]; r[LO] = Math.imul(a, b); r[HI] = mulhs(a, b); break; }
        case Op.MULTU: { const a = r[rs], b = r[rt]; r[LO] = Math.imul(a, b); r[HI] = mulhu(a, b); break; }
        case Op.MADD: case Op.MADDU: case Op.MSUB: case Op.MSUBU: {
          const a = r[rs], b = r[rt];
          const plo = Math.imul(a, b);
          const phi = op === Op.MADD || op === Op.MSUB ? mulhs(a, b) : mulhu(a, b);
          const lo = r[LO], hi = r[HI];
          if (op === Op.MADD || op === Op.MADDU) {
            const v = (lo + plo) | 0;
            r[HI] = (hi + phi + ((v >>> 0) < (lo >>> 0) ? 1 : 0)) | 0;
            r[LO] = v;
          } else {
            r[HI] = (hi - phi - ((lo >>> 0) < (plo >>> 0) ? 1 : 0)) | 0;
            r[LO] = (lo - plo) | 0;
          }
          break;
        }
        case Op.DIV: {
          const a = r[rs], b = r[rt];
          if (b === 0 || (b === -1 && a === -0x80000000)) { r[LO] = a; r[HI] = 0; } // as qemu
          else { r[LO] = (a / b) | 0; r[HI] = (a % b) | 0; }
          break;
        }
        case Op.DIVU: {
          const a = r[rs] >>> 0, b = r[rt] >>> 0;
          if (b === 0) { r[LO] = a | 0; r[HI] = 0; }
          else { r[LO] = (a / b) | 0; r[HI] = (a % b) | 0; }
          break;
        }
        case Op.CLZ: r[rd] = Math.clz32(r[rs]); break;
        case Op.CLO: r[rd] = Math.clz32(~r[rs]); break;

        // ----------------------------------------------------- SPECIAL3
        case Op.EXT: r[rd] = (r[rs] >>> (f >>> 24)) & code[i + 3]; break;
        case Op.INS: { const m = code[i + 3]; r[rd] = (r[rt] & ~m) | ((r[rs] << (f >>> 24)) & m); break; }
        case Op.WSBH: { const v = r[rt]; r[rd] = ((v & 0x00ff00ff) << 8) | ((v >>> 8) & 0x00ff00ff); break; }
        case Op.SEB: r[rd] = (r[rt] << 24) >> 24; break;
        case Op.SEH: r[rd] = (r[rt] << 16) >> 16; break;
        case Op.RDHWR:
          switch (imm) {
            case 0: r[rd] = 0; break;
            case 1: r[rd] = SYNCI_STEP; break;
            case 2: r[rd] = (this.instret + n) | 0; break;
            case 3: r[rd] = CC_RES; break;
            case 29: r[rd] = s.ulr; break;
            default:
              this.setFault('SIGILL', 'SI_KERNEL', 0, cur); // Linux MIPS do_ri: force_sig(SIGILL), no address
              return this.fail(cur, pc, n - 1);
          }
          break;

        // ----------------------------------------------------- branches
        case Op.J: npc = imm; break;
        case Op.JAL: r[31] = (cur + 8) | 0; npc = imm; break;
        case Op.JR: npc = r[rs]; break;
        case Op.JALR: { const t = r[rs]; r[rd] = (cur + 8) | 0; npc = t; break; }
        case Op.BEQ: if (r[rs] === r[rt]) npc = imm; break;
        case Op.BNE: if (r[rs] !== r[rt]) npc = imm; break;
        case Op.BLEZ: if (r[rs] <= 0) npc = imm; break;
        case Op.BGTZ: if (r[rs] > 0) npc = imm; break;
        case Op.BLTZ: if (r[rs] < 0) npc = imm; break;
        case Op.BGEZ: if (r[rs] >= 0) npc = imm; break;
        case Op.BLTZAL: { const c = r[rs] < 0; r[31] = (cur + 8) | 0; if (c) npc = imm; break; }
        case Op.BGEZAL: { const c = r[rs] >= 0; r[31] = (cur + 8) | 0; if (c) npc = imm; break; }
        case Op.BEQL: if (r[rs] === r[rt]) npc = imm; else { pc = npc; npc = (pc + 4) | 0; } break;
        case Op.BNEL: if (r[rs] !== r[rt]) npc = imm; else { pc = npc; npc = (pc + 4) | 0; } break;
        case Op.BLEZL: if (r[rs] <= 0) npc = imm; else { pc = npc; npc = (pc + 4) | 0; } break;
        case Op.BGTZL: if (r[rs] > 0) npc = imm; else { pc = npc; npc = (pc + 4) | 0; } break;
        case Op.BLTZL: if (r[rs] < 0) npc = imm; else { pc = npc; npc = (pc + 4) | 0; } break;
        case Op.BGEZL: if (r[rs] >= 0) npc = imm; else { pc = npc; npc = (pc + 4) | 0; } break;
        case Op.BLTZALL: {
          const c = r[rs] < 0; r[31] = (cur + 8) | 0;
          if (c) npc = imm; else { pc = npc; npc = (pc + 4) | 0; }
          break;
        }
        case Op.BGEZALL: {
          const c = r[rs] >= 0; r[31] = (cur + 8) | 0;
          if (c) npc = imm; else { pc = npc; npc = (pc + 4) | 0; }
          break;
        }
        case Op.BC1F: if ((s.fcsr & code[i + 3]) === 0) npc = imm; break;
        case Op.BC1T: if ((s.fcsr & code[i + 3]) !== 0) npc = imm; break;
        case Op.BC1FL: if ((s.fcsr & code[i + 3]) === 0) npc = imm; else { pc = npc; npc = (pc + 4) | 0; } break;
        case Op.BC1TL: if ((s.fcsr & code[i + 3]) !== 0) npc = imm; else { pc = npc; npc = (pc + 4) | 0; } break;

        // ------------------------------------------------------- system
        case Op.SYSCALL:
          s.pc = cur; s.npc = pc; s.llAddr = -1; this.instret += n;
          return StopKind.Syscall;
        case Op.BREAK: {
          const k = this.trapCode(imm, cur, true);
          this.fail(cur, pc, n - 1);
          return k;
        }
        case Op.TRAP: case Op.TRAPI: {
          const a = r[rs], b = op === Op.TRAP ? r[rt] : imm;
          let t: boolean;
          switch (f >>> 24) {
            case 0: t = a >= b; break;
            case 1: t = (a >>> 0) >= (b >>> 0); break;
            case 2: t = a < b; break;
            case 3: t = (a >>> 0) < (b >>> 0); break;
            case 4: t = a === b; break;
            default: t = a !== b; break;
          }
          if (t) {
            this.trapCode(op === Op.TRAP ? imm : 0, cur, false);
            return this.fail(cur, pc, n - 1);
          }
          break;
        }
        case Op.SYNCI: {
          const a = (r[rs] + imm) >>> 0;
          this.invalidateCode(a, a + 1);
          if (this.codeDropped) { pageBase = NO_PAGE; this.codeDropped = false; }
          break;
        }

        // ---------------------------------------------------------- loads
        case Op.LB: case Op.LBU: {
          const a = (r[rs] + imm) | 0;
          if (a < 0 || (perms[a >>> 12] & R) === 0) { this.memFault(a, 1, R, cur); return this.fail(cur, pc, n - 1); }
          r[rd] = op === Op.LB ? i8[a] : u8[a];
          break;
        }
        case Op.LH: case Op.LHU: {
          const a = (r[rs] + imm) | 0;
          let v: number;
          if ((a & 0x80000001) === 0 && (perms[a >>> 12] & R) !== 0) {
            v = u16[a >>> 1];
            if (!le) v = ((v & 0xff) << 8) | (v >>> 8);
          } else {
            if (!ok(perms, a, 2, R)) { this.memFault(a, 2, R, cur); return this.fail(cur, pc, n - 1); }
            v = dv.getUint16(a, le);
          }
          r[rd] = op === Op.LH ? (v << 16) >> 16 : v;
          break;
        }
        case Op.LW: {
          const a = (r[rs] + imm) | 0;
          if ((a & 0x80000003) === 0 && (perms[a >>> 12] & R) !== 0) {
            const v = i32[a >>> 2];
            r[rd] = le ? v : bswap32(v);
          } else {
            if (!ok(perms, a, 4, R)) { this.memFault(a, 4, R, cur); return this.fail(cur, pc, n - 1); }
            r[rd] = this.load32(a);
          }
          break;
        }
        case Op.LWL: case Op.LWR: {
          const a = (r[rs] + imm) | 0;
          const w = a & ~3;
          if (w < 0 || (perms[w >>> 12] & R) === 0) { this.memFault(a, 1, R, cur); return this.fail(cur, pc, n - 1); }
          let m = i32[w >>> 2];
          if (!le) m = bswap32(m);
          const k = a & 3, old = r[rt];
          if (op === Op.LWL) {
            const sh = 8 * (le ? 3 - k : k);
            r[rd] = (m << sh) | (old & ((1 << sh) - 1));
          } else {
            const sh = 8 * (le ? k : 3 - k);
            r[rd] = (m >>> sh) | (old & ~(-1 >>> sh));
          }
          break;
        }
        case Op.LL: {
          const a = (r[rs] + imm) | 0;
          if ((a & 3) !== 0 && a >= 0) { this.setFault('SIGBUS', 'BUS_ADRALN', a, cur); return this.fail(cur, pc, n - 1); }
          if (a < 0 || (perms[a >>> 12] & R) === 0) { this.memFault(a, 4, R, cur); return this.fail(cur, pc, n - 1); }
          const raw = Atomics.load(i32, a >>> 2);
          s.llAddr = a; s.llValue = raw;
          r[rd] = le ? raw : bswap32(raw);
          break;
        }

        // --------------------------------------------------------- stores
        case Op.SB: {
          const a = (r[rs] + imm) | 0;
          if (a < 0 || (perms[a >>> 12] & W) === 0) { this.memFault(a, 1, W, cur); return this.fail(cur, pc, n - 1); }
          u8[a] = r[rt];
          if ((a & ~3) === s.llAddr) s.llAddr = -1;
          break;
        }
        case Op.SH: {
          const a = (r[rs] + imm) | 0;
          if ((a & 0x80000001) === 0 && (perms[a >>> 12] & W) !== 0) {
            const v = r[rt];
            u16[a >>> 1] = le ? v : ((v & 0xff) << 8) | ((v >>> 8) & 0xff);
          } else {
            if (!ok(perms, a, 2, W)) { this.memFault(a, 2, W, cur); return this.fail(cur, pc, n - 1); }
            dv.setInt16(a, r[rt], le);
            if (((a + 1) & ~3) === s.llAddr) s.llAddr = -1;
          }
          if ((a & ~3) === s.llAddr) s.llAddr = -1;
          break;
        }
        case Op.SW: {
          const a = (r[rs] + imm) | 0;
          if ((a & 0x80000003) === 0 && (perms[a >>> 12] & W) !== 0) {
            const v = r[rt];
            i32[a >>> 2] = le ? v : bswap32(v);
            if (a === s.llAddr) s.llAddr = -1;
          } else {
            if (!ok(perms, a, 4, W)) { this.memFault(a, 4, W, cur); return this.fail(cur, pc, n - 1); }
            this.store32(a, r[rt]);
            if ((a & ~3) === s.llAddr || ((a + 3) & ~3) === s.llAddr) s.llAddr = -1;
          }
          break;
        }
        case Op.SWL: case Op.SWR: {
          const a = (r[rs] + imm) | 0;
          const w = a & ~3;
          if (w < 0 || (perms[w >>> 12] & W) === 0) { this.memFault(a, 1, W, cur); return this.fail(cur, pc, n - 1); }
          let m = i32[w >>> 2];
          if (!le) m = bswap32(m);
          const k = a & 3, v = r[rt];
          if (op === Op.SWL) {
            const sh = 8 * (le ? 3 - k : k);
            m = (m & ~(-1 >>> sh)) | (v >>> sh);
          } else {
            const sh = 8 * (le ? k : 3 - k);
            m = (m & ((1 << sh) - 1)) | (v << sh);
          }
          i32[w >>> 2] = le ? m : bswap32(m);
          if (w === s.llAddr) s.llAddr = -1;
          break;
        }
        case Op.SC: {
          const a = (r[rs] + imm) | 0;
          if ((a & 3) !== 0 && a >= 0) { this.setFault('SIGBUS', 'BUS_ADRALN', a, cur); return this.fail(cur, pc, n - 1); }
          if (a < 0 || (perms[a >>> 12] & W) === 0) { this.memFault(a, 4, W, cur); return this.fail(cur, pc, n - 1); }
          let success = 0;
          if (a === s.llAddr) {
            const v = r[rt];
            const expect = s.llValue;
            if (Atomics.compareExchange(i32, a >>> 2, expect, le ? v : bswap32(v)) === expect) success = 1;
          }
          s.llAddr = -1;
          r[rd] = success;
          break;
        }

        // ------------------------------------------------------ FP memory
        case Op.LWC1: case Op.LWXC1: {
          const a = (r[rs] + (op === Op.LWC1 ? imm : r[rt])) | 0;
          if (!ok(perms, a, 4, R)) { this.memFault(a, 4, R, cur); return this.fail(cur, pc, n - 1); }
          const ft = op === Op.LWC1 ? rt : f >>> 24;
          r[64 + (s.fr ? 2 * ft : ft)] = (a & 3) === 0 ? (le ? i32[a >>> 2] : bswap32(i32[a >>> 2])) : this.load32(a);
          break;
        }
        case Op.SWC1: case Op.SWXC1: {
          const a = (r[rs] + (op === Op.SWC1 ? imm : r[rt])) | 0;
          if (!ok(perms, a, 4, W)) { this.memFault(a, 4, W, cur); return this.fail(cur, pc, n - 1); }
          const ft = op === Op.SWC1 ? rt : f >>> 24;
          this.store32(a, r[64 + (s.fr ? 2 * ft : ft)]);
          if ((a & ~3) === s.llAddr) s.llAddr = -1;
          break;
        }
        case Op.LDC1: case Op.LDXC1: case Op.LUXC1: {
          let a = (r[rs] + (op === Op.LDC1 ? imm : r[rt])) | 0;
          if (op === Op.LUXC1) a &= ~7;
          if (!ok(perms, a, 8, R)) { this.memFault(a, 8, R, cur); return this.fail(cur, pc, n - 1); }
          this.loadD(a, op === Op.LDC1 ? rt : f >>> 24);
          break;
        }
        case Op.SDC1: case Op.SDXC1: case Op.SUXC1: {
          let a = (r[rs] + (op === Op.SDC1 ? imm : r[rt])) | 0;
          if (op === Op.SUXC1) a &= ~7;
          if (!ok(perms, a, 8, W)) { this.memFault(a, 8, W, cur); return this.fail(cur, pc, n - 1); }
          this.storeD(a, op === Op.SDC1 ? rt : f >>> 24);
          if ((a & ~7) === (s.llAddr & ~7)) s.llAddr = -1;
          break;
        }
        case Op.FPU: {
          const res = execCop1(s, imm);
          if (res !== FPU_OK) {
            if (res === FPU_RI) this.setFault('SIGILL', 'SI_KERNEL', 0, cur); // Linux MIPS do_ri: force_sig(SIGILL), no address
            else this.setFault('SIGFPE', fpeCode, cur, cur);
            return this.fail(cur, pc, n - 1);
          }
          break;
        }

        default: // Op.RI
          this.setFault('SIGILL', 'SI_KERNEL', 0, cur); // Linux MIPS do_ri: force_sig(SIGILL), no address
          return this.fail(cur, pc, n - 1);
      }
    }
  }
}

export const mipselCoreFactory: IsaCoreFactory = {
  isa: 'mips',
  endian: 'little',
  create(mem: AddressSpace, slot: number): IsaCore {
    return new MipsCore(mem, slot, { endian: 'little' });
  },
};

export const mipsCoreFactory: IsaCoreFactory = {
  isa: 'mips',
  endian: 'big',
  create(mem: AddressSpace, slot: number): IsaCore {
    return new MipsCore(mem, slot, { endian: 'big' });
  },
};
