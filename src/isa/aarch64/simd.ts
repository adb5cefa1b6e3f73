/**
 * The AArch64 SIMD&FP data-processing unit: the "Data Processing -- Scalar
 * Floating-Point and Advanced SIMD" group (insn bits 28..25 = x111), routed
 * here by the core's decoder. executeSimdFp performs the instruction on the
 * register file, NZCV and FPSR (it does not touch the PC) and returns false
 * for an unallocated or unimplemented encoding (the core raises SIGILL).
 *
 *   bit 28 = 1, bit 30 = 0   scalar floating point        fp-scalar.ts
 *   bit 28 = 1, bit 30 = 1   AdvSIMD scalar forms         simd-scalar.ts
 *   bit 28 = 0               AdvSIMD vector forms         simd-vector.ts
 *
 * The AdvSIMD decoders hand the fields to simd-int.ts (integer arithmetic),
 * simd-shift.ts (shifts by immediate), simd-fpvec.ts (FP lanes) and
 * simd-move.ts (DUP/INS/UMOV/SMOV, MOVI & co., permutes, EXT, TBL/TBX), all
 * over simd-lanes.ts (typed views, the scratch register, saturation/FPSR.QC).
 * ARM floating-point semantics (FPCR rounding/FZ/DN/AHP, NaN rules, FPSR
 * flags) are fp-arith.ts over src/isa/softfloat; the estimate tables
 * fp-estimate.ts; register access simd-regs.ts.
 *
 * Not implemented (refused): FP16 arithmetic and FP16<->integer conversions,
 * the crypto extensions (AES, SHA*, SM3/SM4, SHA3's EOR3/BCAX/RAX1/XAR), the
 * mixed-sign dot products (USDOT/SUDOT) and I8MM, BF16, FCMA, FHM's FMLAL,
 * FRINT32/64. (RDM's SQRDMLAH/SQRDMLSH and SDOT/UDOT are implemented.)
 * Verified against qemu: test/isa/aarch64/simd-vectors.test.ts.
 */
import type { A64State } from './state.js';
import { loadFpcr, fpsrBits } from './fp-arith.js';
import { execScalarFp } from './fp-scalar.js';
import { execSimdVector } from './simd-vector.js';
import { execSimdScalar } from './simd-scalar.js';

export function executeSimdFp(s: A64State, insn: number): boolean {
  loadFpcr(s.fpcr);
  let ok: boolean;
  if (insn & 0x10000000) ok = insn & 0x40000000 ? execSimdScalar(s, insn) : execScalarFp(s, insn);
  else ok = execSimdVector(s, insn);
  if (ok) { const f = fpsrBits(); if (f) s.fpsr |= f; }
  return ok;
}
