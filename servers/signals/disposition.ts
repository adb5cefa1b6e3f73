/**
 * What taking a signal does, given the handler its process installed: run
 * the handler, nothing (ignored), or the signal's default action. Every
 * personality stores its handlers in the process block the same way: 0 is
 * the default (SIG_DFL), 1 ignore (SIG_IGN), anything else a guest address.
 * And the signal mask while a handler runs, the same for every personality.
 */
import { defaultAction } from './default-actions.js';
import type { ProcessBlock } from '../../src/kernel/shared.js';

export const SIG_DFL = 0n;
export const SIG_IGN = 1n;

export type SignalAction = 'handler' | 'ignore' | 'term' | 'core' | 'stop' | 'cont';

/** What signal `name` does in a process whose handler for it is `handler`. */
export function actionFor(handler: bigint, name: string): SignalAction {
  if (handler === SIG_IGN) return 'ignore';
  if (handler !== SIG_DFL) return 'handler';
  const d = defaultAction(name);
  return d === 'ign' ? 'ignore' : d;
}

/** Is `handler` a guest function (not the default, not ignore)? */
export function runsHandler(handler: bigint): boolean {
  return handler !== SIG_DFL && handler !== SIG_IGN;
}

/**
 * The mask a handler runs with: the thread's own, plus the action's mask,
 * plus the signal itself unless the action says not to defer it (SA_NODEFER);
 * never the signals that cannot be blocked.
 */
export function handlerMask(mask: bigint, actionMask: bigint, signalBit: bigint, nodefer: boolean, unblockable: bigint): bigint {
  return (mask | actionMask | (nodefer ? 0n : signalBit)) & ~unblockable;
}

/** execve: caught signals go back to their default action; ignored ones stay ignored (execve(2)). */
export function resetHandlersOnExec(block: ProcessBlock): void {
  for (let sig = 1; sig <= 64; sig++) {
    if (block.action(sig).handler !== SIG_IGN) block.setAction(sig, { handler: SIG_DFL, flags: 0n, restorer: 0n, mask: 0n });
  }
}
