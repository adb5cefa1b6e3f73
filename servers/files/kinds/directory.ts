/**
 * Folders: host directory fds. read and write fail as the host says
 * (EISDIR, EBADF); their own call is getdents, which hands out entries a
 * caller-sized budget at a time and leaves the position after the last one
 * handed out, so small buffers, readdir loops and telldir/seekdir work.
 */
import * as host from '../../../src/host/libc.js';
import { H } from '../../../src/host/libc.js';
import { fail } from '../../common/errno.js';
import type { DirEntry, DirEntryType } from '../types.js';
import type { KindOps } from './file-kind.js';
import { regularOps } from './regular.js';

const DT_NAMES: Record<number, DirEntryType> = { 0: 'unknown', 1: 'fifo', 2: 'chr', 4: 'dir', 6: 'blk', 8: 'reg', 10: 'lnk', 12: 'sock', 14: 'wht' };

/** Entries from the current position, as many as fit in `budget` bytes where one takes `sizeOf(nameLength)`. */
function getdents(hostFd: number, budget: number, sizeOf: (nameLength: number) => number): DirEntry[] {
  const buf = Buffer.allocUnsafe(Math.min(Math.max(budget, 4096), 1 << 16));
  const n = host.getdents64(hostFd, buf);
  const out: DirEntry[] = [];
  let used = 0;
  for (let p = 0; p < n;) {
    // struct linux_dirent64: d_ino u64, d_off s64, d_reclen u16, d_type u8, d_name
    const reclen = buf.readUInt16LE(p + 16);
    const nameEnd = buf.indexOf(0, p + 19);
    const name = new Uint8Array(buf.subarray(p + 19, nameEnd < 0 || nameEnd > p + reclen ? p + reclen : nameEnd));
    const size = sizeOf(name.length);
    if (used + size > budget) {
      if (out.length === 0) {
        host.lseek(hostFd, 0n, H.SEEK_SET); // undo: reposition before the first entry read
        throw fail('EINVAL');
      }
      host.lseek(hostFd, out[out.length - 1].off, H.SEEK_SET);
      break;
    }
    used += size;
    out.push({ ino: buf.readBigUInt64LE(p), off: buf.readBigInt64LE(p + 8), type: DT_NAMES[buf[p + 18]] ?? 'unknown', name });
    p += reclen;
  }
  return out;
}

export const directoryOps: KindOps = { ...regularOps, getdents };
