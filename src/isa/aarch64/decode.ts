/**
 * A64 decoder: classifies an instruction word by the ARM ARM's top-level
 * encoding table (op0 = bits 28..25) and the group tables below it, and
 * returns the handler that executes it. The core caches the handler per
 * instruction slot of a code page (core.ts). Unallocated encodings get the
 * `undefinedInsn` handler (SIGILL ILL_ILLOPC at the instruction).
 *
 * Handlers re-read their fields from the word: decoding only picks the
 * handler, so one cached entry per instruction is a single function reference.
 */
import type { A64Core } from './core.js';
import * as dp from './dp.js';
import * as br from './branch.js';
import * as ls from './ldst.js';
import { atomicOp, exclusive } from './atomics.js';
import { ldstMultiple, ldstSingle } from './vldst.js';
import { executeSimdFp } from './simd.js';

export type Handler = (c: A64Core, w: number, pc: number) => number;

export const undefinedInsn: Handler = (c, _w, pc) => c.illegal(pc);

/** The SIMD&FP data-processing group, executed by the SIMD&FP unit (simd.ts). */
export const simdFp: Handler = (c, w, pc) => (executeSimdFp(c.s, w) ? pc + 4 : c.illegal(pc));

function dpImm(w: number): Handler {
  switch ((w >>> 23) & 7) {
    case 0: case 1: return dp.adr;
    case 2: return dp.addSubImmFor(w);
    case 3: return undefinedInsn; // add/sub with tags (MTE)
    case 4: return dp.logicalImmFor(w) ?? undefinedInsn;
    case 5: return dp.moveWide;
    case 6: return dp.bitfieldFor(w);
    default: return dp.extr;
  }
}

function branchSys(w: number): Handler {
  const op0 = w >>> 29;
  if (op0 === 2) return (w & 0x03000000) === 0 ? br.bcond : undefinedInsn;
  if (op0 === 6) {
    if ((w & 0x03000000) === 0) return br.exception;
    if ((w & 0x03c00000) === 0x01000000) return br.system;
    if ((w & 0x02000000) !== 0) return br.branchReg;
    return undefinedInsn;
  }
  if ((op0 & 3) === 0) return br.b; // B, BL
  if ((op0 & 3) === 1) return (w & 0x02000000) === 0 ? br.cbz : br.tbz;
  return undefinedInsn;
}

function loadStore(w: number): Handler {
  const b2924 = (w >>> 24) & 0x3f; // bits 29..24 (bit 26 = V)
  if ((w & 0xbe000000) === 0x0c000000) { // AdvSIMD structures (bits 31 = 0, 29..25 = 00110)
    if ((w & 0x04000000) === 0) return undefinedInsn;
    return (w & 0x01000000) === 0 ? ldstMultiple : ldstSingle;
  }
  if (b2924 === 0x08) return exclusive;
  if ((b2924 & 0x3b) === 0x18) return ls.ldrLiteral;
  if ((b2924 & 0x3a) === 0x28) return ls.ldstPair;
  if ((b2924 & 0x3b) === 0x38) {
    if ((w & 0x00200000) === 0) return ls.ldstImm9;
    switch ((w >>> 10) & 3) {
      case 0: return (w & 0x04000000) === 0 ? atomicOp : undefinedInsn;
      case 2: return ls.ldstReg;
      default: return undefinedInsn; // LDRAA/LDRAB (pointer authentication)
    }
  }
  if ((b2924 & 0x3b) === 0x39) return ls.ldstUimmFor(w);
  if (b2924 === 0x19 && (w & 0x00200c00) === 0) return ls.ldstImm9; // LDAPUR/STLUR (RCpc, unscaled) as LDUR/STUR
  return undefinedInsn;
}

function dpReg(w: number): Handler {
  const op1 = (w >>> 28) & 1, op2 = (w >>> 21) & 15;
  if (op1 === 0) {
    if ((op2 & 8) === 0) return dp.logicalRegFor(w);
    return (op2 & 1) === 0 ? dp.addSubShiftedFor(w) : dp.addSubExtended;
  }
  if (op2 & 8) return dp.dp3;
  switch (op2) {
    case 0: return dp.adcSbc;
    case 2: return dp.condCompare;
    case 4: return dp.condSelect;
    case 6: return (w & 0x40000000) !== 0 ? dp.dp1 : dp.dp2;
    default: return undefinedInsn;
  }
}

export function decode(w: number): Handler {
  const op0 = (w >>> 25) & 15;
  switch (op0) {
    case 8: case 9: return dpImm(w);
    case 10: case 11: return branchSys(w);
    case 5: case 13: return dpReg(w);
    case 7: case 15: return simdFp;
    case 4: case 6: case 12: case 14: return loadStore(w);
    default: return undefinedInsn; // UDF, SME, SVE, unallocated
  }
}
