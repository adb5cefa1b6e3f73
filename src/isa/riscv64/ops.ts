/**
 * Decoded-instruction format of the RV64 tier-0 interpreter.
 *
 * Every instruction (32-bit or compressed) decodes to one record of four
 * int32 words, kept in a per-4KiB-page Int32Array with one record per
 * halfword offset (2048 records, record i at index 4*i):
 *
 *   [0] op    Op id (interp.ts; 0 = not decoded yet)
 *   [1] regs  rd | rs1 << 8 | rs2 << 16 | len << 24
 *             rd/rs1/rs2 are int32 indices into the register slot (2*reg for x,
 *             2*reg for f when the op works on f registers); rd of x0 is
 *             X_SINK so the interpreter never needs an `rd !== 0` test;
 *             len = 2 or 4 (instruction length in bytes)
 *   [2] imm   sign-extended immediate, absolute target for branches/JAL,
 *             CSR number for CSR ops, raw instruction word for FP_OP
 *   [3] imm2  extra: high word for LI (LUI/AUIPC result), uimm for CSR*I
 *
 * The format is plain data so that a later block translator can walk it.
 */

import { SINK_OFFSET } from './state.js';

/** Int32 index of the write-only sink register (state.ts SINK_OFFSET). */
export const X_SINK = SINK_OFFSET / 4;

/** Record stride in int32 words. */
export const REC = 4;
