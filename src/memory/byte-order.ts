/** Byte order of 32-bit guest words in the little-endian host memory. */

/** A 32-bit word with its four bytes reversed (as int32, the Int32Array/Atomics view of it). */
export const bswap32 = (v: number): number => (v << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
