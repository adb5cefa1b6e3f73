/**
 * Haiku's file syscalls over the neutral files server: fd -1 means the cwd,
 * a NULL path means the fd itself, positions of -1 mean "the file position".
 */
import { fail } from '../../../servers/common/errno.js';
import type { DirFd } from '../../../servers/files/types.js';
import { B_OK } from '../abi/errors.js';
import {
  AT_FDCWD, B_PATH_NAME_LENGTH, B_STAT, DIRENT_NAME_OFFSET, direntSize, encodeStat, F, FD_CLOEXEC, O, openFlags,
  STAT_SIZE, statusFlagsToHaiku,
} from '../abi/files.js';
import { cstr, i64, int, ptr, size, u32, type HaikuSyscallGroup, type HaikuThread } from './types.js';

const dirOf = (fd: number): DirFd => (fd === AT_FDCWD ? 'cwd' : fd);

function pathArg(t: HaikuThread, p: bigint): string | null {
  const a = ptr(p);
  if (a === 0) return null;
  const s = t.mem.readCString(a, B_PATH_NAME_LENGTH);
  if (!s.terminated) throw fail('ENAMETOOLONG');
  return Buffer.from(s.bytes).toString('latin1');
}

function needPath(t: HaikuThread, p: bigint): string {
  const s = pathArg(t, p);
  if (s === null) throw fail('EFAULT');
  return s;
}

function iovecs(t: HaikuThread, at: number, count: number, write: boolean): Uint8Array[] {
  if (count < 0 || count > 1024) throw fail('EINVAL');
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const base = Number(t.mem.readU64(at + i * 16));
    const len = Number(t.mem.readU64(at + i * 16 + 8));
    if (len === 0) continue;
    out.push(write ? t.mem.view(base, len) : t.mem.writableView(base, len));
  }
  return out;
}

function readAt(t: HaikuThread, fd: number, pos: bigint, buf: Uint8Array): number {
  if (pos < 0n) return t.files.read(fd, buf);
  return t.files.pread(fd, buf, pos);
}

function writeAt(t: HaikuThread, fd: number, pos: bigint, buf: Uint8Array): number {
  if (pos < 0n) return t.files.write(fd, buf);
  return t.files.pwrite(fd, buf, pos);
}

/** read_stat/write_stat target: the fd itself (NULL path) or a path relative to it. */
function statOf(t: HaikuThread, fd: number, path: string | null, traverse: boolean) {
  if (path === null) return t.files.fstat(fd);
  return t.files.stat(dirOf(fd), path, { nofollow: !traverse });
}

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

/**
 * normalize_path: an absolute path without ".", ".." or symlinks in its
 * directories (and in the leaf with `traverseLeaf`). Every directory must
 * exist; the leaf need not. Walked as guest paths through the files server,
 * so a jail's root and mounts apply.
 */
function normalizePath(t: HaikuThread, p: string, traverseLeaf: boolean): string {
  const abs = p.startsWith('/') ? p : `${t.files.getcwd()}/${p}`;
  let parts = abs.split('/').filter((c) => c.length > 0);
  const out: string[] = [];
  let links = 0;
  while (parts.length > 0) {
    const c = parts.shift()!;
    if (c === '.') continue;
    if (c === '..') { out.pop(); continue; }
    const cur = '/' + [...out, c].join('/');
    const leaf = parts.length === 0;
    let mode: number;
    try {
      mode = t.files.stat('cwd', cur, { nofollow: true }).mode & S_IFMT;
    } catch (e) {
      if (leaf && (e as { errno?: string }).errno === 'ENOENT') { out.push(c); break; }
      throw e;
    }
    if (mode === S_IFLNK && (!leaf || traverseLeaf)) {
      if (++links > 16) throw fail('ELOOP');
      const target = t.files.readlink('cwd', cur);
      if (target.startsWith('/')) out.length = 0;
      parts = [...target.split('/').filter((x) => x.length > 0), ...parts];
      continue;
    }
    if (!leaf && mode !== S_IFDIR) throw fail('ENOTDIR');
    out.push(c);
  }
  return '/' + out.join('/');
}

export const fileSyscalls: HaikuSyscallGroup = {
  open: {
    args: ['int', 'str', 'hex', 'oct'],
    fn: (t, a) => {
      const mode = int(a[2]);
      const path = needPath(t, a[1]);
      // O_NOTRAVERSE (open a symlink itself) has no host equivalent for data access: it is ignored
      const flags = openFlags(mode);
      return t.files.open(dirOf(int(a[0])), path, flags, int(a[3]) & 0o7777);
    },
  },
  open_dir: {
    args: ['int', 'str'],
    fn: (t, a) => t.files.open(dirOf(int(a[0])), pathArg(t, a[1]) ?? '.', { access: 'r', directory: true }),
  },
  open_parent_dir: {
    args: ['int', 'ptr', 'int'],
    fn: (t, a) => t.files.open(int(a[0]), '..', { access: 'r', directory: true }),
  },
  read_dir: {
    args: ['int', 'ptr', 'int', 'int'],
    fn: (t, a) => {
      const fd = int(a[0]);
      const buf = ptr(a[1]);
      const budget = size(a[2]);
      const maxCount = u32(a[3]);
      const ents = t.files.getdents(fd, budget, direntSize);
      let off = 0;
      let n = 0;
      const st = t.files.fstat(fd);
      const dev = ((st.devMajor << 8) | (st.devMinor & 0xff)) | 0;
      for (const e of ents) {
        if (n >= maxCount) {
          // entries past maxCount are read again next time: seek back to the first unreported one
          t.files.lseek(fd, ents[n - 1].off, 'set');
          break;
        }
        const rec = direntSize(e.name.length);
        const b = new Uint8Array(rec);
        const v = new DataView(b.buffer);
        v.setInt32(0, dev, true);
        v.setInt32(4, dev, true);
        v.setBigInt64(8, BigInt.asIntN(64, e.ino), true);
        v.setBigInt64(16, BigInt.asIntN(64, st.ino), true);
        v.setUint16(24, rec, true);
        b.set(e.name, DIRENT_NAME_OFFSET);
        t.mem.writeBytes(buf + off, b);
        off += rec;
        n++;
      }
      return n;
    },
  },
  rewind_dir: { args: ['int'], fn: (t, a) => { t.files.lseek(int(a[0]), 0n, 'set'); return B_OK; } },
  read_stat: {
    args: ['int', 'str', 'int', 'ptr', 'int'],
    fn: (t, a) => {
      const st = statOf(t, int(a[0]), pathArg(t, a[1]), int(a[2]) !== 0);
      const want = size(a[4]);
      if (want > STAT_SIZE || want === 0) throw fail('EINVAL');
      t.mem.writeBytes(ptr(a[3]), encodeStat(st).subarray(0, want));
      return B_OK;
    },
  },
  write_stat: {
    args: ['int', 'str', 'int', 'ptr', 'int', 'hex'],
    fn: (t, a) => {
      const fd = int(a[0]);
      const path = pathArg(t, a[1]);
      const nofollow = int(a[2]) === 0;
      const at = ptr(a[3]);
      const mask = int(a[5]);
      const dir = dirOf(fd);
      if (mask & B_STAT.MODE) {
        const mode = t.mem.readU32(at + 16) & 0o7777;
        if (path === null) t.files.fchmod(fd, mode); else t.files.chmod(dir, path, mode);
      }
      if (mask & (B_STAT.UID | B_STAT.GID)) {
        const uid = mask & B_STAT.UID ? t.mem.readU32(at + 24) : -1;
        const gid = mask & B_STAT.GID ? t.mem.readU32(at + 28) : -1;
        if (path === null) t.files.fchown(fd, uid, gid); else t.files.chown(dir, path, uid, gid, { nofollow });
      }
      if (mask & B_STAT.SIZE) {
        const len = t.mem.readI64(at + 32);
        if (path === null) t.files.ftruncate(fd, len); else t.files.truncate(dir, path, len);
      }
      if (mask & (B_STAT.ACCESS_TIME | B_STAT.MODIFICATION_TIME)) {
        const ts = (o: number) => ({ sec: t.mem.readI64(at + o), nsec: Number(t.mem.readI64(at + o + 8)) });
        const times: [ReturnType<typeof ts> | 'omit', ReturnType<typeof ts> | 'omit'] = [
          mask & B_STAT.ACCESS_TIME ? ts(48) : 'omit', mask & B_STAT.MODIFICATION_TIME ? ts(64) : 'omit',
        ];
        t.files.utimens(dir, path, times, { nofollow });
      }
      return B_OK;
    },
  },
  read: {
    args: ['int', 'i64', 'ptr', 'int'],
    fn: (t, a) => readAt(t, int(a[0]), i64(a[1]), t.mem.writableView(ptr(a[2]), size(a[3]))),
  },
  write: {
    args: ['int', 'i64', 'buf', 'int'],
    fn: (t, a) => writeAt(t, int(a[0]), i64(a[1]), t.mem.view(ptr(a[2]), size(a[3]))),
  },
  readv: {
    args: ['int', 'i64', 'ptr', 'int'],
    fn: (t, a) => {
      const bufs = iovecs(t, ptr(a[2]), size(a[3]), false);
      const pos = i64(a[1]);
      return pos < 0n ? t.files.readv(int(a[0]), bufs) : t.files.preadv(int(a[0]), bufs, pos);
    },
  },
  writev: {
    args: ['int', 'i64', 'ptr', 'int'],
    fn: (t, a) => {
      const bufs = iovecs(t, ptr(a[2]), size(a[3]), true);
      const pos = i64(a[1]);
      return pos < 0n ? t.files.writev(int(a[0]), bufs) : t.files.pwritev(int(a[0]), bufs, pos);
    },
  },
  seek: {
    args: ['int', 'i64', 'int'],
    fn: (t, a) => {
      const w = int(a[2]);
      const whence = w === 0 ? 'set' : w === 1 ? 'cur' : w === 2 ? 'end' : null;
      if (!whence) throw fail('EINVAL');
      return t.files.lseek(int(a[0]), i64(a[1]), whence);
    },
  },
  close: { args: ['int'], fn: (t, a) => { t.files.close(int(a[0])); return B_OK; } },
  dup: { args: ['int'], fn: (t, a) => t.files.dup(int(a[0])) },
  dup2: { args: ['int', 'int'], fn: (t, a) => t.files.dup2(int(a[0]), int(a[1])) },
  fcntl: {
    args: ['int', 'hex', 'hex'],
    fn: (t, a) => {
      const fd = int(a[0]);
      const op = int(a[1]);
      const arg = Number(BigInt.asUintN(32, a[2]));
      switch (op) {
        case F.DUPFD: return t.files.dupMin(fd, arg, false);
        case F.DUPFD_CLOEXEC: return t.files.dupMin(fd, arg, true);
        case F.GETFD: return t.files.getCloexec(fd) ? FD_CLOEXEC : 0;
        case F.SETFD: t.files.setCloexec(fd, (arg & FD_CLOEXEC) !== 0); return B_OK;
        case F.GETFL: return statusFlagsToHaiku(t.files.getStatusFlags(fd));
        case F.SETFL: t.files.setStatusFlags(fd, { append: !!(arg & O.APPEND), nonblock: !!(arg & O.NONBLOCK) }); return B_OK;
        default: throw fail('EINVAL');
      }
    },
  },
  normalize_path: {
    args: ['str', 'int', 'ptr'],
    fn: (t, a) => {
      const out = normalizePath(t, needPath(t, a[0]), int(a[1]) !== 0);
      const b = Buffer.from(out + '\0', 'latin1');
      if (b.length > B_PATH_NAME_LENGTH) throw fail('ENAMETOOLONG');
      t.mem.writeBytes(ptr(a[2]), b);
      return B_OK;
    },
  },
  read_link: {
    args: ['int', 'str', 'ptr', 'ptr'],
    fn: (t, a) => {
      const fd = int(a[0]);
      const path = pathArg(t, a[1]);
      const sizeAt = ptr(a[3]);
      const cap = Number(t.mem.readU64(sizeAt));
      const target = Buffer.from(path === null ? t.files.readlink(fd, '', { emptyPath: true }) : t.files.readlink(dirOf(fd), path), 'latin1');
      // Haiku reports the full length in *_bufferSize and copies what fits
      t.mem.writeU64(sizeAt, BigInt(target.length));
      const n = Math.min(cap, target.length);
      t.mem.writeBytes(ptr(a[2]), new Uint8Array(target.subarray(0, n)));
      if (n < cap) t.mem.writeU8(ptr(a[2]) + n, 0);
      return B_OK;
    },
  },
  create_dir: { args: ['int', 'str', 'oct'], fn: (t, a) => { t.files.mkdir(dirOf(int(a[0])), needPath(t, a[1]), int(a[2])); return B_OK; } },
  remove_dir: { args: ['int', 'str'], fn: (t, a) => { t.files.unlink(dirOf(int(a[0])), needPath(t, a[1]), { removeDir: true }); return B_OK; } },
  unlink: { args: ['int', 'str'], fn: (t, a) => { t.files.unlink(dirOf(int(a[0])), needPath(t, a[1])); return B_OK; } },
  rename: {
    args: ['int', 'str', 'int', 'str'],
    fn: (t, a) => { t.files.rename(dirOf(int(a[0])), needPath(t, a[1]), dirOf(int(a[2])), needPath(t, a[3])); return B_OK; },
  },
  create_symlink: {
    args: ['int', 'str', 'str', 'oct'],
    fn: (t, a) => { t.files.symlink(needPath(t, a[2]), dirOf(int(a[0])), needPath(t, a[1])); return B_OK; },
  },
  create_link: {
    args: ['int', 'str', 'int', 'str', 'int'],
    fn: (t, a) => { t.files.link(dirOf(int(a[2])), needPath(t, a[3]), dirOf(int(a[0])), needPath(t, a[1]), { follow: int(a[4]) !== 0 }); return B_OK; },
  },
  access: {
    args: ['int', 'str', 'int', 'int'],
    fn: (t, a) => { t.files.access(dirOf(int(a[0])), needPath(t, a[1]), int(a[2]) & 7, { eaccess: int(a[3]) !== 0 }); return B_OK; },
  },
  getcwd: {
    args: ['ptr', 'int'],
    fn: (t, a) => {
      const b = Buffer.from(t.files.getcwd() + '\0', 'latin1');
      if (b.length > size(a[1])) throw fail('ERANGE');
      t.mem.writeBytes(ptr(a[0]), b);
      return B_OK;
    },
  },
  setcwd: {
    args: ['int', 'str'],
    fn: (t, a) => {
      const fd = int(a[0]);
      const path = pathArg(t, a[1]);
      if (path === null) t.files.fchdir(fd);
      else if (fd === AT_FDCWD || path.startsWith('/')) t.files.chdir(path);
      else { const d = t.files.open(fd, path, { access: 'r', directory: true }); try { t.files.fchdir(d); } finally { t.files.close(d); } }
      return B_OK;
    },
  },
  create_pipe: {
    args: ['ptr', 'hex'],
    fn: (t, a) => {
      // later Haiku passes open flags as a second argument; only O_CLOEXEC/O_NONBLOCK are honoured
      const flags = int(a[1]);
      const [r, w] = t.files.pipe({ cloexec: !!(flags & O.CLOEXEC), nonblock: !!(flags & O.NONBLOCK) });
      t.mem.writeU32(ptr(a[0]), r);
      t.mem.writeU32(ptr(a[0]) + 4, w);
      return B_OK;
    },
  },
  fsync: { args: ['int'], fn: (t, a) => { t.files.fsync(int(a[0])); return B_OK; } },
  sync: { args: [], fn: (t) => { t.files.sync(); return B_OK; } },
};
