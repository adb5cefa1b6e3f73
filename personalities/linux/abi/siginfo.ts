/**
 * Linux siginfo_t: the si_code numbers and the encoder from the neutral
 * `SigInfo` to the 128-byte layout of a given arch (word size, endianness,
 * MIPS's swapped si_errno/si_code and renumbered SI_* codes).
 *
 * Layout (asm-generic/siginfo.h): int si_signo, si_errno, si_code (MIPS:
 * si_signo, si_code, si_errno), then the union `_sifields`, aligned to the
 * word size: at 16 on 64-bit arches (one int of padding), at 12 on 32-bit.
 * Union members, offsets relative to the union (W = word size in bytes):
 *   _kill    pid i32 @0, uid u32 @4
 *   _timer   tid i32 @0, overrun i32 @4, sigval (W bytes) @8
 *   _rt      pid i32 @0, uid u32 @4, sigval (W bytes) @8
 *   _sigchld pid i32 @0, uid u32 @4, status i32 @8, utime (W) @(W=8 ? 16 : 12), stime after it
 *   _sigfault addr (W) @0
 *   _sigpoll band (long, W) @0, fd i32 @W
 * Which member is used follows from the code (as the kernel decides it):
 * SI_TIMER → timer; SI_SIGIO → poll; other negative codes (SI_QUEUE, SI_TKILL,
 * SI_MESGQ, SI_ASYNCIO, ...) → rt; SI_USER / SI_KERNEL → kill; positive
 * signal-specific codes by their family: ILL_/FPE_/SEGV_/BUS_/TRAP_ → fault,
 * CLD_ → chld, POLL_ → poll. Unused bytes are zero.
 */
import type { Endian } from '../../../src/plugin/contracts.js';
import type { SigInfo } from './signal-frame.js';

export const SIGINFO_SIZE = 128;

/** si_code values of asm-generic (every arch but MIPS, which renumbers three). */
export const SI_CODES: Readonly<Record<string, number>> = {
  SI_USER: 0, SI_KERNEL: 0x80, SI_QUEUE: -1, SI_TIMER: -2, SI_MESGQ: -3, SI_ASYNCIO: -4,
  SI_SIGIO: -5, SI_TKILL: -6, SI_DETHREAD: -7, SI_ASYNCNL: -60,
  ILL_ILLOPC: 1, ILL_ILLOPN: 2, ILL_ILLADR: 3, ILL_ILLTRP: 4, ILL_PRVOPC: 5, ILL_PRVREG: 6,
  ILL_COPROC: 7, ILL_BADSTK: 8, ILL_BADIADDR: 9,
  FPE_INTDIV: 1, FPE_INTOVF: 2, FPE_FLTDIV: 3, FPE_FLTOVF: 4, FPE_FLTUND: 5, FPE_FLTRES: 6,
  FPE_FLTINV: 7, FPE_FLTSUB: 8, FPE_FLTUNK: 14, FPE_CONDTRAP: 15,
  SEGV_MAPERR: 1, SEGV_ACCERR: 2, SEGV_BNDERR: 3, SEGV_PKUERR: 4,
  BUS_ADRALN: 1, BUS_ADRERR: 2, BUS_OBJERR: 3, BUS_MCEERR_AR: 4, BUS_MCEERR_AO: 5,
  TRAP_BRKPT: 1, TRAP_TRACE: 2, TRAP_BRANCH: 3, TRAP_HWBKPT: 4, TRAP_UNK: 5,
  CLD_EXITED: 1, CLD_KILLED: 2, CLD_DUMPED: 3, CLD_TRAPPED: 4, CLD_STOPPED: 5, CLD_CONTINUED: 6,
  POLL_IN: 1, POLL_OUT: 2, POLL_MSG: 3, POLL_ERR: 4, POLL_PRI: 5, POLL_HUP: 6,
};

/** MIPS (asm/siginfo.h) renumbers SI_ASYNCIO, SI_TIMER and SI_MESGQ. */
export const MIPS_SI_CODES: Readonly<Record<string, number>> = {
  ...SI_CODES, SI_ASYNCIO: -2, SI_TIMER: -3, SI_MESGQ: -4,
};

export interface SiginfoLayout {
  wordSize: 32 | 64;
  endian: Endian;
  /** MIPS: si_code before si_errno (__ARCH_HAS_SWAPPED_SIGINFO). */
  swappedErrnoCode?: boolean;
  /** si_code name → number; SI_CODES unless the arch renumbers. */
  codes?: Readonly<Record<string, number>>;
}

export type SiginfoMember = 'kill' | 'timer' | 'rt' | 'chld' | 'fault' | 'poll';

/** The union member the kernel fills for a code (see the header comment). */
export function siginfoMember(code: string): SiginfoMember {
  switch (code) {
    case 'SI_USER': case 'SI_KERNEL': return 'kill';
    case 'SI_TIMER': return 'timer';
    case 'SI_SIGIO': return 'poll';
  }
  if (code.startsWith('SI_')) return 'rt';
  const family = code.slice(0, code.indexOf('_') + 1);
  switch (family) {
    case 'ILL_': case 'FPE_': case 'SEGV_': case 'BUS_': case 'TRAP_': return 'fault';
    case 'CLD_': return 'chld';
    case 'POLL_': return 'poll';
  }
  throw new Error(`unknown si_code name ${JSON.stringify(code)}`);
}

/** The number of a neutral si_code name, for the given table. */
export function siCodeNumber(code: string, codes: Readonly<Record<string, number>> = SI_CODES): number {
  const n = codes[code];
  if (n === undefined) throw new Error(`unknown si_code name ${JSON.stringify(code)}`);
  return n;
}

/**
 * SIGPOLL/SIGIO fields, which the neutral `SigInfo` does not carry yet
 * (si_band is a long, si_fd an int).
 */
export interface SigPollFields {
  band?: bigint | number;
  fd?: number;
}

/** Encodes `info` as the arch's siginfo_t (128 bytes). */
export function encodeSiginfo(info: SigInfo & SigPollFields, layout: SiginfoLayout): Uint8Array {
  const out = new Uint8Array(SIGINFO_SIZE);
  const dv = new DataView(out.buffer);
  const le = layout.endian === 'little';
  const w = layout.wordSize === 64 ? 8 : 4;
  const code = siCodeNumber(info.code, layout.codes ?? SI_CODES);
  const i32 = (off: number, v: number): void => dv.setInt32(off, v | 0, le);
  const u32 = (off: number, v: number): void => dv.setUint32(off, v >>> 0, le);
  const word = (off: number, v: bigint): void => {
    if (w === 8) dv.setBigUint64(off, BigInt.asUintN(64, v), le);
    else dv.setUint32(off, Number(BigInt.asUintN(32, v)), le);
  };

  i32(0, info.signo);
  i32(layout.swappedErrnoCode ? 8 : 4, info.errno ?? 0);
  i32(layout.swappedErrnoCode ? 4 : 8, code);
  const u = w === 8 ? 16 : 12;
  switch (siginfoMember(info.code)) {
    case 'kill':
      i32(u, info.pid ?? 0);
      u32(u + 4, info.uid ?? 0);
      break;
    case 'timer':
      i32(u, info.timerId ?? 0);
      i32(u + 4, info.overrun ?? 0);
      word(u + 8, info.value ?? 0n);
      break;
    case 'rt':
      i32(u, info.pid ?? 0);
      u32(u + 4, info.uid ?? 0);
      word(u + 8, info.value ?? 0n);
      break;
    case 'chld': {
      i32(u, info.pid ?? 0);
      u32(u + 4, info.uid ?? 0);
      i32(u + 8, info.status ?? 0);
      const ut = u + (w === 8 ? 16 : 12);
      word(ut, info.utime ?? 0n);
      word(ut + w, info.stime ?? 0n);
      break;
    }
    case 'fault':
      word(u, BigInt(info.addr ?? 0));
      break;
    case 'poll':
      word(u, BigInt(info.band ?? 0));
      i32(u + w, info.fd ?? 0);
      break;
  }
  return out;
}

/**
 * struct signalfd_siginfo (128 bytes, fixed-size fields in the guest's byte
 * order, the same on every arch): ssi_signo u32 @0, ssi_errno i32 @4,
 * ssi_code i32 @8, ssi_pid u32 @12, ssi_uid u32 @16, ssi_fd i32 @20,
 * ssi_tid u32 @24, ssi_band u32 @28, ssi_overrun u32 @32, ssi_trapno u32 @36,
 * ssi_status i32 @40, ssi_int i32 @44, ssi_ptr u64 @48, ssi_utime u64 @56,
 * ssi_stime u64 @64, ssi_addr u64 @72; the rest is zero.
 */
export function encodeSignalfdSiginfo(info: SigInfo & SigPollFields, endian: Endian, codes: Readonly<Record<string, number>> = SI_CODES): Uint8Array {
  const out = new Uint8Array(SIGINFO_SIZE);
  const dv = new DataView(out.buffer);
  const le = endian === 'little';
  dv.setUint32(0, info.signo, le);
  dv.setInt32(4, info.errno ?? 0, le);
  dv.setInt32(8, siCodeNumber(info.code, codes), le);
  dv.setUint32(12, info.pid ?? 0, le);
  dv.setUint32(16, info.uid ?? 0, le);
  dv.setInt32(40, info.status ?? 0, le);
  if (info.value !== undefined) {
    dv.setInt32(44, Number(BigInt.asIntN(32, info.value)), le);
    dv.setBigUint64(48, BigInt.asUintN(64, info.value), le);
  }
  dv.setBigUint64(56, info.utime ?? 0n, le);
  dv.setBigUint64(64, info.stime ?? 0n, le);
  dv.setBigUint64(72, BigInt(info.addr ?? 0), le);
  return out;
}
