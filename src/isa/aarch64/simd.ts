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
