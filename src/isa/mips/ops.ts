/**
 * Decoded-instruction format of the MIPS32r2 tier-0 interpreter.
 *
 * Every instruction word decodes to one record of four int32 words, kept in a
 * per-4KiB-page Int32Array (1024 records, record of the word at page offset
 * `off` at index `off` — i.e. 4 int32 per 4-byte instruction):
 *
 *   [0] op    Op id below (0 = not decoded yet)
 *   [1] regs  rd | rs << 8 | rt << 16 | x << 24
 *             rd is an int32 index into the register slot: the destination
 *             (SINK when the destination is $0, so the interpreter never tests
 *             for $0); rs/rt are source GPR numbers (or FPR numbers for FP
 *             memory ops); x is an extra 8-bit field (shift amount, trap
 *             condition, FP condition-code number...)
 *   [2] imm   sign-extended immediate, absolute target for branches/jumps,
 *             raw instruction word for FPU
 *   [3] imm2  extra (EXT/INS size, trap immediate, FP cc mask)
 *
 * The format is plain data so that a later block translator (JS `new
 * Function`) can walk a page's records and emit straight-line code: every
 * branch/jump op is followed by its delay slot record.
 */

// The Op enum itself is declared in core.ts, next to the interpreter's switch:
// esbuild (vitest, vite-node) inlines a const enum only within the file that
// declares it, and a switch over imported enum members degrades to a chain
// of property loads and compares (~50x slower). tsc inlines it everywhere.
export { Op } from './core.js';

/** Record stride in int32 words (one record per 4-byte instruction). */
export const REC = 4;
