/**
 * What every kind backed by one host fd does alike: poll readiness is the
 * host fd's own, FIONREAD and fstat ask the host, close closes the host fd.
 * Kinds spread these into their KindOps and add their reads and writes.
 */
import * as host from '../../../src/host/libc.js';
import { H } from '../../../src/host/libc.js';
import { closeQuietly, fstatHost, toStat } from '../host-fd.js';
import type { KindOps } from './file-kind.js';

export const hostFileOps: Pick<KindOps, 'readiness' | 'bytesReadable' | 'stat' | 'close'> = {
  readiness: (hostFd, events) => ({ fd: hostFd, events, revents: 0 }),
  bytesReadable(hostFd) {
    const b = Buffer.alloc(4);
    host.ioctlPtr(hostFd, H.FIONREAD, b);
    return b.readInt32LE(0);
  },
  stat: (hostFd) => toStat(fstatHost(hostFd)),
  close: closeQuietly,
};
