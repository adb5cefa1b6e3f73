/** exec into another numbering keeps the mask, pending signals and ignored dispositions by name. */
import { describe, expect, it } from 'vitest';
import { renumberOnExec, renumberSet } from '../../../servers/signals/renumber.js';
import { ProcessBlock, ThreadBlock } from '../../../src/kernel/shared.js';

const MIPS = { SIGHUP: 1, SIGUSR1: 16, SIGUSR2: 17, SIGTTIN: 26 };
const HAIKU = { SIGHUP: 1, SIGTTIN: 16, SIGUSR1: 18, SIGUSR2: 19 };
const bit = (n: number): bigint => 1n << BigInt(n - 1);

describe('signal state across an exec into another numbering', () => {
  it('translates sets by name and drops what the new numbering lacks', () => {
    expect(renumberSet(bit(16) | bit(1), MIPS, HAIKU)).toBe(bit(18) | bit(1));
    expect(renumberSet(bit(16), MIPS, { SIGHUP: 1 })).toBe(0n);
  });

  it('moves the mask, the pending set and the dispositions (with their masks) to the new numbers', () => {
    const t = new ThreadBlock();
    const p = new ProcessBlock();
    t.mask = bit(16);
    t.addPending(bit(17));
    p.setAction(16, { handler: 1n, flags: 0n, restorer: 0n, mask: bit(17) });
    renumberOnExec(MIPS, HAIKU, t, p);
    expect(t.mask).toBe(bit(18));
    expect(t.pending).toBe(bit(19));
    expect(p.action(18)).toEqual({ handler: 1n, flags: 0n, restorer: 0n, mask: bit(19) });
    expect(p.action(16).handler).toBe(0n); // Haiku's 16 is SIGTTIN: not ignored
  });

  it('leaves everything alone when the numbering is the same', () => {
    const t = new ThreadBlock();
    const p = new ProcessBlock();
    t.mask = bit(5);
    p.setAction(40, { handler: 1n, flags: 0n, restorer: 0n, mask: 0n });
    renumberOnExec(MIPS, { ...MIPS }, t, p);
    expect(t.mask).toBe(bit(5));
    expect(p.action(40).handler).toBe(1n);
  });
});
