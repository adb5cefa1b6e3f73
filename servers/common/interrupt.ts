/**
 * How a blocking server operation (read on a pipe, poll, a sleep, a wait)
 * stays interruptible by signals without spinning.
 *
 * Each guest thread owns a host eventfd (`wakeFd`) that the runtime writes to
 * when a signal is queued for the thread. Blocking operations poll on their
 * own fds plus `wakeFd`; when `wakeFd` fires they ask `pending()` and, if a
 * signal is deliverable, fail with EINTR (the personality then restarts the
 * call or returns EINTR, per SA_RESTART). `wakeCell` is the same notice for
 * waits that use Atomics.wait instead of poll (futex, nanosleep): the runtime
 * bumps and notifies it.
 */
export interface Interrupter {
  /** Host eventfd, readable when the thread has been poked. */
  readonly wakeFd: number;
  /** Int32Array + index for Atomics.wait-based sleeps. */
  readonly wakeCell: { array: Int32Array; index: number };
  /** True when a signal is deliverable to this thread now (consumes the eventfd's count). */
  pending(): boolean;
  /**
   * Called before each host wait: brings the readiness of fds the
   * personality computes (signalfds: pending signals) up to date.
   */
  refresh?(): void;
}

/** An interrupter for contexts with no signals (unit tests, single-purpose tools). */
export const neverInterrupted: Interrupter = {
  wakeFd: -1,
  wakeCell: { array: new Int32Array(new SharedArrayBuffer(4)), index: 0 },
  pending: () => false,
};
