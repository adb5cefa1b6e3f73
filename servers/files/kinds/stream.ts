/**
 * Host streams whose reads and writes can block: the reads and writes that
 * pipes, ttys and eventfds share, and that character devices, sockets and
 * fds of an unknown kind use until they have a file of their own.
 *
 * - a guest-blocking fd waits in interruptible poll (../wait.ts) until the
 *   host fd is ready, then does one host call;
 * - a guest-non-blocking fd over a blocking host fd (host-shared stdio, whose
 *   O_NONBLOCK is emulated) polls first and fails with EAGAIN;
 * - blocking writes are complete: over a blocking host fd in pieces a pipe
 *   with POLLOUT surely takes, so no host write blocks; resumed after
 *   partial writes and after EAGAIN of a host fd that is non-blocking behind
 *   the guest's back; a signal ends them with the count so far.
 */
import * as host from '../../../src/host/libc.js';
import { fail } from '../../common/errno.js';
import type { Interrupter } from '../../common/interrupt.js';
import type { EntryFields } from '../fd-table.js';
import { errnoOf, hostNonblock, retryEintr } from '../host-fd.js';
import { readyNow, waitFd } from '../wait.js';
import type { KindOps } from './file-kind.js';
import { hostFileOps } from './host-file.js';
import { byteLength, readHost, regularOps, skipBytes, writeAll, writeHost } from './regular.js';

/** Largest write that a host pipe with POLLOUT takes without blocking (one page), and POSIX PIPE_BUF. */
const PIPE_CHUNK = 4096;

/** At most `max` bytes of a list of views. */
function limitBytes(views: readonly Uint8Array[], max: number): readonly Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const v of views) {
    if (max <= 0) break;
    out.push(v.length > max ? v.subarray(0, max) : v);
    max -= v.length;
  }
  return out;
}

function read(i: Interrupter, e: EntryFields, bufs: readonly Uint8Array[]): number {
  const hostNb = hostNonblock(e.hostFd);
  const guestNb = e.hostShared ? e.nonblock : hostNb;
  if (guestNb) {
    if (!hostNb && !readyNow(e.hostFd, host.POLLIN)) throw fail('EAGAIN');
    return regularOps.read(i, e, bufs);
  }
  for (;;) {
    waitFd(i, e.hostFd, host.POLLIN);
    try {
      return readHost(e.hostFd, bufs);
    } catch (err) {
      const en = errnoOf(err);
      if (en === 'EAGAIN' || en === 'EINTR') continue; // another reader was faster / host signal
      throw err;
    }
  }
}

function write(i: Interrupter, e: EntryFields, bufs: readonly Uint8Array[], offset: bigint | null): number {
  if (offset !== null) return writeAll(e.hostFd, bufs, offset); // pwrite: ESPIPE from the host
  const hostFd = e.hostFd;
  const total = byteLength(bufs);
  const hostNb = hostNonblock(hostFd);
  const guestNb = e.hostShared ? e.nonblock : hostNb;
  // over a blocking host fd, write no more than a pipe with POLLOUT surely takes, so no host write blocks
  const chunk = hostNb ? 0x7ffff000 : PIPE_CHUNK;
  if (total === 0) return retryEintr(() => writeHost(hostFd, bufs, null));
  let done = 0;
  let needWait = !hostNb;
  while (done < total) {
    if (guestNb) {
      if (!hostNb && !readyNow(hostFd, host.POLLOUT)) {
        if (done > 0) return done;
        throw fail('EAGAIN');
      }
    } else if (needWait) {
      try {
        waitFd(i, hostFd, host.POLLOUT);
      } catch (err) {
        if (done > 0) return done; // a signal ends a blocking write with what it wrote
        throw err;
      }
    }
    let n: number;
    try {
      n = writeHost(hostFd, limitBytes(skipBytes(bufs, done), chunk), null);
    } catch (err) {
      const en = errnoOf(err);
      if (en === 'EINTR') continue;
      if (en === 'EAGAIN' && !guestNb) { needWait = true; continue; }
      if (done > 0) return done;
      throw err;
    }
    done += n;
    needWait = true;
    if (guestNb && hostNb) break; // one host write, as the kernel does for O_NONBLOCK
    if (n === 0) break;
  }
  return done;
}

export const streamOps: KindOps = { ...hostFileOps, read, write };
