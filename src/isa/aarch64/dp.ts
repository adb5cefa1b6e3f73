/**
 * A64 integer data processing: immediate forms (ADR/ADRP, add/sub, logical,
 * move wide, bitfield, EXTR) and register forms (shifted/extended add/sub,
 * logical, ADC/SBC, CCMP/CCMN, CSEL family, 1- and 2-source, 3-source
 * multiply). Handlers take (core, instruction word, pc) and return the next pc.
 * Register 31 is XZR except where the encoding says SP (the `sp` helpers).
 */
import type { A64Core } from './core.js';
import {
  adc32, adc64, bitfield, bitmaskImm, bswap32, cls32, cls64, condHolds, crc32, div32a, div64a, mulHi64, mulLo64,
  nz32, nz64, out, rbit32, rev16, shift32, shift64,
} from './alu.js';

const TWO32 = 4294967296;

export const rlo = (c: A64Core, n: number): number => (n === 31 ? 0 : c.x[2 * n]);
export const rhi = (c: A64Core, n: number): number => (n === 31 ? 0 : c.x[2 * n + 1]);
export function wr(c: A64Core, n: number, lo: number, hi: number): void {
  if (n !== 31) { c.x[2 * n] = lo; c.x[2 * n + 1] = hi; }
}
export function wrsp(c: A64Core, n: number, lo: number, hi: number): void {
  c.x[2 * n] = lo; c.x[2 * n + 1] = hi;
}
/** Writes an integral JS number (|v| < 2^53) as a 64-bit value into Xn (31 = XZR). */
export function wrNum(c: A64Core, n: number, v: number): void {
  if (n !== 31) { c.x[2 * n] = v | 0; c.x[2 * n + 1] = Math.floor(v / TWO32) | 0; }
}

const setFlags = (c: A64Core, f: number): void => { c.s.nzcv = f; };

/** AND / ORR / EOR / ANDS (opc 0..3) of two pairs into out. */
function logic(opc: number, al: number, ah: number, bl: number, bh: number): void {
  switch (opc) {
    case 1: out.lo = al | bl; out.hi = ah | bh; return;
    case 2: out.lo = al ^ bl; out.hi = ah ^ bh; return;
    default: out.lo = al & bl; out.hi = ah & bh;
  }
}

// ---------------------------------------------------------------- immediate

export function adr(c: A64Core, w: number, pc: number): number {
  let imm = ((w >> 5) & 0x7ffff) << 2 | ((w >>> 29) & 3);
  imm = (imm << 11) >> 11; // sign-extend 21 bits
  const v = w < 0 ? (pc - (pc % 4096)) + imm * 4096 : pc + imm;
  wrNum(c, w & 31, v);
  return pc + 4;
}

export function addSubImm(c: A64Core, w: number, pc: number): number {
  const sf = w < 0, sub = (w & 0x40000000) !== 0, S = (w & 0x20000000) !== 0;
  let imm = (w >>> 10) & 0xfff;
  if (w & 0x400000) imm <<= 12;
  const rn = (w >>> 5) & 31, rd = w & 31;
  const x = c.x;
  const alo = x[2 * rn], ahi = x[2 * rn + 1];
  if (!S) {
    // fast path: no flags; Rd may be SP
    if (sf) {
      const l = sub ? (alo >>> 0) - imm : (alo >>> 0) + imm;
      x[2 * rd] = l | 0;
      x[2 * rd + 1] = (ahi + (l < 0 ? -1 : l > 0xffffffff ? 1 : 0)) | 0;
    } else {
      x[2 * rd] = sub ? (alo - imm) | 0 : (alo + imm) | 0;
      x[2 * rd + 1] = 0;
    }
    return pc + 4;
  }
  const f = sf ? (sub ? adc64(alo, ahi, ~imm, -1, 1) : adc64(alo, ahi, imm, 0, 0))
    : (sub ? adc32(alo, ~imm, 1) : adc32(alo, imm, 0));
  setFlags(c, f);
  wr(c, rd, out.lo, out.hi);
  return pc + 4;
}

/**
 * AND/ORR/EOR/ANDS (immediate): the bitmask is decoded once, here, and the
 * returned handler keeps it (null when the encoding is reserved: SIGILL).
 */
export function logicalImmFor(w: number): ((c: A64Core, w: number, pc: number) => number) | null {
  const sf = w < 0, opc = (w >>> 29) & 3, N = (w >>> 22) & 1;
  if (!sf && N) return null;
  if (!bitmaskImm(N, (w >>> 16) & 63, (w >>> 10) & 63)) return null;
  const ml = out.lo, mh = sf ? out.hi : 0;
  const rn = (w >>> 5) & 31, rd = w & 31;
  return (c, _w, pc) => {
    const al = rlo(c, rn), ah = sf ? rhi(c, rn) : 0;
    logic(opc, al, ah, ml, mh);
    const l = out.lo, h = out.hi;
    if (opc === 3) { setFlags(c, sf ? nz64(l, h) : nz32(l)); wr(c, rd, l, h); } else wrsp(c, rd, l, h);
    return pc + 4;
  };
}

export function moveWide(c: A64Core, w: number, pc: number): number {
  const sf = w < 0, opc = (w >>> 29) & 3, hw = (w >>> 21) & 3;
  if (opc === 1 || (!sf && hw >= 2)) c.illegal(pc);
  const imm = (w >>> 5) & 0xffff;
  const rd = w & 31;
  const sh = (hw & 1) * 16;
  const part = imm << sh;
  let l: number, h: number;
  if (opc === 3) { // MOVK
    l = rlo(c, rd); h = rhi(c, rd);
    if (hw < 2) l = (l & ~(0xffff << sh)) | part; else h = (h & ~(0xffff << sh)) | part;
  } else {
    l = hw < 2 ? part : 0; h = hw >= 2 ? part : 0;
    if (opc === 0) { l = ~l; h = ~h; }
  }
  if (!sf) h = 0;
  wr(c, rd, l, h);
  return pc + 4;
}

export function bitfieldImm(c: A64Core, w: number, pc: number): number {
  const sf = w < 0, opc = (w >>> 29) & 3, N = (w >>> 22) & 1;
  const immr = (w >>> 16) & 63, imms = (w >>> 10) & 63;
  if (opc === 3 || (sf ? N === 0 : (N === 1 || immr >= 32 || imms >= 32))) c.illegal(pc);
  const rn = (w >>> 5) & 31, rd = w & 31;
  bitfield(opc, sf ? 64 : 32, rlo(c, rn), sf ? rhi(c, rn) : 0, rlo(c, rd), rhi(c, rd), immr, imms);
  wr(c, rd, out.lo, out.hi);
  return pc + 4;
}

export function extr(c: A64Core, w: number, pc: number): number {
  const sf = w < 0, N = (w >>> 22) & 1, lsb = (w >>> 10) & 63;
  if ((w & 0x60200000) !== 0 || (sf ? N === 0 : (N === 1 || lsb >= 32))) c.illegal(pc);
  const rm = (w >>> 16) & 31, rn = (w >>> 5) & 31, rd = w & 31;
  if (!sf) {
    const m = rlo(c, rm), nn = rlo(c, rn);
    wr(c, rd, lsb === 0 ? m : (m >>> lsb) | (nn << (32 - lsb)), 0);
    return pc + 4;
  }
  if (lsb === 0) { wr(c, rd, rlo(c, rm), rhi(c, rm)); return pc + 4; }
  shift64(rlo(c, rm), rhi(c, rm), 1, lsb);
  const l = out.lo, h = out.hi;
  shift64(rlo(c, rn), rhi(c, rn), 0, 64 - lsb);
  wr(c, rd, l | out.lo, h | out.hi);
  return pc + 4;
}

// ---------------------------------------------------------------- register

/** Operand 2 of the shifted-register forms into out (64-bit) or returned (32-bit in out.lo). */
function shiftedOp(c: A64Core, w: number, sf: boolean, pc: number, allowRor: boolean): void {
  const type = (w >>> 22) & 3, amt = (w >>> 10) & 63, rm = (w >>> 16) & 31;
  if ((!allowRor && type === 3) || (!sf && amt >= 32)) c.illegal(pc);
  if (sf) shift64(rlo(c, rm), rhi(c, rm), type, amt);
  else { out.lo = shift32(rlo(c, rm), type, amt); out.hi = 0; }
}

export function logicalReg(c: A64Core, w: number, pc: number): number {
  const sf = w < 0, opc = (w >>> 29) & 3;
  shiftedOp(c, w, sf, pc, true);
  let bl = out.lo, bh = out.hi;
  if (w & 0x200000) { bl = ~bl; bh = sf ? ~bh : 0; }
  const rn = (w >>> 5) & 31, rd = w & 31;
  const al = rlo(c, rn), ah = sf ? rhi(c, rn) : 0;
  logic(opc, al, ah, bl, bh);
  const l = out.lo, h = out.hi;
  if (opc === 3) setFlags(c, sf ? nz64(l, h) : nz32(l));
  wr(c, rd, l, h);
  return pc + 4;
}

function addSubCore(c: A64Core, w: number, sf: boolean, al: number, ah: number, bl: number, bh: number, rdSp: boolean): void {
  const sub = (w & 0x40000000) !== 0, S = (w & 0x20000000) !== 0;
  const f = sf ? (sub ? adc64(al, ah, ~bl, ~bh, 1) : adc64(al, ah, bl, bh, 0))
    : (sub ? adc32(al, ~bl, 1) : adc32(al, bl, 0));
  const rd = w & 31;
  if (S) { setFlags(c, f); wr(c, rd, out.lo, out.hi); } else if (rdSp) wrsp(c, rd, out.lo, out.hi); else wr(c, rd, out.lo, out.hi);
}

export function addSubShifted(c: A64Core, w: number, pc: number): number {
  const sf = w < 0;
  shiftedOp(c, w, sf, pc, false);
  const rn = (w >>> 5) & 31;
  addSubCore(c, w, sf, rlo(c, rn), sf ? rhi(c, rn) : 0, out.lo, out.hi, false);
  return pc + 4;
}

/** ExtendReg(Rm, option, shift) into out. */
export function extendReg(lo: number, hi: number, option: number, sh: number): void {
  let l: number, h: number;
  switch (option) {
    case 0: l = lo & 0xff; h = 0; break;
    case 1: l = lo & 0xffff; h = 0; break;
    case 2: l = lo; h = 0; break;
    case 3: l = lo; h = hi; break;
    case 4: l = (lo << 24) >> 24; h = l >> 31; break;
    case 5: l = (lo << 16) >> 16; h = l >> 31; break;
    case 6: l = lo; h = lo >> 31; break;
    default: l = lo; h = hi; break;
  }
  shift64(l, h, 0, sh);
}

export function addSubExtended(c: A64Core, w: number, pc: number): number {
  const sf = w < 0, sh = (w >>> 10) & 7;
  if (sh > 4 || (w & 0xc00000) !== 0) c.illegal(pc);
  const rm = (w >>> 16) & 31, rn = (w >>> 5) & 31;
  extendReg(rlo(c, rm), rhi(c, rm), (w >>> 13) & 7, sh);
  const x = c.x;
  addSubCore(c, w, sf, x[2 * rn], sf ? x[2 * rn + 1] : 0, out.lo, sf ? out.hi : 0, true);
  return pc + 4;
}

export function adcSbc(c: A64Core, w: number, pc: number): number {
  if ((w & 0xfc00) !== 0) c.illegal(pc);
  const sf = w < 0, sub = (w & 0x40000000) !== 0, S = (w & 0x20000000) !== 0;
  const rm = (w >>> 16) & 31, rn = (w >>> 5) & 31, rd = w & 31;
  const cin = (c.s.nzcv >>> 29) & 1;
  let bl = rlo(c, rm), bh = rhi(c, rm);
  if (sub) { bl = ~bl; bh = ~bh; }
  const f = sf ? adc64(rlo(c, rn), rhi(c, rn), bl, bh, cin) : adc32(rlo(c, rn), bl, cin);
  if (S) setFlags(c, f);
  wr(c, rd, out.lo, out.hi);
  return pc + 4;
}

export function condCompare(c: A64Core, w: number, pc: number): number {
  if ((w & 0x20000410) !== 0x20000000) c.illegal(pc);
  const sf = w < 0, sub = (w & 0x40000000) !== 0;
  const cond = (w >>> 12) & 15;
  if (!condHolds(c.s.nzcv, cond)) { c.s.nzcv = (w & 15) << 28; return pc + 4; }
  const rn = (w >>> 5) & 31, f5 = (w >>> 16) & 31;
  let bl: number, bh: number;
  if (w & 0x800) { bl = f5; bh = 0; } else { bl = rlo(c, f5); bh = rhi(c, f5); }
  const al = rlo(c, rn), ah = rhi(c, rn);
  const f = sf ? (sub ? adc64(al, ah, ~bl, ~bh, 1) : adc64(al, ah, bl, bh, 0)) : (sub ? adc32(al, ~bl, 1) : adc32(al, bl, 0));
  c.s.nzcv = f;
  return pc + 4;
}

export function condSelect(c: A64Core, w: number, pc: number): number {
  if ((w & 0x20000800) !== 0) c.illegal(pc);
  const sf = w < 0, op = (w >>> 30) & 1, o2 = (w >>> 10) & 1;
  const rm = (w >>> 16) & 31, rn = (w >>> 5) & 31, rd = w & 31;
  let l: number, h: number;
  if (condHolds(c.s.nzcv, (w >>> 12) & 15)) { l = rlo(c, rn); h = rhi(c, rn); } else {
    l = rlo(c, rm); h = rhi(c, rm);
    if (op) { l = ~l; h = ~h; }
    if (o2) { // +1 (CSINC, or the negation's +1)
      const t = (l >>> 0) + 1;
      l = t | 0;
      if (t > 0xffffffff) h = (h + 1) | 0;
    }
  }
  wr(c, rd, l, sf ? h : 0);
  return pc + 4;
}

export function dp2(c: A64Core, w: number, pc: number): number {
  const sf = w < 0, opc = (w >>> 10) & 63;
  if (w & 0x20000000) c.illegal(pc);
  const rm = (w >>> 16) & 31, rn = (w >>> 5) & 31, rd = w & 31;
  const al = rlo(c, rn), ah = rhi(c, rn), bl = rlo(c, rm), bh = rhi(c, rm);
  switch (opc) {
    case 2: case 3: {
      if (sf) { div64a(opc === 3, al, ah, bl, bh); wr(c, rd, out.lo, out.hi); } else wr(c, rd, div32a(opc === 3, al, bl), 0);
      return pc + 4;
    }
    case 8: case 9: case 10: case 11: {
      const type = opc - 8;
      if (sf) { shift64(al, ah, type, bl & 63); wr(c, rd, out.lo, out.hi); } else wr(c, rd, shift32(al, type, bl & 31), 0);
      return pc + 4;
    }
    case 16: case 17: case 18: case 19: case 20: case 21: case 22: case 23: {
      const sz = opc & 3;
      if ((sz === 3) !== sf) c.illegal(pc);
      wr(c, rd, crc32((opc & 4) !== 0, al, bl, bh, 1 << sz), 0);
      return pc + 4;
    }
    default: return c.illegal(pc);
  }
}

export function dp1(c: A64Core, w: number, pc: number): number {
  const sf = w < 0, opc = (w >>> 10) & 63;
  if ((w & 0x201f0000) !== 0) c.illegal(pc);
  const rn = (w >>> 5) & 31, rd = w & 31;
  const l = rlo(c, rn), h = rhi(c, rn);
  if (!sf) {
    switch (opc) {
      case 0: wr(c, rd, rbit32(l), 0); break;
      case 1: wr(c, rd, rev16(l), 0); break;
      case 2: wr(c, rd, bswap32(l), 0); break;
      case 4: wr(c, rd, Math.clz32(l), 0); break;
      case 5: wr(c, rd, cls32(l), 0); break;
      default: c.illegal(pc);
    }
    return pc + 4;
  }
  switch (opc) {
    case 0: wr(c, rd, rbit32(h), rbit32(l)); break;
    case 1: wr(c, rd, rev16(l), rev16(h)); break;
    case 2: wr(c, rd, bswap32(l), bswap32(h)); break;
    case 3: wr(c, rd, bswap32(h), bswap32(l)); break;
    case 4: wr(c, rd, h !== 0 ? Math.clz32(h) : 32 + Math.clz32(l), 0); break;
    case 5: wr(c, rd, cls64(l, h), 0); break;
    default: c.illegal(pc);
  }
  return pc + 4;
}

export function dp3(c: A64Core, w: number, pc: number): number {
  const sf = w < 0, op54 = (w >>> 29) & 3, op31 = (w >>> 21) & 7, o0 = (w >>> 15) & 1;
  if (op54 !== 0) c.illegal(pc);
  const rm = (w >>> 16) & 31, ra = (w >>> 10) & 31, rn = (w >>> 5) & 31, rd = w & 31;
  let al = rlo(c, rn), ah = rhi(c, rn), bl = rlo(c, rm), bh = rhi(c, rm);
  switch (op31) {
    case 0: // MADD / MSUB
      if (!sf) {
        const p = Math.imul(al, bl);
        wr(c, rd, o0 ? (rlo(c, ra) - p) | 0 : (rlo(c, ra) + p) | 0, 0);
        return pc + 4;
      }
      break;
    case 1: case 5: // SMADDL/SMSUBL, UMADDL/UMSUBL: 32 x 32 -> 64
      if (!sf) return c.illegal(pc);
      if (op31 === 1) { ah = al >> 31; bh = bl >> 31; } else { ah = 0; bh = 0; }
      break;
    case 2: case 6: // SMULH / UMULH
      if (!sf || o0 || ra !== 31) return c.illegal(pc);
      mulHi64(op31 === 2, al, ah, bl, bh);
      wr(c, rd, out.lo, out.hi);
      return pc + 4;
    default: return c.illegal(pc);
  }
  mulLo64(al, ah, bl, bh);
  const pl = out.lo, ph = out.hi;
  const cl = rlo(c, ra), ch = rhi(c, ra);
  if (o0) adc64(cl, ch, ~pl, ~ph, 1); else adc64(cl, ch, pl, ph, 0);
  wr(c, rd, out.lo, out.hi);
  return pc + 4;
}

// ---------------------------------------------------------------- decode-time specializations
// The hottest register forms get a handler made for the one instruction, with
// its fields (and masks) decoded once; the generic handlers above stay the
// reference and serve the rarer shapes.

type Handler = (c: A64Core, w: number, pc: number) => number;

/** ADD/SUB/ADDS/SUBS (shifted register). */
export function addSubShiftedFor(w: number): Handler {
  const sf = w < 0, sub = (w & 0x40000000) !== 0, S = (w & 0x20000000) !== 0;
  const type = (w >>> 22) & 3, amt = (w >>> 10) & 63;
  const rm = (w >>> 16) & 31, rn = (w >>> 5) & 31, rd = w & 31;
  if (type === 3 || (!sf && amt >= 32)) return (c, _w, pc) => c.illegal(pc);
  if (!sf) {
    return (c, _w, pc) => {
      const b = shift32(rlo(c, rm), type, amt), a = rlo(c, rn);
      if (S) { c.s.nzcv = sub ? adc32(a, ~b, 1) : adc32(a, b, 0); wr(c, rd, out.lo, 0); } else wr(c, rd, sub ? (a - b) | 0 : (a + b) | 0, 0);
      return pc + 4;
    };
  }
  return (c, _w, pc) => {
    let bl = rlo(c, rm), bh = rhi(c, rm);
    if (amt !== 0) { shift64(bl, bh, type, amt); bl = out.lo; bh = out.hi; }
    const al = rlo(c, rn), ah = rhi(c, rn);
    if (S) {
      c.s.nzcv = sub ? adc64(al, ah, ~bl, ~bh, 1) : adc64(al, ah, bl, bh, 0);
      wr(c, rd, out.lo, out.hi);
    } else if (rd !== 31) {
      const x = c.x;
      if (sub) {
        const l = (al >>> 0) - (bl >>> 0);
        x[2 * rd] = l | 0; x[2 * rd + 1] = (ah - bh - (l < 0 ? 1 : 0)) | 0;
      } else {
        const l = (al >>> 0) + (bl >>> 0);
        x[2 * rd] = l | 0; x[2 * rd + 1] = (ah + bh + (l > 0xffffffff ? 1 : 0)) | 0;
      }
    }
    return pc + 4;
  };
}

/** AND/ORR/EOR/ANDS, BIC/ORN/EON/BICS (shifted register). */
export function logicalRegFor(w: number): Handler {
  const sf = w < 0, opc = (w >>> 29) & 3, inv = (w & 0x200000) !== 0;
  const type = (w >>> 22) & 3, amt = (w >>> 10) & 63;
  const rm = (w >>> 16) & 31, rn = (w >>> 5) & 31, rd = w & 31;
  if (!sf && amt >= 32) return (c, _w, pc) => c.illegal(pc);
  if (!sf) {
    return (c, _w, pc) => {
      let b = shift32(rlo(c, rm), type, amt);
      if (inv) b = ~b;
      const a = rlo(c, rn);
      const r = opc === 1 ? a | b : opc === 2 ? a ^ b : a & b;
      if (opc === 3) c.s.nzcv = nz32(r);
      wr(c, rd, r, 0);
      return pc + 4;
    };
  }
  return (c, _w, pc) => {
    let bl = rlo(c, rm), bh = rhi(c, rm);
    if (amt !== 0) { shift64(bl, bh, type, amt); bl = out.lo; bh = out.hi; }
    if (inv) { bl = ~bl; bh = ~bh; }
    logic(opc, rlo(c, rn), rhi(c, rn), bl, bh);
    if (opc === 3) c.s.nzcv = nz64(out.lo, out.hi);
    wr(c, rd, out.lo, out.hi);
    return pc + 4;
  };
}

/** SBFM/BFM/UBFM: the shift and extend aliases get direct forms; the rest the masks decoded once. */
export function bitfieldFor(w: number): Handler {
  const sf = w < 0, opc = (w >>> 29) & 3, N = (w >>> 22) & 1;
  const immr = (w >>> 16) & 63, imms = (w >>> 10) & 63;
  if (opc === 3 || (sf ? N === 0 : (N === 1 || immr >= 32 || imms >= 32))) return (c, _w, pc) => c.illegal(pc);
  const rn = (w >>> 5) & 31, rd = w & 31;
  const top = sf ? 63 : 31;
  if (opc !== 1 && imms === top) { // LSR / ASR (immediate)
    const type = opc === 2 ? 1 : 2;
    if (!sf) return (c, _w, pc) => { wr(c, rd, shift32(rlo(c, rn), type, immr), 0); return pc + 4; };
    return (c, _w, pc) => { shift64(rlo(c, rn), rhi(c, rn), type, immr); wr(c, rd, out.lo, out.hi); return pc + 4; };
  }
  if (opc === 2 && imms + 1 === immr) { // LSL (immediate)
    const n = top - imms;
    if (!sf) return (c, _w, pc) => { wr(c, rd, rlo(c, rn) << n, 0); return pc + 4; };
    return (c, _w, pc) => { shift64(rlo(c, rn), rhi(c, rn), 0, n); wr(c, rd, out.lo, out.hi); return pc + 4; };
  }
  if (immr === 0 && opc !== 1 && imms < 32) { // UXTB/UXTH/SXTB/SXTH/SXTW and UBFX/SBFX from bit 0
    const sh = 31 - imms;
    if (opc === 2) return (c, _w, pc) => { wr(c, rd, imms === 31 ? rlo(c, rn) : rlo(c, rn) & ((1 << (imms + 1)) - 1), 0); return pc + 4; };
    return (c, _w, pc) => { const v = (rlo(c, rn) << sh) >> sh; wr(c, rd, v, sf ? v >> 31 : 0); return pc + 4; };
  }
  return (c, _w, pc) => {
    bitfield(opc, sf ? 64 : 32, rlo(c, rn), sf ? rhi(c, rn) : 0, rlo(c, rd), rhi(c, rd), immr, imms);
    wr(c, rd, out.lo, out.hi);
    return pc + 4;
  };
}

/** ADD/SUB (immediate) without flags: the immediate decoded once (the flag-setting forms use addSubImm). */
export function addSubImmFor(w: number): Handler {
  if (w & 0x20000000) return addSubImm;
  const sf = w < 0, sub = (w & 0x40000000) !== 0;
  const imm0 = ((w >>> 10) & 0xfff) * ((w & 0x400000) ? 4096 : 1);
  const imm = sub ? -imm0 : imm0;
  const rn = (w >>> 5) & 31, rd = w & 31;
  if (!sf) return (c, _w, pc) => { const x = c.x; x[2 * rd] = (x[2 * rn] + imm) | 0; x[2 * rd + 1] = 0; return pc + 4; };
  return (c, _w, pc) => {
    const x = c.x;
    const l = (x[2 * rn] >>> 0) + imm;
    const h = x[2 * rn + 1];
    x[2 * rd] = l | 0;
    x[2 * rd + 1] = l < 0 ? (h - 1) | 0 : l > 0xffffffff ? (h + 1) | 0 : h;
    return pc + 4;
  };
}
