/**
 * AArch64 (A64, EL0) architectural state.
 *
 * As for riscv64 and MIPS, the register files live in the guest's own memory,
 * in the runtime-owned area below GUEST_MIN_ADDR, one 1 KiB slot per guest
 * thread (`slot * 1024`), so a later translation tier addresses the same
 * registers. The slot is little-endian (the host's order).
 *
 * Slot layout (byte offsets from the slot base):
 *   0   .. 247  X0..X30, 8 bytes each: low int32 word then high int32 word
 *   248 .. 255  SP (register 31 where an encoding means SP)
 *   256 .. 767  V0..V31, 16 bytes each; byte 0 is the least significant byte
 *               (lane 0 of every arrangement starts there)
 *   768         NZCV: PSTATE.{N,Z,C,V} in bits 31..28 as MRS NZCV reads them
 *   772         FPCR (int32)
 *   776         FPSR (int32)
 *   780 .. 787  TPIDR_EL0 (low word, high word)
 *   788 .. 799  tier-1 exit report, reserved like riscv64's (pc, count)
 *   1016 .. 1023 write-only sink: decoded instructions whose destination is
 *                XZR write here (SINK_OFFSET), so XZR always reads 0
 */
import type { AddressSpace } from '../../memory/address-space.js';

export const SLOT_SIZE = 1024;
export const MAX_SLOTS = 64;

export const X_OFFSET = 0;
/** Int32 index of SP's low word in the slot (SP is "X31" in this array). */
export const SP_INDEX = 62;
export const V_OFFSET = 256;
export const NZCV_OFFSET = 768;
export const FPCR_OFFSET = 772;
export const FPSR_OFFSET = 776;
export const TPIDR_OFFSET = 780;
export const JIT_PC_OFFSET = 788;
export const JIT_N_OFFSET = 792;
export const SINK_OFFSET = 1016;

/** PSTATE condition flags in the NZCV word. */
export const FLAG_N = 1 << 31;
export const FLAG_Z = 1 << 30;
export const FLAG_C = 1 << 29;
export const FLAG_V = 1 << 28;

/** FPCR fields. */
export const FPCR_RMODE_SHIFT = 22; // 0 RN, 1 RP, 2 RM, 3 RZ
export const FPCR_FZ = 1 << 24;
export const FPCR_DN = 1 << 25;
export const FPCR_AHP = 1 << 26;
/** FPSR cumulative flags: IOC=1 DZC=2 OFC=4 UFC=8 IXC=16 IDC=128, QC=1<<27. */
export const FPSR_IOC = 1, FPSR_DZC = 2, FPSR_OFC = 4, FPSR_UFC = 8, FPSR_IXC = 16, FPSR_IDC = 128;
export const FPSR_QC = 1 << 27;

/** ABI register numbers used by glue code (AAPCS64, Linux syscalls: x8 = number, x0..x5 = arguments, x0 = result). */
export const REG = { x0: 0, x1: 1, x2: 2, x3: 3, x4: 4, x5: 5, x8: 8, fp: 29, lr: 30, sp: 31 } as const;

export class A64State {
  /** X0..X30 and SP as int32 pairs: x[2*i] = low word, x[2*i+1] = high word; i = 31 is SP. */
  readonly x: Int32Array;
  /** The vector registers: V i is bytes 16*i .. 16*i+15 of these views. */
  readonly vb: Uint8Array;
  readonly vw: Int32Array;
  readonly vf32: Float32Array;
  readonly vf64: Float64Array;
  readonly vdv: DataView;
  /** NZCV, FPCR, FPSR, TPIDR_EL0 lo/hi as int32 (the words at NZCV_OFFSET ..). */
  private readonly sys: Int32Array;
  /** Address of the next instruction (guest addresses fit in 32 bits: memory is 4 GiB). */
  pc = 0;
  /** Exclusive monitor: the address LDXR/LDAXR marked (or -1), its size in bytes and the value read (lo, hi; a pair's second doubleword in lo2/hi2). */
  exclAddr = -1;
  exclSize = 0;
  exclLo = 0;
  exclHi = 0;
  exclLo2 = 0;
  exclHi2 = 0;

  constructor(readonly mem: AddressSpace, readonly slot: number) {
    const base = slot * SLOT_SIZE;
    this.x = new Int32Array(mem.buffer, base + X_OFFSET, 64);
    this.vb = new Uint8Array(mem.buffer, base + V_OFFSET, 512);
    this.vw = new Int32Array(mem.buffer, base + V_OFFSET, 128);
    this.vf32 = new Float32Array(mem.buffer, base + V_OFFSET, 128);
    this.vf64 = new Float64Array(mem.buffer, base + V_OFFSET, 64);
    this.vdv = new DataView(mem.buffer, base + V_OFFSET, 512);
    this.sys = new Int32Array(mem.buffer, base + NZCV_OFFSET, 5);
  }

  get nzcv(): number { return this.sys[0]; }
  set nzcv(v: number) { this.sys[0] = v & 0xf0000000; }
  get fpcr(): number { return this.sys[1]; }
  set fpcr(v: number) { this.sys[1] = v; }
  get fpsr(): number { return this.sys[2]; }
  set fpsr(v: number) { this.sys[2] = v; }
  get tpidrLo(): number { return this.sys[3]; }
  get tpidrHi(): number { return this.sys[4]; }
  setTpidr(lo: number, hi: number): void { this.sys[3] = lo; this.sys[4] = hi; }

  /** X i (or SP for 31) as a BigInt, for glue code; the interpreter uses the int32 pairs. */
  getX(i: number): bigint {
    return (BigInt(this.x[2 * i + 1]) << 32n) | BigInt(this.x[2 * i] >>> 0);
  }
  setX(i: number, v: bigint): void {
    this.x[2 * i] = Number(v & 0xffffffffn) | 0;
    this.x[2 * i + 1] = Number((v >> 32n) & 0xffffffffn) | 0;
  }
}
