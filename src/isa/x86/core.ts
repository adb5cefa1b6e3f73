/**
 * x86 tier-0 core, one decoder for both modes: x86-64 (long mode, 64-bit
 * code segment) and i386 (protected mode, 32-bit code segment). Memory
 * access, faults, the operand helpers the instruction groups share and the
 * run loop live here; the one-byte/two-byte integer maps are int.ts, the
 * SSE/SSE2 maps sse.ts, x87 is x87.ts.
 *
 * - Decoding: prefixes (66 67 F2 F3 F0, segment overrides; FS/GS add their
 *   base), REX (x86-64 only: 40..4F), ModRM/SIB/displacement with
 *   RIP-relative addressing; immediates are fetched before the effective
 *   address is formed, so RIP-relative operands are relative to the end of
 *   the instruction. Instructions are decoded each time they run (no cache
 *   yet), straight from guest memory with execute permission checked per
 *   byte fetched.
 * - Faults stop the loop with `core.pc` at the faulting instruction; an
 *   instruction that faults has written nothing but flags.
 */
import { StopKind, type CoreFault, type FaultSignal, type IsaCore, type IsaCoreFactory, type IsaName } from '../../plugin/contracts.js';
import { PAGE_MAPPED, PROT_EXEC, type AddressSpace } from '../../memory/address-space.js';
import { X86State, SLOT_SIZE } from './state.js';
import { execOne } from './int.js';

const TWO32 = 4294967296;
export const R = 1, W = 2;

import { RETRY, STOP } from './stop.js';

export { STOP };

export class X86Core implements IsaCore {
  readonly s: X86State;
  fault: CoreFault | null = null;
  instret = 0;
  stopKind: StopKind = StopKind.Budget;
  readonly r: Int32Array;
  readonly u8: Uint8Array;
  readonly dv: DataView;
  readonly perms: Uint8Array;

  // ---- per-instruction decode state (set by the decoder, read by handlers) ----
  /** Address of the instruction being run and the fetch cursor (its end once fully decoded). */
  start = 0;
  ip = 0;
  /** Operand size in bytes (2, 4, 8) and address size (2, 4, 8). */
  osz = 4;
  asz = 8;
  /** REX byte (0 if none) and its bits. */
  rex = 0;
  rexW = 0;
  rexR = 0;
  rexX = 0;
  rexB = 0;
  /** 0x66 seen, 0xF2/0xF3 (last one wins: 0, 0xf2, 0xf3), LOCK. */
  p66 = false;
  rep = 0;
  /** Segment base from an FS/GS override (0 otherwise). */
  segBase = 0;
  // ModRM
  mod = 0;
  reg = 0;
  rm = 0;
  /** Effective-address parts: base+index*scale (as a JS number), displacement, RIP-relative flag. */
  private eaSum = 0;
  private eaDisp = 0;
  private ripRel = false;
  private addrCache = -1;
  /** The registers of the address (-1: none) and the index's scale shift, for exact 64-bit LEA. */
  private eaBase = -1;
  private eaIdx = -1;
  private eaScale = 0;
  /** An address register was too wide for exact JS-number arithmetic (LEA then computes with BigInt). */
  private eaWide = false;
  /** LOCK prefix (or XCHG with memory): the memory write of the instruction is a compare-and-swap against what it read. */
  lock = false;
  private lockLo = 0;
  private lockHi = 0;
  private readonly a16: Int16Array;
  private readonly a32: Int32Array;
  private readonly a64: BigInt64Array;
  /** High word of the last 8-byte operand read (readE/readReg/ld with size 8). */
  vh = 0;

  constructor(readonly mem: AddressSpace, readonly slot: number, readonly isa: IsaName) {
    this.s = new X86State(mem, slot);
    this.r = this.s.r;
    this.u8 = mem.u8;
    this.dv = mem.dv;
    this.perms = mem.perms;
    const len = Math.floor(mem.buffer.byteLength / 8);
    this.a16 = new Int16Array(mem.buffer, 0, len * 4);
    this.a32 = new Int32Array(mem.buffer, 0, len * 2);
    this.a64 = new BigInt64Array(mem.buffer, 0, len);
  }

  /** True in x86-64 mode. */
  get long(): boolean { return this.isa === 'x86_64'; }

  // ---- IsaCore ---------------------------------------------------------------

  get pc(): number { return this.s.rip; }
  set pc(v: number) { this.s.rip = v >>> 0; }

  getReg(i: number): bigint { return this.long ? this.s.getX(i) : BigInt(this.r[2 * i] >>> 0); }
  setReg(i: number, v: bigint): void {
    if (this.long) this.s.setX(i, BigInt.asUintN(64, v));
    else { this.r[2 * i] = Number(v & 0xffffffffn) | 0; this.r[2 * i + 1] = 0; }
  }
  getRegLo(i: number): number { return this.r[2 * i]; }

  setThreadPointer(v: bigint): void { this.s.fsBase = Number(BigInt.asUintN(64, v)); }
  get threadPointer(): bigint { return BigInt(this.s.fsBase); }

  copyStateFrom(other: IsaCore): void {
    if (!(other instanceof X86Core)) throw new Error(`cannot copy ${other.isa} state into an ${this.isa} core`);
    new Int32Array(this.mem.buffer, this.slot * SLOT_SIZE, 128).set(new Int32Array(other.mem.buffer, other.slot * SLOT_SIZE, 128));
    this.loadCpu(other.saveCpu());
  }

  /** The state that is not in the register slot (for fork and clone). */
  saveCpu(): Record<string, unknown> {
    const s = this.s;
    return { rip: s.rip, flags: s.flags, fsBase: s.fsBase, gsBase: s.gsBase, mxcsr: s.mxcsr, fcw: s.fcw, fsSel: s.fsSel, gsSel: s.gsSel, tls: [...s.tls] };
  }
  loadCpu(v: Record<string, unknown>): void {
    const s = this.s;
    s.rip = v.rip as number; s.flags = v.flags as number; s.fsBase = v.fsBase as number; s.gsBase = v.gsBase as number;
    s.mxcsr = v.mxcsr as number; s.fcw = v.fcw as number; s.fsSel = v.fsSel as number; s.gsSel = v.gsSel as number;
    const t = v.tls as number[];
    for (let i = 0; i < 3; i++) s.tls[i] = t[i];
  }

  dispose(): void { /* no code cache yet */ }
  invalidateCode(_start: number, _end: number): void { /* instructions are decoded as they run */ }

  // ---- faults ------------------------------------------------------------------

  setFault(signal: FaultSignal, code: string, addr: number, pc: number): void {
    this.fault = { signal, code, addr, pc: pc >>> 0 };
    this.stopKind = StopKind.Fault;
  }

  /** #UD: SIGILL ILL_ILLOPN at the instruction (Linux's do_invalid_op). */
  illegal(): never {
    if (process.env.COMPAT_X86_DEBUG) process.stderr.write(`x86: #UD at 0x${this.start.toString(16)}: ${[...this.u8.subarray(this.start, this.start + 12)].map((b) => b.toString(16).padStart(2, '0')).join(' ')}\n`);
    this.setFault('SIGILL', 'ILL_ILLOPN', this.start, this.start);
    throw STOP;
  }

  /** #GP from user mode (privileged instruction, HLT, bad port): SIGSEGV with si_addr 0, as Linux sends it. */
  generalProtection(): never {
    this.setFault('SIGSEGV', 'SI_KERNEL', 0, this.start);
    throw STOP;
  }

  memFault(a: number, bit: number): never {
    let bad = a;
    if (a >= 0 && a < TWO32 && (this.perms[Math.floor(a / 4096)] & bit) !== 0) bad = (Math.floor(a / 4096) + 1) * 4096;
    const inRange = bad >= 0 && bad < TWO32;
    // a non-canonical address is #GP (SIGSEGV, si_addr 0) on x86-64
    if (this.long && !inRange && !(bad >= 0 && bad < 2 ** 47)) { this.generalProtection(); }
    const mapped = inRange && (this.perms[Math.floor(bad / 4096)] & PAGE_MAPPED) !== 0;
    this.setFault('SIGSEGV', mapped ? 'SEGV_ACCERR' : 'SEGV_MAPERR', bad < 0 ? bad + 2 ** 64 : bad, this.start);
    throw STOP;
  }

  // ---- memory --------------------------------------------------------------------

  chk(a: number, size: number, bit: number): number {
    if (!(a >= 0 && a <= TWO32 - size)) this.memFault(a, bit);
    const p = a >>> 12;
    if ((this.perms[p] & bit) === 0 || (((a + size - 1) >>> 12) !== p && (this.perms[p + 1] & bit) === 0)) this.memFault(a, bit);
    return a;
  }
  ld8(a: number): number { return this.u8[this.chk(a, 1, R)]; }
  ld16(a: number): number { return this.dv.getUint16(this.chk(a, 2, R), true); }
  ld32(a: number): number { return this.dv.getUint32(this.chk(a, 4, R), true); }
  /** Loads `size` bytes (unsigned); size 8 leaves the high word in vh. */
  ld(a: number, size: number): number {
    switch (size) {
      case 1: return this.ld8(a);
      case 2: return this.ld16(a);
      case 4: return this.ld32(a);
      default: {
        this.chk(a, 8, R);
        this.vh = this.dv.getUint32(a + 4, true);
        return this.dv.getUint32(a, true);
      }
    }
  }
  st(a: number, size: number, lo: number, hi: number): void {
    this.chk(a, size, W);
    switch (size) {
      case 1: this.u8[a] = lo; break;
      case 2: this.dv.setUint16(a, lo & 0xffff, true); break;
      case 4: this.dv.setUint32(a, lo >>> 0, true); break;
      default: this.dv.setUint32(a, lo >>> 0, true); this.dv.setUint32(a + 4, hi >>> 0, true);
    }
  }
  /** Checks and returns the byte offset of a `size`-byte access (for SSE loads/stores). */
  chkR(a: number, size: number): number { return this.chk(a, size, R); }
  chkW(a: number, size: number): number { return this.chk(a, size, W); }

  // ---- instruction fetch --------------------------------------------------------

  fetch8(): number {
    const a = this.ip;
    if (!(a >= 0 && a < TWO32) || (this.perms[a >>> 12] & PROT_EXEC) === 0) {
      // the fault is reported at the instruction start when the fetch crosses into a bad page
      const mapped = a >= 0 && a < TWO32 && (this.perms[a >>> 12] & PAGE_MAPPED) !== 0;
      this.setFault('SIGSEGV', mapped ? 'SEGV_ACCERR' : 'SEGV_MAPERR', a, this.start);
      throw STOP;
    }
    this.ip = a + 1;
    return this.u8[a];
  }
  fetch16(): number { const a = this.fetch8(); return a | (this.fetch8() << 8); }
  fetch32(): number { const a = this.fetch16(); return (a | (this.fetch16() << 16)) >>> 0; }
  /** Signed immediates. */
  imm8s(): number { return (this.fetch8() << 24) >> 24; }
  imm32s(): number { return this.fetch32() | 0; }
  /** Immediate of the operand size (16 or 32 bits; 64-bit operations take a sign-extended 32-bit one). */
  immZ(size: number): number { return size === 2 ? this.fetch16() : this.fetch32(); }

  // ---- registers ------------------------------------------------------------------

  /** Register `i` read at `size` bytes (byte registers 4..7 without REX are AH CH DH BH). */
  readReg(i: number, size: number): number {
    const r = this.r;
    switch (size) {
      case 1: return this.rex === 0 && i >= 4 && i < 8 ? (r[2 * (i - 4)] >>> 8) & 0xff : r[2 * i] & 0xff;
      case 2: return r[2 * i] & 0xffff;
      case 4: return r[2 * i] >>> 0;
      default: this.vh = r[2 * i + 1] >>> 0; return r[2 * i] >>> 0;
    }
  }
  writeReg(i: number, size: number, lo: number, hi: number): void {
    const r = this.r;
    switch (size) {
      case 1:
        if (this.rex === 0 && i >= 4 && i < 8) { const j = 2 * (i - 4); r[j] = (r[j] & ~0xff00) | ((lo & 0xff) << 8); } else r[2 * i] = (r[2 * i] & ~0xff) | (lo & 0xff);
        break;
      case 2: r[2 * i] = (r[2 * i] & ~0xffff) | (lo & 0xffff); break;
      case 4: r[2 * i] = lo; r[2 * i + 1] = 0; break;
      default: r[2 * i] = lo; r[2 * i + 1] = hi;
    }
  }
  /** Register `i` as a JS number (64-bit signed in long mode, uint32 otherwise). */
  regNum(i: number): number { return this.long ? this.r[2 * i + 1] * TWO32 + (this.r[2 * i] >>> 0) : this.r[2 * i] >>> 0; }
  /** Writes a (long-mode: 64-bit signed; else 32-bit) JS number into register `i`. */
  setRegNum(i: number, v: number): void {
    if (this.long) { this.r[2 * i] = v | 0; this.r[2 * i + 1] = Math.floor(v / TWO32) | 0; } else { this.r[2 * i] = v | 0; this.r[2 * i + 1] = 0; }
  }

  // ---- ModRM ------------------------------------------------------------------------

  /** Reads ModRM (+SIB, displacement); `reg` gets REX.R, `rm` REX.B (register forms). */
  modrm(): void {
    const b = this.fetch8();
    const mod = b >> 6;
    this.mod = mod;
    this.reg = ((b >> 3) & 7) | this.rexR;
    let rm = b & 7;
    this.addrCache = -1;
    this.ripRel = false;
    if (mod === 3) { this.rm = rm | this.rexB; return; }
    if (this.asz === 2) { this.modrm16(mod, rm); return; }
    this.eaWide = false;
    let sum = 0, disp = 0;
    this.eaBase = -1; this.eaIdx = -1; this.eaScale = 0;
    if (rm === 4) {
      const sib = this.fetch8();
      const scale = sib >> 6, idx = ((sib >> 3) & 7) | this.rexX, base = sib & 7;
      if (idx !== 4) { sum = this.addrReg(idx) * (1 << scale); this.eaIdx = idx; this.eaScale = scale; }
      if (base === 5 && mod === 0) disp = this.imm32s();
      else { sum += this.addrReg(base | this.rexB); this.eaBase = base | this.rexB; }
    } else if (rm === 5 && mod === 0) {
      disp = this.imm32s();
      if (this.long) this.ripRel = true;
    } else {
      rm |= this.rexB;
      sum = this.addrReg(rm);
      this.eaBase = rm;
    }
    if (mod === 1) disp = this.imm8s(); else if (mod === 2) disp = this.imm32s();
    this.rm = rm;
    this.eaSum = sum;
    this.eaDisp = disp;
  }

  /** An address register's value as a JS number (exact below 2^53; eaWide notes one at or above 2^50 in magnitude). */
  private addrReg(i: number): number {
    if (this.asz === 4) return this.r[2 * i] >>> 0;
    const h = this.r[2 * i + 1];
    if (h >= 0x40000 || h < -0x40000) this.eaWide = true;
    return h * TWO32 + (this.r[2 * i] >>> 0);
  }

  private modrm16(mod: number, rm: number): void {
    const w = (i: number): number => this.r[2 * i] & 0xffff;
    const bases = [w(3) + w(6), w(3) + w(7), w(5) + w(6), w(5) + w(7), w(6), w(7), w(5), w(3)];
    let sum = bases[rm], disp = 0;
    if (mod === 0 && rm === 6) { sum = 0; disp = this.fetch16(); } else if (mod === 1) disp = this.imm8s(); else if (mod === 2) disp = (this.fetch16() << 16) >> 16;
    this.rm = rm;
    this.eaSum = sum;
    this.eaDisp = disp;
  }

  /** The memory operand's address (after all immediates are fetched). */
  ea(): number {
    if (this.addrCache >= 0) return this.addrCache;
    let a = this.ripRel ? this.ip + this.eaDisp : this.eaSum + this.eaDisp;
    if (this.asz === 4) a = a >>> 0; else if (this.asz === 2) a &= 0xffff;
    if (this.segBase !== 0) { a += this.segBase; if (!this.long) a = a >>> 0; }
    this.addrCache = a;
    return a;
  }

  /**
   * LEA's result as an exact (lo, hi) pair in res-like out fields: the JS-number address
   * is exact only below 2^53, LEA computes on any 64-bit values.
   */
  leaPair(): [number, number] {
    const a = this.ea();
    if (this.asz !== 8 || this.ripRel || !this.eaWide) {
      return [a >>> 0, this.asz === 8 ? Math.floor(a / TWO32) >>> 0 : 0];
    }
    let v = BigInt(this.eaDisp);
    if (this.eaBase >= 0) v += this.s.getX(this.eaBase);
    if (this.eaIdx >= 0) v += this.s.getX(this.eaIdx) << BigInt(this.eaScale);
    if (this.segBase !== 0) v += BigInt(this.segBase);
    v = BigInt.asUintN(64, v);
    return [Number(v & 0xffffffffn), Number(v >> 32n)];
  }

  /** The E operand (register or memory) at `size`; size 8 leaves the high word in vh. */
  readE(size: number): number {
    if (this.mod === 3) return this.readReg(this.rm, size);
    const v = this.ld(this.ea(), size);
    if (this.lock) { this.lockLo = v; this.lockHi = this.vh; }
    return v;
  }
  writeE(size: number, lo: number, hi: number): void {
    if (this.mod === 3) this.writeReg(this.rm, size, lo, hi);
    else if (this.lock) this.casStore(this.ea(), size, lo, hi);
    else this.st(this.ea(), size, lo, hi);
  }

  /**
   * A locked read-modify-write's store: compare-and-swap against the value the
   * instruction read; when another thread changed it meanwhile, the
   * instruction runs again (RETRY). Misaligned locked accesses are not atomic.
   */
  private casStore(a: number, size: number, lo: number, hi: number): void {
    this.chk(a, size, W);
    if (a % size !== 0) { this.st(a, size, lo, hi); return; }
    let ok: boolean;
    switch (size) {
      case 1: ok = Atomics.compareExchange(this.u8, a, this.lockLo & 0xff, lo & 0xff) === (this.lockLo & 0xff); break;
      case 2: ok = Atomics.compareExchange(this.a16, a >>> 1, (this.lockLo << 16) >> 16, (lo << 16) >> 16) === ((this.lockLo << 16) >> 16); break;
      case 4: ok = Atomics.compareExchange(this.a32, a >>> 2, this.lockLo | 0, lo | 0) === (this.lockLo | 0); break;
      default: {
        const exp = BigInt.asIntN(64, (BigInt(this.lockHi >>> 0) << 32n) | BigInt(this.lockLo >>> 0));
        const nv = BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
        ok = Atomics.compareExchange(this.a64, a / 8, exp, nv) === exp;
      }
    }
    if (!ok) throw RETRY;
  }

  // ---- stack --------------------------------------------------------------------

  /** Stack slot size: 8 in long mode (4 with 0x66 → 2), 4 in 32-bit mode. */
  stackSize(): number { return this.long ? (this.p66 ? 2 : 8) : (this.p66 ? 2 : 4); }
  push(size: number, lo: number, hi: number): void {
    const sp = this.regNum(4) - size;
    this.st(this.long ? sp : sp >>> 0, size, lo, hi);
    this.setRegNum(4, this.long ? sp : sp >>> 0);
  }
  pop(size: number): number {
    const sp = this.regNum(4);
    const v = this.ld(sp, size);
    this.setRegNum(4, this.long ? sp + size : (sp + size) >>> 0);
    return v;
  }

  // ---- the loop ------------------------------------------------------------------

  run(budget: number): StopKind {
    const s = this.s;
    let n = 0;
    this.fault = null;
    this.stopKind = StopKind.Budget;
    let flags = s.flags;
    for (;;) {
      try {
        while (n < budget) {
          this.start = this.ip = s.rip;
          flags = s.flags;
          if (execOne(this)) { this.instret += n; return this.stopKind; }
          s.rip = this.ip;
          n++;
        }
        this.instret += n;
        return StopKind.Budget;
      } catch (e) {
        if (e === RETRY) { s.flags = flags; continue; } // a lost compare-and-swap: run the instruction again
        if (e !== STOP) throw e;
        s.rip = this.start;
        this.instret += n;
        return this.stopKind;
      }
    }
  }
}

export const x86_64CoreFactory: IsaCoreFactory = {
  isa: 'x86_64',
  endian: 'little',
  create(mem: AddressSpace, slot: number): IsaCore { return new X86Core(mem, slot, 'x86_64'); },
};

export const i386CoreFactory: IsaCoreFactory = {
  isa: 'i386',
  endian: 'little',
  create(mem: AddressSpace, slot: number): IsaCore { return new X86Core(mem, slot, 'i386'); },
};
