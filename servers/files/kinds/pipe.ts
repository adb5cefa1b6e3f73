/**
 * Pipes: real host pipes (pipe2), so parent and child, and threads in other
 * workers, share them through the host kernel. They read and write as
 * blocking host streams (./stream.ts).
 */
import * as host from '../../../src/host/libc.js';
import { H } from '../../../src/host/libc.js';
import type { SharedFdTable } from '../fd-table.js';
import type { KindOps } from './file-kind.js';
import { streamOps } from './stream.js';

export const pipeOps: KindOps = streamOps;

/** pipe2(2): [read end, write end], the two lowest free fds, installed together. */
export function createPipe(t: SharedFdTable, opts: { cloexec?: boolean; nonblock?: boolean }): [number, number] {
  const fr = t.reserve(0);
  let fw: number;
  try {
    fw = t.reserve(fr + 1);
  } catch (e) {
    t.unreserve(fr);
    throw e;
  }
  let hr: number, hw: number;
  try {
    [hr, hw] = host.pipe2(H.O_CLOEXEC | (opts.nonblock ? H.O_NONBLOCK : 0));
  } catch (e) {
    t.unreserve(fr);
    t.unreserve(fw);
    throw e;
  }
  const base = { kind: 'pipe' as const, cloexec: !!opts.cloexec, pathOnly: false, hostShared: false, nonblock: !!opts.nonblock };
  t.publish(fr, { ...base, hostFd: hr, access: 'r' });
  t.publish(fw, { ...base, hostFd: hw, access: 'w' });
  return [fr, fw];
}
