/**
 * Maps an ELF image's PT_LOAD segments into a guest address space.
 * Format facts come from the parser (elf.ts); this file only places bytes
 * and page protections. Used for programs and, later, their interpreters.
 */
import { PAGE_SIZE, pageCeil, pageFloor, GUEST_LIMIT, GUEST_MIN_ADDR } from '../memory/address-space.js';
import type { RegionMap } from '../memory/regions.js';
import { ExecFormatError } from './errors.js';

export const PT_LOAD = 1;
export const PT_PHDR = 6;
const PF_X = 1;
const PF_W = 2;
const PF_R = 4;

export interface LoadSegment {
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
}

export interface LoadableElf {
  /** ET_DYN images are relocated to `base`. */
  isDyn: boolean;
  entry: number;
  phoff: number;
  phentsize: number;
  phnum: number;
  segments: readonly LoadSegment[];
}

export interface LoadedElf {
  bias: number;
  entry: number;
  /** Address of the program headers in guest memory (AT_PHDR), 0 if not mapped. */
  phdr: number;
  /** One past the highest byte of any segment. */
  end: number;
  /** Lowest mapped address. */
  start: number;
}

/** Span [lo, hi) of the PT_LOAD segments before relocation. */
export function loadSpan(elf: LoadableElf): { lo: number; hi: number } {
  let lo = Infinity;
  let hi = 0;
  for (const s of elf.segments) {
    if (s.type !== PT_LOAD || s.memsz === 0) continue;
    lo = Math.min(lo, pageFloor(s.vaddr));
    hi = Math.max(hi, s.vaddr + s.memsz);
  }
  if (lo === Infinity) throw new ExecFormatError('the ELF file has no loadable (PT_LOAD) segment');
  return { lo, hi: pageCeil(hi) };
}

/**
 * Loads the segments. For ET_DYN, `base` is where the lowest segment goes;
 * for ET_EXEC the segments go at their own addresses.
 */
export function loadElf(
  regions: RegionMap,
  read: (offset: number, len: number) => Uint8Array,
  elf: LoadableElf,
  base: number,
  name: string,
): LoadedElf {
  const { lo, hi } = loadSpan(elf);
  const bias = elf.isDyn ? base - lo : 0;
  if (lo + bias < GUEST_MIN_ADDR || hi + bias > GUEST_LIMIT) {
    throw new ExecFormatError(
      `the ELF image wants addresses 0x${(lo + bias).toString(16)}..0x${(hi + bias).toString(16)}, outside the guest's usable 0x${GUEST_MIN_ADDR.toString(16)}..0x${GUEST_LIMIT.toString(16)}`,
    );
  }
  const mem = regions.mem;
  const loads = elf.segments.filter((s) => s.type === PT_LOAD && s.memsz > 0);
  // 1. map every page any segment touches, writable while we fill it
  const pageProt = new Map<number, number>();
  for (const s of loads) {
    const prot = (s.flags & PF_R ? 1 : 0) | (s.flags & PF_W ? 2 : 0) | (s.flags & PF_X ? 4 : 0);
    for (let p = pageFloor(s.vaddr + bias); p < s.vaddr + bias + s.memsz; p += PAGE_SIZE) {
      pageProt.set(p, (pageProt.get(p) ?? 0) | prot);
    }
  }
  const pages = [...pageProt.keys()].sort((a, b) => a - b);
  for (let i = 0; i < pages.length;) {
    let j = i;
    while (j + 1 < pages.length && pages[j + 1] === pages[j] + PAGE_SIZE) j++;
    regions.map(pages[i], pages[j] + PAGE_SIZE - pages[i], 3, name);
    i = j + 1;
  }
  // 2. copy file bytes (bss stays zero)
  for (const s of loads) {
    if (s.filesz === 0) continue;
    const bytes = read(s.offset, s.filesz);
    if (bytes.length < s.filesz) throw new ExecFormatError(`a loadable segment (file offset 0x${s.offset.toString(16)}, ${s.filesz} bytes) extends past the end of the file`);
    mem.poke(s.vaddr + bias, bytes);
  }
  // 3. final protections (a page shared by two segments gets both), one call per run of equal pages
  for (let i = 0; i < pages.length;) {
    let j = i;
    const prot = pageProt.get(pages[i])!;
    while (j + 1 < pages.length && pages[j + 1] === pages[j] + PAGE_SIZE && pageProt.get(pages[j + 1]) === prot) j++;
    regions.protect(pages[i], pages[j] + PAGE_SIZE - pages[i], prot);
    i = j + 1;
  }
  // AT_PHDR: PT_PHDR if present, else the PT_LOAD that contains e_phoff
  let phdr = 0;
  const pt = elf.segments.find((s) => s.type === PT_PHDR);
  if (pt) phdr = pt.vaddr + bias;
  else {
    const holder = loads.find((s) => elf.phoff >= s.offset && elf.phoff + elf.phnum * elf.phentsize <= s.offset + s.filesz);
    if (holder) phdr = holder.vaddr + (elf.phoff - holder.offset) + bias;
  }
  return { bias, entry: elf.entry + bias, phdr, end: hi + bias, start: lo + bias };
}
