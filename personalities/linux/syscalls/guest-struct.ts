/**
 * Small typed writers/readers for C structs in guest memory whose layout is
 * "a sequence of C longs/ints" (timespec, rlimit, rusage, sysinfo, tms ...):
 * offsets follow the arch's word size and byte order.
 */
import type { LinuxThread } from './types.js';

export class GuestStruct {
  readonly word: number;
  readonly le: boolean;
  readonly bytes: Uint8Array;
  private readonly dv: DataView;

  constructor(t: LinuxThread, size: number) {
    this.word = t.arch.wordSize / 8;
    this.le = t.arch.endian === 'little';
    this.bytes = new Uint8Array(size);
    this.dv = new DataView(this.bytes.buffer);
  }

  /** C `long` (word-sized) at index `i` counted in words. */
  long(i: number, v: bigint | number): this {
    const off = i * this.word;
    if (this.word === 8) this.dv.setBigInt64(off, BigInt(v), this.le);
    else this.dv.setInt32(off, Number(BigInt.asIntN(32, BigInt(v))), this.le);
    return this;
  }

  u64(off: number, v: bigint | number): this { this.dv.setBigUint64(off, BigInt.asUintN(64, BigInt(v)), this.le); return this; }
  u32(off: number, v: number): this { this.dv.setUint32(off, v >>> 0, this.le); return this; }
  u16(off: number, v: number): this { this.dv.setUint16(off, v, this.le); return this; }
  str(off: number, s: string, max: number): this {
    const b = Buffer.from(s, 'utf8').subarray(0, max - 1);
    this.bytes.set(b, off);
    return this;
  }

  get data(): Uint8Array { return this.bytes; }

  writeTo(t: LinuxThread, addr: number): void {
    t.mem.writeBytes(addr, this.bytes);
  }
}

/** Reads C longs from guest memory. */
export function readLongs(t: LinuxThread, addr: number, count: number): bigint[] {
  const w = t.arch.wordSize / 8;
  const le = t.arch.endian === 'little';
  const out: bigint[] = [];
  for (let i = 0; i < count; i++) {
    out.push(w === 8 ? t.mem.readI64(addr + i * 8, le) : BigInt(t.mem.readI32(addr + i * 4, le)));
  }
  return out;
}

/** Bytes of a struct timespec or timeval: two C longs, or two 64-bit fields with `time64` (the *_time64 calls, the *_NEW socket options). */
export const timePairSize = (t: LinuxThread, time64: boolean): number => (time64 || t.arch.wordSize === 64 ? 16 : 8);

/**
 * Writes a struct timespec {tv_sec; tv_nsec}: two C longs, or with `time64`
 * (the *_time64 syscalls of 32-bit arches) two 64-bit fields.
 */
export function writeTimespec(t: LinuxThread, addr: number, ns: bigint, time64 = false): void {
  const size = timePairSize(t, time64);
  const wide = size === 16;
  const s = new GuestStruct(t, size);
  if (wide) s.u64(0, ns / 1_000_000_000n).u64(8, ns % 1_000_000_000n);
  else s.long(0, ns / 1_000_000_000n).long(1, ns % 1_000_000_000n);
  s.writeTo(t, addr);
}

/** Reads a struct timespec (`time64`: 64-bit fields) into nanoseconds; null if malformed. */
export function readTimespec(t: LinuxThread, addr: number, time64 = false): bigint | null {
  let sec: bigint, nsec: bigint;
  if (time64 && t.arch.wordSize === 32) {
    const le = t.arch.endian === 'little';
    sec = t.mem.readI64(addr, le);
    // the kernel ignores the upper half of tv_nsec for 32-bit tasks
    nsec = BigInt(t.mem.readI32(addr + (le ? 8 : 12), le));
  } else {
    [sec, nsec] = readLongs(t, addr, 2);
  }
  if (nsec < 0n || nsec >= 1_000_000_000n || sec < 0n) return null;
  return sec * 1_000_000_000n + nsec;
}
