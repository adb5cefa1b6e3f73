/**
 * File-backed memory mappings: filling guest pages from a file and writing
 * MAP_SHARED pages back. A shared mapping keeps its own host dup() of the
 * file (the same open file description), so it outlives the guest's close(fd)
 * as on Linux; `release()` closes it when the mapping goes (munmap, exit).
 */
import * as host from '../../src/host/libc.js';
import { fail } from '../common/errno.js';
import type { FilesServer } from './files-server.js';

export interface FileMapping {
  /** Bytes actually read from the file (the rest of the range stays zero). */
  filled: number;
  /** For shared writable mappings: a host fd of its own on the same open file, for write-back. */
  sharedHostFd?: number;
  /** For shared mappings: writes bytes back at a file offset (through `sharedHostFd`). */
  writeBack?: (data: Uint8Array, fileOffset: number) => void;
}

export function mapFile(
  files: FilesServer, fd: number, dest: Uint8Array, offset: bigint,
  opts: { shared: boolean; writable: boolean },
): FileMapping {
  const ofd = files.get(fd); // EBADF
  if (ofd.pathOnly) throw fail('EBADF');
  if (ofd.kind === 'dir') throw fail('ENODEV');
  if (ofd.kind === 'pipe' || ofd.kind === 'socket' || ofd.kind === 'tty') throw fail('ENODEV');
  if (ofd.access === 'w') throw fail('EACCES');
  if (opts.shared && opts.writable && ofd.access !== 'rw') throw fail('EACCES');
  let filled = 0;
  if (ofd.kind !== 'chardev') {
    while (filled < dest.length) {
      const n = host.pread(ofd.hostFd, dest.subarray(filled), offset + BigInt(filled));
      if (n <= 0) break;
      filled += n;
    }
  }
  if (!opts.shared || ofd.kind === 'chardev') return { filled };
  const sharedHostFd = host.dup(ofd.hostFd);
  return { filled, sharedHostFd, writeBack: (data, off) => sharedFileHooks.writeBack(sharedHostFd, data, off) };
}

/** Write-back and release of shared file mappings, for the region map. */
export const sharedFileHooks = {
  writeBack(hostFd: number, data: Uint8Array, fileOffset: number): void {
    let done = 0;
    while (done < data.length) {
      const n = host.pwrite(hostFd, data.subarray(done), BigInt(fileOffset + done));
      if (n <= 0) break;
      done += n;
    }
  },
  release(hostFd: number): void {
    try { host.close(hostFd); } catch { /* already gone */ }
  },
  /** A fork's copy of a shared mapping gets its own host fd on the same open file. */
  dup(hostFd: number): number {
    return host.dup(hostFd);
  },
};
