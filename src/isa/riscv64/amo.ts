/**
 * RV64A: LR/SC and AMOs, atomic across the workers that share a guest's
 * memory (threads of one process run in different workers): every access goes
 * through Atomics on the shared buffer. SC is a compare-and-swap against the
 * value LR loaded, so a store by another thread in between makes it fail
 * (an ABA store of the same value is not detected, which RVWMO permits).
 *
 * The caller has already checked alignment and page permissions (read+write).
 */
import type { Rv64State } from './state.js';

const LR = 0x02, SC = 0x03;

let i64View: BigInt64Array | null = null;
function view64(i32: Int32Array): BigInt64Array {
  if (!i64View || i64View.buffer !== i32.buffer) i64View = new BigInt64Array(i32.buffer);
  return i64View;
}

const pair = (lo: number, hi: number): bigint => (BigInt(hi) << 32n) | BigInt(lo >>> 0);

/**
 * Executes the A-extension instruction with funct5 `f5` on the naturally
 * aligned address `a`; `dbl` selects .D (64-bit) over .W.
 * rd/rs2 are int32 indices into the register slot `r`.
 */
export function execAtomic(
  s: Rv64State, r: Int32Array, i32: Int32Array,
  f5: number, dbl: boolean, a: number, rd: number, rs2: number,
): void {
  const w = a >>> 2;
  const blo = r[rs2], bhi = r[rs2 + 1];
  if (f5 === LR) {
    let lo: number, hi: number;
    if (dbl) {
      const v = Atomics.load(view64(i32), a >>> 3);
      lo = Number(BigInt.asIntN(32, v));
      hi = Number(v >> 32n);
    } else {
      lo = Atomics.load(i32, w);
      hi = lo >> 31;
    }
    s.reservation = a;
    s.reservedLo = lo;
    s.reservedHi = hi;
    r[rd] = lo;
    r[rd + 1] = hi;
    return;
  }
  if (f5 === SC) {
    let ok = false;
    if (s.reservation === a) {
      if (dbl) {
        const expect = pair(s.reservedLo, s.reservedHi);
        ok = Atomics.compareExchange(view64(i32), a >>> 3, expect, pair(blo, bhi)) === expect;
      } else {
        ok = Atomics.compareExchange(i32, w, s.reservedLo, blo) === s.reservedLo;
      }
    }
    r[rd] = ok ? 0 : 1;
    r[rd + 1] = 0;
    s.reservation = -1;
    return;
  }
  if (!dbl) {
    let old: number;
    switch (f5) {
      case 0x01: old = Atomics.exchange(i32, w, blo); break; // AMOSWAP
      case 0x00: old = Atomics.add(i32, w, blo); break; // AMOADD
      case 0x04: old = Atomics.xor(i32, w, blo); break; // AMOXOR
      case 0x0c: old = Atomics.and(i32, w, blo); break; // AMOAND
      case 0x08: old = Atomics.or(i32, w, blo); break; // AMOOR
      default: {
        // AMOMIN/MAX[U]: compare-and-swap loop
        for (;;) {
          old = Atomics.load(i32, w);
          let v: number;
          switch (f5) {
            case 0x10: v = old < blo ? old : blo; break;
            case 0x14: v = old > blo ? old : blo; break;
            case 0x18: v = (old >>> 0) < (blo >>> 0) ? old : blo; break;
            default: v = (old >>> 0) > (blo >>> 0) ? old : blo; break;
          }
          if (Atomics.compareExchange(i32, w, old, v) === old) break;
        }
      }
    }
    r[rd] = old;
    r[rd + 1] = old >> 31;
    return;
  }
  const i64 = view64(i32);
  const idx = a >>> 3;
  const b = pair(blo, bhi);
  let old: bigint;
  switch (f5) {
    case 0x01: old = Atomics.exchange(i64, idx, b); break;
    case 0x00: old = Atomics.add(i64, idx, b); break;
    case 0x04: old = Atomics.xor(i64, idx, b); break;
    case 0x0c: old = Atomics.and(i64, idx, b); break;
    case 0x08: old = Atomics.or(i64, idx, b); break;
    default: {
      const signed = f5 === 0x10 || f5 === 0x14;
      const wantMin = f5 === 0x10 || f5 === 0x18;
      for (;;) {
        old = Atomics.load(i64, idx);
        const o = signed ? old : BigInt.asUintN(64, old);
        const n = signed ? b : BigInt.asUintN(64, b);
        const pickOld = wantMin ? o < n : o > n;
        if (Atomics.compareExchange(i64, idx, old, pickOld ? old : b) === old) break;
      }
    }
  }
  r[rd] = Number(BigInt.asIntN(32, old));
  r[rd + 1] = Number(old >> 32n);
}
