/**
 * The Haiku personality's ELF sniffer. Claims ELF executables and shared
 * objects that carry Haiku's marks (DT_NEEDED libroot.so, the
 * _gSharedObjectHaikuABI/_gSharedObjectHaikuVersion symbols, DT_SONAME
 * "_APP_", PT_INTERP /system/runtime_loader) for every ISA, and reports the
 * image's Haiku ABI (gcc2/gcc4) and API version the way runtime_loader
 * determines them. Confidence is above every Linux claim (Haiku ELF is
 * otherwise unbranded: EI_OSABI 0, no note).
 */
import type { Claim, SniffInput, Sniffer } from '../../src/plugin/contracts.js';
import { isElf, parseElf, type ElfInfo } from '../../src/exec/elf.js';
import { haikuMarkers, type HaikuMarkers } from '../../src/exec/elf-brand.js';
import { elfClaim } from '../../src/exec/elf-claim.js';
import { ET_DYN, ET_EXEC } from '../../src/exec/elf-tables.js';
import { abiFromComment, abiName, versionName, type HaikuAbiInfo } from './abi/versions.js';

export const HAIKU_CONFIDENCE = { symbols: 97, libroot: 95, interp: 95, soname: 92 } as const;

const EM_386 = 3;

export function haikuAbiInfo(info: ElfInfo, m: HaikuMarkers): HaikuAbiInfo {
  const versionValue = m.versionSymbol;
  const version = versionValue !== null ? versionName(versionValue) : null;
  if (m.abiSymbol !== null && m.abiSymbol !== 0) {
    return { ...abiName(m.abiSymbol), abiValue: m.abiSymbol, source: 'symbol', version, versionValue };
  }
  const fromComment = abiFromComment(info.comment);
  if (info.machine === EM_386 && (fromComment === null || (fromComment >>> 16) !== 2)) {
    // runtime_loader (determine_x86_abi): an x86 image without the ABI symbol is gcc2, i.e. x86_gcc2
    return { abi: 'gcc2', gcc2Flavor: 'haiku', abiValue: null, source: 'x86-default', version, versionValue };
  }
  if (fromComment !== null) {
    // images without the symbols are BeOS-era: API version BeOS
    return { ...abiName(fromComment), abiValue: fromComment, source: 'comment', version: version ?? 'BeOS', versionValue: versionValue ?? 1 };
  }
  return { abi: 'unknown', abiValue: null, source: 'none', version, versionValue };
}

/** Haiku's architecture name for the image (its library folder under /system/lib). */
export function haikuArchitecture(info: ElfInfo, abi: HaikuAbiInfo): string {
  switch (info.isa) {
    case 'i386': return abi.abi === 'gcc2' ? 'x86_gcc2' : 'x86';
    case 'x86_64': return 'x86_64';
    case 'riscv64': return 'riscv64';
    case 'aarch64': return 'arm64';
    case 'arm': return 'arm';
    case 'ppc': return 'ppc';
    case 'm68k': return 'm68k';
    case 'sparc64': return 'sparc';
    default: return info.isa;
  }
}

export const haikuElfSniffer: Sniffer = {
  name: 'haiku-elf',
  sniff(input: SniffInput): Claim | null {
    if (!isElf(input.head)) return null;
    let info: ElfInfo;
    try {
      info = parseElf(input);
    } catch {
      return null;
    }
    if (info.type !== ET_EXEC && info.type !== ET_DYN) return null;
    const m = haikuMarkers(info, input);
    if (!m) return null;
    const abi = haikuAbiInfo(info, m);
    const reason = m.abiSymbol !== null ? 'symbols' : m.libroot ? 'libroot' : m.runtimeLoader ? 'interp' : 'soname';
    const extra = {
      haiku: {
        abi: abi.abi,
        ...(abi.gcc2Flavor ? { gcc2Flavor: abi.gcc2Flavor } : {}),
        abiValue: abi.abiValue === null ? null : '0x' + (abi.abiValue >>> 0).toString(16).padStart(8, '0'),
        abiSource: abi.source,
        version: abi.version,
        versionValue: abi.versionValue === null ? null : '0x' + (abi.versionValue >>> 0).toString(16),
        architecture: haikuArchitecture(info, abi),
        markers: {
          libroot: m.libroot, abiSymbol: m.abiSymbol !== null, versionSymbol: m.versionSymbol !== null,
          runtimeLoader: m.runtimeLoader, appSoname: m.appSoname,
        },
      },
      haikuAbi: abi.abi,
      haikuVersion: abi.version,
    };
    const os = `Haiku (${abi.abi} ABI${abi.version ? `, ${abi.version}` : ''})`;
    return elfClaim(info, { personality: 'haiku', os, reason: 'haiku-markers' }, 'haiku', HAIKU_CONFIDENCE[reason], extra);
  },
};
