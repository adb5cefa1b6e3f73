/**
 * x86 prefix decoding and the integer instructions of the one-byte and
 * two-byte (0F) opcode maps; SSE forms go to sse.ts, x87 (D8..DF) to x87.ts.
 * `execOne` runs one instruction: it returns true when the loop must stop
 * (syscall, int 0x80, breakpoint) with `core.s.rip` set as the stop needs.
 */
import { StopKind } from '../../plugin/contracts.js';
import { alu, cond, incdec, MASK, res, shift, shiftDouble, SIGN, szp } from './alu.js';
import type { X86Core } from './core.js';
import { STOP } from './stop.js';
import { AF, CF, DF, ID, OF, PF, SF, STATUS, ZF } from './state.js';
import { execSse, isSseOpcode } from './sse.js';
import { execX87 } from './x87.js';
import { cpuid } from './cpuid.js';

const TWO32 = 4294967296;

/** Sign-extends a `size`-byte value to a JS number. */
function sx(v: number, size: number): number {
  switch (size) { case 1: return (v << 24) >> 24; case 2: return (v << 16) >> 16; default: return v | 0; }
}

/** An immediate sign-extended to the operand size: sets res.lo/res.hi. */
function immToSize(v: number, size: number): void {
  res.hi = size === 8 && v < 0 ? 0xffffffff : 0;
  res.lo = size >= 4 ? v >>> 0 : v & MASK[size];
}

/** 64-bit value of (lo, hi) as a BigInt. */
const big = (lo: number, hi: number): bigint => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);

export function execOne(c: X86Core): boolean {
  // ---- prefixes
  c.osz = 4; c.asz = c.long ? 8 : 4;
  c.rex = 0; c.rexW = 0; c.rexR = 0; c.rexX = 0; c.rexB = 0;
  c.p66 = false; c.rep = 0; c.segBase = 0; c.lock = false;
  let op: number;
  let count = 0;
  for (;;) {
    op = c.fetch8();
    if (++count > 15) c.illegal(); // longer than 15 bytes: #GP, Linux gives SIGSEGV? (treated as #UD here)
    switch (op) {
      case 0x66: c.p66 = true; continue;
      case 0x67: c.asz = c.long ? 4 : 2; continue;
      case 0xf2: case 0xf3: c.rep = op; continue;
      case 0xf0: c.lock = true; continue; // LOCK: the store is a compare-and-swap (core.writeE)
      case 0x2e: case 0x36: case 0x3e: case 0x26: if (!c.long && op !== 0x2e && op !== 0x36 && op !== 0x3e) c.segBase = 0; continue;
      case 0x64: c.segBase = c.long ? c.s.fsBase : segBase(c, c.s.fsSel); continue;
      case 0x65: c.segBase = c.long ? c.s.gsBase : segBase(c, c.s.gsSel); continue;
    }
    if (c.long && (op & 0xf0) === 0x40) {
      c.rex = op; c.rexW = (op >> 3) & 1; c.rexR = (op & 4) << 1; c.rexX = (op & 2) << 2; c.rexB = (op & 1) << 3;
      op = c.fetch8();
      if ((op & 0xf0) === 0x40 || op === 0x66 || op === 0x67 || op === 0xf2 || op === 0xf3 || op === 0xf0 || op === 0x64 || op === 0x65 || op === 0x2e || op === 0x3e || op === 0x26 || op === 0x36) {
        // a REX followed by another prefix is ignored
        c.rex = 0; c.rexW = 0; c.rexR = 0; c.rexX = 0; c.rexB = 0;
        c.ip--;
        continue;
      }
    }
    break;
  }
  c.osz = c.rexW ? 8 : c.p66 ? 2 : 4;
  if (op === 0x0f) return exec0F(c, c.fetch8());
  return exec1(c, op);
}

/** i386: the base of the TLS descriptor a selector names (GDT entries 12..14 from set_thread_area), else 0. */
function segBase(c: X86Core, sel: number): number {
  const idx = sel >> 3;
  return idx >= 12 && idx <= 14 ? c.s.tls[idx - 12] : 0;
}

/** Byte size of ops with a byte form (opcode bit 0 clear → 1). */
const sizeOf = (c: X86Core, op: number): number => ((op & 1) === 0 ? 1 : c.osz);

function exec1(c: X86Core, op: number): boolean {
  const s = c.s;
  if (op < 0x40 && (op & 7) < 6) {
    // ALU: 00-05 08-0D ... 38-3D
    const k = op >> 3;
    const size = sizeOf(c, op);
    switch (op & 7) {
      case 0: case 1: { // E, G
        c.modrm();
        const a = c.readE(size), ah = c.vh;
        const b = c.readReg(c.reg, size), bh = c.vh;
        s.flags = alu(k, size, s.flags, a, ah, b, bh);
        if (k !== 7) c.writeE(size, res.lo, res.hi);
        return false;
      }
      case 2: case 3: { // G, E
        c.modrm();
        const b = c.readE(size), bh = c.vh;
        const a = c.readReg(c.reg, size), ah = c.vh;
        s.flags = alu(k, size, s.flags, a, ah, b, bh);
        if (k !== 7) c.writeReg(c.reg, size, res.lo, res.hi);
        return false;
      }
      default: { // AL/eAX, imm
        const v = size === 1 ? c.fetch8() : size === 2 ? c.fetch16() : c.imm32s();
        const a = c.readReg(0, size), ah = c.vh;
        immToSize(size === 1 ? v : v, size);
        s.flags = alu(k, size, s.flags, a, ah, size === 1 ? v : res.lo, res.hi);
        if (k !== 7) c.writeReg(0, size, res.lo, res.hi);
        return false;
      }
    }
  }
  switch (op) {
    // ---- i386-only one-byte forms (REX in long mode was taken by the prefix loop)
    case 0x40: case 0x41: case 0x42: case 0x43: case 0x44: case 0x45: case 0x46: case 0x47:
    case 0x48: case 0x49: case 0x4a: case 0x4b: case 0x4c: case 0x4d: case 0x4e: case 0x4f: {
      const i = op & 7, size = c.osz;
      s.flags = incdec(size, s.flags, c.readReg(i, size), 0, op >= 0x48);
      c.writeReg(i, size, res.lo, 0);
      return false;
    }
    case 0x27: case 0x2f: case 0x37: case 0x3f: case 0x06: case 0x07: case 0x0e: case 0x16: case 0x17: case 0x1e: case 0x1f:
      if (c.long) c.illegal();
      return legacy386(c, op);
    case 0x50: case 0x51: case 0x52: case 0x53: case 0x54: case 0x55: case 0x56: case 0x57: {
      const size = c.stackSize();
      const v = c.readReg((op & 7) | c.rexB, size);
      c.push(size, v, c.vh);
      return false;
    }
    case 0x58: case 0x59: case 0x5a: case 0x5b: case 0x5c: case 0x5d: case 0x5e: case 0x5f: {
      const size = c.stackSize();
      const v = c.pop(size);
      c.writeReg((op & 7) | c.rexB, size, v, c.vh);
      return false;
    }
    case 0x60: case 0x61: {
      if (c.long) c.illegal();
      const size = c.osz;
      if (op === 0x60) {
        const sp = c.readReg(4, size);
        for (let i = 0; i < 8; i++) c.push(size, i === 4 ? sp : c.readReg(i, size), 0);
      } else {
        for (let i = 7; i >= 0; i--) { const v = c.pop(size); if (i !== 4) c.writeReg(i, size, v, 0); }
      }
      return false;
    }
    case 0x63: { // MOVSXD (long mode)
      if (!c.long) c.illegal();
      c.modrm();
      const v = c.readE(4);
      if (c.osz === 8) c.writeReg(c.reg, 8, v, (v & 0x80000000) !== 0 ? 0xffffffff : 0); else c.writeReg(c.reg, c.osz, v, 0);
      return false;
    }
    case 0x68: case 0x6a: {
      const v = op === 0x68 ? (c.p66 ? (c.fetch16() << 16) >> 16 : c.imm32s()) : c.imm8s();
      const size = c.stackSize();
      c.push(size, v >>> 0, v < 0 ? 0xffffffff : 0);
      return false;
    }
    case 0x69: case 0x6b: { // IMUL G, E, imm
      c.modrm();
      const size = c.osz;
      const iv = op === 0x6b ? c.imm8s() : size === 2 ? (c.fetch16() << 16) >> 16 : c.imm32s();
      const a = c.readE(size), ah = c.vh;
      imul2(c, size, a, ah, iv >>> 0, iv < 0 ? 0xffffffff : 0);
      c.writeReg(c.reg, size, res.lo, res.hi);
      return false;
    }
    case 0x70: case 0x71: case 0x72: case 0x73: case 0x74: case 0x75: case 0x76: case 0x77:
    case 0x78: case 0x79: case 0x7a: case 0x7b: case 0x7c: case 0x7d: case 0x7e: case 0x7f: {
      const d = c.imm8s();
      if (cond(op & 15, s.flags)) jumpTo(c, c.ip + d);
      return false;
    }
    case 0x80: case 0x81: case 0x82: case 0x83: {
      if (op === 0x82 && c.long) c.illegal();
      const size = op === 0x82 ? 1 : sizeOf(c, op);
      c.modrm();
      const v = op === 0x81 ? (size === 2 ? (c.fetch16() << 16) >> 16 : c.imm32s()) : c.imm8s();
      const a = c.readE(size), ah = c.vh;
      immToSize(v, size);
      if (size < 4) res.lo &= MASK[size];
      s.flags = alu(c.reg & 7, size, s.flags, a, ah, res.lo, res.hi);
      if ((c.reg & 7) !== 7) c.writeE(size, res.lo, res.hi);
      return false;
    }
    case 0x84: case 0x85: {
      const size = sizeOf(c, op);
      c.modrm();
      const a = c.readE(size), ah = c.vh;
      const b = c.readReg(c.reg, size), bh = c.vh;
      s.flags = alu(4, size, s.flags, a, ah, b, bh);
      return false;
    }
    case 0x86: case 0x87: {
      const size = sizeOf(c, op);
      c.modrm();
      c.lock = c.mod !== 3; // XCHG with memory is always locked
      const a = c.readE(size), ah = c.vh;
      const b = c.readReg(c.reg, size), bh = c.vh;
      c.writeE(size, b, bh);
      c.writeReg(c.reg, size, a, ah);
      return false;
    }
    case 0x88: case 0x89: {
      const size = sizeOf(c, op);
      c.modrm();
      const v = c.readReg(c.reg, size);
      c.writeE(size, v, c.vh);
      return false;
    }
    case 0x8a: case 0x8b: {
      const size = sizeOf(c, op);
      c.modrm();
      const v = c.readE(size);
      c.writeReg(c.reg, size, v, c.vh);
      return false;
    }
    case 0x8c: { // MOV E, Sreg
      c.modrm();
      const sr = c.reg & 7;
      const v = sr === 4 ? s.fsSel : sr === 5 ? s.gsSel : sr === 1 ? (c.long ? 0x33 : 0x73) : (c.long ? 0x2b : 0x7b);
      if (c.mod === 3) c.writeReg(c.rm, c.osz === 8 ? 8 : c.osz === 2 ? 2 : 4, v, 0); else c.st(c.ea(), 2, v, 0);
      return false;
    }
    case 0x8e: { // MOV Sreg, E (fs/gs in i386 for TLS; others accepted as no-ops when they hold the user selectors)
      c.modrm();
      const v = c.readE(2);
      const sr = c.reg & 7;
      if (sr === 1) c.illegal();
      if (sr === 4) s.fsSel = v; else if (sr === 5) s.gsSel = v;
      return false;
    }
    case 0x8d: { // LEA
      c.modrm();
      if (c.mod === 3) c.illegal();
      c.segBase = 0;
      const [lo, hi] = c.leaPair();
      c.writeReg(c.reg, c.osz, lo, hi);
      return false;
    }
    case 0x8f: {
      c.modrm();
      if ((c.reg & 7) !== 0) c.illegal();
      const size = c.stackSize();
      // the address is computed after RSP is incremented
      const sp = c.regNum(4);
      const v = c.ld(sp, size), vh = c.vh;
      c.setRegNum(4, c.long ? sp + size : (sp + size) >>> 0);
      c.writeE(size, v, vh);
      return false;
    }
    case 0x90:
      if (c.rexB) { xchgAx(c, 8); return false; }
      if (c.rep === 0xf3) return false; // PAUSE
      return false;
    case 0x91: case 0x92: case 0x93: case 0x94: case 0x95: case 0x96: case 0x97:
      xchgAx(c, (op & 7) | c.rexB);
      return false;
    case 0x98: { // CBW/CWDE/CDQE
      const size = c.osz;
      if (size === 2) c.writeReg(0, 2, sx(c.readReg(0, 1), 1) & 0xffff, 0);
      else if (size === 4) c.writeReg(0, 4, sx(c.readReg(0, 2), 2) >>> 0, 0);
      else { const v = c.readReg(0, 4); c.writeReg(0, 8, v, (v & 0x80000000) ? 0xffffffff : 0); }
      return false;
    }
    case 0x99: { // CWD/CDQ/CQO
      const size = c.osz;
      const neg = size === 8 ? (c.r[1] < 0) : (c.readReg(0, size) & SIGN[size]) !== 0;
      c.writeReg(2, size, neg ? 0xffffffff & MASK[size === 8 ? 4 : size] : 0, neg ? 0xffffffff : 0);
      return false;
    }
    case 0x9b: return false; // FWAIT
    case 0x9c: { // PUSHF
      const size = c.stackSize();
      c.push(size, (s.flags & 0xfcffff) | 2, 0);
      return false;
    }
    case 0x9d: { // POPF: user-writable bits (status, DF, TF? no; AC, ID)
      const size = c.stackSize();
      const v = c.pop(size);
      const writable = STATUS | DF | ID | (1 << 18);
      s.flags = (s.flags & ~writable) | (v & writable) | 2;
      return false;
    }
    case 0x9e: { // SAHF
      if (c.long && false) c.illegal();
      const ah = (c.r[0] >> 8) & 0xff;
      s.flags = (s.flags & ~(SF | ZF | AF | PF | CF)) | (ah & (SF | ZF | AF | PF | CF)) | 2;
      return false;
    }
    case 0x9f: { // LAHF
      const v = (s.flags & (SF | ZF | AF | PF | CF)) | 2;
      c.r[0] = (c.r[0] & ~0xff00) | (v << 8);
      return false;
    }
    case 0xa0: case 0xa1: case 0xa2: case 0xa3: { // MOV AL/eAX <-> moffs
      const size = sizeOf(c, op);
      let a: number;
      if (c.asz === 8) { const lo = c.fetch32(); const hi = c.fetch32(); a = hi * TWO32 + lo; } else a = c.asz === 4 ? c.fetch32() : c.fetch16();
      a += c.segBase;
      if (op < 0xa2) { const v = c.ld(a, size); c.writeReg(0, size, v, c.vh); } else { const v = c.readReg(0, size); c.st(a, size, v, c.vh); }
      return false;
    }
    case 0xa4: case 0xa5: case 0xa6: case 0xa7: case 0xaa: case 0xab: case 0xac: case 0xad: case 0xae: case 0xaf:
      return stringOp(c, op);
    case 0xa8: case 0xa9: {
      const size = sizeOf(c, op);
      const v = size === 1 ? c.fetch8() : size === 2 ? c.fetch16() : c.imm32s();
      const a = c.readReg(0, size), ah = c.vh;
      immToSize(v, size);
      s.flags = alu(4, size, s.flags, a, ah, size === 1 ? v : res.lo, res.hi);
      return false;
    }
    case 0xb0: case 0xb1: case 0xb2: case 0xb3: case 0xb4: case 0xb5: case 0xb6: case 0xb7:
      c.writeReg((op & 7) | c.rexB, 1, c.fetch8(), 0);
      return false;
    case 0xb8: case 0xb9: case 0xba: case 0xbb: case 0xbc: case 0xbd: case 0xbe: case 0xbf: {
      const size = c.osz;
      if (size === 8) { const lo = c.fetch32(); const hi = c.fetch32(); c.writeReg((op & 7) | c.rexB, 8, lo, hi); } else c.writeReg((op & 7) | c.rexB, size, c.immZ(size), 0);
      return false;
    }
    case 0xc0: case 0xc1: case 0xd0: case 0xd1: case 0xd2: case 0xd3: {
      const size = sizeOf(c, op);
      c.modrm();
      const n = op <= 0xc1 ? c.fetch8() : op <= 0xd1 ? 1 : c.r[2] & 0xff;
      const a = c.readE(size), ah = c.vh;
      const k = c.reg & 7;
      s.flags = shift(k, size, s.flags, a, ah, n & (size === 8 ? 63 : 31));
      c.writeE(size, res.lo, res.hi);
      return false;
    }
    case 0xc2: case 0xc3: { // RET (imm16)
      const extra = op === 0xc2 ? c.fetch16() : 0;
      const size = c.long ? 8 : c.p66 ? 2 : 4;
      const lo = c.pop(size), hi = size === 8 ? c.vh : 0;
      if (extra) c.setRegNum(4, c.long ? c.regNum(4) + extra : (c.regNum(4) + extra) >>> 0);
      jumpTo(c, size === 8 ? hi * TWO32 + lo : lo);
      return false;
    }
    case 0xc6: case 0xc7: {
      const size = sizeOf(c, op);
      c.modrm();
      if ((c.reg & 7) !== 0) c.illegal();
      const v = size === 1 ? c.fetch8() : size === 2 ? c.fetch16() : c.imm32s();
      immToSize(v, size);
      c.writeE(size, size === 1 ? v : res.lo, res.hi);
      return false;
    }
    case 0xc8: { // ENTER imm16, imm8 (level 0 only)
      const frame = c.fetch16();
      const level = c.fetch8() & 31;
      if (level !== 0) c.illegal();
      const size = c.stackSize();
      const bp = c.readReg(5, size);
      c.push(size, bp, c.vh);
      const fp = c.regNum(4);
      c.setRegNum(5, fp);
      c.setRegNum(4, c.long ? fp - frame : (fp - frame) >>> 0);
      return false;
    }
    case 0xc9: { // LEAVE
      c.setRegNum(4, c.regNum(5));
      const size = c.stackSize();
      const v = c.pop(size);
      c.writeReg(5, size, v, c.vh);
      return false;
    }
    case 0xcc: // INT3: SIGTRAP, rip after the instruction
      c.setFault('SIGTRAP', 'SI_KERNEL', 0, c.ip);
      s.rip = c.ip;
      c.stopKind = StopKind.Fault;
      return true;
    case 0xcd: {
      const n = c.fetch8();
      if (n === 0x80 && !c.long) { s.rip = c.start; c.stopKind = StopKind.Syscall; return true; }
      c.generalProtection();
      break;
    }
    case 0xce: if (c.long) c.illegal(); c.generalProtection(); break;
    case 0xd7: { // XLAT
      const base = c.asz === 8 ? c.regNum(3) : c.asz === 4 ? c.r[6] >>> 0 : c.r[6] & 0xffff;
      c.writeReg(0, 1, c.ld8(base + (c.r[0] & 0xff) + c.segBase), 0);
      return false;
    }
    case 0xd8: case 0xd9: case 0xda: case 0xdb: case 0xdc: case 0xdd: case 0xde: case 0xdf:
      execX87(c, op);
      return false;
    case 0xe0: case 0xe1: case 0xe2: case 0xe3: { // LOOPNZ LOOPZ LOOP JrCXZ
      const d = c.imm8s();
      const size = c.asz;
      let cx = c.readReg(1, size), cxh = c.vh;
      let take: boolean;
      if (op === 0xe3) take = size === 8 ? (cx | cxh) === 0 : cx === 0;
      else {
        if (size === 8) { if (cx === 0) cxh = (cxh - 1) >>> 0; cx = (cx - 1) >>> 0; } else cx = (cx - 1) & MASK[size] >>> 0;
        c.writeReg(1, size, size === 4 ? cx >>> 0 : cx, cxh);
        const nz = size === 8 ? (cx | cxh) !== 0 : cx !== 0;
        take = op === 0xe2 ? nz : op === 0xe1 ? nz && (s.flags & ZF) !== 0 : nz && (s.flags & ZF) === 0;
      }
      if (take) jumpTo(c, c.ip + d);
      return false;
    }
    case 0xe4: case 0xe5: case 0xe6: case 0xe7: case 0xec: case 0xed: case 0xee: case 0xef:
      c.generalProtection();
      break;
    case 0xe8: { // CALL rel
      const d = c.p66 && !c.long ? (c.fetch16() << 16) >> 16 : c.imm32s();
      const ret = c.ip;
      const size = c.long ? 8 : 4;
      c.push(size, ret >>> 0, Math.floor(ret / TWO32));
      jumpTo(c, ret + d);
      return false;
    }
    case 0xe9: { const d = c.imm32s(); jumpTo(c, c.ip + d); return false; }
    case 0xeb: { const d = c.imm8s(); jumpTo(c, c.ip + d); return false; }
    case 0xf1: // INT1
      c.setFault('SIGTRAP', 'TRAP_BRKPT', 0, c.ip);
      s.rip = c.ip; c.stopKind = StopKind.Fault; return true;
    case 0xf4: case 0xfa: case 0xfb: c.generalProtection(); break; // HLT CLI STI
    case 0xf5: s.flags ^= CF; return false;
    case 0xf6: case 0xf7: return group3(c, sizeOf(c, op));
    case 0xf8: s.flags &= ~CF; return false;
    case 0xf9: s.flags |= CF; return false;
    case 0xfc: s.flags &= ~DF; return false;
    case 0xfd: s.flags |= DF; return false;
    case 0xfe: case 0xff: return group45(c, op);
  }
  c.illegal();
}

function legacy386(c: X86Core, op: number): boolean {
  const s = c.s;
  switch (op) {
    case 0x06: case 0x0e: case 0x16: case 0x1e: c.push(4, op === 0x0e ? 0x73 : 0x7b, 0); return false;
    case 0x07: case 0x17: case 0x1f: c.pop(4); return false;
    case 0x27: case 0x2f: { // DAA / DAS
      let al = c.r[0] & 0xff;
      const oldAl = al, oldCf = s.flags & CF;
      let f = s.flags & ~(CF | AF);
      const sub = op === 0x2f;
      if ((al & 15) > 9 || (s.flags & AF)) { al = sub ? al - 6 : al + 6; f |= AF; if (sub ? oldAl < 6 : al > 0xff) f |= CF; if (oldCf) f |= CF; al &= 0xff; }
      if (oldAl > 0x99 || oldCf) { al = (sub ? al - 0x60 : al + 0x60) & 0xff; f |= CF; }
      c.writeReg(0, 1, al, 0);
      s.flags = (f & ~(SF | ZF | PF)) | szp(1, al, 0);
      return false;
    }
    default: { // AAA / AAS
      let ax = c.r[0] & 0xffff;
      let f = s.flags & ~STATUS;
      if ((ax & 15) > 9 || (s.flags & AF)) {
        ax = op === 0x37 ? ax + 0x106 : ax - 6 - 0x100;
        f |= AF | CF;
      }
      ax &= 0xff0f;
      c.writeReg(0, 2, ax, 0);
      s.flags = f | szp(1, ax & 0xff, 0) & ~ZF | ((ax & 0xff) === 0 ? ZF : 0);
      return false;
    }
  }
}

/** Jumps: the target as a JS number; long mode keeps 64 bits, i386 32. */
export function jumpTo(c: X86Core, t: number): void {
  if (c.long) { if (t < 0) t += 2 ** 64; else if (t >= 2 ** 64) t -= 2 ** 64; } else t = c.p66 ? t & 0xffff : t >>> 0;
  c.ip = t;
}

function xchgAx(c: X86Core, i: number): void {
  const size = c.osz;
  const a = c.readReg(0, size), ah = c.vh;
  const b = c.readReg(i, size), bh = c.vh;
  c.writeReg(0, size, b, bh);
  c.writeReg(i, size, a, ah);
}

/** Two-operand IMUL (truncated result, CF=OF= overflow; SF/ZF/PF from the result, AF 0): res = a*b. */
function imul2(c: X86Core, size: number, a: number, ah: number, b: number, bh: number): void {
  const bits = BigInt(size * 8);
  const sa = size === 8 ? BigInt.asIntN(64, big(a, ah)) : BigInt(sx(a, size));
  const sb = size === 8 ? BigInt.asIntN(64, big(b, bh)) : BigInt(sx(b >>> 0, size));
  const p = sa * sb;
  const t = BigInt.asIntN(Number(bits), p);
  const u = BigInt.asUintN(Number(bits), p);
  res.lo = Number(u & 0xffffffffn); res.hi = size === 8 ? Number(u >> 32n) : 0;
  const ov = t !== p;
  c.s.flags = (c.s.flags & ~STATUS) | (ov ? CF | OF : 0) | szp(size, res.lo, res.hi);
  const lo = res.lo, hi = res.hi;
  res.lo = lo; res.hi = hi;
}

/** F6/F7: TEST NOT NEG MUL IMUL DIV IDIV. */
function group3(c: X86Core, size: number): boolean {
  const s = c.s;
  c.modrm();
  const k = c.reg & 7;
  if (k === 0 || k === 1) {
    const v = size === 1 ? c.fetch8() : size === 2 ? c.fetch16() : c.imm32s();
    const a = c.readE(size), ah = c.vh;
    immToSize(v, size);
    s.flags = alu(4, size, s.flags, a, ah, size === 1 ? v : res.lo, res.hi);
    return false;
  }
  const a = c.readE(size), ah = c.vh;
  switch (k) {
    case 2: c.writeE(size, ~a & MASK[size === 8 ? 4 : size], ~ah >>> 0); return false;
    case 3: {
      s.flags = alu(5, size, s.flags, 0, 0, a, ah);
      const cf = size === 8 ? (a | ah) !== 0 : a !== 0;
      s.flags = (s.flags & ~CF) | (cf ? CF : 0);
      c.writeE(size, res.lo, res.hi);
      return false;
    }
  }
  const bits = size * 8;
  const B = BigInt(bits);
  const mask = (1n << B) - 1n;
  const acc = (i: number): bigint => (size === 8 ? c.s.getX(i) : BigInt(c.readReg(i, size)));
  const put = (i: number, v: bigint): void => { const u = BigInt.asUintN(bits, v); c.writeReg(i, size, Number(u & 0xffffffffn), Number(u >> 32n)); };
  const src = size === 8 ? big(a, ah) : BigInt(a);
  if (size === 1) {
    // byte forms use AX
    const al = BigInt(c.r[0] & 0xff);
    if (k === 4 || k === 5) {
      const p = k === 4 ? al * src : BigInt.asIntN(8, al) * BigInt.asIntN(8, src);
      c.writeReg(0, 2, Number(BigInt.asUintN(16, p)), 0);
      const ov = k === 4 ? (p >> 8n) !== 0n : BigInt.asIntN(8, p) !== p;
      s.flags = (s.flags & ~STATUS) | (ov ? CF | OF : 0) | szp(1, Number(BigInt.asUintN(8, p)), 0);
      return false;
    }
    if (src === 0n) divideError(c);
    const ax = BigInt(c.r[0] & 0xffff);
    let q: bigint, r: bigint;
    if (k === 6) { q = ax / src; r = ax % src; if (q > 0xffn) divideError(c); } else {
      const n = BigInt.asIntN(16, ax), d = BigInt.asIntN(8, src);
      q = n / d; r = n % d;
      if (q > 127n || q < -128n) divideError(c);
    }
    c.writeReg(0, 2, Number((BigInt.asUintN(8, r) << 8n) | BigInt.asUintN(8, q)), 0);
    return false;
  }
  if (k === 4 || k === 5) {
    const x = acc(0);
    const p = k === 4 ? x * src : BigInt.asIntN(bits, x) * BigInt.asIntN(bits, src);
    put(0, p & mask);
    put(2, p >> B);
    const ov = k === 4 ? (p >> B) !== 0n : BigInt.asIntN(bits, p) !== p;
    const lo = Number(BigInt.asUintN(bits, p) & 0xffffffffn), hi = size === 8 ? Number(BigInt.asUintN(64, p) >> 32n) : 0;
    s.flags = (s.flags & ~STATUS) | (ov ? CF | OF : 0) | szp(size, lo, hi);
    return false;
  }
  if (src === 0n) divideError(c);
  const n = (acc(2) << B) | acc(0);
  let q: bigint, r: bigint;
  if (k === 6) {
    q = n / src; r = n % src;
    if (q > mask) divideError(c);
  } else {
    const sn = BigInt.asIntN(2 * bits, n), sd = BigInt.asIntN(bits, src);
    q = sn / sd; r = sn % sd;
    if (q >= (1n << (B - 1n)) || q < -(1n << (B - 1n))) divideError(c);
  }
  put(0, q);
  put(2, r);
  return false;
}

function divideError(c: X86Core): never {
  c.setFault('SIGFPE', 'FPE_INTDIV', c.start, c.start);
  throw STOP;
}

/** FE/FF: INC DEC (CALL JMP indirect, PUSH for FF). */
function group45(c: X86Core, op: number): boolean {
  const s = c.s;
  c.modrm();
  const k = c.reg & 7;
  if (k <= 1) {
    const size = sizeOf(c, op);
    const a = c.readE(size), ah = c.vh;
    s.flags = incdec(size, s.flags, a, ah, k === 1);
    c.writeE(size, res.lo, res.hi);
    return false;
  }
  if (op === 0xfe) c.illegal();
  switch (k) {
    case 2: case 4: { // CALL/JMP near indirect
      const size = c.long ? 8 : c.p66 ? 2 : 4;
      const lo = c.readE(size), hi = size === 8 ? c.vh : 0;
      const t = hi * TWO32 + lo;
      if (k === 2) { const ret = c.ip; c.push(size, ret >>> 0, Math.floor(ret / TWO32)); }
      jumpTo(c, t);
      return false;
    }
    case 6: {
      const size = c.stackSize();
      const v = c.readE(size);
      c.push(size, v, c.vh);
      return false;
    }
  }
  c.illegal();
}

/** String instructions with REP/REPE/REPNE; address size picks rSI/rDI/rCX widths. */
function stringOp(c: X86Core, op: number): boolean {
  const s = c.s;
  const size = sizeOf(c, op);
  const asz = c.asz;
  const step = (s.flags & DF) ? -size : size;
  const rep = c.rep;
  const getA = (i: number): number => (asz === 8 ? c.regNum(i) : asz === 4 ? c.r[2 * i] >>> 0 : c.r[2 * i] & 0xffff);
  const setA = (i: number, v: number): void => {
    if (asz === 8) c.setRegNum(i, v); else if (asz === 4) { c.r[2 * i] = v | 0; c.r[2 * i + 1] = 0; } else c.r[2 * i] = (c.r[2 * i] & ~0xffff) | (v & 0xffff);
  };
  const srcBase = c.segBase; // the override applies to the source (DS:rSI) only
  let iterations = 0;
  for (;;) {
    if (rep !== 0) {
      const cx = getA(1);
      if (cx === 0) break;
    }
    const si = getA(6), di = getA(7);
    let stop = false;
    switch (op) {
      case 0xa4: case 0xa5: { const v = c.ld(si + srcBase, size); c.st(di, size, v, c.vh); setA(6, si + step); setA(7, di + step); break; }
      case 0xaa: case 0xab: { const v = c.readReg(0, size); c.st(di, size, v, c.vh); setA(7, di + step); break; }
      case 0xac: case 0xad: { const v = c.ld(si + srcBase, size); c.writeReg(0, size, v, c.vh); setA(6, si + step); break; }
      case 0xa6: case 0xa7: {
        const a = c.ld(si + srcBase, size), ah = c.vh;
        const b = c.ld(di, size), bh = c.vh;
        s.flags = alu(7, size, s.flags, a, ah, b, bh);
        setA(6, si + step); setA(7, di + step);
        stop = true;
        break;
      }
      default: { // SCAS
        const a = c.readReg(0, size), ah = c.vh;
        const b = c.ld(di, size), bh = c.vh;
        s.flags = alu(7, size, s.flags, a, ah, b, bh);
        setA(7, di + step);
        stop = true;
      }
    }
    if (rep === 0) break;
    setA(1, getA(1) - 1);
    if (stop) {
      const z = (s.flags & ZF) !== 0;
      if (rep === 0xf3 ? !z : z) break;
    }
    // long repeats are interruptible: leave rip at the instruction after a slice
    if (++iterations >= 65536) { c.ip = c.start; break; }
  }
  return false;
}

// ---------------------------------------------------------------- 0F map

function exec0F(c: X86Core, op: number): boolean {
  const s = c.s;
  if (isSseOpcode(op)) { execSse(c, op); return false; }
  switch (op) {
    case 0x05: // SYSCALL
      if (!c.long) c.illegal();
      {
        const next = c.ip;
        c.r[2] = next | 0; c.r[3] = Math.floor(next / TWO32) | 0; // rcx = return address
        c.r[22] = s.flags | 0; c.r[23] = 0; // r11 = rflags
        s.rip = c.start;
        c.stopKind = StopKind.Syscall;
        return true;
      }
    case 0x0b: case 0xff: case 0xb9: c.illegal(); break; // UD2 UD0 UD1
    case 0x0d: c.modrm(); return false; // prefetchw
    case 0x18: case 0x19: case 0x1a: case 0x1b: case 0x1c: case 0x1d: case 0x1e: case 0x1f:
      // hint NOPs (prefetch, endbr64 = F3 0F 1E FA, nopl)
      c.modrm();
      return false;
    case 0x31: { // RDTSC
      const t = process.hrtime.bigint();
      c.writeReg(0, 4, Number(t & 0xffffffffn), 0);
      c.writeReg(2, 4, Number((t >> 32n) & 0xffffffffn), 0);
      return false;
    }
    case 0x40: case 0x41: case 0x42: case 0x43: case 0x44: case 0x45: case 0x46: case 0x47:
    case 0x48: case 0x49: case 0x4a: case 0x4b: case 0x4c: case 0x4d: case 0x4e: case 0x4f: { // CMOVcc
      c.modrm();
      const size = c.osz;
      const v = c.readE(size), vh = c.vh;
      if (cond(op & 15, s.flags)) c.writeReg(c.reg, size, v, vh);
      else if (size === 4) c.r[2 * c.reg + 1] = 0; // a 32-bit destination is zero-extended either way
      return false;
    }
    case 0x80: case 0x81: case 0x82: case 0x83: case 0x84: case 0x85: case 0x86: case 0x87:
    case 0x88: case 0x89: case 0x8a: case 0x8b: case 0x8c: case 0x8d: case 0x8e: case 0x8f: {
      const d = c.p66 && !c.long ? (c.fetch16() << 16) >> 16 : c.imm32s();
      if (cond(op & 15, s.flags)) jumpTo(c, c.ip + d);
      return false;
    }
    case 0x90: case 0x91: case 0x92: case 0x93: case 0x94: case 0x95: case 0x96: case 0x97:
    case 0x98: case 0x99: case 0x9a: case 0x9b: case 0x9c: case 0x9d: case 0x9e: case 0x9f:
      c.modrm();
      c.writeE(1, cond(op & 15, s.flags) ? 1 : 0, 0);
      return false;
    case 0xa2: cpuid(c); return false;
    case 0xa3: case 0xab: case 0xb3: case 0xbb: return bitTest(c, op, false);
    case 0xba: return bitTest(c, op, true);
    case 0xa4: case 0xa5: case 0xac: case 0xad: { // SHLD SHRD
      c.modrm();
      const size = c.osz;
      const n = (op & 1) === 0 ? c.fetch8() : c.r[2] & 0xff;
      const a = c.readE(size), ah = c.vh;
      const b = c.readReg(c.reg, size), bh = c.vh;
      const cnt = n & (size === 8 ? 63 : 31);
      const A = size === 8 ? big(a, ah) : BigInt(a), Bv = size === 8 ? big(b, bh) : BigInt(b);
      if (size === 2 && cnt > 16) { c.writeE(size, a, 0); return false; } // undefined result: left unchanged
      s.flags = shiftDouble(op < 0xa8, size, s.flags, A, Bv, cnt);
      c.writeE(size, res.lo, res.hi);
      return false;
    }
    case 0xa0: case 0xa8: c.push(c.stackSize(), op === 0xa0 ? s.fsSel : s.gsSel, 0); return false;
    case 0xa1: case 0xa9: { const v = c.pop(c.stackSize()); if (op === 0xa1) s.fsSel = v & 0xffff; else s.gsSel = v & 0xffff; return false; }
    case 0xae: return group15(c);
    case 0xaf: {
      c.modrm();
      const size = c.osz;
      const b = c.readE(size), bh = c.vh;
      const a = c.readReg(c.reg, size), ah = c.vh;
      imul2(c, size, a, ah, b, bh);
      c.writeReg(c.reg, size, res.lo, res.hi);
      return false;
    }
    case 0xb0: case 0xb1: { // CMPXCHG
      const size = op === 0xb0 ? 1 : c.osz;
      c.modrm();
      const d = c.readE(size), dh = c.vh;
      const a = c.readReg(0, size), ah = c.vh;
      s.flags = alu(7, size, s.flags, a, ah, d, dh);
      if ((s.flags & ZF) !== 0) { const v = c.readReg(c.reg, size); c.writeE(size, v, c.vh); } else {
        if (c.mod !== 3 && !c.lock) c.writeE(size, d, dh); // the destination is written back either way (a locked one: nothing changes)
        c.writeReg(0, size, d, dh);
      }
      return false;
    }
    case 0xb6: case 0xb7: case 0xbe: case 0xbf: { // MOVZX / MOVSX
      c.modrm();
      const from = (op & 1) === 0 ? 1 : 2;
      let v = c.readE(from);
      const size = c.osz;
      if (op >= 0xbe) {
        const sv = sx(v, from);
        if (size === 8) { c.writeReg(c.reg, 8, sv >>> 0, sv < 0 ? 0xffffffff : 0); return false; }
        v = (sv >>> 0) & (size === 2 ? 0xffff : 0xffffffff);
      }
      c.writeReg(c.reg, size, v >>> 0, 0);
      return false;
    }
    case 0xbc: case 0xbd: return bitScan(c, op);
    case 0xb8: { // POPCNT (F3)
      if (c.rep !== 0xf3) c.illegal();
      c.modrm();
      const size = c.osz;
      const v = c.readE(size), vh = size === 8 ? c.vh : 0;
      const n = popcount(v) + popcount(vh);
      c.writeReg(c.reg, size, n, 0);
      s.flags = (s.flags & ~STATUS) | (n === 0 ? ZF : 0);
      return false;
    }
    case 0xc0: case 0xc1: { // XADD
      const size = op === 0xc0 ? 1 : c.osz;
      c.modrm();
      const d = c.readE(size), dh = c.vh;
      const g = c.readReg(c.reg, size), gh = c.vh;
      s.flags = alu(0, size, s.flags, d, dh, g, gh);
      const lo = res.lo, hi = res.hi;
      c.writeE(size, lo, hi);
      c.writeReg(c.reg, size, d, dh);
      return false;
    }
    case 0xc7: { // CMPXCHG8B/16B, RDRAND (not reported)
      c.modrm();
      if ((c.reg & 7) !== 1 || c.mod === 3) c.illegal();
      const a = c.ea();
      if (c.rexW) {
        if ((a & 15) !== 0) c.generalProtection();
        c.chk(a, 16, 2);
        const m0 = c.ld(a, 8), m1 = c.vh, m2 = c.ld(a + 8, 8), m3 = c.vh;
        if (m0 === (c.r[0] >>> 0) && m1 === (c.r[1] >>> 0) && m2 === (c.r[4] >>> 0) && m3 === (c.r[5] >>> 0)) {
          c.st(a, 8, c.r[6], c.r[7]); c.st(a + 8, 8, c.r[2], c.r[3]);
          s.flags |= ZF;
        } else {
          c.st(a, 8, m0, m1); c.st(a + 8, 8, m2, m3);
          c.r[0] = m0; c.r[1] = m1; c.r[4] = m2; c.r[5] = m3;
          s.flags &= ~ZF;
        }
      } else {
        const m0 = c.ld(a, 4), m1 = c.ld(a + 4, 4);
        if (m0 === (c.r[0] >>> 0) && m1 === (c.r[4] >>> 0)) { c.st(a, 4, c.r[6], 0); c.st(a + 4, 4, c.r[2], 0); s.flags |= ZF; } else {
          c.st(a, 4, m0, 0); c.st(a + 4, 4, m1, 0);
          c.writeReg(0, 4, m0, 0); c.writeReg(2, 4, m1, 0);
          s.flags &= ~ZF;
        }
      }
      return false;
    }
    case 0xc8: case 0xc9: case 0xca: case 0xcb: case 0xcc: case 0xcd: case 0xce: case 0xcf: { // BSWAP
      const i = (op & 7) | c.rexB;
      const bs = (v: number): number => (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
      if (c.osz === 8) { const lo = c.r[2 * i], hi = c.r[2 * i + 1]; c.writeReg(i, 8, bs(hi), bs(lo)); } else c.writeReg(i, 4, bs(c.r[2 * i]), 0);
      return false;
    }
    case 0x01: { // 0F 01: XGETBV (not reported by CPUID: #UD), RDTSCP (not reported), others privileged
      const m = c.fetch8();
      if (m === 0xd0 || m === 0xf9) c.illegal();
      c.ip--;
      c.modrm();
      if ((c.reg & 7) === 4) { c.writeE(2, 0x80050033 & 0xffff, 0); return false; } // SMSW (allowed at CPL 3)
      c.generalProtection();
      break;
    }
    case 0x00: case 0x06: case 0x08: case 0x09: case 0x20: case 0x21: case 0x22: case 0x23: case 0x30: case 0x32: case 0x33: case 0x34: case 0x35:
      c.generalProtection();
  }
  c.illegal();
}

function popcount(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** BSF/BSR (and TZCNT/LZCNT with F3). */
function bitScan(c: X86Core, op: number): boolean {
  const s = c.s;
  c.modrm();
  const size = c.osz;
  const v = c.readE(size), vh = size === 8 ? c.vh : 0;
  const bits = size * 8;
  const zero = (v | vh) === 0;
  if (c.rep === 0xf3) { // TZCNT / LZCNT: LZCNT is not reported, but TZCNT runs as BSF on CPUs without BMI1 — do what they do
    if (op === 0xbd) return bitScanPlain(c, op, size, v, vh, zero);
    // BMI1 is not reported: F3 0F BC executes as BSF (REP ignored), as on those CPUs
    return bitScanPlain(c, op, size, v, vh, zero);
  }
  void bits;
  return bitScanPlain(c, op, size, v, vh, zero);
}

function bitScanPlain(c: X86Core, op: number, size: number, v: number, vh: number, zero: boolean): boolean {
  const s = c.s;
  if (zero) { s.flags = (s.flags & ~STATUS) | ZF; return false; } // destination unchanged
  let n: number;
  if (op === 0xbc) n = v !== 0 ? 31 - Math.clz32(v & -v) : 32 + 31 - Math.clz32(vh & -vh);
  else n = vh !== 0 ? 63 - Math.clz32(vh) : 31 - Math.clz32(v);
  c.writeReg(c.reg, size, n, 0);
  s.flags = (s.flags & ~STATUS) | PARITY_ZERO;
  return false;
}
const PARITY_ZERO = 0;

/** BT/BTS/BTR/BTC (register or immediate bit offset). */
function bitTest(c: X86Core, op: number, imm: boolean): boolean {
  const s = c.s;
  c.modrm();
  const size = c.osz;
  let kind: number;
  let off: number;
  if (imm) {
    kind = c.reg & 7;
    if (kind < 4) c.illegal();
    kind -= 4;
    off = c.fetch8() & (size * 8 - 1);
  } else {
    kind = (op >> 3) & 3;
    const g = c.readReg(c.reg, size), gh = c.vh;
    off = size === 8 ? gh * TWO32 + g - (gh >= 0x80000000 ? 2 ** 64 : 0) : sx(g, size);
  }
  let lo: number, hi: number;
  let bit: number;
  if (c.mod === 3 || imm) {
    bit = ((off % (size * 8)) + size * 8) % (size * 8);
    lo = c.readE(size); hi = c.vh;
  } else {
    // memory with a register offset: the bit string extends past the operand
    const bytes = Math.floor(off / (size * 8)) * size;
    bit = off - bytes * 8;
    const a = c.ea() + bytes;
    lo = c.ld(a, size); hi = c.vh;
    const r = btApply(kind, size, lo, hi, bit);
    s.flags = (s.flags & ~CF) | (r ? CF : 0);
    if (kind !== 0) c.st(a, size, res.lo, res.hi);
    return false;
  }
  const r = btApply(kind, size, lo, hi, bit);
  s.flags = (s.flags & ~CF) | (r ? CF : 0);
  if (kind !== 0) c.writeE(size, res.lo, res.hi);
  return false;
}

function btApply(kind: number, size: number, lo: number, hi: number, bit: number): boolean {
  const inHi = bit >= 32;
  const m = 1 << (bit & 31);
  const w = inHi ? hi : lo;
  const was = (w & m) !== 0;
  let nw = w;
  if (kind === 1) nw = w | m; else if (kind === 2) nw = w & ~m; else if (kind === 3) nw = w ^ m;
  if (inHi) { res.lo = lo; res.hi = nw >>> 0; } else { res.lo = (nw >>> 0) & (size === 2 ? 0xffff : 0xffffffff); res.hi = hi; }
  if (size === 2) res.lo &= 0xffff;
  return was;
}

/** 0F AE: FXSAVE FXRSTOR LDMXCSR STMXCSR (XSAVE* not reported), LFENCE MFENCE SFENCE, CLFLUSH. */
function group15(c: X86Core): boolean {
  c.modrm();
  const k = c.reg & 7;
  if (c.mod === 3) {
    if (k >= 5 && c.rep === 0) return false; // fences
    c.illegal();
  }
  const a = c.ea();
  switch (k) {
    case 0: fxsave(c, a); return false;
    case 1: fxrstor(c, a); return false;
    case 2: {
      const v = c.ld32(a);
      if ((v & 0xffff0000) !== 0) c.generalProtection();
      c.s.mxcsr = v;
      return false;
    }
    case 3: c.st(a, 4, c.s.mxcsr, 0); return false;
    case 7: return false; // CLFLUSH
  }
  c.illegal();
}

/** FXSAVE image (512 bytes): FCW, FSW, MXCSR, MXCSR_MASK, ST (zero: x87 registers are kept as in x87.ts), XMM. */
export function fxsave(c: X86Core, a: number): void {
  if ((a & 15) !== 0) c.generalProtection();
  c.chk(a, 512, 2);
  const u8 = c.u8;
  u8.fill(0, a, a + 512);
  c.dv.setUint16(a, c.s.fcw, true);
  c.dv.setUint32(a + 24, c.s.mxcsr, true);
  c.dv.setUint32(a + 28, 0xffff, true);
  const n = c.long ? 16 : 8;
  u8.set(c.s.xb.subarray(0, 16 * n), a + 160);
}

export function fxrstor(c: X86Core, a: number): void {
  if ((a & 15) !== 0) c.generalProtection();
  c.chk(a, 512, 1);
  c.s.fcw = c.dv.getUint16(a, true);
  c.s.mxcsr = c.dv.getUint32(a + 24, true) & 0xffff;
  const n = c.long ? 16 : 8;
  c.s.xb.set(c.u8.subarray(a + 160, a + 160 + 16 * n));
}
