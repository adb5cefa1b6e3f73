/**
 * The file ABI of one Linux arch, as data: O_* / AT_* / F_* values, ioctl
 * request numbers, and struct layouts (field → offset/size). Handlers in
 * syscalls/files.ts are written once against this record; an arch with other
 * values or layouts (MIPS o32: stat64, its own O_* and termios) supplies its
 * own FileAbi, no new code.
 *
 * `encodeStruct` / `decodeStruct` below are the one struct codec, driven by
 * these layouts, the word size and the byte order.
 */
import type { AddressSpace } from '../../../src/memory/address-space.js';

/** One struct field. `size` 1/2/4/8 bytes; `count` > 1 makes it a byte array (c_cc). */
export interface FieldSpec {
  readonly off: number;
  readonly size: 1 | 2 | 4 | 8;
  readonly signed?: boolean;
  /** Byte arrays only (size 1): number of elements. */
  readonly count?: number;
}

export interface StructLayout {
  readonly size: number;
  readonly fields: Readonly<Record<string, FieldSpec>>;
}

/** Open flags (values as this arch's kernel defines them). */
export interface OpenFlagValues {
  RDONLY: number; WRONLY: number; RDWR: number; ACCMODE: number;
  CREAT: number; EXCL: number; NOCTTY: number; TRUNC: number; APPEND: number; NONBLOCK: number;
  DSYNC: number; SYNC: number; ASYNC: number; DIRECT: number; LARGEFILE: number;
  DIRECTORY: number; NOFOLLOW: number; NOATIME: number; CLOEXEC: number; PATH: number;
  /** Includes the DIRECTORY bit, as the kernel's __O_TMPFILE | O_DIRECTORY. */
  TMPFILE: number;
}

export interface AtValues {
  FDCWD: number; SYMLINK_NOFOLLOW: number; REMOVEDIR: number; SYMLINK_FOLLOW: number;
  EACCESS: number; NO_AUTOMOUNT: number; EMPTY_PATH: number;
  STATX_SYNC_TYPE: number; STATX_FORCE_SYNC: number; STATX_DONT_SYNC: number;
}

export interface FcntlValues {
  DUPFD: number; GETFD: number; SETFD: number; GETFL: number; SETFL: number;
  GETLK: number; SETLK: number; SETLKW: number;
  /** 32-bit arches' 64-bit lock commands (equal to GETLK... on 64-bit arches). */
  GETLK64: number; SETLK64: number; SETLKW64: number;
  SETOWN: number; GETOWN: number; SETSIG: number; GETSIG: number;
  OFD_GETLK: number; OFD_SETLK: number; OFD_SETLKW: number;
  DUPFD_CLOEXEC: number; SETPIPE_SZ: number; GETPIPE_SZ: number;
  FD_CLOEXEC: number;
  RDLCK: number; WRLCK: number; UNLCK: number;
}

export interface IoctlValues {
  TCGETS: number; TCSETS: number; TCSETSW: number; TCSETSF: number;
  TIOCGWINSZ: number; TIOCSWINSZ: number; TIOCGPGRP: number; TIOCSPGRP: number;
  FIONREAD: number; FIONBIO: number; TIOCSCTTY: number; TIOCNOTTY: number; TIOCGSID: number;
  FIOCLEX: number; FIONCLEX: number; TCFLSH: number; TCXONC: number; TCSBRK: number;
}

export interface FileAbi {
  readonly endian: 'little' | 'big';
  readonly wordSize: 32 | 64;
  readonly O: Readonly<OpenFlagValues>;
  /** The same O_* values keyed by their C names ('O_CREAT', ...), for --trace. */
  readonly openFlags: Readonly<Record<string, number>>;
  readonly AT: Readonly<AtValues>;
  readonly F: Readonly<FcntlValues>;
  readonly ioctl: Readonly<IoctlValues>;
  /** renameat2 flags. */
  readonly RENAME: Readonly<{ NOREPLACE: number; EXCHANGE: number; WHITEOUT: number }>;
  /** fallocate mode bits. */
  readonly FALLOC: Readonly<{ KEEP_SIZE: number; PUNCH_HOLE: number; ZERO_RANGE: number; COLLAPSE_RANGE: number; INSERT_RANGE: number }>;
  /** utimensat special nsec values. */
  readonly UTIME: Readonly<{ NOW: number; OMIT: number }>;
  /** close_range flags. */
  readonly CLOSE_RANGE: Readonly<{ UNSHARE: number; CLOEXEC: number }>;
  readonly layouts: Readonly<{
    /** struct stat as newfstatat/fstat fill it (asm-generic: 128 bytes on 64-bit). */
    stat: StructLayout;
    /** struct stat64 for fstatat64/fstat64 (32-bit arches); absent where unused. */
    stat64?: StructLayout;
    statx: StructLayout;
    statfs: StructLayout;
    /** struct statfs64 for statfs64/fstatfs64 (32-bit arches). */
    statfs64?: StructLayout;
    dirent64: StructLayout;
    /** Kernel struct termios as TCGETS returns it. */
    termios: StructLayout;
    winsize: StructLayout;
    timespec: StructLayout;
    iovec: StructLayout;
    /** struct msghdr, struct cmsghdr (its data follows at `size`, cmsg lengths align to the word), struct mmsghdr. */
    msghdr: StructLayout;
    cmsghdr: StructLayout;
    mmsghdr: StructLayout;
    flock: StructLayout;
    flock64?: StructLayout;
    /** struct epoll_event: u32 events, u64 data; packed (12 bytes) on x86-64 only, else the u64 is aligned (16). */
    epollEvent: StructLayout;
  }>;
  /** How st_dev/st_rdev are encoded in `stat`: 'new' = kernel new_encode_dev (u32 style). */
  readonly devEncoding: 'new' | 'huge';
  /** Number of c_cc entries in the kernel termios. */
  readonly NCCS: number;
}

// ---- the struct codec (written once) ----------------------------------------

export type StructValues = Record<string, number | bigint | Uint8Array | undefined>;

/** Encodes `values` into a fresh byte array laid out as `layout` (unknown fields stay 0). */
export function encodeStruct(abi: FileAbi, layout: StructLayout, values: StructValues): Uint8Array {
  const bytes = new Uint8Array(layout.size);
  const dv = new DataView(bytes.buffer);
  const le = abi.endian === 'little';
  for (const [name, v] of Object.entries(values)) {
    if (v === undefined) continue;
    const f = layout.fields[name];
    if (!f) continue;
    if (v instanceof Uint8Array) {
      bytes.set(v.subarray(0, (f.count ?? 1) * f.size), f.off);
      continue;
    }
    switch (f.size) {
      case 1: dv.setUint8(f.off, Number(v) & 0xff); break;
      case 2: dv.setUint16(f.off, Number(v) & 0xffff, le); break;
      case 4: dv.setUint32(f.off, Number(BigInt.asUintN(32, BigInt(v))), le); break;
      case 8: dv.setBigUint64(f.off, BigInt.asUintN(64, BigInt(v)), le); break;
    }
  }
  return bytes;
}

/** Decodes every field of `layout` from `bytes`: numbers for ≤4 bytes, bigints for 8, Uint8Array for arrays. */
export function decodeStruct(abi: FileAbi, layout: StructLayout, bytes: Uint8Array): Record<string, number | bigint | Uint8Array> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = abi.endian === 'little';
  const out: Record<string, number | bigint | Uint8Array> = {};
  for (const [name, f] of Object.entries(layout.fields)) {
    if ((f.count ?? 1) > 1) { out[name] = bytes.slice(f.off, f.off + f.count! * f.size); continue; }
    switch (f.size) {
      case 1: out[name] = f.signed ? dv.getInt8(f.off) : dv.getUint8(f.off); break;
      case 2: out[name] = f.signed ? dv.getInt16(f.off, le) : dv.getUint16(f.off, le); break;
      case 4: out[name] = f.signed ? dv.getInt32(f.off, le) : dv.getUint32(f.off, le); break;
      case 8: out[name] = f.signed ? dv.getBigInt64(f.off, le) : dv.getBigUint64(f.off, le); break;
    }
  }
  return out;
}

/** Encodes and writes a struct into guest memory (GuestFault if not writable). */
export function writeStruct(mem: AddressSpace, addr: number, abi: FileAbi, layout: StructLayout, values: StructValues): void {
  mem.writeBytes(addr, encodeStruct(abi, layout, values));
}

/** Reads and decodes a struct from guest memory (GuestFault if not readable). */
export function readStruct(mem: AddressSpace, addr: number, abi: FileAbi, layout: StructLayout): Record<string, number | bigint | Uint8Array> {
  return decodeStruct(abi, layout, mem.view(addr, layout.size));
}

/** O_* values keyed by C name, for --trace (O_TMPFILE listed without its O_DIRECTORY bit). */
export function openFlagNames(o: OpenFlagValues): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(o)) out['O_' + k] = k === 'TMPFILE' ? v & ~o.DIRECTORY : k === 'SYNC' ? v & ~o.DSYNC : v;
  return out;
}

/** Shorthand for a field table: [name, off, size, signed?]. */
export function layout(size: number, rows: ReadonlyArray<readonly [string, number, 1 | 2 | 4 | 8, boolean?, number?]>): StructLayout {
  const fields: Record<string, FieldSpec> = {};
  for (const [name, off, sz, signed, count] of rows) fields[name] = { off, size: sz, signed: signed ?? false, count };
  return { size, fields };
}
