/**
 * One guest address space: a 4 GiB shared WebAssembly.Memory where guest
 * address == byte offset (blink's "linear" mode), plus a per-page protection
 * table that every guest access is checked against.
 *
 * The whole 4 GiB is reserved at once: V8 and the host kernel only commit
 * pages that are touched, so an untouched page costs nothing and the typed
 * array views below never go stale (no memory.grow, ever).
 *
 * Pages below GUEST_MIN_ADDR are never mappable by the guest (Linux's
 * mmap_min_addr); the runtime keeps per-thread CPU register files there so a
 * later wasm translation tier can address them in the same memory.
 */
import { GuestFault } from './fault.js';

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
export const PAGE_MASK = PAGE_SIZE - 1;
export const ADDRESS_SPACE_SIZE = 0x1_0000_0000; // 4 GiB
export const PAGE_COUNT = ADDRESS_SPACE_SIZE / PAGE_SIZE;
/** Lowest address a guest may map (Linux mmap_min_addr default). */
export const GUEST_MIN_ADDR = 0x10000;
/**
 * The page-protection table lives in the same memory, in the top 1 MiB, which
 * the guest can never map: every worker sharing the memory shares the table,
 * and a wasm translation tier can check permissions with a plain load.
 */
export const PERMS_BASE = 0x1_0000_0000 - 0x1_0000_0000 / 4096; // 0xfff00000
/** One past the highest address a guest may map. */
export const GUEST_LIMIT = PERMS_BASE;

/** Page protection bits as stored in `AddressSpace.perms`. */
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;
/** Set on every page that is part of some mapping (even PROT_NONE). */
export const PAGE_MAPPED = 8;
/**
 * Set on pages that may hold non-zero bytes: pages that were writable (by the
 * guest) or written by the runtime (poke) since they were last zeroed. A page
 * mapped again is zeroed only if it is dirty, so reserving address space
 * PROT_NONE and then mapping it writable (Go's heap, glibc's thread stacks)
 * touches no memory.
 */
export const PAGE_DIRTY = 16;

export const pageFloor = (a: number): number => a - (a % PAGE_SIZE);
export const pageCeil = (a: number): number => Math.ceil(a / PAGE_SIZE) * PAGE_SIZE;

export class AddressSpace {
  readonly memory: WebAssembly.Memory;
  readonly buffer: ArrayBufferLike;
  readonly u8: Uint8Array;
  readonly dv: DataView;
  /** One byte per 4 KiB page: PROT_* | PAGE_MAPPED | PAGE_DIRTY (a view into the memory at PERMS_BASE). */
  readonly perms: Uint8Array;
  /** Bumped whenever an executable mapping changes, so cores can drop decoded code. */
  codeGeneration = 0;
  /** Called with [start, end) whenever code in that range may have changed. */
  onCodeChange: ((start: number, end: number) => void) | null = null;

  constructor(memory?: WebAssembly.Memory) {
    this.memory = memory ?? new WebAssembly.Memory({ initial: 65536, maximum: 65536, shared: true });
    this.buffer = this.memory.buffer;
    this.u8 = new Uint8Array(this.buffer);
    this.dv = new DataView(this.buffer);
    this.perms = new Uint8Array(this.buffer, PERMS_BASE, PAGE_COUNT);
  }

  // ---- page table -------------------------------------------------------

  /**
   * Marks [start, start+len) mapped with `prot`, zeroing pages that may be
   * dirty (`zero` false: the caller fills the pages, which are dirty then).
   */
  mapPages(start: number, len: number, prot: number, zero = true): void {
    const first = start >>> PAGE_SHIFT;
    const last = (start + len - 1) / PAGE_SIZE | 0;
    const dirty = !zero || (prot & PROT_WRITE) !== 0 ? PAGE_DIRTY : 0;
    for (let p = first; p <= last; p++) {
      const was = this.perms[p] & PAGE_DIRTY;
      if (zero && was !== 0) this.u8.fill(0, p * PAGE_SIZE, (p + 1) * PAGE_SIZE);
      this.perms[p] = (prot & 7) | PAGE_MAPPED | dirty | (zero ? 0 : was);
    }
    if (prot & PROT_EXEC) this.codeChanged(start, start + len);
  }

  /** Unmaps pages; their bytes are zeroed lazily the next time they are mapped. */
  unmapPages(start: number, len: number): void {
    const first = start >>> PAGE_SHIFT;
    const last = (start + len - 1) / PAGE_SIZE | 0;
    let hadExec = false;
    for (let p = first; p <= last; p++) {
      if (this.perms[p] & PROT_EXEC) hadExec = true;
      this.perms[p] &= PAGE_DIRTY;
    }
    if (hadExec) this.codeChanged(start, start + len);
  }

  /** Changes protection of mapped pages; returns false if any page in range is unmapped. */
  protectPages(start: number, len: number, prot: number): boolean {
    const first = start >>> PAGE_SHIFT;
    const last = (start + len - 1) / PAGE_SIZE | 0;
    for (let p = first; p <= last; p++) if ((this.perms[p] & PAGE_MAPPED) === 0) return false;
    let execChange = false;
    const dirty = (prot & PROT_WRITE) !== 0 ? PAGE_DIRTY : 0;
    for (let p = first; p <= last; p++) {
      if (((this.perms[p] ^ prot) & PROT_EXEC) !== 0) execChange = true;
      this.perms[p] = (this.perms[p] & ~7) | (prot & 7) | dirty;
    }
    if (execChange) this.codeChanged(start, start + len);
    return true;
  }

  isMapped(start: number, len: number): boolean {
    if (len <= 0) return true;
    const first = start >>> PAGE_SHIFT;
    const last = (start + len - 1) / PAGE_SIZE | 0;
    for (let p = first; p <= last; p++) if ((this.perms[p] & PAGE_MAPPED) === 0) return false;
    return true;
  }

  /** True when every byte of [addr, addr+len) carries all bits of `need`. */
  check(addr: number, len: number, need: number): boolean {
    if (len <= 0) return true;
    if (addr < 0 || addr + len > ADDRESS_SPACE_SIZE) return false;
    const first = addr >>> PAGE_SHIFT;
    const last = (addr + len - 1) / PAGE_SIZE | 0;
    for (let p = first; p <= last; p++) if ((this.perms[p] & need) !== need) return false;
    return true;
  }

  codeChanged(start: number, end: number): void {
    this.codeGeneration++;
    this.onCodeChange?.(start, end);
  }

  // ---- checked accessors for servers, loaders and syscall glue ----------
  // (cores have their own inlined fast paths over `perms` and the views)

  private need(addr: number, len: number, bit: number, kind: 'read' | 'write'): void {
    if (!this.check(addr, len, bit)) {
      const bad = this.firstBad(addr, len, bit);
      throw new GuestFault(bad, kind, (this.perms[bad >>> PAGE_SHIFT] & PAGE_MAPPED) ? 'accerr' : 'maperr');
    }
  }

  private firstBad(addr: number, len: number, bit: number): number {
    if (addr < 0 || addr >= ADDRESS_SPACE_SIZE) return addr;
    for (let a = addr; a < addr + len; a = pageFloor(a) + PAGE_SIZE) {
      if (a >= ADDRESS_SPACE_SIZE || (this.perms[a >>> PAGE_SHIFT] & bit) === 0) return a;
    }
    return addr;
  }

  /** A live view of guest bytes (no copy). Throws GuestFault if not readable. */
  view(addr: number, len: number): Uint8Array {
    this.need(addr, len, PROT_READ, 'read');
    return this.u8.subarray(addr, addr + len);
  }

  /** A live view of guest bytes for the host to fill. Throws GuestFault if not writable. */
  writableView(addr: number, len: number): Uint8Array {
    this.need(addr, len, PROT_WRITE, 'write');
    return this.u8.subarray(addr, addr + len);
  }

  readBytes(addr: number, len: number): Uint8Array {
    return this.view(addr, len).slice();
  }

  writeBytes(addr: number, data: Uint8Array): void {
    this.need(addr, data.length, PROT_WRITE, 'write');
    this.u8.set(data, addr);
  }

  /** Writes bytes ignoring protections (loader use only: the range must be mapped); the pages are dirty then. */
  poke(addr: number, data: Uint8Array): void {
    this.u8.set(data, addr);
    if (data.length === 0) return;
    const last = (addr + data.length - 1) / PAGE_SIZE | 0;
    for (let p = addr >>> PAGE_SHIFT; p <= last; p++) this.perms[p] |= PAGE_DIRTY;
  }

  readU8(addr: number): number { this.need(addr, 1, PROT_READ, 'read'); return this.u8[addr]; }
  readU16(addr: number, le = true): number { this.need(addr, 2, PROT_READ, 'read'); return this.dv.getUint16(addr, le); }
  readU32(addr: number, le = true): number { this.need(addr, 4, PROT_READ, 'read'); return this.dv.getUint32(addr, le); }
  readI32(addr: number, le = true): number { this.need(addr, 4, PROT_READ, 'read'); return this.dv.getInt32(addr, le); }
  readU64(addr: number, le = true): bigint { this.need(addr, 8, PROT_READ, 'read'); return this.dv.getBigUint64(addr, le); }
  readI64(addr: number, le = true): bigint { this.need(addr, 8, PROT_READ, 'read'); return this.dv.getBigInt64(addr, le); }
  writeU8(addr: number, v: number): void { this.need(addr, 1, PROT_WRITE, 'write'); this.u8[addr] = v; }
  writeU16(addr: number, v: number, le = true): void { this.need(addr, 2, PROT_WRITE, 'write'); this.dv.setUint16(addr, v, le); }
  writeU32(addr: number, v: number, le = true): void { this.need(addr, 4, PROT_WRITE, 'write'); this.dv.setUint32(addr, v >>> 0, le); }
  writeU64(addr: number, v: bigint, le = true): void { this.need(addr, 8, PROT_WRITE, 'write'); this.dv.setBigUint64(addr, BigInt.asUintN(64, v), le); }

  /** Reads a NUL-terminated string of at most `max` bytes (ENAMETOOLONG-style callers check the flag). */
  readCString(addr: number, max = 4096): { bytes: Uint8Array; terminated: boolean } {
    let end = addr;
    const limit = addr + max;
    while (end < limit) {
      if ((end & PAGE_MASK) === 0 || end === addr) this.need(end, 1, PROT_READ, 'read');
      if (this.u8[end] === 0) return { bytes: this.u8.slice(addr, end), terminated: true };
      end++;
    }
    return { bytes: this.u8.slice(addr, end), terminated: false };
  }

  /**
   * Copies every mapped page of `this` into a fresh address space (fork).
   * Pages that are not dirty or hold only zeros are not copied (the copy reads zero there
   * anyway), so untouched stack and heap cost nothing in the child.
   */
  clone(): AddressSpace {
    const copy = new AddressSpace();
    const words = new Float64Array(this.buffer);
    for (let p = 0; p < PAGE_COUNT; p++) {
      const f = this.perms[p];
      if ((f & PAGE_MAPPED) === 0) continue;
      copy.perms[p] = f;
      if ((f & PAGE_DIRTY) === 0) continue; // never written since it was zeroed
      const w0 = (p * PAGE_SIZE) / 8;
      let nonzero = false;
      // compare as doubles: any set bit makes a word != 0 (NaN !== 0 too); -0 is caught by the sign test
      for (let w = w0; w < w0 + PAGE_SIZE / 8; w++) {
        const v = words[w];
        if (v !== 0 || 1 / v < 0) { nonzero = true; break; }
      }
      if (nonzero) copy.u8.set(this.u8.subarray(p * PAGE_SIZE, (p + 1) * PAGE_SIZE), p * PAGE_SIZE);
    }
    // the register-file area below GUEST_MIN_ADDR is runtime-owned; copy it too
    copy.u8.set(this.u8.subarray(0, GUEST_MIN_ADDR), 0);
    return copy;
  }
}
