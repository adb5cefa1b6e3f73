/**
 * RV64A: LR/SC and AMOs. Every atomic memory operation of the core lives here
 * so that a multi-threaded runtime can switch these to Atomics.* on the shared
 * memory without touching the interpreter.
 *
 * The caller has already checked alignment and page permissions (read+write).
 */
import type { Rv64State } from './state.js';

const LR = 0x02, SC = 0x03;

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
    const lo = i32[w];
    r[rd] = lo;
    r[rd + 1] = dbl ? i32[w + 1] : lo >> 31;
    s.reservation = a;
    return;
  }
  if (f5 === SC) {
    if (s.reservation === a) {
      i32[w] = blo;
      if (dbl) i32[w + 1] = bhi;
      r[rd] = 0;
    } else {
      r[rd] = 1;
    }
    r[rd + 1] = 0;
    s.reservation = -1;
    return;
  }
  if (!dbl) {
    const old = i32[w];
    let v: number;
    switch (f5) {
      case 0x01: v = blo; break; // AMOSWAP
      case 0x00: v = (old + blo) | 0; break; // AMOADD
      case 0x04: v = old ^ blo; break; // AMOXOR
      case 0x0c: v = old & blo; break; // AMOAND
      case 0x08: v = old | blo; break; // AMOOR
      case 0x10: v = old < blo ? old : blo; break; // AMOMIN
      case 0x14: v = old > blo ? old : blo; break; // AMOMAX
      case 0x18: v = (old >>> 0) < (blo >>> 0) ? old : blo; break; // AMOMINU
      default: v = (old >>> 0) > (blo >>> 0) ? old : blo; break; // AMOMAXU
    }
    i32[w] = v;
    r[rd] = old;
    r[rd + 1] = old >> 31;
    return;
  }
  const olo = i32[w], ohi = i32[w + 1];
  let lo: number, hi: number;
  switch (f5) {
    case 0x01: lo = blo; hi = bhi; break;
    case 0x00:
      lo = (olo + blo) | 0;
      hi = (ohi + bhi + ((lo >>> 0) < (olo >>> 0) ? 1 : 0)) | 0;
      break;
    case 0x04: lo = olo ^ blo; hi = ohi ^ bhi; break;
    case 0x0c: lo = olo & blo; hi = ohi & bhi; break;
    case 0x08: lo = olo | blo; hi = ohi | bhi; break;
    default: {
      const signed = f5 === 0x10 || f5 === 0x14;
      const wantMin = f5 === 0x10 || f5 === 0x18;
      const oh = signed ? ohi : ohi >>> 0, bh = signed ? bhi : bhi >>> 0;
      const oldLess = oh < bh || (oh === bh && (olo >>> 0) < (blo >>> 0));
      const pickOld = wantMin ? oldLess : !oldLess;
      lo = pickOld ? olo : blo;
      hi = pickOld ? ohi : bhi;
    }
  }
  i32[w] = lo;
  i32[w + 1] = hi;
  r[rd] = olo;
  r[rd + 1] = ohi;
}
