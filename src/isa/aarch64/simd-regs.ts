/**
 * Register access shared by the SIMD&FP unit: scalar reads and writes of V
 * registers (a scalar write clears the rest of the 128-bit register), general
 * registers with 31 as XZR, and the condition codes FCCMP/FCSEL test.
 */
import type { A64State } from './state.js';

export function readS(s: A64State, n: number): number { return s.vw[4 * n] >>> 0; }
export function readD(s: A64State, n: number): number { return s.vf64[2 * n]; }
export function readH(s: A64State, n: number): number { return s.vw[4 * n] & 0xffff; }

export function writeS(s: A64State, d: number, bits: number): void {
  const w = s.vw, i = 4 * d;
  w[i] = bits; w[i + 1] = 0; w[i + 2] = 0; w[i + 3] = 0;
}
export function writeD(s: A64State, d: number, v: number): void {
  s.vf64[2 * d] = v;
  s.vw[4 * d + 2] = 0; s.vw[4 * d + 3] = 0;
}
/** Write the low 64 bits as two words and clear the upper half. */
export function writeDw(s: A64State, d: number, lo: number, hi: number): void {
  const w = s.vw, i = 4 * d;
  w[i] = lo; w[i + 1] = hi; w[i + 2] = 0; w[i + 3] = 0;
}
export function writeH(s: A64State, d: number, bits: number): void { writeS(s, d, bits & 0xffff); }

/** Low / high word of X n, where 31 reads as XZR. */
export function xlo(s: A64State, n: number): number { return n === 31 ? 0 : s.x[2 * n]; }
export function xhi(s: A64State, n: number): number { return n === 31 ? 0 : s.x[2 * n + 1]; }
/** Write X d (31 = XZR: discarded). */
export function setX(s: A64State, d: number, lo: number, hi: number): void {
  if (d !== 31) { s.x[2 * d] = lo; s.x[2 * d + 1] = hi; }
}
/** Write W d, zero-extended. */
export function setW(s: A64State, d: number, lo: number): void {
  if (d !== 31) { s.x[2 * d] = lo; s.x[2 * d + 1] = 0; }
}

/** ConditionHolds(cond) over NZCV in bits 31..28. */
export function condHolds(nzcv: number, cond: number): boolean {
  const n = (nzcv >>> 31) & 1, z = (nzcv >>> 30) & 1, c = (nzcv >>> 29) & 1, v = (nzcv >>> 28) & 1;
  let r: boolean;
  switch (cond >>> 1) {
    case 0: r = z === 1; break;
    case 1: r = c === 1; break;
    case 2: r = n === 1; break;
    case 3: r = v === 1; break;
    case 4: r = c === 1 && z === 0; break;
    case 5: r = n === v; break;
    case 6: r = n === v && z === 0; break;
    default: return true;
  }
  return cond & 1 ? !r : r;
}
