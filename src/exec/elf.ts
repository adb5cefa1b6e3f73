/**
 * A defensive ELF parser (ELF32/ELF64, either byte order), written from the
 * System V gABI. It reads only the bytes it needs through SniffInput.read,
 * bounds-checks every offset and size against the file, never allocates more
 * than the file holds, and fails only with ExecFormatError (one sentence).
 *
 * Program-header problems are fatal (a kernel would refuse the file too);
 * section-header problems only become `warnings` (the kernel never reads
 * sections), and then `sections` is null.
 */
import type { Endian, IsaName, SniffInput } from '../plugin/contracts.js';
import { ExecFormatError, hex } from './errors.js';
import { readExact, readSome, sniffInputFromBytes, view } from './input.js';
import {
  DF_1_PIE, DT_FLAGS, DT_FLAGS_1, DT_GNU_HASH, DT_HASH, DT_MIPS_SYMTABNO, DT_NEEDED, DT_NULL, DT_RPATH, DT_RUNPATH,
  DT_SONAME, DT_STRSZ, DT_STRTAB, DT_SYMENT, DT_SYMTAB, ET_CORE, ET_DYN, ET_EXEC, ET_REL, PF_X, PT_DYNAMIC, PT_INTERP,
  PT_LOAD, PT_MIPS_ABIFLAGS, PT_NOTE, decodeFlags, elfTypeName, machineDisplayName, machineInfo, mipsFpAbiName,
  mipsRegSize, osabiName, phTypeName, type ElfFlagsInfo, type MipsAbiFlags,
} from './elf-tables.js';

export { ExecFormatError } from './errors.js';
export type { ElfFlagsInfo, MipsAbiFlags } from './elf-tables.js';

export const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46] as const;

export interface ElfProgramHeader {
  index: number;
  type: number;
  typeName: string;
  /** PF_R 4 | PF_W 2 | PF_X 1 */
  flags: number;
  offset: number;
  vaddr: number;
  paddr: number;
  filesz: number;
  memsz: number;
  align: number;
}

export interface ElfSection {
  index: number;
  name: string;
  type: number;
  flags: number;
  addr: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  addralign: number;
  entsize: number;
}

export interface ElfNote {
  /** Vendor name without the NUL ("GNU", "FreeBSD", "Linux", ...). */
  name: string;
  type: number;
  /** Length of the descriptor; the first 64 bytes are kept in `desc`. */
  descSize: number;
  desc: Uint8Array;
}

export interface ElfAbiTag {
  /** NT_GNU_ABI_TAG OS word: 0 Linux, 1 Hurd, 2 Solaris, 3 FreeBSD, ... */
  osCode: number;
  os: string;
  /** Minimum kernel version, e.g. "3.2.0". */
  kernel: string;
}

export interface ElfDynamic {
  entries: Array<{ tag: number; value: number }>;
  needed: string[];
  soname: string | null;
  rpath: string | null;
  runpath: string | null;
  flags: number;
  flags1: number;
}

export type ElfLinkage = 'static' | 'dynamic' | 'static-pie';

export interface ElfInfo {
  fileSize: number;
  wordSize: 32 | 64;
  endian: Endian;
  /** EI_VERSION and e_version (both 1 in valid files). */
  identVersion: number;
  version: number;
  osabi: number;
  osabiName: string;
  abiVersion: number;
  /** The old FreeBSD-3 brand string at e_ident[8..] ("Linux", "FreeBSD") if present. */
  identBrand: string | null;
  type: number;
  typeName: string;
  machine: number;
  /** Table name of e_machine ("RISC-V", "x86-64", "Intel 80386", ...). */
  machineName: string;
  /** Short display name used in descriptions ("i386", "x86-64", "MIPS", ...). */
  machineDisplay: string;
  isa: IsaName;
  flags: number;
  flagsInfo: ElfFlagsInfo;
  entry: number;
  phoff: number;
  shoff: number;
  ehsize: number;
  phentsize: number;
  phnum: number;
  shentsize: number;
  shnum: number;
  shstrndx: number;
  programHeaders: ElfProgramHeader[];
  interp: string | null;
  dynamic: ElfDynamic | null;
  notes: ElfNote[];
  abiTag: ElfAbiTag | null;
  buildId: string | null;
  mipsAbiFlags: MipsAbiFlags | null;
  /** Section headers, or null when absent or unreadable (see warnings). */
  sections: ElfSection[] | null;
  /** Strings of the .comment section ("GCC: (Debian 12.2.0-14) 12.2.0"). */
  comment: string[];
  linkage: ElfLinkage;
  pie: boolean;
  /** Non-fatal oddities (bad section table, malformed notes). */
  warnings: string[];
}

// ------------------------------------------------------------------ reading

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const MAX_STRING = 4096;

class Reader {
  constructor(readonly input: SniffInput, readonly le: boolean, readonly is64: boolean) {}

  bytes(off: number, len: number, what: string): Uint8Array {
    return readExact(this.input, off, len, what);
  }

  /** Reads an address-sized field (u32 or u64) as a safe number. */
  word(dv: DataView, off: number, field: string): number {
    if (!this.is64) return dv.getUint32(off, this.le);
    const v = dv.getBigUint64(off, this.le);
    if (v > BigInt(MAX_SAFE)) throw new ExecFormatError(`ELF field ${field} has the absurd value ${hex(v)}`);
    return Number(v);
  }

  /** Like word() but returns `fallback` for a value beyond 2^53. */
  wordOr(dv: DataView, off: number, fallback: number): number {
    if (!this.is64) return dv.getUint32(off, this.le);
    const v = dv.getBigUint64(off, this.le);
    return v > BigInt(MAX_SAFE) ? fallback : Number(v);
  }

  /** A NUL-terminated string inside [start, end) of the file. */
  cstring(off: number, end: number, what: string): string {
    if (!(off >= 0) || off >= end || end > this.input.size) {
      throw new ExecFormatError(`${what} at offset ${off} lies outside its string table`);
    }
    const limit = Math.min(end, off + MAX_STRING + 1);
    const b = readSome(this.input, off, limit - off);
    const z = b.indexOf(0);
    if (z < 0) {
      throw new ExecFormatError(limit < end
        ? `${what} at offset ${off} is longer than ${MAX_STRING} bytes`
        : `${what} at offset ${off} is not NUL-terminated inside its string table`);
    }
    return latin1(b.subarray(0, z));
  }
}

function latin1(b: Uint8Array): string {
  // Decode as UTF-8 when valid, else byte-per-char.
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    let s = '';
    for (const c of b) s += String.fromCharCode(c);
    return s;
  }
}

const parseCache = new WeakMap<object, ElfInfo | ExecFormatError>();

/** True when the bytes start with \x7fELF. */
export function isElf(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46;
}

/**
 * Parses an ELF image. Accepts a SniffInput or the whole file's bytes.
 * Results (and failures) are cached per SniffInput object, so several
 * sniffers can ask for the same file cheaply.
 */
export function parseElf(input: SniffInput | Uint8Array): ElfInfo {
  const src = input instanceof Uint8Array ? sniffInputFromBytes(input) : input;
  const cached = parseCache.get(src);
  if (cached instanceof ExecFormatError) throw cached;
  if (cached) return cached;
  try {
    const info = parseUncached(src);
    parseCache.set(src, info);
    return info;
  } catch (e) {
    const err = e instanceof ExecFormatError ? e : new ExecFormatError(`ELF file could not be parsed: ${(e as Error)?.message ?? String(e)}`);
    parseCache.set(src, err);
    throw err;
  }
}

/** Like parseElf but returns null for a non-ELF or malformed file. */
export function tryParseElf(input: SniffInput): ElfInfo | null {
  if (!isElf(input.head)) return null;
  try {
    return parseElf(input);
  } catch {
    return null;
  }
}

function parseUncached(input: SniffInput): ElfInfo {
  const size = input.size;
  if (size < 16) throw new ExecFormatError(`ELF identification is truncated: the file is only ${size} bytes`);
  const ident = readExact(input, 0, 16, 'ELF identification');
  if (!isElf(ident)) throw new ExecFormatError('file does not start with the ELF magic \\x7fELF');
  const cls = ident[4]!;
  const data = ident[5]!;
  if (cls !== 1 && cls !== 2) throw new ExecFormatError(`ELF class byte EI_CLASS is ${cls}, expected 1 (ELF32) or 2 (ELF64)`);
  if (data !== 1 && data !== 2) throw new ExecFormatError(`ELF data byte EI_DATA is ${data}, expected 1 (little-endian) or 2 (big-endian)`);
  const is64 = cls === 2;
  const le = data === 1;
  const wordSize: 32 | 64 = is64 ? 64 : 32;
  const ehdrSize = is64 ? 64 : 52;
  if (size < ehdrSize) {
    throw new ExecFormatError(`ELF${wordSize} header is truncated: it needs ${ehdrSize} bytes but the file has ${size}`);
  }
  const r = new Reader(input, le, is64);
  const warnings: string[] = [];
  const eh = view(r.bytes(0, ehdrSize, 'ELF header'));
  const type = eh.getUint16(16, le);
  const machine = eh.getUint16(18, le);
  const version = eh.getUint32(20, le);
  let p = 24;
  const entry = r.word(eh, p, 'e_entry'); p += is64 ? 8 : 4;
  const phoff = r.word(eh, p, 'e_phoff'); p += is64 ? 8 : 4;
  // Sections are optional for execution: an absurd e_shoff only drops them (see warnings).
  let shoff = r.wordOr(eh, p, -1); p += is64 ? 8 : 4;
  if (shoff < 0) { warnings.push('e_shoff has an absurd value; section headers ignored'); shoff = 0; }
  const flags = eh.getUint32(p, le); p += 4;
  const ehsize = eh.getUint16(p, le); p += 2;
  const phentsize = eh.getUint16(p, le); p += 2;
  let phnum = eh.getUint16(p, le); p += 2;
  const shentsize = eh.getUint16(p, le); p += 2;
  let shnum = eh.getUint16(p, le); p += 2;
  let shstrndx = eh.getUint16(p, le);

  if (ident[6] !== 1) warnings.push(`EI_VERSION is ${ident[6]}, expected 1`);
  if (version !== 1) warnings.push(`e_version is ${version}, expected 1`);
  if (ehsize !== ehdrSize) warnings.push(`e_ehsize is ${ehsize}, expected ${ehdrSize}`);

  const { name: machineName, isa } = machineInfo(machine, wordSize);
  const identBrandRaw = ident.subarray(8, 16);
  let identBrand: string | null = null;
  {
    const z = identBrandRaw.indexOf(0);
    const s = latin1(identBrandRaw.subarray(0, z < 0 ? 8 : z));
    if (/^(Linux|FreeBSD)$/.test(s)) identBrand = s;
  }

  // Section 0 carries extended counts (PN_XNUM, SHN_XINDEX, e_shnum = 0).
  const shentOk = shentsize === (is64 ? 64 : 40);
  let sh0: DataView | null = null;
  if (shoff !== 0 && shentOk && shoff + shentsize <= size) {
    sh0 = view(r.bytes(shoff, shentsize, 'ELF section header 0'));
  }
  if (phnum === 0xffff) {
    if (!sh0) throw new ExecFormatError('ELF e_phnum is PN_XNUM (0xffff) but there is no section header 0 holding the real count');
    phnum = sh0.getUint32(is64 ? 44 : 28, le);
  }
  if (shnum === 0 && sh0) shnum = r.word(sh0, is64 ? 32 : 20, 'section 0 sh_size');
  if (shstrndx === 0xffff && sh0) shstrndx = sh0.getUint32(is64 ? 40 : 24, le);

  // ---------------------------------------------------------- program headers
  const programHeaders: ElfProgramHeader[] = [];
  const phSize = is64 ? 56 : 32;
  const isProgram = type === ET_EXEC || type === ET_DYN;
  if (phnum > 0 || isProgram) {
    if (isProgram && phnum === 0) throw new ExecFormatError(`ELF ${elfTypeName(type)} file has no program headers (e_phnum is 0)`);
    if (phentsize !== phSize) {
      throw new ExecFormatError(`ELF${wordSize} e_phentsize is ${phentsize}, expected ${phSize} bytes per program header`);
    }
    const tableBytes = phnum * phentsize;
    if (phoff === 0 || phoff + tableBytes > size || phoff + tableBytes > MAX_SAFE) {
      throw new ExecFormatError(
        `ELF program header table (e_phoff ${hex(phoff)}, ${phnum} entries of ${phentsize} bytes) extends past the end of the ${size}-byte file`);
    }
    if (tableBytes > 65536) {
      throw new ExecFormatError(`ELF program header table is absurdly large (${phnum} entries of ${phentsize} bytes, over 64 KiB)`);
    }
    const tv = view(r.bytes(phoff, tableBytes, 'ELF program header table'));
    for (let i = 0; i < phnum; i++) {
      const o = i * phentsize;
      const ph: ElfProgramHeader = is64
        ? {
            index: i, type: tv.getUint32(o, le), typeName: '', flags: tv.getUint32(o + 4, le),
            offset: r.word(tv, o + 8, `p_offset of program header ${i}`), vaddr: r.word(tv, o + 16, `p_vaddr of program header ${i}`),
            paddr: r.wordOr(tv, o + 24, -1), filesz: r.word(tv, o + 32, `p_filesz of program header ${i}`),
            memsz: r.word(tv, o + 40, `p_memsz of program header ${i}`), align: r.word(tv, o + 48, `p_align of program header ${i}`),
          }
        : {
            index: i, type: tv.getUint32(o, le), typeName: '', offset: tv.getUint32(o + 4, le), vaddr: tv.getUint32(o + 8, le),
            paddr: tv.getUint32(o + 12, le), filesz: tv.getUint32(o + 16, le), memsz: tv.getUint32(o + 20, le),
            flags: tv.getUint32(o + 24, le), align: tv.getUint32(o + 28, le),
          };
      ph.typeName = phTypeName(ph.type, machine);
      programHeaders.push(ph);
    }
  }

  validateSegments(programHeaders, { size, wordSize, type, entry, isProgram });
  const loads = programHeaders.filter((ph) => ph.type === PT_LOAD);

  // ---------------------------------------------------------- PT_INTERP
  let interp: string | null = null;
  const interps = programHeaders.filter((ph) => ph.type === PT_INTERP);
  if (interps.length > 1) throw new ExecFormatError(`ELF file has ${interps.length} PT_INTERP program headers, expected at most one`);
  if (interps.length === 1) {
    const ph = interps[0]!;
    if (ph.filesz < 2 || ph.filesz > MAX_STRING) {
      throw new ExecFormatError(`ELF PT_INTERP (program header ${ph.index}) is ${ph.filesz} bytes long, expected 2 to ${MAX_STRING}`);
    }
    const b = r.bytes(ph.offset, ph.filesz, 'ELF PT_INTERP string');
    const z = b.indexOf(0);
    if (z < 0) throw new ExecFormatError(`ELF PT_INTERP string (offset ${hex(ph.offset)}, ${ph.filesz} bytes) is not NUL-terminated`);
    if (z === 0) throw new ExecFormatError('ELF PT_INTERP string is empty');
    interp = latin1(b.subarray(0, z));
  }

  // ---------------------------------------------------------- PT_DYNAMIC
  const dyns = programHeaders.filter((ph) => ph.type === PT_DYNAMIC);
  if (dyns.length > 1) throw new ExecFormatError(`ELF file has ${dyns.length} PT_DYNAMIC program headers, expected at most one`);
  const dynamic = dyns.length === 1 ? parseDynamic(r, dyns[0]!, loads) : null;

  // ---------------------------------------------------------- notes
  const notes: ElfNote[] = [];
  for (const ph of programHeaders) if (ph.type === PT_NOTE) parseNotes(r, ph, notes, warnings);
  let abiTag: ElfAbiTag | null = null;
  let buildId: string | null = null;
  for (const n of notes) {
    if (n.name === 'GNU' && n.type === 1 && n.descSize >= 16 && !abiTag) {
      const dv = view(n.desc);
      const osCode = dv.getUint32(0, le);
      const os = ['Linux', 'Hurd', 'Solaris', 'FreeBSD', 'NetBSD', 'Syllable', 'NaCl'][osCode] ?? `OS ${osCode}`;
      abiTag = { osCode, os, kernel: `${dv.getUint32(4, le)}.${dv.getUint32(8, le)}.${dv.getUint32(12, le)}` };
    } else if (n.name === 'GNU' && n.type === 3 && !buildId) {
      buildId = Array.from(n.desc.subarray(0, Math.min(n.descSize, n.desc.length)), (b) => b.toString(16).padStart(2, '0')).join('');
    }
  }

  // ---------------------------------------------------------- MIPS abiflags
  let mipsAbiFlags: MipsAbiFlags | null = null;
  const af = programHeaders.find((ph) => ph.type === PT_MIPS_ABIFLAGS && (machine === 8 || machine === 10));
  if (af) {
    if (af.filesz < 24 || af.offset + 24 > size) {
      warnings.push(`PT_MIPS_ABIFLAGS (program header ${af.index}) is too small or outside the file`);
    } else {
      const dv = view(r.bytes(af.offset, 24, '.MIPS.abiflags'));
      const level = dv.getUint8(2), rev = dv.getUint8(3);
      mipsAbiFlags = {
        version: dv.getUint16(0, le),
        isa: `mips${level}${rev > 1 ? 'r' + rev : ''}`,
        gprSize: mipsRegSize(dv.getUint8(4)), cpr1Size: mipsRegSize(dv.getUint8(5)), cpr2Size: mipsRegSize(dv.getUint8(6)),
        fpAbi: mipsFpAbiName(dv.getUint8(7)),
        fpAbiCode: dv.getUint8(7),
        isaExt: dv.getUint32(8, le), ases: dv.getUint32(12, le), flags1: dv.getUint32(16, le), flags2: dv.getUint32(20, le),
      };
    }
  }

  // ---------------------------------------------------------- sections
  let sections: ElfSection[] | null = null;
  let comment: string[] = [];
  if (shoff !== 0 && shnum !== 0) {
    try {
      sections = parseSections(r, { shoff, shnum, shentsize, shstrndx, size, wordSize });
      const c = sections.find((s) => s.name === '.comment' && s.type !== 8);
      if (c) comment = readComment(r, c);
    } catch (e) {
      if (!(e instanceof ExecFormatError)) throw e;
      warnings.push(`section headers ignored: ${e.message}`);
      sections = null;
    }
  }

  const hasInterp = interp !== null;
  // static-pie: ET_DYN with PT_DYNAMIC, no PT_INTERP and nothing to load (a Haiku executable has no
  // PT_INTERP either but needs libroot.so: that is dynamic, its loader implicit).
  const linkage: ElfLinkage = hasInterp || (dynamic && dynamic.needed.length > 0) ? 'dynamic'
    : dynamic && type === ET_DYN ? 'static-pie' : dynamic ? 'dynamic' : 'static';
  const pie = type === ET_DYN && (hasInterp || linkage === 'static-pie' || ((dynamic?.flags1 ?? 0) & DF_1_PIE) !== 0);

  return {
    fileSize: size, wordSize, endian: le ? 'little' : 'big', identVersion: ident[6]!, version,
    osabi: ident[7]!, osabiName: osabiName(ident[7]!), abiVersion: ident[8]!, identBrand,
    type, typeName: elfTypeName(type), machine, machineName, machineDisplay: machineDisplayName(machine, wordSize), isa,
    flags, flagsInfo: decodeFlags(machine, wordSize, flags), entry, phoff, shoff, ehsize, phentsize, phnum, shentsize,
    shnum, shstrndx, programHeaders, interp, dynamic, notes, abiTag, buildId, mipsAbiFlags, sections, comment,
    linkage, pie, warnings,
  };
}

function validateSegments(
  phs: ElfProgramHeader[],
  f: { size: number; wordSize: 32 | 64; type: number; entry: number; isProgram: boolean },
): void {
  const addrLimit = f.wordSize === 32 ? 2 ** 32 : MAX_SAFE;
  for (const ph of phs) {
    if (ph.type === PT_NULL_T) continue;
    if (ph.filesz > 0 && (ph.offset + ph.filesz > f.size)) {
      throw new ExecFormatError(
        `ELF ${ph.typeName} segment (program header ${ph.index}: offset ${hex(ph.offset)}, ${ph.filesz} bytes) extends past the end of the ${f.size}-byte file`);
    }
    if (ph.type !== PT_LOAD) continue;
    if (ph.filesz > ph.memsz) {
      throw new ExecFormatError(`ELF LOAD segment (program header ${ph.index}) has p_filesz ${hex(ph.filesz)} larger than p_memsz ${hex(ph.memsz)}`);
    }
    if (ph.vaddr + ph.memsz > addrLimit) {
      throw new ExecFormatError(
        `ELF LOAD segment (program header ${ph.index}: vaddr ${hex(ph.vaddr)}, ${hex(ph.memsz)} bytes) wraps past the end of the ${f.wordSize}-bit address space`);
    }
    if (ph.align > 1 && (ph.align & (ph.align - 1)) === 0 && (ph.align < 2 ** 31)) {
      const page = Math.min(ph.align, 4096);
      if ((ph.vaddr - ph.offset) % page !== 0) {
        throw new ExecFormatError(
          `ELF LOAD segment (program header ${ph.index}) has p_vaddr ${hex(ph.vaddr)} and p_offset ${hex(ph.offset)} that differ modulo the ${page}-byte page`);
      }
    }
  }
  if (!f.isProgram) return;
  const loads = phs.filter((ph) => ph.type === PT_LOAD);
  if (loads.length === 0) throw new ExecFormatError('ELF executable has no PT_LOAD segments');
  let prev: ElfProgramHeader | null = null;
  for (const ph of loads) {
    if (prev) {
      if (ph.vaddr < prev.vaddr) {
        throw new ExecFormatError(
          `ELF LOAD segments are not sorted by address: program header ${ph.index} (vaddr ${hex(ph.vaddr)}) follows program header ${prev.index} (vaddr ${hex(prev.vaddr)})`);
      }
      if (ph.memsz > 0 && prev.vaddr + prev.memsz > ph.vaddr) {
        throw new ExecFormatError(
          `ELF LOAD segments overlap: program header ${prev.index} (${hex(prev.vaddr)}–${hex(prev.vaddr + prev.memsz)}) and program header ${ph.index} (from ${hex(ph.vaddr)})`);
      }
    }
    if (ph.memsz > 0) prev = ph;
  }
  if (f.type === ET_DYN && f.entry === 0) return; // a shared library without an entry point
  const inExec = loads.some((ph) => (ph.flags & PF_X) !== 0 && f.entry >= ph.vaddr && f.entry < ph.vaddr + ph.memsz);
  if (!inExec) {
    throw new ExecFormatError(`ELF entry point ${hex(f.entry)} is not inside any executable LOAD segment`);
  }
}
const PT_NULL_T = 0;

/** Translates a virtual address to a file offset through the PT_LOAD file images. */
export function vaddrToOffset(loads: readonly ElfProgramHeader[], addr: number): { offset: number; avail: number } | null {
  for (const ph of loads) {
    if (ph.type !== PT_LOAD) continue;
    if (addr >= ph.vaddr && addr < ph.vaddr + ph.filesz) {
      return { offset: ph.offset + (addr - ph.vaddr), avail: ph.vaddr + ph.filesz - addr };
    }
  }
  return null;
}

function parseDynamic(r: Reader, ph: ElfProgramHeader, loads: ElfProgramHeader[]): ElfDynamic {
  const ent = r.is64 ? 16 : 8;
  const count = Math.floor(ph.filesz / ent);
  const dv = view(r.bytes(ph.offset, count * ent, 'ELF PT_DYNAMIC segment'));
  const entries: Array<{ tag: number; value: number }> = [];
  let terminated = false;
  for (let i = 0; i < count; i++) {
    const o = i * ent;
    let tag: number, value: number;
    if (r.is64) {
      const t = dv.getBigInt64(o, r.le);
      tag = t > 0x7fffffffn || t < -0x80000000n ? -1 : Number(t);
      const v = dv.getBigUint64(o + 8, r.le);
      value = v > BigInt(MAX_SAFE) ? -1 : Number(v);
    } else {
      tag = dv.getInt32(o, r.le);
      value = dv.getUint32(o + 4, r.le);
    }
    if (tag === DT_NULL) { terminated = true; break; }
    entries.push({ tag, value });
  }
  if (!terminated) throw new ExecFormatError(`ELF PT_DYNAMIC segment (program header ${ph.index}) has no DT_NULL terminator`);
  const get = (t: number): number | undefined => entries.find((e) => e.tag === t)?.value;
  const strtab = get(DT_STRTAB);
  const strsz = get(DT_STRSZ);
  const needTags = entries.filter((e) => e.tag === DT_NEEDED || e.tag === DT_SONAME || e.tag === DT_RPATH || e.tag === DT_RUNPATH);
  const strings = new Map<number, string>();
  if (needTags.length > 0) {
    if (strtab === undefined) throw new ExecFormatError('ELF dynamic section has DT_NEEDED/DT_SONAME entries but no DT_STRTAB');
    if (strtab < 0) throw new ExecFormatError('ELF DT_STRTAB has an absurd address');
    const loc = vaddrToOffset(loads, strtab);
    if (!loc) throw new ExecFormatError(`ELF DT_STRTAB address ${hex(strtab)} is not inside any LOAD segment's file image`);
    let limit = loc.avail;
    if (strsz !== undefined && strsz >= 0) {
      if (strsz > loc.avail) {
        throw new ExecFormatError(`ELF dynamic string table (DT_STRTAB ${hex(strtab)}, DT_STRSZ ${strsz}) extends past its LOAD segment's file image`);
      }
      limit = strsz;
    }
    for (const e of needTags) {
      if (e.value < 0) throw new ExecFormatError('ELF dynamic string offset has an absurd value');
      if (e.value >= limit) {
        throw new ExecFormatError(`ELF dynamic string offset ${e.value} is outside the ${limit}-byte dynamic string table`);
      }
      strings.set(e.value, r.cstring(loc.offset + e.value, loc.offset + limit, 'ELF dynamic string'));
    }
  }
  const str = (t: number): string | null => {
    const v = get(t);
    return v === undefined ? null : strings.get(v) ?? null;
  };
  return {
    entries,
    needed: entries.filter((e) => e.tag === DT_NEEDED).map((e) => strings.get(e.value)!),
    soname: str(DT_SONAME),
    rpath: str(DT_RPATH),
    runpath: str(DT_RUNPATH),
    flags: get(DT_FLAGS) ?? 0,
    flags1: get(DT_FLAGS_1) ?? 0,
  };
}

function parseNotes(r: Reader, ph: ElfProgramHeader, out: ElfNote[], warnings: string[]): void {
  if (ph.filesz === 0) return;
  const align = ph.align === 8 ? 8 : 4;
  const total = Math.min(ph.filesz, 1 << 20);
  const b = r.bytes(ph.offset, total, 'ELF PT_NOTE segment');
  const dv = view(b);
  let o = 0;
  const up = (n: number) => Math.ceil(n / align) * align;
  while (o + 12 <= total && out.length < 256) {
    const namesz = dv.getUint32(o, r.le);
    const descsz = dv.getUint32(o + 4, r.le);
    const type = dv.getUint32(o + 8, r.le);
    const nameAt = o + 12;
    const descAt = up(nameAt + namesz);
    if (namesz > total || descsz > total || descAt + descsz > total) {
      warnings.push(`malformed note in PT_NOTE segment (program header ${ph.index}) at offset ${hex(ph.offset + o)}`);
      return;
    }
    let name = latin1(b.subarray(nameAt, nameAt + namesz));
    const z = name.indexOf('\0');
    if (z >= 0) name = name.slice(0, z);
    out.push({ name, type, descSize: descsz, desc: b.slice(descAt, descAt + Math.min(descsz, 64)) });
    o = descAt + up(descsz);
  }
}

function parseSections(
  r: Reader,
  f: { shoff: number; shnum: number; shentsize: number; shstrndx: number; size: number; wordSize: 32 | 64 },
): ElfSection[] {
  const ent = r.is64 ? 64 : 40;
  if (f.shentsize !== ent) throw new ExecFormatError(`e_shentsize is ${f.shentsize}, expected ${ent}`);
  if (f.shoff + f.shnum * ent > f.size) {
    throw new ExecFormatError(
      `the section header table (e_shoff ${hex(f.shoff)}, ${f.shnum} entries of ${ent} bytes) extends past the end of the ${f.size}-byte file`);
  }
  const dv = view(r.bytes(f.shoff, f.shnum * ent, 'ELF section header table'));
  const secs: ElfSection[] = [];
  const nameOffs: number[] = [];
  for (let i = 0; i < f.shnum; i++) {
    const o = i * ent;
    nameOffs.push(dv.getUint32(o, r.le));
    const s: ElfSection = r.is64
      ? {
          index: i, name: '', type: dv.getUint32(o + 4, r.le), flags: r.word(dv, o + 8, 'sh_flags'), addr: r.word(dv, o + 16, 'sh_addr'),
          offset: r.word(dv, o + 24, 'sh_offset'), size: r.word(dv, o + 32, 'sh_size'), link: dv.getUint32(o + 40, r.le),
          info: dv.getUint32(o + 44, r.le), addralign: r.word(dv, o + 48, 'sh_addralign'), entsize: r.word(dv, o + 56, 'sh_entsize'),
        }
      : {
          index: i, name: '', type: dv.getUint32(o + 4, r.le), flags: dv.getUint32(o + 8, r.le), addr: dv.getUint32(o + 12, r.le),
          offset: dv.getUint32(o + 16, r.le), size: dv.getUint32(o + 20, r.le), link: dv.getUint32(o + 24, r.le),
          info: dv.getUint32(o + 28, r.le), addralign: dv.getUint32(o + 32, r.le), entsize: dv.getUint32(o + 36, r.le),
        };
    if (s.type !== 8 /* NOBITS */ && s.type !== 0 && s.offset + s.size > f.size) {
      throw new ExecFormatError(`section ${i} (offset ${hex(s.offset)}, ${s.size} bytes) extends past the end of the file`);
    }
    secs.push(s);
  }
  if (f.shstrndx !== 0 && f.shstrndx < secs.length) {
    const st = secs[f.shstrndx]!;
    if (st.type !== 3) throw new ExecFormatError(`e_shstrndx ${f.shstrndx} names a section that is not a string table`);
    for (const s of secs) {
      if (s.index === 0 && nameOffs[0] === 0) continue;
      if (nameOffs[s.index]! >= st.size) throw new ExecFormatError(`section ${s.index}'s name offset is outside the section name table`);
      s.name = r.cstring(st.offset + nameOffs[s.index]!, st.offset + st.size, 'section name');
    }
  } else if (f.shstrndx !== 0) {
    throw new ExecFormatError(`e_shstrndx ${f.shstrndx} is not below the section count ${secs.length}`);
  }
  return secs;
}

function readComment(r: Reader, s: ElfSection): string[] {
  const b = r.bytes(s.offset, Math.min(s.size, 65536), '.comment section');
  const out: string[] = [];
  for (const part of latin1(b).split('\0')) if (part && !out.includes(part) && out.length < 64) out.push(part);
  return out;
}

// ------------------------------------------------------------------ symbols

export interface ElfSymbol {
  name: string;
  value: number;
  size: number;
  /** STT_* in the low nibble of st_info, STB_* in the high one. */
  info: number;
  shndx: number;
}

/** Reads `len` bytes at virtual address `addr` through the LOAD segments (bss reads as zeros). */
export function readVirtual(info: ElfInfo, input: SniffInput | Uint8Array, addr: number, len: number): Uint8Array | null {
  const src = input instanceof Uint8Array ? sniffInputFromBytes(input) : input;
  if (len < 0 || len > 1 << 20) return null;
  for (const ph of info.programHeaders) {
    if (ph.type !== PT_LOAD || addr < ph.vaddr || addr + len > ph.vaddr + ph.memsz) continue;
    const out = new Uint8Array(len);
    const rel = addr - ph.vaddr;
    const inFile = Math.max(0, Math.min(len, ph.filesz - rel));
    if (inFile > 0) {
      try {
        out.set(readExact(src, ph.offset + rel, inFile, 'segment bytes'));
      } catch {
        return null;
      }
    }
    return out;
  }
  return null;
}

/**
 * Finds a dynamic symbol by name: through the SHT_DYNSYM section when there is
 * one, else through DT_SYMTAB/DT_STRTAB with the count from DT_HASH,
 * DT_GNU_HASH or DT_MIPS_SYMTABNO. Returns null when absent or unreadable.
 */
export function findDynamicSymbol(info: ElfInfo, input: SniffInput | Uint8Array, name: string): ElfSymbol | null {
  const src = input instanceof Uint8Array ? sniffInputFromBytes(input) : input;
  try {
    const table = dynsymTable(info, src);
    if (!table) return null;
    const r = new Reader(src, info.endian === 'little', info.wordSize === 64);
    const ent = info.wordSize === 64 ? 24 : 16;
    const n = Math.min(table.count, Math.floor((src.size - table.offset) / ent), 1 << 20);
    if (n <= 0) return null;
    const dv = view(r.bytes(table.offset, n * ent, '.dynsym'));
    const want = new TextEncoder().encode(name);
    for (let i = 1; i < n; i++) {
      const o = i * ent;
      const nameOff = dv.getUint32(o, r.le);
      if (nameOff === 0 || nameOff + want.length >= table.strSize) continue;
      const cand = readSome(src, table.strOffset + nameOff, want.length + 1);
      if (cand.length !== want.length + 1 || cand[want.length] !== 0) continue;
      let same = true;
      for (let k = 0; k < want.length; k++) if (cand[k] !== want[k]) { same = false; break; }
      if (!same) continue;
      return r.is64
        ? { name, info: dv.getUint8(o + 4), shndx: dv.getUint16(o + 6, r.le), value: r.word(dv, o + 8, 'st_value'), size: r.word(dv, o + 16, 'st_size') }
        : { name, value: dv.getUint32(o + 4, r.le), size: dv.getUint32(o + 8, r.le), info: dv.getUint8(o + 12), shndx: dv.getUint16(o + 14, r.le) };
    }
    return null;
  } catch {
    return null;
  }
}

/** The 32-bit value stored at a dynamic symbol's address (e.g. Haiku's _gSharedObjectHaikuABI). */
export function readDynamicSymbolU32(info: ElfInfo, input: SniffInput | Uint8Array, name: string): number | null {
  const sym = findDynamicSymbol(info, input, name);
  if (!sym || sym.shndx === 0) return null;
  const b = readVirtual(info, input, sym.value, 4);
  if (!b) return null;
  return view(b).getUint32(0, info.endian === 'little');
}

function dynsymTable(info: ElfInfo, src: SniffInput): { offset: number; count: number; strOffset: number; strSize: number } | null {
  const ent = info.wordSize === 64 ? 24 : 16;
  const ds = info.sections?.find((s) => s.type === 11 /* SHT_DYNSYM */);
  if (ds && info.sections) {
    const st = info.sections[ds.link];
    if (st && st.type === 3) return { offset: ds.offset, count: Math.floor(ds.size / ent), strOffset: st.offset, strSize: st.size };
  }
  const dyn = info.dynamic;
  if (!dyn) return null;
  const get = (t: number) => dyn.entries.find((e) => e.tag === t)?.value;
  const loads = info.programHeaders.filter((p) => p.type === PT_LOAD);
  const symtab = get(DT_SYMTAB), strtab = get(DT_STRTAB);
  if (symtab === undefined || strtab === undefined || symtab < 0 || strtab < 0) return null;
  const symLoc = vaddrToOffset(loads, symtab), strLoc = vaddrToOffset(loads, strtab);
  if (!symLoc || !strLoc) return null;
  const syment = get(DT_SYMENT);
  if (syment !== undefined && syment !== ent) return null;
  const strsz = get(DT_STRSZ);
  const strSize = strsz !== undefined && strsz >= 0 && strsz <= strLoc.avail ? strsz : strLoc.avail;
  let count = -1;
  const le = info.endian === 'little';
  const mipsNo = get(DT_MIPS_SYMTABNO);
  const hash = get(DT_HASH);
  const gnu = get(DT_GNU_HASH);
  if (mipsNo !== undefined && mipsNo >= 0) count = mipsNo;
  else if (hash !== undefined && hash >= 0) {
    const loc = vaddrToOffset(loads, hash);
    if (loc) count = view(readExact(src, loc.offset, 8, 'DT_HASH header')).getUint32(4, le);
  } else if (gnu !== undefined && gnu >= 0) {
    const loc = vaddrToOffset(loads, gnu);
    if (loc) count = gnuHashCount(src, loc.offset, info.wordSize, le);
  }
  if (count < 0) count = Math.floor(symLoc.avail / ent);
  count = Math.min(count, Math.floor(symLoc.avail / ent));
  return { offset: symLoc.offset, count, strOffset: strLoc.offset, strSize };
}

function gnuHashCount(src: SniffInput, off: number, wordSize: 32 | 64, le: boolean): number {
  const h = view(readExact(src, off, 16, 'DT_GNU_HASH header'));
  const nbuckets = h.getUint32(0, le), symoffset = h.getUint32(4, le), bloomSize = h.getUint32(8, le);
  if (nbuckets > 1 << 20 || bloomSize > 1 << 20) return -1;
  const bucketsAt = off + 16 + bloomSize * (wordSize / 8);
  const buckets = view(readExact(src, bucketsAt, nbuckets * 4, 'DT_GNU_HASH buckets'));
  let max = 0;
  for (let i = 0; i < nbuckets; i++) max = Math.max(max, buckets.getUint32(i * 4, le));
  if (max < symoffset) return symoffset;
  const chainsAt = bucketsAt + nbuckets * 4;
  for (let idx = max, steps = 0; steps < 1 << 20; idx++, steps++) {
    const c = view(readExact(src, chainsAt + (idx - symoffset) * 4, 4, 'DT_GNU_HASH chain')).getUint32(0, le);
    if (c & 1) return idx + 1;
  }
  return -1;
}

/** Friendly one-word kind of an ELF file ("executable", "shared object", "relocatable object", "core dump"). */
export function elfKind(info: ElfInfo): string {
  switch (info.type) {
    case ET_REL: return 'relocatable object';
    case ET_EXEC: return 'executable';
    case ET_DYN: return info.pie || info.interp ? 'executable' : info.entry === 0 ? 'shared object' : 'executable';
    case ET_CORE: return 'core dump';
    default: return `file of type ${info.typeName}`;
  }
}
