/**
 * The generic ELF sniffer: claims every well-formed ELF file with low
 * confidence, naming the personality its branding points to. Its claims are
 * marked `recognizedOnly`: for `compat exec` they mean "seen, but no
 * personality's own sniffer claimed it" (a refusal naming the OS); for
 * `compat sniff` they are a full report.
 */
import type { Claim, SniffInput, Sniffer } from '../plugin/contracts.js';
import { isElf, parseElf } from './elf.js';
import { elfBrand } from './elf-brand.js';
import { elfClaim } from './elf-claim.js';
import { ET_CORE, ET_DYN, ET_EXEC, ET_REL } from './elf-tables.js';

export const GENERIC_ELF_CONFIDENCE = 10;

export const genericElfSniffer: Sniffer = {
  name: 'elf',
  sniff(input: SniffInput): Claim | null {
    if (!isElf(input.head)) return null;
    let info;
    try {
      info = parseElf(input);
    } catch {
      return null;
    }
    const brand = elfBrand(info, input);
    let refusal: string | null = null;
    if (info.type === ET_REL) refusal = 'relocatable object files cannot be executed';
    else if (info.type === ET_CORE) refusal = 'core dumps cannot be executed';
    else if (info.type !== ET_EXEC && info.type !== ET_DYN) refusal = `ELF files of type ${info.typeName} cannot be executed`;
    else if (info.isa === 'other') refusal = `no ISA core or personality knows ${info.machineName}`;
    return elfClaim(info, brand, brand.personality, GENERIC_ELF_CONFIDENCE, { recognizedOnly: true, ...(refusal ? { refusal } : {}) });
  },
};
