/**
 * compat's own Haiku image loader (the work runtime_loader does on Haiku):
 * finds the program's DT_NEEDED libraries in Haiku's library folders under a
 * root folder, maps them (src/exec/load-elf.ts), relocates every image
 * (RISC-V: NONE, 32, 64, RELATIVE, COPY, JUMP_SLOT, TLS_DTPMOD64,
 * TLS_DTPREL64) with symbol lookup through each image's DT_GNU_HASH or
 * DT_HASH table, and lists the init routines to run before the entry.
 * Format facts come from the shared ELF parser (src/exec/elf.ts).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseElf, type ElfInfo } from '../../src/exec/elf.js';
import { loadElf, loadSpan } from '../../src/exec/load-elf.js';
import type { RegionMap } from '../../src/memory/regions.js';

export class HaikuLoadError extends Error {
  override readonly name = 'HaikuLoadError';
}

const DT = {
  NULL: 0, NEEDED: 1, PLTRELSZ: 2, HASH: 4, STRTAB: 5, SYMTAB: 6, RELA: 7, RELASZ: 8, RELAENT: 9, STRSZ: 10,
  SYMENT: 11, INIT: 12, FINI: 13, SONAME: 14, REL: 17, JMPREL: 23, INIT_ARRAY: 25, FINI_ARRAY: 26,
  INIT_ARRAYSZ: 27, PREINIT_ARRAY: 32, PREINIT_ARRAYSZ: 33, GNU_HASH: 0x6ffffef5,
} as const;

const R = {
  NONE: 0, R32: 1, R64: 2, RELATIVE: 3, COPY: 4, JUMP_SLOT: 5, TLS_DTPMOD64: 7, TLS_DTPREL64: 9,
  TLS_TPREL64: 11, IRELATIVE: 58,
} as const;

/** Library folders of a Haiku installation, relative to the root, searched in this order. */
export const HAIKU_LIBRARY_PATHS = [
  'boot/home/config/non-packaged/lib',
  'boot/home/config/lib',
  'boot/system/non-packaged/lib',
  'boot/system/lib',
] as const;

export interface LoadedImage {
  name: string;
  hostPath: string;
  info: ElfInfo;
  bias: number;
  start: number;
  end: number;
  /** image id (1-based, the program is 1). */
  id: number;
  dyn: Map<number, number[]>;
}

export interface SymbolHit { image: LoadedImage; value: number; size: number }

/** One dynamic value (the first) or undefined. */
function dv(img: LoadedImage, tag: number): number | undefined {
  return img.dyn.get(tag)?.[0];
}

function dynMap(info: ElfInfo): Map<number, number[]> {
  const m = new Map<number, number[]>();
  for (const e of info.dynamic?.entries ?? []) {
    if (e.tag === DT.NULL) break;
    const l = m.get(e.tag);
    if (l) l.push(e.value); else m.set(e.tag, [e.value]);
  }
  return m;
}

export class HaikuImageSet {
  readonly images: LoadedImage[] = [];
  private readonly mem;

  constructor(private readonly regions: RegionMap, readonly root: string | null, readonly extraLibDirs: string[] = []) {
    this.mem = regions.mem;
  }

  /** Registers an image that is already mapped (the program, loaded by the exec front-end). */
  adopt(name: string, hostPath: string, info: ElfInfo, bias: number, start: number, end: number): LoadedImage {
    const img: LoadedImage = { name, hostPath, info, bias, start, end, id: this.images.length + 1, dyn: dynMap(info) };
    this.images.push(img);
    return img;
  }

  /** Maps an ELF file at a free place (ET_DYN) or its own addresses (ET_EXEC). */
  mapFile(name: string, hostPath: string): LoadedImage {
    const bytes = readFileSync(hostPath);
    let info: ElfInfo;
    try {
      info = parseElf(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (e) {
      throw new HaikuLoadError(`${hostPath}: not a loadable ELF file (${(e as Error).message})`);
    }
    if (info.isa !== 'riscv64') throw new HaikuLoadError(`${hostPath}: a ${info.machineDisplay} image cannot be loaded into a riscv64 program`);
    const elf = { isDyn: info.type === 3, entry: info.entry, phoff: info.phoff, phentsize: info.phentsize, phnum: info.phnum, segments: info.programHeaders };
    const span = loadSpan(elf);
    const base = elf.isDyn ? this.regions.place(span.hi - span.lo) : span.lo;
    if (base < 0) throw new HaikuLoadError(`${hostPath}: no room in the guest address space`);
    const loaded = loadElf(this.regions, (off, len) => bytes.subarray(off, off + len), elf, base, hostPath);
    return this.adopt(name, hostPath, info, loaded.bias, loaded.start, loaded.end);
  }

  /** Where a DT_NEEDED name is found: Haiku's library folders under the root, then extra folders. */
  findLibrary(name: string, from: LoadedImage): string | null {
    const dirs: string[] = [];
    if (this.root) for (const d of HAIKU_LIBRARY_PATHS) dirs.push(path.join(this.root, d));
    dirs.push(path.join(path.dirname(from.hostPath), 'lib'), ...this.extraLibDirs);
    for (const d of dirs) {
      const p = path.join(d, name);
      try { if (statSync(p).isFile()) return p; } catch { /* next */ }
    }
    return null;
  }

  /** Loads the DT_NEEDED closure breadth-first (the global lookup scope order). */
  loadNeeded(): void {
    for (let i = 0; i < this.images.length; i++) {
      const img = this.images[i];
      for (const need of img.info.dynamic?.needed ?? []) {
        if (this.images.some((x) => x.name === need || path.basename(x.hostPath) === need)) continue;
        const p = this.findLibrary(need, img);
        if (!p) {
          const where = this.root ? `${this.root}/{${HAIKU_LIBRARY_PATHS.join(',')}}` : 'no Haiku root folder (set COMPAT_HAIKU_ROOT)';
          throw new HaikuLoadError(`${img.name} needs ${need}, which is not in ${where}`);
        }
        this.mapFile(need, p);
      }
    }
  }

  // ---- symbols ------------------------------------------------------------------

  private u32(a: number): number { return this.mem.dv.getUint32(a, true); }
  private u64(a: number): number { return Number(this.mem.dv.getBigUint64(a, true)); }

  private cstr(a: number): string {
    let e = a;
    while (this.mem.u8[e] !== 0) e++;
    return Buffer.from(this.mem.u8.subarray(a, e)).toString('latin1');
  }

  /** Symbol `i` of an image's DT_SYMTAB (guest memory): name, value, size, info, shndx. */
  symbol(img: LoadedImage, i: number): { name: string; value: number; size: number; info: number; shndx: number } {
    const symtab = dv(img, DT.SYMTAB)! + img.bias;
    const strtab = dv(img, DT.STRTAB)! + img.bias;
    const o = symtab + i * 24;
    return {
      name: this.cstr(strtab + this.u32(o)), info: this.mem.u8[o + 4], shndx: this.mem.dv.getUint16(o + 6, true),
      value: this.u64(o + 8), size: this.u64(o + 16),
    };
  }

  /** Looks `name` up in one image through its DT_GNU_HASH (preferred) or DT_HASH table. */
  lookupIn(img: LoadedImage, name: string): SymbolHit | null {
    if (dv(img, DT.SYMTAB) === undefined || dv(img, DT.STRTAB) === undefined) return null;
    const defined = (i: number): SymbolHit | null => {
      const s = this.symbol(img, i);
      if (s.name !== name || s.shndx === 0) return null;
      const bind = s.info >> 4;
      if (bind !== 1 && bind !== 2 && bind !== 10) return null; // GLOBAL, WEAK, GNU_UNIQUE
      return { image: img, value: (s.info & 0xf) === 6 ? s.value : s.value + img.bias, size: s.size };
    };
    const gnu = dv(img, DT.GNU_HASH);
    if (gnu !== undefined) {
      const t = gnu + img.bias;
      const nbuckets = this.u32(t);
      const symoffset = this.u32(t + 4);
      const bloomSize = this.u32(t + 8);
      const buckets = t + 16 + bloomSize * 8;
      const chains = buckets + nbuckets * 4;
      let h = 5381;
      for (const c of Buffer.from(name, 'latin1')) h = (Math.imul(h, 33) + c) >>> 0;
      let i = this.u32(buckets + (h % nbuckets) * 4);
      if (i === 0) return null;
      for (;; i++) {
        const ch = this.u32(chains + (i - symoffset) * 4);
        if ((ch | 1) === (h | 1)) { const hit = defined(i); if (hit) return hit; }
        if (ch & 1) return null;
      }
    }
    const sysv = dv(img, DT.HASH);
    if (sysv !== undefined) {
      const t = sysv + img.bias;
      const nbucket = this.u32(t);
      let h = 0;
      for (const c of Buffer.from(name, 'latin1')) {
        h = ((h << 4) + c) >>> 0;
        const g = h & 0xf0000000;
        if (g) h ^= g >>> 24;
        h &= ~g >>> 0;
      }
      for (let i = this.u32(t + 8 + (h % nbucket) * 4); i !== 0; i = this.u32(t + 8 + nbucket * 4 + i * 4)) {
        const hit = defined(i);
        if (hit) return hit;
      }
      return null;
    }
    return null;
  }

  /** Global scope lookup: program first, then libraries in load order. */
  lookup(name: string, skip?: LoadedImage): SymbolHit | null {
    for (const img of this.images) {
      if (img === skip) continue;
      const hit = this.lookupIn(img, name);
      if (hit) return hit;
    }
    return null;
  }

  // ---- relocation -----------------------------------------------------------------

  relocateAll(): void {
    // libraries first (COPY relocations in the program read their final data)
    for (const img of [...this.images].reverse()) this.relocate(img);
  }

  private relocate(img: LoadedImage): void {
    const tables: Array<[number | undefined, number | undefined]> = [
      [dv(img, DT.RELA), dv(img, DT.RELASZ)],
      [dv(img, DT.JMPREL), dv(img, DT.PLTRELSZ)],
    ];
    if (dv(img, DT.REL) !== undefined) throw new HaikuLoadError(`${img.name}: REL relocations are not used on riscv64`);
    const seen = new Set<number>();
    for (const [at, size] of tables) {
      if (at === undefined || !size || seen.has(at)) continue;
      seen.add(at);
      for (let o = at + img.bias; o < at + img.bias + size; o += 24) {
        const where = this.u64(o) + img.bias;
        const info = this.mem.dv.getBigUint64(o + 8, true);
        const type = Number(info & 0xffffffffn);
        const symIndex = Number(info >> 32n);
        const addend = this.mem.dv.getBigInt64(o + 16, true);
        this.apply(img, type, where, symIndex, addend);
      }
    }
  }

  private resolve(img: LoadedImage, symIndex: number, forCopy: boolean): SymbolHit | null {
    const s = this.symbol(img, symIndex);
    if (!forCopy && s.shndx !== 0 && (s.info >> 4) === 0) {
      return { image: img, value: s.value + img.bias, size: s.size }; // STB_LOCAL
    }
    const hit = this.lookup(s.name, forCopy ? img : undefined);
    if (hit) return hit;
    if ((s.info >> 4) === 2) return null; // weak undefined: 0
    throw new HaikuLoadError(`${img.name}: symbol ${s.name} not found in any loaded image (${this.images.map((i) => i.name).join(', ')})`);
  }

  private put64(where: number, v: bigint): void { this.mem.dv.setBigUint64(where, BigInt.asUintN(64, v), true); }

  private apply(img: LoadedImage, type: number, where: number, symIndex: number, addend: bigint): void {
    const symValue = (): bigint => {
      if (symIndex === 0) return 0n;
      const hit = this.resolve(img, symIndex, false);
      return hit ? BigInt(hit.value) : 0n;
    };
    switch (type) {
      case R.NONE: return;
      case R.RELATIVE: this.put64(where, BigInt(img.bias) + addend); return;
      case R.R64: this.put64(where, symValue() + addend); return;
      case R.JUMP_SLOT: this.put64(where, symValue()); return;
      case R.R32: this.mem.dv.setUint32(where, Number(BigInt.asUintN(32, symValue() + addend)), true); return;
      case R.COPY: {
        const hit = this.resolve(img, symIndex, true);
        if (!hit) return;
        const size = this.symbol(img, symIndex).size;
        this.mem.u8.copyWithin(where, hit.value, hit.value + size);
        return;
      }
      case R.TLS_DTPMOD64: {
        const hit = symIndex === 0 ? { image: img } : this.resolve(img, symIndex, false);
        this.put64(where, BigInt(hit ? hit.image.id : 0));
        return;
      }
      case R.TLS_DTPREL64: {
        const s = symIndex === 0 ? null : this.symbol(img, symIndex);
        this.put64(where, BigInt(s ? s.value : 0) + addend);
        return;
      }
      default:
        throw new HaikuLoadError(`${img.name}: RISC-V relocation type ${type} is not supported by compat's Haiku loader`);
    }
  }

  // ---- init routines ----------------------------------------------------------------

  /** DT_INIT then DT_INIT_ARRAY entries, libraries (dependencies last-loaded first) before the program. */
  initRoutines(): number[] {
    const out: number[] = [];
    for (const img of [...this.images].reverse()) {
      const init = dv(img, DT.INIT);
      if (init) out.push(init + img.bias);
      const arr = dv(img, DT.INIT_ARRAY);
      const sz = dv(img, DT.INIT_ARRAYSZ) ?? 0;
      if (arr !== undefined) {
        for (let o = 0; o < sz; o += 8) {
          const f = this.u64(arr + img.bias + o);
          if (f !== 0 && f !== 0xffffffff && f !== Number.MAX_SAFE_INTEGER) out.push(f);
        }
      }
    }
    return out;
  }
}

/** Finds a Haiku root folder: COMPAT_HAIKU_ROOT, else the nearest ancestor of the program holding boot/system/lib. */
export function findHaikuRoot(programHostPath: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const fromEnv = env['COMPAT_HAIKU_ROOT'];
  if (fromEnv) return path.resolve(fromEnv);
  let dir = path.dirname(path.resolve(programHostPath));
  for (;;) {
    if (existsSync(path.join(dir, 'boot', 'system', 'lib')) || existsSync(path.join(dir, 'boot', 'system', 'runtime_loader'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}
