/**
 * ELF facts as data: e_machine values, EI_OSABI values, program header and
 * dynamic tag names, and the decoders for the interesting e_flags bits
 * (RISC-V, MIPS, ARM, PowerPC64). Values from the System V gABI and the
 * per-processor psABI supplements.
 */
import type { IsaName } from '../plugin/contracts.js';

interface MachineRow { name: string; isa32: IsaName; isa64: IsaName }

const M = (name: string, isa32: IsaName, isa64: IsaName = isa32): MachineRow => ({ name, isa32, isa64 });

/** e_machine → human name and compat's ISA name for ELF32 / ELF64. */
export const ELF_MACHINES: ReadonlyMap<number, MachineRow> = new Map<number, MachineRow>([
  [2, M('SPARC', 'sparc', 'other')],
  [3, M('Intel 80386', 'i386', 'other')],
  [4, M('Motorola 68000', 'm68k', 'other')],
  [5, M('Motorola 88000', 'other')],
  [6, M('Intel MCU', 'other')],
  [7, M('Intel 80860', 'other')],
  [8, M('MIPS', 'mips', 'mips64')],
  [9, M('IBM System/370', 'other')],
  [10, M('MIPS RS3000 little-endian', 'mips', 'mips64')],
  [15, M('HP PA-RISC', 'hppa', 'other')],
  [18, M('SPARC32PLUS', 'sparc', 'other')],
  [20, M('PowerPC', 'ppc', 'other')],
  [21, M('PowerPC64', 'other', 'ppc64')],
  [22, M('IBM S/390', 'other', 's390x')],
  [40, M('ARM', 'arm', 'other')],
  [41, M('Alpha (official number)', 'alpha')],
  [42, M('SuperH', 'sh', 'other')],
  [43, M('SPARC V9', 'other', 'sparc64')],
  [46, M('Renesas H8/300', 'other')],
  [50, M('Intel IA-64', 'other', 'ia64')],
  [62, M('x86-64', 'x86_64', 'x86_64')],
  [75, M('DEC VAX', 'other')],
  [76, M('Axis CRIS', 'other')],
  [83, M('Atmel AVR', 'other')],
  [87, M('NEC V850', 'other')],
  [88, M('Renesas M32R', 'other')],
  [92, M('OpenRISC', 'other')],
  [93, M('ARC Compact', 'other')],
  [94, M('Tensilica Xtensa', 'xtensa', 'other')],
  [106, M('Analog Devices Blackfin', 'other')],
  [113, M('Altera Nios II', 'other')],
  [140, M('TI C6000', 'other')],
  [164, M('Qualcomm Hexagon', 'other')],
  [183, M('AArch64', 'aarch64', 'aarch64')],
  [188, M('Tilera TILEPro', 'other')],
  [189, M('Xilinx MicroBlaze', 'microblaze', 'other')],
  [191, M('Tilera TILE-Gx', 'other')],
  [195, M('ARC Compact 2', 'other')],
  [224, M('AMD GPU', 'other')],
  [243, M('RISC-V', 'riscv32', 'riscv64')],
  [247, M('eBPF', 'other')],
  [252, M('C-SKY', 'other')],
  [258, M('LoongArch', 'other', 'loongarch64')],
  [0x9026, M('Alpha', 'alpha')],
  [0xbaab, M('Xilinx MicroBlaze (old number)', 'microblaze', 'other')],
]);

export function machineInfo(machine: number, wordSize: 32 | 64): { name: string; isa: IsaName } {
  const row = ELF_MACHINES.get(machine);
  if (!row) return { name: `unknown machine ${machine}`, isa: 'other' };
  return { name: row.name === 'Intel 80386' ? 'Intel 80386' : row.name, isa: wordSize === 64 ? row.isa64 : row.isa32 };
}

/** Short display names used by `compat sniff` ("x86-64", "i386", "RISC-V"). */
export function machineDisplayName(machine: number, wordSize: 32 | 64): string {
  switch (machine) {
    case 3: return 'i386';
    case 62: return wordSize === 32 ? 'x86-64 (x32)' : 'x86-64';
    case 8: case 10: return 'MIPS';
    default: return machineInfo(machine, wordSize).name;
  }
}

export const ELF_OSABI: ReadonlyMap<number, string> = new Map([
  [0, 'System V'], [1, 'HP-UX'], [2, 'NetBSD'], [3, 'GNU/Linux'], [4, 'GNU/Hurd'], [6, 'Solaris'],
  [7, 'AIX'], [8, 'IRIX'], [9, 'FreeBSD'], [10, 'Tru64'], [11, 'Novell Modesto'], [12, 'OpenBSD'],
  [13, 'OpenVMS'], [14, 'HP NonStop Kernel'], [15, 'AROS'], [16, 'FenixOS'], [17, 'CloudABI'],
  [18, 'OpenVOS'], [64, 'ARM EABI'], [97, 'ARM'], [255, 'standalone'],
]);

export function osabiName(osabi: number): string {
  return ELF_OSABI.get(osabi) ?? `unknown OS ABI ${osabi}`;
}

export const ET_NONE = 0, ET_REL = 1, ET_EXEC = 2, ET_DYN = 3, ET_CORE = 4;
export function elfTypeName(t: number): string {
  switch (t) {
    case ET_NONE: return 'NONE';
    case ET_REL: return 'REL';
    case ET_EXEC: return 'EXEC';
    case ET_DYN: return 'DYN';
    case ET_CORE: return 'CORE';
    default: return t >= 0xfe00 && t <= 0xfeff ? `OS-specific ${t}` : t >= 0xff00 ? `processor-specific ${t}` : `unknown ${t}`;
  }
}

export const PT_NULL = 0, PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3, PT_NOTE = 4, PT_SHLIB = 5, PT_PHDR = 6, PT_TLS = 7;
export const PT_GNU_EH_FRAME = 0x6474e550, PT_GNU_STACK = 0x6474e551, PT_GNU_RELRO = 0x6474e552, PT_GNU_PROPERTY = 0x6474e553;
export const PT_MIPS_ABIFLAGS = 0x70000003;

export function phTypeName(t: number, machine: number): string {
  switch (t) {
    case PT_NULL: return 'NULL';
    case PT_LOAD: return 'LOAD';
    case PT_DYNAMIC: return 'DYNAMIC';
    case PT_INTERP: return 'INTERP';
    case PT_NOTE: return 'NOTE';
    case PT_SHLIB: return 'SHLIB';
    case PT_PHDR: return 'PHDR';
    case PT_TLS: return 'TLS';
    case PT_GNU_EH_FRAME: return 'GNU_EH_FRAME';
    case PT_GNU_STACK: return 'GNU_STACK';
    case PT_GNU_RELRO: return 'GNU_RELRO';
    case PT_GNU_PROPERTY: return 'GNU_PROPERTY';
    case 0x65041580: return 'PAX_FLAGS';
    case 0x65a3dbe6: return 'OPENBSD_RANDOMIZE';
    case 0x65a3dbe7: return 'OPENBSD_WXNEEDED';
    case 0x65a41be6: return 'OPENBSD_BOOTDATA';
  }
  if (machine === 8 || machine === 10) {
    if (t === 0x70000000) return 'MIPS_REGINFO';
    if (t === 0x70000001) return 'MIPS_RTPROC';
    if (t === 0x70000002) return 'MIPS_OPTIONS';
    if (t === PT_MIPS_ABIFLAGS) return 'MIPS_ABIFLAGS';
  }
  if (machine === 243 && t === 0x70000003) return 'RISCV_ATTRIBUTES';
  if (machine === 40 && t === 0x70000001) return 'ARM_EXIDX';
  if (machine === 183 && t === 0x70000002) return 'AARCH64_MEMTAG_MTE';
  if (t >= 0x60000000 && t <= 0x6fffffff) return `OS-specific ${'0x' + t.toString(16)}`;
  if (t >= 0x70000000 && t <= 0x7fffffff) return `processor-specific ${'0x' + t.toString(16)}`;
  return `unknown ${'0x' + t.toString(16)}`;
}

export const PF_X = 1, PF_W = 2, PF_R = 4;

export const DT_NULL = 0, DT_NEEDED = 1, DT_HASH = 4, DT_STRTAB = 5, DT_SYMTAB = 6, DT_STRSZ = 10, DT_SYMENT = 11;
export const DT_SONAME = 14, DT_RPATH = 15, DT_RUNPATH = 29, DT_FLAGS = 30, DT_GNU_HASH = 0x6ffffef5, DT_FLAGS_1 = 0x6ffffffb;
export const DT_MIPS_SYMTABNO = 0x70000011;
export const DF_1_PIE = 0x08000000;

/** Decoded e_flags for the ISAs where they matter to a loader or a user. */
export interface ElfFlagsInfo {
  /** Short text, e.g. "RVC, double-float ABI" or "o32, mips32r2, noreorder, pic, cpic". */
  text: string;
  /** RISC-V: 'soft' | 'single' | 'double' | 'quad'. */
  floatAbi?: string;
  /** RISC-V: compressed instructions used. */
  rvc?: boolean;
  /** RISC-V RVE (16 registers); TSO memory model. */
  rve?: boolean;
  tso?: boolean;
  /** RISC-V/MIPS/ARM calling-convention name: 'lp64d', 'ilp32', 'o32', 'n32', 'n64', 'eabi5-hf' ... */
  abi?: string;
  /** MIPS architecture level, e.g. 'mips32r2'. */
  arch?: string;
  nan2008?: boolean;
  fp64?: boolean;
  pic?: boolean;
  /** MIPS application-specific extensions: 'micromips', 'mips16', 'mdmx'. */
  ase?: string[];
  /** PowerPC64 ELF ABI version (1 = function descriptors, 2 = ELFv2). */
  ppc64Abi?: number;
}

const MIPS_ARCHES = ['mips1', 'mips2', 'mips3', 'mips4', 'mips5', 'mips32', 'mips64', 'mips32r2', 'mips64r2', 'mips32r6', 'mips64r6'];
const RISCV_FLOAT = ['soft', 'single', 'double', 'quad'];

export function decodeFlags(machine: number, wordSize: 32 | 64, flags: number): ElfFlagsInfo {
  const parts: string[] = [];
  if (machine === 243) {
    const rvc = (flags & 1) !== 0;
    const floatAbi = RISCV_FLOAT[(flags >>> 1) & 3]!;
    const rve = (flags & 8) !== 0;
    const tso = (flags & 0x10) !== 0;
    const base = wordSize === 64 ? 'lp64' : rve ? 'ilp32e' : 'ilp32';
    const abi = base + (floatAbi === 'soft' ? '' : floatAbi[0]);
    if (rvc) parts.push('RVC');
    parts.push(`${floatAbi}-float ABI`);
    if (rve) parts.push('RVE');
    if (tso) parts.push('TSO');
    return { text: parts.join(', '), floatAbi, rvc, rve, tso, abi };
  }
  if (machine === 8 || machine === 10) {
    const archIdx = (flags >>> 28) & 0xf;
    const arch = MIPS_ARCHES[archIdx] ?? `arch ${archIdx}`;
    const abiField = (flags >>> 12) & 0xf;
    let abi: string;
    if (wordSize === 64) abi = 'n64';
    else if (flags & 0x20) abi = 'n32';
    else abi = abiField === 2 ? 'o64' : abiField === 3 ? 'eabi32' : abiField === 4 ? 'eabi64' : 'o32';
    const ase: string[] = [];
    if (flags & 0x08000000) ase.push('mdmx');
    if (flags & 0x04000000) ase.push('mips16');
    if (flags & 0x02000000) ase.push('micromips');
    const nan2008 = (flags & 0x400) !== 0;
    const fp64 = (flags & 0x200) !== 0;
    const pic = (flags & 2) !== 0;
    parts.push(abi, arch);
    if (flags & 1) parts.push('noreorder');
    if (pic) parts.push('pic');
    if (flags & 4) parts.push('cpic');
    if (nan2008) parts.push('nan2008');
    if (fp64) parts.push('fp64');
    parts.push(...ase);
    return { text: parts.join(', '), abi, arch, nan2008, fp64, pic, ase };
  }
  if (machine === 40) {
    const eabi = (flags >>> 24) & 0xff;
    const hard = (flags & 0x400) !== 0;
    const soft = (flags & 0x200) !== 0;
    const abi = eabi ? `eabi${eabi}${hard ? '-hf' : soft ? '-soft' : ''}` : 'oabi';
    return { text: abi, abi, floatAbi: hard ? 'hard' : soft ? 'soft' : undefined };
  }
  if (machine === 21) {
    const v = flags & 3;
    return { text: v ? `ELFv${v}` : 'ELF ABI unspecified', ppc64Abi: v };
  }
  return { text: flags ? '0x' + (flags >>> 0).toString(16) : '' };
}

/** .MIPS.abiflags (PT_MIPS_ABIFLAGS) fields. */
export interface MipsAbiFlags {
  version: number;
  isa: string;
  gprSize: number;
  cpr1Size: number;
  cpr2Size: number;
  fpAbi: string;
  /** The raw fp_abi byte (Val_GNU_MIPS_ABI_FP_*). */
  fpAbiCode: number;
  isaExt: number;
  ases: number;
  flags1: number;
  flags2: number;
}

const MIPS_FP_ABI = ['any', 'double', 'single', 'soft', 'old-64', 'fpxx', 'fp64', 'fp64a'];
export function mipsRegSize(code: number): number {
  return code === 1 ? 32 : code === 2 ? 64 : code === 3 ? 128 : 0;
}
export function mipsFpAbiName(v: number): string {
  return MIPS_FP_ABI[v] ?? `fp-abi ${v}`;
}
