/**
 * The RV64 tier-0 interpreter loop and the op ids it dispatches on.
 *
 * `Op` is declared here, in the same file as the dispatch `switch`, so that
 * every transpiler (tsc, esbuild/vitest) turns the case labels into integer
 * literals and V8 builds a jump table; an enum imported from another module
 * would become property loads under esbuild and a compare chain (~50x slower).
 * Record format: see ops.ts. This module imports nothing that imports it.
 */
import { StopKind } from '../../plugin/contracts.js';
import type { Rv64Core } from './core.js';
import { mul64, mulh, div64, div32 } from './muldiv.js';
import { execAtomic } from './amo.js';
import { executeFp } from './fpu.js';

const R = 1, W = 2;
/** Hot-table value of a pc that cannot start a translated block (jit.ts NOJIT). */
const NOJIT = -0x40000000;
/**
 * interpret() stopped at a block start that has (or just earned) a
 * translation: Rv64Core.run calls tier 1. Never returned by Rv64Core.run.
 */
export const JIT_ENTER = 4 as StopKind;

export const enum Op {
  UNDECODED = 0,
  ILLEGAL,
  NOP,
  LI, // rd = imm2:imm (LUI, AUIPC, C.LI, C.LUI)
  JAL, // rd = pc+len, pc = imm
  JALR,
  BEQ, BNE, BLT, BGE, BLTU, BGEU,
  LB, LH, LW, LD, LBU, LHU, LWU,
  SB, SH, SW, SD,
  ADDI, SLTI, SLTIU, XORI, ORI, ANDI,
  SLLI_S, SLLI_L, SRLI_S, SRLI_L, SRAI_S, SRAI_L, // _S: shamt 1..31, _L: 32..63
  ADD, SUB, SLL, SLT, SLTU, XOR, SRL, SRA, OR, AND,
  ADDIW, SLLIW, SRLIW, SRAIW,
  ADDW, SUBW, SLLW, SRLW, SRAW,
  MUL, MULH, MULHSU, MULHU, DIV, DIVU, REM, REMU,
  MULW, DIVW, DIVUW, REMW, REMUW,
  FENCE_I, ECALL, EBREAK,
  CSR, // imm = csr number, rs2 = funct3, imm2 = uimm for the I forms
  ATOMIC, // imm = funct5 | width << 5 (width 0 = W, 1 = D)
  FLW, FLD, FSW, FSD,
  FP_OP, // delegated to fpu.executeFp with imm = raw instruction
  MV, // rd = rs1
  ADDI_Z, // rd = sext(imm) (addi rd, x0, imm)
  SEXT_W, // addiw rd, rs, 0
}

/** Effective address rs1 + imm as an uint32, or -1 when the 64-bit value is >= 2^32 or negative. */
function ea(r: Int32Array, rs1: number, imm: number): number {
  const alo = r[rs1];
  const lo = (alo + imm) | 0;
  const hi = r[rs1 + 1] + (imm >> 31) + ((lo >>> 0) < (alo >>> 0) ? 1 : 0);
  return hi === 0 ? lo >>> 0 : -1;
}

/** True when the `size`-byte access at `a` (from ea) is allowed for `bit`. */
function ok(perms: Uint8Array, a: number, size: number, bit: number): boolean {
  return a >= 0 && (perms[a >>> 12] & bit) !== 0 && ((a & 4095) <= 4096 - size || (perms[(a >>> 12) + 1] & bit) !== 0);
}

/**
 * Runs `m` for at most `budget` instructions (Rv64Core.run). With tier 1 on
 * (m.jit), counts entries at block starts (the instruction after a branch or
 * jump) and returns JIT_ENTER at one that is translated or has become hot.
 * The first instruction is never such a check: run() just did it.
 */
export function interpret(m: Rv64Core, budget: number): StopKind {
  const s = m.s, r = m.r, fb = m.fb;
  const perms = m.mem.perms;
  const u8 = m.u8, i8 = m.i8, u16 = m.u16, i16 = m.i16, i32 = m.i32, dv = m.dv;
  const res = m.tmp;
  let pc = s.pc >>> 0;
  let n = 0;
  let code: Int32Array = m.tmp;
  let page = -1;
  const jit = m.jit;
  const hotMax = jit === null ? 0 : 1 - jit.threshold; // entry count that asks for translation
  let hot: Int32Array | null = null;
  let bs = false; // at a block start
  m.fault = null;
  for (;;) {
    if (n >= budget) {
      s.pc = pc; m.instret += n;
      return StopKind.Budget;
    }
    if ((pc >>> 12) !== page) {
      page = pc >>> 12;
      let t = m.l1[page >>> 10];
      let c = t === undefined ? undefined : t[page & 1023];
      if (c === undefined) {
        const np = m.codePage(page);
        if (np === null) {
          m.fetchFault(pc, pc);
          s.pc = pc; m.instret += n;
          return StopKind.Fault;
        }
        c = np;
      }
      code = c;
      if (jit !== null) hot = jit.hotPage(page);
    }
    if (bs) {
      bs = false;
      if (hot !== null) {
        const hi = (pc & 4095) >>> 1;
        const h = hot[hi];
        if (h > 0 || (h > NOJIT && h <= hotMax)) { s.pc = pc; m.instret += n; return JIT_ENTER; }
        if (h > NOJIT) hot[hi] = h - 1;
      }
    }
    const i = (pc & 4095) << 1;
    let op = code[i];
    if (op === Op.UNDECODED) {
      op = m.decodeAt(code, i, pc);
      if (op < 0) { s.pc = pc; m.instret += n; return StopKind.Fault; }
    }
    const f = code[i + 1];
    const rd = f & 255, rs1 = (f >>> 8) & 255, rs2 = (f >>> 16) & 255;
    const imm = code[i + 2];
    const next = pc + (f >>> 24);
    n++;
    switch (op) {
      case Op.NOP: pc = next; break;
      case Op.LI: r[rd] = imm; r[rd + 1] = code[i + 3]; pc = next; break;
      case Op.ADDI_Z: r[rd] = imm; r[rd + 1] = imm >> 31; pc = next; break;
      case Op.MV: r[rd] = r[rs1]; r[rd + 1] = r[rs1 + 1]; pc = next; break;
      case Op.JAL: r[rd] = code[i + 3]; r[rd + 1] = 0; pc = imm >>> 0; bs = true; break;
      case Op.JALR: {
        const t = ea(r, rs1, imm);
        if (t < 0) { // target >= 2^32: reported as a fault of the jump itself (rd not written)
          const full = r[rs1 + 1] * 4294967296 + (r[rs1] >>> 0) + imm;
          m.setFault('SIGSEGV', 'SEGV_MAPERR', full, pc);
          s.pc = pc; m.instret += n - 1;
          return StopKind.Fault;
        }
        r[rd] = next; r[rd + 1] = 0;
        pc = t - (t & 1);
        bs = true;
        break;
      }
      case Op.BEQ: pc = r[rs1] === r[rs2] && r[rs1 + 1] === r[rs2 + 1] ? imm >>> 0 : next; bs = true; break;
      case Op.BNE: pc = r[rs1] !== r[rs2] || r[rs1 + 1] !== r[rs2 + 1] ? imm >>> 0 : next; bs = true; break;
      case Op.BLT: {
        const ah = r[rs1 + 1], bh = r[rs2 + 1];
        pc = ah < bh || (ah === bh && (r[rs1] >>> 0) < (r[rs2] >>> 0)) ? imm >>> 0 : next;
        bs = true;
        break;
      }
      case Op.BGE: {
        const ah = r[rs1 + 1], bh = r[rs2 + 1];
        pc = ah < bh || (ah === bh && (r[rs1] >>> 0) < (r[rs2] >>> 0)) ? next : imm >>> 0;
        bs = true;
        break;
      }
      case Op.BLTU: {
        const ah = r[rs1 + 1] >>> 0, bh = r[rs2 + 1] >>> 0;
        pc = ah < bh || (ah === bh && (r[rs1] >>> 0) < (r[rs2] >>> 0)) ? imm >>> 0 : next;
        bs = true;
        break;
      }
      case Op.BGEU: {
        const ah = r[rs1 + 1] >>> 0, bh = r[rs2 + 1] >>> 0;
        pc = ah < bh || (ah === bh && (r[rs1] >>> 0) < (r[rs2] >>> 0)) ? next : imm >>> 0;
        bs = true;
        break;
      }

      // ---------------------------------------------------------- loads
      case Op.LB: case Op.LBU: {
        const a = ea(r, rs1, imm);
        if (!ok(perms, a, 1, R)) { m.memFault(a, rs1, imm, 1, R, pc); s.pc = pc; m.instret += n - 1; return StopKind.Fault; }
        const v = op === Op.LB ? i8[a] : u8[a];
        r[rd] = v; r[rd + 1] = v >> 31; pc = next; break;
      }
      case Op.LH: case Op.LHU: {
        const a = ea(r, rs1, imm);
        if (!ok(perms, a, 2, R)) { m.memFault(a, rs1, imm, 2, R, pc); s.pc = pc; m.instret += n - 1; return StopKind.Fault; }
        let v: number;
        if (op === Op.LH) v = (a & 1) === 0 ? i16[a >>> 1] : dv.getInt16(a, true);
        else v = (a & 1) === 0 ? u16[a >>> 1] : dv.getUint16(a, true);
        r[rd] = v; r[rd + 1] = v >> 31; pc = next; break;
      }
      case Op.LW: case Op.LWU: {
        const a = ea(r, rs1, imm);
        if (!ok(perms, a, 4, R)) { m.memFault(a, rs1, imm, 4, R, pc); s.pc = pc; m.instret += n - 1; return StopKind.Fault; }
        const v = (a & 3) === 0 ? i32[a >>> 2] : dv.getInt32(a, true);
        r[rd] = v; r[rd + 1] = op === Op.LW ? v >> 31 : 0; pc = next; break;
      }
      case Op.LD: {
        const a = ea(r, rs1, imm);
        if (!ok(perms, a, 8, R)) { m.memFault(a, rs1, imm, 8, R, pc); s.pc = pc; m.instret += n - 1; return StopKind.Fault; }
        if ((a & 3) === 0) { r[rd] = i32[a >>> 2]; r[rd + 1] = i32[(a >>> 2) + 1]; }
        else { r[rd] = dv.getInt32(a, true); r[rd + 1] = dv.getInt32(a + 4, true); }
        pc = next; break;
      }

      // --------------------------------------------------------- stores
      case Op.SB: {
        const a = ea(r, rs1, imm);
        if (!ok(perms, a, 1, W)) { m.memFault(a, rs1, imm, 1, W, pc); s.pc = pc; m.instret += n - 1; return StopKind.Fault; }
        u8[a] = r[rs2]; pc = next; break;
      }
      case Op.SH: {
        const a = ea(r, rs1, imm);
        if (!ok(perms, a, 2, W)) { m.memFault(a, rs1, imm, 2, W, pc); s.pc = pc; m.instret += n - 1; return StopKind.Fault; }
        if ((a & 1) === 0) u16[a >>> 1] = r[rs2]; else dv.setInt16(a, r[rs2], true);
        pc = next; break;
      }
      case Op.SW: {
        const a = ea(r, rs1, imm);
        if (!ok(perms, a, 4, W)) { m.memFault(a, rs1, imm, 4, W, pc); s.pc = pc; m.instret += n - 1; return StopKind.Fault; }
        if ((a & 3) === 0) i32[a >>> 2] = r[rs2]; else dv.setInt32(a, r[rs2], true);
        pc = next; break;
      }
      case Op.SD: {
        const a = ea(r, rs1, imm);
        if (!ok(perms, a, 8, W)) { m.memFault(a, rs1, imm, 8, W, pc); s.pc = pc; m.instret += n - 1; return StopKind.Fault; }
        if ((a & 3) === 0) { i32[a >>> 2] = r[rs2]; i32[(a >>> 2) + 1] = r[rs2 + 1]; }
        else { dv.setInt32(a, r[rs2], true); dv.setInt32(a + 4, r[rs2 + 1], true); }
        pc = next; break;
      }

      // ------------------------------------------------------- OP-IMM
      case Op.ADDI: {
        const alo = r[rs1];
        const lo = (alo + imm) | 0;
        r[rd + 1] = (r[rs1 + 1] + (imm >> 31) + ((lo >>> 0) < (alo >>> 0) ? 1 : 0)) | 0;
        r[rd] = lo;
        pc = next; break;
      }
      case Op.SLTI: {
        const ah = r[rs1 + 1], bh = imm >> 31;
        r[rd] = ah < bh || (ah === bh && (r[rs1] >>> 0) < (imm >>> 0)) ? 1 : 0; r[rd + 1] = 0;
        pc = next; break;
      }
      case Op.SLTIU: {
        const ah = r[rs1 + 1] >>> 0, bh = (imm >> 31) >>> 0;
        r[rd] = ah < bh || (ah === bh && (r[rs1] >>> 0) < (imm >>> 0)) ? 1 : 0; r[rd + 1] = 0;
        pc = next; break;
      }
      case Op.XORI: r[rd + 1] = r[rs1 + 1] ^ (imm >> 31); r[rd] = r[rs1] ^ imm; pc = next; break;
      case Op.ORI: r[rd + 1] = r[rs1 + 1] | (imm >> 31); r[rd] = r[rs1] | imm; pc = next; break;
      case Op.ANDI: r[rd + 1] = r[rs1 + 1] & (imm >> 31); r[rd] = r[rs1] & imm; pc = next; break;
      case Op.SLLI_S: {
        const alo = r[rs1];
        r[rd + 1] = (r[rs1 + 1] << imm) | (alo >>> (32 - imm)); r[rd] = alo << imm;
        pc = next; break;
      }
      case Op.SLLI_L: r[rd + 1] = r[rs1] << imm; r[rd] = 0; pc = next; break;
      case Op.SRLI_S: {
        const ahi = r[rs1 + 1];
        r[rd] = (r[rs1] >>> imm) | (ahi << (32 - imm)); r[rd + 1] = ahi >>> imm;
        pc = next; break;
      }
      case Op.SRLI_L: r[rd] = r[rs1 + 1] >>> imm; r[rd + 1] = 0; pc = next; break;
      case Op.SRAI_S: {
        const ahi = r[rs1 + 1];
        r[rd] = (r[rs1] >>> imm) | (ahi << (32 - imm)); r[rd + 1] = ahi >> imm;
        pc = next; break;
      }
      case Op.SRAI_L: { const ahi = r[rs1 + 1]; r[rd] = ahi >> imm; r[rd + 1] = ahi >> 31; pc = next; break; }

      // ----------------------------------------------------------- OP
      case Op.ADD: {
        const alo = r[rs1];
        const lo = (alo + r[rs2]) | 0;
        r[rd + 1] = (r[rs1 + 1] + r[rs2 + 1] + ((lo >>> 0) < (alo >>> 0) ? 1 : 0)) | 0;
        r[rd] = lo;
        pc = next; break;
      }
      case Op.SUB: {
        const alo = r[rs1], blo = r[rs2];
        r[rd + 1] = (r[rs1 + 1] - r[rs2 + 1] - ((alo >>> 0) < (blo >>> 0) ? 1 : 0)) | 0;
        r[rd] = (alo - blo) | 0;
        pc = next; break;
      }
      case Op.SLL: {
        const sh = r[rs2] & 63, alo = r[rs1], ahi = r[rs1 + 1];
        if (sh === 0) { r[rd] = alo; r[rd + 1] = ahi; }
        else if (sh < 32) { r[rd + 1] = (ahi << sh) | (alo >>> (32 - sh)); r[rd] = alo << sh; }
        else { r[rd + 1] = alo << (sh - 32); r[rd] = 0; }
        pc = next; break;
      }
      case Op.SRL: case Op.SRA: {
        const sh = r[rs2] & 63, alo = r[rs1], ahi = r[rs1 + 1];
        if (sh === 0) { r[rd] = alo; r[rd + 1] = ahi; }
        else if (sh < 32) {
          r[rd] = (alo >>> sh) | (ahi << (32 - sh));
          r[rd + 1] = op === Op.SRA ? ahi >> sh : ahi >>> sh;
        } else {
          r[rd] = op === Op.SRA ? ahi >> (sh - 32) : ahi >>> (sh - 32);
          r[rd + 1] = op === Op.SRA ? ahi >> 31 : 0;
        }
        pc = next; break;
      }
      case Op.SLT: {
        const ah = r[rs1 + 1], bh = r[rs2 + 1];
        r[rd] = ah < bh || (ah === bh && (r[rs1] >>> 0) < (r[rs2] >>> 0)) ? 1 : 0; r[rd + 1] = 0;
        pc = next; break;
      }
      case Op.SLTU: {
        const ah = r[rs1 + 1] >>> 0, bh = r[rs2 + 1] >>> 0;
        r[rd] = ah < bh || (ah === bh && (r[rs1] >>> 0) < (r[rs2] >>> 0)) ? 1 : 0; r[rd + 1] = 0;
        pc = next; break;
      }
      case Op.XOR: r[rd + 1] = r[rs1 + 1] ^ r[rs2 + 1]; r[rd] = r[rs1] ^ r[rs2]; pc = next; break;
      case Op.OR: r[rd + 1] = r[rs1 + 1] | r[rs2 + 1]; r[rd] = r[rs1] | r[rs2]; pc = next; break;
      case Op.AND: r[rd + 1] = r[rs1 + 1] & r[rs2 + 1]; r[rd] = r[rs1] & r[rs2]; pc = next; break;

      // ---------------------------------------------------- 32-bit ops
      case Op.ADDIW: { const v = (r[rs1] + imm) | 0; r[rd] = v; r[rd + 1] = v >> 31; pc = next; break; }
      case Op.SEXT_W: { const v = r[rs1]; r[rd] = v; r[rd + 1] = v >> 31; pc = next; break; }
      case Op.SLLIW: { const v = r[rs1] << imm; r[rd] = v; r[rd + 1] = v >> 31; pc = next; break; }
      case Op.SRLIW: { const v = (r[rs1] >>> imm) | 0; r[rd] = v; r[rd + 1] = v >> 31; pc = next; break; }
      case Op.SRAIW: { const v = r[rs1] >> imm; r[rd] = v; r[rd + 1] = v >> 31; pc = next; break; }
      case Op.ADDW: { const v = (r[rs1] + r[rs2]) | 0; r[rd] = v; r[rd + 1] = v >> 31; pc = next; break; }
      case Op.SUBW: { const v = (r[rs1] - r[rs2]) | 0; r[rd] = v; r[rd + 1] = v >> 31; pc = next; break; }
      case Op.SLLW: { const v = r[rs1] << (r[rs2] & 31); r[rd] = v; r[rd + 1] = v >> 31; pc = next; break; }
      case Op.SRLW: { const v = (r[rs1] >>> (r[rs2] & 31)) | 0; r[rd] = v; r[rd + 1] = v >> 31; pc = next; break; }
      case Op.SRAW: { const v = r[rs1] >> (r[rs2] & 31); r[rd] = v; r[rd + 1] = v >> 31; pc = next; break; }
      case Op.MULW: { const v = Math.imul(r[rs1], r[rs2]); r[rd] = v; r[rd + 1] = v >> 31; pc = next; break; }
      case Op.DIVW: case Op.DIVUW: case Op.REMW: case Op.REMUW: {
        const v = div32(op - Op.DIVW, r[rs1], r[rs2]);
        r[rd] = v; r[rd + 1] = v >> 31; pc = next; break;
      }

      // ------------------------------------------------------------ M
      case Op.MUL:
        mul64(res, r[rs1], r[rs1 + 1], r[rs2], r[rs2 + 1]);
        r[rd] = res[0]; r[rd + 1] = res[1]; pc = next; break;
      case Op.MULH: case Op.MULHSU: case Op.MULHU:
        mulh(res, op - Op.MULH, r[rs1], r[rs1 + 1], r[rs2], r[rs2 + 1]);
        r[rd] = res[0]; r[rd + 1] = res[1]; pc = next; break;
      case Op.DIV: case Op.DIVU: case Op.REM: case Op.REMU:
        div64(res, op - Op.DIV, r[rs1], r[rs1 + 1], r[rs2], r[rs2 + 1]);
        r[rd] = res[0]; r[rd + 1] = res[1]; pc = next; break;

      // ------------------------------------------------------- system
      case Op.ECALL:
        s.pc = pc; m.instret += n; s.reservation = -1;
        return StopKind.Syscall;
      case Op.EBREAK:
        m.setFault('SIGTRAP', 'TRAP_BRKPT', pc, pc);
        s.pc = pc; m.instret += n - 1;
        return StopKind.Breakpoint;
      case Op.FENCE_I:
        m.flushAll();
        page = -1;
        pc = next; break;
      case Op.CSR:
        if (!m.csr(rd, rs1, rs2, imm & 0xfff, code[i + 3], m.instret + n - 1)) {
          m.setFault('SIGILL', 'ILL_ILLOPC', pc, pc);
          s.pc = pc; m.instret += n - 1;
          return StopKind.Fault;
        }
        pc = next; break;
      case Op.ATOMIC: {
        const dbl = imm >= 32;
        const a = ea(r, rs1, 0);
        const size = dbl ? 8 : 4;
        if (a >= 0 && (a & (size - 1)) !== 0) {
          m.setFault('SIGBUS', 'BUS_ADRALN', a, pc);
          s.pc = pc; m.instret += n - 1;
          return StopKind.Fault;
        }
        const need = (imm & 31) === 0x02 ? R : (imm & 31) === 0x03 ? W : R | W;
        if (!ok(perms, a, size, need) || (need === (R | W) && (perms[a >>> 12] & W) === 0)) {
          m.memFault(a, rs1, 0, size, (perms[a >>> 12] & R) === 0 ? R : W, pc);
          s.pc = pc; m.instret += n - 1;
          return StopKind.Fault;
        }
        execAtomic(s, r, i32, imm & 31, dbl, a, rd, rs2);
        pc = next; break;
      }

      // ----------------------------------------------------- FP memory
      case Op.FLW: {
        const a = ea(r, rs1, imm);
        if (!ok(perms, a, 4, R)) { m.memFault(a, rs1, imm, 4, R, pc); s.pc = pc; m.instret += n - 1; return StopKind.Fault; }
        fb[rd] = (a & 3) === 0 ? i32[a >>> 2] : dv.getInt32(a, true); fb[rd + 1] = -1;
        pc = next; break;
      }
      case Op.FLD: {
        const a = ea(r, rs1, imm);
        if (!ok(perms, a, 8, R)) { m.memFault(a, rs1, imm, 8, R, pc); s.pc = pc; m.instret += n - 1; return StopKind.Fault; }
        if ((a & 3) === 0) { fb[rd] = i32[a >>> 2]; fb[rd + 1] = i32[(a >>> 2) + 1]; }
        else { fb[rd] = dv.getInt32(a, true); fb[rd + 1] = dv.getInt32(a + 4, true); }
        pc = next; break;
      }
      case Op.FSW: {
        const a = ea(r, rs1, imm);
        if (!ok(perms, a, 4, W)) { m.memFault(a, rs1, imm, 4, W, pc); s.pc = pc; m.instret += n - 1; return StopKind.Fault; }
        if ((a & 3) === 0) i32[a >>> 2] = fb[rs2]; else dv.setInt32(a, fb[rs2], true);
        pc = next; break;
      }
      case Op.FSD: {
        const a = ea(r, rs1, imm);
        if (!ok(perms, a, 8, W)) { m.memFault(a, rs1, imm, 8, W, pc); s.pc = pc; m.instret += n - 1; return StopKind.Fault; }
        if ((a & 3) === 0) { i32[a >>> 2] = fb[rs2]; i32[(a >>> 2) + 1] = fb[rs2 + 1]; }
        else { dv.setInt32(a, fb[rs2], true); dv.setInt32(a + 4, fb[rs2 + 1], true); }
        pc = next; break;
      }
      case Op.FP_OP:
        if (!executeFp(s, imm)) {
          m.setFault('SIGILL', 'ILL_ILLOPC', pc, pc);
          s.pc = pc; m.instret += n - 1;
          return StopKind.Fault;
        }
        pc = next; break;

      default: // Op.ILLEGAL
        m.setFault('SIGILL', 'ILL_ILLOPC', pc, pc);
        s.pc = pc; m.instret += n - 1;
        return StopKind.Fault;
    }
  }
}
