/**
 * signalfd and signalfd4, and reading a signalfd: the files server keeps
 * the fd (its mask, its readiness: servers/files/kinds/signalfd.ts); taking
 * the signals is the personality's, as for rt_sigtimedwait. A read takes as
 * many pending signals of the mask as 128-byte signalfd_siginfo records fit,
 * lowest first; with none pending it blocks (unless O_NONBLOCK) until one
 * comes, or a signal outside the mask interrupts it.
 */
import { fail } from '../../../servers/common/errno.js';
import { lowestSignal } from '../../../servers/signals/pending.js';
import { encodeSignalfdSiginfo, SIGINFO_SIZE } from '../abi/siginfo.js';
import { readSigset, sigsetSize } from './signals.js';
import { int, ptr, ulong, type LinuxThread, type SyscallGroup } from './types.js';

function signalfd(t: LinuxThread, fd: number, maskAddr: number, size: number, flags: number): number {
  const O = t.arch.file.O;
  if (size !== sigsetSize(t) || (flags & ~(O.CLOEXEC | O.NONBLOCK))) throw fail('EINVAL');
  const mask = t.signals.sanitize(readSigset(t, maskAddr));
  if (fd === -1) return t.files.signalfd(mask, { cloexec: (flags & O.CLOEXEC) !== 0, nonblock: (flags & O.NONBLOCK) !== 0 });
  t.files.setSignalfdMask(fd, mask);
  return fd;
}

const pendingOf = (t: LinuxThread): bigint => t.thread.pending | t.proc.block.procPending;

/** read(2) of a signalfd into `buf`. */
export function readSignalfd(t: LinuxThread, fd: number, buf: Uint8Array): number {
  if (buf.length < SIGINFO_SIZE) throw fail('EINVAL');
  const { mask, nonblock } = t.files.signalfdState(fd);
  for (;;) {
    t.signals.collect();
    let n = 0;
    for (let hit = pendingOf(t) & mask; hit !== 0n && n + SIGINFO_SIZE <= buf.length; hit = pendingOf(t) & mask) {
      const info = t.signals.take(lowestSignal(hit));
      buf.set(encodeSignalfdSiginfo(info, t.arch.endian, t.arch.signalFrames?.siCodes), n);
      n += SIGINFO_SIZE;
    }
    if (n > 0) {
      t.files.refreshSignalfds(pendingOf(t));
      return n;
    }
    if (nonblock) throw fail('EAGAIN');
    if (t.signals.interrupting()) throw fail('EINTR');
    t.kernel.sleep(-1);
  }
}

export const signalfdSyscalls: SyscallGroup = {
  signalfd4: { name: 'signalfd4', fn: (t, a) => signalfd(t, int(a[0]), ptr(a[1]), ulong(a[2]), int(a[3])), args: ['int', 'ptr', 'uint', 'hex'] },
  signalfd: { name: 'signalfd', fn: (t, a) => signalfd(t, int(a[0]), ptr(a[1]), ulong(a[2]), 0), args: ['int', 'ptr', 'uint'] },
};
