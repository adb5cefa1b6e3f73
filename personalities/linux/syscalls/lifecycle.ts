/**
 * Ending threads and processes, and the start-up bookkeeping glibc does:
 * exit (this thread), exit_group (the process), set_tid_address,
 * set_robust_list, rseq (ENOSYS, which glibc accepts).
 */
import { fail } from '../../../servers/common/errno.js';
import { GuestExit } from '../../../src/kernel/exit.js';
import { int, ptr, type LinuxThread, type SyscallGroup } from './types.js';

/** The thread ends: clear and wake its clear-child-tid word (pthread_join waits on it), then leave. */
export function exitThread(t: LinuxThread, code: number): never {
  const ctid = t.thread.clearChildTid;
  if (ctid) {
    try {
      t.mem.writeU32(ctid, 0, t.arch.endian === 'little');
      Atomics.notify(new Int32Array(t.mem.buffer), ctid >>> 2);
    } catch { /* an unmapped word is ignored, as on Linux */ }
  }
  throw new GuestExit({ kind: 'exit', code }, { threadOnly: true });
}

export const lifecycleSyscalls: SyscallGroup = {
  exit: { name: 'exit', fn: (t, a) => exitThread(t, int(a[0]) & 0xff), args: ['int'], ret: 'none' },
  exit_group: { name: 'exit_group', fn: (_t, a) => { throw new GuestExit({ kind: 'exit', code: int(a[0]) & 0xff }); }, args: ['int'], ret: 'none' },
  set_tid_address: { name: 'set_tid_address', fn: (t, a) => { t.thread.clearChildTid = ptr(a[0]); return t.id.tid; }, args: ['ptr'] },
  set_robust_list: { name: 'set_robust_list', fn: (t, a) => { t.thread.robustList = a[0]; return 0; }, args: ['ptr', 'uint'] },
  get_robust_list: { name: 'get_robust_list', fn: () => { throw fail('EPERM'); }, args: ['int', 'ptr', 'ptr'] },
  rseq: { name: 'rseq', fn: () => { throw fail('ENOSYS'); }, args: ['ptr', 'uint', 'hex', 'hex'] },
};
