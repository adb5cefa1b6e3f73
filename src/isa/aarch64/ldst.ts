/**
 * A64 loads and stores of general-purpose and SIMD&FP registers: unsigned
 * offset, unscaled, pre/post-indexed, register offset (with extend),
 * literal, pairs (LDP/STP/LDPSW/LDNP/STNP) and the unprivileged forms
 * (LDTR/STTR behave as the plain ones at EL0). PRFM/PRFUM do nothing.
 * SIMD&FP register loads write A64State.vb (B/H/S/D/Q), zeroing the rest of
 * the 128-bit register.
 */
import type { A64Core } from './core.js';
import { out } from './alu.js';
import { extendReg, rhi, rlo, wr } from './dp.js';

const R = 1, W = 2;

/** Loads `bytes` into V[t] (the rest zeroed). */
export function vload(c: A64Core, t: number, a: number, bytes: number, pc: number): void {
  c.chk(a, bytes, R, pc);
  const vb = c.s.vb, o = 16 * t;
  vb.set(c.u8.subarray(a, a + bytes), o);
  if (bytes < 16) vb.fill(0, o + bytes, o + 16);
}
/** Stores the low `bytes` of V[t]. */
export function vstore(c: A64Core, t: number, a: number, bytes: number, pc: number): void {
  c.chk(a, bytes, W, pc);
  const o = 16 * t;
  c.u8.set(c.s.vb.subarray(o, o + bytes), a);
}

/** log2 of the access size of (size, V, opc); -1 when unallocated. */
function scaleOf(size: number, v: number, opc: number): number {
  if (!v) return size;
  if (opc >= 2) return size === 0 ? 4 : -1;
  return size;
}

/**
 * One load/store of the class (size, V, opc) to register t at address a.
 * `prfOk`: the form has a PRFM encoding (size 3, opc 2).
 */
function access(c: A64Core, size: number, v: number, opc: number, t: number, a: number, pc: number): void {
  if (v) {
    const sc = scaleOf(size, v, opc);
    if (sc < 0) c.illegal(pc);
    if (opc & 1) vload(c, t, a, 1 << sc, pc); else vstore(c, t, a, 1 << sc, pc);
    return;
  }
  switch (opc) {
    case 0: // STR
      switch (size) {
        case 0: c.st8(a, rlo(c, t), pc); return;
        case 1: c.st16(a, rlo(c, t), pc); return;
        case 2: c.st32(a, rlo(c, t), pc); return;
        default: c.st64(a, rlo(c, t), rhi(c, t), pc); return;
      }
    case 1: // LDR (zero-extending)
      switch (size) {
        case 0: wr(c, t, c.ld8(a, pc), 0); return;
        case 1: wr(c, t, c.ld16(a, pc), 0); return;
        case 2: wr(c, t, c.ld32(a, pc), 0); return;
        default: c.ld64(a, pc); wr(c, t, out.lo, out.hi); return;
      }
    case 2: { // LDRS* to 64 bits; size 3 is PRFM
      let v32: number;
      switch (size) {
        case 0: v32 = (c.ld8(a, pc) << 24) >> 24; break;
        case 1: v32 = (c.ld16(a, pc) << 16) >> 16; break;
        case 2: v32 = c.ld32(a, pc); break;
        default: return; // PRFM: a hint
      }
      wr(c, t, v32, v32 >> 31);
      return;
    }
    default: { // LDRS* to 32 bits
      let v32: number;
      switch (size) {
        case 0: v32 = (c.ld8(a, pc) << 24) >> 24; break;
        case 1: v32 = (c.ld16(a, pc) << 16) >> 16; break;
        default: return c.illegal(pc);
      }
      wr(c, t, v32, 0);
    }
  }
}

/** LDR/STR (immediate, unsigned offset). */
export function ldstUimm(c: A64Core, w: number, pc: number): number {
  const size = w >>> 30, v = (w >>> 26) & 1, opc = (w >>> 22) & 3;
  const sc = scaleOf(size, v, opc);
  if (sc < 0) return c.illegal(pc);
  const rn = (w >>> 5) & 31;
  if (!v && opc === 2 && size === 3) return pc + 4; // PRFM
  const a = c.base(rn, pc) + ((w >>> 10) & 0xfff) * (1 << sc);
  access(c, size, v, opc, w & 31, a, pc);
  return pc + 4;
}

/** LDUR/STUR, LDTR/STTR, and the pre/post-indexed forms (imm9). */
export function ldstImm9(c: A64Core, w: number, pc: number): number {
  const size = w >>> 30, v = (w >>> 26) & 1, opc = (w >>> 22) & 3, kind = (w >>> 10) & 3;
  if (scaleOf(size, v, opc) < 0) return c.illegal(pc);
  if (kind === 2 && v) return c.illegal(pc); // LDTR/STTR have no SIMD&FP forms
  const rn = (w >>> 5) & 31, rt = w & 31;
  const imm = (w << 11) >> 23;
  if (!v && opc === 2 && size === 3) { if (kind === 0) return pc + 4; return c.illegal(pc); } // PRFUM
  const b = c.base(rn, pc);
  if (kind === 1) { access(c, size, v, opc, rt, b, pc); c.setNum(rn, b + imm); } // post-index
  else if (kind === 3) { const a = b + imm; access(c, size, v, opc, rt, a, pc); c.setNum(rn, a); } // pre-index
  else access(c, size, v, opc, rt, b + imm, pc);
  return pc + 4;
}

/** LDR/STR (register offset): [Xn|SP, Rm{, extend {#amount}}]. */
export function ldstReg(c: A64Core, w: number, pc: number): number {
  const size = w >>> 30, v = (w >>> 26) & 1, opc = (w >>> 22) & 3, option = (w >>> 13) & 7;
  const sc = scaleOf(size, v, opc);
  if (sc < 0 || (option & 2) === 0) return c.illegal(pc);
  if (!v && opc === 2 && size === 3) return pc + 4; // PRFM (register)
  const rm = (w >>> 16) & 31, rn = (w >>> 5) & 31;
  extendReg(rlo(c, rm), rhi(c, rm), option, (w & 0x1000) ? sc : 0);
  const off = out.hi * 4294967296 + (out.lo >>> 0);
  access(c, size, v, opc, w & 31, c.base(rn, pc) + off, pc);
  return pc + 4;
}

/** LDR (literal), LDRSW (literal), PRFM (literal), and the SIMD&FP literal loads. */
export function ldrLiteral(c: A64Core, w: number, pc: number): number {
  const opc = w >>> 30, v = (w >>> 26) & 1, rt = w & 31;
  const a = pc + (((w << 8) >> 13) << 2);
  if (v) {
    if (opc === 3) return c.illegal(pc);
    vload(c, rt, a, 4 << opc, pc);
    return pc + 4;
  }
  switch (opc) {
    case 0: wr(c, rt, c.ld32(a, pc), 0); break;
    case 1: c.ld64(a, pc); wr(c, rt, out.lo, out.hi); break;
    case 2: { const x = c.ld32(a, pc); wr(c, rt, x, x >> 31); break; }
    default: break; // PRFM
  }
  return pc + 4;
}

/** LDP/STP/LDPSW/LDNP/STNP: offset, pre- and post-index (GP and SIMD&FP). */
export function ldstPair(c: A64Core, w: number, pc: number): number {
  const opc = w >>> 30, v = (w >>> 26) & 1, type = (w >>> 23) & 3, L = (w >>> 22) & 1;
  const rt2 = (w >>> 10) & 31, rn = (w >>> 5) & 31, rt = w & 31;
  let sc: number;
  if (v) { if (opc === 3) return c.illegal(pc); sc = 2 + opc; } else {
    if (opc === 3 || (opc === 1 && (L === 0 || type === 0))) return c.illegal(pc); // STGP and LDNP-SW: not here
    sc = opc === 2 ? 3 : 2;
  }
  const imm = ((w << 10) >> 25) * (1 << sc);
  const b = c.base(rn, pc);
  const a = type === 1 ? b : b + imm;
  const bytes = 1 << sc;
  if (v) {
    if (L) { vload(c, rt, a, bytes, pc); vload(c, rt2, a + bytes, bytes, pc); } else { vstore(c, rt, a, bytes, pc); vstore(c, rt2, a + bytes, bytes, pc); }
  } else if (L) {
    if (sc === 3) {
      c.chk(a, 16, R, pc);
      c.ld64(a, pc); const l1 = out.lo, h1 = out.hi;
      c.ld64(a + 8, pc);
      wr(c, rt, l1, h1); wr(c, rt2, out.lo, out.hi);
    } else {
      c.chk(a, 8, R, pc);
      const x1 = c.ld32(a, pc), x2 = c.ld32(a + 4, pc);
      if (opc === 1) { wr(c, rt, x1, x1 >> 31); wr(c, rt2, x2, x2 >> 31); } else { wr(c, rt, x1, 0); wr(c, rt2, x2, 0); }
    }
  } else if (sc === 3) {
    c.chk(a, 16, W, pc);
    c.st64(a, rlo(c, rt), rhi(c, rt), pc);
    c.st64(a + 8, rlo(c, rt2), rhi(c, rt2), pc);
  } else {
    c.chk(a, 8, W, pc);
    c.st32(a, rlo(c, rt), pc);
    c.st32(a + 4, rlo(c, rt2), pc);
  }
  if (type === 1 || type === 3) c.setNum(rn, b + imm);
  return pc + 4;
}

/**
 * LDR/STR (unsigned offset) of general registers, made for the one
 * instruction at decode (the offset scaled once); SIMD&FP and PRFM forms use
 * the generic handler.
 */
export function ldstUimmFor(w: number): (c: A64Core, w: number, pc: number) => number {
  const size = w >>> 30, v = (w >>> 26) & 1, opc = (w >>> 22) & 3;
  if (v || opc >= 2) return ldstUimm;
  const rn = (w >>> 5) & 31, rt = w & 31, off = ((w >>> 10) & 0xfff) * (1 << size);
  if (opc === 1) {
    switch (size) {
      case 3: return (c, _w, pc) => { c.ld64(c.base(rn, pc) + off, pc); wr(c, rt, out.lo, out.hi); return pc + 4; };
      case 2: return (c, _w, pc) => { wr(c, rt, c.ld32(c.base(rn, pc) + off, pc), 0); return pc + 4; };
      case 1: return (c, _w, pc) => { wr(c, rt, c.ld16(c.base(rn, pc) + off, pc), 0); return pc + 4; };
      default: return (c, _w, pc) => { wr(c, rt, c.ld8(c.base(rn, pc) + off, pc), 0); return pc + 4; };
    }
  }
  switch (size) {
    case 3: return (c, _w, pc) => { c.st64(c.base(rn, pc) + off, rlo(c, rt), rhi(c, rt), pc); return pc + 4; };
    case 2: return (c, _w, pc) => { c.st32(c.base(rn, pc) + off, rlo(c, rt), pc); return pc + 4; };
    case 1: return (c, _w, pc) => { c.st16(c.base(rn, pc) + off, rlo(c, rt), pc); return pc + 4; };
    default: return (c, _w, pc) => { c.st8(c.base(rn, pc) + off, rlo(c, rt), pc); return pc + 4; };
  }
}
