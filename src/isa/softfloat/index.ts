/**
 * ISA-neutral IEEE 754 binary32/binary64 arithmetic.
 *
 *   - binary64 operands/results: JS numbers (bit-exact); binary32: raw uint32 bits.
 *   - Rounding mode argument: RNE/RTZ/RDN/RUP/RMM (0..4, the RISC-V encoding).
 *   - Exceptions are ORed into `fpStatus.flags` (NX=1 UF=2 OF=4 DZ=8 NV=16);
 *     underflow uses tininess-after-rounding.
 *   - NaN results follow the active NanPolicy (`setNanPolicy`): RISC-V returns
 *     the canonical NaN; MIPS legacy uses the inverted quiet bit and propagates.
 *
 * Operations: f{32,64}_{add,sub,mul,div,sqrt,fma,min,max,eq,lt,le,class};
 * conversions floatToInt/f32ToInt/f64ToInt (result in intOut), intToF32/intToF64,
 * f64ToF32, f32ToF64, roundToIntegral; exact core: roundToFormat (+ decode32/64,
 * exactAdd, divSig, sqrtSig, round32/round64) used by slow paths and tests.
 */
export * from './core.js';
export * from './f64.js';
export * from './f32.js';
export * from './convert.js';
