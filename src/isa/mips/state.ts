/**
 * MIPS32r2 architectural state (o32 user mode).
 *
 * Like the riscv64 core, the register files live in the guest's own memory,
 * in the runtime-owned area below GUEST_MIN_ADDR, one 1 KiB slot per guest
 * thread (`slot * 1024`), so a later translation tier addresses the same
 * registers. The slot is host-order (little-endian) whatever the guest's
 * byte order: it is never visible to the guest.
 *
 * Slot layout (int32 indices from the slot base):
 *   0 .. 31   GPR $0..$31 (int32; $0 always reads 0)
 *   32        HI
 *   33        LO
 *   63        write sink for decoded instructions whose destination is $0
 *   64 .. 127 FPRs, 256 bytes (see below)
 *
 * FPR storage depends on the FR mode (Status.FR as the kernel sets it):
 *   FR=1: 32 64-bit registers; FPR i = int32 [64+2i] (low word), [64+2i+1]
 *         (high word) = Float64Array index i.
 *   FR=0: 32 32-bit registers packed: FPR i = int32 [64+i], so the double
 *         pair (2k, 2k+1) (even = low word, odd = high word) is Float64Array
 *         index k on a little-endian host.
 * setFpuMode() converts between the two layouts.
 */
import type { AddressSpace } from '../../memory/address-space.js';

export const SLOT_SIZE = 1024;
export const MAX_SLOTS = 64;

export const HI = 32;
export const LO = 33;
/** Int32 index of the write-only sink used for rd = $0. */
export const SINK = 63;
/** Byte offset of the FPR area in the slot. */
export const F_OFFSET = 256;

/** o32 ABI register numbers used by syscall glue. */
export const REG = {
  zero: 0, at: 1, v0: 2, v1: 3, a0: 4, a1: 5, a2: 6, a3: 7,
  t0: 8, t8: 24, t9: 25, k0: 26, k1: 27, gp: 28, sp: 29, fp: 30, ra: 31,
} as const;

/** FCSR fields. */
export const FCSR_RM = 0x3;
export const FCSR_FLAGS_SHIFT = 2;
export const FCSR_ENABLES_SHIFT = 7;
export const FCSR_CAUSE_SHIFT = 12;
/** Cause bit E (unimplemented operation), cause bit 5 */
export const FCSR_CAUSE_E = 1 << 17;
export const FCSR_NAN2008 = 1 << 18;
export const FCSR_ABS2008 = 1 << 19;
export const FCSR_FS = 1 << 24;
/** Bits of the flag/enable/cause fields: I=1 U=2 O=4 Z=8 V=16 (same order as softfloat's flags). */
export const FP_I = 1, FP_U = 2, FP_O = 4, FP_Z = 8, FP_V = 16;

export interface FpuMode {
  /** 0: 32 32-bit FPRs (doubles in even/odd pairs); 1: 32 64-bit FPRs. */
  fr: 0 | 1;
  /** IEEE 754-2008 NaN encoding (FCSR.NAN2008/ABS2008) instead of legacy MIPS NaNs. */
  nan2008: boolean;
}

/** .MIPS.abiflags fp_abi values (Elf_MIPS_ABIFlags_v0, byte 7). */
export const FP_ABI = { ANY: 0, DOUBLE: 1, SINGLE: 2, SOFT: 3, OLD_64: 4, XX: 5, FP64: 6, FP64A: 7 } as const;
/** e_flags bit: the binary uses IEEE 754-2008 NaN encoding. */
export const EF_MIPS_NAN2008 = 0x400;

/**
 * The FPU mode Linux gives an o32 binary (arch/mips/kernel/elf.c,
 * mips_set_personality_fp, with CONFIG_MIPS_O32_FP64_SUPPORT) on a MIPS32r2
 * CPU whose FPU has FIR.F64, as this core's does:
 *   FP64 / FP64A            -> FR=1 (they require it)
 *   FPXX (Debian's default) -> FR=1: FPXX allows FR=0 or FR=1 and the kernel
 *                              prefers FR=1 on an r2 CPU with a 64-bit FPU;
 *                              qemu-mipsel does the same (checked with a probe)
 *   DOUBLE (-mfp32), SINGLE, SOFT, ANY, no abiflags -> FR=0
 * NaN encoding: EF_MIPS_NAN2008 in e_flags; Debian mipsel is legacy.
 * (A kernel built without O32_FP64_SUPPORT runs every o32 binary in FR=0,
 * which FPXX code also tolerates.)
 */
export function fpuModeForElf(fpAbi: number | null, eflags: number): FpuMode {
  const fr = fpAbi === FP_ABI.XX || fpAbi === FP_ABI.FP64 || fpAbi === FP_ABI.FP64A ? 1 : 0;
  return { fr, nan2008: (eflags & EF_MIPS_NAN2008) !== 0 };
}

export class MipsState {
  /** The whole slot as int32 (GPRs, HI, LO, sink, FPRs). */
  readonly r: Int32Array;
  /** FPR area as int32 words. */
  readonly fb: Int32Array;
  /** FPR area as doubles. */
  readonly fd: Float64Array;
  /** Address of the instruction to execute next. */
  pc = 0;
  /** Address of the instruction after it (differs from pc + 4 inside a taken branch's delay slot). */
  npc = 4;
  /** FP control/status register (FCSR / FCR31), condition codes included. */
  fcsr = 0;
  fr: 0 | 1 = 1;
  nan2008 = false;
  /** UserLocal (rdhwr $29), set by set_thread_area. */
  ulr = 0;
  /** LL/SC reservation: word address (bytes) or -1, and the value LL read (raw memory order). */
  llAddr = -1;
  llValue = 0;

  constructor(readonly mem: AddressSpace, readonly slot: number) {
    const base = slot * SLOT_SIZE;
    this.r = new Int32Array(mem.buffer, base, SLOT_SIZE / 4);
    this.fb = new Int32Array(mem.buffer, base + F_OFFSET, 64);
    this.fd = new Float64Array(mem.buffer, base + F_OFFSET, 32);
  }

  /** FPR i as a raw 32-bit word (the low half in FR=1). */
  getF32(i: number): number { return this.fb[this.fr ? 2 * i : i]; }
  setF32(i: number, v: number): void { this.fb[this.fr ? 2 * i : i] = v; }
  /** Raw high word of the 64-bit register i (FR=1) or of the pair i&~1 (FR=0). */
  getF64Hi(i: number): number { return this.fb[this.fr ? 2 * i + 1 : (i & ~1) + 1]; }
  getF64Lo(i: number): number { return this.fb[this.fr ? 2 * i : i & ~1]; }
  setF64Words(i: number, hi: number, lo: number): void {
    if (this.fr) { this.fb[2 * i] = lo; this.fb[2 * i + 1] = hi; }
    else { this.fb[i & ~1] = lo; this.fb[(i & ~1) + 1] = hi; }
  }

  /** Changes the FR mode, moving register contents to the new layout. */
  setFr(fr: 0 | 1): void {
    if (fr === this.fr) return;
    const old = Int32Array.from(this.fb);
    this.fb.fill(0);
    if (fr === 1) for (let i = 0; i < 32; i++) this.fb[2 * i] = old[i]; // packed -> low halves
    else for (let i = 0; i < 32; i++) this.fb[i] = old[2 * i];
    this.fr = fr;
  }
}
