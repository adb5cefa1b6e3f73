/**
 * The fd table of one guest process, in SharedArrayBuffers, so that every
 * thread of the process (one worker_thread each, all in one host process)
 * works on the same table: CLONE_FILES. The cwd and the umask live in the
 * same shared header: CLONE_FS.
 *
 * One guest fd ↔ one host fd that the entry owns. Guest dup()/dup2()/fork
 * give the new entry its own host dup() of the same open file description, so
 * offsets and status flags are shared exactly as the kernel shares them and
 * no cross-worker reference counts are needed: closing a guest fd closes its
 * own host fd.
 *
 * Entry (one BigInt64, changed only with Atomics, so an entry is never seen
 * half-written): 0 = free, -1 = reserved (being installed, EBADF for
 * everyone else, EBUSY for dup2 as on Linux), otherwise
 * `flags << 32 | (hostFd + 1)`.
 *
 * Header (Int32): cwd host fd (an O_PATH directory fd; chdir dup3()s the new
 * directory onto this same host fd number, so concurrent *at calls see the old
 * or the new directory, never a closed fd), umask, RLIMIT_NOFILE, capacity,
 * number of attached FilesServers.
 */
import { fail } from '../common/errno.js';
import type { Access, FileKind } from './types.js';

/** What FilesServer.share() hands to another worker (structured-cloneable: SABs and numbers only). */
export interface SharedFilesHandle {
  readonly version: 1;
  /** Int32Array: see HDR. */
  readonly header: SharedArrayBuffer;
  /** BigInt64Array, one entry per guest fd. */
  readonly entries: SharedArrayBuffer;
  /** BigInt64Array, one word per guest fd that its kind may use (a signalfd's mask); copied by dup and fork. */
  readonly extras: SharedArrayBuffer;
}

export const HDR = { CWD: 0, UMASK: 1, FDLIMIT: 2, CAPACITY: 3, ATTACHED: 4, SIGNALFDS: 5, WORDS: 8 } as const;

const KINDS: readonly FileKind[] = ['unknown', 'regular', 'dir', 'tty', 'pipe', 'chardev', 'blockdev', 'socket', 'symlink', 'eventfd', 'epoll', 'timerfd', 'signalfd'];
const ACCESS: readonly Access[] = ['r', 'w', 'rw'];

/** Entry flag bits (the high 32 bits of an entry). */
export const EF = {
  CLOEXEC: 1 << 0,
  PATH: 1 << 1,
  HOST_SHARED: 1 << 2,
  /** The guest's O_NONBLOCK, emulated for host-shared fds (stdio); unused for others (the host OFD holds it). */
  NONBLOCK: 1 << 3,
  ACCESS_SHIFT: 4, // 2 bits
  KIND_SHIFT: 8, // 4 bits
} as const;

export interface EntryFields {
  hostFd: number;
  kind: FileKind;
  access: Access;
  cloexec: boolean;
  pathOnly: boolean;
  hostShared: boolean;
  nonblock: boolean;
}

export const FREE = 0n;
export const RESERVED = -1n;

export function packEntry(e: EntryFields): bigint {
  let f = (KINDS.indexOf(e.kind) << EF.KIND_SHIFT) | (ACCESS.indexOf(e.access) << EF.ACCESS_SHIFT);
  if (e.cloexec) f |= EF.CLOEXEC;
  if (e.pathOnly) f |= EF.PATH;
  if (e.hostShared) f |= EF.HOST_SHARED;
  if (e.nonblock) f |= EF.NONBLOCK;
  return (BigInt(f) << 32n) | BigInt(e.hostFd + 1);
}

export const entryHostFd = (v: bigint): number => Number(v & 0xffff_ffffn) - 1;
export const entryFlags = (v: bigint): number => Number(v >> 32n);
const kindOfFlags = (f: number): FileKind => KINDS[(f >> EF.KIND_SHIFT) & 15] ?? 'unknown';
export const entryKind = (v: bigint): FileKind => kindOfFlags(entryFlags(v));

export function unpackEntry(v: bigint): EntryFields {
  const f = entryFlags(v);
  return {
    hostFd: entryHostFd(v),
    kind: kindOfFlags(f),
    access: ACCESS[(f >> EF.ACCESS_SHIFT) & 3] ?? 'r',
    cloexec: (f & EF.CLOEXEC) !== 0,
    pathOnly: (f & EF.PATH) !== 0,
    hostShared: (f & EF.HOST_SHARED) !== 0,
    nonblock: (f & EF.NONBLOCK) !== 0,
  };
}

const withFlags = (v: bigint, f: number): bigint => (BigInt(f) << 32n) | (v & 0xffff_ffffn);

export class SharedFdTable {
  readonly header: Int32Array;
  readonly entries: BigInt64Array;
  readonly extras: BigInt64Array;

  private constructor(readonly handle: SharedFilesHandle) {
    this.header = new Int32Array(handle.header);
    this.entries = new BigInt64Array(handle.entries);
    this.extras = new BigInt64Array(handle.extras);
  }

  static create(capacity: number, fdLimit: number, umask: number): SharedFdTable {
    const t = new SharedFdTable({
      version: 1,
      header: new SharedArrayBuffer(4 * HDR.WORDS),
      entries: new SharedArrayBuffer(8 * capacity),
      extras: new SharedArrayBuffer(8 * capacity),
    });
    t.header[HDR.CWD] = -1;
    t.header[HDR.UMASK] = umask;
    t.header[HDR.FDLIMIT] = fdLimit;
    t.header[HDR.CAPACITY] = capacity;
    return t;
  }

  static attach(handle: SharedFilesHandle): SharedFdTable {
    if (handle?.version !== 1 || !(handle.header instanceof SharedArrayBuffer) || !(handle.entries instanceof SharedArrayBuffer) || !(handle.extras instanceof SharedArrayBuffer)) {
      throw new Error('FilesServer.attach expects the handle FilesServer.share() made (version 1, three SharedArrayBuffers)');
    }
    return new SharedFdTable(handle);
  }

  get capacity(): number { return this.entries.length; }

  /** The RLIMIT_NOFILE in force (never above the table's capacity). */
  get limit(): number { return Math.min(Atomics.load(this.header, HDR.FDLIMIT), this.entries.length); }

  load(fd: number): bigint {
    return fd >= 0 && fd < this.entries.length ? Atomics.load(this.entries, fd) : FREE;
  }

  /** Reserves the lowest free fd >= min (EMFILE when none below the limit). */
  reserve(min: number): number {
    const lim = this.limit;
    for (let fd = min; fd < lim; fd++) {
      if (Atomics.load(this.entries, fd) === FREE && Atomics.compareExchange(this.entries, fd, FREE, RESERVED) === FREE) return fd;
    }
    throw fail('EMFILE');
  }

  /** Installs a reserved fd. */
  publish(fd: number, e: EntryFields): void {
    Atomics.store(this.entries, fd, packEntry(e));
  }

  unreserve(fd: number): void {
    Atomics.compareExchange(this.entries, fd, RESERVED, FREE);
  }

  /** Removes an open entry and returns it (the caller closes its host fd); null if not open. */
  take(fd: number): bigint | null {
    if (fd < 0 || fd >= this.entries.length) return null;
    for (;;) {
      const v = Atomics.load(this.entries, fd);
      if (v <= 0n) return null;
      if (Atomics.compareExchange(this.entries, fd, v, FREE) === v) return v;
    }
  }

  /**
   * Puts `e` at `fd` whatever is there (dup2), returning the replaced entry
   * (the caller closes its host fd) or null. EBUSY while another thread is
   * installing that fd, as Linux's dup2 does.
   */
  replace(fd: number, e: EntryFields): bigint | null {
    const nv = packEntry(e);
    for (;;) {
      const v = Atomics.load(this.entries, fd);
      if (v === RESERVED) throw fail('EBUSY');
      if (Atomics.compareExchange(this.entries, fd, v, nv) === v) return v === FREE ? null : v;
    }
  }

  /** Changes the flag bits of an open entry atomically; false if not open. */
  updateFlags(fd: number, change: (flags: number) => number): boolean {
    if (fd < 0 || fd >= this.entries.length) return false;
    for (;;) {
      const v = Atomics.load(this.entries, fd);
      if (v <= 0n) return false;
      const nv = withFlags(v, change(entryFlags(v)));
      if (nv === v || Atomics.compareExchange(this.entries, fd, v, nv) === v) return true;
    }
  }
}
