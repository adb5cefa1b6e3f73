/**
 * Regular files (and block devices): their I/O never blocks, so a read
 * only retries a host EINTR and a write loops on partial writes until all
 * is written. The one-call host read and write helpers here serve the
 * other kinds too, and so does `writeAll` for every pwrite (on a pipe the
 * host answers ESPIPE).
 */
import * as host from '../../../src/host/libc.js';
import { errnoOf, retryEintr } from '../host-fd.js';
import type { KindOps } from './file-kind.js';
import { hostFileOps } from './host-file.js';

/** One host read of `bufs` (read, or readv for several). */
export const readHost = (hostFd: number, bufs: readonly Uint8Array[]): number =>
  (bufs.length === 1 ? host.read(hostFd, bufs[0]) : host.readv(hostFd, bufs));

/** One host write of `bufs` (write or writev; pwrite or pwritev at `at`). */
export function writeHost(hostFd: number, bufs: readonly Uint8Array[], at: bigint | null): number {
  if (bufs.length === 1) return at === null ? host.write(hostFd, bufs[0]) : host.pwrite(hostFd, bufs[0], at);
  return at === null ? host.writev(hostFd, bufs) : host.pwritev(hostFd, bufs, at);
}

export function byteLength(bufs: readonly Uint8Array[]): number {
  let total = 0;
  for (const b of bufs) total += b.length;
  return total;
}

/** Skips `done` bytes of a list of views (for resuming a partial writev). */
export function skipBytes(views: readonly Uint8Array[], done: number): readonly Uint8Array[] {
  if (done === 0) return views;
  const out: Uint8Array[] = [];
  for (const v of views) {
    if (done >= v.length) { done -= v.length; continue; }
    out.push(done > 0 ? v.subarray(done) : v);
    done = 0;
  }
  return out;
}

/**
 * Writes all of `bufs` (at `offset`, or the file position when null) where
 * writes never block: loops on partial writes only; an error after some
 * bytes ends with the count so far.
 */
export function writeAll(hostFd: number, bufs: readonly Uint8Array[], offset: bigint | null): number {
  const total = byteLength(bufs);
  let done = 0;
  do {
    const rest = skipBytes(bufs, done);
    const at = offset === null ? null : offset + BigInt(done);
    let n: number;
    try {
      n = retryEintr(() => writeHost(hostFd, rest, at));
    } catch (e) {
      if (done > 0) return done;
      throw e;
    }
    if (n === 0) break;
    done += n;
  } while (done < total);
  return done;
}

export const regularOps: KindOps = {
  ...hostFileOps,
  read(_i, e, bufs) {
    for (;;) {
      try {
        return readHost(e.hostFd, bufs);
      } catch (err) {
        if (errnoOf(err) !== 'EINTR') throw err;
      }
    }
  },
  write: (_i, e, bufs, offset) => writeAll(e.hostFd, bufs, offset),
};
