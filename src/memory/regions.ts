/**
 * Region bookkeeping over an AddressSpace: where mappings are, what they are
 * (for /proc/self/maps and mremap), and where a new one may be placed.
 * Neutral: personalities translate their mmap flags into these calls.
 */
import {
  AddressSpace, GUEST_LIMIT, GUEST_MIN_ADDR, PAGE_SIZE, pageCeil, pageFloor,
} from './address-space.js';

export interface Region {
  start: number;
  end: number;
  prot: number;
  /** What /proc/self/maps shows: a path, '[heap]', '[stack]', or '' for anonymous. */
  name: string;
  /** For file-backed shared mappings: write-back hook (msync/munmap). */
  shared?: { fileOffset: number; writeBack: (data: Uint8Array, fileOffset: number) => void };
}

export interface Layout {
  /** Highest address + 1 available for mmap placement (top-down search starts here). */
  mmapTop: number;
  /** Lowest address for placement without a hint. */
  mmapBottom: number;
}

export class RegionMap {
  /** Sorted, non-overlapping. */
  private regions: Region[] = [];

  constructor(readonly mem: AddressSpace, readonly layout: Layout) {}

  list(): readonly Region[] {
    return this.regions;
  }

  find(addr: number): Region | undefined {
    for (const r of this.regions) if (addr >= r.start && addr < r.end) return r;
    return undefined;
  }

  /** True when [start, end) touches no region. */
  isFree(start: number, end: number): boolean {
    if (start < GUEST_MIN_ADDR || end > GUEST_LIMIT || end <= start) return false;
    for (const r of this.regions) if (r.start < end && start < r.end) return false;
    return true;
  }

  /**
   * Finds a free range of `len` bytes: at `hint` if it is free, else top-down
   * from the layout's mmapTop. Returns -1 if none.
   */
  place(len: number, hint = 0, align = PAGE_SIZE): number {
    len = pageCeil(len);
    if (hint) {
      const h = pageFloor(hint);
      if (this.isFree(h, h + len)) return h;
    }
    let top = this.layout.mmapTop;
    for (let i = this.regions.length - 1; i >= -1; i--) {
      const r = i >= 0 ? this.regions[i] : null;
      if (r && r.start >= top) continue;
      const gapLow = Math.max(r ? r.end : GUEST_MIN_ADDR, this.layout.mmapBottom);
      const cand = Math.floor((top - len) / align) * align;
      if (cand >= gapLow && cand + len <= top) return cand;
      if (r) top = Math.min(top, r.start);
      if (top <= this.layout.mmapBottom) break;
    }
    return -1;
  }

  /** Maps [start, start+len) (replacing whatever was there), zero-filled. */
  map(start: number, len: number, prot: number, name: string, shared?: Region['shared']): void {
    len = pageCeil(len);
    this.unmap(start, len);
    this.mem.mapPages(start, len, prot);
    this.insert({ start, end: start + len, prot, name, shared });
  }

  unmap(start: number, len: number): void {
    const end = start + pageCeil(len);
    const keep: Region[] = [];
    for (const r of this.regions) {
      if (r.end <= start || r.start >= end) { keep.push(r); continue; }
      if (r.shared) this.writeBack(r, Math.max(r.start, start), Math.min(r.end, end));
      if (r.start < start) keep.push({ ...r, end: start });
      if (r.end > end) keep.push(this.tail(r, end));
    }
    this.regions = keep;
    this.mem.unmapPages(start, end - start);
  }

  /** Changes protection; false if part of the range is unmapped (ENOMEM). */
  protect(start: number, len: number, prot: number): boolean {
    const end = start + pageCeil(len);
    if (!this.mem.isMapped(start, end - start)) return false;
    const out: Region[] = [];
    for (const r of this.regions) {
      if (r.end <= start || r.start >= end) { out.push(r); continue; }
      if (r.start < start) out.push({ ...r, end: start });
      const mid = { ...r, start: Math.max(r.start, start), end: Math.min(r.end, end), prot };
      if (r.shared) mid.shared = { ...r.shared, fileOffset: r.shared.fileOffset + (mid.start - r.start) };
      out.push(mid);
      if (r.end > end) out.push(this.tail(r, end));
    }
    this.regions = out;
    this.mem.protectPages(start, end - start, prot);
    return true;
  }

  /** Writes shared file mappings in [start, end) back to their files (msync). */
  sync(start: number, end: number): void {
    for (const r of this.regions) {
      if (r.shared && r.start < end && start < r.end) this.writeBack(r, Math.max(r.start, start), Math.min(r.end, end));
    }
  }

  private writeBack(r: Region, from: number, to: number): void {
    if (!r.shared || (r.prot & 2) === 0) return;
    r.shared.writeBack(this.mem.u8.slice(from, to), r.shared.fileOffset + (from - r.start));
  }

  private tail(r: Region, at: number): Region {
    const t: Region = { ...r, start: at };
    if (r.shared) t.shared = { ...r.shared, fileOffset: r.shared.fileOffset + (at - r.start) };
    return t;
  }

  private insert(reg: Region): void {
    let i = 0;
    while (i < this.regions.length && this.regions[i].start < reg.start) i++;
    this.regions.splice(i, 0, reg);
  }

  /** Region list copy for fork. */
  cloneInto(mem: AddressSpace): RegionMap {
    const m = new RegionMap(mem, this.layout);
    m.regions = this.regions.map((r) => ({ ...r }));
    return m;
  }
}
