/**
 * MIPS32r2 CP1 (FPU) execution: register moves (mfc1/mtc1/mfhc1/mthc1,
 * cfc1/ctc1), arithmetic, compares and conversions of COP1 (.s .d .w .l) and
 * the COP1X multiply-adds. Branches and FP loads/stores live in core.ts.
 *
 * Semantics (MIPS32 Vol. II, "FPU instructions"; FCSR in Vol. I):
 *  - Rounding mode FCSR.RM: 0 nearest, 1 toward zero, 2 toward +inf, 3 toward -inf.
 *  - Each arithmetic op replaces FCSR.Cause with the IEEE exceptions it
 *    raised; if a raised exception is enabled the op writes nothing and the
 *    core delivers SIGFPE (code by Linux's do_fpe priority V, Z, O, U, I);
 *    otherwise the cause bits are ORed into FCSR.Flags.
 *  - Cases real hardware hands to the kernel's FPU emulator (Unimplemented
 *    Operation: denormals, invalid conversions...) just produce the IEEE /
 *    emulator result: float->int invalid gives 0x7fffffff (legacy NaN mode),
 *    or NaN -> 0 and saturation by sign (NaN2008 mode).
 *  - madd/msub/nmadd/nmsub are NOT fused on MIPS32r2: product rounded, then
 *    sum rounded; nmadd/nmsub negate a non-NaN result.
 *  - NaN results: legacy mode always gives the default NaN (qemu's behaviour);
 *    NaN2008 mode propagates the first NaN operand, quieted.
 *  - abs/neg/mov are non-arithmetic (sign bit only), as in qemu and ABS2008.
 *  - FS (flush to zero) is stored but ignored.
 *  - 64-bit integer formats (.l) and mfhc1/mthc1 pairs follow the FR mode;
 *    .l operations in FR=0 are reserved instructions (as qemu does).
 */
import type { MipsState } from './state.js';
import {
  fpStatus, setNanPolicy, MIPS_LEGACY_NAN_POLICY, RNE, RTZ, RDN, RUP, FLAG_NV, type NanPolicy,
  f64_add, f64_sub, f64_mul, f64_div, f64_sqrt,
  f32_add, f32_sub, f32_mul, f32_div, f32_sqrt,
  f64ToInt, f32ToInt, intOut, intToF64, intToF32, f64ToF32, f32ToF64, INT_W, INT_L,
  isNaN32, isSNaN32, isSNaN64, hiOf, loOf,
} from '../softfloat/index.js';

/**
 * Legacy NaN mode: a set quiet bit means signaling, and every NaN result is
 * the default NaN (0x7fbfffff / 0x7ff7ffff_ffffffff), QNaN operands included
 * (as qemu does: default-NaN mode whenever NAN2008 is clear).
 */
export const MIPS_LEGACY_POLICY: NanPolicy = { ...MIPS_LEGACY_NAN_POLICY, canonical: true };

/** NaN2008 mode: IEEE 754-2008 encoding, the first NaN operand propagates (quieted). */
export const MIPS_2008_NAN_POLICY: NanPolicy = {
  canonical: false, snanQuietBitSet: false,
  default32: 0x7fc00000, default64Hi: 0x7ff80000, default64Lo: 0,
};

/** FCSR.RM -> softfloat rounding mode; also round/trunc/ceil/floor by funct & 3. */
const RM = [RNE, RTZ, RUP, RDN];

/** execCop1 results. */
export const FPU_OK = 0;
export const FPU_RI = 1;
export const FPU_FPE = 2;

/** si_code of the last FPU_FPE result. */
export let fpeCode = 'FPE_FLTINV';

const FIR_BASE = (1 << 22) | (1 << 21) | (1 << 20) | (1 << 17) | (1 << 16) | (0x93 << 8);
const FCSR_WMASK = 0xff83ffff | 0;

export function firValue(s: MipsState): number {
  return FIR_BASE | (s.nan2008 ? 1 << 23 : 0);
}

/** Condition code cc of FCSR (0..7). */
export function fcc(s: MipsState, cc: number): number {
  return (s.fcsr >>> (cc === 0 ? 23 : 24 + cc)) & 1;
}
function setFcc(s: MipsState, cc: number, v: boolean): void {
  const bit = cc === 0 ? 1 << 23 : 1 << (24 + cc);
  s.fcsr = v ? s.fcsr | bit : s.fcsr & ~bit;
}

function fpeFrom(cause: number): string {
  if (cause & 16) return 'FPE_FLTINV';
  if (cause & 8) return 'FPE_FLTDIV';
  if (cause & 4) return 'FPE_FLTOVF';
  if (cause & 2) return 'FPE_FLTUND';
  return 'FPE_FLTRES';
}

/** Writes FCSR from a ctc1 value; returns FPU_FPE if an enabled cause is set. */
function writeFcsr(s: MipsState, v: number): number {
  s.fcsr = (v & FCSR_WMASK) | (s.nan2008 ? 3 << 18 : 0);
  const cause = (s.fcsr >>> 12) & 63;
  const en = ((s.fcsr >>> 7) & 31) | 32;
  if (cause & en) { fpeCode = fpeFrom(cause & en); return FPU_FPE; }
  return FPU_OK;
}

/**
 * Ends an arithmetic op: cause := flags; true when the op may write its
 * result (no enabled exception), false (and fpeCode set) when it traps.
 */
function commit(s: MipsState): boolean {
  const c = fpStatus.flags & 31;
  s.fcsr = (s.fcsr & ~(63 << 12)) | (c << 12);
  const en = (s.fcsr >>> 7) & 31;
  if (c & en) { fpeCode = fpeFrom(c & en); return false; }
  s.fcsr |= c << 2;
  return true;
}

// ---- register access --------------------------------------------------

function rS(s: MipsState, r: number): number { return s.fb[s.fr ? 2 * r : r] >>> 0; }
function wS(s: MipsState, r: number, bits: number): void { s.fb[s.fr ? 2 * r : r] = bits; }
function rD(s: MipsState, r: number): number { return s.fd[s.fr ? r : r >> 1]; }
function wD(s: MipsState, r: number, v: number): void { s.fd[s.fr ? r : r >> 1] = v; }
/** 64-bit integer (.l) operand words into intOut-like pair. */
function rLlo(s: MipsState, r: number): number { return s.fb[2 * r]; }
function rLhi(s: MipsState, r: number): number { return s.fb[2 * r + 1]; }
function wL(s: MipsState, r: number, lo: number, hi: number): void { s.fb[2 * r] = lo; s.fb[2 * r + 1] = hi; }

/** float -> int32/int64 with MIPS invalid results. Leaves [lo, hi] in intOut. */
function toInt(s: MipsState, v: number, isNan: boolean, kind: number, rm: number): void {
  fpStatus.flags = 0;
  f64ToInt(v, kind, rm);
  if ((fpStatus.flags & FLAG_NV) === 0) return;
  if (!s.nan2008) {
    if (kind === INT_W) { intOut[0] = 0x7fffffff; intOut[1] = 0; }
    else { intOut[0] = -1; intOut[1] = 0x7fffffff; }
  } else if (isNan) { intOut[0] = 0; intOut[1] = 0; }
}

function f32Val(bits: number): number {
  // exact widening for non-NaN; NaN flagged separately by callers
  fpStatus.flags = 0;
  return isNaN32(bits) ? NaN : f32ToF64(bits);
}

/**
 * Executes the COP1 / COP1X (arithmetic) instruction `insn`. `gpr` is the
 * GPR file (int32, SINK-safe writes are done by the caller's decode: here rt
 * = 0 is tested explicitly).
 */
export function execCop1(s: MipsState, insn: number): number {
  setNanPolicy(s.nan2008 ? MIPS_2008_NAN_POLICY : MIPS_LEGACY_POLICY);
  const r = s.r;
  const opc = insn >>> 26;
  if (opc === 19) return cop1x(s, insn);
  const fmt = (insn >>> 21) & 31;
  const ft = (insn >>> 16) & 31;
  const fs = (insn >>> 11) & 31;
  const fd = (insn >>> 6) & 31;
  const fn = insn & 63;
  switch (fmt) {
    case 0: // mfc1 rt, fs
      if (ft !== 0) r[ft] = s.fb[s.fr ? 2 * fs : fs];
      return FPU_OK;
    case 4: // mtc1
      s.fb[s.fr ? 2 * fs : fs] = r[ft];
      return FPU_OK;
    case 3: // mfhc1
      if (ft !== 0) r[ft] = s.fb[s.fr ? 2 * fs + 1 : (fs & ~1) + 1];
      return FPU_OK;
    case 7: // mthc1
      s.fb[s.fr ? 2 * fs + 1 : (fs & ~1) + 1] = r[ft];
      return FPU_OK;
    case 2: { // cfc1 rt, fs
      let v: number;
      switch (fs) {
        case 0: v = firValue(s); break;
        case 25: v = ((s.fcsr >>> 24) & 0xfe) | ((s.fcsr >>> 23) & 1); break;
        case 26: v = s.fcsr & 0x0003f07c; break;
        case 28: v = (s.fcsr & 0xf83) | ((s.fcsr >>> 22) & 4); break;
        case 31: v = s.fcsr; break;
        default: return FPU_RI;
      }
      if (ft !== 0) r[ft] = v;
      return FPU_OK;
    }
    case 6: { // ctc1 rt, fs
      const v = r[ft];
      switch (fs) {
        case 25: return writeFcsr(s, (s.fcsr & ~0xfe800000) | ((v & 0xfe) << 24) | ((v & 1) << 23));
        case 26: return writeFcsr(s, (s.fcsr & ~0x0003f07c) | (v & 0x0003f07c));
        case 28: return writeFcsr(s, (s.fcsr & ~0x01000f83) | (v & 0xf83) | ((v & 4) << 22));
        case 31: return writeFcsr(s, v);
        default: return FPU_RI;
      }
    }
    case 16: return fmtS(s, insn, ft, fs, fd, fn);
    case 17:
      if (!s.fr) { // FR=0: doubles live in even/odd pairs; odd double operands are reserved
        const singleDest = fn === 32 || fn === 36 || (fn >= 12 && fn <= 15) || fn >= 48;
        if ((fs & 1) || ((fn <= 3 || fn >= 48) && (ft & 1)) || (!singleDest && (fd & 1))) return FPU_RI;
      }
      return fmtD(s, insn, ft, fs, fd, fn);
    case 20: case 21: { // .w / .l sources
      if (fmt === 21 && !s.fr) return FPU_RI;
      const rm = RM[s.fcsr & 3];
      fpStatus.flags = 0;
      if (fn === 32) { // cvt.s.w / cvt.s.l
        const bits = fmt === 20 ? intToF32(rS(s, fs), 0, INT_W, rm) : intToF32(rLlo(s, fs), rLhi(s, fs), INT_L, rm);
        if (!commit(s)) return FPU_FPE;
        wS(s, fd, bits);
        return FPU_OK;
      }
      if (fn === 33) {
        if (!s.fr && (fd & 1)) return FPU_RI;
        const v = fmt === 20 ? intToF64(s.fb[s.fr ? 2 * fs : fs], 0, INT_W, rm) : intToF64(rLlo(s, fs), rLhi(s, fs), INT_L, rm);
        if (!commit(s)) return FPU_FPE;
        wD(s, fd, v);
        return FPU_OK;
      }
      return FPU_RI;
    }
    default: return FPU_RI;
  }
}

/** Common tail of c.cond.fmt given the operands' NaN-ness and ordering. */
function compare(s: MipsState, cond: number, cc: number, unordered: boolean, snan: boolean, lt: boolean, eq: boolean): number {
  fpStatus.flags = snan || (unordered && (cond & 8) !== 0) ? FLAG_NV : 0;
  const res = unordered ? (cond & 1) !== 0 : ((cond & 4) !== 0 && lt) || ((cond & 2) !== 0 && eq);
  if (!commit(s)) return FPU_FPE;
  setFcc(s, cc, res);
  return FPU_OK;
}

function fmtS(s: MipsState, insn: number, ft: number, fs: number, fd: number, fn: number): number {
  const rm = RM[s.fcsr & 3];
  const a = rS(s, fs);
  if (fn >= 48) {
    const b = rS(s, ft);
    const un = isNaN32(a) || isNaN32(b);
    const va = f32ToNumQuiet(a), vb = f32ToNumQuiet(b);
    return compare(s, fn & 15, (insn >>> 8) & 7, un, isSNaN32(a) || isSNaN32(b), va < vb, va === vb);
  }
  fpStatus.flags = 0;
  let res: number;
  switch (fn) {
    case 0: res = f32_add(a, rS(s, ft), rm); break;
    case 1: res = f32_sub(a, rS(s, ft), rm); break;
    case 2: res = f32_mul(a, rS(s, ft), rm); break;
    case 3: res = f32_div(a, rS(s, ft), rm); break;
    case 4: res = f32_sqrt(a, rm); break;
    case 5: wS(s, fd, a & 0x7fffffff); return FPU_OK;
    case 6: wS(s, fd, a); return FPU_OK;
    case 7: wS(s, fd, a ^ 0x80000000); return FPU_OK;
    case 21: res = f32_div(0x3f800000, a, rm); break; // recip
    case 22: res = f32_div(0x3f800000, f32_sqrt(a, rm), rm); break; // rsqrt
    case 17: if (fcc(s, (insn >>> 18) & 7) === ((insn >>> 16) & 1)) wS(s, fd, a); return FPU_OK;
    case 18: if (s.r[ft] === 0) wS(s, fd, a); return FPU_OK;
    case 19: if (s.r[ft] !== 0) wS(s, fd, a); return FPU_OK;
    case 33: { // cvt.d.s
      if (!s.fr && (fd & 1)) return FPU_RI;
      const v = f32ToF64(a);
      if (!commit(s)) return FPU_FPE;
      wD(s, fd, v);
      return FPU_OK;
    }
    case 8: case 9: case 10: case 11: case 37: // round/trunc/ceil/floor.l.s, cvt.l.s
    case 12: case 13: case 14: case 15: case 36: { // .w.s, cvt.w.s
      const isL = fn < 12 || fn === 37;
      if (isL && !s.fr) return FPU_RI;
      const m = fn >= 36 ? rm : RM[fn & 3];
      const v = f32Val(a);
      toInt(s, v, v !== v, isL ? INT_L : INT_W, m);
      if (v !== v && isSNaN32(a)) fpStatus.flags |= FLAG_NV;
      if (!commit(s)) return FPU_FPE;
      if (isL) wL(s, fd, intOut[0], intOut[1]); else wS(s, fd, intOut[0]);
      return FPU_OK;
    }
    default: return FPU_RI;
  }
  if (!commit(s)) return FPU_FPE;
  wS(s, fd, res);
  return FPU_OK;
}

function fmtD(s: MipsState, insn: number, ft: number, fs: number, fd: number, fn: number): number {
  const rm = RM[s.fcsr & 3];
  const a = rD(s, fs);
  if (fn >= 48) {
    const b = rD(s, ft);
    return compare(s, fn & 15, (insn >>> 8) & 7, a !== a || b !== b, isSNaN64(a) || isSNaN64(b), a < b, a === b);
  }
  fpStatus.flags = 0;
  let res: number;
  switch (fn) {
    case 0: res = f64_add(a, rD(s, ft), rm); break;
    case 1: res = f64_sub(a, rD(s, ft), rm); break;
    case 2: res = f64_mul(a, rD(s, ft), rm); break;
    case 3: res = f64_div(a, rD(s, ft), rm); break;
    case 4: res = f64_sqrt(a, rm); break;
    case 5: case 6: case 7: { // abs / mov / neg: raw bits
      const i = s.fr ? 2 * fs : fs & ~1, o = s.fr ? 2 * fd : fd & ~1;
      const lo = s.fb[i], hi = s.fb[i + 1];
      s.fb[o] = lo;
      s.fb[o + 1] = fn === 5 ? hi & 0x7fffffff : fn === 7 ? hi ^ 0x80000000 : hi;
      return FPU_OK;
    }
    case 21: res = f64_div(1, a, rm); break;
    case 22: res = f64_div(1, f64_sqrt(a, rm), rm); break;
    case 17: if (fcc(s, (insn >>> 18) & 7) === ((insn >>> 16) & 1)) copyD(s, fs, fd); return FPU_OK;
    case 18: if (s.r[ft] === 0) copyD(s, fs, fd); return FPU_OK;
    case 19: if (s.r[ft] !== 0) copyD(s, fs, fd); return FPU_OK;
    case 32: { // cvt.s.d
      const bits = f64ToF32(a, rm);
      if (!commit(s)) return FPU_FPE;
      wS(s, fd, bits);
      return FPU_OK;
    }
    case 8: case 9: case 10: case 11: case 37:
    case 12: case 13: case 14: case 15: case 36: {
      const isL = fn < 12 || fn === 37;
      if (isL && !s.fr) return FPU_RI;
      const m = fn >= 36 ? rm : RM[fn & 3];
      toInt(s, a, a !== a, isL ? INT_L : INT_W, m);
      if (a !== a && isSNaN64(a)) fpStatus.flags |= FLAG_NV;
      if (!commit(s)) return FPU_FPE;
      if (isL) wL(s, fd, intOut[0], intOut[1]); else wS(s, fd, intOut[0]);
      return FPU_OK;
    }
    default: return FPU_RI;
  }
  if (!commit(s)) return FPU_FPE;
  wD(s, fd, res);
  return FPU_OK;
}

function copyD(s: MipsState, fs: number, fd: number): void {
  const i = s.fr ? 2 * fs : fs & ~1, o = s.fr ? 2 * fd : fd & ~1;
  s.fb[o] = s.fb[i];
  s.fb[o + 1] = s.fb[i + 1];
}

/** binary32 bits -> double for comparisons (NaNs compare false anyway). */
const cmpBuf = new Float32Array(1);
const cmpBits = new Uint32Array(cmpBuf.buffer);
function f32ToNumQuiet(bits: number): number { cmpBits[0] = bits; return cmpBuf[0]; }

function cop1x(s: MipsState, insn: number): number {
  const fr = (insn >>> 21) & 31, ft = (insn >>> 16) & 31, fs = (insn >>> 11) & 31, fd = (insn >>> 6) & 31;
  const fn = insn & 63;
  const kind = fn >>> 3; // 4 madd, 5 msub, 6 nmadd, 7 nmsub
  const rm = RM[s.fcsr & 3];
  fpStatus.flags = 0;
  if ((fn & 7) === 0) {
    const p = f32_mul(rS(s, fs), rS(s, ft), rm);
    const c = rS(s, fr);
    let v = kind === 4 || kind === 6 ? f32_add(p, c, rm) : f32_sub(p, c, rm);
    if (kind >= 6 && !isNaN32(v)) v = (v ^ 0x80000000) >>> 0;
    if (!commit(s)) return FPU_FPE;
    wS(s, fd, v);
    return FPU_OK;
  }
  if ((fn & 7) === 1) {
    if (!s.fr && ((fr | fs | ft | fd) & 1)) return FPU_RI;
    const p = f64_mul(rD(s, fs), rD(s, ft), rm);
    const c = rD(s, fr);
    let v = kind === 4 || kind === 6 ? f64_add(p, c, rm) : f64_sub(p, c, rm);
    if (kind >= 6 && v === v) v = -v;
    if (!commit(s)) return FPU_FPE;
    wD(s, fd, v);
    return FPU_OK;
  }
  return FPU_RI;
}

void hiOf; void loOf;
