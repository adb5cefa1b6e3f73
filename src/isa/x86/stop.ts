/** Thrown by the x86 handlers and memory helpers to stop the loop (fault set, or a syscall stop). */
export const STOP = { stop: true };
