/**
 * Stop and continue signals cancel each other while pending, as the Linux
 * kernel's prepare_signal() does when a signal is generated (kernel/signal.c;
 * signal(7)): a SIGCONT discards every pending stop signal of the process
 * and its threads, and a stop signal discards a pending SIGCONT. So a
 * SIGSTOP that a thread had not taken yet when SIGCONT came never stops it.
 * Neutral signal names; the runtime applies the rule to its pending sets.
 */

/** The signals whose default action stops the process. */
export const STOP_SIGNALS: readonly string[] = ['SIGSTOP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU'];

/** The pending signals that generating `name` discards. */
export function discardedBy(name: string): readonly string[] {
  if (name === 'SIGCONT') return STOP_SIGNALS;
  if (STOP_SIGNALS.includes(name)) return ['SIGCONT'];
  return [];
}
