import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AddressSpace, PROT_READ, PROT_WRITE } from '../../../src/memory/address-space.js';
import { GuestFault } from '../../../src/memory/fault.js';
import { ServerError } from '../../../servers/common/errno.js';
import { FilesServer } from '../../../servers/files/files-server.js';
import { genericFileAbi } from '../../../personalities/linux/abi/file-abi-generic.js';
import { linuxGenericErrno } from '../../../personalities/linux/abi/errno.js';
import { decodeStruct, encodeStruct } from '../../../personalities/linux/abi/file-abi.js';
import { filesSyscalls } from '../../../personalities/linux/syscalls/files.js';
import type { LinuxThread } from '../../../personalities/linux/syscalls/types.js';

const BASE = 0x100000;
let dir: string;
let mem: AddressSpace;
let t: LinuxThread;

function makeThread(files: FilesServer): LinuxThread {
  return {
    mem,
    core: {} as LinuxThread['core'],
    arch: { machine: 'riscv64', endian: 'little', wordSize: 64, errno: linuxGenericErrno, file: genericFileAbi } as unknown as LinuxThread['arch'],
    files,
    id: { pid: 1, ppid: 0, tid: 1, pgid: 1, sid: 1, uid: 0, euid: 0, suid: 0, gid: 0, egid: 0, sgid: 0, groups: [] },
    proc: { umask: 0o022 } as unknown as LinuxThread['proc'],
    warnOnce: () => {},
  };
}

/** Calls a handler like the stub does: ServerError → -errno, GuestFault → -EFAULT. */
function sys(name: string, ...args: (number | bigint)[]): bigint {
  const def = filesSyscalls[name];
  if (!def) throw new Error(`no handler ${name}`);
  try {
    return BigInt(def.fn(t, args.map((a) => BigInt.asUintN(64, BigInt(a)))));
  } catch (e) {
    if (e instanceof ServerError) return -BigInt(linuxGenericErrno[e.errno]);
    if (e instanceof GuestFault) return -14n;
    throw e;
  }
}

let strAt = BASE + 0x8000;
function str(s: string): number {
  const b = Buffer.from(s + '\0', 'latin1');
  mem.writeBytes(strAt, b);
  const at = strAt;
  strAt += (b.length + 15) & ~15;
  return at;
}

const AT_FDCWD = -100;
const O = genericFileAbi.O;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'compat-linux-files-'));
  mem = new AddressSpace();
  mem.mapPages(BASE, 0x100000, PROT_READ | PROT_WRITE);
  t = makeThread(new FilesServer({ stdio: 'none', cwd: dir }));
});
afterAll(() => { t.files.closeAll(); rmSync(dir, { recursive: true, force: true }); });

describe('linux file syscalls (riscv64 generic ABI)', () => {
  it('openat/write/lseek/read/pread64/close and errors as -errno', () => {
    const fd = Number(sys('openat', AT_FDCWD, str('f.txt'), O.RDWR | O.CREAT | O.TRUNC | O.CLOEXEC, 0o644));
    expect(fd).toBe(0);
    mem.writeBytes(BASE, Buffer.from('0123456789'));
    expect(sys('write', fd, BASE, 10)).toBe(10n);
    expect(sys('lseek', fd, 2, 0)).toBe(2n);
    expect(sys('read', fd, BASE + 100, 3)).toBe(3n);
    expect(Buffer.from(mem.view(BASE + 100, 3)).toString()).toBe('234');
    expect(sys('pread64', fd, BASE + 200, 4, 6)).toBe(4n);
    expect(Buffer.from(mem.view(BASE + 200, 4)).toString()).toBe('6789');
    expect(sys('fcntl', fd, 1 /* F_GETFD */, 0)).toBe(1n);
    expect(Number(sys('fcntl', fd, 3 /* F_GETFL */, 0)) & (O.ACCMODE | O.LARGEFILE)).toBe(O.RDWR | O.LARGEFILE);
    expect(sys('openat', AT_FDCWD, str('nope'), O.RDONLY, 0)).toBe(-2n);
    expect(sys('read', 77, BASE, 1)).toBe(-9n);
    expect(sys('read', fd, 0x10, 1)).toBe(-14n); // unmapped buffer: EFAULT
    expect(sys('openat', AT_FDCWD, 0x20, O.RDONLY, 0)).toBe(-14n);
    expect(sys('ioctl', fd, genericFileAbi.ioctl.TCGETS, BASE)).toBe(-25n); // ENOTTY: not a terminal
    expect(sys('lseek', fd, 0, 9)).toBe(-22n);
    expect(sys('close', fd)).toBe(0n);
    expect(sys('close', fd)).toBe(-9n);
  });

  it('readv/writev with iovec arrays', () => {
    const fd = Number(sys('openat', AT_FDCWD, str('v.txt'), O.RDWR | O.CREAT | O.TRUNC, 0o644));
    const iov = BASE + 0x1000;
    mem.writeBytes(BASE + 0x2000, Buffer.from('abc'));
    mem.writeBytes(BASE + 0x3000, Buffer.from('defgh'));
    mem.writeU64(iov, BigInt(BASE + 0x2000)); mem.writeU64(iov + 8, 3n);
    mem.writeU64(iov + 16, BigInt(BASE + 0x3000)); mem.writeU64(iov + 24, 5n);
    expect(sys('writev', fd, iov, 2)).toBe(8n);
    expect(readFileSync(join(dir, 'v.txt'), 'utf8')).toBe('abcdefgh');
    expect(sys('close', fd)).toBe(0n);
  });

  it('getdents64 with a small buffer walks a folder of 500 entries', () => {
    const d = join(dir, 'many');
    mkdirSync(d);
    for (let i = 0; i < 500; i++) writeFileSync(join(d, `file-number-${i}`), '');
    const fd = Number(sys('openat', AT_FDCWD, str('many'), O.RDONLY | O.DIRECTORY, 0));
    const names = new Set<string>();
    const buf = BASE + 0x4000;
    for (;;) {
      const n = Number(sys('getdents64', fd, buf, 128));
      expect(n).toBeGreaterThanOrEqual(0);
      if (n === 0) break;
      for (let p = 0; p < n;) {
        const hdr = decodeStruct(genericFileAbi, genericFileAbi.layouts.dirent64, mem.view(buf + p, 19));
        const reclen = Number(hdr.reclen);
        expect(reclen % 8).toBe(0);
        const nameBytes = mem.view(buf + p + 19, reclen - 19);
        names.add(Buffer.from(nameBytes.subarray(0, nameBytes.indexOf(0))).toString());
        p += reclen;
      }
    }
    expect(names.size).toBe(502);
    expect(sys('getdents64', fd, buf, 8)).toBe(0n); // at the end: 0 even for a tiny buffer
    sys('lseek', fd, 0, 0);
    expect(sys('getdents64', fd, buf, 8)).toBe(-22n);
    sys('close', fd);
  });

  it('symlinkat/readlinkat/renameat2/linkat/unlinkat/mkdirat/getcwd/chdir', () => {
    writeFileSync(join(dir, 'target'), 'x');
    expect(sys('symlinkat', str('target'), AT_FDCWD, str('lnk'))).toBe(0n);
    expect(sys('readlinkat', AT_FDCWD, str('lnk'), BASE, 100)).toBe(6n);
    expect(Buffer.from(mem.view(BASE, 6)).toString()).toBe('target');
    expect(sys('readlinkat', AT_FDCWD, str('lnk'), BASE, 3)).toBe(3n);
    expect(sys('linkat', AT_FDCWD, str('target'), AT_FDCWD, str('hard'), 0)).toBe(0n);
    expect(sys('renameat2', AT_FDCWD, str('hard'), AT_FDCWD, str('target'), 1)).toBe(-17n);
    expect(sys('renameat2', AT_FDCWD, str('hard'), AT_FDCWD, str('hard2'), 0)).toBe(0n);
    expect(sys('unlinkat', AT_FDCWD, str('hard2'), 0)).toBe(0n);
    expect(sys('mkdirat', AT_FDCWD, str('dd'), 0o755)).toBe(0n);
    expect(sys('unlinkat', AT_FDCWD, str('dd'), 0)).toBe(-21n);
    expect(sys('unlinkat', AT_FDCWD, str('dd'), 0x200)).toBe(0n);
    expect(sys('getcwd', BASE, 4096)).toBe(BigInt(dir.length + 1));
    expect(Buffer.from(mem.view(BASE, dir.length)).toString()).toBe(dir);
    expect(sys('getcwd', BASE, 2)).toBe(-34n);
    expect(sys('faccessat', AT_FDCWD, str('target'), 4)).toBe(0n);
    expect(sys('faccessat2', AT_FDCWD, str('nothing'), 0, 0)).toBe(-2n);
    expect(sys('umask', 0o027)).toBe(0o022n);
    expect(sys('umask', 0o022)).toBe(0o027n);
  });

  it('dup3/fcntl(F_DUPFD_CLOEXEC)/close_range', () => {
    const fd = Number(sys('openat', AT_FDCWD, str('target'), O.RDONLY, 0));
    expect(sys('dup3', fd, fd, 0)).toBe(-22n);
    expect(sys('dup3', fd, 10, O.CLOEXEC)).toBe(10n);
    expect(sys('fcntl', 10, 1, 0)).toBe(1n);
    expect(sys('fcntl', fd, 1030, 20)).toBe(20n);
    expect(sys('close_range', 10, 30, 0)).toBe(0n);
    expect(sys('close', 20)).toBe(-9n);
    sys('close', fd);
  });

  it('utimensat sets ns timestamps and honours UTIME_OMIT', () => {
    const ts = BASE + 0x5000;
    mem.writeU64(ts, 1_000_000_000n); mem.writeU64(ts + 8, 123456789n);
    mem.writeU64(ts + 16, 0n); mem.writeU64(ts + 24, BigInt(genericFileAbi.UTIME.OMIT));
    const before = t.files.stat('cwd', 'target');
    expect(sys('utimensat', AT_FDCWD, str('target'), ts, 0)).toBe(0n);
    const after = t.files.stat('cwd', 'target');
    expect(after.atime).toEqual({ sec: 1_000_000_000n, nsec: 123456789 });
    expect(after.mtime).toEqual(before.mtime);
  });
});

describe('struct layouts against a riscv64 C program', () => {
  let layout: Map<string, [number, number]> | null = null;
  let statBytes: string | null = null;
  let constants = '';
  const probe = join(tmpdir(), `compat-layout-${process.pid}`);
  try {
    const src = readFileSync(new URL('./files-layout.c', import.meta.url));
    writeFileSync(probe + '.c', src);
    execFileSync('riscv64-linux-gnu-gcc', ['-static', '-O1', '-o', probe, probe + '.c'], { stdio: 'pipe' });
    const target = join(tmpdir(), `compat-layout-target-${process.pid}`);
    writeFileSync(target, 'some bytes in a file\n');
    const out = execFileSync('qemu-riscv64', [probe, target], { encoding: 'utf8' });
    layout = new Map();
    for (const line of out.split('\n')) {
      const m = /^(\w+)\.([\w.]+) (\d+)(?: (\d+))?$/.exec(line);
      if (m) layout.set(`${m[1]}.${m[2]}`, [Number(m[3]), Number(m[4] ?? 0)]);
      if (line.startsWith('bytes ')) statBytes = line.slice(6);
      if (line.startsWith('TCGETS')) constants = line;
    }
    layout.set('target', [0, 0]);
    (globalThis as Record<string, unknown>).__layoutTarget = target;
  } catch {
    layout = null;
  }
  const why = 'SKIPPED: riscv64-linux-gnu-gcc or qemu-riscv64 not available';

  const expectLayout = (cStruct: string, ours: keyof typeof genericFileAbi.layouts, pairs: Array<[string, string]>) => {
    const l = genericFileAbi.layouts[ours]!;
    expect(l.size).toBe(layout!.get(`${cStruct}.size`)![0]);
    for (const [cField, field] of pairs) {
      const [off, size] = layout!.get(`${cStruct}.${cField}`)!;
      const f = l.fields[field];
      expect({ field, off: f.off, size: f.size * (f.count ?? 1) }).toEqual({ field, off, size });
    }
  };

  it.skipIf(!layout)(layout ? 'struct stat/statx/statfs/termios/winsize/flock offsets match' : `struct offsets: ${why}`, () => {
    expectLayout('stat', 'stat', [['st_dev', 'dev'], ['st_ino', 'ino'], ['st_mode', 'mode'], ['st_nlink', 'nlink'],
      ['st_uid', 'uid'], ['st_gid', 'gid'], ['st_rdev', 'rdev'], ['st_size', 'size'], ['st_blksize', 'blksize'],
      ['st_blocks', 'blocks'], ['st_atim.tv_sec', 'atime'], ['st_atim.tv_nsec', 'atime_nsec'], ['st_mtim.tv_sec', 'mtime'],
      ['st_mtim.tv_nsec', 'mtime_nsec'], ['st_ctim.tv_sec', 'ctime'], ['st_ctim.tv_nsec', 'ctime_nsec']]);
    expectLayout('statx', 'statx', [['stx_mask', 'mask'], ['stx_blksize', 'blksize'], ['stx_attributes', 'attributes'],
      ['stx_nlink', 'nlink'], ['stx_uid', 'uid'], ['stx_gid', 'gid'], ['stx_mode', 'mode'], ['stx_ino', 'ino'],
      ['stx_size', 'size'], ['stx_blocks', 'blocks'], ['stx_attributes_mask', 'attributes_mask'],
      ['stx_rdev_major', 'rdev_major'], ['stx_rdev_minor', 'rdev_minor'], ['stx_dev_major', 'dev_major'], ['stx_dev_minor', 'dev_minor']]);
    for (const [c, f] of [['stx_atime', 'atime'], ['stx_btime', 'btime'], ['stx_ctime', 'ctime'], ['stx_mtime', 'mtime']]) {
      expect(genericFileAbi.layouts.statx.fields[f].off).toBe(layout!.get(`statx.${c}`)![0]);
      expect(genericFileAbi.layouts.statx.fields[`${f}_nsec`].off).toBe(layout!.get(`statx.${c}`)![0] + 8);
    }
    expectLayout('statfs', 'statfs', [['f_type', 'type'], ['f_bsize', 'bsize'], ['f_blocks', 'blocks'], ['f_bfree', 'bfree'],
      ['f_bavail', 'bavail'], ['f_files', 'files'], ['f_ffree', 'ffree'], ['f_namelen', 'namelen'], ['f_frsize', 'frsize'], ['f_flags', 'flags']]);
    expect(genericFileAbi.layouts.statfs.fields.fsid0.off).toBe(layout!.get('statfs.f_fsid')![0]);
    expectLayout('termios', 'termios', [['c_iflag', 'iflag'], ['c_oflag', 'oflag'], ['c_cflag', 'cflag'], ['c_lflag', 'lflag'], ['c_line', 'line'], ['c_cc', 'cc']]);
    expectLayout('winsize', 'winsize', [['ws_row', 'row'], ['ws_col', 'col'], ['ws_xpixel', 'xpixel'], ['ws_ypixel', 'ypixel']]);
    expectLayout('flock', 'flock', [['l_type', 'type'], ['l_whence', 'whence'], ['l_start', 'start'], ['l_len', 'len'], ['l_pid', 'pid']]);
    expect(constants).toContain(`TCGETS 0x${genericFileAbi.ioctl.TCGETS.toString(16)}`);
    expect(constants).toContain(`O_DIRECTORY 0${genericFileAbi.O.DIRECTORY.toString(8)}`);
    expect(constants).toContain(`O_TMPFILE 0${genericFileAbi.O.TMPFILE.toString(8)}`);
  });

  it.skipIf(!layout)(layout ? 'newfstatat writes the same 128 bytes a riscv64 program sees' : `stat bytes: ${why}`, () => {
    const target = (globalThis as Record<string, unknown>).__layoutTarget as string;
    expect(sys('newfstatat', AT_FDCWD, str(target), BASE + 0x6000, 0)).toBe(0n);
    const ours = Buffer.from(mem.view(BASE + 0x6000, 128));
    const theirs = Buffer.from(statBytes!, 'hex');
    const l = genericFileAbi.layouts.stat;
    const a = decodeStruct(genericFileAbi, l, ours);
    const b = decodeStruct(genericFileAbi, l, theirs);
    for (const name of Object.keys(l.fields)) expect({ name, v: a[name] }).toEqual({ name, v: b[name] });
    expect(ours.equals(theirs)).toBe(true);
    // fstat agrees with newfstatat
    const fd = Number(sys('openat', AT_FDCWD, str(target), O.RDONLY, 0));
    expect(sys('fstat', fd, BASE + 0x6100)).toBe(0n);
    expect(Buffer.from(mem.view(BASE + 0x6100, 128)).equals(ours)).toBe(true);
    sys('close', fd);
  });
});

describe('struct codec', () => {
  it('round-trips fields in both byte orders', () => {
    const be = { ...genericFileAbi, endian: 'big' as const };
    const v = { iflag: 0x01020304, oflag: 5, cflag: 6, lflag: 7, line: 1, cc: new Uint8Array([3, 28, 127]) };
    const le = encodeStruct(genericFileAbi, genericFileAbi.layouts.termios, v);
    const bb = encodeStruct(be, genericFileAbi.layouts.termios, v);
    expect(le[0]).toBe(4);
    expect(bb[0]).toBe(1);
    expect(decodeStruct(be, genericFileAbi.layouts.termios, bb).iflag).toBe(0x01020304);
    expect([...(decodeStruct(genericFileAbi, genericFileAbi.layouts.termios, le).cc as Uint8Array).subarray(0, 3)]).toEqual([3, 28, 127]);
  });
});
