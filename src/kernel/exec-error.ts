/**
 * A failure before the guest ran (not found, not executable, bad
 * interpreter): one sentence for the user, the shell's status (127 / 126),
 * and the errno execve(2) gives for it. Its own module so that compat's
 * main thread can name it without loading the loader.
 */
import type { Errno } from '../../servers/common/errno.js';

/** A failure before the guest ran: one sentence and a shell-like status. */
export class ExecError extends Error {
  constructor(message: string, readonly status: 126 | 127) {
    super(message);
    this.name = 'ExecError';
  }

  /** The errno execve(2) gives for this failure. */
  get errno(): Errno {
    if (this.status === 127) return 'ENOENT';
    const m = this.message;
    if (/Permission denied|Is a directory/.test(m)) return 'EACCES';
    if (/Not a directory/.test(m)) return 'ENOTDIR';
    if (/symbolic links|levels of #!/.test(m)) return 'ELOOP';
    if (/File name too long/.test(m)) return 'ENAMETOOLONG';
    if (/bad interpreter: No such file/.test(m)) return 'ENOENT';
    return 'ENOEXEC';
  }
}
