/**
 * exec into a program of another personality or arch (a Linux MIPS shell
 * running a Haiku program): the signal state that survives exec (the mask,
 * pending signals, ignored dispositions) is kept by signal NAME, so SIGUSR1
 * blocked as MIPS 16 stays blocked as Haiku 18. Signals the new numbering
 * lacks are dropped.
 */
import type { ProcessBlock, SigActionRecord, ThreadBlock } from '../../src/kernel/shared.js';

type Numbering = Readonly<Record<string, number>>;

function sameNumbering(a: Numbering, b: Numbering): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/** Translates a set (bit n-1 for signal n) from one numbering to the other. */
export function renumberSet(set: bigint, from: Numbering, to: Numbering): bigint {
  let out = 0n;
  for (const [name, n] of Object.entries(from)) {
    const m = to[name];
    if (m && n >= 1 && n <= 64 && m <= 64 && (set >> BigInt(n - 1)) & 1n) out |= 1n << BigInt(m - 1);
  }
  return out;
}

export function renumberOnExec(from: Numbering, to: Numbering, thread: ThreadBlock, process: ProcessBlock): void {
  if (sameNumbering(from, to)) return;
  thread.mask = renumberSet(thread.mask, from, to);
  const pending = thread.pending;
  thread.clearPending(pending);
  thread.addPending(renumberSet(pending, from, to));
  const kept: Array<[number, SigActionRecord]> = [];
  for (const [name, n] of Object.entries(from)) {
    const m = to[name];
    if (m && n <= 128) kept.push([m, process.action(n)]);
  }
  const none: SigActionRecord = { handler: 0n, flags: 0n, restorer: 0n, mask: 0n };
  for (let sig = 1; sig <= 128; sig++) process.setAction(sig, none);
  for (const [m, a] of kept) if (m <= 128) process.setAction(m, { ...a, mask: renumberSet(a.mask, from, to) });
}
