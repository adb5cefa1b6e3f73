/**
 * The system registers an EL0 program may read or write under Linux, keyed
 * by op0:op1:CRn:CRm:op2 (instruction bits 20..5 of MRS/MSR).
 *
 * - NZCV, FPCR, FPSR, TPIDR_EL0: read/write; TPIDRRO_EL0: reads 0.
 * - CNTVCT_EL0 / CNTPCT_EL0: the host monotonic clock in ticks of CNTFRQ_EL0
 *   (1 GHz: nanoseconds).
 * - CTR_EL0, DCZID_EL0: cache geometry as a typical core reports it; DC ZVA
 *   zeroes 64-byte blocks (DCZID.BS = 4, DZP = 0).
 * - MIDR_EL1, MPIDR_EL1, REVIDR_EL1 and the ID_AA64* block (op0 3, op1 0,
 *   CRn 0, CRm 0..7): what Linux's CPUID emulation (HWCAP_CPUID) shows EL0,
 *   i.e. sanitised fields for the features this core implements: FP and
 *   AdvSIMD (PFR0 fields 0), LSE atomics (ISAR0.Atomic = 2), CRC32
 *   (ISAR0.CRC32 = 1), EL0 AArch64 only. Other ID registers read 0; any
 *   other register is SIGILL.
 */
import type { A64Core } from './core.js';

const reg = (op0: number, op1: number, crn: number, crm: number, op2: number): number =>
  (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;

export const SYSREG = {
  NZCV: reg(3, 3, 4, 2, 0),
  FPCR: reg(3, 3, 4, 4, 0),
  FPSR: reg(3, 3, 4, 4, 1),
  TPIDR_EL0: reg(3, 3, 13, 0, 2),
  TPIDRRO_EL0: reg(3, 3, 13, 0, 3),
  CNTFRQ_EL0: reg(3, 3, 14, 0, 0),
  CNTPCT_EL0: reg(3, 3, 14, 0, 1),
  CNTVCT_EL0: reg(3, 3, 14, 0, 2),
  CTR_EL0: reg(3, 3, 0, 0, 1),
  DCZID_EL0: reg(3, 3, 0, 0, 7),
  MIDR_EL1: reg(3, 0, 0, 0, 0),
  MPIDR_EL1: reg(3, 0, 0, 0, 5),
  REVIDR_EL1: reg(3, 0, 0, 0, 6),
  ID_AA64PFR0_EL1: reg(3, 0, 0, 4, 0),
  ID_AA64ISAR0_EL1: reg(3, 0, 0, 6, 0),
} as const;

/** DC ZVA block size in bytes (4 << DCZID.BS). */
export const DCZ_BLOCK = 64;
export const CNTFRQ = 1_000_000_000;

/** MIDR: an ARM Cortex-A53 r0p4 (implementer 0x41, part 0xd03). */
const MIDR = 0x410fd034;
/** ID register values (lo, hi) by key. */
const ID_VALUES = new Map<number, [number, number]>([
  [SYSREG.MIDR_EL1, [MIDR, 0]],
  [SYSREG.MPIDR_EL1, [0x80000000, 0]],
  [SYSREG.REVIDR_EL1, [0, 0]],
  [SYSREG.ID_AA64PFR0_EL1, [0x00000011, 0]], // EL0, EL1: AArch64; FP, AdvSIMD: implemented (0)
  [SYSREG.ID_AA64ISAR0_EL1, [(2 << 20) | (1 << 16), 0]], // Atomic = LSE, CRC32
]);

function set(c: A64Core, rt: number, lo: number, hi: number): void {
  if (rt !== 31) { c.x[2 * rt] = lo; c.x[2 * rt + 1] = hi; }
}

export function readSysreg(c: A64Core, key: number, rt: number): boolean {
  const s = c.s;
  switch (key) {
    case SYSREG.NZCV: set(c, rt, s.nzcv, 0); return true;
    case SYSREG.FPCR: set(c, rt, s.fpcr, 0); return true;
    case SYSREG.FPSR: set(c, rt, s.fpsr, 0); return true;
    case SYSREG.TPIDR_EL0: set(c, rt, s.tpidrLo, s.tpidrHi); return true;
    case SYSREG.TPIDRRO_EL0: set(c, rt, 0, 0); return true;
    case SYSREG.CNTFRQ_EL0: set(c, rt, CNTFRQ, 0); return true;
    case SYSREG.CNTPCT_EL0: case SYSREG.CNTVCT_EL0: {
      const t = process.hrtime.bigint();
      set(c, rt, Number(t & 0xffffffffn) | 0, Number((t >> 32n) & 0xffffffffn) | 0);
      return true;
    }
    case SYSREG.CTR_EL0: set(c, rt, 0x8444c004 | 0, 0); return true; // IminLine = DminLine = 64 bytes, PIPT
    case SYSREG.DCZID_EL0: set(c, rt, 4, 0); return true;
    default: {
      const v = ID_VALUES.get(key);
      if (v) { set(c, rt, v[0], v[1]); return true; }
      // the rest of the ID space Linux emulates (op0 3, op1 0, CRn 0, CRm 0 or 2..7): reads as 0
      if ((key >>> 7) === (reg(3, 0, 0, 0, 0) >>> 7) && ((key >>> 3) & 15) !== 1) { set(c, rt, 0, 0); return true; }
      return false;
    }
  }
}

export function writeSysreg(c: A64Core, key: number, rt: number): boolean {
  const s = c.s;
  const lo = rt === 31 ? 0 : c.x[2 * rt], hi = rt === 31 ? 0 : c.x[2 * rt + 1];
  switch (key) {
    case SYSREG.NZCV: s.nzcv = lo; return true;
    case SYSREG.FPCR: s.fpcr = lo & 0x07c80000; return true;
    case SYSREG.FPSR: s.fpsr = lo & 0xf800009f; return true;
    case SYSREG.TPIDR_EL0: s.setTpidr(lo, hi); return true;
    default: return false;
  }
}
