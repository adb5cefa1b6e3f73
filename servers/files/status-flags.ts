/**
 * The status flags of an open file description (F_GETFL / F_SETFL): the
 * host description's own flags, except O_NONBLOCK on host-shared fds
 * (stdio), which is the guest's and kept in the table entry, so the host's
 * own stdio is never made non-blocking.
 */
import * as host from '../../src/host/libc.js';
import { H } from '../../src/host/libc.js';
import { EF, type SharedFdTable } from './fd-table.js';
import { entry, ioEntry } from './fd-ops.js';
import { accessOf } from './host-fd.js';
import type { StatusFlags } from './types.js';

export function getStatusFlags(t: SharedFdTable, fd: number): StatusFlags {
  const o = entry(t, fd);
  const h = host.fcntl(o.hostFd, H.F_GETFL);
  return {
    access: o.pathOnly ? 'r' : accessOf(h),
    append: (h & H.O_APPEND) !== 0,
    nonblock: o.hostShared ? o.nonblock : (h & H.O_NONBLOCK) !== 0,
    sync: (h & H.O_SYNC) === H.O_SYNC,
    dsync: (h & H.O_DSYNC) !== 0,
    direct: (h & H.O_DIRECT) !== 0,
    noatime: (h & H.O_NOATIME) !== 0,
    async: (h & H.O_ASYNC) !== 0,
    path: o.pathOnly,
    directory: o.kind === 'dir' && (h & H.O_DIRECTORY) !== 0,
  };
}

/** F_SETFL: only append, nonblock, async, direct and noatime change (as on Linux). */
export function setStatusFlags(
  t: SharedFdTable, fd: number, f: { append?: boolean; nonblock?: boolean; async?: boolean; direct?: boolean; noatime?: boolean },
): void {
  const o = ioEntry(t, fd);
  const cur = host.fcntl(o.hostFd, H.F_GETFL);
  const changeable = H.O_APPEND | H.O_NONBLOCK | H.O_ASYNC | H.O_DIRECT | H.O_NOATIME;
  let next = cur & ~changeable;
  if (f.append) next |= H.O_APPEND;
  if (f.async) next |= H.O_ASYNC;
  if (f.direct) next |= H.O_DIRECT;
  if (f.noatime) next |= H.O_NOATIME;
  if (o.hostShared) next |= cur & H.O_NONBLOCK; // shared with the host: emulate O_NONBLOCK
  else if (f.nonblock) next |= H.O_NONBLOCK;
  if (next !== cur) host.fcntl(o.hostFd, H.F_SETFL, next & ~(H.O_ACCMODE | H.O_CREAT | H.O_EXCL | H.O_NOCTTY | H.O_TRUNC | H.O_CLOEXEC));
  if (o.hostShared) t.updateFlags(fd, (fl) => (f.nonblock ? fl | EF.NONBLOCK : fl & ~EF.NONBLOCK));
}
