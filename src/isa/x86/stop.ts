/** Thrown by the x86 handlers and memory helpers to stop the loop (fault set, or a syscall stop). */
export const STOP = { stop: true };
/** Thrown when a locked instruction's compare-and-swap lost a race: the loop runs the instruction again. */
export const RETRY = { retry: true };
