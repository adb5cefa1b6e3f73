import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as host from '../../../src/host/libc.js';
import { H } from '../../../src/host/libc.js';
import { hostErrnoName } from '../../../src/host/errno.js';
import { FilesServer } from '../../../servers/files/files-server.js';
import { ServerError } from '../../../servers/common/errno.js';

let dir: string;
let fs: FilesServer;
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
/** A guest-memory-like buffer: a view of a SharedArrayBuffer. */
const sab = (n: number) => new Uint8Array(new SharedArrayBuffer(n));

function errno(f: () => unknown): string {
  try { f(); } catch (e) { if (e instanceof ServerError) return e.errno; throw e; }
  return 'no error';
}

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'compat-files-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });
afterEach(() => { fs?.closeAll(); });

describe('host errno table', () => {
  it('maps host numbers to neutral names', () => {
    expect(hostErrnoName(2)).toBe('ENOENT');
    expect(hostErrnoName(11)).toBe('EAGAIN');
  });
});

describe('FilesServer I/O', () => {
  it('opens, writes, reads, seeks', () => {
    fs = new FilesServer({ stdio: 'none', cwd: dir });
    const fd = fs.open('cwd', 'a.txt', { access: 'rw', create: true, trunc: true }, 0o644);
    expect(fd).toBe(0);
    expect(fs.write(fd, enc('hello world'))).toBe(11);
    expect(fs.lseek(fd, 6n, 'set')).toBe(6n);
    const b = sab(16);
    expect(fs.read(fd, b.subarray(0, 5))).toBe(5);
    expect(dec(b.subarray(0, 5))).toBe('world');
    expect(fs.read(fd, b)).toBe(0);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('hello world');
    expect(errno(() => fs.open('cwd', 'missing', { access: 'r' }))).toBe('ENOENT');
    expect(errno(() => fs.open('cwd', 'a.txt', { access: 'r', create: true, excl: true }, 0o644))).toBe('EEXIST');
    expect(fs.fstat(fd).size).toBe(11n);
    expect(fs.fstat(fd).mode & 0o170000).toBe(0o100000);
  });

  it('reads and writes beyond 4 GiB in a 5 GiB sparse file (lseek, pread, pwrite)', () => {
    fs = new FilesServer({ stdio: 'none', cwd: dir });
    const fd = fs.open('cwd', 'sparse', { access: 'rw', create: true, trunc: true }, 0o600);
    const five = 5n << 30n;
    fs.ftruncate(fd, five);
    expect(fs.fstat(fd).size).toBe(five);
    const at = (4n << 30n) + 12345n;
    expect(fs.pwrite(fd, enc('far away'), at)).toBe(8);
    expect(fs.lseek(fd, at, 'set')).toBe(at);
    const b = sab(8);
    expect(fs.read(fd, b)).toBe(8);
    expect(dec(b)).toBe('far away');
    expect(fs.lseek(fd, 0n, 'cur')).toBe(at + 8n);
    b.fill(0);
    expect(fs.pread(fd, b.subarray(0, 3), at + 4n)).toBe(3);
    expect(dec(b.subarray(0, 3))).toBe('awa');
    expect(fs.lseek(fd, 0n, 'end')).toBe(five);
    // SEEK_DATA finds the written block (filesystems without hole support report offset itself)
    const data = fs.lseek(fd, 0n, 'data');
    expect(data <= at).toBe(true);
    expect(errno(() => fs.lseek(fd, -1n, 'set'))).toBe('EINVAL');
    fs.close(fd);
    fs.unlink('cwd', 'sparse');
  });

  it('readv/writev go through one host call over several views', () => {
    fs = new FilesServer({ stdio: 'none', cwd: dir });
    const fd = fs.open('cwd', 'v.txt', { access: 'rw', create: true, trunc: true }, 0o644);
    const m = sab(64);
    m.set(enc('abc'), 0); m.set(enc('defg'), 10);
    expect(fs.writev(fd, [m.subarray(0, 3), m.subarray(10, 14)])).toBe(7);
    fs.lseek(fd, 0n, 'set');
    const r = sab(64);
    expect(fs.readv(fd, [r.subarray(20, 22), r.subarray(40, 50)])).toBe(7);
    expect(dec(r.subarray(20, 22)) + dec(r.subarray(40, 45))).toBe('abcdefg');
  });

  it('honours the guest umask exactly, even against the host umask', () => {
    fs = new FilesServer({ stdio: 'none', cwd: dir, umask: 0 });
    fs.close(fs.open('cwd', 'wide', { access: 'w', create: true }, 0o666));
    expect(statSync(join(dir, 'wide')).mode & 0o777).toBe(0o666);
    fs.umask = 0o077;
    fs.close(fs.open('cwd', 'narrow', { access: 'w', create: true }, 0o666));
    expect(statSync(join(dir, 'narrow')).mode & 0o777).toBe(0o600);
    fs.umask = 0;
    fs.mkdir('cwd', 'd777', 0o777);
    expect(statSync(join(dir, 'd777')).mode & 0o777).toBe(0o777);
  });
});

describe('FilesServer directories', () => {
  it('getdents over 500 entries with a small budget, resumable, with telldir/seekdir cookies', () => {
    const d = join(dir, 'many');
    mkdirSync(d);
    for (let i = 0; i < 500; i++) writeFileSync(join(d, `entry-${i}`), '');
    fs = new FilesServer({ stdio: 'none', cwd: dir });
    const fd = fs.open('cwd', 'many', { access: 'r', directory: true });
    const size = (n: number) => (19 + n + 1 + 7) & ~7;
    const names: string[] = [];
    const cookies: bigint[] = [];
    let calls = 0;
    for (;;) {
      const ents = fs.getdents(fd, 100, size);
      if (ents.length === 0) break;
      calls++;
      for (const e of ents) { names.push(dec(e.name)); cookies.push(e.off); }
    }
    expect(calls).toBeGreaterThan(100);
    expect(names.length).toBe(502);
    expect(new Set(names).size).toBe(502);
    expect(names).toContain('.');
    expect(names.filter((n) => n.startsWith('entry-')).sort()).toEqual(readdirSync(d).sort());
    // seekdir to the cookie after entry 250: the next entry is entry 251
    fs.lseek(fd, cookies[250], 'set');
    expect(dec(fs.getdents(fd, 100, size)[0].name)).toBe(names[251]);
    // rewinddir
    fs.lseek(fd, 0n, 'set');
    expect(dec(fs.getdents(fd, 100, size)[0].name)).toBe(names[0]);
    expect(errno(() => fs.getdents(fd, 8, size))).toBe('EINVAL');
    expect(dec(fs.getdents(fd, 100, size)[0].name)).toBe(names[0]);
  });

  it('rename (plain, NOREPLACE, EXCHANGE), link, symlink, readlink, unlink, rmdir', () => {
    fs = new FilesServer({ stdio: 'none', cwd: dir });
    writeFileSync(join(dir, 'r1'), 'one');
    writeFileSync(join(dir, 'r2'), 'two');
    expect(errno(() => fs.rename('cwd', 'r1', 'cwd', 'r2', { noreplace: true }))).toBe('EEXIST');
    fs.rename('cwd', 'r1', 'cwd', 'r2', { exchange: true });
    expect(readFileSync(join(dir, 'r1'), 'utf8')).toBe('two');
    fs.rename('cwd', 'r1', 'cwd', 'r3');
    expect(readFileSync(join(dir, 'r3'), 'utf8')).toBe('two');
    fs.link('cwd', 'r3', 'cwd', 'r3-hard');
    expect(fs.stat('cwd', 'r3').nlink).toBe(2);
    fs.symlink('r3', 'cwd', 'r3-sym');
    expect(fs.readlink('cwd', 'r3-sym')).toBe('r3');
    expect(fs.stat('cwd', 'r3-sym', { nofollow: true }).mode & 0o170000).toBe(0o120000);
    expect(fs.stat('cwd', 'r3-sym').ino).toBe(fs.stat('cwd', 'r3').ino);
    expect(errno(() => fs.readlink('cwd', 'r3'))).toBe('EINVAL');
    fs.mkdir('cwd', 'sub', 0o755);
    expect(errno(() => fs.unlink('cwd', 'sub'))).toBe('EISDIR');
    fs.unlink('cwd', 'sub', { removeDir: true });
    // dirfd-relative
    fs.mkdir('cwd', 'sub2', 0o755);
    const dfd = fs.open('cwd', 'sub2', { access: 'r', directory: true });
    fs.close(fs.open(dfd, 'inside', { access: 'w', create: true }, 0o644));
    expect(fs.stat('cwd', 'sub2/inside').size).toBe(0n);
    expect(fs.stat(dfd, '', { emptyPath: true }).mode & 0o170000).toBe(0o040000);
    expect(errno(() => fs.stat(dfd, ''))).toBe('ENOENT');
  });

  it('chdir, fchdir, getcwd', () => {
    fs = new FilesServer({ stdio: 'none', cwd: dir });
    expect(fs.getcwd()).toBe(dir);
    fs.mkdir('cwd', 'cd1', 0o755);
    fs.chdir('cd1');
    expect(fs.getcwd()).toBe(join(dir, 'cd1'));
    fs.chdir('..');
    expect(fs.getcwd()).toBe(dir);
    const d = fs.open('cwd', 'cd1', { access: 'r', directory: true });
    fs.fchdir(d);
    expect(fs.getcwd()).toBe(join(dir, 'cd1'));
    expect(errno(() => fs.chdir(join(dir, 'a.txt')))).toBe('ENOTDIR');
  });
});

describe('FilesServer fd table', () => {
  it('allocates the lowest free fd; dup, dup2, dup3, cloexec, EBADF, EMFILE', () => {
    fs = new FilesServer({ stdio: 'none', cwd: dir, fdLimit: 8 });
    const a = fs.open('cwd', 'a.txt', { access: 'r' });
    const b = fs.dup(a);
    expect([a, b]).toEqual([0, 1]);
    fs.close(a);
    expect(fs.dup(b)).toBe(0);
    expect(fs.dup2(b, 5)).toBe(5);
    expect(fs.dup2(5, 5)).toBe(5);
    expect(errno(() => fs.dup3(5, 5, false))).toBe('EINVAL');
    expect(fs.dup3(5, 6, true)).toBe(6);
    expect(fs.getCloexec(6)).toBe(true);
    expect(fs.dupMin(6, 3, false)).toBe(3);
    expect(fs.dupMin(6, 3, true)).toBe(4);
    expect(errno(() => fs.close(7))).toBe('EBADF');
    expect(errno(() => fs.dup(42))).toBe('EBADF');
    expect(errno(() => fs.dup2(0, 8))).toBe('EBADF');
    expect(fs.dup(0)).toBe(2);
    expect(fs.dup(0)).toBe(7);
    expect(errno(() => fs.dup(0))).toBe('EMFILE');
    expect(errno(() => fs.open('cwd', 'a.txt', { access: 'r' }))).toBe('EMFILE');
    fs.closeOnExec();
    expect(fs.openFds()).toEqual([0, 1, 2, 3, 5, 7]);
    fs.closeRange(3, 100);
    expect(fs.openFds()).toEqual([0, 1, 2]);
  });

  it('clone() shares open file descriptions: offsets move together', () => {
    fs = new FilesServer({ stdio: 'none', cwd: dir });
    const fd = fs.open('cwd', 'a.txt', { access: 'r' });
    const child = fs.clone();
    const b = sab(5);
    child.read(fd, b);
    expect(dec(b)).toBe('hello');
    expect(fs.lseek(fd, 0n, 'cur')).toBe(5n);
    child.close(fd);
    fs.read(fd, b); // still open in the parent
    expect(dec(b)).toBe(' worl');
    child.closeAll();
  });

  it('status flags: append and nonblock via F_SETFL', () => {
    fs = new FilesServer({ stdio: 'none', cwd: dir });
    const [r, w] = fs.pipe();
    expect(fs.getStatusFlags(w).nonblock).toBe(false);
    fs.setStatusFlags(r, { nonblock: true });
    expect(fs.getStatusFlags(r).nonblock).toBe(true);
    expect(errno(() => fs.read(r, sab(4)))).toBe('EAGAIN');
    fs.write(w, enc('ping'));
    expect(fs.bytesReadable(r)).toBe(4);
    expect(fs.read(r, sab(8))).toBe(4);
    expect(fs.isatty(r)).toBe(false);
    expect(errno(() => fs.tcgetattr(r))).toBe('ENOTTY');
  });
});

describe('stdout writes on a non-blocking pipe', () => {
  it('are complete: partial writes and EAGAIN are waited out', async () => {
    const [hr, hw] = host.pipe2(H.O_CLOEXEC | H.O_NONBLOCK);
    host.fcntl(hr, H.F_SETFL, 0); // the reader blocks; the writer stays non-blocking
    const out = join(dir, 'drained');
    const child = spawn('sh', ['-c', `sleep 0.3; cat > '${out}'`], { stdio: [hr, 'ignore', 'inherit'] });
    host.close(hr);
    fs = new FilesServer({ stdio: 'none', cwd: dir });
    // a guest fd over a host fd that is non-blocking behind the guest's back (like a host stdout)
    const fd = fs.adoptHostFd(hw, { kind: 'pipe', hostShared: true, nonblock: false });
    const big = sab(3 << 20);
    for (let i = 0; i < big.length; i++) big[i] = i & 0xff;
    expect(fs.write(fd, big)).toBe(big.length);
    fs.close(fd);
    await new Promise((res) => child.on('exit', res));
    expect(statSync(out).size).toBe(big.length);
  });
});

describe('terminals', () => {
  function openPty(): { master: number; slave: number } | null {
    try {
      const master = host.openat(H.AT_FDCWD, '/dev/ptmx', H.O_RDWR | H.O_NOCTTY | H.O_CLOEXEC, 0);
      const zero = Buffer.alloc(4);
      host.ioctlPtr(master, 0x40045431 /* TIOCSPTLCK */, zero);
      const n = Buffer.alloc(4);
      host.ioctlPtr(master, 0x80045430 /* TIOCGPTN */, n);
      const slave = host.openat(H.AT_FDCWD, `/dev/pts/${n.readUInt32LE(0)}`, H.O_RDWR | H.O_NOCTTY | H.O_CLOEXEC, 0);
      return { master, slave };
    } catch {
      return null;
    }
  }
  const pty = openPty();
  it.skipIf(!pty)(pty ? 'tty ioctls answer from a real pty' : 'tty ioctls: SKIPPED, no pty could be opened (/dev/ptmx)', () => {
    fs = new FilesServer({ stdio: 'none', cwd: dir });
    const fd = fs.adoptHostFd(pty!.slave);
    expect(fs.isatty(fd)).toBe(true);
    fs.setWinsize(fd, { row: 33, col: 111, xpixel: 0, ypixel: 0 });
    expect(fs.getWinsize(fd)).toEqual({ row: 33, col: 111, xpixel: 0, ypixel: 0 });
    const tm = fs.tcgetattr(fd);
    expect(tm.cc.length).toBe(19);
    const raw = { ...tm, lflag: tm.lflag & ~0o2 /* ICANON */ };
    fs.tcsetattr(fd, 'now', raw);
    expect(fs.tcgetattr(fd).lflag & 0o2).toBe(0);
    host.write(pty!.master, Buffer.from('xy'));
    host.pollOne(pty!.slave, host.POLLIN, 2000); // the line discipline hands bytes over asynchronously
    expect(fs.bytesReadable(fd)).toBe(2);
    host.close(pty!.master);
  });
});
