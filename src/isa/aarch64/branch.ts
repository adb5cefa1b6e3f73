/**
 * A64 branches, exception generation and system instructions (EL0 view):
 * B/BL, B.cond, CBZ/CBNZ, TBZ/TBNZ, BR/BLR/RET, SVC (syscall stop), BRK
 * (SIGTRAP), hints as NOPs, barriers, CLREX, MRS/MSR of the registers Linux
 * lets EL0 use (sysreg.ts), DC ZVA / DC CVAU / IC IVAU.
 */
import { StopKind } from '../../plugin/contracts.js';
import type { A64Core } from './core.js';
import { STOP } from './core.js';
import { condHolds } from './alu.js';
import { rhi, rlo } from './dp.js';
import { readSysreg, writeSysreg, DCZ_BLOCK } from './sysreg.js';

export function b(c: A64Core, w: number, pc: number): number {
  const off = (w << 6) >> 4; // imm26 * 4, sign-extended
  if (w < 0) { c.x[60] = (pc + 4) | 0; c.x[61] = 0; } // BL: X30
  return (pc + off) >>> 0;
}

export function bcond(c: A64Core, w: number, pc: number): number {
  if ((w & 0x10) !== 0) return c.illegal(pc); // BC.cond (FEAT_HBC) not implemented
  if (condHolds(c.s.nzcv, w & 15)) return (pc + (((w << 8) >> 13) << 2)) >>> 0;
  return pc + 4;
}

export function cbz(c: A64Core, w: number, pc: number): number {
  const rt = w & 31;
  const zero = w < 0 ? (rlo(c, rt) | rhi(c, rt)) === 0 : rlo(c, rt) === 0;
  if (zero !== ((w & 0x01000000) !== 0)) return (pc + (((w << 8) >> 13) << 2)) >>> 0;
  return pc + 4;
}

export function tbz(c: A64Core, w: number, pc: number): number {
  const rt = w & 31;
  const bit = ((w >>> 26) & 32) | ((w >>> 19) & 31);
  const set = bit < 32 ? (rlo(c, rt) >>> bit) & 1 : (rhi(c, rt) >>> (bit - 32)) & 1;
  if (set === ((w >>> 24) & 1)) return (pc + (((w << 13) >> 18) << 2)) >>> 0;
  return pc + 4;
}

/** BR, BLR, RET (opc 0, 1, 2 with op2 = 11111, op3 = 000000, op4 = 00000). */
export function branchReg(c: A64Core, w: number, pc: number): number {
  const opc = (w >>> 21) & 15;
  if ((w & 0x001ffc1f) !== 0x001f0000 || opc > 2) return c.illegal(pc);
  const rn = (w >>> 5) & 31;
  const lo = rlo(c, rn), hi = rhi(c, rn);
  if (opc === 1) { c.x[60] = (pc + 4) | 0; c.x[61] = 0; }
  if (hi !== 0) {
    // beyond compat's 4 GiB: an instruction abort at that address
    c.setFault('SIGSEGV', 'SEGV_MAPERR', (hi >>> 0) * 4294967296 + (lo >>> 0), pc);
    c.s.pc = pc;
    throw STOP;
  }
  return lo >>> 0;
}

/** SVC / HVC / SMC / BRK / HLT / DCPS. */
export function exception(c: A64Core, w: number, pc: number): number {
  const opc = (w >>> 21) & 7, ll = w & 3, op2 = (w >>> 2) & 7;
  if (op2 !== 0) return c.illegal(pc);
  if (opc === 0 && ll === 1) { c.stopKind = StopKind.Syscall; return -1; }
  if (opc === 1 && ll === 0) { // BRK
    c.setFault('SIGTRAP', 'TRAP_BRKPT', pc, pc);
    c.stopKind = StopKind.Breakpoint;
    return -1;
  }
  return c.illegal(pc);
}

/** The system instruction class: hints, barriers, PSTATE, SYS (DC/IC), MSR/MRS. */
export function system(c: A64Core, w: number, pc: number): number {
  const L = (w >>> 21) & 1, op0 = (w >>> 19) & 3, op1 = (w >>> 16) & 7, crn = (w >>> 12) & 15;
  const crm = (w >>> 8) & 15, op2 = (w >>> 5) & 7, rt = w & 31;
  if (op0 === 0) {
    if (L === 0 && crn === 2 && op1 === 3 && rt === 31) return pc + 4; // HINT space: NOP, YIELD, WFE, SEV, BTI, PACIASP, ...
    if (L === 0 && crn === 3 && op1 === 3 && rt === 31) {
      if (op2 === 2) { c.s.exclAddr = -1; return pc + 4; } // CLREX
      if (op2 === 4 || op2 === 5 || op2 === 6 || op2 === 7) return pc + 4; // DSB, DMB, ISB, SB
      return c.illegal(pc);
    }
    if (L === 0 && crn === 4 && rt === 31) return c.illegal(pc); // MSR (immediate): none useful at EL0 here
    return c.illegal(pc);
  }
  if (op0 === 1) { // SYS / SYSL
    if (L === 1 || op1 !== 3) return c.illegal(pc);
    const lo = rlo(c, rt), hi = rhi(c, rt);
    const addr = (hi >>> 0) * 4294967296 + (lo >>> 0);
    if (crn === 7 && crm === 4 && op2 === 1) { // DC ZVA
      const a = addr - (addr % DCZ_BLOCK);
      c.chk(a, DCZ_BLOCK, 2, pc);
      c.u8.fill(0, a, a + DCZ_BLOCK);
      return pc + 4;
    }
    if (crn === 7 && crm === 5 && op2 === 1) { // IC IVAU: drop decoded code of that line's page
      if (addr < 4294967296) c.invalidateCode(addr, addr + 1);
      return pc + 4;
    }
    if (crn === 7 && (crm === 10 || crm === 11 || crm === 12 || crm === 13 || crm === 14) && op2 === 1) {
      c.chk(addr, 1, 1, pc); // DC CVAC / CVAU / CVAP / CVADP / CIVAC: a read permission check, nothing else
      return pc + 4;
    }
    return c.illegal(pc);
  }
  const key = (w >>> 5) & 0xffff; // op0:op1:CRn:CRm:op2
  if (L === 1) {
    if (!readSysreg(c, key, rt)) return c.illegal(pc);
  } else if (!writeSysreg(c, key, rt)) return c.illegal(pc);
  return pc + 4;
}
