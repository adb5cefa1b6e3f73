/**
 * AdvSIMD load/store structure instructions: LD1-LD4 / ST1-ST4 (multiple
 * structures), the single-structure lane forms, LD1R-LD4R, each with or
 * without post-index (by the transfer size, or by Xm). Elements are moved
 * byte-wise between guest memory and A64State.vb (lane 0 at byte 0).
 */
import type { A64Core } from './core.js';
import { rhi, rlo } from './dp.js';

const R = 1, W = 2;

/** (rpt, selem) by the multiple-structure opcode (bits 15..12), or undefined. */
const MULTI: Record<number, [number, number]> = {
  0b0000: [1, 4], 0b0010: [4, 1], 0b0100: [1, 3], 0b0110: [3, 1], 0b0111: [1, 1], 0b1000: [1, 2], 0b1010: [2, 1],
};

function postIndex(c: A64Core, w: number, rn: number, b: number, bytes: number): void {
  const rm = (w >>> 16) & 31;
  const off = rm === 31 ? bytes : rhi(c, rm) * 4294967296 + (rlo(c, rm) >>> 0);
  c.setNum(rn, b + off);
}

export function ldstMultiple(c: A64Core, w: number, pc: number): number {
  const q = (w >>> 30) & 1, L = (w >>> 22) & 1, post = (w >>> 23) & 1, opcode = (w >>> 12) & 15, size = (w >>> 10) & 3;
  const rn = (w >>> 5) & 31, t = w & 31;
  const m = MULTI[opcode];
  if (m === undefined || (!post && ((w >>> 16) & 31) !== 0) || (size === 3 && q === 0 && m[1] !== 1)) return c.illegal(pc);
  const [rpt, selem] = m;
  const eb = 1 << size, elements = (q ? 16 : 8) / eb;
  const total = rpt * selem * elements * eb;
  const b = c.base(rn, pc);
  c.chk(b, total, L ? R : W, pc);
  const vb = c.s.vb, u8 = c.u8;
  let a = b;
  for (let r = 0; r < rpt; r++) {
    for (let e = 0; e < elements; e++) {
      let tt = (t + r) & 31;
      for (let s = 0; s < selem; s++) {
        const o = 16 * tt + e * eb;
        if (L) for (let i = 0; i < eb; i++) vb[o + i] = u8[a + i];
        else for (let i = 0; i < eb; i++) u8[a + i] = vb[o + i];
        a += eb;
        tt = (tt + 1) & 31;
      }
    }
  }
  if (L && !q) for (let r = 0; r < rpt * selem; r++) { const tt = (t + r) & 31; vb.fill(0, 16 * tt + 8, 16 * tt + 16); }
  if (post) postIndex(c, w, rn, b, total);
  return pc + 4;
}

export function ldstSingle(c: A64Core, w: number, pc: number): number {
  const q = (w >>> 30) & 1, L = (w >>> 22) & 1, post = (w >>> 23) & 1, Rbit = (w >>> 21) & 1;
  const opcode = (w >>> 13) & 7, S = (w >>> 12) & 1, size = (w >>> 10) & 3;
  const rn = (w >>> 5) & 31, t = w & 31;
  if (!post && ((w >>> 16) & 31) !== 0) return c.illegal(pc);
  let scale = opcode >>> 1;
  const selem = (((opcode & 1) << 1) | Rbit) + 1;
  let index = 0, replicate = false;
  switch (scale) {
    case 3:
      if (!L || S) return c.illegal(pc);
      scale = size; replicate = true; break;
    case 0: index = (q << 3) | (S << 2) | size; break;
    case 1: if (size & 1) return c.illegal(pc); index = (q << 2) | (S << 1) | (size >>> 1); break;
    default:
      if (size & 2) return c.illegal(pc);
      if ((size & 1) === 0) index = (q << 1) | S;
      else { if (S) return c.illegal(pc); index = q; scale = 3; }
  }
  const eb = 1 << scale;
  const total = selem * eb;
  const b = c.base(rn, pc);
  c.chk(b, total, L ? R : W, pc);
  const vb = c.s.vb, u8 = c.u8;
  let a = b, tt = t;
  for (let s = 0; s < selem; s++) {
    const base = 16 * tt;
    if (replicate) {
      const n = q ? 16 : 8;
      for (let o = 0; o < n; o += eb) for (let i = 0; i < eb; i++) vb[base + o + i] = u8[a + i];
      if (!q) vb.fill(0, base + 8, base + 16);
    } else {
      const o = base + index * eb;
      if (L) for (let i = 0; i < eb; i++) vb[o + i] = u8[a + i];
      else for (let i = 0; i < eb; i++) u8[a + i] = vb[o + i];
    }
    a += eb;
    tt = (tt + 1) & 31;
  }
  if (post) postIndex(c, w, rn, b, total);
  return pc + 4;
}
