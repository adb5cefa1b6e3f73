/**
 * RV64 tier-1 translator: turns a region of decoded basic blocks (records of
 * ops.ts) into one WebAssembly module over the guest's own memory.
 *
 * Generated module (one per region):
 *   imports  e.m  the guest's shared 4 GiB memory (registers at slot*1024)
 *            e.fp (insn) -> i32, fpu.executeFp on this core's state
 *   export   run(blk, budget) -> status
 *
 * run() loads every x register the region uses into an i64 local, then runs a
 * `loop { br_table }` state machine whose cases are the region's blocks, so a
 * branch to a block of the same region never leaves wasm. Every block entry
 * first charges its instruction count against `budget` (exit with status 2
 * when it does not fit). Any other exit writes the registers the region
 * writes back to the slot, stores the next pc and the retired count at
 * JIT_PC_OFFSET / JIT_N_OFFSET, and returns a status:
 *   0  continue at pc (a block end whose target lies outside the region)
 *   1  the instruction at pc must run in the interpreter (a data access that
 *      failed its permission check or crosses a page, a jalr target >= 2^32,
 *      an FP op executeFp refused): it raises the precise fault or does the
 *      slow case; everything before it has retired and is written back
 *   2  budget: the block at pc did not fit into the remaining budget
 *
 * Memory accesses: the 64-bit address must be below 2^32 and the page's byte
 * in the permission table (PERMS_BASE) must carry R or W; accesses that cross
 * a page go to the interpreter (status 1). Then a plain wasm load/store.
 */
import { FuncBody, ModuleBuilder, O, T } from '../wasm/emitter.js';
import { PERMS_BASE, PROT_READ, PROT_WRITE } from '../../memory/address-space.js';
import { Op } from './interp.js';
import { X_SINK } from './ops.js';
import { F_OFFSET, FFLAGS_OFFSET, FFLAG_NX, FRM_OFFSET, JIT_N_OFFSET, JIT_PC_OFFSET, SLOT_SIZE } from './state.js';

/** One decoded instruction of a block. */
export interface Insn {
  pc: number;
  op: number;
  rd: number;
  rs1: number;
  rs2: number;
  len: number;
  imm: number;
  imm2: number;
}

/** A straight-line run of translatable instructions. */
export interface Block {
  pc: number;
  insns: Insn[];
  /** pc after the last instruction (fall-through successor). */
  end: number;
  /** Direct successors (branch/jal targets and fall-through), if any. */
  succ: number[];
}

/** Where translate() gets its decoded records: the page array, or null when the page is not executable. */
export interface CodeSource {
  codePage(page: number): Int32Array | null;
  /** Guest memory as halfwords (instruction parcels). */
  readonly u16: Uint16Array;
  /** Decodes record i of `code` for pc; returns the op or -1 on a fetch fault. */
  decodeAt(code: Int32Array, i: number, pc: number): number;
}

export const MAX_BLOCK_INSNS = 128;

/** Ops a block may contain; the rest end the block before them. */
function translatable(op: number): boolean {
  switch (op) {
    case Op.UNDECODED: case Op.ILLEGAL: case Op.FENCE_I: case Op.ECALL: case Op.EBREAK:
    case Op.CSR: case Op.ATOMIC:
      return false;
    default:
      return true;
  }
}

function isBranch(op: number): boolean {
  return op >= Op.BEQ && op <= Op.BGEU;
}

/** Scans the block starting at pc; null when its first instruction cannot be translated. */
export function scanBlock(src: CodeSource, pc: number): Block | null {
  const start = pc;
  const page = pc >>> 12;
  const code = src.codePage(page);
  if (code === null) return null;
  const insns: Insn[] = [];
  const succ: number[] = [];
  for (;;) {
    const i = (pc & 4095) << 1;
    let op = code[i];
    if (op === Op.UNDECODED) {
      // a 32-bit instruction straddling into the next page is left to the interpreter
      if ((pc & 4095) === 4094 && (src.u16[pc >>> 1] & 3) === 3) break;
      op = src.decodeAt(code, i, pc);
      if (op < 0) break;
    }
    const f = code[i + 1];
    const len = f >>> 24;
    if ((pc & 4095) + len > 4096) break;
    if (!translatable(op)) break;
    insns.push({ pc, op, rd: f & 255, rs1: (f >>> 8) & 255, rs2: (f >>> 16) & 255, len, imm: code[i + 2], imm2: code[i + 3] });
    pc += len;
    if (isBranch(op)) { succ.push(code[i + 2] >>> 0, pc); break; }
    if (op === Op.JAL) { succ.push(code[i + 2] >>> 0); break; }
    if (op === Op.JALR) break;
    if (insns.length >= MAX_BLOCK_INSNS || (pc & 4095) === 0) { succ.push(pc); break; }
  }
  if (insns.length === 0) return null;
  const last = insns[insns.length - 1].op;
  if (!isBranch(last) && last !== Op.JAL && last !== Op.JALR && succ.length === 0) succ.push(pc);
  return { pc: start, insns, end: pc, succ };
}

const ST_NEXT = 0, ST_INTERP = 1, ST_BUDGET = 2;

/** The translation of a region: wasm bytes plus the entry pcs in block order. */
export interface Translation {
  bytes: Uint8Array<ArrayBuffer>;
  pcs: number[];
  insns: number;
}

/** Builds the module for `blocks` (blocks[k] is entered with blk = k). */
export function translateRegion(blocks: Block[], slot: number): Translation {
  const base = slot * SLOT_SIZE;
  const mb = new ModuleBuilder();
  mb.importMemory('e', 'm', 65536, 65536, true);
  const fFp = mb.importFunc('e', 'fp', [T.i32], [T.i32]);
  const fRun = mb.func([T.i32, T.i32], [T.i32]);
  const fMulhu = mb.func([T.i64, T.i64], [T.i64]);
  const fMulh = mb.func([T.i64, T.i64], [T.i64]);
  const fMulhsu = mb.func([T.i64, T.i64], [T.i64]);
  const fDiv64 = [mb.func([T.i64, T.i64], [T.i64]), mb.func([T.i64, T.i64], [T.i64]), mb.func([T.i64, T.i64], [T.i64]), mb.func([T.i64, T.i64], [T.i64])];
  const fDiv32 = [mb.func([T.i32, T.i32], [T.i32]), mb.func([T.i32, T.i32], [T.i32]), mb.func([T.i32, T.i32], [T.i32]), mb.func([T.i32, T.i32], [T.i32])];
  mb.export('run', fRun);
  mb.define(fMulhu, mulhuBody());
  mb.define(fMulh, mulhBody(fMulhu, true));
  mb.define(fMulhsu, mulhBody(fMulhu, false));
  for (let k = 0; k < 4; k++) {
    mb.define(fDiv64[k], divBody(k, true));
    mb.define(fDiv32[k], divBody(k, false));
  }

  const E = new FuncBody(2);
  const P_BLK = 0, P_BUDGET = 1;
  const lN = E.local(T.i32), lPc = E.local(T.i32), lSt = E.local(T.i32), lA = E.local(T.i32);
  const lT = E.local(T.i64);
  const lF = E.local(T.f64), lF2 = E.local(T.f64);
  // register locals: x1..x31 that the region touches
  const xl = new Int32Array(32).fill(-1);
  const written = new Uint8Array(32);
  const use = (idx: number): void => {
    if (idx === X_SINK) return;
    const r = idx >> 1;
    if (r !== 0 && xl[r] < 0) xl[r] = E.local(T.i64);
  };
  const fpXRegs = (raw: number): [number, number] => [((raw >>> 15) & 31) << 1, ((raw >>> 7) & 31) << 1];
  let insnCount = 0;
  for (const b of blocks) {
    for (const n of b.insns) {
      insnCount++;
      switch (n.op) {
        case Op.FLW: case Op.FLD: case Op.FSW: case Op.FSD: use(n.rs1); break;
        case Op.FP_OP: { const [a, d] = fpXRegs(n.imm); use(a); use(d); if (d !== 0) written[d >> 1] = 1; break; }
        case Op.SB: case Op.SH: case Op.SW: case Op.SD:
        case Op.BEQ: case Op.BNE: case Op.BLT: case Op.BGE: case Op.BLTU: case Op.BGEU:
          use(n.rs1); use(n.rs2); break;
        default:
          use(n.rs1); use(n.rs2); use(n.rd);
          if (n.rd !== X_SINK && n.rd !== 0) written[n.rd >> 1] = 1;
      }
    }
  }
  const index = new Map<number, number>();
  blocks.forEach((b, k) => index.set(b.pc, k));
  // return sites: blocks that follow a call, tried inline by jalr
  const returnSites: number[] = [];
  for (const b of blocks) {
    const last = b.insns[b.insns.length - 1];
    if ((last.op === Op.JAL || last.op === Op.JALR) && last.rd !== X_SINK && index.has(b.end) && !returnSites.includes(b.end)) returnSites.push(b.end);
  }
  returnSites.splice(8);

  // prologue: load registers
  for (let r = 1; r < 32; r++) if (xl[r] >= 0) E.i32(0).mem(O.i64_load, 3, base + 8 * r).set(xl[r]);

  const K = blocks.length;
  E.block(); // $done
  E.loop(); // $L
  for (let k = K - 1; k >= 0; k--) E.block();
  E.get(P_BLK).brTable(blocks.map((_, k) => k), K + 1);
  let depth = 0; // extra nesting inside a block's code
  let curK = 0;
  const dL = (): number => K - 1 - curK + depth;
  const dDone = (): number => K - curK + depth;

  const getX = (idx: number): void => {
    const r = idx >> 1;
    if (r === 0 || idx === X_SINK) E.i64s(0);
    else E.get(xl[r]);
  };
  const setX = (idx: number): void => {
    if (idx === X_SINK || idx === 0) E.op(O.drop);
    else E.set(xl[idx >> 1]);
  };
  /** Exit to the dispatcher: pc, retired-count correction, status. */
  const exit = (pc: number, undo: number, st: number): void => {
    E.i32(pc | 0).set(lPc);
    if (undo !== 0) E.get(lN).i32(undo).op(O.i32_sub).set(lN);
    E.i32(st).set(lSt).br(dDone());
  };
  const goto = (target: number): void => {
    const k = index.get(target >>> 0);
    if (k !== undefined) E.i32(k).set(P_BLK).br(dL());
    else exit(target, 0, ST_NEXT);
  };
  /**
   * Leaves the checked address of rs1+imm in lA; exits (status 1) when the
   * address is >= 2^32, the page lacks `bit`, or the access crosses a page.
   */
  const addr = (n: Insn, size: number, bit: number, undo: number): void => {
    getX(n.rs1);
    if (n.imm !== 0) E.i64s(n.imm).op(O.i64_add);
    E.tee(lT).i64s(32).op(O.i64_shr_u).op(O.i64_eqz).op(O.i32_eqz);
    E.get(lT).op(O.i32_wrap_i64).tee(lA).i32(12).op(O.i32_shr_u).mem(O.i32_load8_u, 0, PERMS_BASE).i32(bit).op(O.i32_and).op(O.i32_eqz).op(O.i32_or);
    if (size > 1) E.get(lA).i32(4095).op(O.i32_and).i32(4096 - size).op(O.i32_gt_u).op(O.i32_or);
    E.if(); depth++;
    exit(n.pc, undo, ST_INTERP);
    depth--; E.end();
  };
  const bin = (n: Insn, o: O): void => { getX(n.rs1); getX(n.rs2); E.op(o); setX(n.rd); };
  const imm = (n: Insn, o: O, v: number): void => { getX(n.rs1); E.i64s(v); E.op(o); setX(n.rd); };
  const cmp = (n: Insn, o: O, withImm: boolean): void => {
    getX(n.rs1);
    if (withImm) E.i64s(n.imm); else getX(n.rs2);
    E.op(o).op(O.i64_extend_i32_u); setX(n.rd);
  };
  /** executeFp through the import: x[rs1] may be read, x[rd] written (they live in locals). */
  const slowFp = (n: Insn, undo: number): void => {
    const [xa, xd] = fpXRegs(n.imm);
    for (const x of [xa, xd]) if (x !== 0) E.i32(0).get(xl[x >> 1]).mem(O.i64_store, 3, base + 4 * x);
    E.i32(n.imm).call(fFp).op(O.i32_eqz);
    E.if(); depth++; exit(n.pc, undo, ST_INTERP); depth--; E.end();
    if (xd !== 0) E.i32(0).mem(O.i64_load, 3, base + 4 * xd).set(xl[xd >> 1]);
  };
  const fOff = (r: number): number => base + F_OFFSET + 8 * r;
  const loadF = (r: number): void => { E.i32(0).mem(O.f64_load, 3, fOff(r)); };
  /**
   * Pushes 1 when the rounding mode allows the inline path (rm = 7: frm is
   * checked at run time): round-to-nearest for arithmetic, any valid mode for
   * exact conversions; with needNx, NX must already be accrued (so an inexact
   * result adds no flag). Returns false when rm rules the inline path out.
   */
  const fpGate = (rm: number, exactOnly: boolean, needNx: boolean): boolean => {
    if (rm !== 7 && (exactOnly ? rm > 4 : rm !== 0)) return false;
    let any = false;
    if (needNx) { E.i32(0).mem(O.i32_load, 2, base + FFLAGS_OFFSET).i32(FFLAG_NX).op(O.i32_and); any = true; }
    if (rm === 7) {
      E.i32(0).mem(O.i32_load, 2, base + FRM_OFFSET);
      if (exactOnly) E.i32(5).op(O.i32_lt_u); else E.op(O.i32_eqz);
      if (any) E.op(O.i32_and);
      any = true;
    }
    if (!any) E.i32(1);
    return true;
  };
  /**
   * F/D ops: the common binary64 ones inline (native IEEE arithmetic is exact
   * for round-to-nearest; results that could raise a flag other than an
   * already-accrued NX -- NaN, infinity, tiny, zero from non-zero -- take
   * the executeFp path), everything else through executeFp.
   */
  const fpOp = (n: Insn, undo: number): void => {
    const insn = n.imm;
    const opc = insn & 0x7f, f7 = insn >>> 25, f3 = (insn >>> 12) & 7;
    const rd = (insn >>> 7) & 31, rs1 = (insn >>> 15) & 31, rs2 = (insn >>> 20) & 31;
    if (opc !== 0x53) { slowFp(n, undo); return; }
    switch (f7) {
      case 0x01: case 0x05: case 0x09: case 0x0d: case 0x2d: { // fadd/fsub/fmul/fdiv/fsqrt.d
        if (f7 === 0x2d && rs2 !== 0) break;
        if (!fpGate(f3, false, true)) break;
        E.if(T.i32); depth++;
        loadF(rs1);
        if (f7 !== 0x2d) loadF(rs2);
        E.op(f7 === 0x01 ? O.f64_add : f7 === 0x05 ? O.f64_sub : f7 === 0x09 ? O.f64_mul : f7 === 0x0d ? O.f64_div : O.f64_sqrt);
        E.tee(lF).op(O.f64_abs).f64(2.2250738585072014e-308).op(O.f64_ge);
        E.get(lF).op(O.f64_abs).f64(Infinity).op(O.f64_lt).op(O.i32_and);
        // exact zeros: x - x; a zero factor or dividend
        if (f7 !== 0x2d) {
          E.get(lF).f64(0).op(O.f64_eq);
          if (f7 === 0x09) { loadF(rs1); E.f64(0).op(O.f64_eq); loadF(rs2); E.f64(0).op(O.f64_eq).op(O.i32_or).op(O.i32_and); }
          if (f7 === 0x0d) { loadF(rs1); E.f64(0).op(O.f64_eq).op(O.i32_and); }
          E.op(O.i32_or);
        }
        E.if(T.i32); E.i32(0).get(lF).mem(O.f64_store, 3, fOff(rd)).i32(1); E.else().i32(0).end();
        E.else().i32(0); depth--; E.end();
        E.op(O.i32_eqz).if(); depth++; slowFp(n, undo); depth--; E.end();
        return;
      }
      case 0x11: // fsgnj/fsgnjn/fsgnjx.d: bit operations, never a flag
        if (f3 > 2) break;
        E.i32(0);
        if (f3 === 2) {
          E.i32(0).mem(O.i64_load, 3, fOff(rs1));
          E.i32(0).mem(O.i64_load, 3, fOff(rs2)).i64(0, 0x80000000 | 0).op(O.i64_and).op(O.i64_xor);
        } else {
          E.i32(0).mem(O.i64_load, 3, fOff(rs1)).i64(-1, 0x7fffffff).op(O.i64_and);
          E.i32(0).mem(O.i64_load, 3, fOff(rs2));
          if (f3 === 1) E.i64s(-1).op(O.i64_xor);
          E.i64(0, 0x80000000 | 0).op(O.i64_and).op(O.i64_or);
        }
        E.mem(O.i64_store, 3, fOff(rd));
        return;
      case 0x51: { // fle/flt/feq.d: no flag unless an operand is a NaN
        if (f3 > 2) break;
        loadF(rs1); E.tee(lF); E.get(lF).op(O.f64_eq);
        loadF(rs2); E.tee(lF2); E.get(lF2).op(O.f64_eq).op(O.i32_and);
        E.if(); depth++;
        E.get(lF).get(lF2).op(f3 === 0 ? O.f64_le : f3 === 1 ? O.f64_lt : O.f64_eq).op(O.i64_extend_i32_u); setX(rd === 0 ? X_SINK : rd << 1);
        E.else(); slowFp(n, undo); depth--; E.end();
        return;
      }
      case 0x69: // fcvt.d.w / fcvt.d.wu: always exact
        if (rs2 > 1) break;
        if (!fpGate(f3, true, false)) break;
        E.if(); depth++;
        E.i32(0); getX(rs1 << 1); E.op(O.i32_wrap_i64).op(rs2 === 0 ? O.f64_convert_i32_s : O.f64_convert_i32_u).mem(O.f64_store, 3, fOff(rd));
        E.else(); slowFp(n, undo); depth--; E.end();
        return;
      case 0x71: // fmv.x.d
        if (rs2 !== 0 || f3 !== 0) break;
        E.i32(0).mem(O.i64_load, 3, fOff(rs1)); setX(rd === 0 ? X_SINK : rd << 1);
        return;
      case 0x79: // fmv.d.x
        if (rs2 !== 0 || f3 !== 0) break;
        E.i32(0); getX(rs1 << 1); E.mem(O.i64_store, 3, fOff(rd));
        return;
    }
    slowFp(n, undo);
  };
  const w32 = (n: Insn, o: O): void => { getX(n.rs1); E.op(O.i32_wrap_i64); getX(n.rs2); E.op(O.i32_wrap_i64).op(o).op(O.i64_extend_i32_s); setX(n.rd); };

  for (let k = 0; k < K; k++) {
    E.end(); // closes $bk: its code follows
    curK = k;
    depth = 0;
    const b = blocks[k];
    const len = b.insns.length;
    // charge the block against the budget
    E.get(lN).i32(len).op(O.i32_add).tee(lN).get(P_BUDGET).op(O.i32_gt_u);
    E.if(); depth++;
    exit(b.pc, len, ST_BUDGET);
    depth--; E.end();
    let ended = false;
    for (let j = 0; j < len; j++) {
      const n = b.insns[j];
      const undo = len - j;
      const next = (n.pc + n.len) >>> 0;
      switch (n.op) {
        case Op.NOP: break;
        case Op.LI: E.i64(n.imm, n.imm2); setX(n.rd); break;
        case Op.ADDI_Z: E.i64s(n.imm); setX(n.rd); break;
        case Op.MV: getX(n.rs1); setX(n.rd); break;
        case Op.JAL:
          if (n.rd !== X_SINK) { E.i64(n.imm2, 0); setX(n.rd); }
          goto(n.imm >>> 0); ended = true; break;
        case Op.JALR: {
          getX(n.rs1);
          if (n.imm !== 0) E.i64s(n.imm).op(O.i64_add);
          E.tee(lT).i64s(32).op(O.i64_shr_u).op(O.i64_eqz).op(O.i32_eqz);
          E.if(); depth++; exit(n.pc, undo, ST_INTERP); depth--; E.end();
          E.get(lT).op(O.i32_wrap_i64).i32(-2).op(O.i32_and).set(lPc);
          if (n.rd !== X_SINK) { E.i64(next | 0, 0); setX(n.rd); }
          for (const rs of returnSites) {
            E.get(lPc).i32(rs | 0).op(O.i32_eq).if(); depth++;
            E.i32(index.get(rs)!).set(P_BLK).br(dL());
            depth--; E.end();
          }
          E.i32(ST_NEXT).set(lSt).br(dDone());
          ended = true; break;
        }
        case Op.BEQ: case Op.BNE: case Op.BLT: case Op.BGE: case Op.BLTU: case Op.BGEU: {
          const o = [O.i64_eq, O.i64_ne, O.i64_lt_s, O.i64_ge_s, O.i64_lt_u, O.i64_ge_u][n.op - Op.BEQ];
          getX(n.rs1); getX(n.rs2); E.op(o);
          E.if(); depth++; goto(n.imm >>> 0); depth--; E.end();
          goto(next); ended = true; break;
        }
        case Op.LB: case Op.LBU: case Op.LH: case Op.LHU: case Op.LW: case Op.LWU: case Op.LD: {
          const sz = [1, 2, 4, 8, 1, 2, 4][n.op - Op.LB];
          const lo = [O.i64_load8_s, O.i64_load16_s, O.i64_load32_s, O.i64_load, O.i64_load8_u, O.i64_load16_u, O.i64_load32_u][n.op - Op.LB];
          addr(n, sz, PROT_READ, undo);
          E.get(lA).mem(lo, 0, 0); setX(n.rd); break;
        }
        case Op.SB: case Op.SH: case Op.SW: case Op.SD: {
          const sz = 1 << (n.op - Op.SB);
          const so = [O.i64_store8, O.i64_store16, O.i64_store32, O.i64_store][n.op - Op.SB];
          addr(n, sz, PROT_WRITE, undo);
          E.get(lA); getX(n.rs2); E.mem(so, 0, 0); break;
        }
        case Op.ADDI: imm(n, O.i64_add, n.imm); break;
        case Op.SLTI: cmp(n, O.i64_lt_s, true); break;
        case Op.SLTIU: cmp(n, O.i64_lt_u, true); break;
        case Op.XORI: imm(n, O.i64_xor, n.imm); break;
        case Op.ORI: imm(n, O.i64_or, n.imm); break;
        case Op.ANDI: imm(n, O.i64_and, n.imm); break;
        case Op.SLLI_S: imm(n, O.i64_shl, n.imm); break;
        case Op.SLLI_L: imm(n, O.i64_shl, n.imm + 32); break;
        case Op.SRLI_S: imm(n, O.i64_shr_u, n.imm); break;
        case Op.SRLI_L: imm(n, O.i64_shr_u, n.imm + 32); break;
        case Op.SRAI_S: imm(n, O.i64_shr_s, n.imm); break;
        case Op.SRAI_L: imm(n, O.i64_shr_s, n.imm + 32); break;
        case Op.ADD: bin(n, O.i64_add); break;
        case Op.SUB: bin(n, O.i64_sub); break;
        case Op.SLL: bin(n, O.i64_shl); break;
        case Op.SRL: bin(n, O.i64_shr_u); break;
        case Op.SRA: bin(n, O.i64_shr_s); break;
        case Op.SLT: cmp(n, O.i64_lt_s, false); break;
        case Op.SLTU: cmp(n, O.i64_lt_u, false); break;
        case Op.XOR: bin(n, O.i64_xor); break;
        case Op.OR: bin(n, O.i64_or); break;
        case Op.AND: bin(n, O.i64_and); break;
        case Op.ADDIW: getX(n.rs1); E.i64s(n.imm).op(O.i64_add).op(O.i64_extend32_s); setX(n.rd); break;
        case Op.SEXT_W: getX(n.rs1); E.op(O.i64_extend32_s); setX(n.rd); break;
        case Op.SLLIW: getX(n.rs1); E.i64s(n.imm).op(O.i64_shl).op(O.i64_extend32_s); setX(n.rd); break;
        case Op.SRLIW: getX(n.rs1); E.op(O.i32_wrap_i64).i32(n.imm).op(O.i32_shr_u).op(O.i64_extend_i32_s); setX(n.rd); break;
        case Op.SRAIW: getX(n.rs1); E.op(O.i32_wrap_i64).i32(n.imm).op(O.i32_shr_s).op(O.i64_extend_i32_s); setX(n.rd); break;
        case Op.ADDW: getX(n.rs1); getX(n.rs2); E.op(O.i64_add).op(O.i64_extend32_s); setX(n.rd); break;
        case Op.SUBW: getX(n.rs1); getX(n.rs2); E.op(O.i64_sub).op(O.i64_extend32_s); setX(n.rd); break;
        case Op.MULW: getX(n.rs1); getX(n.rs2); E.op(O.i64_mul).op(O.i64_extend32_s); setX(n.rd); break;
        case Op.SLLW: w32(n, O.i32_shl); break;
        case Op.SRLW: w32(n, O.i32_shr_u); break;
        case Op.SRAW: w32(n, O.i32_shr_s); break;
        case Op.DIVW: case Op.DIVUW: case Op.REMW: case Op.REMUW:
          getX(n.rs1); E.op(O.i32_wrap_i64); getX(n.rs2); E.op(O.i32_wrap_i64);
          E.call(fDiv32[n.op - Op.DIVW]).op(O.i64_extend_i32_s); setX(n.rd); break;
        case Op.MUL: bin(n, O.i64_mul); break;
        case Op.MULH: case Op.MULHSU: case Op.MULHU:
          getX(n.rs1); getX(n.rs2); E.call([fMulh, fMulhsu, fMulhu][n.op - Op.MULH]); setX(n.rd); break;
        case Op.DIV: case Op.DIVU: case Op.REM: case Op.REMU:
          getX(n.rs1); getX(n.rs2); E.call(fDiv64[n.op - Op.DIV]); setX(n.rd); break;
        case Op.FLW:
          addr(n, 4, PROT_READ, undo);
          E.i32(0).get(lA).mem(O.i32_load, 0, 0).mem(O.i32_store, 2, base + F_OFFSET + 4 * n.rd);
          E.i32(0).i32(-1).mem(O.i32_store, 2, base + F_OFFSET + 4 * n.rd + 4);
          break;
        case Op.FLD:
          addr(n, 8, PROT_READ, undo);
          E.i32(0).get(lA).mem(O.i64_load, 0, 0).mem(O.i64_store, 3, base + F_OFFSET + 4 * n.rd);
          break;
        case Op.FSW:
          addr(n, 4, PROT_WRITE, undo);
          E.get(lA).i32(0).mem(O.i32_load, 2, base + F_OFFSET + 4 * n.rs2).mem(O.i32_store, 0, 0);
          break;
        case Op.FSD:
          addr(n, 8, PROT_WRITE, undo);
          E.get(lA).i32(0).mem(O.i64_load, 3, base + F_OFFSET + 4 * n.rs2).mem(O.i64_store, 0, 0);
          break;
        case Op.FP_OP:
          fpOp(n, undo);
          break;
        default:
          throw new Error(`riscv64 translator: op ${n.op} at ${n.pc.toString(16)} is not translatable`);
      }
    }
    if (!ended) goto(b.end);
  }
  E.end(); // loop
  E.end(); // $done
  // epilogue: write back, report pc and retired count
  for (let r = 1; r < 32; r++) if (written[r]) E.i32(0).get(xl[r]).mem(O.i64_store, 3, base + 8 * r);
  E.i32(0).get(lPc).mem(O.i32_store, 2, base + JIT_PC_OFFSET);
  E.i32(0).get(lN).mem(O.i32_store, 2, base + JIT_N_OFFSET);
  E.get(lSt);
  mb.define(fRun, E);
  return { bytes: mb.encode(), pcs: blocks.map((b) => b.pc), insns: insnCount };
}

/** High 64 bits of the unsigned 128-bit product of params 0 and 1. */
function mulhuBody(): FuncBody {
  const F = new FuncBody(2);
  const al = F.local(T.i64), ah = F.local(T.i64), bl = F.local(T.i64), bh = F.local(T.i64);
  const p1 = F.local(T.i64), p2 = F.local(T.i64);
  const M = (): FuncBody => F.i64(-1, 0);
  F.get(0).with(M).op(O.i64_and).set(al);
  F.get(0).i64s(32).op(O.i64_shr_u).set(ah);
  F.get(1).with(M).op(O.i64_and).set(bl);
  F.get(1).i64s(32).op(O.i64_shr_u).set(bh);
  F.get(al).get(bh).op(O.i64_mul).set(p1);
  F.get(ah).get(bl).op(O.i64_mul).set(p2);
  // hi = ah*bh + (p1 >> 32) + (p2 >> 32) + (((al*bl) >> 32) + (p1 & M) + (p2 & M)) >> 32
  F.get(ah).get(bh).op(O.i64_mul);
  F.get(p1).i64s(32).op(O.i64_shr_u).op(O.i64_add);
  F.get(p2).i64s(32).op(O.i64_shr_u).op(O.i64_add);
  F.get(al).get(bl).op(O.i64_mul).i64s(32).op(O.i64_shr_u);
  F.get(p1).with(M).op(O.i64_and).op(O.i64_add);
  F.get(p2).with(M).op(O.i64_and).op(O.i64_add);
  F.i64s(32).op(O.i64_shr_u).op(O.i64_add);
  return F;
}

/** MULH (signed x signed) or MULHSU (signed x unsigned) from MULHU. */
function mulhBody(fMulhu: number, bothSigned: boolean): FuncBody {
  const F = new FuncBody(2);
  F.get(0).get(1).call(fMulhu);
  F.get(0).i64s(63).op(O.i64_shr_s).get(1).op(O.i64_and).op(O.i64_sub);
  if (bothSigned) F.get(1).i64s(63).op(O.i64_shr_s).get(0).op(O.i64_and).op(O.i64_sub);
  return F;
}

/** kind 0 DIV, 1 DIVU, 2 REM, 3 REMU with RISC-V results for x/0 and MIN/-1. */
function divBody(kind: number, wide: boolean): FuncBody {
  const F = new FuncBody(2);
  const t = wide ? T.i64 : T.i32;
  const c = (v: number): FuncBody => (wide ? F.i64s(v) : F.i32(v));
  const eqz = wide ? O.i64_eqz : O.i32_eqz;
  const eq = wide ? O.i64_eq : O.i32_eq;
  const sub = wide ? O.i64_sub : O.i32_sub;
  const rem = kind >= 2, uns = (kind & 1) === 1;
  const o = wide
    ? [O.i64_div_s, O.i64_div_u, O.i64_rem_s, O.i64_rem_u][kind]
    : [O.i32_div_s, O.i32_div_u, O.i32_rem_s, O.i32_rem_u][kind];
  F.get(1).op(eqz).if(t);
  if (rem) F.get(0); else c(-1);
  F.else();
  if (!uns) {
    F.get(1).with(() => c(-1)).op(eq).if(t);
    if (rem) c(0); else { c(0); F.get(0).op(sub); }
    F.else();
  }
  F.get(0).get(1).op(o);
  if (!uns) F.end();
  F.end();
  return F;
}
