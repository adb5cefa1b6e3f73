/**
 * What becomes of a blocking call that a signal interrupted: restarted,
 * resumed where it left off, or failed with "interrupted" (EINTR,
 * B_INTERRUPTED). Personality-neutral: each personality keeps a table of its
 * blocking calls naming one rule each (Linux: `personalities/linux/
 * restart-table.ts`), and its stub asks `afterInterruption` once the call
 * has come back interrupted.
 *
 * The rules are the ones the Linux kernel encodes in its internal restart
 * codes (include/linux/errno.h, arch/.../kernel/signal.c handle_signal /
 * syscall_restart), described in signal(7), "Interruption of system calls
 * and library functions by signal handlers":
 *
 * | rule          | Linux code            | no handler runs | handler, SA_RESTART | handler, no SA_RESTART |
 * |---------------|-----------------------|-----------------|---------------------|------------------------|
 * | `sa-restart`  | ERESTARTSYS           | restart         | restart             | EINTR                  |
 * | `no-handler`  | ERESTARTNOHAND        | restart         | EINTR               | EINTR                  |
 * | `resume`      | ERESTART_RESTARTBLOCK | resume          | EINTR               | EINTR                  |
 * | `always`      | ERESTARTNOINTR        | restart         | restart             | restart                |
 * | `never`       | (-EINTR itself)       | EINTR           | EINTR               | EINTR                  |
 * | `sa-resume`   | (Haiku, below)        | resume          | resume              | EINTR                  |
 *
 * "No handler runs" covers an ignored signal and a stop followed by a
 * continue (SIGSTOP/SIGTSTP, then SIGCONT); a signal whose default action
 * ends the process never returns to the call at all. "Resume" continues the
 * call with what is left of it (the kernel's restart_syscall with the
 * thread's restart block: a sleep's remaining time, a futex wait's deadline).
 *
 * Haiku marks the calls that may run again (syscall_restart_handle_post and
 * syscall_restart_handle_timeout_post in headers/private/kernel/
 * syscall_restart.h): their timeout is made absolute on entry and kept for
 * the restart, and handle_signals (src/system/kernel/signal.cpp) clears the
 * restart unless the handler has SA_RESTART: `sa-resume`. B_INTERRUPTED is
 * Haiku's EINTR.
 */

/** How one blocking call behaves when a signal interrupts it (table above). */
export type RestartRule = 'sa-restart' | 'no-handler' | 'resume' | 'always' | 'never' | 'sa-resume';

/** What the signal that interrupted the call is about to do. */
export type Disposition =
  /** nothing the program sees: ignored, a stop then a continue, or the process ends */
  | 'no-handler'
  /** a handler runs, installed with SA_RESTART */
  | 'handler-restart'
  /** a handler runs, without SA_RESTART */
  | 'handler';

/** The outcome for the caller: run the call again as it was, continue it, or fail it. */
export type Outcome = 'restart' | 'resume' | 'interrupted';

const TABLE: Record<RestartRule, Record<Disposition, Outcome>> = {
  'sa-restart': { 'no-handler': 'restart', 'handler-restart': 'restart', handler: 'interrupted' },
  'no-handler': { 'no-handler': 'restart', 'handler-restart': 'interrupted', handler: 'interrupted' },
  resume: { 'no-handler': 'resume', 'handler-restart': 'interrupted', handler: 'interrupted' },
  always: { 'no-handler': 'restart', 'handler-restart': 'restart', handler: 'restart' },
  never: { 'no-handler': 'interrupted', 'handler-restart': 'interrupted', handler: 'interrupted' },
  'sa-resume': { 'no-handler': 'resume', 'handler-restart': 'resume', handler: 'interrupted' },
};

/** The outcome of an interrupted call under `rule`, for the signal's `disposition`. */
export function afterInterruption(rule: RestartRule, disposition: Disposition): Outcome {
  return TABLE[rule][disposition];
}

/** Every rule, for tables that check themselves. */
export const RESTART_RULES: readonly RestartRule[] = Object.keys(TABLE) as RestartRule[];
