/**
 * MIPS o32 tables (personalities/linux/abi/mips-*.ts) against the kernel's
 * own UAPI view: the probe test/fixtures/src/mips/probes/layout.c, built with
 * mipsel-linux-gnu-gcc -static, prints sizeof/offsetof and constant values.
 * Its output is committed next to the binary; when qemu-mipsel is installed
 * the binary is run again and must still print the same. The syscall table
 * is also compared with asm/unistd_o32.h when the cross sysroot is present.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { encodeStruct, type StructLayout } from '../../../personalities/linux/abi/file-abi.js';
import { MIPS_ERRNO_EXTRA, mipsErrno } from '../../../personalities/linux/abi/mips-errno.js';
import { mipsIoc, mipsO32FileAbiFor, MIPS_NCCS, mipsTermiosXlat } from '../../../personalities/linux/abi/mips-o32-files.js';
import { O32_FRAME } from '../../../personalities/linux/abi/mips-o32-signal.js';
import { mipsO32Syscalls, O32_BASE } from '../../../personalities/linux/abi/mips-o32-tables.js';
import { mipsO32Arch, mipsO32ArchFor, mipsebO32Arch } from '../../../personalities/linux/abi/mips-o32.js';
import {
  MIPS_MINSIGSTKSZ, MIPS_NSIG, MIPS_O32_SIGACTION, MIPS_O32_STACK_T, MIPS_SIG_HOW, mipsMman, mipsSaFlags, mipsSignals,
} from '../../../personalities/linux/abi/mips-signals.js';
import { encodeSiginfo, MIPS_SI_CODES } from '../../../personalities/linux/abi/siginfo.js';
import { linuxGenericErrno } from '../../../personalities/linux/abi/errno.js';

const PROBES = fileURLToPath(new URL('../../fixtures/bin/mipsel/probes/', import.meta.url));
const committed = readFileSync(PROBES + 'layout.stdout', 'utf8');

function parse(text: string): Map<string, string> {
  return new Map(text.trim().split('\n').map((l) => {
    const i = l.lastIndexOf(' ');
    return [l.slice(0, i), l.slice(i + 1)] as [string, string];
  }));
}
const P = parse(committed);
const num = (k: string): number => {
  const v = P.get(k);
  if (v === undefined) throw new Error(`probe output lacks ${k}`);
  return Number(v);
};

const hasQemu = (() => { try { execFileSync('qemu-mipsel', ['-version'], { stdio: 'ignore' }); return true; } catch { return false; } })();
const UNISTD = '/usr/mipsel-linux-gnu/include/asm/unistd_o32.h';

const F = mipsO32Arch.file;
const L = F.layouts;

/** Checks `layout` against the probe's sizeof.<c> and <c>.<prefix><field> for each [ours, theirs] pair. */
function checkLayout(lay: StructLayout, c: string, fields: Record<string, string>): void {
  expect(lay.size, `sizeof ${c}`).toBe(num(`sizeof.${c}`));
  for (const [ours, theirs] of Object.entries(fields)) {
    expect(lay.fields[ours]?.off, `${c}.${theirs}`).toBe(num(`${c}.${theirs}`));
  }
}

describe('the probe', () => {
  it.skipIf(!hasQemu)('prints the committed output under qemu-mipsel', () => {
    expect(execFileSync('qemu-mipsel', [PROBES + 'layout'], { encoding: 'utf8' })).toBe(committed);
  });
});

describe('struct layouts', () => {
  const statFields = {
    dev: 'st_dev', ino: 'st_ino', mode: 'st_mode', nlink: 'st_nlink', uid: 'st_uid', gid: 'st_gid', rdev: 'st_rdev',
    size: 'st_size', atime: 'st_atime', atime_nsec: 'st_atime_nsec', mtime: 'st_mtime', mtime_nsec: 'st_mtime_nsec',
    ctime: 'st_ctime', ctime_nsec: 'st_ctime_nsec', blksize: 'st_blksize', blocks: 'st_blocks',
  };
  it('struct stat (old stat/fstat) and stat64', () => {
    checkLayout(L.stat, 'stat', statFields);
    checkLayout(L.stat64!, 'stat64', statFields);
    expect(L.stat64!.fields.ino.size).toBe(8);
    expect(L.stat64!.fields.size.size).toBe(8);
    expect(L.stat64!.fields.blocks.size).toBe(8);
    expect(L.stat64!.fields.dev.size).toBe(4);
  });
  it('statfs and statfs64', () => {
    const f = {
      type: 'f_type', bsize: 'f_bsize', frsize: 'f_frsize', blocks: 'f_blocks', bfree: 'f_bfree', files: 'f_files',
      ffree: 'f_ffree', bavail: 'f_bavail', fsid0: 'f_fsid', namelen: 'f_namelen', flags: 'f_flags',
    };
    checkLayout(L.statfs, 'statfs', f);
    checkLayout(L.statfs64!, 'statfs64', f);
    expect(L.statfs64!.fields.fsid1.off).toBe(num('statfs64.f_fsid') + 4);
  });
  it('termios (NCCS 23) and winsize', () => {
    checkLayout(L.termios, 'termios', { iflag: 'c_iflag', oflag: 'c_oflag', cflag: 'c_cflag', lflag: 'c_lflag', line: 'c_line', cc: 'c_cc' });
    expect(L.termios.fields.cc.count).toBe(num('NCCS'));
    expect(F.NCCS).toBe(MIPS_NCCS);
    checkLayout(L.winsize, 'winsize', { row: 'ws_row', col: 'ws_col', xpixel: 'ws_xpixel', ypixel: 'ws_ypixel' });
  });
  it('flock and flock64', () => {
    const f = { type: 'l_type', whence: 'l_whence', start: 'l_start', len: 'l_len', pid: 'l_pid' };
    checkLayout(L.flock, 'flock', f);
    checkLayout(L.flock64!, 'flock64', f);
  });
  it('dirent64 (glibc view = kernel linux_dirent64 header), timespec, iovec', () => {
    const d = L.dirent64;
    expect([d.fields.ino.off, d.fields.off.off, d.fields.reclen.off, d.fields.type.off, d.size]).toEqual(
      ['d_ino', 'd_off', 'd_reclen', 'd_type', 'd_name'].map((k) => num(`glibc.dirent64_t.${k}`)));
    expect(L.timespec.size).toBe(8); // old_timespec32; __kernel_timespec (time64 calls) is 16
    expect(num('sizeof.__kernel_timespec')).toBe(16);
    expect(L.iovec.size).toBe(8);
  });
  it('kernel struct sigaction: sa_flags first, no restorer, 128-bit mask', () => {
    expect(MIPS_O32_SIGACTION.flags).toBe(num('sigaction.sa_flags'));
    expect(MIPS_O32_SIGACTION.handler).toBe(num('sigaction.sa_handler'));
    expect(MIPS_O32_SIGACTION.mask).toBe(num('sigaction.sa_mask'));
    expect(MIPS_O32_SIGACTION.size).toBe(num('sizeof.sigaction'));
    expect(MIPS_O32_SIGACTION.restorer).toBe(-1);
    expect(num('sizeof.sigset_t')).toBe(MIPS_NSIG / 8);
    expect(mipsO32Arch.sigactionLayout).toEqual({ flags: 0, flagsSize: 4, handler: 4, restorer: -1, mask: 8 });
  });
  it('stack_t: ss_size before ss_flags', () => {
    expect(MIPS_O32_STACK_T).toEqual({
      sp: num('stack_t.ss_sp'), size: num('stack_t.ss_size'), flags: num('stack_t.ss_flags'), total: num('sizeof.stack_t'),
    });
  });
  it('sigcontext, ucontext and rt_sigframe offsets', () => {
    const uc = O32_FRAME.uc;
    const mc = uc + num('ucontext.uc_mcontext');
    expect(O32_FRAME.size).toBe(num('sizeof.k_rt_sigframe'));
    expect(O32_FRAME.pad).toBe(num('k_rt_sigframe.rs_pad'));
    expect(O32_FRAME.info).toBe(num('k_rt_sigframe.rs_info'));
    expect(uc).toBe(num('k_rt_sigframe.rs_uc'));
    expect(O32_FRAME.ucFlags).toBe(uc + num('ucontext.uc_flags'));
    expect(O32_FRAME.ucLink).toBe(uc + num('ucontext.uc_link'));
    const st = uc + num('ucontext.uc_stack');
    expect([O32_FRAME.ssSp, O32_FRAME.ssSize, O32_FRAME.ssFlags]).toEqual([st + num('stack_t.ss_sp'), st + num('stack_t.ss_size'), st + num('stack_t.ss_flags')]);
    expect(O32_FRAME.mcontext).toBe(mc);
    const sc: Record<string, string> = {
      regmask: 'sc_regmask', status: 'sc_status', pc: 'sc_pc', regs: 'sc_regs', fpregs: 'sc_fpregs', acx: 'sc_acx',
      fpcCsr: 'sc_fpc_csr', fpcEir: 'sc_fpc_eir', usedMath: 'sc_used_math', dsp: 'sc_dsp', mdhi: 'sc_mdhi', mdlo: 'sc_mdlo',
      hi1: 'sc_hi1',
    };
    for (const [ours, theirs] of Object.entries(sc)) {
      expect(O32_FRAME[ours as keyof typeof O32_FRAME], theirs).toBe(mc + num(`sigcontext.${theirs}`));
    }
    expect(O32_FRAME.sigmask).toBe(uc + num('ucontext.uc_sigmask'));
    expect(num('sizeof.ucontext')).toBe(O32_FRAME.size - uc);
    // glibc's ucontext_t agrees up to uc_sigmask (its sigset_t is bigger)
    expect(num('glibc.ucontext_t.uc_mcontext')).toBe(num('ucontext.uc_mcontext'));
    expect(num('glibc.ucontext_t.uc_sigmask')).toBe(num('ucontext.uc_sigmask'));
    expect(num('glibc.ucontext_t.uc_mcontext.gregs')).toBe(O32_FRAME.regs - uc);
    expect(num('glibc.ucontext_t.uc_mcontext.fpc_csr')).toBe(O32_FRAME.fpcCsr - uc);
  });
  it('siginfo: si_code before si_errno; union at 12; MIPS SI_* codes', () => {
    expect(num('siginfo_t.si_code')).toBe(4);
    expect(num('siginfo_t.si_errno')).toBe(8);
    const enc = mipsO32Arch.signalFrames!.encodeSiginfo;
    const dv = (b: Uint8Array): DataView => new DataView(b.buffer);
    const kill = dv(enc({ signo: 16, code: 'SI_TKILL', errno: 5, pid: 77, uid: 1000 }));
    expect(kill.getInt32(num('siginfo_t.si_code'), true)).toBe(num('SI_TKILL'));
    expect(kill.getInt32(num('siginfo_t.si_errno'), true)).toBe(5);
    expect(kill.getInt32(num('siginfo_t.si_pid'), true)).toBe(77);
    expect(kill.getUint32(num('siginfo_t.si_uid'), true)).toBe(1000);
    const chld = dv(enc({ signo: 18, code: 'CLD_EXITED', pid: 9, uid: 1, status: 3, utime: 4n, stime: 5n }));
    expect([chld.getInt32(num('siginfo_t.si_status'), true), chld.getUint32(num('siginfo_t.si_utime'), true), chld.getUint32(num('siginfo_t.si_stime'), true)]).toEqual([3, 4, 5]);
    const fault = dv(enc({ signo: 11, code: 'SEGV_MAPERR', addr: 0x1234 }));
    expect(fault.getUint32(num('siginfo_t.si_addr'), true)).toBe(0x1234);
    const timer = dv(enc({ signo: 14, code: 'SI_TIMER', timerId: 2, overrun: 3, value: 7n }));
    expect(timer.getInt32(num('siginfo_t.si_code'), true)).toBe(num('SI_TIMER'));
    expect([timer.getInt32(num('siginfo_t.si_tid'), true), timer.getInt32(num('siginfo_t.si_overrun'), true), timer.getUint32(num('siginfo_t.si_value'), true)]).toEqual([2, 3, 7]);
    const poll = dv(encodeSiginfo({ signo: 22, code: 'POLL_IN', band: 1, fd: 6 }, { wordSize: 32, endian: 'little', swappedErrnoCode: true, codes: MIPS_SI_CODES }));
    expect([poll.getInt32(num('siginfo_t.si_band'), true), poll.getInt32(num('siginfo_t.si_fd'), true)]).toEqual([1, 6]);
    for (const c of ['SI_USER', 'SI_KERNEL', 'SI_QUEUE', 'SI_TIMER', 'SI_MESGQ', 'SI_ASYNCIO', 'SI_SIGIO', 'SI_TKILL']) {
      expect(MIPS_SI_CODES[c], c).toBe(num(c));
    }
    // the glibc view agrees
    expect(num('glibc.siginfo_t.si_code')).toBe(4);
    expect(num('glibc.siginfo_t.si_errno')).toBe(8);
  });
  it('big-endian records share the layouts and differ only in byte order', () => {
    const be = mipsO32ArchFor('big');
    expect(be).toBe(mipsebO32Arch);
    expect(be.endian).toBe('big');
    expect(be.file.endian).toBe('big');
    expect(be.file.layouts).toEqual(F.layouts);
    const bytes = encodeStruct(be.file, be.file.layouts.stat64!, { size: 0x1_0000_0002n, mode: 0o100644 });
    expect([...bytes.subarray(56, 64)]).toEqual([0, 0, 0, 1, 0, 0, 0, 2]);
    expect([...bytes.subarray(24, 28)]).toEqual([0, 0, 0x81, 0xa4]);
  });
});

describe('constants', () => {
  it('open flags', () => {
    for (const [k, v] of Object.entries(F.O)) {
      if (k === 'ASYNC') expect(v).toBe(num('FASYNC'));
      else expect(v, `O_${k}`).toBe(num(`O_${k}`));
    }
    expect(F.openFlags.O_SYNC).toBe(0x4000); // __O_SYNC alone, for --trace
  });
  it('AT_* values', () => {
    expect([F.AT.FDCWD, F.AT.SYMLINK_NOFOLLOW, F.AT.REMOVEDIR, F.AT.SYMLINK_FOLLOW, F.AT.EMPTY_PATH]).toEqual(
      ['AT_FDCWD', 'AT_SYMLINK_NOFOLLOW', 'AT_REMOVEDIR', 'AT_SYMLINK_FOLLOW', 'AT_EMPTY_PATH'].map(num));
  });
  it('fcntl commands', () => {
    for (const [k, v] of Object.entries(F.F)) {
      const name = k === 'FD_CLOEXEC' || k.endsWith('LCK') ? (k === 'FD_CLOEXEC' ? k : `F_${k}`) : `F_${k}`;
      expect(v, name).toBe(num(name));
    }
  });
  it('ioctl request numbers', () => {
    for (const [k, v] of Object.entries(F.ioctl)) expect(v, k).toBe(num(k) >>> 0);
    expect(F.ioctl.TIOCGWINSZ).toBe(0x40087468);
    expect(F.ioctl.FIONREAD).toBe(0x467f);
    expect(F.ioctl.TCGETS).toBe(0x540d);
    expect(mipsIoc(4, 't', 103, 8)).toBe(F.ioctl.TIOCSWINSZ);
  });
  it('termios translation follows the header c_cc indices and c_lflag bits', () => {
    const genericCc = ['VINTR', 'VQUIT', 'VERASE', 'VKILL', 'VEOF', 'VTIME', 'VMIN', 'VSWTC', 'VSTART', 'VSTOP', 'VSUSP', 'VEOL', 'VREPRINT', 'VDISCARD', 'VWERASE', 'VLNEXT', 'VEOL2'];
    expect(mipsTermiosXlat.ccFromGeneric).toEqual(genericCc.map(num));
    // generic (asm-generic/termbits.h) lflag values of the three that move
    expect(mipsTermiosXlat.lflagPairs).toEqual([[0x100, num('TOSTOP')], [0x8000, num('IEXTEN')], [0x1000, num('FLUSHO')]]);
    // the rest of c_lflag and iflag/oflag/cflag are generic
    expect(['ISIG', 'ICANON', 'ECHO', 'ECHOE', 'ECHOK', 'ECHONL', 'NOFLSH', 'ECHOCTL', 'ECHOPRT', 'ECHOKE', 'PENDIN', 'EXTPROC'].map(num))
      .toEqual([1, 2, 8, 0x10, 0x20, 0x40, 0x80, 0x200, 0x400, 0x800, 0x4000, 0x10000]);
    expect(['IXON', 'IXOFF', 'IMAXBEL', 'IUTF8', 'ICRNL', 'OPOST', 'ONLCR', 'CSIZE', 'CREAD', 'HUPCL', 'CLOCAL', 'CBAUD'].map(num))
      .toEqual([0x400, 0x1000, 0x2000, 0x4000, 0x100, 1, 4, 0x30, 0x80, 0x400, 0x800, 0x100f]);

    const cc = new Uint8Array(19).map((_, i) => 100 + i);
    const host = { iflag: 0x500, oflag: 5, cflag: 0xbf, lflag: 0x8a3b | 0x100 | 0x1000, line: 0, cc };
    const g = mipsTermiosXlat.toGuest(host);
    expect(g.cc.length).toBe(23);
    expect(g.cc[num('VEOF')]).toBe(104);
    expect(g.cc[num('VMIN')]).toBe(106);
    expect(g.cc[num('VTIME')]).toBe(105);
    expect(g.cc[num('VEOL')]).toBe(111);
    expect(g.cc[num('VEOL2')]).toBe(116);
    expect(g.lflag & num('IEXTEN')).toBe(num('IEXTEN'));
    expect(g.lflag & num('TOSTOP')).toBe(num('TOSTOP'));
    expect(g.lflag & num('FLUSHO')).toBe(num('FLUSHO'));
    expect(g.lflag & num('ECHO')).toBe(num('ECHO'));
    const back = mipsTermiosXlat.fromGuest(g);
    expect(back.lflag).toBe(host.lflag);
    expect([...back.cc.subarray(0, 17)]).toEqual([...cc.subarray(0, 17)]);
    expect([back.iflag, back.oflag, back.cflag]).toEqual([host.iflag, host.oflag, host.cflag]);
  });
  it('signal numbers, _NSIG 128', () => {
    for (let n = 1; n <= 31; n++) {
      const name = mipsSignals.byNumber.get(n)!;
      expect(num(name), name).toBe(n);
    }
    expect(mipsSignals.max).toBe(num('_NSIG'));
    expect(mipsSignals.byNumber.get(num('SIGRTMIN'))).toBe('SIGRT0');
    expect(mipsSignals.byNumber.get(num('SIGRTMAX'))).toBe('SIGRT96');
    expect(mipsSignals.byName.get('SIGSTKFLT')).toBeUndefined();
  });
  it('sigaction flags; no SA_RESTORER', () => {
    for (const [k, v] of Object.entries(mipsSaFlags)) {
      if (k === 'SA_RESTORER') { expect(P.has('SA_RESTORER')).toBe(false); expect(v).toBe(0n); continue; }
      expect(v, k).toBe(BigInt(num(k) >>> 0));
    }
    expect(MIPS_SIG_HOW).toEqual({ SIG_BLOCK: num('SIG_BLOCK'), SIG_UNBLOCK: num('SIG_UNBLOCK'), SIG_SETMASK: num('SIG_SETMASK') });
    expect(MIPS_MINSIGSTKSZ).toBe(num('MINSIGSTKSZ'));
    expect(mipsO32Arch.signalFrames!.minSigStackSize).toBe(num('MINSIGSTKSZ'));
  });
  it('mmap flags', () => {
    for (const [k, v] of Object.entries(mipsMman)) expect(v, k).toBe(num(k));
  });
  it('errno values', () => {
    for (const [k, v] of Object.entries(mipsErrno)) {
      if (k === 'ERESTARTSYS') { expect(v).toBe(512); continue; }
      expect(v, k).toBe(num(k));
    }
    expect(Object.keys(mipsErrno).sort()).toEqual(Object.keys(linuxGenericErrno).sort());
    expect([mipsErrno.EAGAIN, mipsErrno.ENOSYS, mipsErrno.EDEADLK, mipsErrno.ENAMETOOLONG, mipsErrno.EDQUOT]).toEqual([11, 89, 45, 78, 1133]);
    expect(MIPS_ERRNO_EXTRA.ENOSYS).toBe(89);
  });
});

describe('syscall numbers', () => {
  it('spot checks against the probe', () => {
    expect(O32_BASE).toBe(num('__NR_Linux'));
    const byName = new Map([...mipsO32Syscalls].map(([n, name]) => [name, n]));
    for (const k of ['syscall', 'exit', 'read', 'write', 'pipe', 'mmap', 'mmap2', '_llseek', 'fstat64', 'fstatat64',
      'set_thread_area', 'rt_sigreturn', 'rt_sigaction', 'exit_group', 'statx', 'clock_gettime64']) {
      expect(byName.get(k), k).toBe(num(`__NR_${k}`));
    }
  });
  it.skipIf(!existsSync(UNISTD))('every number of asm/unistd_o32.h, and nothing else up to 450', () => {
    const text = readFileSync(UNISTD, 'utf8');
    const header = new Map<number, string>();
    for (const m of text.matchAll(/#define __NR_(\w+)\s+\(__NR_Linux \+ (\d+)\)/g)) header.set(O32_BASE + Number(m[2]), m[1]);
    expect(header.size).toBeGreaterThan(400);
    for (const [n, name] of header) expect(mipsO32Syscalls.get(n), `${n}`).toBe(name);
    for (const [n] of mipsO32Syscalls) if (n <= O32_BASE + 450) expect(header.has(n), `${n}`).toBe(true);
  });
  it('covers 4000..4462 with the kernel names', () => {
    const nums = [...mipsO32Syscalls.keys()];
    expect(Math.min(...nums)).toBe(4000);
    expect(Math.max(...nums)).toBe(4462);
    expect(mipsO32Syscalls.get(4283)).toBe('set_thread_area');
    expect(mipsO32Syscalls.get(4140)).toBe('_llseek');
    expect(mipsO32Syscalls.get(4210)).toBe('mmap2');
    expect(mipsO32Syscalls.get(4439)).toBe('faccessat2');
  });
});

describe('arch record', () => {
  it('fields', () => {
    const a = mipsO32Arch;
    expect([a.machine, a.isa, a.endian, a.wordSize, a.pageSize]).toEqual(['mips', 'mips', 'little', 32, 4096]);
    expect(a.syscalls).toBe(mipsO32Syscalls);
    expect(a.errno).toBe(mipsErrno);
    expect(a.mman).toBe(mipsMman);
    expect(a.signals).toBe(mipsSignals);
    expect(a.sa).toBe(mipsSaFlags);
    expect(mipsO32ArchFor('little')).toBe(a);
  });
  it('AT_PLATFORM, AT_BASE_PLATFORM and AT_HWCAP as a MIPS32r2 gets them', () => {
    expect(P.get('auxv.AT_PLATFORM')).toBe('(none)');
    expect(mipsO32Arch.platform).toBeNull();
    expect(P.get('auxv.AT_BASE_PLATFORM')).toBe(mipsO32Arch.basePlatform);
    expect(BigInt(num('auxv.AT_HWCAP'))).toBe(mipsO32Arch.hwcap);
    expect(num('auxv.AT_PAGESZ')).toBe(mipsO32Arch.pageSize);
  });
});
