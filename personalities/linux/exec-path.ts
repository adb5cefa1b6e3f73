/**
 * Which host file an execve names: guest paths resolve like every other
 * path (through the files server, so a jail applies), and /proc/self/exe
 * means the running guest program, not the host's Node binary.
 */
import { posix } from 'node:path';
import { fail } from '../../servers/common/errno.js';
import { procSelfLink } from '../../servers/files/procfs.js';
import type { LinuxThread } from './syscalls/types.js';

export function execHostPath(t: LinuxThread, dirfd: number | 'cwd', path: string, emptyPath: boolean): string {
  if (emptyPath && path === '') {
    if (dirfd === 'cwd') throw fail('EACCES');
    return `/proc/self/fd/${t.files.hostFd(dirfd)}`;
  }
  let abs = path;
  if (!path.startsWith('/')) {
    const base = dirfd === 'cwd' ? t.files.getcwd() : t.files.guestPathOf(dirfd);
    abs = posix.join(base, path);
  }
  const self = t.files.procSelf;
  if (self) {
    const link = procSelfLink(abs, self);
    if (link?.kind === 'exe') return t.proc.hostExePath;
    if (link?.kind === 'fd') return `/proc/self/fd/${t.files.hostFd(link.fd)}`;
  }
  const r = t.files.resolvePath('cwd', abs);
  return r.hostPath;
}
