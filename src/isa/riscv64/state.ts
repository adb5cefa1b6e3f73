/**
 * RV64 architectural state.
 *
 * The integer and FP register files live inside the guest's own memory, in the
 * runtime-owned area below GUEST_MIN_ADDR (one 1 KiB slot per guest thread), so
 * the interpreter and a later wasm translation tier see the same registers.
 *
 * Slot layout (byte offsets from slot base, little-endian):
 *   0   .. 255  x0..x31, 8 bytes each: low int32 word then high int32 word
 *   256 .. 511  f0..f31, 8 bytes each: raw IEEE bits (f32 values NaN-boxed)
 *   512 .. 519  tier-1 exit report: next pc (u32) at 512, retired count at 516
 *               (JIT_PC_OFFSET / JIT_N_OFFSET, written by translated code)
 *   520 .. 527  fflags (int32) at 520, frm (int32) at 524: Rv64State.fflags /
 *               .frm are accessors over these, so translated code reads them
 *   1016 .. 1023 write-only sink: decoded instructions whose rd is x0 write here
 *                (SINK_OFFSET), so x0 itself is never written
 */
import type { AddressSpace } from '../../memory/address-space.js';

export const SLOT_SIZE = 1024;
export const MAX_SLOTS = 64; // 64 KiB below GUEST_MIN_ADDR

export const X_OFFSET = 0;
export const F_OFFSET = 256;
/** Where translated code reports the pc to continue at (u32). */
export const JIT_PC_OFFSET = 512;
/** Where translated code reports how many instructions it retired (u32). */
export const JIT_N_OFFSET = 516;
/** fcsr fields (int32 each). */
export const FFLAGS_OFFSET = 520;
export const FRM_OFFSET = 524;
/** Scratch register the interpreter writes instead of x0 (never read). */
export const SINK_OFFSET = 1016;

/** ABI register numbers used by glue code. */
export const REG = {
  zero: 0, ra: 1, sp: 2, gp: 3, tp: 4, t0: 5, t1: 6, t2: 7, s0: 8, s1: 9,
  a0: 10, a1: 11, a2: 12, a3: 13, a4: 14, a5: 15, a6: 16, a7: 17,
} as const;

/** fcsr fields. */
export const FFLAG_NX = 1;
export const FFLAG_UF = 2;
export const FFLAG_OF = 4;
export const FFLAG_DZ = 8;
export const FFLAG_NV = 16;

/** Rounding modes (frm / instruction rm field). 7 = dynamic (use frm). */
export const RM_RNE = 0;
export const RM_RTZ = 1;
export const RM_RDN = 2;
export const RM_RUP = 3;
export const RM_RMM = 4;
export const RM_DYN = 7;

export class Rv64State {
  /** x registers as int32 pairs: x[2*i] = low word, x[2*i+1] = high word. */
  readonly x: Int32Array;
  /** f registers as int32 pairs (raw bits), same indexing as x. */
  readonly fbits: Int32Array;
  /** f registers viewed as doubles (for D-extension arithmetic). */
  readonly fd: Float64Array;
  pc = 0;
  /** fflags and frm, in the slot (FFLAGS_OFFSET, FRM_OFFSET). */
  private readonly fcsr: Int32Array;
  /** Accrued exception flags (fcsr[4:0]). */
  get fflags(): number { return this.fcsr[0]; }
  set fflags(v: number) { this.fcsr[0] = v; }
  /** Dynamic rounding mode (fcsr[7:5]). */
  get frm(): number { return this.fcsr[1]; }
  set frm(v: number) { this.fcsr[1] = v; }
  /** LR/SC reservation: address or -1. */
  reservation = -1;
  /** The value LR loaded (SC succeeds only if memory still holds it: compare-and-swap). */
  reservedLo = 0;
  reservedHi = 0;

  constructor(readonly mem: AddressSpace, readonly slot: number) {
    const base = slot * SLOT_SIZE;
    this.x = new Int32Array(mem.buffer, base + X_OFFSET, 64);
    this.fbits = new Int32Array(mem.buffer, base + F_OFFSET, 64);
    this.fd = new Float64Array(mem.buffer, base + F_OFFSET, 32);
    this.fcsr = new Int32Array(mem.buffer, base + FFLAGS_OFFSET, 2);
    this.fcsr[0] = 0;
    this.fcsr[1] = 0;
  }
}
