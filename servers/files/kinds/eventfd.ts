/**
 * eventfd: a host eventfd, so a counter written in one worker wakes a
 * reader in another through the host kernel. Reads and writes move 8-byte
 * counters in HOST byte order (personalities of the other order swap them);
 * they block, and honour O_NONBLOCK, as host streams do (./stream.ts); the
 * host enforces the 8-byte size and the semaphore mode.
 */
import * as host from '../../../src/host/libc.js';
import { H } from '../../../src/host/libc.js';
import type { EntryFields } from '../fd-table.js';
import type { KindOps } from './file-kind.js';
import { streamOps } from './stream.js';

export const eventfdOps: KindOps = streamOps;

/** eventfd2(2): the table entry of a new host eventfd. */
export function eventfdEntry(initval: number, opts: { cloexec?: boolean; nonblock?: boolean; semaphore?: boolean }): EntryFields {
  return {
    hostFd: host.eventfd(initval, H.O_CLOEXEC | (opts.nonblock ? H.O_NONBLOCK : 0) | (opts.semaphore ? host.EFD_SEMAPHORE : 0)),
    kind: 'eventfd', access: 'rw', cloexec: !!opts.cloexec, pathOnly: false, hostShared: false, nonblock: !!opts.nonblock,
  };
}
