/**
 * Signals compat itself receives from the host and who in the guest gets
 * them. Those a terminal sends (Ctrl-C, Ctrl-\, Ctrl-Z, a resize, fg's
 * SIGCONT) go to the first process's process group, as the terminal would
 * send them to the foreground group; the others (kill of compat's pid) go to
 * the first process alone.
 */
export type HostSignalTarget = 'group' | 'init';

export const HOST_SIGNAL_TARGETS: ReadonlyArray<readonly [NodeJS.Signals, HostSignalTarget]> = [
  ['SIGINT', 'group'],
  ['SIGQUIT', 'group'],
  ['SIGWINCH', 'group'],
  ['SIGTSTP', 'group'],
  ['SIGCONT', 'group'],
  ['SIGTERM', 'init'],
  ['SIGHUP', 'init'],
  ['SIGUSR1', 'init'],
  ['SIGUSR2', 'init'],
  ['SIGALRM', 'init'],
];
