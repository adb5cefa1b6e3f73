/**
 * Lane access for the AdvSIMD unit: typed views of the V registers for every
 * element size (bound once per state), and a scratch register `T` results are
 * built in before they are committed to Vd (so Vd may also be a source).
 *
 * Element sizes are log2 of the byte count: 0 = 8-bit, 1 = 16, 2 = 32,
 * 3 = 64. Lane i of register r at size sz is index r * (16 >> sz) + i.
 * 64-bit lanes are read as BigInt in the generic paths; the hot ones work on
 * int32 words (`w`).
 */
import type { A64State } from './state.js';
import { FPSR_QC } from './state.js';

let cur: A64State | null = null;
export let u8: Uint8Array, i8: Int8Array, u16: Uint16Array, i16: Int16Array;
export let u32: Uint32Array, i32: Int32Array, u64: BigUint64Array, i64: BigInt64Array;
export let w: Int32Array;
export let f64: Float64Array;

/** The scratch register, as the same family of views. */
const tbuf = new ArrayBuffer(16);
export const t8 = new Uint8Array(tbuf), t16 = new Uint16Array(tbuf), t32 = new Int32Array(tbuf);
export const t64 = new BigUint64Array(tbuf);
export const tf64 = new Float64Array(tbuf);

export function bind(s: A64State): void {
  if (s === cur) return;
  cur = s;
  const b = s.vb.buffer, o = s.vb.byteOffset;
  u8 = new Uint8Array(b, o, 512); i8 = new Int8Array(b, o, 512);
  u16 = new Uint16Array(b, o, 256); i16 = new Int16Array(b, o, 256);
  u32 = new Uint32Array(b, o, 128); i32 = new Int32Array(b, o, 128);
  u64 = new BigUint64Array(b, o, 64); i64 = new BigInt64Array(b, o, 64);
  w = s.vw;
  f64 = s.vf64;
}

/** Lane i of V r at size sz (< 3) as a number, signed or not. */
export function get(r: number, i: number, sz: number, signed: boolean): number {
  switch (sz) {
    case 0: return signed ? i8[16 * r + i] : u8[16 * r + i];
    case 1: return signed ? i16[8 * r + i] : u16[8 * r + i];
    default: return signed ? i32[4 * r + i] : u32[4 * r + i];
  }
}
/** Lane i of V r at any size as a BigInt. */
export function getB(r: number, i: number, sz: number, signed: boolean): bigint {
  switch (sz) {
    case 0: return BigInt(signed ? i8[16 * r + i] : u8[16 * r + i]);
    case 1: return BigInt(signed ? i16[8 * r + i] : u16[8 * r + i]);
    case 2: return BigInt(signed ? i32[4 * r + i] : u32[4 * r + i]);
    default: return signed ? i64[2 * r + i] : u64[2 * r + i];
  }
}
/** Set lane i of the scratch register (the value is truncated to the lane). */
export function put(i: number, sz: number, v: number): void {
  switch (sz) {
    case 0: t8[i] = v; break;
    case 1: t16[i] = v; break;
    default: t32[i] = v; break;
  }
}
export function putB(i: number, sz: number, v: bigint): void {
  if (sz === 3) t64[i] = BigInt.asUintN(64, v);
  else put(i, sz, Number(BigInt.asIntN(32, v)));
}

/** Copy the scratch register into V d: the low `bytes` bytes, the rest cleared (8 or 16 for vectors). */
export function commit(d: number, bytes: number): void {
  const o = 4 * d, w = cur!.vw;
  w[o] = t32[0]; w[o + 1] = t32[1];
  if (bytes === 16) { w[o + 2] = t32[2]; w[o + 3] = t32[3]; }
  else {
    if (bytes < 8) {
      if (bytes <= 4) w[o + 1] = 0;
      if (bytes < 4) w[o] = bytes === 2 ? t32[0] & 0xffff : t32[0] & 0xff;
    }
    w[o + 2] = 0; w[o + 3] = 0;
  }
}
/** Copy the scratch register's low 64 bits into the upper half of V d (the "2" narrowing forms). */
export function commitUpper(d: number): void {
  const o = 4 * d;
  w[o + 2] = t32[0]; w[o + 3] = t32[1];
}
/** Start the scratch register as a copy of V r (for forms that keep or accumulate into Vd). */
export function load(r: number): void {
  const o = 4 * r;
  t32[0] = w[o]; t32[1] = w[o + 1]; t32[2] = w[o + 2]; t32[3] = w[o + 3];
}

/** Saturation: clamp v to the signed or unsigned range of `bits`, setting FPSR.QC when it clamps. */
let qc = false;
export function takeQc(): boolean { const q = qc; qc = false; return q; }
export function satB(v: bigint, bits: number, signed: boolean): bigint {
  const max = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
  const min = signed ? -(1n << BigInt(bits - 1)) : 0n;
  if (v > max) { qc = true; return max; }
  if (v < min) { qc = true; return min; }
  return v;
}
/** P2[k + 160] = 2^k for k in -160..160 (shift amounts and saturation bounds without Math.pow). */
export const P2 = new Float64Array(321).map((_, i) => 2 ** (i - 160));
/** satB for exact numbers (|v| < 2^53). */
export function sat(v: number, bits: number, signed: boolean): number {
  const max = signed ? P2[159 + bits] - 1 : P2[160 + bits] - 1, min = signed ? -P2[159 + bits] : 0;
  if (v > max) { qc = true; return max; }
  if (v < min) { qc = true; return min; }
  return v;
}
export function applyQc(s: A64State): void { if (takeQc()) s.fpsr |= FPSR_QC; }

/** Shift by a signed amount (negative = right, exact), with optional rounding of right shifts. */
export function shiftB(a: bigint, sh: number, round: boolean): bigint {
  if (sh >= 0) return a << BigInt(sh);
  const r = BigInt(-sh);
  return round ? (a + (1n << (r - 1n))) >> r : a >> r;
}

/** Shift by a signed amount as numbers (exact for |a| < 2^53; left shifts are truncated by the lane store). */
export function shiftN(a: number, sh: number, round: boolean): number {
  if (sh >= 0) return a * P2[160 + sh];
  const r = P2[160 - sh];
  return round ? Math.floor((a + r / 2) / r) : Math.floor(a / r);
}
