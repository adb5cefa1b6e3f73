/**
 * The Linux personality's ELF sniffer. Claims ELF executables that say they
 * are Linux's, in FreeBSD's branding order: an NT_GNU_ABI_TAG note with OS
 * Linux; a Linux program interpreter (/lib/ld-linux*, /lib64/ld-linux*,
 * /lib/ld.so.1, /lib64/ld64.so.*, musl's /lib/ld-musl-*); EI_OSABI GNU/Linux;
 * and, as the fallback brand, unbranded (EI_OSABI 0) files without an
 * interpreter. Files branded for another OS, and Haiku/BeOS files (libroot.so,
 * _gSharedObjectHaikuABI), are left alone.
 */
import type { Claim, SniffInput, Sniffer } from '../../src/plugin/contracts.js';
import { isElf, parseElf, type ElfInfo } from '../../src/exec/elf.js';
import { haikuMarkers, isLinuxInterp, type ElfBrand } from '../../src/exec/elf-brand.js';
import { elfClaim } from '../../src/exec/elf-claim.js';
import { ET_DYN, ET_EXEC } from '../../src/exec/elf-tables.js';

const ELFOSABI_SYSV = 0;
const ELFOSABI_GNU = 3;

/** Confidence by the evidence found. */
export const LINUX_CONFIDENCE = { abiNote: 90, interp: 85, osabi: 80, libc: 50, fallback: 40 } as const;

function linuxEvidence(info: ElfInfo, input: SniffInput): { reason: keyof typeof LINUX_CONFIDENCE } | null {
  if (info.type !== ET_EXEC && info.type !== ET_DYN) return null;
  if (info.isa === 'other') return null;
  if (info.osabi !== ELFOSABI_SYSV && info.osabi !== ELFOSABI_GNU) return null;
  if (info.abiTag && info.abiTag.osCode !== 0) return null;
  if (info.notes.some((n) => n.name === 'FreeBSD' || n.name === 'NetBSD' || n.name === 'OpenBSD')) return null;
  if (info.identBrand === 'FreeBSD') return null;
  if (haikuMarkers(info, input)) return null;
  const linuxInterp = isLinuxInterp(info.interp);
  if (info.abiTag) return { reason: 'abiNote' };
  if (linuxInterp) return { reason: 'interp' };
  if (info.osabi === ELFOSABI_GNU || info.identBrand === 'Linux') return { reason: 'osabi' };
  if (info.interp === null) return { reason: 'fallback' };
  if (info.dynamic?.needed.some((n) => /^libc\.so\.6$|^libc\.musl/.test(n))) return { reason: 'libc' };
  return null;
}

export const linuxElfSniffer: Sniffer = {
  name: 'linux-elf',
  sniff(input: SniffInput): Claim | null {
    if (!isElf(input.head)) return null;
    let info: ElfInfo;
    try {
      info = parseElf(input);
    } catch {
      return null;
    }
    const ev = linuxEvidence(info, input);
    if (!ev) return null;
    const brandReason = { abiNote: 'abi-note', interp: 'interp', osabi: 'osabi', libc: 'needed-libc', fallback: 'fallback' }[ev.reason];
    const brand: ElfBrand = { personality: 'linux', os: 'Linux', reason: brandReason };
    return elfClaim(info, brand, 'linux', LINUX_CONFIDENCE[ev.reason]);
  },
};
