/**
 * Linux siginfo_t encoding (personalities/linux/abi/siginfo.ts): si_code
 * numbers, which union member each code selects, and the layout for 64-bit
 * little-endian (riscv64) and 32-bit big-endian MIPS (swapped si_errno/si_code).
 * Offsets are the ones the riscv64 C compiler reports for glibc's siginfo_t
 * (pid/addr/band/timerid 16, uid/overrun 20, value/status/fd 24, utime 32, stime 40).
 */
import { describe, expect, it } from 'vitest';
import {
  encodeSiginfo, MIPS_SI_CODES, SI_CODES, SIGINFO_SIZE, siCodeNumber, siginfoMember,
} from '../../../personalities/linux/abi/siginfo.js';
import { riscv64SignalFrames } from '../../../personalities/linux/abi/riscv64-signal.js';

const rv = { wordSize: 64, endian: 'little' } as const;
const mipsBe = { wordSize: 32, endian: 'big', swappedErrnoCode: true, codes: MIPS_SI_CODES } as const;

const view = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** Offsets of the bytes that are not zero. */
function nonZero(b: Uint8Array): number[] {
  const r: number[] = [];
  b.forEach((x, i) => { if (x !== 0) r.push(i); });
  return r;
}

describe('si_code numbers', () => {
  it('generic codes', () => {
    expect([SI_CODES.SI_USER, SI_CODES.SI_KERNEL, SI_CODES.SI_QUEUE, SI_CODES.SI_TIMER, SI_CODES.SI_MESGQ,
      SI_CODES.SI_ASYNCIO, SI_CODES.SI_SIGIO, SI_CODES.SI_TKILL]).toEqual([0, 0x80, -1, -2, -3, -4, -5, -6]);
    expect([SI_CODES.ILL_ILLOPC, SI_CODES.ILL_PRVOPC, SI_CODES.ILL_BADSTK]).toEqual([1, 5, 8]);
    expect([SI_CODES.FPE_INTDIV, SI_CODES.FPE_FLTINV, SI_CODES.FPE_FLTUNK]).toEqual([1, 7, 14]);
    expect([SI_CODES.SEGV_MAPERR, SI_CODES.SEGV_ACCERR]).toEqual([1, 2]);
    expect([SI_CODES.BUS_ADRALN, SI_CODES.BUS_ADRERR, SI_CODES.BUS_OBJERR]).toEqual([1, 2, 3]);
    expect([SI_CODES.TRAP_BRKPT, SI_CODES.TRAP_TRACE]).toEqual([1, 2]);
    expect([SI_CODES.CLD_EXITED, SI_CODES.CLD_KILLED, SI_CODES.CLD_DUMPED, SI_CODES.CLD_TRAPPED,
      SI_CODES.CLD_STOPPED, SI_CODES.CLD_CONTINUED]).toEqual([1, 2, 3, 4, 5, 6]);
    expect([SI_CODES.POLL_IN, SI_CODES.POLL_OUT, SI_CODES.POLL_MSG, SI_CODES.POLL_ERR, SI_CODES.POLL_PRI,
      SI_CODES.POLL_HUP]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('MIPS renumbers SI_ASYNCIO, SI_TIMER, SI_MESGQ', () => {
    expect([MIPS_SI_CODES.SI_ASYNCIO, MIPS_SI_CODES.SI_TIMER, MIPS_SI_CODES.SI_MESGQ]).toEqual([-2, -3, -4]);
    expect(MIPS_SI_CODES.SI_TKILL).toBe(-6);
  });

  it('unknown names are refused', () => {
    expect(() => siCodeNumber('SI_BOGUS')).toThrow(/unknown si_code/);
    expect(() => siginfoMember('WHAT_EVER')).toThrow(/unknown si_code/);
    expect(() => encodeSiginfo({ signo: 1, code: 'nope' }, rv)).toThrow(/unknown si_code/);
  });

  it('union member per code', () => {
    const m = (c: string): string => siginfoMember(c);
    expect([m('SI_USER'), m('SI_KERNEL')]).toEqual(['kill', 'kill']);
    expect(m('SI_TIMER')).toBe('timer');
    expect([m('SI_QUEUE'), m('SI_TKILL'), m('SI_MESGQ'), m('SI_ASYNCIO')]).toEqual(['rt', 'rt', 'rt', 'rt']);
    expect(m('SI_SIGIO')).toBe('poll');
    for (const c of ['ILL_ILLOPC', 'FPE_INTDIV', 'SEGV_MAPERR', 'BUS_ADRALN', 'TRAP_BRKPT']) expect(m(c)).toBe('fault');
    expect(m('CLD_EXITED')).toBe('chld');
    expect(m('POLL_IN')).toBe('poll');
  });
});

describe('riscv64 (64-bit little-endian) layout', () => {
  it('kill: signo, errno, code, pid @16, uid @20', () => {
    const b = riscv64SignalFrames.encodeSiginfo({ signo: 10, code: 'SI_USER', pid: 77, uid: 1000, errno: 5 });
    expect(b.length).toBe(SIGINFO_SIZE);
    const d = view(b);
    expect([d.getInt32(0, true), d.getInt32(4, true), d.getInt32(8, true)]).toEqual([10, 5, 0]);
    expect([d.getInt32(16, true), d.getUint32(20, true)]).toEqual([77, 1000]);
    expect(nonZero(b).every((i) => i < 24)).toBe(true);
  });

  it('SI_KERNEL and SI_TKILL', () => {
    const k = view(encodeSiginfo({ signo: 11, code: 'SI_KERNEL' }, rv));
    expect(k.getInt32(8, true)).toBe(0x80);
    const t = view(encodeSiginfo({ signo: 6, code: 'SI_TKILL', pid: 9, uid: 0 }, rv));
    expect([t.getInt32(8, true), t.getInt32(16, true)]).toEqual([-6, 9]);
  });

  it('rt (sigqueue): pid, uid, value @24 as 8 bytes', () => {
    const d = view(encodeSiginfo({ signo: 34, code: 'SI_QUEUE', pid: 5, uid: 6, value: 0x1122334455667788n }, rv));
    expect(d.getInt32(8, true)).toBe(-1);
    expect([d.getInt32(16, true), d.getUint32(20, true)]).toEqual([5, 6]);
    expect(d.getBigUint64(24, true)).toBe(0x1122334455667788n);
  });

  it('timer: tid @16, overrun @20, value @24', () => {
    const d = view(encodeSiginfo({ signo: 14, code: 'SI_TIMER', timerId: 3, overrun: 2, value: -1n }, rv));
    expect(d.getInt32(8, true)).toBe(-2);
    expect([d.getInt32(16, true), d.getInt32(20, true)]).toEqual([3, 2]);
    expect(d.getBigUint64(24, true)).toBe(0xffffffffffffffffn);
  });

  it('chld: pid, uid, status @24, utime @32, stime @40', () => {
    const d = view(encodeSiginfo({ signo: 17, code: 'CLD_EXITED', pid: 42, uid: 7, status: 3, utime: 12n, stime: 34n }, rv));
    expect(d.getInt32(8, true)).toBe(1);
    expect([d.getInt32(16, true), d.getUint32(20, true), d.getInt32(24, true)]).toEqual([42, 7, 3]);
    expect([d.getBigInt64(32, true), d.getBigInt64(40, true)]).toEqual([12n, 34n]);
  });

  it('fault: addr @16 as 8 bytes, nothing else', () => {
    const b = encodeSiginfo({ signo: 11, code: 'SEGV_ACCERR', addr: 0xdeadbeef, pid: 1 }, rv);
    const d = view(b);
    expect(d.getInt32(8, true)).toBe(2);
    expect(d.getBigUint64(16, true)).toBe(0xdeadbeefn);
    expect(nonZero(b).every((i) => i < 24)).toBe(true);
    const hi = view(encodeSiginfo({ signo: 11, code: 'SEGV_MAPERR', addr: 2 ** 40 + 8 }, rv));
    expect(hi.getBigUint64(16, true)).toBe(2n ** 40n + 8n);
  });

  it('poll: band @16 (long), fd @24', () => {
    const d = view(encodeSiginfo({ signo: 29, code: 'POLL_IN', band: 0x41n, fd: 5 }, rv));
    expect(d.getInt32(8, true)).toBe(1);
    expect(d.getBigInt64(16, true)).toBe(0x41n);
    expect(d.getInt32(24, true)).toBe(5);
  });
});

describe('MIPS o32 (32-bit big-endian, swapped errno/code) layout', () => {
  it('preamble is signo, code, errno; union at 12', () => {
    const d = view(encodeSiginfo({ signo: 16, code: 'SI_USER', errno: 9, pid: 100, uid: 200 }, mipsBe));
    expect([d.getInt32(0, false), d.getInt32(4, false), d.getInt32(8, false)]).toEqual([16, 0, 9]);
    expect([d.getInt32(12, false), d.getUint32(16, false)]).toEqual([100, 200]);
  });

  it('timer code -3, 4-byte sigval; chld times at 24 and 28; fault addr at 12; poll fd at 16', () => {
    const t = view(encodeSiginfo({ signo: 14, code: 'SI_TIMER', timerId: 1, overrun: 2, value: 0xabcdn }, mipsBe));
    expect(t.getInt32(4, false)).toBe(-3);
    expect([t.getInt32(12, false), t.getInt32(16, false), t.getUint32(20, false)]).toEqual([1, 2, 0xabcd]);
    expect(t.getUint32(24, false)).toBe(0);
    const c = view(encodeSiginfo({ signo: 18, code: 'CLD_KILLED', pid: 4, uid: 5, status: 9, utime: 10n, stime: 11n }, mipsBe));
    expect([c.getInt32(12, false), c.getInt32(16, false), c.getInt32(20, false), c.getInt32(24, false), c.getInt32(28, false)])
      .toEqual([4, 5, 9, 10, 11]);
    const f = view(encodeSiginfo({ signo: 10, code: 'BUS_ADRALN', addr: 0x7fff0001 }, mipsBe));
    expect(f.getUint32(12, false)).toBe(0x7fff0001);
    const p = view(encodeSiginfo({ signo: 22, code: 'POLL_OUT', band: 4, fd: 8 }, mipsBe));
    expect([p.getInt32(12, false), p.getInt32(16, false)]).toEqual([4, 8]);
  });
});
