/**
 * How a guest process ends. Thrown from a syscall handler or a fault path and
 * caught by the runner, which turns it into the host's exit status.
 */
export type ExitReason =
  | { kind: 'exit'; code: number }
  /** Killed by a signal; `number` is the host (Linux generic) signal number used for 128+N. */
  | { kind: 'signal'; name: string; number: number; coreDumped: boolean };

export class GuestExit extends Error {
  /** threadOnly: only the calling thread ends (exit), not the whole process (exit_group). */
  readonly threadOnly: boolean;
  constructor(readonly reason: ExitReason, opts: { threadOnly?: boolean } = {}) {
    super(reason.kind === 'exit' ? `exit ${reason.code}` : `killed by ${reason.name}`);
    this.name = 'GuestExit';
    this.threadOnly = opts.threadOnly ?? false;
  }
}

/** The shell's view of an exit: the status `$?` shows. */
export function shellStatus(r: ExitReason): number {
  return r.kind === 'exit' ? r.code & 0xff : 128 + r.number;
}

/** What a shell prints for a process killed by a signal (bash's wording). */
export const SIGNAL_DESCRIPTIONS: Readonly<Record<string, string>> = {
  SIGHUP: 'Hangup', SIGINT: '', SIGQUIT: 'Quit', SIGILL: 'Illegal instruction',
  SIGTRAP: 'Trace/breakpoint trap', SIGABRT: 'Aborted', SIGBUS: 'Bus error',
  SIGFPE: 'Floating point exception', SIGKILL: 'Killed', SIGUSR1: 'User defined signal 1',
  SIGSEGV: 'Segmentation fault', SIGUSR2: 'User defined signal 2', SIGPIPE: '',
  SIGALRM: 'Alarm clock', SIGTERM: 'Terminated', SIGSTKFLT: 'Stack fault',
  SIGXCPU: 'CPU time limit exceeded', SIGXFSZ: 'File size limit exceeded',
  SIGVTALRM: 'Virtual timer expired', SIGPROF: 'Profiling timer expired', SIGSYS: 'Bad system call',
};

/**
 * Thrown by execve once the new image is ready: the runner continues with
 * the new core and trap handler in the same thread.
 */
export class ReplaceImage extends Error {
  constructor(
    readonly core: import('../plugin/contracts.js').IsaCore,
    readonly trap: import('../plugin/contracts.js').TrapHandler,
  ) {
    super('exec');
    this.name = 'ReplaceImage';
  }
}
