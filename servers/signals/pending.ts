/**
 * A thread's view of the pending sets: the signals it has pending itself
 * (thread block) and those pending for its whole process (process block),
 * bit n-1 for signal n in its personality's numbering, and how one is taken.
 */
import type { ProcessBlock, ThreadBlock } from '../../src/kernel/shared.js';

export const signalBit = (sig: number): bigint => 1n << BigInt(sig - 1);

/** The signals the thread could take now: pending for it or its process, and not in `mask`. */
export function deliverableSet(thread: ThreadBlock, process: ProcessBlock, mask: bigint): bigint {
  return (thread.pending | process.procPending) & ~mask;
}

/**
 * Takes signal `sig` out of the pending sets: out of the thread's own when it
 * is there (once `lastInstance` of a queued signal goes), else out of the
 * process's.
 */
export function takePending(thread: ThreadBlock, process: ProcessBlock, sig: number, lastInstance = true): void {
  const bit = signalBit(sig);
  if ((thread.pending & bit) === 0n) process.takeProcPending(bit);
  else if (lastInstance) thread.clearPending(bit);
}

/** The lowest-numbered signal in `set` (65 when it is empty). */
export function lowestSignal(set: bigint): number {
  let sig = 1;
  while (sig <= 64 && ((set >> BigInt(sig - 1)) & 1n) === 0n) sig++;
  return sig;
}
