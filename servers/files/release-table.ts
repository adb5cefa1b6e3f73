/**
 * The fd table of a process that ended without closing it (killed): every
 * entry's host fd and the cwd's are closed, so that a dead writer does not
 * keep a pipe open. Used by the processes server on compat's main thread,
 * which needs nothing else of the files server (no kinds: what a kind holds
 * lives in its host fd).
 */
import { entryHostFd, HDR, SharedFdTable, type SharedFilesHandle } from './fd-table.js';
import { closeQuietly } from './host-fd.js';

export function releaseTable(handle: SharedFilesHandle): void {
  const t = SharedFdTable.attach(handle);
  for (let fd = 0; fd < t.capacity; fd++) {
    const v = t.take(fd);
    if (v !== null) closeQuietly(entryHostFd(v));
  }
  const cwd = Atomics.exchange(t.header, HDR.CWD, -1);
  if (cwd >= 0) closeQuietly(cwd);
}
