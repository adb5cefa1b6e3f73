/**
 * Region bookkeeping over an AddressSpace: where mappings are, what they are
 * (for /proc/self/maps and mremap), and where a new one may be placed.
 * Neutral: personalities translate their mmap flags into these calls.
 *
 * The table lives in SharedArrayBuffers so every thread (worker) of a process
 * works on the same one; a short spin/wait lock serialises changes.
 * Entry (7 int32): startPage, endPage, prot, nameOffset, nameLength,
 * sharedHostFd (-1: private), fileOffsetPage.
 */
import {
  AddressSpace, GUEST_LIMIT, GUEST_MIN_ADDR, PAGE_SIZE, pageCeil, pageFloor,
} from './address-space.js';

export interface Region {
  start: number;
  end: number;
  prot: number;
  /** @internal where the name is stored in the shared table (offset, length). */
  nameAt?: [number, number];
  /** What /proc/self/maps shows: a path, '[heap]', '[stack]', or '' for anonymous. */
  name: string;
  /** MAP_SHARED file mappings: the host fd the pages write back to, and the file offset of `start`. */
  shared?: { hostFd: number; fileOffset: number };
}

export interface Layout {
  /** Highest address + 1 available for mmap placement (top-down search starts here). */
  mmapTop: number;
  /** Lowest address for placement without a hint. */
  mmapBottom: number;
}

/** Host hooks for shared file mappings (kept out of src/memory's own concerns). */
export interface SharedFileHooks {
  writeBack(hostFd: number, data: Uint8Array, fileOffset: number): void;
  release(hostFd: number): void;
}

const E = 7; // ints per entry
const HDR = 4; // lock, count, nameTop, generation
const CAPACITY = 4096;
const NAME_ARENA = 1 << 16;

export interface SharedRegions {
  table: SharedArrayBuffer;
  names: SharedArrayBuffer;
  layout: Layout;
}

export class RegionMap {
  private readonly t: Int32Array;
  private readonly names: Uint8Array;
  hooks: SharedFileHooks | null = null;

  constructor(readonly mem: AddressSpace, readonly layout: Layout, shared?: SharedRegions) {
    const table = shared?.table ?? new SharedArrayBuffer((HDR + CAPACITY * E) * 4);
    const names = shared?.names ?? new SharedArrayBuffer(NAME_ARENA);
    this.t = new Int32Array(table);
    this.names = new Uint8Array(names);
  }

  /** The handle another worker attaches with (same process, CLONE_VM). */
  share(): SharedRegions {
    return { table: this.t.buffer as SharedArrayBuffer, names: this.names.buffer as SharedArrayBuffer, layout: this.layout };
  }

  // ---- locking --------------------------------------------------------------

  private lock(): void {
    for (let spins = 0; Atomics.compareExchange(this.t, 0, 0, 1) !== 0; spins++) {
      if (spins > 64) Atomics.wait(this.t, 0, 1, 1);
    }
  }

  private unlock(): void {
    Atomics.store(this.t, 0, 0);
    Atomics.notify(this.t, 0, 1);
  }

  private locked<T>(f: () => T): T {
    this.lock();
    try { return f(); } finally { this.unlock(); }
  }

  // ---- raw entries (call with the lock held) -------------------------------

  private get count(): number { return this.t[1]; }

  private read(i: number): Region {
    const b = HDR + i * E;
    const t = this.t;
    const r: Region = {
      start: t[b] * PAGE_SIZE,
      end: t[b + 1] * PAGE_SIZE,
      prot: t[b + 2],
      name: t[b + 4] ? this.nameAt(t[b + 3], t[b + 4]) : '',
      nameAt: [t[b + 3], t[b + 4]],
    };
    if (t[b + 5] >= 0) r.shared = { hostFd: t[b + 5], fileOffset: t[b + 6] * PAGE_SIZE };
    return r;
  }

  /** Decoded names by (offset, length): names are written once and never change in place. */
  private readonly nameCache = new Map<number, string>();

  private nameAt(off: number, len: number): string {
    const key = off * 8192 + len;
    let n = this.nameCache.get(key);
    if (n === undefined) {
      n = Buffer.from(this.names.slice(off, off + len)).toString('latin1');
      this.nameCache.set(key, n);
    }
    return n;
  }

  private internName(name: string): [number, number] {
    if (!name) return [0, 0];
    const bytes = Buffer.from(name, 'latin1').subarray(0, 4096);
    // reuse an identical name already stored
    for (let i = 0; i < this.count; i++) {
      const b = HDR + i * E;
      if (this.t[b + 4] === bytes.length && Buffer.from(this.names.buffer, this.t[b + 3], bytes.length).equals(bytes)) {
        return [this.t[b + 3], bytes.length];
      }
    }
    if (this.t[2] + bytes.length > NAME_ARENA) this.compactNames();
    const off = this.t[2];
    if (off + bytes.length > NAME_ARENA) return [0, 0];
    this.names.set(bytes, off);
    this.t[2] = off + bytes.length;
    return [off, bytes.length];
  }

  private compactNames(): void {
    const all = this.allRaw().map((r) => ({ ...r, nameAt: undefined }));
    this.t[2] = 0;
    this.t[1] = 0;
    this.nameCache.clear();
    for (const r of all) this.append(r);
  }

  /** The decoded table, re-read only when some thread changed it (generation counter). */
  private cached: { gen: number; list: Region[] } | null = null;

  private allRaw(): Region[] {
    const gen = this.t[3];
    if (this.cached && this.cached.gen === gen) return this.cached.list.slice();
    const out: Region[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.read(i));
    this.cached = { gen, list: out };
    return out.slice();
  }

  private append(r: Region): void {
    if (this.count >= CAPACITY) throw new RangeError('too many memory regions');
    const known = r.nameAt && r.nameAt[1] === Buffer.byteLength(r.name, 'latin1') ? r.nameAt : null;
    const [off, len] = known ?? this.internName(r.name);
    const b = HDR + this.count * E;
    this.t[b] = r.start / PAGE_SIZE;
    this.t[b + 1] = r.end / PAGE_SIZE;
    this.t[b + 2] = r.prot;
    this.t[b + 3] = off;
    this.t[b + 4] = len;
    this.t[b + 5] = r.shared ? r.shared.hostFd : -1;
    this.t[b + 6] = r.shared ? Math.floor(r.shared.fileOffset / PAGE_SIZE) : 0;
    this.t[1] = this.count + 1;
  }

  /** Replaces the whole table with `list` (sorted), bumping the generation. */
  private store(list: Region[]): void {
    list.sort((a, b) => a.start - b.start);
    this.t[1] = 0;
    for (const r of list) this.append(r);
    this.t[3]++;
    this.cached = null;
  }

  // ---- queries ---------------------------------------------------------------

  list(): Region[] {
    return this.locked(() => this.allRaw());
  }

  find(addr: number): Region | undefined {
    return this.locked(() => this.allRaw().find((r) => addr >= r.start && addr < r.end));
  }

  private freeIn(list: Region[], start: number, end: number): boolean {
    if (start < GUEST_MIN_ADDR || end > GUEST_LIMIT || end <= start) return false;
    for (const r of list) if (r.start < end && start < r.end) return false;
    return true;
  }

  /** True when [start, end) touches no region. */
  isFree(start: number, end: number): boolean {
    return this.locked(() => this.freeIn(this.allRaw(), start, end));
  }

  /**
   * Finds a free range of `len` bytes: at `hint` if it is free, else top-down
   * from the layout's mmapTop. Returns -1 if none.
   */
  place(len: number, hint = 0, align = PAGE_SIZE): number {
    return this.locked(() => this.placeIn(this.allRaw(), len, hint, align));
  }

  private placeIn(list: Region[], len: number, hint: number, align: number): number {
    len = pageCeil(len);
    if (hint) {
      const h = pageFloor(hint);
      if (this.freeIn(list, h, h + len)) return h;
    }
    let top = this.layout.mmapTop;
    for (let i = list.length - 1; i >= -1; i--) {
      const r = i >= 0 ? list[i] : null;
      if (r && r.start >= top) continue;
      const gapLow = Math.max(r ? r.end : GUEST_MIN_ADDR, this.layout.mmapBottom);
      const cand = Math.floor((top - len) / align) * align;
      if (cand >= gapLow && cand + len <= top) return cand;
      if (r) top = Math.min(top, r.start);
      if (top <= this.layout.mmapBottom) break;
    }
    return -1;
  }

  // ---- changes ---------------------------------------------------------------

  /** Maps [start, start+len) (replacing whatever was there), zero-filled. */
  map(start: number, len: number, prot: number, name: string, shared?: Region['shared']): void {
    len = pageCeil(len);
    this.locked(() => {
      const list = this.cut(this.allRaw(), start, start + len);
      this.mem.mapPages(start, len, prot);
      list.push({ start, end: start + len, prot, name, shared });
      this.store(list);
    });
  }

  /** Places and maps in one step (no race between two threads' mmaps). Returns -1 if no room. */
  placeAndMap(len: number, hint: number, prot: number, name: string, shared?: Region['shared']): number {
    len = pageCeil(len);
    return this.locked(() => {
      const list = this.allRaw();
      const at = this.placeIn(list, len, hint, PAGE_SIZE);
      if (at < 0) return -1;
      this.mem.mapPages(at, len, prot);
      list.push({ start: at, end: at + len, prot, name, shared });
      this.store(list);
      return at;
    });
  }

  unmap(start: number, len: number): void {
    const end = start + pageCeil(len);
    this.locked(() => {
      this.store(this.cut(this.allRaw(), start, end));
      this.mem.unmapPages(start, end - start);
    });
  }

  /** Removes [start, end) from `list`, writing back and releasing shared file pages. */
  private cut(list: Region[], start: number, end: number): Region[] {
    const keep: Region[] = [];
    const dropped: Region[] = [];
    for (const r of list) {
      if (r.end <= start || r.start >= end) { keep.push(r); continue; }
      if (r.shared) this.writeBack(r, Math.max(r.start, start), Math.min(r.end, end));
      dropped.push(r);
      if (r.start < start) keep.push({ ...r, end: start });
      if (r.end > end) keep.push(this.tail(r, end));
    }
    for (const d of dropped) {
      if (d.shared && !keep.some((k) => k.shared?.hostFd === d.shared!.hostFd)) this.hooks?.release(d.shared.hostFd);
    }
    return keep;
  }

  /** Changes protection; false if part of the range is unmapped (ENOMEM). */
  protect(start: number, len: number, prot: number): boolean {
    const end = start + pageCeil(len);
    return this.locked(() => {
      if (!this.mem.isMapped(start, end - start)) return false;
      const out: Region[] = [];
      for (const r of this.allRaw()) {
        if (r.end <= start || r.start >= end) { out.push(r); continue; }
        if (r.start < start) out.push({ ...r, end: start });
        const mid: Region = { ...r, start: Math.max(r.start, start), end: Math.min(r.end, end), prot };
        if (r.shared) mid.shared = { ...r.shared, fileOffset: r.shared.fileOffset + (mid.start - r.start) };
        out.push(mid);
        if (r.end > end) out.push(this.tail(r, end));
      }
      this.store(out);
      this.mem.protectPages(start, end - start, prot);
      return true;
    });
  }

  /** Writes shared file mappings in [start, end) back to their files (msync). */
  sync(start: number, end: number): void {
    this.locked(() => {
      for (const r of this.allRaw()) {
        if (r.shared && r.start < end && start < r.end) this.writeBack(r, Math.max(r.start, start), Math.min(r.end, end));
      }
    });
  }

  private writeBack(r: Region, from: number, to: number): void {
    if (!r.shared || (r.prot & 2) === 0 || !this.hooks) return;
    this.hooks.writeBack(r.shared.hostFd, this.mem.u8.slice(from, to), r.shared.fileOffset + (from - r.start));
  }

  private tail(r: Region, at: number): Region {
    const t: Region = { ...r, start: at };
    if (r.shared) t.shared = { ...r.shared, fileOffset: r.shared.fileOffset + (at - r.start) };
    return t;
  }

  /** Writes every shared mapping back and forgets all regions (exit, exec). */
  releaseAll(): void {
    this.locked(() => {
      const list = this.allRaw();
      this.cut(list, 0, GUEST_LIMIT);
      this.t[1] = 0;
      this.t[2] = 0;
      this.t[3]++;
      this.cached = null;
      this.nameCache.clear();
    });
  }

  /** A private copy of the table over `mem` (fork). Shared file mappings get `dupFd`'d host fds. */
  cloneInto(mem: AddressSpace, dupFd?: (hostFd: number) => number): RegionMap {
    const m = new RegionMap(mem, this.layout);
    m.hooks = this.hooks;
    const fds = new Map<number, number>();
    const list = this.list().map((r) => {
      if (!r.shared) return r;
      let fd = fds.get(r.shared.hostFd);
      if (fd === undefined) { fd = dupFd ? dupFd(r.shared.hostFd) : r.shared.hostFd; fds.set(r.shared.hostFd, fd); }
      return { ...r, shared: { ...r.shared, hostFd: fd } };
    });
    m.locked(() => m.store(list));
    return m;
  }
}
