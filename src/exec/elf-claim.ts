/**
 * Builds a Claim from parsed ELF facts. Shared by the generic ELF sniffer and
 * the personalities' sniffers, so `compat sniff` shows the same ABI keys
 * whoever claimed the file. `abi` holds JSON-friendly values only.
 */
import type { Claim } from '../plugin/contracts.js';
import { elfKind, type ElfInfo } from './elf.js';
import type { ElfBrand } from './elf-brand.js';

export function elfAbiDetails(info: ElfInfo, brand: ElfBrand): Record<string, unknown> {
  const fi = info.flagsInfo;
  const abi: Record<string, unknown> = {
    os: brand.os,
    brand: brand.reason,
    osabi: info.osabiName,
    osabiCode: info.osabi,
    abiVersion: info.abiVersion,
    elfType: info.typeName,
    kind: elfKind(info),
    interp: info.interp,
    needed: info.dynamic?.needed ?? [],
    soname: info.dynamic?.soname ?? null,
    linkage: info.linkage,
    static: info.linkage !== 'dynamic',
    dynamic: info.linkage === 'dynamic',
    staticPie: info.linkage === 'static-pie',
    pie: info.pie,
    entry: '0x' + info.entry.toString(16),
    abiNote: info.abiTag ? { os: info.abiTag.os, kernel: info.abiTag.kernel } : null,
    kernel: info.abiTag?.kernel ?? null,
    buildId: info.buildId,
    eFlags: '0x' + (info.flags >>> 0).toString(16),
    flags: fi.text,
  };
  if (fi.abi !== undefined) abi['callingConvention'] = fi.abi;
  if (fi.floatAbi !== undefined) abi['floatAbi'] = fi.floatAbi;
  if (fi.rvc !== undefined) abi['rvc'] = fi.rvc;
  if (info.machine === 8 || info.machine === 10) {
    abi['mips'] = {
      abi: fi.abi, arch: fi.arch, nan2008: fi.nan2008, fp64: fi.fp64, pic: fi.pic, ase: fi.ase,
      abiFlags: info.mipsAbiFlags ? { ...info.mipsAbiFlags } : null,
    };
    if (info.mipsAbiFlags) abi['floatAbi'] = info.mipsAbiFlags.fpAbi;
  }
  if (fi.ppc64Abi !== undefined) abi['ppc64Abi'] = fi.ppc64Abi;
  if (info.comment.length) abi['comment'] = info.comment;
  return abi;
}

export function elfClaim(info: ElfInfo, brand: ElfBrand, personality: string | null, confidence: number,
  extra: Record<string, unknown> = {}): Claim {
  return {
    format: 'ELF',
    isa: info.isa,
    machineName: info.machineDisplay,
    endian: info.endian,
    wordSize: info.wordSize,
    personality,
    abi: { ...elfAbiDetails(info, brand), ...extra },
    confidence,
  };
}
