/**
 * SniffInput helpers: a SniffInput over bytes in memory, and bounds-checked
 * reads that only ever fail with ExecFormatError.
 */
import type { SniffInput } from '../plugin/contracts.js';
import { ExecFormatError } from './errors.js';

export function sniffInputFromBytes(bytes: Uint8Array, path = '<memory>', headSize = 4096): SniffInput {
  return {
    path,
    head: bytes.subarray(0, Math.min(headSize, bytes.length)),
    size: bytes.length,
    read(offset: number, len: number): Uint8Array {
      if (!(offset >= 0) || !(len >= 0) || offset >= bytes.length) return new Uint8Array(0);
      return bytes.subarray(offset, Math.min(bytes.length, offset + len));
    },
  };
}

/** Reads exactly `len` bytes at `offset`, or fails saying what `what` was. */
export function readExact(input: SniffInput, offset: number, len: number, what: string): Uint8Array {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(len) || offset < 0 || len < 0 || offset + len > input.size) {
    throw new ExecFormatError(`${what} (offset ${offset}, ${len} bytes) extends past the end of the ${input.size}-byte file`);
  }
  if (len === 0) return new Uint8Array(0);
  if (offset + len <= input.head.length) return input.head.subarray(offset, offset + len);
  let got: Uint8Array;
  try {
    got = input.read(offset, len);
  } catch (e) {
    throw new ExecFormatError(`reading ${what} (${len} bytes at offset ${offset}) failed: ${(e as Error)?.message ?? String(e)}`);
  }
  if (!(got instanceof Uint8Array) || got.length < len) {
    throw new ExecFormatError(`${what} (offset ${offset}, ${len} bytes) could not be read: the file is shorter than it claims`);
  }
  return got.length === len ? got : got.subarray(0, len);
}

/** Reads up to `len` bytes at `offset` (short at EOF), never throwing on a short file. */
export function readSome(input: SniffInput, offset: number, len: number): Uint8Array {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset >= input.size || len <= 0) return new Uint8Array(0);
  const n = Math.min(len, input.size - offset);
  if (offset + n <= input.head.length) return input.head.subarray(offset, offset + n);
  try {
    const got = input.read(offset, n);
    return got instanceof Uint8Array ? got : new Uint8Array(0);
  } catch {
    return new Uint8Array(0);
  }
}

export function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

export function ascii(b: Uint8Array, start: number, len: number): string {
  let s = '';
  for (let i = start; i < start + len && i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}
