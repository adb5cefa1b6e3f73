/**
 * SSE and SSE2 (the x86-64 baseline) on the XMM registers of the register
 * slot: moves, packed integer ops, packed/scalar single and double
 * arithmetic, compares and conversions. No allocation: sources are copied
 * into one 16-byte scratch register before the destination is written.
 *
 * MMX forms (no prefix on the integer opcodes) and SSE3+ are not reported by
 * CPUID and raise #UD (SIGILL). MXCSR's rounding control is honoured by the
 * float→integer conversions that round (CVTSD2SI...); the arithmetic rounds
 * to nearest (JavaScript's doubles) and the exception flags are not updated.
 */
import type { X86Core } from './core.js';
import {
  f32_add, f32_div, f32_mul, f32_sqrt, f32_sub, f64_add, f64_div, f64_mul, f64_sqrt, f64_sub,
  fpStatus, intToF32, intToF64, setNanPolicy, X86_NAN_POLICY, FLAG_DZ, FLAG_NV, FLAG_NX, FLAG_OF, FLAG_UF, RDN, RNE, RTZ, RUP,
} from '../softfloat/index.js';

/** MXCSR.RC (0 nearest, 1 down, 2 up, 3 toward zero) → the softfloat rounding mode. */
const RM_OF_RC = [RNE, RDN, RUP, RTZ];
export const mxcsrRm = (c: X86Core): number => RM_OF_RC[(c.s.mxcsr >> 13) & 3];

/** Starts a softfloat operation sequence: x86 NaN rules, flags cleared. */
function fpBegin(): void { setNanPolicy(X86_NAN_POLICY); fpStatus.flags = 0; }
/** Folds the softfloat flags raised into MXCSR's sticky bits (IE ZE OE UE PE). */
export function fpEnd(c: X86Core): void {
  const f = fpStatus.flags;
  if (f === 0) return;
  c.s.mxcsr |= (f & FLAG_NV ? 1 : 0) | (f & FLAG_DZ ? 4 : 0) | (f & FLAG_OF ? 8 : 0) | (f & FLAG_UF ? 16 : 0) | (f & FLAG_NX ? 32 : 0);
}
import { CF, PF, STATUS, ZF } from './state.js';

const TWO32 = 4294967296;
const tb = new Uint8Array(16);
const tdv = new DataView(tb.buffer);
const tf32 = new Float32Array(tb.buffer);
const tf64 = new Float64Array(tb.buffer);
const tw = new Uint16Array(tb.buffer);
const td = new Int32Array(tb.buffer);
const ob = new Uint8Array(16);
const odv = new DataView(ob.buffer);
const od = new Int32Array(ob.buffer);

const SSE_OPS = new Uint8Array(256);
for (const r of [[0x10, 0x17], [0x28, 0x2f], [0x50, 0x7f], [0xc2, 0xc2], [0xc4, 0xc6], [0xd1, 0xfe]]) for (let i = r[0]; i <= r[1]; i++) SSE_OPS[i] = 1;
for (const i of [0x77, 0x78, 0x79, 0x7a, 0x7b, 0x7c, 0x7d]) SSE_OPS[i] = 0;

export function isSseOpcode(op: number): boolean { return SSE_OPS[op] === 1; }

/** Copies the E operand (XMM rm or `size` bytes of memory) into the scratch register (rest zero for memory). */
function loadE(c: X86Core, size: number, aligned = false): void {
  if (c.mod === 3) {
    const xd = c.s.xd, o = c.rm * 4;
    td[0] = xd[o]; td[1] = xd[o + 1]; td[2] = xd[o + 2]; td[3] = xd[o + 3];
    return;
  }
  const a = c.ea();
  if (aligned && (a % 16) !== 0) c.generalProtection();
  const o = c.chkR(a, size);
  const dv = c.dv;
  td[0] = size >= 4 ? dv.getInt32(o, true) : 0;
  td[1] = size >= 8 ? dv.getInt32(o + 4, true) : 0;
  td[2] = size === 16 ? dv.getInt32(o + 8, true) : 0;
  td[3] = size === 16 ? dv.getInt32(o + 12, true) : 0;
}

/** Stores `size` bytes (4, 8 or 16) of XMM `src` to the E operand (a whole register when it is one). */
function storeE(c: X86Core, src: number, size: number, aligned = false): void {
  const xd = c.s.xd, so = src * 4;
  if (c.mod === 3) {
    const o = c.rm * 4;
    xd[o] = xd[so]; xd[o + 1] = xd[so + 1]; xd[o + 2] = xd[so + 2]; xd[o + 3] = xd[so + 3];
    return;
  }
  const a = c.ea();
  if (aligned && (a % 16) !== 0) c.generalProtection();
  const o = c.chkW(a, size);
  const dv = c.dv;
  dv.setInt32(o, xd[so], true);
  if (size >= 8) dv.setInt32(o + 4, xd[so + 1], true);
  if (size === 16) { dv.setInt32(o + 8, xd[so + 2], true); dv.setInt32(o + 12, xd[so + 3], true); }
}

/** XMM i = the scratch register. */
function copyTb(c: X86Core, i: number): void {
  const xd = c.s.xd, o = i * 4;
  xd[o] = td[0]; xd[o + 1] = td[1]; xd[o + 2] = td[2]; xd[o + 3] = td[3];
}

/** ob = XMM i (a copy of the destination before it is overwritten). */
function saveDst(c: X86Core, i: number): void {
  const xd = c.s.xd, o = i * 4;
  od[0] = xd[o]; od[1] = xd[o + 1]; od[2] = xd[o + 2]; od[3] = xd[o + 3];
}

function fetchImm(c: X86Core): number { return c.fetch8(); }

/** Rounds per MXCSR.RC (0 nearest-even, 1 down, 2 up, 3 toward zero). */
function roundMx(c: X86Core, v: number): number {
  switch ((c.s.mxcsr >> 13) & 3) {
    case 0: { const f = Math.floor(v), d = v - f; return d > 0.5 ? f + 1 : d < 0.5 ? f : (f % 2 === 0 ? f : f + 1); }
    case 1: return Math.floor(v);
    case 2: return Math.ceil(v);
    default: return Math.trunc(v);
  }
}

/** Float → signed integer of `size` bytes (integer indefinite when out of range or NaN); writes res into reg. */
function cvtToInt(c: X86Core, v: number, trunc: boolean, size: number): void {
  const r = trunc ? Math.trunc(v) : roundMx(c, v);
  if (size === 8) {
    if (!(r >= -(2 ** 63) && r < 2 ** 63)) { c.writeReg(c.reg, 8, 0, 0x80000000); return; }
    const b = BigInt.asUintN(64, BigInt(r));
    c.writeReg(c.reg, 8, Number(b & 0xffffffffn), Number(b >> 32n));
  } else {
    if (!(r >= -(2 ** 31) && r < 2 ** 31)) { c.writeReg(c.reg, 4, 0x80000000, 0); return; }
    c.writeReg(c.reg, 4, r >>> 0, 0);
  }
}

function fcmp(pred: number, a: number, b: number): boolean {
  const un = a !== a || b !== b;
  switch (pred & 7) {
    case 0: return a === b;
    case 1: return a < b;
    case 2: return a <= b;
    case 3: return un;
    case 4: return !(a === b);
    case 5: return !(a < b);
    case 6: return !(a <= b);
    default: return !un;
  }
}

function satS(v: number, bits: number): number { const m = 2 ** (bits - 1); return v < -m ? -m : v > m - 1 ? m - 1 : v; }
function satU(v: number, bits: number): number { const m = 2 ** bits - 1; return v < 0 ? 0 : v > m ? m : v; }

/** Packed integer lanes: d = f(d, s) per lane of `size` bytes (values unsigned in, any out, masked). */
function lanes(dv: DataView, base: number, size: number, f: (a: number, b: number) => number, signed = false): void {
  for (let o = 0; o < 16; o += size) {
    let a: number, b: number;
    switch (size) {
      case 1: a = signed ? dv.getInt8(base + o) : dv.getUint8(base + o); b = signed ? tdv.getInt8(o) : tdv.getUint8(o); dv.setUint8(base + o, f(a, b) & 0xff); break;
      case 2: a = signed ? dv.getInt16(base + o, true) : dv.getUint16(base + o, true); b = signed ? tdv.getInt16(o, true) : tdv.getUint16(o, true); dv.setUint16(base + o, f(a, b) & 0xffff, true); break;
      default: a = signed ? dv.getInt32(base + o, true) : dv.getUint32(base + o, true); b = signed ? tdv.getInt32(o, true) : tdv.getUint32(o, true); dv.setUint32(base + o, f(a, b) >>> 0, true);
    }
  }
}

function lanes64(dv: DataView, base: number, f: (a: bigint, b: bigint) => bigint): void {
  for (let o = 0; o < 16; o += 8) dv.setBigUint64(base + o, BigInt.asUintN(64, f(dv.getBigUint64(base + o, true), tdv.getBigUint64(o, true))), true);
}

/** Packed shifts by a count (imm or xmm low 64 bits): kind 0 logical right, 1 arithmetic right, 2 left. */
function shiftLanes(dv: DataView, base: number, size: number, kind: number, count: number): void {
  const bits = size * 8;
  for (let o = 0; o < 16; o += size) {
    if (size === 8) {
      const v = dv.getBigUint64(base + o, true);
      let r: bigint;
      if (kind === 2) r = count >= 64 ? 0n : BigInt.asUintN(64, v << BigInt(count));
      else r = count >= 64 ? 0n : v >> BigInt(count);
      dv.setBigUint64(base + o, r, true);
      continue;
    }
    const v = size === 2 ? dv.getUint16(base + o, true) : dv.getUint32(base + o, true);
    let r: number;
    if (kind === 0) r = count >= bits ? 0 : v >>> count;
    else if (kind === 1) { const sv = size === 2 ? (v << 16) >> 16 : v | 0; r = sv >> Math.min(count, bits - 1); } else r = count >= bits ? 0 : v << count;
    if (size === 2) dv.setUint16(base + o, r & 0xffff, true); else dv.setUint32(base + o, r >>> 0, true);
  }
}

export function execSse(c: X86Core, op: number): void {
  const s = c.s;
  const xb = s.xb, xf32 = s.xf32, xf64 = s.xf64;
  const dv = s.xdv;
  const pf = c.rep === 0xf3 ? 3 : c.rep === 0xf2 ? 2 : c.p66 ? 1 : 0; // 0 none, 1 66, 2 F2, 3 F3
  c.modrm();
  const d = c.reg, db = d * 16;
  // integer ops on MMX registers (no prefix) are not supported
  const intOp = (op >= 0x60 && op <= 0x7f) || op >= 0xd0 || op === 0xc4 || op === 0xc5;
  if (intOp && pf === 0 && op !== 0x77) c.illegal();
  switch (op) {
    case 0x10: case 0x11: { // MOVUPS MOVUPD MOVSS MOVSD
      const load = op === 0x10;
      if (pf <= 1) { if (load) { loadE(c, 16); xb.set(tb, db); } else storeE(c, d, 16); return; }
      const n = pf === 3 ? 4 : 8;
      if (load) {
        if (c.mod === 3) { xb.copyWithin(db, c.rm * 16, c.rm * 16 + n); return; }
        loadE(c, n); copyTb(c, d); return;
      }
      if (c.mod === 3) { xb.copyWithin(c.rm * 16, db, db + n); return; }
      storeE(c, d, n);
      return;
    }
    case 0x12: case 0x13: case 0x16: case 0x17: { // MOVLPS/PD MOVHLPS MOVHPS/PD MOVLHPS
      if (pf >= 2) c.illegal();
      const hi = op >= 0x16;
      if ((op & 1) === 1) { // store m64
        if (c.mod === 3) c.illegal();
        const o = c.chkW(c.ea(), 8);
        c.u8.set(xb.subarray(db + (hi ? 8 : 0), db + (hi ? 16 : 8)), o);
        return;
      }
      if (c.mod === 3) {
        if (pf === 1) c.illegal();
        const sb = c.rm * 16;
        tb.set(xb.subarray(sb, sb + 16));
        if (hi) xb.set(tb.subarray(0, 8), db + 8); else xb.set(tb.subarray(8, 16), db); // MOVLHPS / MOVHLPS
        return;
      }
      const o = c.chkR(c.ea(), 8);
      xb.set(c.u8.subarray(o, o + 8), db + (hi ? 8 : 0));
      return;
    }
    case 0x14: case 0x15: { // UNPCKLPS/PD UNPCKHPS/PD
      if (pf >= 2) c.illegal();
      loadE(c, 16, true);
      const h = op === 0x15 ? 8 : 0;
      if (pf === 0) {
        const a0 = dv.getUint32(db + h, true), a1 = dv.getUint32(db + h + 4, true);
        const b0 = tdv.getUint32(h, true), b1 = tdv.getUint32(h + 4, true);
        dv.setUint32(db, a0, true); dv.setUint32(db + 4, b0, true); dv.setUint32(db + 8, a1, true); dv.setUint32(db + 12, b1, true);
      } else {
        const a = dv.getBigUint64(db + h, true), b = tdv.getBigUint64(h, true);
        dv.setBigUint64(db, a, true); dv.setBigUint64(db + 8, b, true);
      }
      return;
    }
    case 0x28: case 0x29: case 0x2b: { // MOVAPS/PD, MOVNTPS/PD
      if (pf >= 2) c.illegal();
      if (op === 0x28) { loadE(c, 16, true); copyTb(c, d); } else { if (op === 0x2b && c.mod === 3) c.illegal(); storeE(c, d, 16, true); }
      return;
    }
    case 0x2a: { // CVTSI2SS / CVTSI2SD
      if (pf < 2) c.illegal();
      const size = c.rexW ? 8 : 4;
      const lo = c.readE(size), hi = c.vh;
      const v = size === 8 ? Number(BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo))) : lo | 0;
      fpBegin();
      const kind = size === 8 ? 2 : 0;
      if (pf === 3) dv.setUint32(db, intToF32(lo, hi, kind, mxcsrRm(c)) >>> 0, true); else xf64[d * 2] = intToF64(lo, hi, kind, mxcsrRm(c));
      fpEnd(c);
      void v;
      return;
    }
    case 0x2c: case 0x2d: { // CVTT?SS2SI / CVTT?SD2SI
      if (pf < 2) c.illegal();
      loadE(c, pf === 3 ? 4 : 8);
      const v = pf === 3 ? tf32[0] : tf64[0];
      cvtToInt(c, v, op === 0x2c, c.rexW ? 8 : 4);
      return;
    }
    case 0x2e: case 0x2f: { // UCOMIS* / COMIS*
      if (pf >= 2) c.illegal();
      loadE(c, pf === 1 ? 8 : 4);
      const a = pf === 1 ? xf64[d * 2] : xf32[d * 4];
      const b = pf === 1 ? tf64[0] : tf32[0];
      let f = 0;
      if (a !== a || b !== b) f = ZF | PF | CF; else if (a < b) f = CF; else if (a === b) f = ZF;
      s.flags = (s.flags & ~STATUS) | f;
      return;
    }
    case 0x50: { // MOVMSKPS/PD
      if (c.mod !== 3 || pf >= 2) c.illegal();
      const sb = c.rm * 16;
      let m = 0;
      if (pf === 0) for (let i = 0; i < 4; i++) m |= (xb[sb + 4 * i + 3] >> 7) << i;
      else for (let i = 0; i < 2; i++) m |= (xb[sb + 8 * i + 7] >> 7) << i;
      c.writeReg(c.reg, c.rexW ? 8 : 4, m, 0);
      return;
    }
    case 0x51: case 0x58: case 0x59: case 0x5c: case 0x5d: case 0x5e: case 0x5f: {
      const sc = pf >= 2;
      const dbl = pf === 1 || pf === 2;
      loadE(c, sc ? (dbl ? 8 : 4) : 16, !sc);
      const n = sc ? 1 : dbl ? 2 : 4;
      const rm = mxcsrRm(c);
      fpBegin();
      for (let i = 0; i < n; i++) {
        if (dbl) {
          const a = xf64[d * 2 + i], b = tf64[i];
          let r: number;
          switch (op) {
            case 0x51: r = f64_sqrt(b, rm); break;
            case 0x58: r = f64_add(a, b, rm); break;
            case 0x59: r = f64_mul(a, b, rm); break;
            case 0x5c: r = f64_sub(a, b, rm); break;
            case 0x5e: r = f64_div(a, b, rm); break;
            default: {
              // MIN/MAX: the first operand when it compares less (greater), else the second, bit for bit
              // (so a NaN in either, or two zeros, give the second); IE on NaN
              if (a !== a || b !== b) fpStatus.flags |= FLAG_NV;
              if (!(op === 0x5d ? a < b : a > b)) dv.setBigUint64(db + 8 * i, tdv.getBigUint64(8 * i, true), true);
              continue;
            }
          }
          xf64[d * 2 + i] = r;
        } else {
          const a = dv.getUint32(db + 4 * i, true), b = tdv.getUint32(4 * i, true);
          let r: number;
          switch (op) {
            case 0x51: r = f32_sqrt(b, rm); break;
            case 0x58: r = f32_add(a, b, rm); break;
            case 0x59: r = f32_mul(a, b, rm); break;
            case 0x5c: r = f32_sub(a, b, rm); break;
            case 0x5e: r = f32_div(a, b, rm); break;
            default: {
              const fa = xf32[d * 4 + i], fb = tf32[i];
              if (fa !== fa || fb !== fb) fpStatus.flags |= FLAG_NV;
              r = (op === 0x5d ? fa < fb : fa > fb) ? a : b;
            }
          }
          dv.setUint32(db + 4 * i, r >>> 0, true);
        }
      }
      fpEnd(c);
      return;
    }
    case 0x54: case 0x55: case 0x56: case 0x57: { // AND ANDN OR XOR (PS/PD)
      if (pf >= 2) c.illegal();
      loadE(c, 16, true);
      for (let i = 0; i < 4; i++) {
        const a = dv.getInt32(db + 4 * i, true), b = td[i];
        dv.setInt32(db + 4 * i, op === 0x54 ? a & b : op === 0x55 ? ~a & b : op === 0x56 ? a | b : a ^ b, true);
      }
      return;
    }
    case 0x5a: { // CVTPS2PD CVTPD2PS CVTSS2SD CVTSD2SS
      if (pf === 0) { loadE(c, 8); const a = tf32[0], b = tf32[1]; xf64[d * 2] = a; xf64[d * 2 + 1] = b; return; }
      if (pf === 1) { loadE(c, 16, true); const a = tf64[0], b = tf64[1]; xf32[d * 4] = a; xf32[d * 4 + 1] = b; dv.setBigUint64(db + 8, 0n, true); return; }
      if (pf === 3) { loadE(c, 4); xf64[d * 2] = tf32[0]; return; }
      loadE(c, 8); xf32[d * 4] = tf64[0];
      return;
    }
    case 0x5b: { // CVTDQ2PS CVTPS2DQ CVTTPS2DQ
      if (pf === 2) c.illegal();
      loadE(c, 16, true);
      for (let i = 0; i < 4; i++) {
        if (pf === 0) { xf32[d * 4 + i] = td[i]; continue; }
        const v = tf32[i];
        const r = pf === 3 ? Math.trunc(v) : roundMx(c, v);
        dv.setInt32(db + 4 * i, r >= -(2 ** 31) && r < 2 ** 31 ? r : -0x80000000, true);
      }
      return;
    }
    case 0x60: case 0x61: case 0x62: case 0x6c: case 0x68: case 0x69: case 0x6a: case 0x6d: { // PUNPCKL/H
      loadE(c, 16, true);
      const size = op === 0x6c || op === 0x6d ? 8 : 1 << ((op & 3));
      const h = op >= 0x68 && op !== 0x6c ? 8 : op === 0x6d ? 8 : 0;
      saveDst(c, db / 16);
      for (let i = 0, o = 0; o < 16; i++, o += 2 * size) {
        for (let k = 0; k < size; k++) {
          xb[db + o + k] = ob[h + i * size + k];
          xb[db + o + size + k] = tb[h + i * size + k];
        }
      }
      return;
    }
    case 0x63: case 0x67: case 0x6b: { // PACKSSWB PACKUSWB PACKSSDW
      loadE(c, 16, true);
      saveDst(c, db / 16);
      if (op === 0x6b) {
        for (let i = 0; i < 4; i++) dv.setInt16(db + 2 * i, satS(odv.getInt32(4 * i, true), 16), true);
        for (let i = 0; i < 4; i++) dv.setInt16(db + 8 + 2 * i, satS(tdv.getInt32(4 * i, true), 16), true);
      } else {
        const sat = op === 0x63 ? (v: number) => satS(v, 8) & 0xff : (v: number) => satU(v, 8);
        for (let i = 0; i < 8; i++) xb[db + i] = sat(odv.getInt16(2 * i, true));
        for (let i = 0; i < 8; i++) xb[db + 8 + i] = sat(tdv.getInt16(2 * i, true));
      }
      return;
    }
    case 0x64: case 0x65: case 0x66: { loadE(c, 16, true); lanes(dv, db, 1 << (op - 0x64), (a, b) => (a > b ? -1 : 0), true); return; }
    case 0x74: case 0x75: case 0x76: { loadE(c, 16, true); lanes(dv, db, 1 << (op - 0x74), (a, b) => (a === b ? -1 : 0)); return; }
    case 0x6e: { // MOVD/MOVQ xmm, r/m
      if (pf !== 1) c.illegal();
      const size = c.rexW ? 8 : 4;
      const lo = c.readE(size), hi = size === 8 ? c.vh : 0;
      xb.fill(0, db, db + 16);
      dv.setUint32(db, lo, true); dv.setUint32(db + 4, hi, true);
      return;
    }
    case 0x7e: {
      if (pf === 3) { loadE(c, 8); xb.fill(0, db, db + 16); xb.set(tb.subarray(0, 8), db); return; } // MOVQ xmm, xmm/m64
      if (pf !== 1) c.illegal();
      const size = c.rexW ? 8 : 4;
      c.writeE(size, dv.getUint32(db, true), dv.getUint32(db + 4, true));
      return;
    }
    case 0x6f: case 0x7f: {
      if (pf !== 1 && pf !== 3) c.illegal();
      if (op === 0x6f) { loadE(c, 16, pf === 1); copyTb(c, d); } else storeE(c, d, 16, pf === 1);
      return;
    }
    case 0x70: { // PSHUFD PSHUFLW PSHUFHW
      const imm = fetchImm(c);
      loadE(c, 16, pf === 1);
      if (pf === 1) { for (let i = 0; i < 4; i++) dv.setInt32(db + 4 * i, td[(imm >> (2 * i)) & 3], true); return; }
      if (pf === 0) c.illegal();
      const base = pf === 2 ? 0 : 4; // F2: low words; F3: high words
      xb.set(tb, db);
      for (let i = 0; i < 4; i++) dv.setUint16(db + 2 * (base + i), tw[base + ((imm >> (2 * i)) & 3)], true);
      return;
    }
    case 0x71: case 0x72: case 0x73: {
      if (c.mod !== 3) c.illegal();
      const imm = fetchImm(c);
      const k = c.reg & 7;
      const rb = c.rm * 16;
      if (op === 0x73 && (k === 3 || k === 7)) { // PSRLDQ PSLLDQ (bytes)
        const n = Math.min(imm, 16);
        saveDst(c, rb / 16);
        for (let i = 0; i < 16; i++) {
          const src = k === 3 ? i + n : i - n;
          xb[rb + i] = src >= 0 && src < 16 ? ob[src] : 0;
        }
        return;
      }
      const size = op === 0x71 ? 2 : op === 0x72 ? 4 : 8;
      const kind = k === 2 ? 0 : k === 4 ? 1 : k === 6 ? 2 : -1;
      if (kind < 0 || (kind === 1 && size === 8)) c.illegal();
      shiftLanes(dv, rb, size, kind, imm);
      return;
    }
    case 0xd1: case 0xd2: case 0xd3: case 0xe1: case 0xe2: case 0xf1: case 0xf2: case 0xf3: {
      loadE(c, 16, true);
      const cnt = tdv.getUint32(4, true) !== 0 ? 999 : tdv.getUint32(0, true);
      const size = 1 << (op & 3);
      const kind = op < 0xe0 ? 0 : op < 0xf0 ? 1 : 2;
      shiftLanes(dv, db, size, kind, Math.min(cnt, 999));
      return;
    }
    case 0xc2: { // CMPPS/PD/SS/SD
      const sc = pf >= 2;
      const dbl = pf === 1 || pf === 2;
      loadE(c, sc ? (dbl ? 8 : 4) : 16, !sc);
      const imm = fetchImm(c);
      const n = sc ? 1 : dbl ? 2 : 4;
      for (let i = 0; i < n; i++) {
        const t = dbl ? fcmp(imm, xf64[d * 2 + i], tf64[i]) : fcmp(imm, xf32[d * 4 + i], tf32[i]);
        if (dbl) { dv.setInt32(db + 8 * i, t ? -1 : 0, true); dv.setInt32(db + 8 * i + 4, t ? -1 : 0, true); } else dv.setInt32(db + 4 * i, t ? -1 : 0, true);
      }
      return;
    }
    case 0xc4: { // PINSRW
      const v = c.readE(c.mod === 3 ? 4 : 2);
      const imm = fetchImm(c);
      dv.setUint16(db + 2 * (imm & 7), v & 0xffff, true);
      return;
    }
    case 0xc5: { // PEXTRW r, xmm, imm
      if (c.mod !== 3) c.illegal();
      const imm = fetchImm(c);
      c.writeReg(c.reg, c.rexW ? 8 : 4, dv.getUint16(c.rm * 16 + 2 * (imm & 7), true), 0);
      return;
    }
    case 0xc6: { // SHUFPS / SHUFPD
      if (pf >= 2) c.illegal();
      loadE(c, 16, true);
      const imm = fetchImm(c);
      saveDst(c, db / 16);
      if (pf === 0) {
        dv.setUint32(db, odv.getUint32(4 * (imm & 3), true), true);
        dv.setUint32(db + 4, odv.getUint32(4 * ((imm >> 2) & 3), true), true);
        dv.setUint32(db + 8, tdv.getUint32(4 * ((imm >> 4) & 3), true), true);
        dv.setUint32(db + 12, tdv.getUint32(4 * ((imm >> 6) & 3), true), true);
      } else {
        dv.setBigUint64(db, odv.getBigUint64(8 * (imm & 1), true), true);
        dv.setBigUint64(db + 8, tdv.getBigUint64(8 * ((imm >> 1) & 1), true), true);
      }
      return;
    }
    case 0xd6: { // MOVQ xmm/m64, xmm
      if (pf !== 1) c.illegal();
      if (c.mod === 3) { xb.copyWithin(c.rm * 16, db, db + 8); xb.fill(0, c.rm * 16 + 8, c.rm * 16 + 16); return; }
      storeE(c, d, 8);
      return;
    }
    case 0xd7: { // PMOVMSKB
      if (c.mod !== 3) c.illegal();
      const sb = c.rm * 16;
      let m = 0;
      for (let i = 0; i < 16; i++) m |= (xb[sb + i] >> 7) << i;
      c.writeReg(c.reg, c.rexW ? 8 : 4, m, 0);
      return;
    }
    case 0xe6: { // CVTTPD2DQ (66) CVTDQ2PD (F3) CVTPD2DQ (F2)
      if (pf === 3) { loadE(c, 8); const a = td[0], b = td[1]; xf64[d * 2] = a; xf64[d * 2 + 1] = b; return; }
      loadE(c, 16, true);
      for (let i = 0; i < 2; i++) {
        const v = tf64[i];
        const r = pf === 1 ? Math.trunc(v) : roundMx(c, v);
        dv.setInt32(db + 4 * i, r >= -(2 ** 31) && r < 2 ** 31 ? r : -0x80000000, true);
      }
      dv.setBigUint64(db + 8, 0n, true);
      return;
    }
    case 0xe7: { if (c.mod === 3) c.illegal(); storeE(c, d, 16, true); return; } // MOVNTDQ
    case 0xf7: { // MASKMOVDQU: bytes of xmm selected by the rm register's MSBs to [rDI]
      if (c.mod !== 3) c.illegal();
      const base = (c.asz === 8 ? c.regNum(7) : c.r[14] >>> 0) + c.segBase;
      const mb = c.rm * 16;
      for (let i = 0; i < 16; i++) if (xb[mb + i] & 0x80) c.st(base + i, 1, xb[db + i], 0);
      return;
    }
  }
  // the remaining packed-integer ALU ops (all 66-prefixed, 128-bit, aligned memory)
  if (pf !== 1) c.illegal();
  loadE(c, 16, true);
  switch (op) {
    case 0xd4: lanes64(dv, db, (a, b) => a + b); return;
    case 0xfb: lanes64(dv, db, (a, b) => a - b); return;
    case 0xf4: { // PMULUDQ
      for (let i = 0; i < 2; i++) dv.setBigUint64(db + 8 * i, BigInt(dv.getUint32(db + 8 * i, true)) * BigInt(tdv.getUint32(8 * i, true)), true);
      return;
    }
    case 0xd5: lanes(dv, db, 2, (a, b) => Math.imul(a, b)); return;
    case 0xe5: lanes(dv, db, 2, (a, b) => (a * b) >> 16, true); return;
    case 0xe4: lanes(dv, db, 2, (a, b) => Math.floor((a * b) / 65536)); return;
    case 0xf5: { // PMADDWD
      for (let i = 0; i < 4; i++) {
        const o = db + 4 * i;
        const r = dv.getInt16(o, true) * tdv.getInt16(4 * i, true) + dv.getInt16(o + 2, true) * tdv.getInt16(4 * i + 2, true);
        dv.setInt32(o, r | 0, true);
      }
      return;
    }
    case 0xf6: { // PSADBW
      for (let h = 0; h < 16; h += 8) {
        let sum = 0;
        for (let i = 0; i < 8; i++) sum += Math.abs(xb[db + h + i] - tb[h + i]);
        dv.setBigUint64(db + h, BigInt(sum), true);
      }
      return;
    }
    case 0xd8: lanes(dv, db, 1, (a, b) => satU(a - b, 8)); return;
    case 0xd9: lanes(dv, db, 2, (a, b) => satU(a - b, 16)); return;
    case 0xdc: lanes(dv, db, 1, (a, b) => satU(a + b, 8)); return;
    case 0xdd: lanes(dv, db, 2, (a, b) => satU(a + b, 16)); return;
    case 0xe8: lanes(dv, db, 1, (a, b) => satS(a - b, 8), true); return;
    case 0xe9: lanes(dv, db, 2, (a, b) => satS(a - b, 16), true); return;
    case 0xec: lanes(dv, db, 1, (a, b) => satS(a + b, 8), true); return;
    case 0xed: lanes(dv, db, 2, (a, b) => satS(a + b, 16), true); return;
    case 0xda: lanes(dv, db, 1, (a, b) => Math.min(a, b)); return;
    case 0xde: lanes(dv, db, 1, (a, b) => Math.max(a, b)); return;
    case 0xea: lanes(dv, db, 2, (a, b) => Math.min(a, b), true); return;
    case 0xee: lanes(dv, db, 2, (a, b) => Math.max(a, b), true); return;
    case 0xe0: lanes(dv, db, 1, (a, b) => (a + b + 1) >> 1); return;
    case 0xe3: lanes(dv, db, 2, (a, b) => (a + b + 1) >> 1); return;
    case 0xdb: lanes(dv, db, 4, (a, b) => a & b); return;
    case 0xdf: lanes(dv, db, 4, (a, b) => ~a & b); return;
    case 0xeb: lanes(dv, db, 4, (a, b) => a | b); return;
    case 0xef: lanes(dv, db, 4, (a, b) => a ^ b); return;
    case 0xf8: lanes(dv, db, 1, (a, b) => a - b); return;
    case 0xf9: lanes(dv, db, 2, (a, b) => a - b); return;
    case 0xfa: lanes(dv, db, 4, (a, b) => a - b); return;
    case 0xfc: lanes(dv, db, 1, (a, b) => a + b); return;
    case 0xfd: lanes(dv, db, 2, (a, b) => a + b); return;
    case 0xfe: lanes(dv, db, 4, (a, b) => a + b); return;
  }
  c.illegal();
}

void TWO32;
